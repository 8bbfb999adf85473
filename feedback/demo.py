"""Demo data of feedback fees: the NT$ exchange rates of USD points the office entered
for 2010–2011 (bills use the rate in force on their issue date). The bills themselves
come from the 2011 actual approvals replayed by committee/demo.py, which then settles
some of them through ``settle_2011_bills``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from agreements.choices import PointsCurrency
from feedback import services
from feedback.choices import BillStatus
from feedback.models import Bill, ExchangeRate
from organizations.services import system_user

# NT$ per US dollar, roughly the Central Bank's averages of the periods.
USD_RATES = [
    (date(2010, 1, 1), "32.00"),
    (date(2010, 7, 1), "32.10"),
    (date(2011, 1, 1), "29.70"),
    (date(2011, 7, 1), "28.80"),
]


@transaction.atomic
def seed() -> list[str]:
    actor = system_user()
    for effective_on, rate in USD_RATES:
        if not ExchangeRate.objects.filter(
            currency=PointsCurrency.USD_PTS, effective_on=effective_on
        ).exists():
            services.exchange_rate_set(
                currency=PointsCurrency.USD_PTS,
                rate_twd=Decimal(rate),
                effective_on=effective_on,
                actor=actor,
            )
    return [f"Exchange rates: {ExchangeRate.objects.count()}."]


@transaction.atomic
def settle_2011_bills(*, actor) -> list[str]:
    """Bills of the first three 2011 meetings paid by their due date (one in two
    instalments), one waived by the committee; the 4th meeting's bills still unpaid in
    January 2012 become overdue (and block their recipients)."""
    bills = list(Bill.objects.filter(issued_on__lt=date(2012, 1, 1)).order_by("issued_on", "id"))
    if not bills or any(bill.status != BillStatus.ISSUED for bill in bills):
        return []
    for index, bill in enumerate(bills):
        if bill.issued_on >= date(2011, 12, 1):
            continue  # left unpaid
        if index == 1:
            first = (bill.amount_twd / 2).quantize(Decimal("1"))
            services.payment_record(
                bill=bill,
                paid_on=bill.due_on - timedelta(days=20),
                amount_twd=first,
                actor=actor,
                reference="匯款 第一期",
            )
            services.payment_record(
                bill=bill,
                paid_on=bill.due_on,
                amount_twd=bill.amount_twd - first,
                actor=actor,
                reference="匯款 第二期",
            )
        elif index == 2:
            services.bill_waive(bill=bill, reason="推動小組會議同意免繳", actor=actor)
        else:
            services.payment_record(
                bill=bill,
                paid_on=bill.due_on,
                amount_twd=bill.amount_twd,
                actor=actor,
                reference=f"匯款 {bill.number}",
            )
    overdue = services.bills_mark_overdue(today=date(2012, 1, 20), actor=actor)
    total = sum(bill.amount_twd for bill in bills)
    this_year = sum(bill.amount_twd for bill in bills if bill.issued_on.year == 2011)
    return [
        f"Feedback-fee bills of 2010–2011: {len(bills)}, NT${total:,.0f} "
        f"(2011: NT${this_year:,.0f}); {overdue} overdue in January 2012."
    ]
