"""Writes of the reports app: report jobs (asked for, claimed, built, failed, expired),
the office's activity log and its annual targets. Who may ask for which report is decided
here (``REPORT_RULES``), before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement
from committee.choices import MeetingKind, MeetingStatus
from committee.models import Meeting
from icp_portal.lib.models import PROGRAM_FIRST_DAY, PROGRAM_LAST_DAY
from icp_portal.lib.services import service
from icp_portal.lib.tasks import enqueue_on_commit
from organizations.choices import OrganizationKind
from organizations.models import Organization, User, is_office_staff
from organizations.policy import is_system_user, require_office
from organizations.selectors import user_membership
from organizations.services import event_record
from reports.models import (
    ActivityKind,
    AnnualTarget,
    JobStatus,
    Measure,
    OfficeActivity,
    ReportFormat,
    ReportJob,
    ReportKind,
)

RUN_TASK = "reports.run_job"


def JOB_EXPIRY() -> timedelta:
    """A job queued or running longer than the task time limit (plus a minute) is dead."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


# --- Who may ask for which report, and what its parameters are -------------------------


def _office(actor) -> None:
    if not (is_office_staff(actor) or is_system_user(actor)):
        raise PermissionDenied(_("Only ICP office staff may ask for this report."))


def _year(parameters: dict) -> dict:
    try:
        year = int(str(parameters.get("year")))
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Give the year of the report.")}) from None
    if not PROGRAM_FIRST_DAY.year <= year <= min(PROGRAM_LAST_DAY.year, timezone.localdate().year):
        raise ValidationError({"year": _("Give a year of the program, not one still to come.")})
    return {"year": year}


def _as_of(parameters: dict) -> date:
    raw = parameters.get("as_of") or timezone.localdate().isoformat()
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError({"as_of": _("Give the date as YYYY-MM-DD.")}) from None
    if not PROGRAM_FIRST_DAY <= day <= PROGRAM_LAST_DAY:
        raise ValidationError({"as_of": _("Give a date of the program.")})
    return day


def _pk(parameters: dict, name: str) -> int:
    try:
        return int(str(parameters.get(name)))
    except (TypeError, ValueError):
        raise ValidationError({name: _("Choose one.")}) from None


def _annual(parameters: dict, actor) -> dict:
    _office(actor)
    return _year(parameters)


def _meeting_results(parameters: dict, actor) -> dict:
    _office(actor)
    meeting = Meeting.objects.filter(
        pk=_pk(parameters, "meeting"),
        kind=MeetingKind.PROMOTION_COMMITTEE,
        status=MeetingStatus.MINUTES_APPROVED,
    ).first()
    if meeting is None:
        raise ValidationError(
            {"meeting": _("Choose a promotion-committee meeting whose minutes are approved.")}
        )
    return {"meeting": meeting.pk}


def _agreement_statement(parameters: dict, actor) -> dict:
    agreement = (
        Agreement.objects.visible_to(actor).filter(pk=_pk(parameters, "agreement")).first()
        if not is_system_user(actor)
        else Agreement.objects.filter(pk=_pk(parameters, "agreement")).first()
    )
    if agreement is None:
        raise ValidationError({"agreement": _("No such agreement that you may see.")})
    return {"agreement": agreement.pk, "as_of": _as_of(parameters).isoformat()}


def _contractor_statement(parameters: dict, actor) -> dict:
    if not (is_office_staff(actor) or is_system_user(actor)):
        # The role first: a contractor's members ask for their own organization's only.
        membership = user_membership(user=actor)
        if (
            membership is None
            or membership.organization.kind != OrganizationKind.FOREIGN_CONTRACTOR
        ):
            raise PermissionDenied(_("You may ask for your own organization's statement only."))
        if str(parameters.get("contractor")) != str(membership.organization_id):
            raise PermissionDenied(_("You may ask for your own organization's statement only."))
    contractor = Organization.objects.filter(
        pk=_pk(parameters, "contractor"), kind=OrganizationKind.FOREIGN_CONTRACTOR
    ).first()
    if contractor is None:
        raise ValidationError({"contractor": _("Choose a foreign contractor.")})
    return {"contractor": contractor.pk, "as_of": _as_of(parameters).isoformat()}


# kind → (who may ask and the cleaned parameters, the formats it comes in)
REPORT_RULES: dict[str, tuple[Callable[[dict, Any], dict], tuple[str, ...]]] = {
    ReportKind.ANNUAL: (_annual, (ReportFormat.PDF, ReportFormat.XLSX)),
    ReportKind.MEETING_RESULTS: (_meeting_results, (ReportFormat.PDF,)),
    ReportKind.AGREEMENT_STATEMENT: (_agreement_statement, (ReportFormat.PDF, ReportFormat.XLSX)),
    ReportKind.CONTRACTOR_STATEMENT: (
        _contractor_statement,
        (ReportFormat.PDF, ReportFormat.XLSX),
    ),
}


