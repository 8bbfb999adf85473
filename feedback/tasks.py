"""Background jobs of feedback fees (Celery)."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from feedback import services
from organizations.services import system_user


@shared_task(name="feedback.mark_overdue_bills")
def mark_overdue_bills(today: str | None = None) -> int:
    """Daily: bills past due become overdue; their recipients are blocked and e-mailed."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.bills_mark_overdue(today=day, actor=system_user())


@shared_task(name="feedback.mark_overdue_penalties")
def mark_overdue_penalties(today: str | None = None) -> int:
    """Daily: penalties past due become overdue; the contractor and the office are told."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.penalties_mark_overdue(today=day, actor=system_user())
