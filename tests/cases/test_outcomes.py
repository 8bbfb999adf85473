"""Outcomes of a case (domain.md §14; api.md ``/cases/{id}/outcomes/``): the office
records what an actually approved case brought — technologies by name, NT$ investment,
orders and added output, people trained, jobs, the incrementality statement — at the
approval and again one and three years later, reminded once by a daily task."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services, tasks
from cases.models import Case, CaseOutcome, OutcomeReminder
from organizations.services import system_user
from tests.reports.test_statistics import (  # a small 2011 played through the API
    _english,
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["_english", "agreement", "non_profit_recipient", "pool", "year_2011"]

BODY = {
    "stage": "one_year",
    "as_of": "2012-12-10",
    "technologies": ["複材零件製程"],
    "investment_twd": "10000000",
    "orders_twd": "20000000",
    "added_output_twd": "30000000",
    "people_trained": 12,
    "jobs": 3,
    "incrementality": "無本案則無此投資。",
}


@pytest.fixture
def approved(year_2011):
    return Case.objects.get(status="actually_approved")


def test_the_office_records_and_corrects_each_stage_once(year_2011, approved, office_user):
    office = year_2011["office"]
    url = f"/api/v1/cases/{approved.pk}/outcomes/"
    assert office.post(url, BODY, format="json").status_code == 201
    corrected = office.post(url, {**BODY, "jobs": 5}, format="json")
    assert corrected.status_code == 201 and corrected.json()["jobs"] == 5
    rows = office.get(url).json()
    assert rows["count"] == 2  # the stage at approval (fixture) and the one-year revisit
    assert [row["stage"] for row in rows["results"]] == ["at_approval", "one_year"]
    assert CaseOutcome.objects.filter(case=approved, stage="one_year").count() == 1


def test_only_the_office_records_outcomes_and_only_after_actual_approval(
    year_2011, approved, contractor_a_member
):
    with pytest.raises(PermissionDenied):
        services.outcome_record(
            case=approved,
            stage="one_year",
            as_of=date(2012, 12, 10),
            incrementality="x",
            actor=contractor_a_member,
        )
    pending = Case.objects.get(status="pre_approved")
    refused = year_2011["office"].post(f"/api/v1/cases/{pending.pk}/outcomes/", BODY, format="json")
    assert refused.status_code == 409 and refused.json()["status"] == "pre_approved"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"incrementality": "  "}, "incrementality"),
        ({"investment_twd": "-1"}, "investment_twd"),
        ({"as_of": "2999-01-01"}, "as_of"),
        ({"technologies": ["x" * 201]}, "technologies"),
        ({"stage": "ten_years"}, "stage"),
    ],
)
def test_bad_outcomes_are_400_on_their_field_and_nothing_is_written(
    year_2011, approved, change, field
):
    response = year_2011["office"].post(
        f"/api/v1/cases/{approved.pk}/outcomes/", {**BODY, **change}, format="json"
    )
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not CaseOutcome.objects.filter(case=approved, stage="one_year").exists()


def test_the_case_page_shows_outcomes_and_the_office_records_them(
    year_2011, approved, client, office_user, contractor_a_member
):
    client.force_login(office_user)
    page = f"/cases/{approved.pk}/"
    assert 'data-testid="outcome-form"' in client.get(page).content.decode()
    response = client.post(
        f"/cases/{approved.pk}/outcomes/",
        {
            "outcome-stage": "three_years",
            "outcome-as_of": "2014-12-10",
            "outcome-technologies": "第一項技術\n\n第二項技術",
            "outcome-investment_twd": "0",
            "outcome-orders_twd": "5000000",
            "outcome-added_output_twd": "0",
            "outcome-people_trained": "0",
            "outcome-jobs": "2",
            "outcome-incrementality": "延續效益。",
        },
    )
    assert response.status_code == 302
    row = CaseOutcome.objects.get(case=approved, stage="three_years")
    assert row.technologies == ["第一項技術", "第二項技術"] and row.orders_twd == 5000000
    client.force_login(contractor_a_member)
    html = client.get(page).content.decode()
    assert 'data-testid="outcomes"' in html and "第二項技術" in html
    assert 'data-testid="outcome-form"' not in html


def test_revisits_are_reminded_once_when_due(
    year_2011, approved, office_user, django_capture_on_commit_callbacks
):
    # Actually approved at the meeting of 2011-11-29: revisits due 2012-11-29, 2014-11-29.
    mail.outbox.clear()
    assert services.outcome_revisits_remind(today=date(2012, 11, 28), actor=system_user()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_outcome_revisits("2012-11-29") == 1
        assert tasks.remind_outcome_revisits("2012-11-30") == 0  # sent once
    (message,) = mail.outbox
    assert message.to == [office_user.email] and approved.number in message.subject
    services.outcome_record(
        case=approved,
        stage="three_years",
        as_of=date(2014, 12, 1),
        incrementality="已記錄",
        actor=office_user,
    )
    assert tasks.remind_outcome_revisits("2015-01-01") == 0  # three-year stage recorded
    assert list(OutcomeReminder.objects.values_list("stage", flat=True)) == ["one_year"]
    with pytest.raises(PermissionDenied):
        services.outcome_revisits_remind(today=date(2015, 1, 1), actor=approved.created_by)


def test_unknown_figures_are_refused(approved, office_user):
    with pytest.raises(ValidationError):
        services.outcome_record(
            case=approved,
            stage="one_year",
            as_of=date(2012, 1, 1),
            incrementality="x",
            actor=office_user,
            profit_twd=1,
        )


def test_a_report_for_a_quarter_off_the_schedule_is_refused(
    year_2011, api_client, contractor_a_member
):
    """A quarterly report is filed for a quarter of the case's schedule so far (not one
    still to come, not one before it started)."""
    from tests.reports.test_statistics import _client

    case = Case.objects.get(status="pre_approved")  # schedule 2011-04-01 … 2013-03-31
    api = _client(api_client, contractor_a_member)
    body = {"progress": "進行中", "percent_complete": 5}
    for year, quarter in ((2011, 1), (2013, 2)):
        refused = api.post(
            f"/api/v1/cases/{case.pk}/progress-reports/",
            {"year": year, "quarter": quarter, **body},
            format="json",
        )
        assert refused.status_code == 400 and "quarter" in refused.json(), (year, quarter)
    filed = api.post(
        f"/api/v1/cases/{case.pk}/progress-reports/",
        {"year": 2011, "quarter": 2, **body},
        format="json",
    )
    assert filed.status_code == 201
