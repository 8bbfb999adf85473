"""Reads of cases: visibility, the work queue, the computed checklist, the case's ledger
effect and its timeline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import selectors as agreement_selectors
from agreements.choices import EntryKind, Mode
from agreements.models import CreditEntry
from cases.choices import CaseStatus, ChecklistResult, DocumentKind, OutcomeStage
from cases.filtersets import CaseFilterSet
from cases.models import Activity, Case, progress_report_due_on
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
    date, filed or not, overdue or not."""
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


def reports_due(*, cases: QuerySet[Case], today: date) -> tuple[list[dict], list[dict]]:
    """The quarterly progress reports not filed among ``cases`` executing: those overdue and
    those due within ``REPORT_SOON_DAYS``, each ``{case, year, quarter, due_on, …}`` by due
    date. Two queries (the cases, their reports), whatever their number."""
    executing = (
        cases.filter(status__in=(CaseStatus.PRE_APPROVED, CaseStatus.IN_EXECUTION))
        .prefetch_related("progress_reports")
        .order_by("number")
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
