"""The reports of the seeded 2011 year (domain.md §9, §4, §6; api.md "Reports and
statistics"): the annual report job builds a PDF holding the year's published figures and
its targets-against-done table; a meeting's results; a contractor's statement."""

import subprocess

import pytest
from django.utils import translation

from committee.models import Meeting
from organizations.models import Organization, User
from reports import services, tasks
from reports.models import Measure, ReportJob


def _text(job: ReportJob, tmp_path) -> str:
    path = tmp_path / job.filename
    path.write_bytes(job.file.read())
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture
def office(demo_db):
    return User.objects.get(username="office")


def _built(kind, parameters, format, actor) -> ReportJob:
    job = services.report_request(kind=kind, parameters=parameters, format=format, actor=actor)
    assert tasks.run_job(job.pk) == "done"
    assert tasks.run_job(job.pk) == "skipped"  # delivered twice: built once
    job.refresh_from_db()
    return job


def test_the_2011_annual_report_holds_the_published_figures_and_targets(office, tmp_path):
    job = _built("annual", {"year": 2011}, "pdf", office)
    assert (job.status, job.progress) == ("done", 100) and job.pages >= 8
    text = _text(job, tmp_path)
    # The four meetings with their pre-approved and actual credits (domain.md §4).
    for figure in (
        "26,726,856.00",
        "69,884,223.00",
        "223,250,000.00",
        "147,592,430.00",
        "37,872,762.00",
        "305,627,864.00",
        "13,926,904.00",
        "148,016,537.00",
        "199,162,419.00",
    ):
        assert figure in text, figure
    assert text.count("工業合作推動小組會議") >= 4
    # 8 agreements signed, about 2.11億 USD points; the demand items of §6.
    assert "211,000,000.00" in text
    assert "提案 78，優先 13，一般 17" in text and "不納入 47" in text
    # The targets-against-done table: 25 negotiation meetings against 16, 8 briefings.
    with translation.override("zh-hant"):
        label = str(Measure.NEGOTIATIONS.label)
    row = next(line for line in text.splitlines() if line.strip().startswith(label))
    assert row.split()[-3:] == ["16", "25", "達成"], row
    assert "2011-12-22" in text  # the negotiation meetings listed by date


def test_the_2011_annual_workbook_lists_targets_and_decisions(office):
    from io import BytesIO

    from openpyxl import load_workbook

    job = _built("annual", {"year": 2011}, "xlsx", office)
    book = load_workbook(BytesIO(job.file.read()))
    targets = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert (f"{targets[9][1]:.2f}" == "16.00") and targets[9][2] == 25  # negotiations
    decisions = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert len(decisions) == sum(
        m.agenda.exclude(decision=None).count()
        for m in Meeting.objects.filter(kind="promotion_committee", year=2011)
    )


def test_a_statement_closes_on_the_balance_the_api_gives(office, tmp_path, client):
    raytheon = Organization.objects.get(name_en__startswith="Raytheon")
    job = _built(
        "contractor_statement", {"contractor": raytheon.pk, "as_of": "2011-12-31"}, "pdf", office
    )
    text = _text(job, tmp_path)
    client.force_login(office)
    for agreement in raytheon.agreements.filter(signed_on__lte="2011-12-31"):
        balance = client.get(f"/api/v1/agreements/{agreement.pk}/balance/?as_of=2011-12-31").json()
        closing = [f"{float(balance[k]):,.2f}" for k in ("obligation", "discharged", "reserved")]
        assert agreement.number in text
        assert all(figure in text for figure in closing), (agreement.number, closing)


def test_a_meeting_results_report_has_the_meetings_totals(office, tmp_path):
    fourth = Meeting.objects.get(kind="promotion_committee", year=2011, number=4)
    text = _text(_built("meeting_results", {"meeting": fourth.pk}, "pdf", office), tmp_path)
    assert "147,592,430.00" in text and "148,016,537.00" in text
    assert all(
        item.case.number in text for item in fourth.agenda.exclude(case=None).select_related("case")
    )
