"""Reads of cases: visibility, the work queue, the computed checklist, the case's ledger
effect and its timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractQuarter,
    ExtractYear,
    Greatest,
    Least,
)
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import selectors as agreement_selectors
from agreements.choices import EntryKind, Mode
from agreements.models import CreditEntry
from cases.choices import CaseStatus, ChecklistResult, DocumentKind, OutcomeStage
from cases.filtersets import CaseFilterSet
from cases.models import Activity, Case, ProgressReport, progress_report_due_on
from icp_portal.lib.texts import LocalizedText, localized
from organizations.models import AuditEvent
from organizations.selectors import events_of, timeline

if TYPE_CHECKING:
    from organizations.selectors import TimelineRow

# The basic requirements checklist (基本要件檢視表), domain.md §4 step 2. Items the
# portal computes, and items a person confirms.
COMPUTED = {
    "commitments": _("Commitments attached (fee; export control for technology transfer)"),
    "no_bad_record": _("Contractor has no bad record"),
    "matches_plan": _("Activities match the agreement's ICP plan"),
    "fits_available": _("Requested credits fit in the agreement's available credit"),
    "briefing_after_contract": _("Briefing held after the procurement contract was signed"),
}
CONFIRMED = {
    "forms_complete": _("Forms complete and in format"),
    "chosen_publicly": _("Domestic recipients chosen publicly"),
}
CHECKLIST_CODES = {**COMPUTED, **CONFIRMED}


def case_list(*, user, filters: dict | None = None) -> QuerySet[Case]:
    """Visible cases through the shared filters, with what lists show."""
    queryset = Case.objects.visible_to(user).select_related(
        "agreement", "agreement__contractor", "assignee"
    )
    return CaseFilterSet(filters or {}, queryset=queryset, user=user).qs


def case_open_reserve(*, case: Case) -> Decimal:
    """What the case still holds reserved on its agreement (預核保留): reserves − releases."""
    sums = case.ledger_entries.aggregate(
        reserved=Sum("amount", filter=Q(applies_to=EntryKind.RESERVE)),
        released=Sum("amount", filter=Q(applies_to=EntryKind.RELEASE)),
    )
    return (sums["reserved"] or Decimal("0.00")) - (sums["released"] or Decimal("0.00"))


def checklist(*, case: Case) -> list[dict]:
    """The case's basic requirements checklist (基本要件檢視表): each item with pass / fail /
    unknown; a person's confirmation overrides."""
    agreement = case.agreement
    activities = list(case.activities.select_related("recipient"))
    requested = sum((a.requested_credits for a in activities), Decimal("0.00"))
    plan_modes = set(agreement.plan_items.values_list("mode", flat=True))
    briefings = list(agreement.briefings.values_list("held_on", flat=True))
    contract_signed = agreement.procurement.contract_signed_on

    def verdict(ok: bool | None) -> str:
        if ok is None:
            return ChecklistResult.UNKNOWN
        return ChecklistResult.PASS if ok else ChecklistResult.FAIL

    computed = {
        "commitments": verdict(
            not [m for m in missing_documents(case=case) if m not in _basic_documents()]
        ),
        "no_bad_record": verdict(not agreement.contractor.bad_record),
        "matches_plan": verdict(
            (case.plan_item_id is not None)
            or (bool(plan_modes) and all(a.mode in plan_modes for a in activities))
            if activities
            else None
        ),
        # Once reserved, the reserve rule has held at pre-approval; before, compare now.
        "fits_available": verdict(
            case.ledger_entries.filter(applies_to=EntryKind.RESERVE).exists()
            or requested
            <= agreement_selectors.agreement_balance(agreement=agreement, as_of=date.max).available
        ),
        "briefing_after_contract": verdict(
            any(held >= contract_signed for held in briefings) if briefings else False
        ),
    }
    confirmations = {c.code: c for c in case.checklist_confirmations.select_related("confirmed_by")}
    items = []
    for code, label in CHECKLIST_CODES.items():
        confirmation = confirmations.get(code)
        result = computed.get(code, ChecklistResult.UNKNOWN)
        if confirmation is not None:
            result = confirmation.result
        items.append(
            {
                "code": code,
                "label": str(label),
                "result": result,
                "computed": code in computed,
                "confirmed_by": confirmation.confirmed_by.display_name if confirmation else None,
            }
        )
    return items


