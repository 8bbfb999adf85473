"""Reads of agreements and balances, computed in the database.

Balances are sums of ledger entries by ``applies_to`` up to an effective date:
``discharged = Σ actual + Σ bank draws − Σ retention`` (retention moves surplus actual
credit out to the bank), ``reserved = Σ reserves − Σ releases``,
``outstanding = obligation − discharged``, ``available = obligation − discharged − reserved``.
Each figure is in the agreement's own currency; different currencies are never added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.choices import DEFAULT_MULTIPLIER_RANGE, DEFENCE_USES, EntryKind, PointsCurrency
from agreements.filtersets import AgreementFilterSet
from agreements.models import Agreement, Briefing, CreditBank, CreditEntry, MultiplierStandard

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY_FIELD)
TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")


def _signed_sum(signs: dict[str, int], as_of: date, prefix: str, defence: bool = False):
    """Σ sign × amount over entries whose ``applies_to`` is in ``signs``, up to ``as_of``:
    one aggregate per figure, however many kinds it nets."""
    cases = [
        When(**{f"{prefix}applies_to": kind}, then=F(f"{prefix}amount") * sign)
        for kind, sign in signs.items()
    ]
    condition = Q(**{f"{prefix}effective_on__lte": as_of, f"{prefix}applies_to__in": list(signs)})
    if defence:
        condition &= Q(**{f"{prefix}use__in": DEFENCE_USES})
    return Coalesce(Sum(Case(*cases, output_field=MONEY_FIELD), filter=condition), ZERO)


# How each kind counts toward each figure (a reversal counts toward what it cancels).
# Keyed by the kind's value, as ``applies_to`` is stored.
OBLIGATION: dict[str, int] = {EntryKind.OBLIGATION: 1}
DISCHARGED: dict[str, int] = {EntryKind.ACTUAL: 1, EntryKind.BANK_DRAW: 1, EntryKind.RETENTION: -1}
RESERVED: dict[str, int] = {EntryKind.RESERVE: 1, EntryKind.RELEASE: -1}


def _balance_expressions(as_of: date, prefix: str = "entries__") -> dict:
    """Annotations giving every balance figure; one GROUP BY over the ledger."""
    return {
        "bal_obligation": _signed_sum(OBLIGATION, as_of, prefix),
        "bal_discharged": _signed_sum(DISCHARGED, as_of, prefix),
        "bal_reserved": _signed_sum(RESERVED, as_of, prefix),
        "bal_defence": _signed_sum({**DISCHARGED, **RESERVED}, as_of, prefix, defence=True),
    }


@dataclass(frozen=True)
class Balance:
    """The balance of an agreement (or of a contractor in one currency) on a date."""

    currency: str
    as_of: date
    obligation: Decimal
    reserved: Decimal
    discharged: Decimal
    defence_credit: Decimal

    @property
    def currency_label(self) -> StrOrPromise:
        return PointsCurrency(self.currency).label

    @property
    def outstanding(self) -> Decimal:
        return self.obligation - self.discharged

    @property
    def available(self) -> Decimal:
        return self.obligation - self.discharged - self.reserved

    @property
    def defence_share(self) -> Decimal | None:
        """Share of reserved + discharged credit on direct or indirect defence cases."""
        used = self.reserved + self.discharged
        if used == 0:
            return None
        return (self.defence_credit / used).quantize(FOUR_PLACES)


def balance_of(
    *, row: Agreement | Mapping[str, Any], as_of: date, currency: str | None = None
) -> Balance:
    """Read the annotations of ``_balance_expressions`` off a row (model or dict): the
    balance (餘額) of that agreement or currency."""

    def get(name: str) -> Any:
        return row.get(name) if isinstance(row, dict) else getattr(row, name)

    return Balance(
        currency=currency or get("currency"),
        as_of=as_of,
        obligation=get("bal_obligation"),
        reserved=get("bal_reserved"),
        discharged=get("bal_discharged"),
        defence_credit=get("bal_defence"),
    )


def briefing_on_time() -> Exists:
    """Whether the agreement's briefing (招商說明會) was held by its due date, as an
    annotation."""
    # EXISTS, not a join, so the ledger sums beside it are not multiplied.
    return Exists(
        Briefing.objects.filter(agreement=OuterRef("pk"), held_on__lte=OuterRef("briefing_due_on"))
    )


def agreements_with_balances(*, user, filters: dict | None = None, as_of: date | None = None):
    """Visible agreements, filtered, each annotated with its balance on ``as_of``: one
    query for the whole list, whatever its length."""
    as_of = as_of or timezone.localdate()
    queryset = (
        Agreement.objects.visible_to(user)
        .select_related("contractor", "procurement", "procurement__agency")
        .annotate(**_balance_expressions(as_of), briefing_held_on_time=briefing_on_time())
        .annotate(bal_available=F("bal_obligation") - F("bal_discharged") - F("bal_reserved"))
    )
    return AgreementFilterSet(filters or {}, queryset=queryset).qs


def agreements_filtered(*, user, filters: dict | None = None) -> QuerySet[Agreement]:
    """Visible agreements through the shared FilterSet (no balances: cheap to count)."""
    queryset = Agreement.objects.visible_to(user)
    return AgreementFilterSet(filters or {}, queryset=queryset).qs


def balances_of(*, agreements: list[dict], as_of: date) -> dict[int, Balance]:
    """Balances of a page of agreements (dicts with ``id`` and ``currency``), by id, in one
    query over the ledger: grouped by agreement with the date in WHERE, so PostgreSQL reads
    only those agreements' entries through the index, whatever the ledger's size."""
    sums = (
        CreditEntry.objects.filter(
            agreement_id__in=[a["id"] for a in agreements], effective_on__lte=as_of
        )
        .values("agreement_id")
        .annotate(**_balance_expressions(as_of, prefix=""))
        .order_by()
    )
    by_id = {row["agreement_id"]: row for row in sums}
    empty = dict.fromkeys(("bal_obligation", "bal_discharged", "bal_reserved", "bal_defence"), 0)
    return {
        a["id"]: balance_of(row=by_id.get(a["id"], empty), as_of=as_of, currency=a["currency"])
        for a in agreements
    }


def balance_totals(*, agreements: QuerySet[Agreement], as_of: date) -> list[Balance]:
    """Totals of a list of agreements per currency (one query; currencies kept apart)."""
    rows = (
        Agreement.objects.filter(pk__in=agreements.values("pk"))
        .values("currency")
        .annotate(**_balance_expressions(as_of))
        .order_by("currency")
    )
    return [balance_of(row=row, as_of=as_of) for row in rows]


def agreement_balance(*, agreement: Agreement, as_of: date | None = None) -> Balance:
    """One agreement's balance on ``as_of`` (one query)."""
    as_of = as_of or timezone.localdate()
    row = (
        Agreement.objects.filter(pk=agreement.pk)
        .values("currency")
        .annotate(**_balance_expressions(as_of))
        .get()
    )
    return balance_of(row=row, as_of=as_of)


