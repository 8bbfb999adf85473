"""Reads of cases: visibility, the work queue, the computed checklist, the case's ledger
effect and its timeline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import selectors as agreement_selectors
from agreements.choices import EntryKind, Mode
from agreements.models import CreditEntry
from cases.choices import ChecklistResult, DocumentKind
from cases.filtersets import CaseFilterSet
from cases.models import Activity, Case, progress_report_due_on
from organizations.models import AuditEvent
from organizations.selectors import events_of

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
    queryset = Case.objects.visible_to(user).select_related("agreement", "agreement__contractor")
    return CaseFilterSet(filters or {}, queryset=queryset).qs


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