def missing_documents(*, case: Case) -> list[str]:
    """What must be attached before submitting (送件): application and plan; each profit-making
    recipient's fee commitment; each technology transfer's export-control commitment."""
    kinds = set(case.documents.values_list("kind", "activity_id"))
    present = {kind for kind, _activity in kinds}
    missing = []
    for kind in (DocumentKind.APPLICATION, DocumentKind.PLAN):
        if kind not in present:
            missing.append(str(DocumentKind(kind).label))
    for activity in case.activities.select_related("recipient"):
        if (
            activity.recipient.profit_making
            and (DocumentKind.FEE_COMMITMENT, activity.pk) not in kinds
        ):
            missing.append(
                gettext("fee commitment of %(recipient)s") % {"recipient": activity.recipient.name}
            )
        if (
            activity.mode == Mode.TECHNOLOGY_TRANSFER
            and (DocumentKind.EXPORT_CONTROL_COMMITMENT, activity.pk) not in kinds
        ):
            missing.append(
                gettext("export control commitment of %(recipient)s")
                % {"recipient": activity.recipient.name}
            )
    return missing


def _basic_documents() -> set[str]:
    return {str(DocumentKind(k).label) for k in (DocumentKind.APPLICATION, DocumentKind.PLAN)}


def case_events(*, case: Case) -> QuerySet[AuditEvent]:
    """The case's timeline (歷程): every event with who, when, from → to and the note."""
    return events_of(target=case)


def case_timeline(*, case: Case) -> list[TimelineRow]:
    """The case's timeline as its page shows it, the office's texts for the contractor in
    the reader's language: an event whose note is the office's request, its initial review
    opinion or a committee decision's note (the services write the Chinese text there) shows
    that text localized, "(in Chinese)" where no English was written. The events themselves
    are kept as written."""
    shown: dict[str, LocalizedText] = {}

    def add(chinese: str, english: str) -> None:
        if chinese.strip():
            shown[chinese] = localized(chinese, english)

    add(case.office_request, case.office_request_en)
    add(case.initial_review_opinion, case.initial_review_opinion_en)
    # The committee's decisions (reverse relations: cases do not import committee).
    for item in case.agenda_items.filter(decision__isnull=False).select_related("decision"):
        decision = item.decision
        add(decision.note, decision.note_en)
        if decision.new_ends_on is not None and decision.note:
            # An extension's event says "<note> → <new end date>".
            end = decision.new_ends_on.isoformat()
            english = f"{decision.note_en} → {end}" if decision.note_en else ""
            add(f"{decision.note} → {end}", english)
    # The meetings the case went to: an agenda event's note is "#<meeting id>".
    meetings = {
        f"#{item.meeting_id}": str(item.meeting)
        for item in case.agenda_items.select_related("meeting")
    }
    rows = timeline(target=case)
    for event, *_labels in rows:
        # In memory only: events are append-only.
        if event.note in shown:
            event.note = shown[event.note]
        elif event.note in meetings:
            event.note = meetings[event.note]
        elif event.action == "case.checklist" and "=" in event.note:
            event.note = _checklist_note(event.note)
        elif event.action in ("case.outcome", "case.outcome_reminder") and event.note:
            stage, _space, day = event.note.partition(" ")
            event.note = f"{dict(OutcomeStage.choices).get(stage, stage)} {day}".strip()
        elif event.action in OFFICE_NOTE_ACTIONS:
            # The office's own words, written once in Chinese: marked for English readers.
            event.note = localized(event.note, "")
    return rows


# Events whose note is free text the office wrote (no English version is kept for them).
OFFICE_NOTE_ACTIONS = {
    "case.subcommittee_pass",
    "case.subcommittee_supplement",
    "case.subcommittee_return",
    "case.withdraw",
}


def _checklist_note(note: str) -> str:
    """A checklist confirmation's "code=result" as people read it: the item and its result."""
    code, result = note.split("=", 1)
    result_label = dict(ChecklistResult.choices).get(result, result)
    return f"{CHECKLIST_CODES.get(code, code)}: {result_label}"


def case_latest_decision(*, case: Case):
    """The committee's latest applied decision on the case (its minutes approved), or None:
    what a contractor reads first on a rejected or renegotiated case — and why."""
    item = (
        case.agenda_items.filter(decision__isnull=False, meeting__minutes_approved_on__isnull=False)
        .select_related("decision", "meeting")
        .order_by("-meeting__minutes_approved_on", "-id")
        .first()
    )
    return item.decision if item is not None else None


def case_ledger(*, case: Case) -> QuerySet[CreditEntry]:
    """The ledger entries (帳務分錄) the case wrote on its agreement, in effective order."""
    return case.ledger_entries.select_related("meeting", "created_by").order_by(
        "effective_on", "id"
    )


