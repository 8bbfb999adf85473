"""Meeting pages: staff plan meetings (a sub-committee of 5–7, experts more than half),
build agendas, record decisions and approve the minutes; sub-committee members declare
conflicts and file opinions; the pages of a meeting are read-only once its minutes are
approved."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from agreements.choices import EntryKind, Mode
from agreements.models import CreditEntry
from cases import services as case_services
from cases.choices import CaseStatus, DocumentKind, SubcommitteeOutcome
from committee import services
from committee.choices import AgendaKind, MeetingKind, MeetingStatus
from committee.models import ConflictDeclaration, Meeting, Opinion
from organizations.choices import ReviewerKind
from tests.cases.test_pages import attach_all, make_case, pdf, sign_in, texts
from tests.factories import ProcurementFactory, ReviewerProfileFactory, UserFactory, make_agreement

D = Decimal


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agreement(office_user, contractor_a):
    agreement = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="30000000.00",
        signed_on=date(2011, 1, 10),
        procurement=ProcurementFactory(contract_signed_on=date(2010, 12, 1)),
    )
    agreement_services.multiplier_standard_set(
        agreement=agreement,
        mode=Mode.TECHNOLOGY_TRANSFER,
        min_multiplier=D("15"),
        max_multiplier=D("20"),
        effective_from=date(2011, 1, 10),
        actor=office_user,
    )
    agreement_services.plan_item_add(
        agreement=agreement, mode=Mode.TECHNOLOGY_TRANSFER, title="MRJ parts", actor=office_user
    )
    agreement_services.briefing_record(
        agreement=agreement, held_on=date(2011, 2, 15), title="招商說明會", actor=office_user
    )
    return agreement


@pytest.fixture
def pool(reviewer_user):
    """Six reviewers, four of them experts (``reviewer_user`` is the first expert)."""
    experts = [reviewer_user.reviewer_profile] + [
        ReviewerProfileFactory(kind=ReviewerKind.EXPERT) for _ in range(3)
    ]
    others = [
        ReviewerProfileFactory(kind=ReviewerKind.ASSOCIATION),
        ReviewerProfileFactory(kind=ReviewerKind.SCHOLAR),
    ]
    return experts + others


def reviewed_case(agreement, contractor, office, recipient, multiplier="18.00"):
    """A case through the office's checks: in initial review, ready for a sub-committee."""
    case = make_case(agreement, contractor, recipient, multiplier=multiplier)
    attach_all(case, contractor)
    case_services.case_submit(case=case, actor=contractor)
    case_services.case_start_checklist(case=case, actor=office)
    case_services.case_initial_review(case=case, opinion="Value checked.", actor=office)
    case.refresh_from_db()
    return case


def passed_case(agreement, contractor, office, recipient, pool, **kwargs):
    """A case the sub-committee passed, ready for the promotion committee."""
    case = reviewed_case(agreement, contractor, office, recipient, **kwargs)
    sub = services.meeting_create(
        kind=MeetingKind.SUBCOMMITTEE,
        year=2011,
        number=90 + Meeting.objects.count(),
        held_on=date(2011, 3, 1),
        members=pool[:5],
        actor=office,
    )
    services.agenda_add(meeting=sub, case=case, kind=AgendaKind.CASE_REVIEW, actor=office)
    case_services.case_subcommittee_review(
        case=case, outcome=SubcommitteeOutcome.PASS, actor=office
    )
    case.refresh_from_db()
    return case


