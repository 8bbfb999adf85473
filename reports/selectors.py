"""The program's figures (domain.md §9, §14, §3), read from the ledger and the minutes:
one place for every number the statistics page, the API, the public page and the reports
show. A committee decision counts in the period its meeting was held (and only once its
minutes are approved: then it is on the ledger); amounts stay per currency (points in
USD and in NT$ are never added); shares are strings with four decimals.

Every figure can be narrowed to one procuring agency's purchases (its members' view)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.text import capfirst

from agreements.choices import DEFENCE_USES, CaseUse, EntryKind, Mode, PointsCurrency
from agreements.models import Agreement, CreditEntry, NegotiationMeeting, Procurement
from cases.models import Activity, CaseOutcome
from committee.choices import AgendaKind, MeetingKind, MeetingStatus, Outcome
from committee.models import Decision, Meeting
from demand_items.choices import Classification, ItemStatus
from demand_items.models import DemandItem
from feedback.choices import BillStatus
from feedback.models import Bill, Payment
from organizations.choices import Field, OrganizationKind
from organizations.models import Organization
from reports.models import KpiTarget

SHARE = Decimal("0.0001")
# The legislature's minimum defence share and the long-term target (domain.md §3).
DEFENCE_MINIMUM = Decimal("0.50")
DEFENCE_TARGET = Decimal("0.60")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Period:
    """A closed range of days: a calendar year, or any range the office asks for."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))


def share(part: Decimal, whole: Decimal) -> str:
    """``part / whole`` as a string with four decimals ("0.0000" when there is no whole)."""
    if not whole:
        return "0.0000"
    return str((Decimal(part) / Decimal(whole)).quantize(SHARE, rounding=ROUND_HALF_UP))


def _by_currency(rows) -> dict[str, Decimal]:
    """{currency: amount} for both currencies (zero when none), from (currency, amount)."""
    totals = {currency: Decimal("0.00") for currency in PointsCurrency.values}
    for currency, amount in rows:
        totals[currency] += amount or 0
    return totals


# Meetings as a queryset, or as their ids once read (the planner then knows which).
_Meetings = QuerySet[Meeting] | list[int]


def _meetings(period: Period) -> QuerySet[Meeting]:
    """The promotion-committee meetings held in the period whose minutes are approved."""
    return Meeting.objects.filter(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        status=MeetingStatus.MINUTES_APPROVED,
        held_on__gte=period.start,
        held_on__lte=period.end,
    )


def _posted_sums(meetings: _Meetings, agency: Organization | None) -> dict[tuple[int, str], list]:
    """The pre-approved (reserve) and actually approved credit the meetings' minutes
    posted, net of their reversals: {(meeting id, kind): [(currency, sum), ...]}, in one
    query. The entries and the reversals are summed apart and put together (UNION ALL):
    one condition with an OR over the reversed entry read the whole ledger (220 ms at 100×)
    where each half reads only the meetings' entries by index."""
    kinds = (EntryKind.RESERVE, EntryKind.ACTUAL)
    posted = CreditEntry.objects.filter(kind__in=kinds, meeting__in=meetings)
    reversals = CreditEntry.objects.filter(
        kind=EntryKind.REVERSAL, reverses__kind__in=kinds, reverses__meeting__in=meetings
    )
    if agency is not None:
        posted = posted.filter(agreement__procurement__agency=agency)
        reversals = reversals.filter(agreement__procurement__agency=agency)
    rows = (
        posted.order_by()
        .values_list("meeting_id", "kind", "currency")
        .annotate(total=Sum("amount"))
        .union(
            reversals.order_by()
            .values_list("reverses__meeting_id", "reverses__kind", "currency")
            .annotate(total=Sum("amount")),
            all=True,
        )
    )
    sums: dict[tuple[int, str], list] = defaultdict(list)
    for meeting_id, kind, currency, total in rows:
        sums[(meeting_id, kind)].append((currency, total))
    return sums


def _posted_by_currency(sums: dict[tuple[int, str], list], kind: str) -> dict[str, Decimal]:
    """{currency: credit} of ``kind`` over every meeting of ``_posted_sums``."""
    return _by_currency(row for (_meeting, k), rows in sums.items() if k == kind for row in rows)