def progress_report_status(*, case: Case, today: date | None = None) -> list[dict]:
    """Each quarter of the case's schedule so far with its progress report (進度報告): due
    date, filed or not, overdue or not. The schedule's one definition: ``reports_owed``
    counts the same quarters in the database (tests/cases/test_reports_due.py)."""
    today = today or timezone.localdate()
    filed = {(r.year, r.quarter): r for r in case.progress_reports.all()}
    rows = []
    year, quarter = case.starts_on.year, (case.starts_on.month - 1) // 3 + 1
    while date(year, 3 * quarter - 2, 1) <= min(today, case.ends_on):
        due = progress_report_due_on(year, quarter)
        report = filed.get((year, quarter))
        rows.append(
            {
                "year": year,
                "quarter": quarter,
                "due_on": due,
                "report": report,
                "overdue": report is None and today > due,
            }
        )
        quarter += 1
        if quarter == 5:
            year, quarter = year + 1, 1
    return rows


# A report due within this many days is shown as coming.
REPORT_SOON_DAYS = 15
# The statuses in which a case owes quarterly reports.
EXECUTING = (CaseStatus.PRE_APPROVED, CaseStatus.IN_EXECUTION)


def reports_due(*, cases: QuerySet[Case], today: date) -> tuple[list[dict], list[dict]]:
    """The quarterly progress reports not filed among ``cases`` executing: those overdue and
    those due within ``REPORT_SOON_DAYS``, each ``{case, year, quarter, due_on, …}`` by due
    date. Two queries (the cases, their reports), but every case walked in Python: for a
    contractor's own cases. Over the program, ``reports_owed`` counts in the database."""
    executing = (
        cases.filter(status__in=EXECUTING).prefetch_related("progress_reports").order_by("number")
    )
    overdue, coming = [], []
    for case in executing:
        for row in progress_report_status(case=case, today=today):
            if row["report"] is not None:
                continue
            line = {"case": case, **row}
            if row["overdue"]:
                overdue.append(line)
            elif (row["due_on"] - today).days <= REPORT_SOON_DAYS:
                coming.append(line)

    def by_due(line: dict) -> tuple:
        return line["due_on"], line["case"].number

    return sorted(overdue, key=by_due), sorted(coming, key=by_due)


# --- The same schedule counted in the database ----------------------------------------------
# A quarter is numbered year × 4 + quarter − 1, so that consecutive quarters have
# consecutive numbers. ``progress_report_status`` walks a case's quarters from the quarter
# of its start while the quarter's first day is on or before min(today, its end): the
# numbers [number(starts_on), min(number(ends_on), number(today))]. Due dates rise with the
# number, so the quarters overdue today are those up to the last one due before today, and
# those coming the ones after it up to the last one due within ``REPORT_SOON_DAYS``: two
# windows known from today alone, each ending on number(today) at the latest (a quarter's
# report is due after the quarter ends), which leaves number(today) out of the sums.


def quarter_number(year: int, quarter: int) -> int:
    """The quarter's place in a count of quarters: consecutive quarters, consecutive
    numbers."""
    return year * 4 + quarter - 1


