"""The committee packet (會議資料, domain.md §5, api.md "Committee"): built by the Celery
task into a private PDF, read by staff in full and by each member in their own copy
(their name on every page, conflicted items withheld), stale when the agenda moves under
it, and finalized (e-mailed to every member once) only when current."""

import subprocess
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from committee import services, tasks
from committee.models import Meeting, Packet
from icp_portal.lib.uploads import blank_pdf
from organizations.models import AuditEvent
from organizations.services import system_user
from tests.cases import test_workflow as case_tests
from tests.factories import ReviewerProfileFactory, UserFactory

# The case fixtures of the case workflow tests: a pre-approval case on a promotion
# committee's agenda after the checklist, the initial review and a sub-committee.
_english = case_tests._english
agreement = case_tests.agreement
non_profit_recipient = case_tests.non_profit_recipient
pool = case_tests.pool
case_on_agenda = case_tests.case_on_agenda
_client = case_tests._client


def _text(content: bytes, tmp_path, name="packet.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture
def packet_meeting(case_on_agenda, office_user, reviewer_user):
    """The promotion committee with the pre-approval case, two members (one of whom
    declared a conflict on the case) and a sub-committee opinion on the case."""
    meeting = Meeting.objects.get(pk=case_on_agenda["meeting"])
    conflicted = ReviewerProfileFactory(
        user=UserFactory(username="conflicted-member", name="林志遠", language="en")
    )
    services.meeting_set_members(
        meeting=meeting, members=[reviewer_user.reviewer_profile, conflicted], actor=office_user
    )
    case = meeting.agenda.get().case
    sub = Meeting.objects.get(pk=case_on_agenda["sub"])
    services.opinion_file(
        meeting=sub,
        case=case,
        opinion="技術移轉內容具體，建議通過。",
        recommendation="pass",
        actor=sub.members.first().user,
    )
    services.conflict_declare(
        meeting=meeting, case=case, reason="曾任職於該公司", actor=conflicted.user
    )
    return {
        **case_on_agenda,
        "meeting_obj": meeting,
        "case_obj": case,
        "member": reviewer_user,
        "conflicted": conflicted.user,
    }


def _build_copies(meeting) -> None:
    """Run the members' copy tasks the finalize queued (as the worker would)."""
    from committee.models import PacketCopy

    for copy in PacketCopy.objects.filter(packet__meeting=meeting, status="queued"):
        assert tasks.build_member_copy(copy.pk) == "done"
        assert tasks.build_member_copy(copy.pk) == "skipped"  # delivered twice: built once


def _build(meeting, actor) -> Packet:
    packet = services.packet_build(meeting=meeting, actor=actor)
    assert tasks.build_packet(packet.pk) == "done"
    packet.refresh_from_db()
    return packet


def test_the_task_builds_the_packet_with_figures_and_opinions(
    packet_meeting, office_user, tmp_path
):
    packet = _build(packet_meeting["meeting_obj"], office_user)
    assert (packet.status, packet.progress, packet.stage) == ("done", 100, "draft")
    assert packet.file.name == f"private/packets/{packet.meeting_id}/v1.pdf"
    assert packet.pages >= 4 and packet.size_bytes == packet.file.size
    text = _text(packet.file.read(), tmp_path)
    case = packet_meeting["case_obj"]
    assert case.number in text
    assert "30,000,000.00" in text  # available before the reserve
    assert "11,000,000.50" in text  # the proposed reserve (500,000 × 18 + 1,000,000.25 × 2)
    assert "18,999,999.50" in text  # available after
    assert "技術移轉內容具體，建議通過。" in text  # the sub-committee opinion
    assert "技術層級高" in text  # the initial review opinion
    assert "15–20" in text  # the standard in force for technology transfer
    assert "機密" in text and "會議資料" in text
    assert AuditEvent.objects.filter(action="packet.built").count() == 1


def test_progress_goes_from_0_to_100_as_the_task_runs(packet_meeting, office_user, monkeypatch):
    packet = services.packet_build(meeting=packet_meeting["meeting_obj"], actor=office_user)
    assert (packet.status, packet.progress) == ("queued", 0)
    seen = []
    record = services.packet_progress

    def spy(*, packet_id, progress):  # calls through: the real row is written and read back
        record(packet_id=packet_id, progress=progress)
        seen.append(Packet.objects.values_list("progress", flat=True).get(pk=packet_id))

    monkeypatch.setattr(services, "packet_progress", spy)
    tasks.build_packet(packet.pk)
    packet.refresh_from_db()
    assert seen == sorted(seen) and len(seen) >= 4 and seen[0] > 0 and seen[-1] < 100
    assert packet.progress == 100


def test_running_the_task_twice_builds_once(packet_meeting, office_user):
    packet = _build(packet_meeting["meeting_obj"], office_user)
    assert tasks.build_packet(packet.pk) == "skipped"
    assert Packet.objects.count() == 1
    assert AuditEvent.objects.filter(action="packet.built").count() == 1


def test_a_second_build_request_while_one_is_queued_starts_nothing(packet_meeting, office_user):
    meeting = packet_meeting["meeting_obj"]
    first = services.packet_build(meeting=meeting, actor=office_user)
    assert services.packet_build(meeting=meeting, actor=office_user) == first
    assert meeting.packets.count() == 1
    tasks.build_packet(first.pk)
    assert services.packet_build(meeting=meeting, actor=office_user).version == 2


def test_a_failed_build_is_recorded_with_its_reason(packet_meeting, office_user, monkeypatch):
    from weasyprint.document import Document

    def broken(self, *args, **kwargs):
        raise RuntimeError("the printer is on fire")

    monkeypatch.setattr(Document, "write_pdf", broken)
    packet = services.packet_build(meeting=packet_meeting["meeting_obj"], actor=office_user)
    assert tasks.build_packet(packet.pk) == "failed"
    packet.refresh_from_db()
    assert packet.status == "failed"
    assert "the printer is on fire" in packet.error
    assert not packet.file
    assert AuditEvent.objects.filter(action="packet.failed").count() == 1


def test_the_status_object_and_who_may_build(packet_meeting, api_client, office_user):
    office, meeting = packet_meeting["office"], packet_meeting["meeting"]
    url = f"/api/v1/meetings/{meeting}/packet/"
    empty = office.get(url).json()
    assert empty["status"] == "none" and empty["version"] is None
    member = _client(api_client, packet_meeting["member"])
    assert member.post(url).status_code == 403
    started = office.post(url)
    assert started.status_code == 202
    assert set(started.json()) == {
        "meeting",
        "version",
        "status",
        "progress",
        "stage",
        "built_at",
        "pages",
        "size_bytes",
        "stale",
        "sent_at",
        "error",
        "send_by",
        "late",
        "versions",
    }
    assert (started.json()["version"], started.json()["status"]) == (1, "queued")
    assert office.post(url).json()["version"] == 1  # queued: nothing new starts
    tasks.build_packet(Packet.objects.get().pk)
    done = member.get(url).json()
    assert (done["status"], done["progress"], done["stale"]) == ("done", 100, False)
    assert done["pages"] >= 4


def test_a_member_copy_has_their_name_and_withholds_their_conflicts(
    packet_meeting, api_client, office_user, tmp_path
):
    meeting = packet_meeting["meeting_obj"]
    _build(meeting, office_user)
    office = packet_meeting["office"]
    pdf_url = f"/api/v1/meetings/{meeting.pk}/packet/pdf/"
    member = _client(api_client, packet_meeting["member"])
    assert member.get(pdf_url).status_code == 404  # nothing final yet
    assert office.post(f"/api/v1/meetings/{meeting.pk}/packet/finalize/").status_code == 200
    number = packet_meeting["case_obj"].number

    # The copies are rendered by the task the finalize queued; until then: 409 preparing.
    waiting = _client(api_client, packet_meeting["conflicted"]).get(pdf_url)
    assert waiting.status_code == 409 and waiting.json()["status"] == "preparing"
    _build_copies(meeting)
    response = _client(api_client, packet_meeting["conflicted"]).get(pdf_url)
    assert response.status_code == 200
    text = _text(b"".join(response.streaming_content), tmp_path, "conflicted.pdf")
    assert "林志遠" in text
    assert number not in text
    assert "withheld: conflict of interest declared" in text or "利益迴避" in text

    response = member.get(pdf_url)
    text = _text(b"".join(response.streaming_content), tmp_path, "member.pdf")
    assert packet_meeting["member"].name in text and number in text
    assert member.get(pdf_url + "?version=1").status_code == 403  # earlier versions: staff
    downloads = AuditEvent.objects.filter(action="packet.download")
    assert downloads.count() == 2

    full = office.get(pdf_url + "?version=1")
    assert full.status_code == 200
    assert number in _text(b"".join(full.streaming_content), tmp_path, "full.pdf")


def test_a_contractor_gets_404(packet_meeting, api_client, office_user, contractor_a_member):
    meeting = packet_meeting["meeting_obj"]
    _build(meeting, office_user)
    contractor = _client(api_client, contractor_a_member)
    for path in ("packet/", "packet/pdf/"):
        assert contractor.get(f"/api/v1/meetings/{meeting.pk}/{path}").status_code == 404
    assert contractor.post(f"/api/v1/meetings/{meeting.pk}/packet/finalize/").status_code == 404


def test_an_agenda_change_makes_it_stale_and_finalize_waits_for_a_rebuild(
    packet_meeting, office_user, django_capture_on_commit_callbacks
):
    office, meeting = packet_meeting["office"], packet_meeting["meeting_obj"]
    finalize = f"/api/v1/meetings/{meeting.pk}/packet/finalize/"
    status = f"/api/v1/meetings/{meeting.pk}/packet/"
    assert office.post(finalize).status_code == 409  # never built
    _build(meeting, office_user)
    assert office.get(status).json()["stale"] is False
    # The office records the draft decision: the agenda moved under the build.
    services.decision_record(
        meeting=meeting,
        agenda_item=meeting.agenda.get(),
        outcome="renegotiate",
        note="請廠商重新議約",
        actor=office_user,
    )
    assert office.get(status).json()["stale"] is True
    refused = office.post(finalize)
    assert refused.status_code == 409 and refused.json()["status"] == "stale"
    _build(meeting, office_user)
    with django_capture_on_commit_callbacks(execute=True):
        final = office.post(finalize)
    assert final.status_code == 200
    assert (final.json()["stage"], final.json()["version"]) == ("final", 2)
    assert final.json()["sent_at"]
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted([packet_meeting["member"].email, packet_meeting["conflicted"].email])
    english = next(m for m in mail.outbox if m.to == [packet_meeting["conflicted"].email])
    assert "packet" in english.subject
    with django_capture_on_commit_callbacks(execute=True):
        assert office.post(finalize).status_code == 409  # already final: sent once
    assert len(mail.outbox) == 2


def test_a_failed_build_cannot_be_finalized(packet_meeting, office_user, monkeypatch):
    from weasyprint.document import Document

    monkeypatch.setattr(Document, "write_pdf", lambda self, *a, **k: 1 / 0)
    packet = services.packet_build(meeting=packet_meeting["meeting_obj"], actor=office_user)
    tasks.build_packet(packet.pk)
    response = packet_meeting["office"].post(
        f"/api/v1/meetings/{packet.meeting_id}/packet/finalize/"
    )
    assert response.status_code == 409 and response.json()["status"] == "failed"


def test_the_meeting_page_builds_shows_and_finalizes_the_packet(
    packet_meeting, client, office_user, django_capture_on_commit_callbacks
):
    meeting = packet_meeting["meeting_obj"]
    page = f"/meetings/{meeting.pk}/"
    client.force_login(office_user)
    body = client.get(page).content.decode()
    assert f'action="/meetings/{meeting.pk}/packet/"' in body  # the build button
    assert f"/meetings/{meeting.pk}/packet/finalize/" not in body  # nothing built yet
    response = client.post(f"/meetings/{meeting.pk}/packet/")
    assert response.status_code == 302
    packet = Packet.objects.get()
    assert packet.status == "queued"
    tasks.build_packet(packet.pk)
    body = client.get(page).content.decode()
    assert 'data-testid="packet"' in body and f"/meetings/{meeting.pk}/packet/finalize/" in body
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/meetings/{meeting.pk}/packet/finalize/").status_code == 302
    assert len(mail.outbox) == 2
    client.force_login(packet_meeting["member"])
    body = client.get(page).content.decode()
    assert 'data-testid="packet-download"' in body
    assert 'data-testid="packet-mine"' in body and 'data-seen="new"' in body
    _build_copies(meeting)
    download = client.get(f"/meetings/{meeting.pk}/packet/pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    body = client.get(page).content.decode()
    assert 'data-seen="new"' not in body and 'data-seen="opened"' in body


# --- The daily draft (beat) and builds whose worker died ---------------------------------


def _send_mails(callbacks) -> None:
    """Run the e-mails a service queued for the commit, not the Celery enqueue (the
    task is run here in-process instead)."""
    for callback in callbacks:
        if callback.__qualname__ == "send_on_commit.<locals>.send":  # icp_portal/lib/mail.py
            callback()


def test_the_daily_job_queues_one_draft_7_days_ahead_and_tells_the_office_once(
    packet_meeting, office_user, django_capture_on_commit_callbacks
):
    meeting = packet_meeting["meeting_obj"]  # held on 2011-09-08
    later = services.meeting_create(
        kind="promotion_committee",
        year=2011,
        number=3,
        held_on=date(2011, 12, 8),
        actor=office_user,
    )
    system = system_user()
    with django_capture_on_commit_callbacks() as callbacks:
        (packet,) = services.packets_build_upcoming(today=date(2011, 9, 1), actor=system)
    _send_mails(callbacks)
    assert packet.meeting == meeting and packet.built_by == system
    assert (packet.version, packet.stage, packet.status) == (1, "draft", "queued")
    assert not later.packets.exists()
    (message,) = mail.outbox
    assert message.to == [office_user.email]
    assert "2011-09-03" in message.body  # finalize by: five days before the meeting
    assert f"/meetings/{meeting.pk}/" in message.body
    # Run again (the next beat, or the same one delivered twice): no second draft, no mail.
    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.build_upcoming_packets("2011-09-01") == 0
    _send_mails(callbacks)
    assert meeting.packets.count() == 1 and len(mail.outbox) == 1
    assert tasks.build_packet(packet.pk) == "done"


@pytest.mark.parametrize(
    ("today", "drafts"),
    [("2011-08-31", 0), ("2011-09-01", 1), ("2011-09-05", 1), ("2011-09-08", 0)],
)
def test_the_daily_job_catches_up_until_the_day_before_the_meeting(packet_meeting, today, drafts):
    built = services.packets_build_upcoming(today=date.fromisoformat(today), actor=system_user())
    assert len(built) == drafts


def test_the_daily_job_leaves_a_meeting_the_office_already_built(packet_meeting, office_user):
    meeting = packet_meeting["meeting_obj"]
    services.packet_build(meeting=meeting, actor=office_user)
    assert services.packets_build_upcoming(today=date(2011, 9, 1), actor=system_user()) == []
    assert meeting.packets.count() == 1


def test_the_daily_job_tries_a_failed_draft_again_without_a_second_mail(
    packet_meeting, office_user, monkeypatch, django_capture_on_commit_callbacks
):
    from weasyprint.document import Document

    system = system_user()
    with django_capture_on_commit_callbacks() as callbacks:
        (first,) = services.packets_build_upcoming(today=date(2011, 9, 1), actor=system)
    _send_mails(callbacks)
    with monkeypatch.context() as patch:
        patch.setattr(Document, "write_pdf", lambda self, *a, **k: 1 / 0)
        assert tasks.build_packet(first.pk) == "failed"
    with django_capture_on_commit_callbacks() as callbacks:
        (second,) = services.packets_build_upcoming(today=date(2011, 9, 2), actor=system)
    _send_mails(callbacks)
    assert second.version == 2 and len(mail.outbox) == 1
    assert tasks.build_packet(second.pk) == "done"
    assert services.packets_build_upcoming(today=date(2011, 9, 3), actor=system) == []


def test_only_the_office_and_the_system_may_run_the_daily_job(packet_meeting):
    with pytest.raises(PermissionDenied):
        services.packets_build_upcoming(today=date(2011, 9, 1), actor=packet_meeting["member"])


def test_the_beat_runs_the_daily_draft_job():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "committee.build_upcoming_packets" in tasks_scheduled


def _age(packet, field, seconds) -> None:
    Packet.objects.filter(pk=packet.pk).update(
        **{field: timezone.now() - timedelta(seconds=seconds)}
    )


def test_a_build_left_running_by_a_dead_worker_expires_and_a_new_one_starts(
    packet_meeting, office_user
):
    meeting = packet_meeting["meeting_obj"]
    stuck = services.packet_build(meeting=meeting, actor=office_user)
    assert services.packet_claim(packet_id=stuck.pk)  # a worker took it, then died
    limit = settings.CELERY_TASK_TIME_LIMIT
    _age(stuck, "started_at", limit + 30)  # within the margin: still building
    assert services.packet_build(meeting=meeting, actor=office_user) == stuck
    _age(stuck, "started_at", limit + 61)
    fresh = services.packet_build(meeting=meeting, actor=office_user)
    assert (fresh.version, fresh.status) == (2, "queued")
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert f"did not finish within {limit + 60} s" in stuck.error
    assert AuditEvent.objects.filter(action="packet.failed").count() == 1
    assert tasks.build_packet(fresh.pk) == "done"


def test_a_build_never_picked_up_expires_and_its_late_delivery_does_nothing(
    packet_meeting, office_user
):
    meeting = packet_meeting["meeting_obj"]
    lost = services.packet_build(meeting=meeting, actor=office_user)
    _age(lost, "created_at", settings.CELERY_TASK_TIME_LIMIT + 61)
    fresh = services.packet_build(meeting=meeting, actor=office_user)
    assert fresh.version == 2
    assert tasks.build_packet(lost.pk) == "skipped"  # the old message arrives at last
    lost.refresh_from_db()
    assert lost.status == "failed" and not lost.file


# --- Attachments, timeliness, versions -----------------------------------------------------


def _upload(case, actor, kind, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases import services as case_services

    return case_services.document_upload(
        case=case,
        kind=kind,
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        actor=actor,
    )


def test_the_application_and_plan_are_appended_upright_inside_a4_pages(
    packet_meeting, office_user, tmp_path
):
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter, Transformation

    from icp_portal.lib.uploads import text_pdf

    case = packet_meeting["case_obj"]
    case.documents.all().delete()
    # A scanned plan: its content drawn sideways on a landscape sheet, shown upright by
    # /Rotate 90; it must come out upright, scaled into the packet's A4 page.
    source = PdfReader(BytesIO(text_pdf(["Plan of the case", "Rotated scan"], pages=3)))
    writer = PdfWriter()
    for page in source.pages:
        sideways = writer.add_page(page)
        sideways.add_transformation(Transformation().rotate(90).translate(842, 0))
        sideways.mediabox.upper_right = (842, 595)
        sideways.rotate(90)
    rotated = BytesIO()
    writer.write(rotated)
    _upload(case, office_user, "plan", rotated.getvalue(), "plan-scan.pdf")
    _upload(case, office_user, "application", text_pdf(["Application form"]), "app.pdf")
    packet = _build(packet_meeting["meeting_obj"], office_user)
    content = packet.file.read()
    reader = PdfReader(BytesIO(content))
    sizes = {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages}
    assert sizes == {(595, 842)} and not any(p.rotation for p in reader.pages)
    pages = _text(content, tmp_path).split("\f")
    attached = [
        i
        for i, page in enumerate(pages)
        if "Plan of the case" in page or "Application form" in page
    ]
    # After the case's section, in the order uploaded (plan, then application), the last
    # pages of the packet, each under the packet's header and page number.
    assert attached == list(range(len(reader.pages) - 4, len(reader.pages)))
    assert "Page 3 of 3" in pages[attached[2]] and "Application form" in pages[attached[3]]
    assert all("機密" in pages[i] and f"共 {len(reader.pages)} 頁" in pages[i] for i in attached)
    # Upright: the rotated scan's text reads horizontally on the packet's page.
    assert "Rotated scan" in reader.pages[attached[0]].extract_text(orientations=(0,))
    nested = [c.title for item in reader.outline if isinstance(item, list) for c in item]
    attachments = [title for title in nested if title.startswith("附件")]
    assert attachments == ["附件 計畫書：plan-scan.pdf", "附件 申請書：app.pdf"]
    assert packet.pages == len(reader.pages)


def test_an_unreadable_attachment_is_noted_and_the_build_still_succeeds(
    packet_meeting, office_user, tmp_path
):
    case = packet_meeting["case_obj"]
    document = case.documents.filter(kind="application").first() or _upload(
        case, office_user, "application", blank_pdf(), "app.pdf"
    )
    with open(document.file.path, "wb") as handle:  # the stored file damaged on disk
        handle.write(b"%PDF-1.4 damaged")
    packet = _build(packet_meeting["meeting_obj"], office_user)
    text = _text(packet.file.read(), tmp_path)
    assert "Attachment could not be read" in text and document.original_name in text


@pytest.mark.parametrize(
    ("sent_days_before", "today_days_before", "late"),
    [
        (6, 6, False),  # sent the day after the draft: in time
        (5, 5, False),  # sent on the last day
        (4, 4, True),  # sent one day late
        (None, 6, False),  # not sent, still time
        (None, 4, True),  # not sent and the day passed: late
    ],
)
def test_the_packet_is_late_when_it_reaches_the_members_under_5_days_before(
    packet_meeting, office_user, sent_days_before, today_days_before, late
):
    from committee import selectors

    meeting = packet_meeting["meeting_obj"]
    packet = _build(meeting, office_user)
    if sent_days_before is not None:
        sent = timezone.make_aware(
            timezone.datetime.combine(
                meeting.held_on - timedelta(days=sent_days_before), timezone.datetime.min.time()
            )
        ) + timedelta(hours=17)
        services.packet_finalize(packet=packet, actor=office_user, sent_at=sent)
    today = meeting.held_on - timedelta(days=today_days_before)
    timeliness = selectors.packet_timeliness(meeting=meeting, today=today)
    assert timeliness["send_by"] == meeting.held_on - timedelta(days=5)
    assert timeliness["late"] is late


def test_a_held_meeting_packet_no_longer_goes_stale(packet_meeting, office_user):
    from committee import selectors

    meeting = packet_meeting["meeting_obj"]
    packet = _build(meeting, office_user)
    services.decision_record(
        meeting=meeting,
        agenda_item=meeting.agenda.get(),
        outcome="renegotiate",
        note="請廠商重新議約",
        actor=office_user,
    )
    assert selectors.packet_is_stale(packet=packet) is True
    services.meeting_mark_held(meeting=meeting, actor=office_user)
    packet.refresh_from_db()
    assert selectors.packet_is_stale(packet=packet) is False


def test_the_office_sees_every_version_and_reads_an_earlier_one(
    packet_meeting, client, office_user, tmp_path
):
    meeting = packet_meeting["meeting_obj"]
    _build(meeting, office_user)
    _build(meeting, office_user)
    status = packet_meeting["office"].get(f"/api/v1/meetings/{meeting.pk}/packet/").json()
    assert [row["version"] for row in status["versions"]] == [2, 1]
    client.force_login(office_user)
    body = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="packet-versions"' in body
    assert f"/meetings/{meeting.pk}/packet/pdf/?version=1" in body
    earlier = client.get(f"/meetings/{meeting.pk}/packet/pdf/?version=1")
    assert earlier.status_code == 200 and "v1.pdf" in earlier["Content-Disposition"]
    assert client.get(f"/meetings/{meeting.pk}/packet/pdf/?version=x").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/packet/pdf/?version=9").status_code == 404


def test_a_running_build_card_carries_the_status_url_to_poll(packet_meeting, client, office_user):
    meeting = packet_meeting["meeting_obj"]
    services.packet_build(meeting=meeting, actor=office_user)
    client.force_login(office_user)
    body = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'data-poll="/api/v1/meetings/{meeting.pk}/packet/"' in body
    assert "data-poll-progress" in body
    packet = Packet.objects.get()
    tasks.build_packet(packet.pk)
    body = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "data-poll=" not in body  # done: nothing to poll


def test_a_conflict_declared_after_the_copy_was_built_rebuilds_it(
    packet_meeting, api_client, office_user, tmp_path
):
    meeting, member = packet_meeting["meeting_obj"], packet_meeting["member"]
    services.packet_finalize(packet=_build(meeting, office_user), actor=office_user)
    _build_copies(meeting)
    pdf_url = f"/api/v1/meetings/{meeting.pk}/packet/pdf/"
    reader = _client(api_client, member)
    number = packet_meeting["case_obj"].number
    assert number in _text(b"".join(reader.get(pdf_url).streaming_content), tmp_path, "a.pdf")
    services.conflict_declare(
        meeting=meeting, case=packet_meeting["case_obj"], reason="新任該公司顧問", actor=member
    )
    assert reader.get(pdf_url).status_code == 409  # being rebuilt: never the stale copy
    _build_copies(meeting)
    text = _text(b"".join(reader.get(pdf_url).streaming_content), tmp_path, "b.pdf")
    assert number not in text and member.name in text
    assert reader.get(pdf_url + "?version=0").status_code == 403  # members: the final only
    office = packet_meeting["office"]
    assert office.get(pdf_url + "?version=0").status_code == 404
