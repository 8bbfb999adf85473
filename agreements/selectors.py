"""Reads of agreements and balances, computed in the database.

Balances are sums of ledger entries by ``applies_to`` up to an effective date:
``discharged = Σ actual + Σ bank draws − Σ retention`` (retention moves surplus actual
credit out to the bank), ``reserved = Σ reserves − Σ releases``,
``outstanding = obligation − discharged``, ``available = obligation − discharged − reserved``.
Each figure is in the agreement's own currency; different currencies are never added.

Current balances are read from the maintained rows (``AgreementBalance``, kept by the
database with every posting): a row holds the sums over every entry posted, so it answers
for any date on or after its ``latest_effective_on``; a balance on an earlier date (the
past, or today while an entry takes effect later) is aggregated from the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.choices import DEFAULT_MULTIPLIER_RANGE, DEFENCE_USES, EntryKind, PointsCurrency
from agreements.filtersets import AgreementFilterSet
from agreements.models import (
    Agreement,
    AgreementBalance,
    Briefing,
    CreditBank,
    CreditEntry,
    MultiplierStandard,
    party_scope_key,
)
from icp_portal.lib.prepared import Call, Prepared

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


FIGURES = ("bal_obligation", "bal_discharged", "bal_reserved", "bal_defence")


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
    # The agreement's end of execution, where the balance is one agreement's (with_end).
    execution_ends_on: date | None = None

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

    @property
    def shortfall(self) -> Decimal:
        """What is still outstanding once the execution period has ended (缺額, domain.md
        §13): the outstanding credit on a date after ``execution_ends_on``, zero before
        (and zero when the obligation is met or exceeded)."""
        if self.execution_ends_on is None or self.as_of <= self.execution_ends_on:
            return Decimal("0.00")
        return max(self.outstanding, Decimal("0.00"))

    def with_end(self, execution_ends_on: date | None) -> Balance:
        """The same figures, knowing the agreement's end of execution (for ``shortfall``)."""
        return replace(self, execution_ends_on=execution_ends_on)


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


@lru_cache(maxsize=8)
def _maintained_or_ledger(as_of: date) -> dict:
    """Every balance figure on ``as_of`` as an annotation on agreements, without a
    GROUP BY: the maintained row's figure where it holds on ``as_of`` (no entry of the
    agreement takes effect later), else that agreement's ledger summed in a subquery (for
    a date from today on, only agreements with an entry dated after it).

    Built once per date (3 ms of Python, twice a list page): a query copies each
    expression it is given, so the same ones serve every query. Do not change the dict."""
    holds = Q(maintained_balance__latest_effective_on__lte=as_of)

    def figure(field: str, signs: dict[str, int], defence: bool = False) -> Case:
        ledger = (
            CreditEntry.objects.filter(agreement=OuterRef("pk"))
            .order_by()
            .values("agreement")
            .annotate(total=_signed_sum(signs, as_of, "", defence))
            .values("total")
        )
        return Case(
            When(maintained_balance__isnull=True, then=ZERO),
            When(holds, then=F(f"maintained_balance__{field}")),
            default=Coalesce(Subquery(ledger, output_field=MONEY_FIELD), ZERO),
            output_field=MONEY_FIELD,
        )

    return {
        "bal_obligation": figure("obligation", OBLIGATION),
        "bal_discharged": figure("discharged", DISCHARGED),
        "bal_reserved": figure("reserved", RESERVED),
        "bal_defence": figure("defence", {**DISCHARGED, **RESERVED}, defence=True),
    }


def _figures_on(as_of: date, prefix: str = "entries__") -> dict:
    """The balance annotations for ``as_of``: from the maintained rows from today on (the
    ledger only where an entry is dated later), from the ledger for a past date."""
    if as_of >= timezone.localdate():
        return _maintained_or_ledger(as_of)
    return _balance_expressions(as_of, prefix)


def agreements_with_balances(*, user, filters: dict | None = None, as_of: date | None = None):
    """Visible agreements, filtered, each annotated with its balance on ``as_of``: one
    query for the whole list, whatever its length."""
    as_of = as_of or timezone.localdate()
    queryset = (
        Agreement.objects.visible_to(user)
        .select_related("contractor", "procurement", "procurement__agency")
        .annotate(**_figures_on(as_of), briefing_held_on_time=briefing_on_time())
        # To order by only: selected, it repeated three figures' SQL in every list query.
        .alias(bal_available=F("bal_obligation") - F("bal_discharged") - F("bal_reserved"))
    )
    return AgreementFilterSet(filters or {}, queryset=queryset).qs


def agreements_filtered(*, user, filters: dict | None = None) -> QuerySet[Agreement]:
    """Visible agreements through the shared FilterSet (no balances: cheap to count)."""
    queryset = Agreement.objects.visible_to(user)
    return AgreementFilterSet(filters or {}, queryset=queryset).qs