def report_kinds_for(actor) -> list[str]:
    """The kinds of report ``actor`` may ask for (the page offers only these): the office
    every kind; anyone else the statements (whose rules then check whose)."""
    if is_office_staff(actor) or is_system_user(actor):
        return list(REPORT_RULES)
    return [ReportKind.AGREEMENT_STATEMENT, ReportKind.CONTRACTOR_STATEMENT]


@service
def report_request(*, kind: str, parameters: dict, format: str, actor: User) -> ReportJob:
    """Ask for a report: the rule of its kind decides who may (403) and cleans its
    parameters (400); the job is queued and built by Celery after the commit. The same
    report asked for again while one is queued or running returns that job."""
    if kind not in REPORT_RULES:
        raise ValidationError({"kind": _("Choose a kind of report.")})
    clean, formats = REPORT_RULES[kind]
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    cleaned = clean(parameters if isinstance(parameters, dict) else {}, actor)
    if format not in formats:
        raise ValidationError(
            {"format": _("This report comes as %(formats)s.") % {"formats": ", ".join(formats)}}
        )
    running = ReportJob.objects.filter(
        kind=kind,
        parameters=cleaned,
        format=format,
        requested_by=actor,
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
    ).first()
    if running is not None:
        since = running.started_at or running.created_at
        if since >= timezone.now() - JOB_EXPIRY():
            return running
        # Its worker died (hard time limit, crash): record it and start again.
        report_fail(job=running, error=_("The job did not finish in time: its worker stopped."))
    job = ReportJob.objects.create(kind=kind, parameters=cleaned, format=format, requested_by=actor)
    enqueue_on_commit(RUN_TASK, job.pk)
    return job


def report_claim(*, job_id: int) -> bool:
    """Claim a queued job for this run (queued → running, one conditional update): a task
    delivered twice builds once. Not a ``@service``: it must commit at once."""
    return bool(
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, progress=1, started_at=timezone.now(), error=""
        )
    )


def report_progress(*, job_id: int, progress: int) -> None:
    """How far a running job got (0–100), committed at once for the status row."""
    ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        progress=max(0, min(100, progress))
    )


@service
def report_store(*, job: ReportJob, content: bytes, filename: str, pages: int | None) -> ReportJob:
    """Store a built report privately and mark it done."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    job.file.save(filename, ContentFile(content), save=False)
    job.filename = filename
    job.size_bytes = len(content)
    job.pages = pages
    job.status = JobStatus.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    return job


@service
def report_fail(*, job: ReportJob, error: str) -> ReportJob:
    """Record that a job failed, with its reason (shown to whoever asked)."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    job.status = JobStatus.FAILED
    job.error = error[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


@service
def reports_expire(*, now=None, actor: User) -> int:
    """Daily: delete the files of reports older than ``REPORT_FILE_DAYS`` (the row stays,
    marked expired: ask again for a fresh one); returns how many expired."""
    require_office(actor, system=True)
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REPORT_FILE_DAYS)
    expired = 0
    storage = ReportJob._meta.get_field("file").storage
    for job in ReportJob.objects.filter(status=JobStatus.DONE, finished_at__lt=cutoff):
        name = job.file.name
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.EXPIRED, file="")
        if name:  # the file goes once the rows say so (a rollback keeps both)
            transaction.on_commit(partial(storage.delete, name))
        expired += 1
    return expired


# --- The office's activity log and its annual targets -------------------------------------


@service
def activity_record(
    *,
    kind: str,
    held_on: date,
    title: str,
    actor: User,
    counterpart: str = "",
    firms: int = 0,
    people: int = 0,
    note: str = "",
) -> OfficeActivity:
    """Log one thing the office did (its year-end report counts them)."""
    require_office(actor)
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Choose the kind of activity.")})
    activity = OfficeActivity(
        kind=kind,
        held_on=held_on,
        title=title,
        counterpart=counterpart,
        firms=firms,
        people=people,
        note=note,
        recorded_by=actor,
    )
    activity.full_clean()
    activity.save()
    event_record(actor=actor, target=activity, action="office.activity", note=f"{kind} {held_on}")
    return activity


@service
def target_set(*, year: int, measure: str, target, actor: User) -> AnnualTarget:
    """Enter (or change) the target of one line of a year's work plan."""
    require_office(actor)
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Choose the line of the work plan.")})
    row = AnnualTarget.objects.filter(year=year, measure=measure).first() or AnnualTarget(
        year=year, measure=measure
    )
    row.target = target
    row.full_clean()
    row.save()
    return row


# --- Decision letters (核定函) -------------------------------------------------------------

LETTERS_TASK = "reports.issue_decision_letters"


