"""Background jobs of the reports (Celery). Tasks take ids and call services."""

from __future__ import annotations

from celery import shared_task

from organizations.services import system_user
from reports import documents, services
from reports.models import ReportJob


@shared_task(name="reports.run_job")
def run_job(job_id: int) -> str:
    """Build one queued report: claim it (a second delivery finds it claimed and does
    nothing), render it, store it privately; on any error record the failure."""
    if not services.report_claim(job_id=job_id):
        return "skipped"
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        content, filename, pages = documents.build(
            job, lambda value: services.report_progress(job_id=job_id, progress=value)
        )
        job = services.report_store(job=job, content=content, filename=filename, pages=pages)
    except Exception as error:
        services.report_fail(job=job, error=f"{type(error).__name__}: {error}")
        return "failed"
    # The report is built and kept whatever becomes of the e-mail (a quarterly statement).
    services.report_deliver(job=job)
    return "done"


@shared_task(name="reports.expire_files")
def expire_files() -> int:
    """Daily: delete the files of old reports (``REPORT_FILE_DAYS``)."""
    return services.reports_expire(actor=system_user())


@shared_task(name="reports.issue_decision_letters")
def issue_decision_letters(meeting_id: int) -> int:
    """After a meeting's minutes are approved: its decision letters, once each."""
    from committee.models import Meeting

    meeting = Meeting.objects.get(pk=meeting_id)
    return services.letters_issue(meeting=meeting, actor=system_user())


@shared_task(name="reports.quarterly_statements")
def quarterly_statements(today: str | None = None) -> int:
    """Each quarter: every active contractor's credit statement, e-mailed to its managers."""
    from datetime import date

    from django.utils import timezone

    day = date.fromisoformat(today) if today else timezone.localdate()
    return len(services.statements_quarterly(today=day, actor=system_user()))