def _decisions(meetings: _Meetings, agency: Organization | None) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(agenda_item__meeting__in=meetings)
    if agency is not None:
        decisions = decisions.filter(agenda_item__case__agreement__procurement__agency=agency)
    return decisions


def _decision_counts(decisions: QuerySet[Decision]) -> dict[str, int]:
    """The decisions counted per agenda kind and outcome, in one query."""

    def counted(kind: str, outcome: str) -> Count:
        return Count("pk", filter=Q(agenda_item__kind=kind, outcome=outcome))

    return decisions.aggregate(
        pre_approved=counted(AgendaKind.PRE_APPROVAL, Outcome.APPROVED),
        rejected=counted(AgendaKind.PRE_APPROVAL, Outcome.REJECTED),
        renegotiate=counted(AgendaKind.PRE_APPROVAL, Outcome.RENEGOTIATE),
        actually_approved=counted(AgendaKind.ACTUAL_APPROVAL, Outcome.APPROVED),
    )


def _breakdown(rows: list[tuple[str, str, Decimal]], key: str, labels: dict) -> list[dict]:
    """Rows ``(value, currency, credits)`` summed per value and currency, each with its
    share of that currency's total, largest first."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for value, currency, credits in rows:
        sums[(value, currency)] += credits
        totals[currency] += credits
    ordered = sorted(sums.items(), key=lambda item: (item[0][1], -item[1], item[0][0]))
    return [
        {
            key: value,
            "label": str(labels.get(value, value)),
            "currency": currency,
            "credits": credits,
            "share": share(credits, totals[currency]),
        }
        for (value, currency), credits in ordered
    ]


def _pre_approved_activities(
    meetings: _Meetings, agency: Organization | None
) -> QuerySet[Activity]:
    """The activities of every case the meetings pre-approved (once per approving
    decision), with their pre-approved credit. The agenda item's conditions sit in one
    ``filter`` so that they, and whatever is read of the item after, are one join."""
    activities = Activity.objects.filter(
        case__agenda_items__meeting__in=meetings,
        case__agenda_items__kind=AgendaKind.PRE_APPROVAL,
        case__agenda_items__decision__outcome=Outcome.APPROVED,
        pre_approved_credits__isnull=False,
    )
    if agency is not None:
        activities = activities.filter(case__agreement__procurement__agency=agency)
    return activities.order_by()


def _defence_share(by_use: list[dict]) -> dict[str, Any]:
    """The share of pre-approved credit on direct or indirect defence use, per currency;
    ``value`` is the share in USD points (the program's unit for its targets) or, with no
    USD-point credit, in NT$ points."""
    per_currency: dict[str, str] = {}
    for currency in PointsCurrency.values:
        rows = [row for row in by_use if row["currency"] == currency]
        total = sum((row["credits"] for row in rows), ZERO)
        if total:
            defence = sum((row["credits"] for row in rows if row["use"] in DEFENCE_USES), ZERO)
            per_currency[currency] = share(defence, total)
    value = per_currency.get(PointsCurrency.USD_PTS) or per_currency.get(PointsCurrency.TWD_PTS)
    return {
        "value": value or "0.0000",
        "by_currency": per_currency,
        "minimum": str(DEFENCE_MINIMUM),
        "target": str(DEFENCE_TARGET),
        "meets_minimum": value is not None and Decimal(value) >= DEFENCE_MINIMUM,
        "meets_target": value is not None and Decimal(value) >= DEFENCE_TARGET,
    }


def _in_execution(period: Period, agency: Organization | None) -> dict[str, Any]:
    """Cases with an open reserve at the period's end (pre-approved and not yet actually
    approved, closed or withdrawn), with their reserved credit per currency."""
    entries = CreditEntry.objects.filter(
        applies_to__in=(EntryKind.RESERVE, EntryKind.RELEASE),
        effective_on__lte=period.end,
        case__isnull=False,
    )
    if agency is not None:
        entries = entries.filter(agreement__procurement__agency=agency)
    signed = DbCase(When(applies_to=EntryKind.RELEASE, then=-F("amount")), default=F("amount"))
    open_reserves = (
        entries.values("case_id", "currency").annotate(total=Sum(signed)).filter(total__gt=0)
    )
    rows = [(row["currency"], row["total"]) for row in open_reserves]
    return {"count": len({row["case_id"] for row in open_reserves}), "credits": _by_currency(rows)}


def _fees(period: Period, agency: Organization | None) -> dict[str, Decimal]:
    """Fees billed in the period (not cancelled), collected in it, and overdue at its end
    (what remains unpaid of open bills due before the end)."""
    return _fees_over([period], agency)[0]


class _Cuts:
    """A few cut days for a date column, so that many date conditions are summed in one
    grouped query: ``bucket`` numbers the gaps between the cuts (the first cut a date
    satisfies: ``(day, False)`` holds the dates before ``day``, ``(day, True)`` those up
    to it, included), and a condition on the date is a comparison of that number."""

    def __init__(self, cuts) -> None:
        # Sorted, each cut's dates include the previous cut's: the first one met decides.
        self.cuts = sorted(set(cuts))

    def bucket(self, field: str) -> DbCase:
        return DbCase(
            *(
                When(**{f"{field}__{'lte' if through else 'lt'}": day}, then=Value(i))
                for i, (day, through) in enumerate(self.cuts)
            ),
            default=Value(len(self.cuts)),
        )

    def before(self, bucket: int, day: date) -> bool:
        """Whether the dates of ``bucket`` are before ``day``."""
        return bucket <= self.cuts.index((day, False))

    def through(self, bucket: int, day: date) -> bool:
        """Whether the dates of ``bucket`` are ``day`` or before it."""
        return bucket <= self.cuts.index((day, True))

    def within(self, bucket: int, period: Period) -> bool:
        return not self.before(bucket, period.start) and self.through(bucket, period.end)


def _fees_over(periods: list[Period], agency: Organization | None) -> list[dict[str, Decimal]]:
    """``_fees`` of each period in three queries, however many periods and bills.

    The bills and the payments are each summed once, grouped by where their dates fall
    among the periods' first and last days, and by the bill's status; each figure is
    then a sum of a few groups. Overdue at the end E is the sum, over the bills due
    before E and neither waived nor cancelled, of max(amount − paid by E, 0): since a
    payment is positive, Σ amount − Σ paid by E, plus what was paid by E beyond the
    amount of a bill paid more than its amount (the service refuses that: the third query
    finds no such bill). A subquery per bill and period read every bill's payments for
    each of the page's seven periods, and grew with the program."""
    bills = Bill.objects.order_by()
    payments = Payment.objects.order_by()
    if agency is not None:
        bills = bills.filter(case__agreement__procurement__agency=agency)
        payments = payments.filter(bill__case__agreement__procurement__agency=agency)
    spans = _Cuts(cut for p in periods for cut in ((p.start, False), (p.end, True)))
    ends = _Cuts((p.end, False) for p in periods)
    closed = (BillStatus.WAIVED, BillStatus.CANCELLED)
    billed_rows = list(
        bills.values_list(ends.bucket("due_on"), spans.bucket("issued_on"), "status").annotate(
            total=Sum("amount_twd")
        )
    )
    paid_rows = list(
        payments.values_list(
            ends.bucket("bill__due_on"), spans.bucket("paid_on"), "bill__status"
        ).annotate(total=Sum("amount_twd"))
    )
    overpaid = (
        bills.exclude(status__in=closed)
        .annotate(paid=Sum("payments__amount_twd"))
        .filter(paid__gt=F("amount_twd"))
        .values("pk")
    )
    beyond: dict[int, list] = defaultdict(list)
    for bill_id, amount, due_on, paid_on, paid_amount in (
        Payment.objects.filter(bill__in=overpaid)
        .order_by()
        .values_list("bill_id", "bill__amount_twd", "bill__due_on", "paid_on", "amount_twd")
    ):
        beyond[bill_id].append((amount, due_on, paid_on, paid_amount))
    result = []
    for period in periods:
        billed = sum(
            (
                total
                for _due, issued, status, total in billed_rows
                if status != BillStatus.CANCELLED and spans.within(issued, period)
            ),
            ZERO,
        )
        collected = sum(
            (total for _due, paid, _s, total in paid_rows if spans.within(paid, period)), ZERO
        )
        late = sum(
            (
                total
                for due, _issued, status, total in billed_rows
                if status not in closed and ends.before(due, period.end)
            ),
            ZERO,
        )
        paid_late = sum(
            (
                total
                for due, paid, status, total in paid_rows
                if status not in closed
                and ends.before(due, period.end)
                and spans.through(paid, period.end)
            ),
            ZERO,
        )
        overdue = late - paid_late
        for rows in beyond.values():
            amount, due_on = rows[0][0], rows[0][1]
            if due_on < period.end:
                paid_by_end = sum((r[3] for r in rows if r[2] <= period.end), ZERO)
                overdue += max(paid_by_end - amount, ZERO)
        result.append({"billed_twd": billed, "collected_twd": collected, "overdue_twd": overdue})
    return result


