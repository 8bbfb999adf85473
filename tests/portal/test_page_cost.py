"""Pages and the minutes approval cost the same queries whatever the program's size
(issue 15, pages at scale): the meeting page, the bill list, and approving minutes, each
at 1× and 10× of the rows they read. (The agreement list, the work queue, the case page
and the statistics page have their own such tests beside their apps' pages.)"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.choices import CaseUse, Mode
from cases.choices import CaseStatus
from cases.models import Activity, Case
from committee import services
from committee.choices import AgendaKind, MeetingKind, Outcome
from committee.models import AgendaItem, Decision
from feedback.models import Bill
from organizations.choices import Field, OrganizationKind
from tests.factories import OrganizationFactory, make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(office_user, contractor_a):
    return make_agreement(contractor=contractor_a, actor=office_user, obligation="900000000.00")


def _cases(n, *, agreement, office, status=CaseStatus.SUBCOMMITTEE_REVIEW):
    """``n`` cases of ``agreement`` with one activity each (rows written directly: the page
    reads them, it does not care how they came)."""
    start = Case.objects.count()
    cases = Case.objects.bulk_create(
        Case(
            number=f"PC-{start + i:05d}",
            agreement=agreement,
            title_zh=f"合作案{start + i}",
            title_en=f"Case {start + i}",
            use=CaseUse.INDIRECT_DEFENCE,
            field=Field.choices[0][0],
            status=status,
            starts_on=date(2011, 4, 1),
            ends_on=date(2013, 4, 1),
            created_by=office,
            submitted_at=f"2011-03-{1 + i % 28:02d}T09:00:00+08:00",
            subcommittee_outcome="pass",
        )
        for i in range(n)
    )
    for index, case in enumerate(cases):
        recipient = OrganizationFactory(
            kind=OrganizationKind.DOMESTIC_RECIPIENT, country="TW", profit_making=True
        )
        Activity.objects.create(
            case=case,
            mode=Mode.TECHNOLOGY_TRANSFER,
            recipient=recipient,
            value=D("1000.00") + index,
            requested_multiplier=D("2.00"),
            requested_credits=(D("1000.00") + index) * 2,
        )
    return cases


def _count(client, path):
    client.get(path)  # warm (sessions, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_meeting_page_costs_the_same_queries_for_3_or_30_decided_items(
    client, office_user, agreement, django_assert_max_num_queries
):
    meeting = services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=2011,
        number=1,
        held_on=date(2011, 3, 17),
        actor=office_user,
    )

    def decide(cases):
        items = AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, kind=AgendaKind.PRE_APPROVAL, case=case) for case in cases
        )
        Decision.objects.bulk_create(
            Decision(
                agenda_item=item, outcome=Outcome.REJECTED, note="不予同意", decided_by=office_user
            )
            for item in items
        )

    decide(_cases(3, agreement=agreement, office=office_user, status=CaseStatus.ON_AGENDA))
    client.force_login(office_user)
    path = reverse("meeting_detail", args=[meeting.pk])
    few = _count(client, path)
    decide(_cases(27, agreement=agreement, office=office_user, status=CaseStatus.ON_AGENDA))
    with django_assert_max_num_queries(few):
        response = client.get(path)
    assert response.content.decode().count("不予同意") >= 30


def test_the_bill_list_costs_the_same_queries_for_3_or_30_bills_and_recipients(
    client, office_user, agreement, django_assert_max_num_queries
):
    def bill(cases):
        for case in cases:
            activity = case.activities.get()
            Bill.objects.create(
                number=f"PB-{case.pk}",
                recipient=activity.recipient,
                case=case,
                activity=activity,
                mode=activity.mode,
                credits=activity.requested_credits,
                credit_currency=agreement.currency,
                rate=D("0.0150"),
                defence_halved=False,
                exchange_rate=D("30.0000"),
                amount_twd=D("900"),
                issued_on=date(2012, 1, 1) + timedelta(days=case.pk % 300),
                due_on=date(2012, 12, 31),
            )

    status = CaseStatus.ACTUALLY_APPROVED
    bill(_cases(3, agreement=agreement, office=office_user, status=status))
    client.force_login(office_user)
    few = _count(client, reverse("bill_list"))
    bill(_cases(27, agreement=agreement, office=office_user, status=status))
    with django_assert_max_num_queries(few):
        response = client.get(reverse("bill_list"))
    assert response.context["page"].paginator.count == 30
    # Every recipient with a bill is offered in the filter (written in one pass).
    assert response.content.decode().count('<option value="') >= 30


def _approve(cases, *, office, number):
    meeting = services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=2011,
        number=number,
        held_on=date(2011, 3, 17),
        actor=office,
    )
    for case in cases:
        item = services.agenda_add(
            meeting=meeting, case=case, kind=AgendaKind.PRE_APPROVAL, actor=office
        )
        services.decision_record(
            meeting=meeting,
            agenda_item=item,
            outcome=Outcome.APPROVED,
            activities=[
                {"activity": a.pk, "approved_multiplier": "1.00"} for a in case.activities.all()
            ],
            actor=office,
        )
    with CaptureQueriesContext(connection) as captured:
        services.minutes_approve(meeting=meeting, actor=office, approved_on=date(2011, 3, 25))
    assert Case.objects.filter(
        pk__in=[c.pk for c in cases], status=CaseStatus.PRE_APPROVED
    ).count() == len(cases)
    return len(captured.captured_queries)


def test_approving_minutes_costs_the_same_queries_at_1x_and_10x_of_the_ledger_and_cases(
    office_user, agreement
):
    small = _approve(
        _cases(5, agreement=agreement, office=office_user), office=office_user, number=1
    )
    # Ten times the cases and ledger entries elsewhere in the program.
    others = _cases(50, agreement=agreement, office=office_user)
    _approve(others[:45], office=office_user, number=2)
    large = _approve(others[45:], office=office_user, number=3)
    assert large <= small
