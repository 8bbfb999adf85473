"""The demo's packets (會議資料): every promotion-committee meeting of the replay has the
packet its members read, built 7 days before and sent 6 days before the meeting; the 2011
4th meeting's packet holds every case with its figures, the follow-up of the 3rd meeting,
the appended application and plan, contents whose page numbers are the real pages, and a
member's copy that withholds the case they declared a conflict on."""

import re
import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from committee import pdf, selectors, tasks
from committee.choices import AgendaKind, MeetingKind
from committee.models import ConflictDeclaration, Meeting, PacketCopy
from committee.selectors import PACKET_ATTACHMENT_KINDS
from icp_portal.lib.errors import Conflict


def _pages(content: bytes, tmp_path, name: str) -> list[str]:
    """The text of each page (pdftotext, layout kept)."""
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return text.split("\f")


@pytest.fixture
def fourth(demo_db):
    return Meeting.objects.get(kind=MeetingKind.PROMOTION_COMMITTEE, year=2011, number=4)


def test_every_promotion_meeting_has_its_final_packet_sent_in_time(demo_db):
    meetings = Meeting.objects.filter(kind=MeetingKind.PROMOTION_COMMITTEE)
    assert meetings.count() == 6  # 2010 #3–#4 and the four of 2011
    for meeting in meetings:
        packet = selectors.packet_latest(meeting=meeting)
        assert (packet.version, packet.status, packet.stage) == (1, "done", "final"), meeting
        assert timezone.localtime(packet.built_at).date() == meeting.held_on - timedelta(days=7)
        assert timezone.localtime(packet.sent_at).date() == meeting.held_on - timedelta(days=6)
        status = selectors.packet_status(meeting=meeting)
        assert status["late"] is False and status["stale"] is False
        assert packet.pages > 10 and packet.file.size == packet.size_bytes


def test_the_4th_meeting_packet_holds_every_case_the_figures_and_the_follow_up(fourth, tmp_path):
    packet = selectors.packet_latest(meeting=fourth)
    pages = _pages(packet.file.read(), tmp_path, "p4.pdf")
    text = "\n".join(pages)
    cases = [item.case for item in fourth.agenda.select_related("case")]
    assert len(cases) == 18
    for case in cases:
        assert case.number in text
    # Balances before and after each pre-approval's reserve, and the sub-committee opinions.
    pre = fourth.agenda.filter(kind=AgendaKind.PRE_APPROVAL).count()
    assert pre == 9  # 7 pre-approved, 2 rejected
    assert text.count("本案預核前可用額度") == pre and text.count("本案預核後可用額度") == pre
    assert "技術層次及對國內產業之效益明確，價值與乘數合理，建議通過。" in text
    # Actual approvals: goals against results and the evidence list.
    assert text.count("計畫目標與執行成果") == 6 and "completion-evidence.pdf" in text
    # The 3rd meeting's decisions and how each was carried out.
    third = Meeting.objects.get(kind=MeetingKind.PROMOTION_COMMITTEE, year=2011, number=3)
    assert "上次會議決議辦理情形" in text
    for item in third.agenda.exclude(case=None).select_related("case"):
        assert item.case.number in pages[4] + pages[5] + pages[6], item.case.number
    # The appended application and plan of the first case, with its own page numbers.
    assert f"Case {cases[0].number}:" in text and "Industrial cooperation plan" in text


def test_the_contents_page_numbers_are_the_real_pages_and_bookmarks_name_them(fourth, tmp_path):
    packet = selectors.packet_latest(meeting=fourth)
    content = packet.file.read()
    pages = _pages(content, tmp_path, "p4.pdf")
    contents = pages[1] + pages[2]
    entries = re.findall(
        r"^\s*(第\d+案 \S+：C-\d{4}-\d+|附件 \S+：\S+)\s*\.+\s*(\d+)\s*$", contents, re.M
    )
    assert len(entries) == 18 * 3  # each case and its two attachments
    for title, number in entries:
        page = pages[int(number) - 1]
        if title.startswith("附件"):
            kind = "Application for pre-approval" if "申請書" in title else "Industrial cooperation"
            assert kind in page, (title, number)
        else:
            assert title in page, (title, number)
    outline = PdfReader(BytesIO(content)).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    nested = [child.title for item in outline if isinstance(item, list) for child in item]
    assert any(title.startswith("第1案") for title in titles)
    assert sum(1 for title in nested if title.startswith("附件")) == 18 * 2


def test_every_page_is_a4_with_the_meeting_and_its_number(fourth, tmp_path):
    packet = selectors.packet_latest(meeting=fourth)
    content = packet.file.read()
    reader = PdfReader(BytesIO(content))
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {
        (595, 842)
    }
    pages = [page for page in _pages(content, tmp_path, "p4.pdf") if page.strip()]
    total = len(reader.pages)
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 頁／共 {total} 頁" in page
        if number > 1:
            assert "2011年 工業合作推動小組會議 第4次會議" in page


def test_the_conflicted_member_copy_withholds_the_case_and_its_attachments(fourth, tmp_path):
    conflict = ConflictDeclaration.objects.get(meeting=fourth)
    member = conflict.reviewer.user
    withheld = conflict.case
    assert fourth.agenda.get(case=withheld).kind == AgendaKind.PRE_APPROVAL
    # The demo leaves the copies to their first download: queued then, built by the task.
    with pytest.raises(Conflict):
        pdf.packet_pdf_for(meeting=fourth, user=member)
    (copy,) = PacketCopy.objects.filter(packet__meeting=fourth, member=member)
    assert tasks.build_member_copy(copy.pk) == "done"
    _packet, handle = pdf.packet_pdf_for(meeting=fourth, user=member)
    content = handle.read()
    pages = _pages(content, tmp_path, "copy.pdf")
    text = "\n".join(pages)
    assert withheld.number not in text and withheld.title_zh not in text
    assert withheld.title_en not in text  # nor the appended application and plan
    assert "withheld" in text.lower() or "迴避" in text
    others = [i.case for i in fourth.agenda.exclude(case=withheld).select_related("case")]
    assert all(case.number in text for case in others)
    name = member.display_name
    assert all(name in page for page in pages if page.strip())
    full = selectors.packet_latest(meeting=fourth).pages
    kinds = withheld.documents.filter(kind__in=PACKET_ATTACHMENT_KINDS).count()
    assert len(PdfReader(BytesIO(content)).pages) < full and kinds == 2