def _demand_items(period: Period) -> dict[str, int]:
    """Demand items of the rounds closing in the period: filed (submitted), their bands,
    and those published in the period."""
    filed = Q(round__closes_on__gte=period.start, round__closes_on__lte=period.end) & ~Q(
        status=ItemStatus.DRAFT
    )
    published = Q(published=True, published_on__gte=period.start, published_on__lte=period.end)

    def banded(classification: str) -> Count:
        return Count("pk", filter=filed & Q(classification=classification))

    return DemandItem.objects.filter(filed | published).aggregate(
        filed=Count("pk", filter=filed),
        priority=banded(Classification.PRIORITY),
        general=banded(Classification.GENERAL),
        held=banded(Classification.HELD),
        excluded=banded(Classification.EXCLUDED),
        published=Count("pk", filter=published),
    )


def _outcomes(meetings: _Meetings, agency: Organization | None) -> dict[str, Any]:
    """The outcomes recorded at the actual approval of the cases the meetings actually
    approved (domain.md §14)."""
    approved = _decisions(meetings, agency).filter(
        agenda_item__kind=AgendaKind.ACTUAL_APPROVAL, outcome=Outcome.APPROVED
    )
    rows = list(
        CaseOutcome.objects.filter(stage="at_approval", case__agenda_items__decision__in=approved)
        .order_by()
        .distinct()
        .values_list(
            "pk",
            "technologies",
            "investment_twd",
            "orders_twd",
            "added_output_twd",
            "people_trained",
            "jobs",
        )
    )
    technologies = 0
    totals = {"investment_twd": ZERO, "orders_twd": ZERO, "added_output_twd": ZERO}
    people = jobs = 0
    for _pk, introduced, investment, orders, added_output, trained, created in rows:
        technologies += len(introduced)
        totals["investment_twd"] += investment
        totals["orders_twd"] += orders
        totals["added_output_twd"] += added_output
        people += trained
        jobs += created
    return {
        "technologies": technologies,
        **totals,
        "people_trained": people,
        "jobs": jobs,
        "cases": len(rows),
    }


