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
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils.text import capfirst

from agreements.choices import DEFENCE_USES, CaseUse, EntryKind, Mode, PointsCurrency
from agreements.models import Agreement, CreditEntry, NegotiationMeeting
from cases.models import Activity, CaseOutcome
from committee.choices import AgendaKind, MeetingKind, MeetingStatus, Outcome
from committee.models import Decision, Meeting
from demand_items.choices import Classification, ItemStatus
from demand_items.models import DemandItem
from feedback.choices import BillStatus
from feedback.models import Bill, Payment
from organizations.choices import Field
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


def _meetings(period: Period) -> QuerySet[Meeting]:
    """The promotion-committee meetings held in the period whose minutes are approved."""
    return Meeting.objects.filter(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        status=MeetingStatus.MINUTES_APPROVED,
        held_on__gte=period.start,
        held_on__lte=period.end,
    )


def _posted(kind: str, meetings: QuerySet[Meeting], agency: Organization | None):
    """Ledger entries of ``kind`` the meetings' minutes posted, net of their reversals."""
    entries = CreditEntry.objects.filter(
        Q(kind=kind, meeting__in=meetings)
        | Q(kind=EntryKind.REVERSAL, reverses__kind=kind, reverses__meeting__in=meetings)
    )
    if agency is not None:
        entries = entries.filter(agreement__procurement__agency=agency)
    return entries


def _decisions(meetings: QuerySet[Meeting], agency: Organization | None) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(agenda_item__meeting__in=meetings)
    if agency is not None:
        decisions = decisions.filter(agenda_item__case__agreement__procurement__agency=agency)
    return decisions


def _count(decisions: QuerySet[Decision], kind: str, outcome: str) -> int:
    return decisions.filter(agenda_item__kind=kind, outcome=outcome).count()


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


def _pre_approved_activities(meetings: QuerySet[Meeting], agency: Organization | None):
    """(activity, currency) of every case the meetings pre-approved, with its credits."""
    cases = _decisions(meetings, agency).filter(
        agenda_item__kind=AgendaKind.PRE_APPROVAL, outcome=Outcome.APPROVED
    )
    return (
        Activity.objects.filter(case__agenda_items__decision__in=cases)
        .exclude(pre_approved_credits=None)
        .select_related("case__agreement__procurement__agency")
    )


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
    bills = Bill.objects.all()
    payments = Payment.objects.all()
    if agency is not None:
        bills = bills.filter(case__agreement__procurement__agency=agency)
        payments = payments.filter(bill__case__agreement__procurement__agency=agency)
    billed = (
        bills.filter(issued_on__gte=period.start, issued_on__lte=period.end)
        .exclude(status=BillStatus.CANCELLED)
        .aggregate(total=Sum("amount_twd"))["total"]
    )
    collected = payments.filter(paid_on__gte=period.start, paid_on__lte=period.end).aggregate(
        total=Sum("amount_twd")
    )["total"]
    # Unpaid at the end: the amount less what was paid by then, of bills due before it.
    late = bills.filter(due_on__lt=period.end).exclude(
        status__in=(BillStatus.WAIVED, BillStatus.CANCELLED)
    )
    # Summed in the database: a loop over the bills grew with the program (7 periods a page).
    paid_by_end = (
        Payment.objects.filter(bill=OuterRef("pk"), paid_on__lte=period.end)
        .order_by()
        .values("bill")
        .annotate(total=Sum("amount_twd"))
        .values("total")
    )
    unpaid = F("amount_twd") - Coalesce(Subquery(paid_by_end), Value(ZERO))
    overdue = (
        late.order_by()
        .annotate(unpaid=Greatest(unpaid, Value(ZERO)))
        .aggregate(total=Sum("unpaid"))["total"]
        or ZERO
    )
    return {
        "billed_twd": billed or ZERO,
        "collected_twd": collected or ZERO,
        "overdue_twd": overdue,
    }


def _demand_items(period: Period) -> dict[str, int]:
    """Demand items of the rounds closing in the period: filed (submitted), their bands,
    and those published in the period."""
    items = DemandItem.objects.filter(
        round__closes_on__gte=period.start, round__closes_on__lte=period.end
    ).exclude(status=ItemStatus.DRAFT)
    return {
        "filed": items.count(),
        "priority": items.filter(classification=Classification.PRIORITY).count(),
        "general": items.filter(classification=Classification.GENERAL).count(),
        "held": items.filter(classification=Classification.HELD).count(),
        "excluded": items.filter(classification=Classification.EXCLUDED).count(),
        "published": DemandItem.objects.filter(
            published=True, published_on__gte=period.start, published_on__lte=period.end
        ).count(),
    }


