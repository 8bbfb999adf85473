"""What the office writes for contractors in Chinese — supplement requests, initial review
opinions, committee decisions and their reasons, ledger notes, meeting titles — has an
English version (issue 14, item 4): an English reader sees it where it is written, else the
Chinese original marked "(in Chinese)"; a Chinese reader sees the Chinese; the API carries
both; the bilingual decision letter and the e-mails carry the English."""

import subprocess
from datetime import date
from decimal import Decimal as D

from django.core import mail
from django.urls import reverse

from agreements import services as agreement_services
from agreements.choices import EntryKind
from agreements.models import CreditEntry
from cases import services as case_services
from cases.choices import CaseStatus
from committee import services
from committee.choices import AgendaKind, MeetingKind, Outcome
from committee.models import Meeting
from reports import tasks as report_tasks
from reports.models import DecisionLetter
from tests.cases.test_pages import attach_all, make_case, sign_in
from tests.committee.test_pages import agreement, passed_case, pool, reviewed_case

__all__ = ["agreement", "pool"]

IN_CHINESE = 'data-testid="in-chinese"'
REQUEST_ZH = "請補充國內承接廠商之技術移轉能量佐證。"
REQUEST_EN = "Please add evidence that the recipient can absorb the technology."
REASON_ZH = "國內廠商於協議書簽署前已取得該訂單，核駁。"
REASON_EN = "The recipient had the order before the agreement was signed: rejected."
TITLE_ZH = "100年度第1次工業合作推動小組會議"
TITLE_EN = "Industrial Cooperation Promotion Committee, 2011 meeting no. 1"


