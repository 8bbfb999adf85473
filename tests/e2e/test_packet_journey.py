"""The committee meeting packet (會議資料) in the browser (domain.md §5, api.md
"Committee"): the office asks for a build on the meeting page, a real Celery worker builds
it, and the card follows the build by polling the API and swaps in the finished card
without reloading the page; the office finalizes it and the members are e-mailed; a member
finds the packet on their home page and downloads their own copy, with their name in it.

Two office staff watch the build, one in Chinese and one in English; two members read
their copies, one in Chinese and one in English (the English one declared a conflict on
the only case, so their copy withholds it). Chinese labels are looked up in the portal's
own catalogue."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.utils import translation
from django.utils.timezone import localtime
from playwright.sync_api import expect

from committee import services
from committee.models import Packet
from tests.committee import test_packets as packet_tests
from tests.factories import UserFactory

# The packet fixtures: a planned promotion committee (held 2011-09-08) with a pre-approval
# case on its agenda and two members, one of whom declared a conflict on the case.
_english = packet_tests._english
agreement = packet_tests.agreement
non_profit_recipient = packet_tests.non_profit_recipient
pool = packet_tests.pool
case_on_agenda = packet_tests.case_on_agenda
packet_meeting = packet_tests.packet_meeting

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots"  # /tmp/shots: outside the repository
# The longest the journey waits for the worker's build to reach the page.
BUILD_WAIT_MS = 45_000


def zh(text) -> str:
    """What a Chinese page shows for an English msgid or an object's ``str``."""
    with translation.override("zh-hant"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def en(value) -> str:
    """What an English page shows for an object's ``str``."""
    with translation.override("en"):
        return str(value)


def shot(target, name: str) -> None:
    """A screenshot for the visual review, only when REVIEW_SCREENSHOTS=1."""
    if os.environ.get("REVIEW_SCREENSHOTS") == "1":
        SHOTS.mkdir(exist_ok=True)
        target.screenshot(path=SHOTS / f"packet-{name}.png")


# True once the polling script moved the bar past 10% (and not yet to 100), "done" once
# the card was swapped for the finished one.
MID_BUILD = """() => {
  const bar = document.querySelector("[data-poll-progress]");
  if (!bar) return "done";
  const value = Number(bar.getAttribute("aria-valuenow"));
  return value >= 10 && value < 100;
}"""


def shot_mid_build(page, name: str) -> None:
    """When screenshots are on: the card mid-build, if a poll catches the bar moving (a
    fast build may go from queued to done between two polls: then there is none)."""
    if (
        os.environ.get("REVIEW_SCREENSHOTS") == "1"
        and page.wait_for_function(MID_BUILD, timeout=BUILD_WAIT_MS).json_value() is True
    ):
        shot(page.get_by_test_id("packet"), name)


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


def pdf_text(content: bytes, path: Path) -> str:
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


# Run in the page once it shows the queued build: a marker that a reload would wipe, and a
# record of every value the polling script gives the progress bar.
WATCH = """() => {
  window.__marker = 1;
  window.__progress = [];
  const bar = document.querySelector("[data-poll-progress]");
  new MutationObserver(() => window.__progress.push(Number(bar.getAttribute("aria-valuenow"))))
    .observe(bar, {attributes: true, attributeFilter: ["aria-valuenow"]});
}"""


@pytest.fixture
def packet_worker(django_db_setup, settings, tmp_path):
    """A real Celery worker process over Redis on the test database, started for this test
    alone (as ``celery_worker_queue`` in tests/conftest.py starts one for the session).
    Not that session worker: a worker that ran a build for an earlier transactional test
    keeps that test's content-type ids in its cache, while the database flush between
    tests re-creates them under new ids, so its next build's audit event breaks a foreign
    key. Packet builds, as the service enqueues them after the commit, go to a queue the
    worker takes up only when ``release()`` is called: the page first shows the build
    queued, deterministically, then the worker runs it. The web process and the worker
    share one media store, as in production. Yields ``release``."""
    from django.db import connection

    from icp_portal.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.fail("CELERY_BROKER_URL is not set: run the suite with `make test`.")
    queue = f"packets-{uuid.uuid4().hex[:8]}"
    builds = f"{queue}-builds"
    worker = f"{queue}@{os.uname().nodename}"
    settings.MEDIA_ROOT = media = tmp_path / "shared-media"
    database = urlsplit(os.environ["DATABASE_URL"])
    database = urlunsplit(database._replace(path=f"/{connection.settings_dict['NAME']}"))
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "icp_portal", "worker", "--pool=solo"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--loglevel=WARNING", "-Q", queue, "-n", worker),
        ],
        env={**os.environ, "DATABASE_URL": database, "MEDIA_ROOT": str(media)},
    )

    def reroute(routes):
        app.conf.task_routes = routes
        app.amqp.flush_routes()
        vars(app.amqp).pop("router", None)  # the cached router reads the routes anew

    def release():
        for _attempt in range(60):  # the worker started with the test: up within seconds
            assert process.poll() is None, f"The Celery worker exited with {process.returncode}."
            if app.control.ping(destination=[worker], timeout=1):
                break
        else:
            pytest.fail("The Celery worker did not answer within 60 s.")
        replies = app.control.add_consumer(builds, destination=[worker], reply=True, timeout=5)
        assert replies and "ok" in replies[0][worker], replies

    before = app.conf.task_routes
    # Builds wait for release(); the members' copies (queued at finalize) go straight to
    # the worker.
    reroute({services.BUILD_TASK: {"queue": builds}, services.COPY_TASK: {"queue": queue}})
    try:
        yield release
    finally:
        reroute(before)
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with app.connection_for_write() as broker:
            broker.default_channel.queue_purge(builds)  # a build never released