def _last_quarter_due_by(day: date) -> int:
    """The number of the last quarter whose report is due on or before ``day``."""
    # The quarter of ``day`` ends on or after it: its report is due later.
    number = quarter_number(day.year, (day.month - 1) // 3 + 1) - 1
    while progress_report_due_on(number // 4, number % 4 + 1) > day:
        number -= 1
    return number


class _OfTheCase(Func):
    """An expression of the case's own columns in a query grouped by case, grouped by
    those columns (by the case alone, on PostgreSQL): computed once per case, where an
    expression in the GROUP BY would be computed once per report joined."""

    template = "%(expressions)s"
    output_field = IntegerField()

    def get_group_by_cols(self):
        return [col for col in self.flatten() if isinstance(col, Col)]


def _quarter_of(date_field: str | OuterRef):
    # Each part cast: PostgreSQL's EXTRACT gives a numeric, slower to add than integers.
    year = Cast(ExtractYear(date_field), IntegerField())
    quarter = Cast(ExtractQuarter(date_field), IntegerField())
    return year * 4 + quarter - 1


def _schedule_within(window: tuple[int | None, int], column: Callable) -> tuple:
    """The first and last quarters of the case's schedule within ``window`` (quarter
    numbers, the first open if None), from the case's ``column("starts_on")`` and
    ``column("ends_on")``; the first after the last where none is."""
    after, up_to = window
    first = _quarter_of(column("starts_on"))
    if after is not None:
        first = Greatest(first, Value(after + 1))
    return first, Least(_quarter_of(column("ends_on")), Value(up_to))


def reports_owed(*, cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """``cases`` executing, each with ``reports_overdue`` (the quarters of its schedule due
    before ``today`` without a report) and ``reports_coming`` (those due from ``today`` to
    ``REPORT_SOON_DAYS`` later, not filed yet): the figures of ``progress_report_status``
    counted by the database, in one query grouped by case (give it cases without joins)."""
    overdue_up_to = _last_quarter_due_by(today - timedelta(days=1))
    coming_up_to = _last_quarter_due_by(today + timedelta(days=REPORT_SOON_DAYS))
    # Per report joined, only sums and comparisons with the windows' constants. A report
    # is filed for a quarter of the schedule, so a case's reports lie within it and those
    # in a window are the ones filed for its quarters there. Where one lies outside (the
    # dates changed since), the case's reports are counted by a query of their own, which
    # the database runs for such a case only.
    number = F("progress_reports__year") * 4 + F("progress_reports__quarter") - 1
    starts, ends = _OfTheCase(_quarter_of("starts_on")), _OfTheCase(_quarter_of("ends_on"))
    # (No report first: then the case's quarters are not computed for it.)
    inside = Q(Exact(Count("progress_reports"), 0)) | Q(
        GreaterThanOrEqual(Min(number), starts), LessThanOrEqual(Max(number), ends)
    )

    def owed(window: tuple[int | None, int]):
        first, last = _schedule_within(window, str)
        outer_first, outer_last = _schedule_within(window, OuterRef)
        after, up_to = window
        in_window = Q(LessThanOrEqual(number, up_to))
        if after is not None:
            in_window &= Q(GreaterThan(number, after))
        exactly = (
            ProgressReport.objects.filter(case=OuterRef("pk"))
            .alias(number=F("year") * 4 + F("quarter") - 1)
            .filter(
                GreaterThanOrEqual(F("number"), outer_first),
                LessThanOrEqual(F("number"), outer_last),
            )
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n")
        )
        filed = CaseWhen(
            When(inside, then=Count("progress_reports", filter=in_window)),
            default=_OfTheCase(Coalesce(Subquery(exactly), 0)),
        )
        return _OfTheCase(Greatest(last - first + 1, Value(0))) - filed

    return (
        cases.filter(status__in=EXECUTING)
        .order_by()
        .annotate(
            reports_overdue=owed((None, overdue_up_to)),
            reports_coming=owed((overdue_up_to, coming_up_to)),
        )
    )


def reports_due_counts(*, cases: QuerySet[Case], today: date) -> dict[str, int]:
    """How many quarterly reports are overdue and coming among ``cases``, and on how many
    cases (``overdue``, ``overdue_cases``, ``coming``, ``coming_cases``): one query."""
    counts = reports_owed(cases=cases, today=today).aggregate(
        overdue=Sum("reports_overdue"),
        overdue_cases=Count("pk", filter=Q(reports_overdue__gt=0)),
        coming=Sum("reports_coming"),
        coming_cases=Count("pk", filter=Q(reports_coming__gt=0)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def cases_owing_reports(*, today: date, overdue: bool) -> QuerySet[Case, int]:
    """The ids of the cases with a report overdue (or, ``overdue=False``, coming): a
    subquery to keep a queryset of cases by (``pk__in``)."""
    owing = Q(reports_overdue__gt=0) if overdue else Q(reports_coming__gt=0)
    owed = reports_owed(cases=Case.objects.all(), today=today)
    return owed.filter(owing).values_list("pk", flat=True)


def technology_transfer_activities(*, case: Case) -> QuerySet[Activity]:
    """The case's technology transfer (技術移轉) activities."""
    return case.activities.filter(mode=Mode.TECHNOLOGY_TRANSFER)


def case_opinions(*, case: Case, user) -> QuerySet:
    """The sub-committee opinions on the case this user may read: staff all (the office's
    working papers), a reviewer their own (the rule is the opinions' own ``visible_to``)."""
    return case.opinions.visible_to(user).select_related("reviewer__user", "meeting")


def actually_approved_on(*, cases: QuerySet[Case] | None = None) -> dict[Case, date]:
    """Each actually approved case and the day its actual credit took effect (the
    meeting that approved it): the date its outcome revisits count from (§14)."""
    entries = CreditEntry.objects.filter(kind=EntryKind.ACTUAL, case__isnull=False)
    if cases is not None:
        entries = entries.filter(case__in=cases)
    first: dict[int, date] = {}
    for case_id, effective_on in entries.values_list("case_id", "effective_on"):
        if case_id not in first or effective_on < first[case_id]:
            first[case_id] = effective_on
    return {case: first[case.pk] for case in Case.objects.filter(pk__in=first).order_by("pk")}


def case_outcomes(*, case: Case) -> QuerySet:
    """The case's recorded outcomes, by stage (at approval, one year, three years)."""
    return case.outcomes.select_related("recorded_by").order_by("as_of", "id")


def case_documents(*, case: Case, user) -> QuerySet:
    """The case's documents ``user`` may read (none for a procuring agency)."""
    from cases.models import CaseDocument

    return (
        CaseDocument.objects.visible_to(user)
        .filter(case=case)
        .select_related("activity", "activity__recipient", "uploaded_by")
    )