def _page(client, user, url, language) -> str:
    sign_in(client, user, language=language)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_a_supplement_request_reads_in_english_where_the_office_wrote_it(
    client,
    office_user,
    contractor_a_member,
    agreement,
    recipient,
    django_capture_on_commit_callbacks,
):
    case = reviewed_case(agreement, contractor_a_member, office_user, recipient)
    sign_in(client, office_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("case_return_for_supplement", args=[case.pk]),
            {
                "return_for_supplement-request": REQUEST_ZH,
                "return_for_supplement-request_en": REQUEST_EN,
            },
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT_REQUESTED
    assert (case.office_request, case.office_request_en) == (REQUEST_ZH, REQUEST_EN)

    url = reverse("case_detail", args=[case.pk])
    english = _page(client, contractor_a_member, url, "en")
    assert REQUEST_EN in english and REQUEST_ZH not in english  # the request and the timeline
    assert IN_CHINESE not in english.split('data-testid="office-request"')[1].split("</div>")[0]
    assert REQUEST_EN in _page(
        client, contractor_a_member, reverse("case_edit", args=[case.pk]), "en"
    )
    chinese = _page(client, contractor_a_member, url, "zh-hant")
    assert REQUEST_ZH in chinese and REQUEST_EN not in chinese
    # The contractor's member reads English: the e-mail carries the English request.
    [message] = [m for m in mail.outbox if contractor_a_member.email in m.to]
    assert REQUEST_EN in message.body and REQUEST_ZH not in message.body


def test_without_an_english_text_the_english_reader_sees_the_chinese_marked(
    client,
    office_user,
    contractor_a_member,
    agreement,
    recipient,
    django_capture_on_commit_callbacks,
):
    case = reviewed_case(agreement, contractor_a_member, office_user, recipient)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_return_for_supplement(case=case, request=REQUEST_ZH, actor=office_user)
    english = _page(client, contractor_a_member, reverse("case_detail", args=[case.pk]), "en")
    office_request = english.split('data-testid="office-request"')[1].split("</div>")[0]
    assert REQUEST_ZH in office_request and IN_CHINESE in office_request
    assert "(in Chinese)" in office_request
    chinese = _page(client, contractor_a_member, reverse("case_detail", args=[case.pk]), "zh-hant")
    assert REQUEST_ZH in chinese and IN_CHINESE not in chinese
    [message] = [m for m in mail.outbox if contractor_a_member.email in m.to]
    assert f"{REQUEST_ZH} (in Chinese)" in message.body


def test_the_initial_review_opinion_has_an_english_version(
    client, office_user, contractor_a_member, agreement, recipient, api_client
):
    case = make_case(agreement, contractor_a_member, recipient)
    attach_all(case, contractor_a_member)
    case_services.case_submit(case=case, actor=contractor_a_member)
    case_services.case_start_checklist(case=case, actor=office_user)
    api_client.force_authenticate(office_user)
    response = api_client.post(
        f"/api/v1/cases/{case.pk}/initial-review/",
        {"opinion": "文件齊備，建議送審。", "opinion_en": "Complete; we recommend review."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["initial_review_opinion"] == "文件齊備，建議送審。"
    assert response.json()["initial_review_opinion_en"] == "Complete; we recommend review."
    url = reverse("case_detail", args=[case.pk])
    english = _page(client, contractor_a_member, url, "en")
    assert "Complete; we recommend review." in english and "文件齊備" not in english
    assert "文件齊備，建議送審。" in _page(client, contractor_a_member, url, "zh-hant")

    # Written in Chinese only: the English reader sees it, marked.
    other = reviewed_case(agreement, contractor_a_member, office_user, recipient)
    english = _page(client, contractor_a_member, reverse("case_detail", args=[other.pk]), "en")
    opinion = english.split('data-testid="initial-review-opinion"')[1].split("</p>")[0]
    assert "Value checked." in opinion and IN_CHINESE in opinion


def test_a_rejection_reads_in_the_contractors_language_on_the_page_the_mail_and_the_letter(
    client,
    office_user,
    contractor_a_member,
    agreement,
    recipient,
    pool,
    tmp_path,
    api_client,
    django_capture_on_commit_callbacks,
):
    case = passed_case(agreement, contractor_a_member, office_user, recipient, pool)
    sign_in(client, office_user)
    client.post(
        reverse("meeting_create"),
        {
            "kind": MeetingKind.PROMOTION_COMMITTEE,
            "year": "2011",
            "number": "1",
            "held_on": "2011-03-17",
            "title": TITLE_ZH,
            "title_en": TITLE_EN,
        },
    )
    meeting = Meeting.objects.get(kind=MeetingKind.PROMOTION_COMMITTEE)
    assert (meeting.title, meeting.title_en) == (TITLE_ZH, TITLE_EN)
    item = services.agenda_add(
        meeting=meeting, case=case, kind=AgendaKind.PRE_APPROVAL, actor=office_user
    )
    prefix = f"decision-{item.pk}"
    response = client.post(
        reverse("meeting_decision_record", args=[meeting.pk, item.pk]),
        {
            f"{prefix}-outcome": Outcome.REJECTED,
            f"{prefix}-note": REASON_ZH,
            f"{prefix}-note_en": REASON_EN,
        },
    )
    assert response.status_code == 302
    assert (item.decision.note, item.decision.note_en) == (REASON_ZH, REASON_EN)

    meeting_page = _page(client, office_user, reverse("meeting_detail", args=[meeting.pk]), "en")
    note = meeting_page.split('data-testid="decision-note"')[1].split("</span>")[0]
    assert TITLE_EN in meeting_page and REASON_EN in note and REASON_ZH not in note
    meeting_page = _page(
        client, office_user, reverse("meeting_detail", args=[meeting.pk]), "zh-hant"
    )
    note = meeting_page.split('data-testid="decision-note"')[1].split("</span>")[0]
    assert TITLE_ZH in meeting_page and REASON_ZH in note and REASON_EN not in note
    assert TITLE_EN in _page(client, office_user, reverse("meeting_list"), "en")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=meeting, actor=office_user, approved_on=date(2011, 3, 25))
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    decided = [m for m in mail.outbox if contractor_a_member.email in m.to]
    assert decided and all(REASON_EN in m.body and REASON_ZH not in m.body for m in decided)

    url = reverse("case_detail", args=[case.pk])
    # The contractor reads the decision on its case's timeline (the event keeps the Chinese).
    english = _page(client, contractor_a_member, url, "en")
    timeline = english.split('data-testid="timeline"')[1]
    assert REASON_EN in timeline and REASON_ZH not in english
    chinese = _page(client, contractor_a_member, url, "zh-hant")
    assert REASON_ZH in chinese.split('data-testid="timeline"')[1] and REASON_EN not in chinese
    # The office's list of the case's agenda items shows it too.
    office_page = _page(client, office_user, url, "en")
    note = office_page.split('data-testid="decision-note"')[1].split("</div>")[0]
    assert REASON_EN in note and IN_CHINESE not in note

    # The letter is bilingual: the Chinese reason and its English version, both titles.
    report_tasks.issue_decision_letters(meeting.pk)
    text = _pdf_text(DecisionLetter.objects.get(case=case).file.read(), tmp_path)
    flat = " ".join(text.split())
    assert "核駁" in flat and REASON_EN in flat and TITLE_EN in flat

    # The API carries both texts, and takes the English one where the Chinese is written.
    api_client.force_authenticate(office_user)
    meeting_json = api_client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert (meeting_json["title"], meeting_json["title_en"]) == (TITLE_ZH, TITLE_EN)
    [decision] = api_client.get(f"/api/v1/meetings/{meeting.pk}/decisions/").json()["results"]
    assert (decision["note"], decision["note_en"]) == (REASON_ZH, REASON_EN)


def test_the_api_records_a_meetings_and_a_decisions_english_texts(
    office_user, contractor_a_member, agreement, recipient, pool, api_client
):
    case = passed_case(agreement, contractor_a_member, office_user, recipient, pool)
    api_client.force_authenticate(office_user)
    response = api_client.post(
        "/api/v1/meetings/",
        {
            "kind": MeetingKind.PROMOTION_COMMITTEE,
            "year": 2011,
            "number": 2,
            "held_on": "2011-06-02",
            "title": TITLE_ZH,
            "title_en": TITLE_EN,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title_en"] == TITLE_EN
    meeting = Meeting.objects.get(pk=response.json()["id"])
    item = services.agenda_add(
        meeting=meeting, case=case, kind=AgendaKind.PRE_APPROVAL, actor=office_user
    )
    response = api_client.post(
        f"/api/v1/meetings/{meeting.pk}/decisions/",
        {
            "agenda_item": item.pk,
            "outcome": Outcome.REJECTED,
            "note": REASON_ZH,
            "note_en": REASON_EN,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["note_en"] == REASON_EN
    item.refresh_from_db()
    assert item.decision.note_en == REASON_EN


def test_ledger_notes_are_written_in_both_languages_when_posted(
    client, office_user, contractor_a_member, agreement, recipient, pool, api_client
):
    # A committee withdrawal releases the reserve with the decision's note in both languages.
    case = passed_case(agreement, contractor_a_member, office_user, recipient, pool)
    first = services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=2011,
        number=1,
        held_on=date(2011, 3, 17),
        actor=office_user,
    )
    item = services.agenda_add(
        meeting=first, case=case, kind=AgendaKind.PRE_APPROVAL, actor=office_user
    )
    services.decision_record(
        meeting=first,
        agenda_item=item,
        outcome=Outcome.APPROVED,
        activities=[
            {"activity": a.pk, "approved_multiplier": "18.00"} for a in case.activities.all()
        ],
        actor=office_user,
    )
    services.minutes_approve(meeting=first, actor=office_user, approved_on=date(2011, 3, 25))
    second = services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=2011,
        number=2,
        held_on=date(2011, 6, 2),
        actor=office_user,
    )
    item = services.agenda_add(
        meeting=second, case=case, kind=AgendaKind.WITHDRAWAL, actor=office_user
    )
    services.decision_record(
        meeting=second,
        agenda_item=item,
        outcome=Outcome.WITHDRAWN,
        note="外商申請撤案。",
        note_en="Withdrawn at the contractor's request.",
        actor=office_user,
    )
    services.minutes_approve(meeting=second, actor=office_user, approved_on=date(2011, 6, 16))
    release = CreditEntry.objects.get(case=case, kind=EntryKind.RELEASE)
    assert (release.note, release.note_en) == (
        "外商申請撤案。",
        "Withdrawn at the contractor's request.",
    )

    # The office's reversal reason, through the page, in both languages; an amendment
    # without English stays Chinese (marked for the English reader).
    sign_in(client, office_user)
    reserve = CreditEntry.objects.get(case=case, kind=EntryKind.RESERVE)
    agreement_services.agreement_amend_obligation(
        agreement=agreement,
        obligation=D("31000000.00"),
        effective_on=date(2011, 7, 1),
        reason="修約增加義務。",
        actor=office_user,
    )
    response = client.post(
        reverse("entry_reverse", args=[agreement.pk, release.pk]),
        {"reason": "誤植。", "reason_en": "Posted in error."},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    reversal = CreditEntry.objects.get(kind=EntryKind.REVERSAL)
    assert (reversal.note, reversal.note_en) == ("誤植。", "Posted in error.")
    assert reserve.note_en == ""

    url = reverse("agreement_detail", args=[agreement.pk])
    english = _page(client, contractor_a_member, url, "en")
    assert (
        "Posted in error." in english and "Withdrawn at the contractor&#x27;s request." in english
    )
    assert "誤植" not in english and "修約增加義務。" in english and IN_CHINESE in english
    chinese = _page(client, contractor_a_member, url, "zh-hant")
    assert "誤植。" in chinese and "Posted in error." not in chinese and IN_CHINESE not in chinese
    case_page = _page(client, contractor_a_member, reverse("case_detail", args=[case.pk]), "en")
    assert "Withdrawn at the contractor&#x27;s request." in case_page

    api_client.force_authenticate(office_user)
    entries = api_client.get(f"/api/v1/agreements/{agreement.pk}/ledger/").json()["results"]
    by_id = {row["id"]: row for row in entries}
    assert (by_id[reversal.pk]["note"], by_id[reversal.pk]["note_en"]) == (
        "誤植。",
        "Posted in error.",
    )
    response = api_client.post(
        f"/api/v1/agreements/{agreement.pk}/ledger/{reversal.reverses_id}/reverse/",
        {"reason": "再次更正。", "reason_en": "Corrected again."},
        format="json",
    )
    # The release is already reversed: refused, and nothing was written.
    assert response.status_code == 400
    response = api_client.post(
        f"/api/v1/agreements/{agreement.pk}/amend-obligation/",
        {
            "obligation": "32000000.00",
            "effective_on": "2011-07-02",
            "reason": "再修約。",
            "reason_en": "Amended again.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["note_en"] == "Amended again."