def contractor_balances(*, contractor_id: int, as_of: date | None = None) -> list[Balance]:
    """A contractor's balance per currency over all its agreements (one query); the
    currencies are kept apart."""
    as_of = as_of or timezone.localdate()
    rows = (
        Agreement.objects.filter(contractor_id=contractor_id)
        .values("currency")
        .annotate(**_balance_expressions(as_of))
        .order_by("currency")
    )
    return [balance_of(row=row, as_of=as_of) for row in rows]


def agreement_ledger(*, agreement: Agreement) -> QuerySet[CreditEntry]:
    """The agreement's ledger (帳務分錄), in effective order."""
    return agreement.entries.select_related("created_by", "reverses", "case", "meeting").order_by(
        "effective_on", "id"
    )


def bank_balance(*, bank: CreditBank, as_of: date | None = None) -> Decimal:
    """A contractor's legacy bank in one currency: opening + retained − drawn."""
    as_of = as_of or date.max
    moves = CreditEntry.objects.filter(
        agreement__contractor_id=bank.contractor_id,
        currency=bank.currency,
        effective_on__lte=as_of,
    ).aggregate(net=_signed_sum({EntryKind.RETENTION: 1, EntryKind.BANK_DRAW: -1}, as_of, ""))
    return bank.opening_balance + moves["net"]


def contractor_banks(*, contractor_id: int) -> list[tuple[CreditBank, Decimal]]:
    """A contractor's legacy credit banks (預存/留存額度), one per currency, with balances."""
    return [
        (bank, bank_balance(bank=bank))
        for bank in CreditBank.objects.filter(contractor_id=contractor_id).order_by("currency")
    ]


def multiplier_standard_for(*, agreement: Agreement, mode: str, on: date):
    """The multiplier range of a mode in effect on a date: the latest standard from on or
    before it, or the default range when the office has set none (domain.md §11)."""
    standard = (
        MultiplierStandard.objects.filter(agreement=agreement, mode=mode, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if standard is not None:
        return standard.min_multiplier, standard.max_multiplier
    return tuple(Decimal(v) for v in DEFAULT_MULTIPLIER_RANGE)


def running_balances(*, entries: QuerySet[CreditEntry]):
    """Each ledger entry in order with the balance of its currency right after it:
    obligation, discharged, reserved and available (one query; the balance's signs, a
    reversal counting toward what it cancels)."""
    totals: dict[str, dict[str, Decimal]] = {}
    for entry in entries.order_by("effective_on", "id"):
        figures = totals.setdefault(
            entry.currency, dict.fromkeys(("obligation", "discharged", "reserved"), Decimal("0.00"))
        )
        for name, signs in (
            ("obligation", OBLIGATION),
            ("discharged", DISCHARGED),
            ("reserved", RESERVED),
        ):
            figures[name] += signs.get(entry.applies_to, 0) * entry.amount
        yield (
            entry,
            {
                **figures,
                "available": figures["obligation"] - figures["discharged"] - figures["reserved"],
            },
        )


def balance_history(*, entries: QuerySet[CreditEntry]) -> dict[str, list[dict]]:
    """The balance after each day the ledger moved, per currency (the charts over time)."""
    history: dict[str, list[dict]] = {}
    for entry, after in running_balances(entries=entries):
        point = {"date": entry.effective_on, **after}
        points = history.setdefault(entry.currency, [])
        if points and points[-1]["date"] == entry.effective_on:
            points[-1] = point
        else:
            points.append(point)
    return history