def kpis(*, year: int, outcomes: dict[str, Any]) -> list[dict[str, Any]]:
    """The year's outcomes against its KPI targets (none when the year set none)."""
    target = KpiTarget.objects.filter(year=year).first()
    if target is None:
        return []
    rows = []
    for key, done in (
        ("orders_twd", outcomes["orders_twd"]),
        ("investment_twd", outcomes["investment_twd"]),
        ("added_output_twd", outcomes["added_output_twd"]),
        ("technologies", outcomes["technologies"]),
    ):
        goal = getattr(target, key)
        if goal is None:
            continue
        rows.append(
            {
                "kpi": key,
                "label": capfirst(
                    str(getattr(KpiTarget._meta.get_field(key), "verbose_name", key))
                ),
                "target": goal,
                "done": done,
                "progress": share(Decimal(done), Decimal(goal)),
            }
        )
    return rows


def program_statistics(
    *, period: Period, agency: Organization | None = None, public: bool = False
) -> dict[str, Any]:
    """Every figure of the program for ``period`` (api.md ``/statistics/``), narrowed to
    ``agency``'s purchases when given. ``public`` leaves out the fees (the published
    figures name no recipient and show no fee)."""
    held = list(_meetings(period).order_by("held_on", "id"))
    # The meetings' ids rather than a subquery: their ledger entries and agenda items are
    # then read by index (with a subquery the planner read the whole meeting index).
    meetings = [meeting.pk for meeting in held]
    counts = _decision_counts(_decisions(meetings, agency))
    agreements = Agreement.objects.filter(signed_on__gte=period.start, signed_on__lte=period.end)
    if agency is not None:
        agreements = agreements.filter(procurement__agency=agency)
    signed = list(
        agreements.order_by()
        .values_list("currency")
        .annotate(count=Count("pk"), obligation=Sum("obligation"))
    )
    posted = _posted_sums(meetings, agency)
    # The pre-approved credit summed in the database per everything it is broken down by:
    # a handful of rows, however many activities the period approved.
    credit = list(
        _pre_approved_activities(meetings, agency)
        .values_list(
            "mode",
            "case__field",
            "case__use",
            "case__agreement__procurement__agency_id",
            "case__agreement__currency",
        )
        .annotate(credits=Sum("pre_approved_credits"))
    )

    def rows(column: int) -> list[tuple[str, str, Decimal]]:
        return [(str(row[column]), row[4], row[5]) for row in credit]

    agency_names = {
        str(organization.pk): organization.name
        for organization in Organization.objects.filter(pk__in={row[3] for row in credit})
    }
    by_use = _breakdown(rows(2), "use", dict(CaseUse.choices))
    figures: dict[str, Any] = {
        "start": period.start,
        "end": period.end,
        "agreements_signed": {
            "count": sum(count for _currency, count, _obligation in signed),
            "obligation": _by_currency(
                (currency, obligation) for currency, _count, obligation in signed
            ),
        },
        "pre_approved": {
            "count": counts["pre_approved"],
            "credits": _posted_by_currency(posted, EntryKind.RESERVE),
        },
        "rejected": {"count": counts["rejected"]},
        "renegotiate": {"count": counts["renegotiate"]},
        "actually_approved": {
            "count": counts["actually_approved"],
            "credits": _posted_by_currency(posted, EntryKind.ACTUAL),
        },
        "in_execution": _in_execution(period, agency),
        "by_mode": _breakdown(rows(0), "mode", dict(Mode.choices)),
        "by_field": _breakdown(rows(1), "field", dict(Field.choices)),
        "by_agency": _breakdown(rows(3), "agency", agency_names),
        "by_use": by_use,
        "defence_share": _defence_share(by_use),
        "demand_items": _demand_items(period),
        "outcomes": _outcomes(meetings, agency),
        "meetings": [
            {"id": m.pk, "year": m.year, "number": m.number, "held_on": m.held_on} for m in held
        ],
    }
    if not public:
        figures["fees"] = _fees(period, agency)
    return figures


