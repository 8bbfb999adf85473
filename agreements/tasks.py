"""Background jobs of agreements (Celery). Tasks take dates and call a service."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from agreements import pipeline_services, services
from organizations.services import system_user


@shared_task(name="agreements.remind_expiring_guarantees")
def remind_expiring_guarantees(today: str | None = None) -> int:
    """Daily: tell the office of guarantees expiring within 60 days (each once)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.guarantees_remind(today=day, actor=system_user())


@shared_task(name="agreements.remind_agreements_due")
def remind_agreements_due(today: str | None = None) -> int:
    """Daily: tell the office, once, of agreements due within 30 days of LOA + 6 months."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return pipeline_services.agreement_due_reminders_send(today=day, actor=system_user())
