"""A member's home says which packet is theirs to read and whether it changed since they
last opened it (issue 11 §7)."""

from django.urls import reverse

from committee import services
from tests.committee import test_packets as packet_tests

_english = packet_tests._english
agreement = packet_tests.agreement
non_profit_recipient = packet_tests.non_profit_recipient
pool = packet_tests.pool
case_on_agenda = packet_tests.case_on_agenda
packet_meeting = packet_tests.packet_meeting
_build = packet_tests._build
_build_copies = packet_tests._build_copies


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home_reviewer"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_home_page_shows_the_final_packet_new_opened_then_changed(
    packet_meeting, client, office_user
):
    meeting, member = packet_meeting["meeting_obj"], packet_meeting["member"]
    _build(meeting, office_user)
    pdf_url = reverse("meeting_packet_pdf", args=[meeting.pk])
    assert pdf_url not in _home(client, member)  # built, not yet final: nothing to read
    services.packet_finalize(packet=meeting.packets.get(version=1), actor=office_user)
    home = _home(client, member)
    assert pdf_url in home and "version 1" in home and "New: not opened yet" in home

    _build_copies(meeting)
    assert client.get(pdf_url).status_code == 200  # the member opens their copy
    home = _home(client, member)
    assert "Opened" in home and "New: not opened yet" not in home

    services.decision_record(
        meeting=meeting,
        agenda_item=meeting.agenda.get(),
        outcome="rejected",
        note="改期",
        actor=office_user,
    )
    services.packet_finalize(packet=_build(meeting, office_user), actor=office_user)
    home = _home(client, member)
    assert "version 2" in home and "Changed since you opened version 1" in home


def test_the_home_page_lists_the_cases_waiting_for_the_members_opinion(
    case_on_agenda, client, pool, django_assert_max_num_queries
):
    """The sub-committee's members who filed nothing see the case waiting; once a member
    files an opinion (or declares a conflict), it leaves their list."""
    from committee.models import Meeting

    sub = Meeting.objects.get(pk=case_on_agenda["sub"])
    member = sub.members.order_by("pk").first().user
    case = sub.agenda.get().case
    client.force_login(member)
    with django_assert_max_num_queries(30):
        html = client.get(reverse("home_reviewer"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The sub-committee is held, its outcome recorded: still open for late opinions.
    assert 'data-testid="waiting-opinion"' in html and case.number in html
    assert f"/meetings/{sub.pk}/#item-" in html
    services.opinion_file(
        meeting=sub, case=case, opinion="同意", recommendation="pass", actor=member
    )
    html = client.get(reverse("home_reviewer"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="waiting-opinion"' not in html
    assert 'data-testid="reviewer-nothing-waiting"' in html