def year_statistics(
    *, year: int, agency: Organization | None = None, public: bool = False
) -> dict[str, Any]:
    """The figures of a calendar year (api.md ``/statistics/?year=``), with its KPIs."""
    figures = program_statistics(period=Period.year(year), agency=agency, public=public)
    return {"year": year, **figures, "kpis": kpis(year=year, outcomes=figures["outcomes"])}


def program_years() -> list[int]:
    """The years with a promotion-committee meeting or a signed agreement, newest first."""
    meetings = Meeting.objects.filter(kind=MeetingKind.PROMOTION_COMMITTEE).order_by()
    agreements = Agreement.objects.order_by()
    # One query; UNION leaves each year once instead of a row per agreement.
    years = meetings.values_list("held_on__year", flat=True).union(
        agreements.values_list("signed_on__year", flat=True)
    )
    return sorted(set(years), reverse=True)


def meeting_years() -> list[int]:
    """The years with a promotion-committee meeting whose minutes are approved, oldest
    first (the years a series of decisions is drawn over)."""
    return sorted(
        set(
            Meeting.objects.filter(
                kind=MeetingKind.PROMOTION_COMMITTEE, status=MeetingStatus.MINUTES_APPROVED
            ).values_list("held_on__year", flat=True)
        )
    )


def meeting_series(*, period: Period, agency: Organization | None = None) -> list[dict]:
    """Per promotion-committee meeting of the period: pre-approved and actually approved
    credit per currency (the chart of results per meeting) — two queries, however many
    meetings the period holds."""
    meetings = list(_meetings(period).order_by("held_on", "id"))
    sums = _posted_sums([meeting.pk for meeting in meetings], agency)
    return [
        {
            "meeting": meeting,
            "pre_approved": _by_currency(sums[(meeting.pk, EntryKind.RESERVE)]),
            "actually_approved": _by_currency(sums[(meeting.pk, EntryKind.ACTUAL)]),
        }
        for meeting in meetings
    ]


