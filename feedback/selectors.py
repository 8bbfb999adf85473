"""Reads of fees: the rate and exchange rate in force, bills visible to a person, totals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from agreements.choices import Mode, PointsCurrency
from feedback.choices import (
    DEFAULT_RATES,
    DEFAULT_RATES_FROM,
    DEFENCE_HALVING_FROM,
    DEFENCE_INDUSTRY_SHARE,
    OFFICE_DETAILS,
)
from feedback.filtersets import BillFilterSet, PenaltyFilterSet
from feedback.models import Bill, ExchangeRate, FeeRate, Penalty
from organizations.models import is_office_staff


def fee_steps(*, credits: Decimal, rate: Decimal, halved: bool, exchange_rate: Decimal) -> dict:
    """The fee, step by step (domain.md §11): credits × rate (× ½ for a defence-industry
    recipient) = fee in points; × exchange rate = NT$, rounded half up to whole NT$. The
    one place the formula lives: bills, the bill page and the payment notice use it."""
    share = DEFENCE_INDUSTRY_SHARE if halved else Decimal("1")
    fee_points = credits * rate * share
    exact_twd = fee_points * exchange_rate
    return {
        "share": share,
        "fee_points": fee_points,
        "exact_twd": exact_twd,
        "amount_twd": exact_twd.quantize(Decimal("1"), rounding=ROUND_HALF_UP),
    }


def bill_steps(*, bill: Bill) -> dict:
    """A bill's feedback fee step by step, from the figures copied onto the bill."""
    return fee_steps(
        credits=bill.credits,
        rate=bill.rate,
        halved=bill.defence_halved,
        exchange_rate=bill.exchange_rate,
    )


def _in_force(rows: QuerySet, date_field: str, on: date):
    """The rule of every rate (fee rates, exchange rates): the one in force on a date is
    the latest entered from on or before it."""
    return rows.filter(**{f"{date_field}__lte": on}).order_by(f"-{date_field}", "-id").first()


def marked_in_force(*, rows: QuerySet, key: str, date_field: str, on: date) -> list[tuple]:
    """Each rate with whether it is the one in force on ``on`` for its mode or currency
    (by ``_in_force``, the same rule bills use)."""
    rows = rows.order_by(key, f"-{date_field}", "-id")
    in_force = set()
    for value in {getattr(row, key) for row in rows}:
        row = _in_force(rows.filter(**{key: value}), date_field, on)
        if row is not None:
            in_force.add(row.pk)
    return [(row, row.pk in in_force) for row in rows]


def fee_rate_for(*, mode: str, on: date) -> Decimal:
    """The rate of a mode in force on a date: the latest entered from on or before it, or
    the regulation's rate (domain.md §7) when the office has entered none."""
    rate = _in_force(FeeRate.objects.filter(mode=mode), "effective_from", on)
    if rate is not None:
        return rate.rate
    if on >= DEFAULT_RATES_FROM and mode in DEFAULT_RATES:
        return DEFAULT_RATES[mode]
    raise ValidationError(
        _("No feedback-fee rate for %(mode)s is in force on %(date)s.")
        % {"mode": Mode(mode).label, "date": on.isoformat()}
    )


def exchange_rate_for(*, currency: str, on: date) -> Decimal:
    """NT$ per point in force on a date; TWD points are always 1."""
    if currency == PointsCurrency.TWD_PTS:
        return Decimal("1")
    rate = _in_force(ExchangeRate.objects.filter(currency=currency), "effective_on", on)
    if rate is None:
        raise ValidationError(
            _("No exchange rate for %(currency)s is in force on %(date)s: enter one first.")
            % {"currency": PointsCurrency(currency).label, "date": on.isoformat()}
        )
    return rate.rate_twd


def bill_list(*, user, filters: dict | None = None) -> QuerySet[Bill]:
    """The feedback-fee bills (回饋金繳款通知) the person may see, through the shared filters."""
    queryset = Bill.objects.visible_to(user).select_related("recipient", "case")
    return BillFilterSet(filters or {}, queryset=queryset).qs


def totals_by_status(*, bills: QuerySet[Bill]) -> list[Mapping[str, Any]]:
    """Count, amount and paid in NT$ per status (one query)."""
    return list(
        bills.order_by()
        .values("status")
        .annotate(count=Count("id"), amount=Sum("amount_twd"), paid=Sum("paid_amount_twd"))
        .order_by("status")
    )


def _office_only(user) -> None:
    if not is_office_staff(user):
        raise PermissionDenied(_("Rates are kept by the ICP office."))


def exchange_rate_list(*, user) -> QuerySet[ExchangeRate]:
    """The NT$ rates of the point currencies, newest first: the office's working data, the
    same rule on the rate pages and in the API (403 for anybody else)."""
    _office_only(user)
    return ExchangeRate.objects.order_by("currency", "-effective_on")


def fee_rate_list(*, user) -> QuerySet[FeeRate]:
    """The fee rates per mode, newest first (staff only, as the exchange rates)."""
    _office_only(user)
    return FeeRate.objects.order_by("mode", "-effective_from")


def office_block() -> dict:
    """The office's name, address, telephone and fee account, as the payment notice and
    the bill page print them (``settings.ICP_OFFICE`` overrides the defaults)."""
    return {**OFFICE_DETAILS, **getattr(settings, "ICP_OFFICE", {})}


def fee_terms(*, activity, on: date) -> tuple[Decimal, Decimal, bool]:
    """The terms of an activity's fee on a day: the mode's rate, the NT$ per point of the
    agreement's currency, and whether a defence-industry recipient pays half (from
    2011-07-04). The one place bills and estimates take them from; ValidationError when
    no rate is in force."""
    rate = fee_rate_for(mode=activity.mode, on=on)
    exchange = exchange_rate_for(currency=activity.case.agreement.currency, on=on)
    halved = activity.recipient.defence_industry and on >= DEFENCE_HALVING_FROM
    return rate, exchange, halved


def fee_estimate(*, activity, on: date, credits: Decimal | None = None) -> dict | None:
    """The feedback fee an activity's recipient will owe on ``credits`` (default: its
    pre-approved, else requested credits) at the terms in force on ``on``, step by step;
    None when the recipient owes none (not profit-making) or no rate is in force. The
    packet and the decision letters show it before the bill exists."""
    if not activity.recipient.profit_making:
        return None
    if credits is None:
        credits = activity.pre_approved_credits or activity.requested_credits
    try:
        rate, exchange, halved = fee_terms(activity=activity, on=on)
    except ValidationError:
        return None
    steps = fee_steps(credits=credits, rate=rate, halved=halved, exchange_rate=exchange)
    return {
        "activity": activity,
        "credits": credits,
        "rate": rate,
        "halved": halved,
        "exchange": exchange,
        **steps,
    }


def penalty_list(*, user, filters: dict | None = None):
    """Visible penalties (罰款), filtered, newest first, with their agreement and meeting."""
    queryset = (
        Penalty.objects.visible_to(user)
        .select_related("agreement", "agreement__contractor", "meeting")
        .order_by("-issued_on", "-id")
    )
    return PenaltyFilterSet(filters or {}, queryset=queryset).qs
