"""Report jobs (api.md ``/reports/``): asked for through the API or the page, built by the
Celery task (claimed once, progress recorded, a failure kept with its reason), downloaded
by whoever asked, expired after ``REPORT_FILE_DAYS``; who may ask for which report; the
office's activity log."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from agreements.models import Agreement
from organizations.models import Organization
from reports import services, tasks
from reports.models import OfficeActivity, ReportJob
from tests.reports.test_statistics import (  # a small 2011 played through the API
    _client,
    _english,
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["_english", "agreement", "non_profit_recipient", "pool", "year_2011"]


def test_a_statement_through_the_api_closes_on_the_api_balance(
    year_2011, api_client, contractor_a_member, django_capture_on_commit_callbacks
):
    contractor = _client(api_client, contractor_a_member)
    usd = Agreement.objects.get(currency="USD_PTS")
    asked = contractor.post(
        "/api/v1/reports/",
        {
            "kind": "agreement_statement",
            "format": "xlsx",
            "parameters": {"agreement": usd.pk, "as_of": "2011-12-31"},
        },
        format="json",
    )
    assert asked.status_code == 202, asked.json()
    job = asked.json()
    assert (job["status"], job["progress"]) == ("queued", 0)
    assert contractor.get(f"/api/v1/reports/{job['id']}/file/").status_code == 404  # not yet
    assert tasks.run_job(job["id"]) == "done"
    assert tasks.run_job(job["id"]) == "skipped"
    done = contractor.get(f"/api/v1/reports/{job['id']}/").json()
    assert (done["status"], done["progress"]) == ("done", 100) and done["size_bytes"] > 0
    download = contractor.get(f"/api/v1/reports/{job['id']}/file/")
    assert download.status_code == 200

    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).worksheets[0]
    last = list(sheet.iter_rows(values_only=True))[-1]
    balance = contractor.get(f"/api/v1/agreements/{usd.pk}/balance/?as_of=2011-12-31").json()
    assert [f"{value:.2f}" for value in last[5:9]] == [
        balance["obligation"],
        balance["discharged"],
        balance["reserved"],
        balance["available"],
    ]


def test_who_may_ask_for_which_report(year_2011, api_client, contractor_a_member, contractor_b):
    contractor = _client(api_client, contractor_a_member)
    for kind, parameters in (("annual", {"year": 2011}), ("meeting_results", {"meeting": 1})):
        refused = contractor.post(
            "/api/v1/reports/",
            {"kind": kind, "format": "pdf", "parameters": parameters},
            format="json",
        )
        assert refused.status_code == 403, kind
    other = contractor.post(
        "/api/v1/reports/",
        {
            "kind": "contractor_statement",
            "format": "pdf",
            "parameters": {"contractor": contractor_b.pk},
        },
        format="json",
    )
    assert other.status_code == 403
    own = Organization.objects.get(pk=contractor_a_member.membership.organization_id)
    mine = contractor.post(
        "/api/v1/reports/",
        {"kind": "contractor_statement", "format": "pdf", "parameters": {"contractor": own.pk}},
        format="json",
    )
    assert mine.status_code == 202
    assert ReportJob.objects.count() == 1
    office = year_2011["office"]
    assert office.get(f"/api/v1/reports/{mine.json()['id']}/").status_code == 404  # not theirs


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "annual", "format": "pdf", "parameters": {"year": 2999}}, "year"),
        ({"kind": "annual", "format": "pdf", "parameters": {}}, "year"),
        ({"kind": "meeting_results", "format": "xlsx", "parameters": {"meeting": 1}}, "meeting"),
        (
            {"kind": "agreement_statement", "format": "pdf", "parameters": {"agreement": "x"}},
            "agreement",
        ),
        ({"kind": "annual", "format": "docx", "parameters": {"year": 2011}}, "format"),
    ],
)
def test_bad_requests_are_400_and_queue_nothing(year_2011, body, field):
    response = year_2011["office"].post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ReportJob.objects.exists()


def test_a_failed_job_keeps_its_reason(year_2011, office_user, monkeypatch):
    from reports import documents

    def broken(job, progress):
        progress(40)
        raise RuntimeError("the template is missing")

    monkeypatch.setitem(documents.RENDERERS, ("annual", "pdf"), broken)
    job = services.report_request(
        kind="annual", parameters={"year": 2011}, format="pdf", actor=office_user
    )
    assert tasks.run_job(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "the template is missing" in job.error
    assert job.progress == 40


def test_asking_again_while_queued_returns_the_same_job(year_2011, office_user):
    first = services.report_request(
        kind="annual", parameters={"year": 2011}, format="pdf", actor=office_user
    )
    again = services.report_request(
        kind="annual", parameters={"year": "2011"}, format="pdf", actor=office_user
    )
    assert again.pk == first.pk


def test_old_files_expire(year_2011, office_user, settings, django_capture_on_commit_callbacks):
    from organizations.services import system_user

    job = services.report_request(
        kind="annual", parameters={"year": 2011}, format="xlsx", actor=office_user
    )
    tasks.run_job(job.pk)
    job.refresh_from_db()
    path = job.file.path
    later = timezone.now() + timedelta(days=settings.REPORT_FILE_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes at the commit
        assert services.reports_expire(now=later, actor=system_user()) == 1
    job.refresh_from_db()
    assert job.status == "expired" and not job.file
    import os

    assert not os.path.exists(path)


def test_the_reports_page_asks_watches_and_downloads(year_2011, client, office_user):
    client.force_login(office_user)
    response = client.post(
        "/reports/", {"kind": "annual", "format": "xlsx", "year": "2011"}, follow=False
    )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    page = client.get("/reports/").content.decode()
    assert f'id="job-{job.pk}"' in page and f'data-poll="/api/v1/reports/{job.pk}/"' in page
    tasks.run_job(job.pk)
    page = client.get("/reports/").content.decode()
    assert f"/reports/{job.pk}/file/" in page and "data-poll=" not in page
    assert client.get(f"/reports/{job.pk}/file/").status_code == 200
    refused = client.post("/reports/", {"kind": "annual", "format": "pdf", "year": "2999"})
    assert refused.status_code == 200 and ReportJob.objects.count() == 1


def test_the_activity_log_is_the_offices(year_2011, client, office_user, contractor_a_member):
    client.force_login(office_user)
    response = client.post(
        "/office-activities/",
        {
            "activity-kind": "negotiation",
            "activity-held_on": "2011-05-26",
            "activity-title": "愛國者系統個案協商",
            "activity-counterpart": "Raytheon",
            "activity-firms": "0",
            "activity-people": "0",
        },
    )
    assert response.status_code == 302
    assert OfficeActivity.objects.get().title == "愛國者系統個案協商"
    listed = year_2011["office"].get("/api/v1/office-activities/").json()
    assert listed["count"] == 1
    client.force_login(contractor_a_member)
    assert client.get("/office-activities/").status_code == 403


def test_each_quarter_active_contractors_get_their_statement_by_mail(
    year_2011, contractor_a_manager, contractor_a_member, django_capture_on_commit_callbacks
):
    from datetime import date

    from organizations.services import system_user

    mail.outbox.clear()
    (job,) = services.statements_quarterly(today=date(2012, 1, 2), actor=system_user())
    assert job.parameters == {
        "contractor": contractor_a_manager.membership.organization_id,
        "as_of": "2011-12-31",
        "send": True,
    }
    assert services.statements_quarterly(today=date(2012, 2, 1), actor=system_user()) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_job(job.pk) == "done"
    job.refresh_from_db()
    (message,) = mail.outbox  # the manager, not the plain member
    assert message.to == [contractor_a_manager.email] and "2011-12-31" in message.subject
    assert message.attachments[0][0] == job.filename
    assert tasks.quarterly_statements("2012-01-03") == 0


def test_a_report_whose_file_is_gone_is_404_not_500(year_2011, office_user, client):
    import os

    job = services.report_request(
        kind="annual", parameters={"year": 2011}, format="xlsx", actor=office_user
    )
    tasks.run_job(job.pk)
    job.refresh_from_db()
    os.remove(job.file.path)  # the media folder lost the file (a restore without it)
    client.force_login(office_user)
    assert client.get(f"/reports/{job.pk}/file/").status_code == 404


def test_a_job_whose_worker_died_does_not_block_the_same_report(year_2011, office_user, settings):
    first = services.report_request(
        kind="annual", parameters={"year": 2011}, format="pdf", actor=office_user
    )
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    ReportJob.objects.filter(pk=first.pk).update(status="running", started_at=long_ago)
    again = services.report_request(
        kind="annual", parameters={"year": 2011}, format="pdf", actor=office_user
    )
    assert again.pk != first.pk
    first.refresh_from_db()
    assert first.status == "failed" and "worker" in first.error


def test_a_statement_of_another_contractor_is_refused_by_role_first(
    year_2011, api_client, reviewer_user
):
    reviewer = _client(api_client, reviewer_user)
    for contractor in (999999, "x"):
        refused = reviewer.post(
            "/api/v1/reports/",
            {
                "kind": "contractor_statement",
                "format": "pdf",
                "parameters": {"contractor": contractor},
            },
            format="json",
        )
        assert refused.status_code == 403, contractor


@pytest.mark.parametrize("query", ["year=abc", "start=x&end=y", "year=abc&format=xlsx"])
def test_a_refused_statistics_query_is_a_400_page(year_2011, client, office_user, query):
    client.force_login(office_user)
    assert client.get(f"/statistics/?{query}").status_code == 400
