"""The daily overdue-bill job runs on a real Celery worker over Redis."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from feedback.models import Bill
from feedback.tasks import mark_overdue_bills
from tests.factories import OrganizationFactory, make_agreement

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_the_overdue_job_marks_blocks_once_on_the_worker(
    celery_worker_queue, office_user, contractor_a, contractor_a_member
):
    from cases import services as case_services
    from feedback import services

    agreement = make_agreement(contractor=contractor_a, actor=office_user)
    firm = OrganizationFactory(kind="domestic_recipient", country="TW", profit_making=True)
    case = case_services.case_create(
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
                "recipient": firm,
                "value": Decimal("1000.00"),
                "requested_multiplier": Decimal("1.00"),
            }
        ],
    )
    activity = case.activities.get()
    activity.actual_credits = Decimal("1000.00")
    activity.save()
    (bill,) = services.bills_issue_for_case(
        case=case, issued_on=date(2011, 9, 26), actor=office_user
    )
    day_after_due = (bill.due_on + timedelta(days=1)).isoformat()
    first = mark_overdue_bills.apply_async(args=[day_after_due], queue=celery_worker_queue)
    second = mark_overdue_bills.apply_async(args=[day_after_due], queue=celery_worker_queue)
    assert (first.get(timeout=60), second.get(timeout=60)) == (1, 0)
    assert Bill.objects.get().status == "overdue"
    firm.refresh_from_db()
    assert firm.fee_blocked is True
