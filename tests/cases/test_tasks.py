"""The daily progress-report reminder runs on a real Celery worker over Redis."""

from datetime import date
from decimal import Decimal

import pytest

from cases import services
from cases.models import Case, ProgressReminder
from cases.tasks import remind_progress_reports
from tests.factories import OrganizationFactory, make_agreement

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_the_reminder_task_runs_on_the_worker_and_sends_each_reminder_once(
    celery_worker_queue, office_user, contractor_a, contractor_a_member
):
    agreement = make_agreement(contractor=contractor_a, actor=office_user)
    recipient = OrganizationFactory(kind="domestic_recipient", country="TW")
    case = services.case_create(
        agreement=agreement,
        actor=contractor_a_member,
        title_zh="甲",
        title_en="A",
        use="industry",
        field="rail",
        starts_on=date(2011, 4, 1),
        ends_on=date(2013, 3, 31),
        activities=[
            {
                "mode": "training",
                "recipient": recipient,
                "value": Decimal("10.00"),
                "requested_multiplier": Decimal("1.00"),
            }
        ],
    )
    Case.objects.filter(pk=case.pk).update(status="in_execution")
    first = remind_progress_reports.apply_async(args=["2011-07-16"], queue=celery_worker_queue)
    second = remind_progress_reports.apply_async(args=["2011-07-16"], queue=celery_worker_queue)
    assert (first.get(timeout=60), second.get(timeout=60)) == (1, 0)
    reminder = ProgressReminder.objects.get(case=case)
    assert (reminder.year, reminder.quarter, reminder.overdue) == (2011, 2, True)