def _letter_context(decision) -> dict[str, Any]:
    """What a decision letter says: the decision and its conditions, the credits per
    activity, the fee billed (an actual approval's bills) or to come (a pre-approval's,
    at the rates in force on the meeting day), and what comes next."""
    from feedback.models import Bill
    from feedback.selectors import fee_estimate

    item = decision.agenda_item
    case = item.case
    activities = list(case.activities.select_related("recipient").order_by("id"))
    bills = list(Bill.objects.filter(case=case, meeting=item.meeting).order_by("id"))
    estimates = (
        [fee_estimate(activity=a, on=item.meeting.held_on) for a in activities]
        if item.kind == "pre_approval" and decision.outcome == "approved"
        else []
    )
    return {
        "decision": decision,
        "item": item,
        "case": case,
        "meeting": item.meeting,
        "agreement": case.agreement,
        "activities": activities,
        "bills": bills,
        "estimates": [e for e in estimates if e is not None],
    }


@service
def letters_issue(*, meeting: Meeting, actor: User) -> int:
    """Issue the decision letter of every case the meeting's approved minutes decided,
    once each (a letter row per decision is claimed first: a task run twice issues
    nothing new), and e-mail each to the contractor's members in their language with the
    PDF attached. Returns how many letters were issued."""
    from weasyprint import HTML

    from committee.models import Decision
    from organizations.notifications import notify
    from reports.models import DecisionLetter

    require_office(actor, system=True)
    meeting = Meeting.objects.get(pk=meeting.pk)  # as the minutes left it
    if meeting.status != MeetingStatus.MINUTES_APPROVED:
        return 0
    issued = 0
    decisions = (
        Decision.objects.filter(agenda_item__meeting=meeting, agenda_item__case__isnull=False)
        .filter(letter__isnull=True)
        .select_related("agenda_item__case__agreement__contractor", "agenda_item__meeting")
        .order_by("agenda_item_id")
    )
    for decision in decisions:
        case = decision.agenda_item.case
        if case is None:  # the query keeps case items only
            continue
        letter, created = DecisionLetter.objects.get_or_create(
            decision=decision,
            defaults={
                "case": case,
                "meeting": meeting,
                "issued_on": meeting.minutes_approved_on or timezone.localdate(),
            },
        )
        if not created:
            continue
        context = _letter_context(decision)
        html = render_to_string("pdf/decision_letter.html", {**context, "letter": letter})
        content = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        filename = f"decision-{case.number}-{meeting.year}-{meeting.number}.pdf"
        letter.file.save(filename, ContentFile(content), save=False)
        people = User.objects.filter(
            membership__organization_id=case.agreement.contractor_id, is_active=True
        )
        case_path = reverse("case_detail", args=[case.pk])
        letter.emailed = notify(
            people,
            "decision_letter",
            {**context, "case_path": case_path},
            link=case_path,
            attachments=[(filename, content, "application/pdf")],
        )
        letter.save()
        event_record(
            actor=actor, target=case, action="case.decision_letter", note=f"{meeting} {filename}"
        )
        issued += 1
    return issued


# --- Quarterly credit statements (beat) -------------------------------------------------


def _quarter_end_before(today: date) -> date:
    """The last day of the calendar quarter before ``today``'s."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    return date(today.year, first_month, 1) - timedelta(days=1)


@service
def statements_quarterly(*, today: date, actor: User) -> list[ReportJob]:
    """Quarterly (beat): a credit statement of every contractor with an agreement in
    execution, as of the end of the last quarter, built in the background and e-mailed
    to the contractor's managers when done. Running it twice in a quarter asks for no
    second statement; returns the jobs queued."""
    from agreements.choices import AgreementStatus

    require_office(actor, system=True)
    as_of = _quarter_end_before(today).isoformat()
    contractors = (
        Organization.objects.filter(
            kind=OrganizationKind.FOREIGN_CONTRACTOR,
            agreements__status=AgreementStatus.IN_EXECUTION,
        )
        .distinct()
        .order_by("pk")
    )
    queued = []
    for contractor in contractors:
        parameters = {"contractor": contractor.pk, "as_of": as_of, "send": True}
        if ReportJob.objects.filter(
            kind=ReportKind.CONTRACTOR_STATEMENT, parameters=parameters
        ).exists():
            continue
        job = ReportJob.objects.create(
            kind=ReportKind.CONTRACTOR_STATEMENT,
            parameters=parameters,
            format=ReportFormat.PDF,
            requested_by=actor,
        )
        enqueue_on_commit(RUN_TASK, job.pk)
        queued.append(job)
    return queued


def report_deliver(*, job: ReportJob) -> int:
    """E-mail a built statement the beat asked for to the contractor's managers, in
    their language, with the file attached; returns how many e-mails went out."""
    from organizations.choices import MembershipRole
    from organizations.notifications import notify

    if not job.parameters.get("send") or job.status != JobStatus.DONE:
        return 0
    managers = User.objects.filter(
        membership__organization_id=job.parameters["contractor"],
        membership__role=MembershipRole.MANAGER,
        is_active=True,
    )
    with job.file.open("rb") as handle:
        content = handle.read()
    return notify(
        managers,
        "quarterly_statement",
        {"job": job, "as_of": job.parameters["as_of"]},
        # The contractor's home shows its agreements' balances (the statement's subject).
        link=reverse("home"),
        attachments=[(job.filename, content, "application/pdf")],
    )