# The maintained row's figures beside an agreement (``values(**MAINTAINED)``), named for
# ``_from_maintained``; all None when the agreement has no entry yet.
_ROW_FIELDS = {
    "m_obligation": "obligation",
    "m_reserved": "reserved",
    "m_discharged": "discharged",
    "m_defence": "defence",
    "m_latest": "latest_effective_on",
    "m_entries": "entries",
    "m_last": "last_entry_id",
}
MAINTAINED = {name: F(f"maintained_balance__{field}") for name, field in _ROW_FIELDS.items()}
_NO_ENTRIES = Decimal("0.00")


def _from_maintained(row: Mapping[str, Any], as_of: date, currency: str) -> Balance | None:
    """The balance on ``as_of`` from a row carrying ``MAINTAINED`` (and the agreement's
    ``execution_ends_on`` where it has it), or None when an entry of the agreement takes
    effect after ``as_of`` (the ledger must answer then)."""
    latest = row["m_latest"]
    ends = row.get("execution_ends_on")
    if latest is None:  # no entry posted yet
        zero = _NO_ENTRIES
        return Balance(currency, as_of, zero, zero, zero, zero, execution_ends_on=ends)
    if latest > as_of:
        return None
    return Balance(
        currency=currency,
        as_of=as_of,
        obligation=row["m_obligation"],
        reserved=row["m_reserved"],
        discharged=row["m_discharged"],
        defence_credit=row["m_defence"],
        execution_ends_on=ends,
    )


def balances_of(*, agreements: list[dict], as_of: date) -> dict[int, Balance]:
    """Balances of a page of agreements (dicts with ``id``, ``currency`` and optionally
    ``execution_ends_on``, for ``shortfall``), by id.

    Rows that carry ``MAINTAINED`` are answered from it where no entry takes effect after
    ``as_of``; the others in one query over the ledger, grouped by agreement with the date
    in WHERE, so PostgreSQL reads only those agreements' entries through the index,
    whatever the ledger's size."""
    found: dict[int, Balance] = {}
    for a in agreements:
        balance = _from_maintained(a, as_of, a["currency"]) if "m_latest" in a else None
        if balance is not None:
            found[a["id"]] = balance
    missing = [a for a in agreements if a["id"] not in found]
    if missing:
        if len(missing) == 1:  # one agreement's balance: the query REST clients poll
            sums = _LEDGER_OF_ONE.run(None, pk=missing[0]["id"], as_of=as_of)
        else:
            sums = list(_ledger_sums([a["id"] for a in missing], as_of))
        by_id = {row["agreement_id"]: row for row in sums}
        empty = dict.fromkeys(FIGURES, 0)
        for a in missing:
            row = by_id.get(a["id"], empty)
            balance = balance_of(row=row, as_of=as_of, currency=a["currency"])
            found[a["id"]] = balance.with_end(a.get("execution_ends_on"))
    return {a["id"]: found[a["id"]] for a in agreements}


def _ledger_sums(agreement_ids, as_of: date) -> QuerySet:
    """The balance figures of these agreements on ``as_of`` from the ledger, one row per
    agreement, grouped by agreement with the date in WHERE (PostgreSQL reads only their
    entries, through the index)."""
    return (
        CreditEntry.objects.filter(agreement_id__in=agreement_ids, effective_on__lte=as_of)
        .values("agreement_id")
        .annotate(**_balance_expressions(as_of, prefix=""))
        .order_by()
    )


# Compiled once (icp_portal.lib.prepared): building the four signed sums cost 5 ms of
# Python for a 0.3 ms query.
_LEDGER_OF_ONE = Prepared(
    "the balance of one agreement from the ledger",
    lambda pk, as_of: _ledger_sums([pk], as_of),
    pk=-7_000_000_016,
    as_of=date(1, 2, 3),
)


class _DayNumber(Func):
    """A date as a whole number of days, times the row's id: cheap integer arithmetic
    (PostgreSQL's EXTRACT returns numeric since version 14 and cost 10 ms over 12,500
    agreements), weighted so that two ends moving in opposite directions still change
    the sum."""

    output_field = BigIntegerField()
    template = "(%(expressions)s - DATE '2000-01-01') * CAST(%(id)s AS BIGINT)"

    def __init__(self, date_field: str, id_field: str = "id") -> None:
        super().__init__(F(date_field), F(id_field))

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        (day, row_id) = (compiler.compile(e) for e in self.get_source_expressions())
        sql = self.template % {"expressions": day[0], "id": row_id[0]}
        return sql, (*day[1], *row_id[1])

    def as_sqlite(self, compiler, connection, **extra):
        (day, row_id) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(CAST(julianday({day[0]}) AS INTEGER) * {row_id[0]})", (*day[1], *row_id[1])


