"""Feedback fees (``feedback.yaml``): the NT$ exchange rates of USD points the office
entered for 2010–2011, and the settlement of the bills the replay's 2011 actual approvals
issued (``settle_2011_bills``, called by ``demo.replay``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from agreements.choices import PointsCurrency
from demo.loader import D, load, office
from feedback import services
from feedback.choices import BillStatus
from feedback.models import Bill, ExchangeRate


def seed() -> list[str]:
    actor = office()
    for rate in load("feedback")["usd_rates"]:
        if not ExchangeRate.objects.filter(
            currency=PointsCurrency.USD_PTS, effective_on=rate["effective_on"]
        ).exists():
            services.exchange_rate_set(
                currency=PointsCurrency.USD_PTS,
                rate_twd=D(rate["rate_twd"]),
                effective_on=rate["effective_on"],
                actor=actor,
            )
    return [f"Exchange rates: {ExchangeRate.objects.count()}."]


def settle_2011_bills(*, actor) -> list[str]:
    """Bills of the first three 2011 meetings paid by their due date (one in two
    instalments), one waived by the committee; the 4th meeting's bills still unpaid in
    January 2012 become overdue (and block their recipients)."""
    rules = load("feedback")["settlement"]
    bills = list(Bill.objects.filter(issued_on__lt=date(2012, 1, 1)).order_by("issued_on", "id"))
    if not bills or any(bill.status != BillStatus.ISSUED for bill in bills):
        return []
    for number, bill in enumerate(bills, 1):
        if bill.issued_on >= rules["unpaid_from"]:
            continue  # left unpaid
        if number == rules["instalments_bill"]:
            first = (bill.amount_twd / 2).quantize(Decimal("1"))
            early, late = rules["instalment_references"]
            services.payment_record(
                bill=bill,
                paid_on=bill.due_on - timedelta(days=rules["instalment_days_early"]),
                amount_twd=first,
                actor=actor,
                reference=early,
            )
            services.payment_record(
                bill=bill,
                paid_on=bill.due_on,
                amount_twd=bill.amount_twd - first,
                actor=actor,
                reference=late,
            )
        elif number == rules["waived_bill"]:
            services.bill_waive(bill=bill, reason=rules["waiver_reason"], actor=actor)
        else:
            services.payment_record(
                bill=bill,
                paid_on=bill.due_on,
                amount_twd=bill.amount_twd,
                actor=actor,
                reference=f"匯款 {bill.number}",
            )
    overdue = services.bills_mark_overdue(today=rules["overdue_on"], actor=actor)
    total = sum(bill.amount_twd for bill in bills)
    this_year = sum(bill.amount_twd for bill in bills if bill.issued_on.year == 2011)
    return [
        f"Feedback-fee bills of 2010–2011: {len(bills)}, NT${total:,.0f} "
        f"(2011: NT${this_year:,.0f}); {overdue} overdue in January 2012."
    ]