def test_staff_plan_a_subcommittee_and_the_page_refuses_a_bad_composition(
    client, office_user, pool
):
    sign_in(client, office_user)
    assert client.get(reverse("meeting_create")).status_code == 200
    data = {
        "kind": MeetingKind.SUBCOMMITTEE,
        "year": "2011",
        "number": "3",
        "held_on": "2011-03-01",
        "title": "Aerospace sub-committee",
    }
    too_few = client.post(reverse("meeting_create"), {**data, "members": [p.pk for p in pool[:4]]})
    assert too_few.status_code == 200
    assert "A sub-committee seats 5 to 7 reviewers, not 4." in too_few.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(reverse("meeting_create"), {**data, "members": [p.pk for p in pool[:5]]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.title == "Aerospace sub-committee" and meeting.members.count() == 5


def test_a_subcommittee_needs_experts_more_than_half(client, office_user, pool):
    extra_others = [ReviewerProfileFactory(kind=ReviewerKind.SCHOLAR) for _ in range(2)]
    members = pool[:3] + pool[4:] + extra_others  # 3 experts of 7
    sign_in(client, office_user)
    data = {
        "kind": MeetingKind.SUBCOMMITTEE,
        "year": "2011",
        "number": "3",
        "held_on": "2011-03-01",
    }
    refused = client.post(reverse("meeting_create"), {**data, "members": [p.pk for p in members]})
    assert refused.status_code == 200
    assert "Experts must be more than half of a sub-committee: 3 of 7." in refused.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(reverse("meeting_create"), {**data, "members": [p.pk for p in pool]})
    assert response.status_code == 302
    assert Meeting.objects.get().members.count() == 6


def test_subcommittee_members_file_opinions_and_a_conflicted_member_cannot(
    client, office_user, contractor_a_member, reviewer_user, agreement, recipient, pool
):
    case = reviewed_case(agreement, contractor_a_member, office_user, recipient)
    meeting = services.meeting_create(
        kind=MeetingKind.SUBCOMMITTEE,
        year=2011,
        number=1,
        held_on=date(2011, 3, 1),
        members=pool[:5],
        actor=office_user,
    )
    sign_in(client, office_user)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert case.number in page  # suggested for the agenda
    response = client.post(
        reverse("meeting_agenda_add", args=[meeting.pk]),
        {"agenda-case": case.number, "agenda-kind": AgendaKind.CASE_REVIEW},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBCOMMITTEE_REVIEW
    item = meeting.agenda.get()

    # A member files an opinion on the case.
    sign_in(client, reviewer_user)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert case.number in page and "File your opinion" in page
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("meeting_opinion_file", args=[meeting.pk, item.pk]),
        {
            f"opinion-{item.pk}-recommendation": SubcommitteeOutcome.PASS,
            f"opinion-{item.pk}-opinion": "Sound transfer plan; recipient capable.",
        },
    )
    assert response.status_code == 302
    assert Opinion.objects.get().recommendation == SubcommitteeOutcome.PASS

    # Another member declares a conflict and then cannot file.
    other = pool[1].user
    sign_in(client, other)
    response = client.post(
        reverse("meeting_conflict_declare", args=[meeting.pk, item.pk]),
        {f"conflict-{item.pk}-reason": "I advise the recipient."},
    )
    assert response.status_code == 302
    assert ConflictDeclaration.objects.filter(reviewer=pool[1]).exists()
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "cannot file an opinion" in page and "File your opinion" not in page
    refused = client.post(
        reverse("meeting_opinion_file", args=[meeting.pk, item.pk]),
        {
            f"opinion-{item.pk}-recommendation": SubcommitteeOutcome.RETURNED,
            f"opinion-{item.pk}-opinion": "No.",
        },
    )
    assert refused.status_code == 200
    assert "declared a conflict of interest" in refused.content.decode()
    assert Opinion.objects.count() == 1

    # A reviewer who does not sit on the meeting sees neither the meeting nor the case.
    outsider = ReviewerProfileFactory(user=UserFactory(username="outsider")).user
    sign_in(client, outsider)
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404

    # The office reads the opinions and records the sub-committee's outcome on the case.
    sign_in(client, office_user)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Sound transfer plan; recipient capable." in page and "I advise the recipient." in page
    response = client.post(
        reverse("case_subcommittee_review", args=[case.pk]),
        {"subcommittee-outcome": SubcommitteeOutcome.PASS, "subcommittee-note": ""},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.subcommittee_outcome == SubcommitteeOutcome.PASS
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Sound transfer plan; recipient capable." in html


def test_staff_build_the_agenda_record_decisions_and_approve_the_minutes(
    client, office_user, contractor_a_member, agreement, recipient, pool
):
    case = passed_case(agreement, contractor_a_member, office_user, recipient, pool)
    activity = case.activities.get()
    sign_in(client, office_user)
    response = client.post(
        reverse("meeting_create"),
        {
            "kind": MeetingKind.PROMOTION_COMMITTEE,
            "year": "2011",
            "number": "1",
            "held_on": "2011-03-17",
            "title": "第1次工業合作推動小組會議",
        },
    )
    meeting = Meeting.objects.get(kind=MeetingKind.PROMOTION_COMMITTEE)
    assert response.url == reverse("meeting_detail", args=[meeting.pk])

    # A case that is not ready for the item asked is refused with a message, not an error.
    draft = make_case(agreement, contractor_a_member, recipient, title="Not ready")
    refused = client.post(
        reverse("meeting_agenda_add", args=[meeting.pk]),
        {"agenda-case": draft.number, "agenda-kind": AgendaKind.ACTUAL_APPROVAL},
    )
    assert refused.status_code == 302
    assert any("not possible while the case is" in text for text in texts(refused))
    unknown = client.post(
        reverse("meeting_agenda_add", args=[meeting.pk]),
        {"agenda-case": "C-1999-0001", "agenda-kind": AgendaKind.PRE_APPROVAL},
    )
    assert unknown.status_code == 200 and "No case you may see" in unknown.content.decode()

    client.post(
        reverse("meeting_agenda_add", args=[meeting.pk]),
        {"agenda-case": case.number, "agenda-kind": AgendaKind.PRE_APPROVAL},
    )
    item = meeting.agenda.get()
    case.refresh_from_db()
    assert case.status == CaseStatus.ON_AGENDA

    # Approving with an empty multiplier is refused on the form.
    prefix = f"decision-{item.pk}"
    missing = client.post(
        reverse("meeting_decision_record", args=[meeting.pk, item.pk]),
        {f"{prefix}-outcome": "approved", f"{prefix}-activity_{activity.pk}": ""},
    )
    assert missing.status_code == 200 and "Give this activity" in missing.content.decode()
    response = client.post(
        reverse("meeting_decision_record", args=[meeting.pk, item.pk]),
        {
            f"{prefix}-outcome": "approved",
            f"{prefix}-note": "Pre-approved as requested.",
            f"{prefix}-activity_{activity.pk}": "17.50",
        },
    )
    assert response.status_code == 302
    assert item.__class__.objects.get(pk=item.pk).decision.activities == [
        {"activity": str(activity.pk), "approved_multiplier": "17.50"}
    ]

    response = client.post(
        reverse("meeting_minutes_approve", args=[meeting.pk]), {"minutes-approved_on": "2011-03-24"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    case.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_APPROVED
    assert meeting.minutes_approved_on == date(2011, 3, 24)
    assert case.status == CaseStatus.PRE_APPROVED
    reserve = CreditEntry.objects.get(case=case, kind=EntryKind.RESERVE)
    assert reserve.amount == D("8750000.00")  # 500,000 × 17.5
    balance = agreement_selectors.agreement_balance(agreement=agreement)
    assert balance.reserved == D("8750000.00")

    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Minutes approved on 2011-03-24." in page
    assert reverse("meeting_minutes_approve", args=[meeting.pk]) not in page
    assert reverse("meeting_agenda_add", args=[meeting.pk]) not in page
    assert reverse("meeting_decision_record", args=[meeting.pk, item.pk]) not in page
    again = client.post(
        reverse("meeting_minutes_approve", args=[meeting.pk]),
        {"minutes-approved_on": "2011-03-25"},
        follow=True,
    )
    assert again.status_code == 200
    assert "“approve minutes” is not possible while the meeting is “Minutes approved”." in (
        again.content.decode()
    )

    case_page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "8,750,000.00" in case_page and "17.50×" in case_page

    # Execution: the contractor files a quarterly report, attaches evidence and asks for
    # actual approval through the case page.
    sign_in(client, contractor_a_member)
    response = client.post(
        reverse("progress_report_file", args=[case.pk]),
        {
            "progress_report-year": "2011",
            "progress_report-quarter": "2",
            "progress_report-percent_complete": "30",
            "progress_report-progress": "Drawings delivered.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_EXECUTION
    client.post(
        reverse("case_document_upload", args=[case.pk]),
        {"kind": DocumentKind.PROGRESS_EVIDENCE, "file": pdf("evidence.pdf")},
    )
    response = client.post(
        reverse("case_request_actual_approval", args=[case.pk]),
        {"request_actual_approval-note": "Transfer completed."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTUAL_REQUESTED

    # The next meeting approves the actual credits: the reserve is released.
    second = services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=2011,
        number=2,
        held_on=date(2011, 6, 2),
        actor=office_user,
    )
    sign_in(client, office_user)
    client.post(
        reverse("meeting_agenda_add", args=[second.pk]),
        {"agenda-case": case.number, "agenda-kind": AgendaKind.ACTUAL_APPROVAL},
    )
    actual_item = second.agenda.get()
    prefix = f"decision-{actual_item.pk}"
    client.post(
        reverse("meeting_decision_record", args=[second.pk, actual_item.pk]),
        {f"{prefix}-outcome": "approved", f"{prefix}-activity_{activity.pk}": "8600000.00"},
    )
    client.post(
        reverse("meeting_minutes_approve", args=[second.pk]), {"minutes-approved_on": "2011-06-09"}
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTUALLY_APPROVED
    balance = agreement_selectors.agreement_balance(agreement=agreement)
    assert balance.reserved == D("0.00") and balance.discharged == D("8600000.00")


def test_a_pre_approval_beyond_the_standard_fails_the_minutes_with_the_case_named(
    client, office_user, contractor_a_member, agreement, recipient, pool
):
    case = passed_case(agreement, contractor_a_member, office_user, recipient, pool)
    meeting = services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=2011,
        number=1,
        held_on=date(2011, 3, 17),
        actor=office_user,
    )
    item = services.agenda_add(
        meeting=meeting, case=case, kind=AgendaKind.PRE_APPROVAL, actor=office_user
    )
    services.decision_record(
        meeting=meeting,
        agenda_item=item,
        outcome="approved",
        activities=[{"activity": case.activities.get().pk, "approved_multiplier": "25.00"}],
        actor=office_user,
    )
    sign_in(client, office_user)
    response = client.post(
        reverse("meeting_minutes_approve", args=[meeting.pk]), {"minutes-approved_on": "2011-03-24"}
    )
    assert response.status_code == 200
    assert case.number in response.content.decode()
    assert "outside the agreement" in response.content.decode()
    meeting.refresh_from_db()
    case.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and case.status == CaseStatus.ON_AGENDA
    assert not CreditEntry.objects.filter(case=case).exists()


def test_meeting_lists_and_homes_by_role(
    client, office_user, reviewer_user, contractor_a_member, pool
):
    mine = services.meeting_create(
        kind=MeetingKind.SUBCOMMITTEE,
        year=2011,
        number=1,
        held_on=date(2011, 3, 1),
        members=pool[:5],
        actor=office_user,
    )
    others = services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=2011,
        number=1,
        held_on=date(2011, 3, 17),
        actor=office_user,
    )
    sign_in(client, office_user)
    page = client.get(reverse("meeting_list")).content.decode()
    assert reverse("meeting_detail", args=[mine.pk]) in page
    assert reverse("meeting_detail", args=[others.pk]) in page
    sign_in(client, reviewer_user)
    page = client.get(reverse("meeting_list")).content.decode()
    assert reverse("meeting_detail", args=[mine.pk]) in page
    assert reverse("meeting_detail", args=[others.pk]) not in page
    assert client.get(reverse("meeting_detail", args=[others.pk])).status_code == 404
    home = client.get(reverse("home_reviewer")).content.decode()
    assert reverse("meeting_detail", args=[mine.pk]) in home
    assert reverse("case_list") in home
    sign_in(client, contractor_a_member)
    assert client.get(reverse("meeting_list")).status_code == 403
    assert client.get(reverse("meeting_create")).status_code == 403