def balance_version(*, agreements: QuerySet[Agreement]) -> tuple[int, int, int, int]:
    """What the balances of ``agreements`` depend on besides the date, in one cheap query
    over the agreements and their maintained rows: how many agreements, which (the sum of
    their ids), how many entries have been posted to them, and their ends of execution
    (each end's day number weighted by its agreement's id: ``shortfall`` depends on them).
    Posting a covered entry raises the third figure, so a tag made of these changes when
    such an entry is posted (or the set of agreements, or an end of execution, changes)
    and not otherwise."""
    figures = agreements.order_by().aggregate(
        count=Count("id"),
        ids=Coalesce(Sum("id"), 0),
        posted=Coalesce(Sum("maintained_balance__entries"), 0),
        ends=Coalesce(Sum(_DayNumber("execution_ends_on")), 0),
    )
    return figures["count"], figures["ids"], figures["posted"], figures["ends"]


def contractor_balance_version(*, contractor_id: int) -> tuple:
    """What a contractor's balances and banks depend on besides the date (two cheap
    queries): ``balance_version`` of its agreements, and its banks' count and opening
    balances."""
    banks = CreditBank.objects.filter(contractor_id=contractor_id).aggregate(
        count=Count("id"), opening=Coalesce(Sum("opening_balance"), ZERO)
    )
    agreements = Agreement.objects.filter(contractor_id=contractor_id)
    return (*balance_version(agreements=agreements), banks["count"], banks["opening"])


def visible_balance_row(*, user, pk: int) -> dict[str, Any] | None:
    """A visible agreement's ``id``, ``currency`` and maintained row (``MAINTAINED``), or
    None when the user may not see it: one query, enough for the ETag and, unless an
    entry takes effect after the date asked, for the balance itself."""
    rows = _VISIBLE_BALANCE_ROW.run(party_scope_key(user), user=user, pk=pk)
    return dict(rows[0]) if rows else None


def visible_balance_queries(*, scope: str, pk: int, as_of: date | None) -> list[Call]:
    """The queries a balance of agreement ``pk`` on ``as_of`` takes for a caller whose
    ``party_scope_key`` is ``scope`` (only the row when ``as_of`` is None: a client holding
    a tag), to send ahead with another (``icp_portal.lib.prepared.fetched_together``):
    :func:`visible_balance_row` takes the row only if the caller's scope is ``scope``, and
    the ledger is summed only for a past date (where the maintained row rarely holds);
    a ledger sum no balance asks for is dropped unread."""
    queries = [_VISIBLE_BALANCE_ROW.call(scope, pk=pk)]
    if as_of is not None and as_of < timezone.localdate():
        queries.append(_LEDGER_OF_ONE.call(None, pk=pk, as_of=as_of))
    return queries


# Compiled once per scope (``Agreement.objects.visible_to`` depends on the scope only):
# the single-balance call is what REST clients poll most (icp_portal.lib.prepared).
_VISIBLE_BALANCE_ROW = Prepared(
    "visible agreement with its maintained balance",
    lambda user, pk: (
        Agreement.objects.visible_to(user)
        .filter(pk=pk)
        .values("id", "currency", "execution_ends_on", **MAINTAINED)[:1]
    ),
    pk=-7_000_000_015,
)


def balance_totals(*, agreements: QuerySet[Agreement], as_of: date) -> list[Balance]:
    """Totals of a list of agreements per currency (one query; currencies kept apart)."""
    listed = Agreement.objects.filter(pk__in=agreements.values("pk"))
    return [balance_of(row=row, as_of=as_of) for row in _totals_by_currency(listed, as_of)]


def _totals_by_currency(agreements: QuerySet[Agreement], as_of: date) -> QuerySet:
    """One row of summed figures per currency over ``agreements``, each of which must
    appear once in the query (no join that repeats an agreement)."""
    listed = agreements.order_by().values("currency")
    if as_of >= timezone.localdate():
        figures = {name: Sum(value) for name, value in _maintained_or_ledger(as_of).items()}
        return listed.annotate(**figures).order_by("currency")
    return listed.annotate(**_balance_expressions(as_of)).order_by("currency")


def agreement_list_totals(
    *, user, filters: dict | None = None, as_of: date
) -> tuple[list[Balance], int]:
    """The agreement list's totals per currency on ``as_of``, and how many agreements it
    lists, in one query: summed straight over the visible, filtered agreements (their
    filters follow single-valued relations only, so none counts twice), not over a list
    of their ids."""
    agreements = agreements_filtered(user=user, filters=filters)
    # A past date's figures join the ledger (an agreement once per entry): count it once.
    listed = Count("id", distinct=as_of < timezone.localdate())
    rows = list(_totals_by_currency(agreements, as_of).annotate(listed=listed))
    totals = [balance_of(row=row, as_of=as_of) for row in rows]
    return totals, sum(row["listed"] for row in rows)


