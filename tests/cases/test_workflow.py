"""Cases through the API, end to end and rule by rule (domain.md §4, api.md "Cases",
"Committee"): filing with documents, the checklist, reviews, the committee's decisions
applied from approved minutes, execution and actual approval — with the ledger moving
exactly as the decisions say."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from agreements.choices import Mode
from agreements.models import CreditEntry
from cases import services
from cases.models import Case, credits_of
from committee.models import Meeting
from icp_portal.lib.uploads import blank_pdf
from organizations.choices import ReviewerKind
from organizations.services import api_token_issue
from tests.factories import (
    OrganizationFactory,
    ProcurementFactory,
    ReviewerProfileFactory,
    make_agreement,
)

D = Decimal
PDF = blank_pdf()  # a real one-page PDF: uploads are parsed


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def agreement(office_user, contractor_a):
    procurement = ProcurementFactory(contract_signed_on=date(2010, 12, 1))
    agreement = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="30000000.00",
        signed_on=date(2011, 1, 10),
        procurement=procurement,
    )
    for mode, low, high in [
        (Mode.TECHNOLOGY_TRANSFER, "15", "20"),
        (Mode.DOMESTIC_PROCUREMENT, "2", "2"),
    ]:
        agreement_services.multiplier_standard_set(
            agreement=agreement,
            mode=mode,
            min_multiplier=D(low),
            max_multiplier=D(high),
            effective_from=date(2011, 1, 10),
            actor=office_user,
        )
        agreement_services.plan_item_add(
            agreement=agreement, mode=mode, title=f"{mode} item", actor=office_user
        )
    agreement_services.briefing_record(
        agreement=agreement, held_on=date(2011, 2, 15), title="招商說明會", actor=office_user
    )
    return agreement


@pytest.fixture
def non_profit_recipient(db):
    return OrganizationFactory(
        kind="domestic_recipient",
        name_zh="國家中山科學研究院",
        name_en="NCSIST",
        country="TW",
        profit_making=False,
    )


@pytest.fixture
def pool(db):
    experts = [ReviewerProfileFactory(kind=ReviewerKind.EXPERT) for _ in range(4)]
    others = [
        ReviewerProfileFactory(kind=ReviewerKind.ASSOCIATION),
        ReviewerProfileFactory(kind=ReviewerKind.SCHOLAR),
    ]
    return experts + others


def _client(api_client, user):
    _token, key = api_token_issue(user=user, actor=user)
    client = api_client.__class__()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def _file(api, agreement, recipient, non_profit_recipient):
    response = api.post(
        "/api/v1/cases/",
        {
            "agreement": agreement.pk,
            "title_zh": "MRJ零組件技術移轉",
            "title_en": "MRJ parts technology transfer",
            "use": "indirect_defence",
            "field": "aerospace",
            "starts_on": "2011-04-01",
            "ends_on": "2013-03-31",
            "activities": [
                {
                    "mode": "technology_transfer",
                    "recipient": recipient.pk,
                    "value": "500000.00",
                    "requested_multiplier": "18.00",
                },
                {
                    "mode": "domestic_procurement",
                    "recipient": non_profit_recipient.pk,
                    "value": "1000000.25",
                    "requested_multiplier": "2.00",
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _upload(api, case_id, kind, activity=None, content=PDF, name="doc.pdf"):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")}
    if activity:
        data["activity"] = activity
    return api.post(f"/api/v1/cases/{case_id}/documents/", data, format="multipart")


def _attach_all(api, case):
    tech = case["activities"][0]["id"]
    for kind, activity in [
        ("application", None),
        ("plan", None),
        ("fee_commitment", tech),
        ("export_control_commitment", tech),
    ]:
        assert _upload(api, case["id"], kind, activity).status_code == 201


def _to_subcommittee(api_office, case_id, pool, office_user):
    assert api_office.post(f"/api/v1/cases/{case_id}/start-checklist/").status_code == 200
    for code in ("forms_complete", "chosen_publicly"):
        api_office.post(
            f"/api/v1/cases/{case_id}/checklist/", {"code": code, "result": "pass"}, format="json"
        )
    assert (
        api_office.post(
            f"/api/v1/cases/{case_id}/initial-review/",
            {"opinion": "技術層級高，建議送產業分組審查。"},
            format="json",
        ).status_code
        == 200
    )
    meeting = api_office.post(
        "/api/v1/meetings/",
        {
            "kind": "subcommittee",
            "year": 2011,
            "number": 1,
            "held_on": "2011-05-10",
            "members": [p.pk for p in pool[:5]],
        },
        format="json",
    )
    assert meeting.status_code == 201, meeting.json()
    item = api_office.post(
        f"/api/v1/meetings/{meeting.json()['id']}/agenda/",
        {"kind": "case_review", "case": case_id},
        format="json",
    )
    assert item.status_code == 201, item.json()
    return meeting.json()["id"]


def _promotion_meeting(api_office, number, held_on):
    response = api_office.post(
        "/api/v1/meetings/",
        {
            "kind": "promotion_committee",
            "year": int(held_on[:4]),
            "number": number,
            "held_on": held_on,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_a_case_from_filing_to_actual_approval_moves_the_ledger_as_decided(
    api_client,
    django_capture_on_commit_callbacks,
    office_user,
    contractor_a_member,
    recipient,
    non_profit_recipient,
    agreement,
    pool,
):
    api = _client(api_client, contractor_a_member)
    office = _client(api_client, office_user)
    case = _file(api, agreement, recipient, non_profit_recipient)
    # requested credits: 500,000 × 18 = 9,000,000.00; 1,000,000.25 × 2 = 2,000,000.50
    assert [a["requested_credits"] for a in case["activities"]] == ["9000000.00", "2000000.50"]
    refused = api.post(f"/api/v1/cases/{case['id']}/submit/")
    assert refused.status_code == 400 and "Missing documents" in str(refused.json())
    _attach_all(api, case)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(f"/api/v1/cases/{case['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert any("received" in m.subject for m in mail.outbox)

    checklist = {
        i["code"]: i["result"] for i in office.get(f"/api/v1/cases/{case['id']}/checklist/").json()
    }
    assert checklist == {
        "commitments": "pass",
        "no_bad_record": "pass",
        "matches_plan": "pass",
        "fits_available": "pass",
        "briefing_after_contract": "pass",
        "forms_complete": "unknown",
        "chosen_publicly": "unknown",
    }
    sub_id = _to_subcommittee(office, case["id"], pool, office_user)
    reviewer = _client(api_client, pool[0].user)
    opinion = reviewer.post(
        f"/api/v1/meetings/{sub_id}/opinions/",
        {"case": case["id"], "opinion": "同意通過", "recommendation": "pass"},
        format="json",
    )
    assert opinion.status_code == 201, opinion.json()
    reviewed = office.post(
        f"/api/v1/cases/{case['id']}/subcommittee-review/", {"outcome": "pass"}, format="json"
    )
    assert reviewed.json()["subcommittee_outcome"] == "pass"

    meeting_id = _promotion_meeting(office, 1, "2011-06-02")
    item = office.post(
        f"/api/v1/meetings/{meeting_id}/agenda/",
        {"kind": "pre_approval", "case": case["id"]},
        format="json",
    ).json()
    tech, proc = (a["id"] for a in case["activities"])
    decision = office.post(
        f"/api/v1/meetings/{meeting_id}/decisions/",
        {
            "agenda_item": item["id"],
            "outcome": "approved",
            "activities": [
                {"activity": tech, "approved_multiplier": "15.00"},
                {"activity": proc, "approved_multiplier": "2.00"},
            ],
        },
        format="json",
    )
    assert decision.status_code == 201, decision.json()
    with django_capture_on_commit_callbacks(execute=True):
        approved = office.post(
            f"/api/v1/meetings/{meeting_id}/approve-minutes/",
            {"approved_on": "2011-06-09"},
            format="json",
        )
    assert approved.status_code == 200 and approved.json()["status"] == "minutes_approved"
    # pre-approved: 500,000 × 15 = 7,500,000.00 + 2,000,000.50 = 9,500,000.50 reserved
    balance = office.get(f"/api/v1/agreements/{agreement.pk}/balance/").json()
    assert balance["reserved"] == "9500000.50" and balance["available"] == "20499999.50"
    assert balance["defence_share"] == "1.0000"
    entry = CreditEntry.objects.get(kind="reserve")
    assert (entry.case_id, entry.meeting_id, entry.effective_on) == (
        case["id"],
        meeting_id,
        date(2011, 6, 2),
    )
    assert api.get(f"/api/v1/cases/{case['id']}/").json()["status"] == "pre_approved"
    assert any("decision" in m.subject for m in mail.outbox)

    report = api.post(
        f"/api/v1/cases/{case['id']}/progress-reports/",
        {
            "year": 2011,
            "quarter": 2,
            "progress": "完成第一階段技術文件移轉",
            "percent_complete": 40,
        },
        format="json",
    )
    assert report.status_code == 201, report.json()
    assert api.get(f"/api/v1/cases/{case['id']}/").json()["status"] == "in_execution"
    assert (
        api.post(f"/api/v1/cases/{case['id']}/request-actual-approval/").status_code == 400
    )  # no evidence
    assert _upload(api, case["id"], "progress_evidence").status_code == 201
    assert (
        api.post(f"/api/v1/cases/{case['id']}/request-actual-approval/").json()["status"]
        == "actual_requested"
    )

    second = _promotion_meeting(office, 4, "2011-11-29")
    item = office.post(
        f"/api/v1/meetings/{second}/agenda/",
        {"kind": "actual_approval", "case": case["id"]},
        format="json",
    ).json()
    office.post(
        f"/api/v1/meetings/{second}/decisions/",
        {
            "agenda_item": item["id"],
            "outcome": "approved",
            "activities": [
                {"activity": tech, "actual_credits": "7200000.00"},
                {"activity": proc, "actual_credits": "2000000.50"},
            ],
        },
        format="json",
    )
    assert (
        office.post(f"/api/v1/meetings/{second}/approve-minutes/", {}, format="json").status_code
        == 200
    )
    balance = office.get(f"/api/v1/agreements/{agreement.pk}/balance/").json()
    assert balance["reserved"] == "0.00" and balance["discharged"] == "9200000.50"
    assert balance["available"] == "20799999.50"
    events = [
        (e["from_status"], e["to_status"])
        for e in api.get(f"/api/v1/cases/{case['id']}/events/").json()["results"]
        if e["from_status"] != e["to_status"]
    ]
    assert events[-1] == ("actual_requested", "actually_approved")
    assert ("on_agenda", "pre_approved") in events


def test_a_transition_not_in_the_table_is_409_with_the_current_status(
    api_client, office_user, contractor_a_member, recipient, non_profit_recipient, agreement
):
    api = _client(api_client, contractor_a_member)
    case = _file(api, agreement, recipient, non_profit_recipient)
    response = api.post(f"/api/v1/cases/{case['id']}/request-actual-approval/")
    assert response.status_code == 409
    assert response.json()["status"] == "draft" and "not possible" in response.json()["detail"]
    office = _client(api_client, office_user)
    assert office.post(f"/api/v1/cases/{case['id']}/start-checklist/").status_code == 409


def test_the_office_cannot_submit_for_the_contractor_and_the_contractor_cannot_review(
    api_client, office_user, contractor_a_member, recipient, non_profit_recipient, agreement
):
    api = _client(api_client, contractor_a_member)
    case = _file(api, agreement, recipient, non_profit_recipient)
    _attach_all(api, case)
    assert (
        _client(api_client, office_user).post(f"/api/v1/cases/{case['id']}/submit/").status_code
        == 403
    )
    api.post(f"/api/v1/cases/{case['id']}/submit/")
    assert api.post(f"/api/v1/cases/{case['id']}/start-checklist/").status_code == 403


@pytest.fixture
def case_on_agenda(
    api_client, office_user, contractor_a_member, recipient, non_profit_recipient, agreement, pool
):
    api = _client(api_client, contractor_a_member)
    office = _client(api_client, office_user)
    case = _file(api, agreement, recipient, non_profit_recipient)
    _attach_all(api, case)
    api.post(f"/api/v1/cases/{case['id']}/submit/")
    sub_id = _to_subcommittee(office, case["id"], pool, office_user)
    office.post(
        f"/api/v1/cases/{case['id']}/subcommittee-review/", {"outcome": "forward"}, format="json"
    )
    meeting_id = _promotion_meeting(office, 2, "2011-09-08")
    item = office.post(
        f"/api/v1/meetings/{meeting_id}/agenda/",
        {"kind": "pre_approval", "case": case["id"]},
        format="json",
    ).json()
    return {"case": case, "meeting": meeting_id, "item": item, "office": office, "sub": sub_id}


def _decide_pre_approval(setup, multiplier="15.00"):
    tech, proc = (a["id"] for a in setup["case"]["activities"])
    return setup["office"].post(
        f"/api/v1/meetings/{setup['meeting']}/decisions/",
        {
            "agenda_item": setup["item"]["id"],
            "outcome": "approved",
            "activities": [
                {"activity": tech, "approved_multiplier": multiplier},
                {"activity": proc, "approved_multiplier": "2.00"},
            ],
        },
        format="json",
    )


def test_minutes_are_applied_once(case_on_agenda):
    _decide_pre_approval(case_on_agenda)
    url = f"/api/v1/meetings/{case_on_agenda['meeting']}/approve-minutes/"
    assert case_on_agenda["office"].post(url, {}, format="json").status_code == 200
    again = case_on_agenda["office"].post(url, {}, format="json")
    assert again.status_code == 409 and again.json()["status"] == "minutes_approved"
    assert CreditEntry.objects.filter(kind="reserve").count() == 1
    changed = _decide_pre_approval(case_on_agenda, "16.00")
    assert changed.status_code == 409  # a decision cannot change after approval


def test_a_pre_approval_beyond_available_fails_the_whole_minutes_and_writes_nothing(
    case_on_agenda, office_user, agreement, contractor_a
):
    other = Case.objects.get(pk=case_on_agenda["case"]["id"])
    meeting = Meeting.objects.get(pk=case_on_agenda["meeting"])
    _decide_pre_approval(case_on_agenda)
    # Use up the agreement's room so the case's 9,500,000.50 no longer fits.
    agreement_services.credit_reserve(
        agreement=agreement,
        amount=D("25000000.00"),
        effective_on=date(2011, 8, 1),
        use="industry",
        actor=office_user,
    )
    entries_before = CreditEntry.objects.count()
    response = case_on_agenda["office"].post(
        f"/api/v1/meetings/{meeting.pk}/approve-minutes/", {}, format="json"
    )
    assert response.status_code == 400
    assert other.number in response.json()["detail"] and "available" in response.json()["detail"]
    assert CreditEntry.objects.count() == entries_before
    other.refresh_from_db()
    meeting.refresh_from_db()
    assert other.status == "on_agenda" and meeting.status == "planned"
    assert other.activities.filter(approved_multiplier__isnull=False).count() == 0


def test_a_multiplier_outside_the_agreements_standard_fails_the_minutes(case_on_agenda):
    _decide_pre_approval(case_on_agenda, "21.00")
    response = case_on_agenda["office"].post(
        f"/api/v1/meetings/{case_on_agenda['meeting']}/approve-minutes/", {}, format="json"
    )
    assert (
        response.status_code == 400
        and "outside the agreement's standard 15.00–20.00" in response.json()["detail"]
    )


def test_a_reviewer_with_a_conflict_cannot_file(api_client, case_on_agenda, pool):
    reviewer = _client(api_client, pool[1].user)
    sub = case_on_agenda["sub"]
    case_id = case_on_agenda["case"]["id"]
    declared = reviewer.post(
        f"/api/v1/meetings/{sub}/conflicts/",
        {"case": case_id, "reason": "曾任承接廠商顧問"},
        format="json",
    )
    assert declared.status_code == 201
    refused = reviewer.post(
        f"/api/v1/meetings/{sub}/opinions/",
        {"case": case_id, "opinion": "x", "recommendation": "pass"},
        format="json",
    )
    assert refused.status_code == 400 and "conflict of interest" in str(refused.json())
    outsider = _client(api_client, pool[5].user)  # not a member of that sub-committee
    assert (
        outsider.post(
            f"/api/v1/meetings/{sub}/opinions/",
            {"case": case_id, "opinion": "x", "recommendation": "pass"},
            format="json",
        ).status_code
        == 404
    )


def test_a_subcommittee_needs_five_to_seven_with_experts_more_than_half(
    api_client, office_user, pool
):
    office = _client(api_client, office_user)
    four = office.post(
        "/api/v1/meetings/",
        {
            "kind": "subcommittee",
            "year": 2011,
            "number": 7,
            "held_on": "2011-05-01",
            "members": [p.pk for p in pool[:4]],
        },
        format="json",
    )
    assert four.status_code == 400 and "5 to 7" in str(four.json())
    half = [
        pool[0],
        pool[1],
        pool[4],
        pool[5],
        ReviewerProfileFactory(kind=ReviewerKind.OFFICIAL),
        pool[2],
    ]  # 3 experts of 6: not more than half
    response = office.post(
        "/api/v1/meetings/",
        {
            "kind": "subcommittee",
            "year": 2011,
            "number": 8,
            "held_on": "2011-05-01",
            "members": [p.pk for p in half],
        },
        format="json",
    )
    assert response.status_code == 400 and "more than half" in str(response.json())


def test_a_contractor_never_sees_another_contractors_case_or_document(
    api_client, contractor_a_member, contractor_b_member, recipient, non_profit_recipient, agreement
):
    api = _client(api_client, contractor_a_member)
    case = _file(api, agreement, recipient, non_profit_recipient)
    document = _upload(api, case["id"], "application").json()
    other = _client(api_client, contractor_b_member)
    assert other.get(f"/api/v1/cases/{case['id']}/").status_code == 404
    assert other.get(f"/api/v1/cases/{case['id']}/documents/").status_code == 404
    assert other.get(document["download"]).status_code == 404
    assert other.get("/api/v1/cases/").json()["count"] == 0
    assert api.get(document["download"]).status_code == 200
    assert b"".join(api.get(document["download"]).streaming_content) == PDF


def test_a_non_pdf_upload_is_refused_by_its_bytes_not_its_name(
    api_client, contractor_a_member, recipient, non_profit_recipient, agreement
):
    api = _client(api_client, contractor_a_member)
    case = _file(api, agreement, recipient, non_profit_recipient)
    fake = _upload(api, case["id"], "application", content=b"MZ\x90\x00 not a pdf", name="plan.pdf")
    assert fake.status_code == 400 and "not a PDF" in str(fake.json())
    assert not Case.objects.get(pk=case["id"]).documents.exists()


def test_a_contractor_with_a_bad_record_cannot_submit(
    api_client, contractor_a, contractor_a_member, recipient, non_profit_recipient, agreement
):
    api = _client(api_client, contractor_a_member)
    case = _file(api, agreement, recipient, non_profit_recipient)
    _attach_all(api, case)
    contractor_a.bad_record = True
    contractor_a.save()
    response = api.post(f"/api/v1/cases/{case['id']}/submit/")
    assert response.status_code == 400 and "bad record" in str(response.json())


@pytest.mark.parametrize(
    "flag,words", [("barred", "barred"), ("fee_blocked", "overdue feedback fee")]
)
def test_a_barred_or_fee_blocked_recipient_cannot_be_named(
    api_client, contractor_a_member, recipient, non_profit_recipient, agreement, flag, words
):
    setattr(recipient, flag, True)
    recipient.save()
    api = _client(api_client, contractor_a_member)
    response = api.post(
        "/api/v1/cases/",
        {
            "agreement": agreement.pk,
            "title_zh": "甲",
            "title_en": "A",
            "use": "industry",
            "field": "aerospace",
            "starts_on": "2011-04-01",
            "ends_on": "2012-03-31",
            "activities": [
                {
                    "mode": "technology_transfer",
                    "recipient": recipient.pk,
                    "value": "1.00",
                    "requested_multiplier": "15.00",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 400 and words in str(response.json())
    assert not Case.objects.exists()


def test_credits_are_rounded_half_up_and_export_restriction_lasts_two_years():
    assert credits_of(D("1000000.25"), D("2.5")) == D("2500000.63")  # 2,500,000.625
    assert credits_of(D("0.05"), D("0.1")) == D("0.01")  # 0.005
    from cases.models import Activity

    activity = Activity(mode=Mode.TECHNOLOGY_TRANSFER, transfer_completed_on=date(2011, 9, 8))
    assert activity.export_restricted_until == date(2013, 9, 8)
    assert (
        Activity(mode=Mode.TRAINING, transfer_completed_on=date(2011, 9, 8)).export_restricted_until
        is None
    )


def test_progress_report_reminders_are_sent_once_and_overdue_goes_to_the_office(
    django_capture_on_commit_callbacks,
    office_user,
    contractor_a_member,
    recipient,
    non_profit_recipient,
    agreement,
):
    case = services.case_create(
        agreement=agreement,
        actor=contractor_a_member,
        title_zh="甲",
        title_en="A",
        use="industry",
        field="aerospace",
        starts_on=date(2011, 4, 1),
        ends_on=date(2013, 3, 31),
        activities=[
            {
                "mode": "domestic_procurement",
                "recipient": non_profit_recipient,
                "value": D("100.00"),
                "requested_multiplier": D("2.00"),
            }
        ],
    )
    Case.objects.filter(pk=case.pk).update(status="in_execution")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.progress_reports_remind(today=date(2011, 7, 16), actor=office_user)
        again = services.progress_reports_remind(today=date(2011, 7, 16), actor=office_user)
    assert (first, again) == (1, 0)  # 2011 Q2 due 2011-07-15, overdue on the 16th
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "overdue" in subjects[contractor_a_member.email]  # in English, as the contractor reads
    assert "逾期" in subjects[office_user.email]  # in Chinese for the office


def test_checklist_fails_when_no_briefing_followed_the_contract(
    api_client, office_user, contractor_a, contractor_a_member, recipient, non_profit_recipient
):
    agreement = make_agreement(contractor=contractor_a, actor=office_user, obligation="5.00")
    api = _client(api_client, contractor_a_member)
    response = api.post(
        "/api/v1/cases/",
        {
            "agreement": agreement.pk,
            "title_zh": "甲",
            "title_en": "A",
            "use": "industry",
            "field": "aerospace",
            "starts_on": "2011-04-01",
            "ends_on": "2012-03-31",
            "activities": [
                {
                    "mode": "training",
                    "recipient": non_profit_recipient.pk,
                    "value": "10.00",
                    "requested_multiplier": "1.00",
                }
            ],
        },
        format="json",
    )
    items = {
        i["code"]: i["result"]
        for i in api.get(f"/api/v1/cases/{response.json()['id']}/checklist/").json()
    }
    assert items["briefing_after_contract"] == "fail"
    assert items["matches_plan"] == "fail"  # the agreement has no plan items
    assert items["fits_available"] == "fail"  # 10.00 requested, 5.00 available
    assert agreement_selectors.agreement_balance(agreement=agreement).available == D("5.00")


def test_the_ledger_lists_a_cases_entries_with_their_meeting(case_on_agenda, agreement):
    _decide_pre_approval(case_on_agenda)
    office = case_on_agenda["office"]
    office.post(f"/api/v1/meetings/{case_on_agenda['meeting']}/approve-minutes/", {}, format="json")
    rows = office.get(
        f"/api/v1/agreements/{agreement.pk}/ledger/", {"case": case_on_agenda["case"]["id"]}
    ).json()["results"]
    assert [(r["kind"], r["amount"], r["meeting"]) for r in rows] == [
        ("reserve", "9500000.50", case_on_agenda["meeting"])
    ]


def test_recording_the_transfer_completion_sets_the_export_restriction(
    case_on_agenda, api_client, contractor_a_member
):
    _decide_pre_approval(case_on_agenda)
    office = case_on_agenda["office"]
    office.post(f"/api/v1/meetings/{case_on_agenda['meeting']}/approve-minutes/", {}, format="json")
    api = _client(api_client, contractor_a_member)
    case_id = case_on_agenda["case"]["id"]
    tech, proc = (a["id"] for a in case_on_agenda["case"]["activities"])
    done = api.post(
        f"/api/v1/cases/{case_id}/transfer-completed/",
        {"activity": tech, "completed_on": "2012-03-01"},
        format="json",
    )
    assert done.status_code == 200, done.json()
    activity = next(a for a in done.json()["activities"] if a["id"] == tech)
    assert (activity["transfer_completed_on"], activity["export_restricted_until"]) == (
        "2012-03-01",
        "2014-03-01",
    )
    refused = api.post(
        f"/api/v1/cases/{case_id}/transfer-completed/",
        {"activity": proc, "completed_on": "2012-03-01"},
        format="json",
    )
    assert refused.status_code == 400


def test_the_transfer_completion_is_recorded_from_the_case_page(
    case_on_agenda, client, contractor_a_member
):
    from django.urls import reverse

    _decide_pre_approval(case_on_agenda)
    case_on_agenda["office"].post(
        f"/api/v1/meetings/{case_on_agenda['meeting']}/approve-minutes/", {}, format="json"
    )
    case = Case.objects.get(pk=case_on_agenda["case"]["id"])
    tech = case.activities.get(mode="technology_transfer")
    client.force_login(contractor_a_member)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("activity_transfer_completed", args=[case.pk, tech.pk]) in page
    response = client.post(
        reverse("activity_transfer_completed", args=[case.pk, tech.pk]),
        {f"transfer-{tech.pk}-completed_on": "2012-03-01"},
    )
    assert response.status_code == 302
    tech.refresh_from_db()
    assert tech.export_restricted_until == date(2014, 3, 1)


def test_checkpoints_over_the_schedule_through_the_api_and_the_page(
    api_client, client, contractor_a_member, recipient, non_profit_recipient, agreement
):
    from django.urls import reverse

    api = _client(api_client, contractor_a_member)
    case = _file(api, agreement, recipient, non_profit_recipient)
    url = f"/api/v1/cases/{case['id']}/checkpoints/"
    outside = api.post(url, {"title": "技術文件移轉", "due_on": "2014-01-01"}, format="json")
    assert outside.status_code == 400 and "within the schedule" in str(outside.json())
    added = api.post(url, {"title": "技術文件移轉", "due_on": "2011-12-31"}, format="json")
    assert added.status_code == 201
    done = api.post(f"{url}{added.json()['id']}/done/", {"done_on": "2011-12-20"}, format="json")
    assert done.json()["done_on"] == "2011-12-20"
    client.force_login(contractor_a_member)
    response = client.post(
        reverse("checkpoint_add", args=[case["id"]]),
        {"checkpoint-title": "試量產", "checkpoint-due_on": "2012-06-30"},
    )
    assert response.status_code == 302
    assert [c["title"] for c in api.get(url).json()["results"]] == ["技術文件移轉", "試量產"]