def defence_share_series(*, years: list[int], agency: Organization | None = None) -> list[dict]:
    """The defence share of each year's pre-approved credit (the chart against the 50%
    minimum and the 60% target)."""
    years = sorted(years)
    if not years:
        return []
    meetings = _meetings(Period(Period.year(years[0]).start, Period.year(years[-1]).end))
    # One query for every year: the credit summed per meeting year, use and currency.
    credit = (
        _pre_approved_activities(meetings, agency)
        .values_list(
            ExtractYear("case__agenda_items__meeting__held_on"),
            "case__use",
            "case__agreement__currency",
        )
        .annotate(credits=Sum("pre_approved_credits"))
    )
    per_year: dict[int, list[tuple[str, str, Decimal]]] = defaultdict(list)
    for year, use, currency, credits in credit:
        per_year[year].append((use, currency, credits))
    return [
        {"year": year, **_defence_share(_breakdown(per_year[year], "use", {}))} for year in years
    ]


def statistics_agency(*, user, agency_id: int | None = None) -> Organization | None:
    """Whose figures ``user`` may read (api.md ``/statistics/``): the office any agency's
    or the whole program's (``agency_id`` None); a procuring agency's members only their
    own agency's, whatever they ask; anyone else none (403)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from organizations.choices import OrganizationKind
    from organizations.models import is_office_staff
    from organizations.selectors import user_membership

    if is_office_staff(user):
        if agency_id is None:
            return None
        agency = Organization.objects.filter(
            pk=agency_id, kind=OrganizationKind.PROCURING_AGENCY
        ).first()
        if agency is None:
            raise Http404
        return agency
    membership = user_membership(user=user) if getattr(user, "is_authenticated", False) else None
    if membership and membership.organization.kind == OrganizationKind.PROCURING_AGENCY:
        if agency_id is not None and agency_id != membership.organization_id:
            raise Http404  # another agency's figures: as if it did not exist
        return membership.organization
    raise PermissionDenied


def statistics_for(
    *,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    agency: Organization | None = None,
    public: bool = False,
    years: list[int] | None = None,
) -> dict[str, Any]:
    """The statistics object of api.md for a year (default: the program's latest) or a
    range of days, as the page, the API and the public page all show it. ``years``: the
    program's years (``program_years``) when the caller has already read them."""
    if start is not None and end is not None:
        figures = program_statistics(period=Period(start, end), agency=agency, public=public)
        figures = {"year": None, **figures, "kpis": []}
    else:
        if year is None:
            years = program_years() if years is None else years
            year = years[0] if years else date.today().year
        figures = year_statistics(year=year, agency=agency, public=public)
    return {**figures, "agency": agency.pk if agency else None}


def fee_series(*, years: list[int], agency: Organization | None = None) -> list[dict]:
    """Fees billed, collected and overdue at the end of each year (three queries)."""
    return _fees_over([Period.year(year) for year in years], agency)


def statistics_agencies() -> QuerySet[Organization]:
    """The procuring agencies with a procurement, by name: whose figures the office may
    narrow the page to."""
    return (
        Organization.objects.filter(
            Exists(Procurement.objects.filter(agency=OuterRef("pk"))),
            kind=OrganizationKind.PROCURING_AGENCY,
        )
        .order_by("name_zh")
        .only("name_zh", "name_en")
    )


def published_fingerprint() -> str:
    """What the published figures depend on, in two small queries: the promotion
    committee's approved minutes and the signed agreements. Approving minutes (or signing
    an agreement) changes it, so the cached public figures are recomputed at once, in
    every process, whatever the cache backend."""
    from django.db.models import Count, Max

    minutes = Meeting.objects.filter(
        kind=MeetingKind.PROMOTION_COMMITTEE, status=MeetingStatus.MINUTES_APPROVED
    ).aggregate(n=Count("id"), last=Max("minutes_approved_on"), top=Max("id"))
    signed = Agreement.objects.aggregate(n=Count("id"), top=Max("id"))
    return f"{minutes['n']}.{minutes['last']}.{minutes['top']}.{signed['n']}.{signed['top']}"


PUBLIC_CACHE_SECONDS = 24 * 3600


def public_statistics(*, year: int | None = None, language: str = "") -> dict[str, Any]:
    """The published figures of a year (api.md ``/public/statistics/``), cached until the
    next approved minutes or signed agreement (see ``published_fingerprint``)."""
    from django.core.cache import cache

    key = f"public-statistics:{year}:{language}:{published_fingerprint()}"
    return cache.get_or_set(  # type: ignore[return-value]
        key, lambda: statistics_for(year=year, public=True), PUBLIC_CACHE_SECONDS
    )


# --- The year-end report's targets against what was done (domain.md §9) ---------------


def _records(measure: str, period: Period) -> tuple[Decimal, list[tuple[date, str]]]:
    """What counts toward ``measure`` in the period: the figure and the records behind it
    (date and title), so the report lists each line's items by date."""
    from reports.models import ActivityKind, Measure, OfficeActivity

    def meetings(kind: str):
        rows = (
            Meeting.objects.filter(kind=kind, held_on__gte=period.start, held_on__lte=period.end)
            .exclude(status=MeetingStatus.PLANNED)
            .order_by("held_on", "id")
        )
        items = [
            (m.held_on, m.title or f"{m.get_kind_display()} {m.year} #{m.number}") for m in rows
        ]
        return Decimal(len(items)), items

    def activities(kind: str):
        rows = OfficeActivity.objects.filter(
            kind=kind, held_on__gte=period.start, held_on__lte=period.end
        ).order_by("held_on", "id")
        items = [
            (a.held_on, f"{a.title}" + (f"（{a.firms}家／{a.people}人）" if a.people else ""))
            for a in rows
        ]
        return Decimal(len(items)), items

    signed = Agreement.objects.filter(
        signed_on__gte=period.start, signed_on__lte=period.end
    ).order_by("signed_on", "id")
    if measure == Measure.DEMAND_PANELS:
        return meetings(MeetingKind.DEMAND_PANEL)
    if measure == Measure.SUBCOMMITTEES:
        return meetings(MeetingKind.SUBCOMMITTEE)
    if measure == Measure.PROMOTION:
        return meetings(MeetingKind.PROMOTION_COMMITTEE)
    if measure == Measure.DATABASE_UPDATES:
        published = DemandItem.objects.filter(
            published=True, published_on__gte=period.start, published_on__lte=period.end
        ).values_list("published_on", flat=True)
        days = sorted({day for day in published if day is not None})
        return Decimal(len(days)), [(day, "需求項目資料庫更新 database update") for day in days]
    if measure == Measure.PUBLICITY:
        return activities(ActivityKind.PUBLICITY)
    if measure == Measure.BRIEFINGS:
        return activities(ActivityKind.BRIEFING)
    if measure == Measure.NEGOTIATIONS:
        # The log's entries and the pipeline's negotiation meetings (domain.md §12).
        _logged, items = activities(ActivityKind.NEGOTIATION)
        held = NegotiationMeeting.objects.filter(
            held_on__gte=period.start, held_on__lte=period.end
        ).select_related("procurement")
        items += [(n.held_on, f"{n.procurement.title_zh}：{n.counterpart}") for n in held]
        return Decimal(len(items)), sorted(items, key=lambda item: item[0])
    if measure == Measure.SURVEYS:
        return activities(ActivityKind.SURVEY)
    if measure == Measure.AGREEMENTS:
        items = [
            (a.signed_on, f"{a.number} {a.procurement.title_zh}")
            for a in signed.select_related("procurement")
        ]
        return Decimal(len(items)), items
    if measure == Measure.AGREEMENT_CREDITS:
        usd = signed.filter(currency=PointsCurrency.USD_PTS)
        total = sum((a.obligation for a in usd), Decimal("0.00"))
        return total, [(a.signed_on, f"{a.number} {a.obligation:,.2f}") for a in usd]
    meetings_held = _meetings(period)
    if measure == Measure.APPROVED_CREDITS:
        entries = CreditEntry.objects.filter(
            kind__in=(EntryKind.RESERVE, EntryKind.ACTUAL),
            meeting__in=meetings_held,
            currency=PointsCurrency.USD_PTS,
        )
        total = entries.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        items = [
            (m.held_on, f"{m.year} #{m.number}") for m in meetings_held.order_by("held_on", "id")
        ]
        return total, items
    if measure == Measure.CASES:
        decisions = (
            _decisions(meetings_held, None)
            .filter(
                Q(agenda_item__kind=AgendaKind.PRE_APPROVAL)
                | Q(agenda_item__kind=AgendaKind.ACTUAL_APPROVAL),
                outcome=Outcome.APPROVED,
            )
            .select_related("agenda_item__case", "agenda_item__meeting")
        )
        items = [
            (
                d.agenda_item.meeting.held_on,
                f"{d.agenda_item.case.number if d.agenda_item.case else ''} "
                f"{d.agenda_item.get_kind_display()}",
            )
            for d in decisions.order_by("agenda_item__meeting__held_on", "agenda_item_id")
        ]
        return Decimal(len(items)), items
    outcomes = _outcomes(meetings_held, None)
    if measure == Measure.BUSINESS:
        total = outcomes["orders_twd"] + outcomes["investment_twd"] + outcomes["added_output_twd"]
        return Decimal(total), []
    if measure == Measure.INVESTMENT:
        return Decimal(outcomes["investment_twd"]), []
    raise ValueError(f"Unknown measure {measure}")


def targets_against_done(*, year: int) -> list[dict[str, Any]]:
    """The year-end report's opening table: each line of the year's work plan with its
    target (as entered) and what was done, counted from the year's records and listed by
    date (domain.md §9). Lines without a target are listed too, with what was done."""
    from reports.models import AnnualTarget, Measure

    period = Period.year(year)
    targets = dict(AnnualTarget.objects.filter(year=year).values_list("measure", "target"))
    rows = []
    for measure, label in Measure.choices:
        done, items = _records(measure, period)
        target = targets.get(measure)
        rows.append(
            {
                "measure": measure,
                "label": str(label),
                "target": target,
                "done": done,
                "met": None if target is None else done >= target,
                "items": items,
            }
        )
    return rows


def meeting_results(*, meeting: Meeting) -> dict[str, Any]:
    """A meeting's published results (domain.md §4): per kind and outcome, the number of
    cases and the credit per currency the minutes posted, and every decision."""
    decisions = list(
        Decision.objects.filter(agenda_item__meeting=meeting)
        .select_related("agenda_item__case__agreement__contractor", "agenda_item__demand_item")
        .order_by("agenda_item_id")
    )
    posted = _posted_sums([meeting.pk], None)
    lines = []
    seen: dict[tuple[str, str], int] = {}
    for decision in decisions:
        key = (decision.agenda_item.kind, decision.outcome)
        seen[key] = seen.get(key, 0) + 1
    for (kind, outcome), count in seen.items():
        lines.append(
            {
                "kind": AgendaKind(kind).label,
                "outcome": Outcome(outcome).label,
                "count": count,
            }
        )
    return {
        "decisions": decisions,
        "lines": lines,
        "pre_approved": _posted_by_currency(posted, EntryKind.RESERVE),
        "actually_approved": _posted_by_currency(posted, EntryKind.ACTUAL),
    }


def activity_list(*, user, year: int | None = None) -> QuerySet:
    """The office's activity log, newest first: its working papers (403 for anybody
    else, on the page and in the API alike)."""
    from django.core.exceptions import PermissionDenied

    from organizations.models import is_office_staff
    from reports.models import OfficeActivity

    if not is_office_staff(user):
        raise PermissionDenied
    rows = OfficeActivity.objects.order_by("-held_on", "-id")
    return rows.filter(held_on__year=year) if year else rows


def report_jobs(*, user) -> QuerySet:
    """The report jobs ``user`` asked for (the office also the portal's own), newest first."""
    from reports.models import ReportJob

    return ReportJob.objects.visible_to(user).order_by("-created_at", "-id")


def case_letters(*, case, user) -> QuerySet:
    """The decision letters of a case ``user`` may read: the office and the contractor's
    own members (the letters are addressed to it); nobody else."""
    from cases.models import Case
    from organizations.models import is_office_staff
    from organizations.selectors import user_membership
    from reports.models import DecisionLetter

    letters = DecisionLetter.objects.filter(case=case).select_related("meeting", "decision")
    if is_office_staff(user):
        return letters.order_by("issued_on", "id")
    membership = user_membership(user=user) if getattr(user, "is_authenticated", False) else None
    if (
        membership is not None
        and Case.objects.filter(
            pk=case.pk, agreement__contractor_id=membership.organization_id
        ).exists()
    ):
        return letters.order_by("issued_on", "id")
    return letters.none()
