"""The packet job runs on a real Celery worker over Redis: the office asks for a build,
the enqueue after the commit reaches the worker, and the row ends done with its PDF."""

import time

import pytest

from committee import services
from committee.models import Packet
from committee.tasks import build_packet
from tests.committee import test_packets as packet_tests

# The packet fixtures: a promotion committee with a pre-approval case on its agenda.
_english = packet_tests._english
agreement = packet_tests.agreement
non_profit_recipient = packet_tests.non_profit_recipient
pool = packet_tests.pool
case_on_agenda = packet_tests.case_on_agenda
packet_meeting = packet_tests.packet_meeting

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def builds_go_to_the_worker(celery_worker_queue):
    """Route the packet task, as the service enqueues it on commit, to the test worker's
    own queue (not the default one, where a stray worker could take it)."""
    from icp_portal.celery import app

    def reroute():
        app.amqp.flush_routes()
        vars(app.amqp).pop("router", None)  # the cached router reads the routes anew

    before = app.conf.task_routes
    app.conf.task_routes = {services.BUILD_TASK: {"queue": celery_worker_queue}}
    reroute()
    try:
        yield celery_worker_queue
    finally:
        app.conf.task_routes = before
        reroute()


def test_the_worker_builds_the_requested_packet_once(
    packet_meeting, office_user, builds_go_to_the_worker, celery_worker_media
):
    packet = services.packet_build(meeting=packet_meeting["meeting_obj"], actor=office_user)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        packet.refresh_from_db()
        if packet.status in ("done", "failed"):
            break
        time.sleep(0.5)
    assert (packet.status, packet.progress, packet.error) == ("done", 100, "")
    assert packet.started_at is not None and packet.built_at >= packet.started_at
    content = (celery_worker_media / packet.file.name).read_bytes()
    assert content.startswith(b"%PDF") and len(content) == packet.size_bytes
    assert packet.pages >= 4
    # The same message delivered again finds the row claimed: nothing is built twice.
    again = build_packet.apply_async(args=[packet.pk], queue=builds_go_to_the_worker)
    assert again.get(timeout=60) == "skipped"
    assert Packet.objects.count() == 1
