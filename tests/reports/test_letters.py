"""Decision letters (核定函, issue 13): when minutes are approved, each case decided gets
a bilingual letter — decision, credits, multiplier, conditions, the fee billed or to come,
what next — stored with the case, e-mailed once to the contractor's members in their
language with the PDF attached, and listed on the case page for the office and the
contractor only."""

import subprocess

from django.core import mail

from cases.models import Case
from committee.models import Meeting
from reports import tasks
from reports.models import DecisionLetter
from tests.factories import MembershipFactory, UserFactory
from tests.reports.test_statistics import (  # a small 2011 played through the API
    _english,
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["_english", "agreement", "non_profit_recipient", "pool", "year_2011"]


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_each_case_decided_gets_one_letter_mailed_to_the_contractor(
    year_2011, contractor_a_member, tmp_path, django_capture_on_commit_callbacks
):
    fourth = Meeting.objects.get(kind="promotion_committee", number=4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.issue_decision_letters(fourth.pk) == 2  # A actual, B pre-approved
        assert tasks.issue_decision_letters(fourth.pk) == 0  # run twice: issued once
    letters = DecisionLetter.objects.filter(meeting=fourth)
    assert {letter.case.status for letter in letters} == {"actually_approved", "pre_approved"}
    assert all(letter.issued_on.isoformat() == "2011-12-06" for letter in letters)
    messages = [m for m in mail.outbox if contractor_a_member.email in m.to]
    assert len(messages) == 2
    assert all(m.attachments and m.attachments[0][2] == "application/pdf" for m in messages)
    assert all("decision letter" in m.subject for m in messages)  # the member reads English

    actual = letters.get(case__status="actually_approved")
    text = _pdf_text(actual.file.read(), tmp_path)
    assert actual.case.number in text and "核定函" in text and "Decision letter" in text
    assert "7,200,000.00" in text and "3,240,000" in text  # actual credits; the fee billed
    pre = letters.get(case__status="pre_approved")
    text = _pdf_text(pre.file.read(), tmp_path)
    assert "6,000,000.00" in text and "progress report" in text


def test_the_letters_are_listed_for_the_office_and_the_contractor_only(
    year_2011, client, office_user, contractor_a_member
):
    fourth = Meeting.objects.get(kind="promotion_committee", number=4)
    tasks.issue_decision_letters(fourth.pk)
    case = Case.objects.get(status="actually_approved")
    letter = DecisionLetter.objects.get(case=case)
    url = f"/cases/{case.pk}/letters/{letter.pk}/"
    for user in (office_user, contractor_a_member):
        client.force_login(user)
        assert 'data-testid="decision-letters"' in client.get(f"/cases/{case.pk}/").content.decode()
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    agency_member = UserFactory(username="agency-reader")
    MembershipFactory(user=agency_member, organization=year_2011["agency"])
    client.force_login(agency_member)
    assert 'data-testid="decision-letters"' not in client.get(f"/cases/{case.pk}/").content.decode()
    assert client.get(url).status_code == 404


def test_approving_minutes_queues_the_letters(
    year_2011, django_capture_on_commit_callbacks, monkeypatch
):
    from icp_portal.lib import tasks as task_lib

    sent = []
    monkeypatch.setattr(
        task_lib,
        "task_named",
        lambda name: type("T", (), {"delay": staticmethod(lambda *a: sent.append((name, a)))}),
    )
    office = year_2011["office"]
    third = office.post(
        "/api/v1/meetings/",
        {"kind": "promotion_committee", "year": 2011, "number": 3, "held_on": "2011-09-08"},
        format="json",
    ).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        office.post(f"/api/v1/meetings/{third}/approve-minutes/", {}, format="json")
    assert ("reports.issue_decision_letters", (third,)) in sent