@pytest.fixture
def open_browser(browser):
    """Another person's browser in Taiwan (zh-TW), closed after the test."""
    contexts = []

    def _open():
        context = browser.new_context(locale="zh-TW")
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def office_user_en(office_group):
    """A second office staff member, who reads the portal in English."""
    user = UserFactory(username="office-staff-en", name="Amy Chen", language="en")
    user.groups.add(office_group)
    return user


def test_the_office_builds_and_sends_the_packet_and_a_member_downloads_their_copy(
    packet_worker,  # first: the worker boots while the fixtures below set up the data
    page,
    live_server,
    sign_in,
    open_browser,
    office_user,
    office_user_en,
    packet_meeting,
    mailoutbox,
    tmp_path,
):
    """The build runs on the worker while the meeting page polls its status: the card
    moves its progress bar and, when the build is done, is replaced by the finished card
    (download link, finalize button) with no page reload. Finalizing sends the packet to
    every member once; each member then finds it on their home page as new, downloads a
    PDF copy carrying their own name (a conflicted member's copy withholds the case), and
    the home page then shows it opened."""
    meeting = packet_meeting["meeting_obj"]
    case = packet_meeting["case_obj"]
    member, conflicted = packet_meeting["member"], packet_meeting["conflicted"]
    meeting_url = f"{live_server.url}/meetings/{meeting.pk}/"
    status_url = f"/api/v1/meetings/{meeting.pk}/packet/"
    polls = []

    # --- 1. The office asks for the packet; the build waits in the queue ------------------
    sign_in(page, office_user.username)
    expect(page).to_have_url(f"{live_server.url}/home/office/")
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith(status_url) else None)
    page.goto(meeting_url)
    card = page.get_by_test_id("packet")
    expect(card.get_by_role("heading", name=zh("Packet"))).to_be_visible()
    expect(card).to_contain_text(zh("No packet has been built for this meeting."))
    expect(card).not_to_have_attribute("data-poll", status_url)
    card.get_by_role("button", name=zh("Build the packet")).click()

    expect(page).to_have_url(f"{meeting_url}#packet")
    expect(
        alert(page, zh("Version %(version)s of the packet is being built.") % {"version": 1})
    ).to_be_visible()
    expect(card).to_have_attribute("data-poll", status_url)
    expect(card.get_by_test_id("packet-status")).to_have_text(zh("Queued"))
    bar = card.locator("[data-poll-progress]")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(card.get_by_role("button", name=zh("Finalize and send to the members"))).to_have_count(0)
    assert Packet.objects.get(meeting=meeting).status == "queued"
    page.evaluate(WATCH)
    shot(card, "build-queued-zh")

    # The English-speaking colleague opens the same meeting and watches the same build.
    colleague = open_browser()
    sign_in(colleague, office_user_en.username)
    expect(colleague).to_have_url(f"{live_server.url}/home/office/")
    colleague.goto(meeting_url)
    their_card = colleague.get_by_test_id("packet")
    expect(their_card.get_by_role("heading", name="Packet")).to_be_visible()
    expect(their_card).to_have_attribute("data-poll", status_url)
    expect(their_card.get_by_test_id("packet-status")).to_have_text("Queued")
    colleague.evaluate(WATCH)
    shot(their_card, "build-queued-en")

    # --- 2. The worker takes the build; both cards follow it without a reload -------------
    packet_worker()
    shot_mid_build(page, "build-running-zh")
    finished = card.get_by_test_id("packet-full")
    expect(finished).to_have_text(zh("Download the full packet"), timeout=BUILD_WAIT_MS)
    expect(their_card.get_by_test_id("packet-full")).to_have_text(
        "Download the full packet", timeout=BUILD_WAIT_MS
    )
    packet = Packet.objects.get(meeting=meeting)
    assert (packet.status, packet.progress, packet.error) == ("done", 100, "")
    for browser_page in (page, colleague):
        assert browser_page.evaluate("window.__marker") == 1  # the same document: no reload
        seen = browser_page.evaluate("window.__progress")
        assert seen and seen == sorted(seen) and seen[-1] == 100, seen
    assert len(polls) >= 1
    expect(card).not_to_have_attribute("data-poll", status_url)
    expect(card.get_by_test_id("packet-status")).to_have_text(zh("Done"))
    built = {"date": f"{localtime(packet.built_at):%Y-%m-%d %H:%M}", "pages": packet.pages}
    expect(card).to_contain_text(zh("Built %(date)s, %(pages)s pages.") % built)
    expect(card.locator("[data-poll-progress]")).to_have_count(0)
    expect(their_card.get_by_test_id("packet-status")).to_have_text("Done")
    shot(card, "built-zh")
    shot(their_card, "built-en")

    # The full packet, as the office downloads it: the stored PDF the worker wrote.
    full = page.request.get(live_server.url + finished.get_attribute("href"))
    assert full.ok and full.headers["content-type"] == "application/pdf"
    assert full.body().startswith(b"%PDF") and len(full.body()) == packet.size_bytes
    assert case.number in pdf_text(full.body(), tmp_path / "full.pdf")

    # --- 3. The office finalizes and sends it ------------------------------------------
    earlier = len(mailoutbox)  # the case's own notices, sent while setting it up
    card.get_by_role("button", name=zh("Finalize and send to the members")).click()
    expect(alert(page, zh("The packet is final and was sent to every member."))).to_be_visible()
    packet.refresh_from_db()
    assert (packet.stage, packet.sent_at is not None) == ("final", True)
    sent_on = f"{localtime(packet.sent_at):%Y-%m-%d %H:%M}"
    expect(card).to_contain_text(zh("Sent to the members on %(date)s.") % {"date": sent_on})
    expect(card.locator(".badge").filter(has_text=zh("Final"))).to_be_visible()
    expect(card.get_by_role("button", name=zh("Finalize and send to the members"))).to_have_count(0)
    assert sorted(address for m in mailoutbox[earlier:] for address in m.to) == sorted(
        [member.email, conflicted.email]
    )
    shot(card, "final-zh")
    colleague.reload()
    expect(their_card).to_contain_text(f"Sent to the members on {sent_on}.")
    shot(their_card, "final-en")

    # The worker renders each member's copy after the finalize (a download never does).
    from committee.models import PacketCopy

    for _attempt in range(120):
        statuses = set(PacketCopy.objects.filter(packet=packet).values_list("status", flat=True))
        if statuses == {"done"} and PacketCopy.objects.filter(packet=packet).count() == 2:
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"The members' copies were not built: {statuses}")

    # --- 4. A member (Chinese) finds the packet at home and downloads their copy ----------
    reader = open_browser()
    sign_in(reader, member.username)
    expect(reader).to_have_url(f"{live_server.url}/home/reviewer/")
    packets = reader.get_by_test_id("reviewer-packets")
    row = packets.locator("li").filter(has_text=zh(meeting))
    expect(row).to_contain_text(zh("version %(version)s") % {"version": 1})
    expect(row).to_contain_text(zh("New: not opened yet"))
    shot(reader, "reviewer-home-zh")
    link = row.get_by_role("link", name=zh(meeting))
    expect(link).to_have_attribute("href", f"/meetings/{meeting.pk}/packet/pdf/")
    copy = reader.request.get(live_server.url + link.get_attribute("href"))
    assert copy.ok and copy.headers["content-type"] == "application/pdf"
    assert copy.body().startswith(b"%PDF")
    text = pdf_text(copy.body(), tmp_path / "member.pdf")
    assert member.display_name in text and case.number in text
    reader.reload()
    expect(row).to_contain_text(zh("Opened"))
    expect(row).not_to_contain_text(zh("New: not opened yet"))

    # --- 5. The conflicted member (English) gets a copy without the case -------------------
    other = open_browser()
    sign_in(other, conflicted.username)
    expect(other).to_have_url(f"{live_server.url}/home/reviewer/")
    row = other.get_by_test_id("reviewer-packets").locator("li").filter(has_text=en(meeting))
    expect(row).to_contain_text("version 1")
    expect(row).to_contain_text("New: not opened yet")
    shot(other, "reviewer-home-en")
    copy = other.request.get(live_server.url + f"/meetings/{meeting.pk}/packet/pdf/")
    assert copy.ok and copy.body().startswith(b"%PDF")
    text = pdf_text(copy.body(), tmp_path / "conflicted.pdf")
    assert conflicted.display_name in text and case.number not in text
