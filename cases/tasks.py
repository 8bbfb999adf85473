"""Background jobs of cases (Celery). Tasks take ids or dates and call a service."""

from celery import shared_task
from django.utils import timezone

from cases import services
from organizations.services import system_user


@shared_task(name="cases.remind_progress_reports")
def remind_progress_reports(today: str | None = None) -> int:
    """Daily: e-mail reminders of quarterly progress reports due soon or overdue."""
    from datetime import date

    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.progress_reports_remind(today=day, actor=system_user())


@shared_task(name="cases.remind_outcome_revisits")
def remind_outcome_revisits(today: str | None = None) -> int:
    """Daily: tell the office of outcomes due for their one- and three-year revisit."""
    from datetime import date

    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.outcome_revisits_remind(today=day, actor=system_user())
