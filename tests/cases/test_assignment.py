"""Who in the office handles a case (承辦人, issue 14): the office assigns a case to one of
its members; only the office may, only to an office member, only while the case is open;
the office's home and the work queue then show "mine", and the queue finds the cases whose
quarterly reports are overdue."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.choices import CaseStatus
from cases.models import Case
from cases.workflow import TransitionNotAllowed
from organizations.models import AuditEvent
from tests.factories import UserFactory
from tests.reports.test_statistics import (  # a small 2011 played through the API
    _client,
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["agreement", "non_profit_recipient", "pool", "year_2011"]


@pytest.fixture
def colleague(office_group):
    user = UserFactory(username="office-chen", first_name="志豪", last_name="陳")
    user.groups.add(office_group)
    return user


def _case(title: str) -> Case:
    return Case.objects.get(title_en=title)


def test_the_office_assigns_a_case_to_a_colleague_and_the_timeline_says_so(
    year_2011, office_user, colleague
):
    case = _case("energy case")
    services.case_assign(case=case, assignee=colleague, actor=office_user)
    case.refresh_from_db()
    assert case.assignee == colleague
    event = AuditEvent.objects.filter(action="case.assign").get()
    assert event.actor == office_user and event.note == colleague.display_name
    services.case_assign(case=case, assignee=None, actor=office_user)
    case.refresh_from_db()
    assert case.assignee is None


def test_only_the_office_may_assign_and_only_to_an_office_member(
    year_2011, office_user, contractor_a_member, colleague
):
    case = _case("energy case")
    with pytest.raises(PermissionDenied):
        services.case_assign(case=case, assignee=colleague, actor=contractor_a_member)
    with pytest.raises(ValidationError) as refused:
        services.case_assign(case=case, assignee=contractor_a_member, actor=office_user)
    assert "assignee" in refused.value.message_dict
    case.refresh_from_db()
    assert case.assignee is None


def test_a_finished_case_takes_no_handler(year_2011, office_user, colleague):
    rejected = _case("rail case")
    assert rejected.status == CaseStatus.REJECTED
    with pytest.raises(TransitionNotAllowed):
        services.case_assign(case=rejected, assignee=colleague, actor=office_user)


def test_assignment_through_the_api_and_its_refusals(
    year_2011, api_client, office_user, contractor_a_member, colleague
):
    case = _case("energy case")
    url = f"/api/v1/cases/{case.pk}/assign/"
    contractor = _client(api_client.__class__(), contractor_a_member)
    assert contractor.post(url, {"assignee": colleague.pk}, format="json").status_code == 403
    office = _client(api_client.__class__(), office_user)
    wrong = office.post(url, {"assignee": contractor_a_member.pk}, format="json")
    assert wrong.status_code == 400 and "assignee" in wrong.json()
    done = office.post(url, {"assignee": colleague.pk}, format="json")
    assert done.status_code == 200 and done.json()["assignee"] == colleague.pk
    mine = _client(api_client.__class__(), colleague).get("/api/v1/cases/?assignee=mine")
    assert [row["id"] for row in mine.json()["results"]] == [case.pk]
    rejected = _case("rail case")
    late = office.post(
        f"/api/v1/cases/{rejected.pk}/assign/", {"assignee": colleague.pk}, format="json"
    )
    assert late.status_code == 409


def test_the_case_page_assigns_and_the_queue_filters_mine(
    year_2011, client, office_user, colleague
):
    case = _case("energy case")
    client.force_login(office_user)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="assign-form"' in page
    response = client.post(f"/cases/{case.pk}/assign/", {"assign-assignee": colleague.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == colleague
    listed = client.get("/cases/?assignee=mine").content.decode()
    assert case.number not in listed  # the office user handles nothing
    client.force_login(colleague)
    listed = client.get("/cases/?assignee=mine").content.decode()
    assert case.number in listed and _case("aerospace case").number not in listed
    nobody = client.get("/cases/?assignee=none").content.decode()
    assert case.number not in nobody and _case("aerospace case").number in nobody


def test_the_queue_finds_the_cases_whose_reports_are_overdue(year_2011, client, office_user):
    client.force_login(office_user)
    listed = client.get("/cases/?reports=overdue").content.decode()
    # Case B, pre-approved at the 2011 #4 meeting, has filed no report since; case C was
    # rejected and owes none.
    assert _case("energy case").number in listed
    assert _case("rail case").number not in listed


def test_the_office_home_shows_my_work_when_asked(year_2011, client, office_user, colleague):
    case = _case("energy case")
    client.force_login(office_user)
    whole = client.get("/home/office/").content.decode()
    assert 'data-testid="queue-reports-overdue"' in whole
    mine = client.get("/home/office/?mine=1").content.decode()
    assert 'data-testid="queue-reports-overdue"' not in mine  # nothing handled by me
    services.case_assign(case=case, assignee=office_user, actor=office_user)
    mine = client.get("/home/office/?mine=1").content.decode()
    assert 'data-testid="queue-reports-overdue"' in mine
    assert "/cases/?reports=overdue&amp;assignee=mine" in mine
    assert 'data-testid="queue-briefings-overdue"' in whole
    assert 'data-testid="queue-briefings-overdue"' not in mine  # the office's, not mine
