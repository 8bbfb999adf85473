"""Writes on cases: filing, documents, the office's checks and reviews, execution, and the
committee's decisions (applied only from approved minutes). Every status change goes
through ``cases.workflow`` and leaves an event (who, when, from → to, note)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import selectors as agreement_selectors
from agreements import services as ledger
from agreements.choices import Mode
from cases import notifications, selectors, workflow
from cases.choices import (
    MAX_UPLOAD_BYTES,
    OUTCOME_REVISIT_YEARS,
    CaseStatus,
    DocumentKind,
    OutcomeStage,
    SubcommitteeOutcome,
)
from cases.models import (
    Activity,
    Case,
    CaseDocument,
    CaseOutcome,
    ChecklistConfirmation,
    Checkpoint,
    OutcomeReminder,
    ProgressReminder,
    ProgressReport,
    credits_of,
)
from icp_portal.lib.models import program_date
from icp_portal.lib.services import service
from icp_portal.lib.uploads import pdf_refusal
from organizations.choices import OrganizationKind
from organizations.models import Organization, User, is_office_staff
from organizations.policy import require_office
from organizations.services import event_record

# The figure a committee decision gives per activity, as people read it.
FIGURE_LABELS = {
    "approved_multiplier": gettext_lazy("approved multiplier"),
    "actual_credits": gettext_lazy("actual credits"),
}


def case_transition(
    *, case: Case, name: str, actor: User, note: str = "", as_committee: bool = False
) -> Case:
    """Make a transition of the case workflow table (案件流程) and write its event (the only
    way a case's status changes)."""
    transition = workflow.check(case, name, actor, as_committee=as_committee)
    before = case.status
    if transition.target is not None:
        case.status = transition.target
        case.save(update_fields=["status"])
    event_record(
        actor=actor,
        target=case,
        action=f"case.{name}",
        from_status=before,
        to_status=case.status,
        note=note,
    )
    return case


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("agreement").get(pk=case.pk)


def recipient_refusal(*, recipient: Organization) -> str | None:
    """Why a domestic recipient (國內承接單位) cannot be named on a new activity, or None."""
    if recipient.kind != OrganizationKind.DOMESTIC_RECIPIENT:
        return _("%(name)s is not a domestic recipient.") % {"name": recipient.name}
    if recipient.barred:
        return _("%(name)s is barred from ICP cases for breaching technology export control.") % {
            "name": recipient.name
        }
    if recipient.fee_blocked:
        return _(
            "%(name)s has an overdue feedback fee and cannot join a new case until it pays "
            "or the committee waives it."
        ) % {"name": recipient.name}
    return None


def _replace_activities(case: Case, activities: list[dict]) -> None:
    if not activities:
        raise ValidationError({"activities": _("A case needs at least one activity.")})
    errors = []
    for index, data in enumerate(activities, start=1):
        refusal = recipient_refusal(recipient=data["recipient"])
        if refusal:
            errors.append(_("Activity %(n)s: %(why)s") % {"n": index, "why": refusal})
    if errors:
        raise ValidationError({"activities": errors})
    case.activities.all().delete()
    for data in activities:
        activity = Activity(
            case=case,
            mode=data["mode"],
            recipient=data["recipient"],
            value=Decimal(data["value"]),
            requested_multiplier=Decimal(data["requested_multiplier"]),
        )
        activity.requested_credits = credits_of(activity.value, activity.requested_multiplier)
        activity.full_clean()
        activity.save()


def _number(case: Case, filed_on: date | None = None) -> str:
    """The case number: C-<filing year>-<row id>, unique without a race between filers."""
    return f"C-{(filed_on or timezone.localdate()).year}-{case.pk:05d}"


@service
def case_create(
    *, agreement, actor: User, activities: list[dict], filed_on: date | None = None, **fields
) -> Case:
    """Start a case (draft) under an agreement, in English or Chinese, with its activities.
    ``filed_on`` (default today) is the filing date the number's year comes from."""
    workflow.check(Case(agreement=agreement), "file", actor)
    case = Case(agreement=agreement, created_by=actor, number=secrets.token_hex(8), **fields)
    case.full_clean()
    case.save()
    case.number = _number(case, filed_on)
    case.save(update_fields=["number"])
    _replace_activities(case, activities)
    event_record(actor=actor, target=case, action="case.create", to_status=case.status)
    return case


@service
def case_update(*, case: Case, actor: User, activities: list[dict] | None = None, **fields) -> Case:
    """Edit a case while it is with the contractor (draft, supplement, renegotiation)."""
    case = _lock(case)
    workflow.check(case, "edit", actor)
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save()
    if activities is not None:
        _replace_activities(case, activities)
    event_record(actor=actor, target=case, action="case.update")
    return case


@service
def document_upload(
    *, case: Case, kind: str, upload, actor: User, activity: Activity | None = None
) -> CaseDocument:
    """Attach a PDF to a case. The file's bytes must be a PDF (not just its name), within
    the size limit; it is stored privately under a random name."""
    case = _lock(case)
    workflow.check(case, "upload_document", actor)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document kind.")})
    if activity is not None and activity.case_id != case.pk:
        raise ValidationError({"activity": _("That activity belongs to another case.")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}}
        )
    content = upload.read()
    # Parsed, not sniffed: a file that only starts like a PDF is refused (issue 10).
    refusal = pdf_refusal(content)
    if refusal:
        raise ValidationError({"file": refusal})
    document = CaseDocument(
        case=case,
        kind=kind,
        activity=activity,
        token=secrets.token_hex(16),
        original_name=(getattr(upload, "name", "") or "document.pdf")[-200:],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    event_record(actor=actor, target=case, action="case.document", note=document.original_name)
    return document


@service
def case_submit(*, case: Case, actor: User, submitted_at: datetime | None = None) -> Case:
    """The contractor submits the case (送件) for pre-approval (``submitted_at``: default now)."""
    case = _lock(case)
    workflow.check(case, "submit", actor)
    contractor = case.agreement.contractor
    if contractor.bad_record:
        raise ValidationError(
            _("%(name)s has a bad record (不良紀錄) and cannot submit new cases.")
            % {"name": contractor.name}
        )
    errors = [
        refusal
        for activity in case.activities.select_related("recipient")
        if (refusal := recipient_refusal(recipient=activity.recipient))
    ]
    missing = selectors.missing_documents(case=case)
    if missing:
        errors.append(_("Missing documents: %(list)s.") % {"list": "; ".join(missing)})
    if errors:
        raise ValidationError(errors)
    case.submitted_at = submitted_at or timezone.now()
    case.save(update_fields=["submitted_at"])
    case_transition(case=case, name="submit", actor=actor)
    notifications.case_received(case)
    return case


@service
def case_start_checklist(*, case: Case, actor: User) -> Case:
    """The office starts the basic requirements checklist (基本要件檢視) of a submitted case."""
    case = _lock(case)
    return case_transition(case=case, name="start_checklist", actor=actor)


@service
def checklist_confirm(*, case: Case, code: str, result: str, actor: User, note: str = ""):
    """A person confirms a checklist item the portal cannot compute (or overrides)."""
    case = _lock(case)
    workflow.check(case, "confirm_checklist", actor)
    if code not in selectors.CHECKLIST_CODES:
        raise ValidationError({"code": _("Unknown checklist item.")})
    confirmation, _created = ChecklistConfirmation.objects.update_or_create(
        case=case, code=code, defaults={"result": result, "note": note, "confirmed_by": actor}
    )
    event_record(actor=actor, target=case, action="case.checklist", note=f"{code}={result}")
    return confirmation


@service
def case_initial_review(*, case: Case, opinion: str, actor: User, opinion_en: str = "") -> Case:
    """The office's initial review opinion (初審意見), with its English version if written;
    the checklist must have no failure."""
    case = _lock(case)
    workflow.check(case, "initial_review", actor)
    failed = [item["label"] for item in selectors.checklist(case=case) if item["result"] == "fail"]
    if failed:
        raise ValidationError(
            _("The basic requirements checklist fails: %(items)s.") % {"items": "; ".join(failed)}
        )
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the initial review opinion.")})
    case.initial_review_opinion = opinion
    case.initial_review_opinion_en = opinion_en
    case.save(update_fields=["initial_review_opinion", "initial_review_opinion_en"])
    return case_transition(case=case, name="initial_review", actor=actor, note=opinion)


@service
def case_return_for_supplement(
    *, case: Case, request: str, actor: User, request_en: str = ""
) -> Case:
    """Send the case back to the contractor with the office's request (須再補充資料), with
    its English version if written."""
    case = _lock(case)
    workflow.check(case, "return_for_supplement", actor)
    if not request.strip():
        raise ValidationError({"request": _("Say what the contractor must supply.")})
    case.office_request = request
    case.office_request_en = request_en
    case.save(update_fields=["office_request", "office_request_en"])
    case_transition(case=case, name="return_for_supplement", actor=actor, note=request)
    notifications.supplement_requested(case)
    return case


@service
def case_subcommittee_review(
    *, case: Case, outcome: str, actor: User, note: str = "", note_en: str = ""
) -> Case:
    """Record the sub-committee's outcome: pass, forward, supplement or returned (for a
    supplement the note, and its English version, is the request to the contractor)."""
    case = _lock(case)
    # Keyed by the outcome's value: ``outcome`` arrives as a plain string (form, API).
    names: dict[str, str] = {
        SubcommitteeOutcome.PASS: "subcommittee_pass",
        SubcommitteeOutcome.FORWARD: "subcommittee_pass",
        SubcommitteeOutcome.SUPPLEMENT: "subcommittee_supplement",
        SubcommitteeOutcome.RETURNED: "subcommittee_return",
    }
    workflow.check(case, names.get(outcome, "subcommittee_pass"), actor)
    if outcome not in names:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    case.subcommittee_outcome = outcome
    update = ["subcommittee_outcome"]
    if outcome == SubcommitteeOutcome.SUPPLEMENT:
        case.office_request = note
        case.office_request_en = note_en
        update += ["office_request", "office_request_en"]
    case.save(update_fields=update)
    case_transition(case=case, name=names[outcome], actor=actor, note=note)
    if outcome == SubcommitteeOutcome.SUPPLEMENT:
        notifications.supplement_requested(case)
    return case


@service
def case_assign(*, case: Case, assignee: User | None, actor: User) -> Case:
    """Give the case to an office member to handle (指派承辦人), or take it back (None)."""
    case = _lock(case)
    workflow.check(case, "assign", actor)
    if assignee is not None and not is_office_staff(assignee):
        raise ValidationError({"assignee": _("Only an ICP office member can handle a case.")})
    if case.assignee_id == (assignee.pk if assignee else None):
        return case
    case.assignee = assignee
    case.save(update_fields=["assignee"])
    event_record(
        actor=actor,
        target=case,
        action="case.assign",
        note=assignee.display_name if assignee else "",
    )
    return case


@service
def case_withdraw(*, case: Case, actor: User, reason: str = "") -> Case:
    """Withdraw a case before the committee decides (撤案)."""
    case = _lock(case)
    return case_transition(case=case, name="withdraw", actor=actor, note=reason)


@service
def progress_report_file(
    *, case: Case, year: int, quarter: int, progress: str, percent_complete: int, actor: User
) -> ProgressReport:
    """The contractor files a quarterly progress report; the first one starts execution."""
    case = _lock(case)
    workflow.check(case, "file_progress_report", actor)
    quarters = {
        (row["year"], row["quarter"]) for row in selectors.progress_report_status(case=case)
    }
    if (year, quarter) not in quarters:
        raise ValidationError(
            {
                "quarter": _(
                    "The case's schedule has no report due for %(year)s Q%(quarter)s so far."
                )
                % {"year": year, "quarter": quarter}
            }
        )
    if case.status == CaseStatus.PRE_APPROVED:
        case_transition(case=case, name="start_execution", actor=actor)
    report = ProgressReport(
        case=case,
        year=year,
        quarter=quarter,
        progress=progress,
        percent_complete=percent_complete,
        filed_by=actor,
    )
    report.full_clean()
    report.save()
    event_record(actor=actor, target=case, action="case.progress_report", note=f"{year}Q{quarter}")
    return report


@service
def case_request_actual_approval(*, case: Case, actor: User, note: str = "") -> Case:
    """The contractor asks for actual approval (申請實核), with evidence documents."""
    case = _lock(case)
    workflow.check(case, "request_actual_approval", actor)
    if not case.documents.filter(kind=DocumentKind.PROGRESS_EVIDENCE).exists():
        raise ValidationError(_("Attach the completion evidence (PDF) first."))
    return case_transition(case=case, name="request_actual_approval", actor=actor, note=note)


# --- Applied from approved minutes (committee.services.minutes_approve) -------------------


def _activities_by_id(case: Case, rows: list[dict], field: str) -> dict[Activity, Decimal]:
    activities = {a.pk: a for a in case.activities.all()}
    given = {}
    for row in rows:
        activity = activities.get(int(row.get("activity", 0) or 0))
        if activity is None:
            raise ValidationError(
                _("Case %(number)s has no activity %(id)s.")
                % {"number": case.number, "id": row.get("activity")}
            )
        given[activity] = Decimal(str(row[field]))
    if set(given) != set(activities.values()):
        raise ValidationError(
            _("The decision on case %(number)s must give every activity's %(what)s.")
            % {"number": case.number, "what": FIGURE_LABELS[field]}
        )
    return given


def case_pre_approve(*, case: Case, activities: list[dict], meeting, actor: User) -> Case:
    """Pre-approval (預核): approved multipliers within the agreement's standard in force on
    the meeting's date → credits per activity → one reserve entry for the case."""
    case = _lock(case)
    workflow.check(case, "pre_approve", actor, as_committee=True)
    multipliers = _activities_by_id(case, activities, "approved_multiplier")
    total = Decimal("0.00")
    for activity, multiplier in multipliers.items():
        low, high = agreement_selectors.multiplier_standard_for(
            agreement=case.agreement, mode=activity.mode, on=meeting.held_on
        )
        if not low <= multiplier <= high:
            raise ValidationError(
                _(
                    "Case %(number)s: the multiplier %(m)s for %(mode)s is outside the "
                    "agreement's standard %(low)s–%(high)s."
                )
                % {
                    "number": case.number,
                    "m": multiplier,
                    "mode": activity.get_mode_display(),
                    "low": low,
                    "high": high,
                }
            )
        activity.approved_multiplier = multiplier
        activity.pre_approved_credits = credits_of(activity.value, multiplier)
        activity.save(update_fields=["approved_multiplier", "pre_approved_credits"])
        total += activity.pre_approved_credits
    try:
        ledger.credit_reserve(
            agreement=case.agreement,
            amount=total,
            effective_on=meeting.held_on,
            use=case.use,
            actor=actor,
            case=case,
            meeting=meeting,
        )
    except ValidationError as refused:
        raise ValidationError(
            _("Case %(number)s: %(why)s")
            % {"number": case.number, "why": " ".join(refused.messages)}
        ) from refused
    return case_transition(case=case, name="pre_approve", actor=actor, as_committee=True)


def _release_open_reserve(
    case: Case, meeting, actor: User, note: str, note_en: str = ""
) -> Decimal:
    reserved = selectors.case_open_reserve(case=case)
    if reserved > 0:
        ledger.credit_release(
            agreement=case.agreement,
            amount=reserved,
            effective_on=meeting.held_on,
            use=case.use,
            actor=actor,
            case=case,
            meeting=meeting,
            note=note,
            note_en=note_en,
        )
    return reserved


def case_actual_approve(*, case: Case, activities: list[dict], meeting, actor: User) -> Case:
    """Actual approval (實核): release the case's reserve and post the actual credits."""
    case = _lock(case)
    workflow.check(case, "actual_approve", actor, as_committee=True)
    credits = _activities_by_id(case, activities, "actual_credits")
    total = Decimal("0.00")
    for activity, amount in credits.items():
        if amount < 0:
            raise ValidationError(_("Actual credits cannot be negative."))
        activity.actual_credits = amount.quantize(Decimal("0.01"))
        activity.save(update_fields=["actual_credits"])
        total += activity.actual_credits
    _release_open_reserve(case, meeting, actor, "")
    if total > 0:
        ledger.credit_post_actual(
            agreement=case.agreement,
            amount=total,
            effective_on=meeting.held_on,
            use=case.use,
            actor=actor,
            case=case,
            meeting=meeting,
        )
    case_transition(case=case, name="actual_approve", actor=actor, as_committee=True)
    return case


def case_committee_transition(
    *,
    case: Case,
    name: str,
    meeting,
    actor: User,
    note: str = "",
    note_en: str = "",
    new_ends_on: date | None = None,
) -> Case:
    """The other committee decisions: reject, renegotiate, extend, note on record, close
    (optionally with retention on a legacy agreement), withdraw. The decision's note (and
    its English version) labels the ledger entries it posts."""
    case = _lock(case)
    workflow.check(case, name, actor, as_committee=True)
    label, label_en = note, note_en
    if name == "extend":
        if new_ends_on is None or new_ends_on <= case.ends_on:
            raise ValidationError(
                _("Case %(number)s: an extension needs a new end date after %(end)s.")
                % {"number": case.number, "end": case.ends_on.isoformat()}
            )
        case.ends_on = new_ends_on
        case.save(update_fields=["ends_on"])
        label = f"{label} → {new_ends_on.isoformat()}".strip(" →")
        # No text but the date: it reads the same in English.
        label_en = (
            f"{note_en} → {new_ends_on.isoformat()}".strip(" →") if note_en or not note else ""
        )
    if name in ("close", "close_with_retention", "withdraw_by_committee"):
        _release_open_reserve(case, meeting, actor, label, label_en)
    if name == "close_with_retention":
        agreement = case.agreement
        ledger.require_legacy_agreement(
            agreement=agreement, what=_("Closure with credit retention")
        )
        balance = agreement_selectors.agreement_balance(agreement=agreement, as_of=date.max)
        surplus = balance.discharged - balance.obligation
        if surplus > 0:
            ledger.credit_retain(
                agreement=agreement,
                amount=surplus,
                effective_on=meeting.held_on,
                actor=actor,
                case=case,
                meeting=meeting,
                note=label,
                note_en=label_en,
            )
    return case_transition(case=case, name=name, actor=actor, note=label, as_committee=True)


# How many days before the due date the contractor is reminded.
PROGRESS_REMINDER_DAYS_BEFORE = 7


@service
def progress_reports_remind(*, today: date, actor: User) -> int:
    """Remind contractors of the last quarter's report when due within a week, and the
    contractor and the office when overdue. Each reminder is claimed in the database
    first, so running this twice (or in two workers) sends it once."""
    sent = 0
    cases = Case.objects.filter(status=CaseStatus.IN_EXECUTION).select_related("agreement")
    for case in cases:
        rows = selectors.progress_report_status(case=case, today=today)
        if not rows:
            continue
        for row in rows[-2:]:
            if row["report"] is not None:
                continue
            overdue = today > row["due_on"]
            due_soon = (row["due_on"] - today).days <= PROGRESS_REMINDER_DAYS_BEFORE
            if not (overdue or due_soon):
                continue
            _reminder, created = ProgressReminder.objects.get_or_create(
                case=case, year=row["year"], quarter=row["quarter"], overdue=overdue
            )
            if created:
                notifications.progress_report_reminder(
                    case, row["year"], row["quarter"], row["due_on"], overdue
                )
                event_record(
                    actor=actor,
                    target=case,
                    action="case.progress_reminder",
                    note=f"{row['year']}Q{row['quarter']} overdue={overdue}",
                )
                sent += 1
    return sent


@service
def activity_record_transfer_completion(*, activity: Activity, completed_on: date, actor: User):
    """Record the day the contractor finished transferring all technical data: the
    recipient may not move the technology's production abroad for 2 years after (§8)."""
    case = _lock(activity.case)
    workflow.check(case, "record_transfer_completion", actor)
    if activity.mode != Mode.TECHNOLOGY_TRANSFER:
        raise ValidationError(_("Only a technology transfer has a transfer-completion date."))
    try:
        program_date(completed_on)  # the model's date span, on the API's field name
    except ValidationError as error:
        raise ValidationError({"completed_on": error.messages}) from None
    activity.transfer_completed_on = completed_on
    activity.save(update_fields=["transfer_completed_on"])
    event_record(
        actor=actor,
        target=case,
        action="case.transfer_completed",
        note=f"{activity.recipient.name_zh} {completed_on.isoformat()}",
    )
    return activity


@service
def checkpoint_add(*, case: Case, title: str, due_on: date, actor: User) -> Checkpoint:
    """Set a checkpoint (查核點) on the case's schedule (contractor or office)."""
    case = _lock(case)
    workflow.check(case, "add_checkpoint", actor)
    if not case.starts_on <= due_on <= case.ends_on:
        raise ValidationError(
            {
                "due_on": _("A checkpoint falls within the schedule, %(start)s to %(end)s.")
                % {"start": case.starts_on.isoformat(), "end": case.ends_on.isoformat()}
            }
        )
    checkpoint = Checkpoint(case=case, title=title, due_on=due_on)
    checkpoint.full_clean()
    checkpoint.save()
    event_record(actor=actor, target=case, action="case.checkpoint", note=f"{due_on} {title}")
    return checkpoint


@service
def checkpoint_complete(*, checkpoint: Checkpoint, done_on: date, actor: User) -> Checkpoint:
    """Mark a checkpoint reached (the office checks it on its visits)."""
    case = _lock(checkpoint.case)
    workflow.check(case, "complete_checkpoint", actor)
    checkpoint.done_on = done_on
    checkpoint.full_clean()  # the program's date span (1980–2100), as when it was set
    checkpoint.save(update_fields=["done_on"])
    event_record(
        actor=actor,
        target=case,
        action="case.checkpoint_done",
        note=f"{done_on} {checkpoint.title}",
    )
    return checkpoint


# --- Outcomes (domain.md §14) ------------------------------------------------------------

OUTCOME_FIGURES = (
    "investment_twd",
    "orders_twd",
    "added_output_twd",
    "people_trained",
    "jobs",
)
MAX_TECHNOLOGIES = 50


def _technology_names(technologies) -> list[str]:
    if not isinstance(technologies, list) or not all(isinstance(t, str) for t in technologies):
        raise ValidationError({"technologies": _("Give the technologies as a list of names.")})
    names = [name.strip() for name in technologies if name.strip()]
    if len(names) > MAX_TECHNOLOGIES or any(len(name) > 200 for name in names):
        raise ValidationError(
            {"technologies": _("At most 50 technologies, each name at most 200 characters.")}
        )
    return names


@service
def outcome_record(
    *,
    case: Case,
    stage: str,
    as_of: date,
    incrementality: str,
    actor: User,
    technologies: list[str] | None = None,
    **figures,
) -> CaseOutcome:
    """Record (or correct) what an actually approved case brought at one stage — at the
    approval, one year or three years after (domain.md §14): technologies by name, NT$
    investment, orders and added output, people trained, jobs, and the incrementality
    statement. The office records it; one row per case and stage."""
    case = _lock(case)
    workflow.check(case, "record_outcome", actor)
    unknown = set(figures) - set(OUTCOME_FIGURES)
    if unknown:
        raise ValidationError(_("Unknown outcome figures: %(names)s.") % {"names": sorted(unknown)})
    if stage not in OutcomeStage.values:
        raise ValidationError({"stage": _("Choose the stage of these outcomes.")})
    if not (incrementality or "").strip():
        raise ValidationError(
            {"incrementality": _("Say what would not have happened without the case.")}
        )
    outcome = CaseOutcome.objects.filter(case=case, stage=stage).first() or CaseOutcome(
        case=case, stage=stage
    )
    outcome.as_of = as_of
    outcome.incrementality = incrementality.strip()
    outcome.technologies = _technology_names(technologies or [])
    for name in OUTCOME_FIGURES:
        setattr(outcome, name, figures.get(name, 0) or 0)
    outcome.recorded_by = actor
    outcome.full_clean()
    outcome.save()
    event_record(actor=actor, target=case, action="case.outcome", note=f"{stage} {as_of}")
    return outcome


@service
def outcome_revisits_remind(*, today: date, actor: User) -> int:
    """Daily: tell the office once when an actually approved case's outcomes fall due
    for their revisit (one and three years after the actual approval) and are not
    recorded yet. Each reminder is claimed in the database first, so running this twice
    sends it once; returns how many were sent."""
    require_office(actor, system=True)
    sent = 0
    for case, approved_on in selectors.actually_approved_on().items():
        recorded = set(case.outcomes.values_list("stage", flat=True))
        for stage, years in OUTCOME_REVISIT_YEARS.items():
            due_on = approved_on + relativedelta(years=years)
            if stage in recorded or today < due_on:
                continue
            _reminder, created = OutcomeReminder.objects.get_or_create(case=case, stage=stage)
            if created:
                notifications.outcome_revisit_due(case, stage, due_on)
                event_record(
                    actor=actor, target=case, action="case.outcome_reminder", note=str(stage)
                )
                sent += 1
    return sent