def agreement_balance(*, agreement: Agreement, as_of: date | None = None) -> Balance:
    """One agreement's balance on ``as_of`` (one query): from its maintained row when
    ``as_of`` is today or later and no entry takes effect after it, else from the ledger."""
    today = timezone.localdate()
    as_of = as_of or today
    if as_of >= today:
        row = (
            AgreementBalance.objects.filter(agreement_id=agreement.pk)
            .values(**{name: F(field) for name, field in _ROW_FIELDS.items()})
            .first()
        )
        balance = _from_maintained(row or dict.fromkeys(MAINTAINED), as_of, agreement.currency)
        if balance is not None:
            return balance
    row = (
        Agreement.objects.filter(pk=agreement.pk)
        .values("currency")
        .annotate(**_balance_expressions(as_of))
        .get()
    )
    return balance_of(row=row, as_of=as_of)


def contractor_balances(*, contractor_id: int, as_of: date | None = None) -> list[Balance]:
    """A contractor's balance per currency over all its agreements (one query: the sums of
    the maintained rows, unless an entry takes effect after ``as_of``; then the ledger's);
    the currencies are kept apart."""
    as_of = as_of or timezone.localdate()
    agreements = Agreement.objects.filter(contractor_id=contractor_id)
    maintained = (
        agreements.values("currency")
        .annotate(
            **{
                figure: Coalesce(Sum(f"maintained_balance__{field}"), ZERO)
                for figure, field in zip(
                    FIGURES, ("obligation", "discharged", "reserved", "defence"), strict=True
                )
            },
            latest=Max("maintained_balance__latest_effective_on"),
        )
        .order_by("currency")
    )
    if all(row["latest"] is None or row["latest"] <= as_of for row in maintained):
        return [balance_of(row=row, as_of=as_of) for row in maintained]
    rows = (
        agreements.values("currency").annotate(**_balance_expressions(as_of)).order_by("currency")
    )
    return [balance_of(row=row, as_of=as_of) for row in rows]


def agreement_ledger(*, agreement: Agreement) -> QuerySet[CreditEntry]:
    """The agreement's ledger (帳務分錄), in effective order."""
    return agreement.entries.select_related("created_by", "reverses", "case", "meeting").order_by(
        "effective_on", "id"
    )


def bank_balance(*, bank: CreditBank, as_of: date | None = None) -> Decimal:
    """A contractor's legacy bank in one currency: opening + retained − drawn (today's from
    the maintained rows of its agreements in that currency, an earlier date's from the
    ledger)."""
    if as_of is None:
        moves = AgreementBalance.objects.filter(
            agreement__contractor_id=bank.contractor_id, agreement__currency=bank.currency
        ).aggregate(net=Coalesce(Sum(F("retained") - F("bank_drawn")), ZERO))
        return bank.opening_balance + moves["net"]
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


def balance_drift() -> list[tuple[int, str, Any, Any]]:
    """Where the maintained balances differ from the ledger: ``(agreement id, figure,
    maintained, ledger)`` for every figure of every agreement that disagrees, comparing
    each row with the aggregate over all the agreement's entries (two queries). Empty
    when the database kept them, as it must."""
    ledger: dict[int, dict[str, Any]] = {
        row["agreement_id"]: dict(row)
        for row in CreditEntry.objects.values("agreement_id")
        .annotate(
            obligation=_signed_sum(OBLIGATION, date.max, ""),
            reserved=_signed_sum(RESERVED, date.max, ""),
            discharged=_signed_sum(DISCHARGED, date.max, ""),
            bank_drawn=_signed_sum({EntryKind.BANK_DRAW: 1}, date.max, ""),
            retained=_signed_sum({EntryKind.RETENTION: 1}, date.max, ""),
            defence=_signed_sum({**DISCHARGED, **RESERVED}, date.max, "", defence=True),
            latest_effective_on=Max("effective_on"),
            last_entry_id=Max("id"),
            entries=Count("id"),
        )
        .order_by()
    }
    fields = (
        "obligation",
        "reserved",
        "discharged",
        "bank_drawn",
        "retained",
        "defence",
        "latest_effective_on",
        "last_entry_id",
        "entries",
    )
    maintained: dict[int, dict[str, Any]] = {
        row["agreement_id"]: row for row in AgreementBalance.objects.values("agreement_id", *fields)
    }
    absent: dict[str, Any] = dict.fromkeys(fields)
    drift: list[tuple[int, str, Any, Any]] = []
    for agreement_id in sorted(ledger.keys() | maintained.keys()):
        kept, summed = maintained.get(agreement_id, absent), ledger.get(agreement_id, absent)
        drift.extend(
            (agreement_id, name, kept[name], summed[name])
            for name in fields
            if kept[name] != summed[name]
        )
    return drift