def _outcomes(meetings: QuerySet[Meeting], agency: Organization | None) -> dict[str, Any]:
    """The outcomes recorded at the actual approval of the cases the meetings actually
    approved (domain.md §14)."""
    approved = _decisions(meetings, agency).filter(
        agenda_item__kind=AgendaKind.ACTUAL_APPROVAL, outcome=Outcome.APPROVED
    )
    rows = CaseOutcome.objects.filter(
        stage="at_approval", case__agenda_items__decision__in=approved
    ).distinct()
    technologies = 0
    totals = {"investment_twd": ZERO, "orders_twd": ZERO, "added_output_twd": ZERO}
    people = jobs = 0
    for outcome in rows:
        technologies += len(outcome.technologies)
        for name in totals:
            totals[name] += getattr(outcome, name)
        people += outcome.people_trained
        jobs += outcome.jobs
    return {
        "technologies": technologies,
        **totals,
        "people_trained": people,
        "jobs": jobs,
        "cases": rows.count(),
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
    meetings = _meetings(period)
    decisions = _decisions(meetings, agency)
    agreements = Agreement.objects.filter(signed_on__gte=period.start, signed_on__lte=period.end)
    if agency is not None:
        agreements = agreements.filter(procurement__agency=agency)
    activities = list(_pre_approved_activities(meetings, agency))

    def rows(attribute) -> list[tuple[str, str, Decimal]]:
        return [
            (attribute(a), a.case.agreement.currency, a.pre_approved_credits or ZERO)
            for a in activities
        ]

    agencies = {a.case.agreement.procurement.agency_id: a for a in activities}
    agency_names = {
        str(pk): activity.case.agreement.procurement.agency.name
        for pk, activity in agencies.items()
    }
    by_use = _breakdown(rows(lambda a: a.case.use), "use", dict(CaseUse.choices))
    figures: dict[str, Any] = {
        "start": period.start,
        "end": period.end,
        "agreements_signed": {
            "count": agreements.count(),
            "obligation": _by_currency(agreements.values_list("currency", "obligation")),
        },
        "pre_approved": {
            "count": _count(decisions, AgendaKind.PRE_APPROVAL, Outcome.APPROVED),
            "credits": _by_currency(
                _posted(EntryKind.RESERVE, meetings, agency).values_list("currency", "amount")
            ),
        },
        "rejected": {"count": _count(decisions, AgendaKind.PRE_APPROVAL, Outcome.REJECTED)},
        "renegotiate": {"count": _count(decisions, AgendaKind.PRE_APPROVAL, Outcome.RENEGOTIATE)},
        "actually_approved": {
            "count": _count(decisions, AgendaKind.ACTUAL_APPROVAL, Outcome.APPROVED),
            "credits": _by_currency(
                _posted(EntryKind.ACTUAL, meetings, agency).values_list("currency", "amount")
            ),
        },
        "in_execution": _in_execution(period, agency),
        "by_mode": _breakdown(rows(lambda a: a.mode), "mode", dict(Mode.choices)),
        "by_field": _breakdown(rows(lambda a: a.case.field), "field", dict(Field.choices)),
        "by_agency": _breakdown(
            rows(lambda a: str(a.case.agreement.procurement.agency_id)), "agency", agency_names
        ),
        "by_use": by_use,
        "defence_share": _defence_share(by_use),
        "demand_items": _demand_items(period),
        "outcomes": _outcomes(meetings, agency),
        "meetings": [
            {"id": m.pk, "year": m.year, "number": m.number, "held_on": m.held_on}
            for m in meetings.order_by("held_on", "id")
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
    years = set(
        Meeting.objects.filter(kind=MeetingKind.PROMOTION_COMMITTEE).values_list(
            "held_on__year", flat=True
        )
    ) | set(Agreement.objects.values_list("signed_on__year", flat=True))
    return sorted(years, reverse=True)


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
    credit per currency (the chart of results per meeting) — two grouped queries, however
    many meetings the period holds."""
    meetings = list(_meetings(period).order_by("held_on", "id"))
    kinds = (EntryKind.RESERVE, EntryKind.ACTUAL)
    posted = CreditEntry.objects.filter(kind__in=kinds, meeting__in=meetings)
    reversed_ = CreditEntry.objects.filter(
        kind=EntryKind.REVERSAL, reverses__kind__in=kinds, reverses__meeting__in=meetings
    )
    if agency is not None:
        posted = posted.filter(agreement__procurement__agency=agency)
        reversed_ = reversed_.filter(agreement__procurement__agency=agency)
    sums: dict[tuple[int, str], list] = defaultdict(list)
    for row in posted.values("meeting_id", "kind", "currency").annotate(total=Sum("amount")):
        sums[(row["meeting_id"], row["kind"])].append((row["currency"], row["total"]))
    cancelled = reversed_.values_list("reverses__meeting_id", "reverses__kind", "currency")
    for meeting_id, kind, currency, total in cancelled.annotate(total=Sum("amount")):
        sums[(meeting_id, kind)].append((currency, total))
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
    series = []
    for year in sorted(years):
        meetings = _meetings(Period.year(year))
        activities = list(_pre_approved_activities(meetings, agency))
        rows = [
            (a.case.use, a.case.agreement.currency, a.pre_approved_credits or ZERO)
            for a in activities
        ]
        series.append({"year": year, **_defence_share(_breakdown(rows, "use", {}))})
    return series


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
) -> dict[str, Any]:
    """The statistics object of api.md for a year (default: the program's latest) or a
    range of days, as the page, the API and the public page all show it."""
    if start is not None and end is not None:
        figures = program_statistics(period=Period(start, end), agency=agency, public=public)
        figures = {"year": None, **figures, "kpis": []}
    else:
        if year is None:
            years = program_years()
            year = years[0] if years else date.today().year
        figures = year_statistics(year=year, agency=agency, public=public)
    return {**figures, "agency": agency.pk if agency else None}


def fee_series(*, years: list[int], agency: Organization | None = None) -> list[dict]:
    """Fees billed, collected and overdue at the end of each year."""
    return [_fees(Period.year(year), agency) for year in years]


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
    one = Meeting.objects.filter(pk=meeting.pk)
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
        "pre_approved": _by_currency(
            _posted(EntryKind.RESERVE, one, None).values_list("currency", "amount")
        ),
        "actually_approved": _by_currency(
            _posted(EntryKind.ACTUAL, one, None).values_list("currency", "amount")
        ),
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
