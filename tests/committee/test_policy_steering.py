"""Policy steering meetings (工業合作政策指導會議, domain.md §12): MOEA's and MND's
requests on the agenda, the resolutions in the minutes, and each resolution followed up
until carried out (會後管制) — shown in the next steering meeting's packet."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from committee import selectors, services
from committee.choices import FollowUpStatus
from committee.models import ResolutionFollowUp
from icp_portal.lib.errors import Conflict


def steering(office_user, number, held_on):
    return services.meeting_create(
        kind="policy_steering",
        year=held_on.year,
        number=number,
        held_on=held_on,
        actor=office_user,
    )


def resolve(meeting, office_user, *requests):
    items = []
    for subject, ministry in requests:
        item = services.agenda_add_request(
            meeting=meeting, subject=subject, requested_by=ministry, actor=office_user
        )
        services.decision_record(
            meeting=meeting,
            agenda_item=item,
            outcome="approved",
            note=f"決議：{subject}",
            actor=office_user,
        )
        items.append(item)
    services.minutes_approve(meeting=meeting, actor=office_user, approved_on=meeting.held_on)
    return items


@pytest.fixture
def first(office_user):
    meeting = steering(office_user, 1, date(2011, 5, 10))
    resolve(meeting, office_user, ("國防工合比例檢討", "mnd"), ("產業工合投資抵減", "moea"))
    return meeting


def test_approving_the_minutes_opens_one_follow_up_per_resolution(first):
    follow_ups = list(selectors.meeting_follow_ups(meeting=first))
    assert [f.decision.agenda_item.subject for f in follow_ups] == [
        "國防工合比例檢討",
        "產業工合投資抵減",
    ]
    assert {f.status for f in follow_ups} == {FollowUpStatus.OPEN}


def test_next_steering_packet_shows_each_resolution_and_how_far_it_got(first, office_user):
    done, still_open = selectors.meeting_follow_ups(meeting=first)
    services.resolution_follow_up(
        follow_up=done,
        progress="已修正作業要點",
        carried_out_on=date(2011, 9, 1),
        actor=office_user,
    )
    services.resolution_follow_up(follow_up=still_open, progress="財政部研議中", actor=office_user)
    second = steering(office_user, 2, date(2011, 11, 15))
    followup = selectors.packet_followup(meeting=second)
    assert followup["meeting"] == first
    rows = {row["subject"]: (row["done"], row["carried_out"]) for row in followup["rows"]}
    assert rows["國防工合比例檢討"][0] is True
    assert "2011-09-01" in rows["國防工合比例檢討"][1]
    assert rows["產業工合投資抵減"] == (False, "財政部研議中")


def test_a_resolution_stays_in_follow_up_until_carried_out(first, office_user):
    done, _still_open = selectors.meeting_follow_ups(meeting=first)
    services.resolution_follow_up(
        follow_up=done, progress="完成", carried_out_on=date(2011, 9, 1), actor=office_user
    )
    second = steering(office_user, 2, date(2011, 11, 15))
    resolve(second, office_user, ("工合抵換比例", "moea"))
    third = steering(office_user, 1, date(2012, 5, 8))
    subjects = [row["subject"] for row in selectors.packet_followup(meeting=third)["rows"]]
    # The first meeting's open resolution is still listed; its carried-out one is not.
    assert subjects == ["產業工合投資抵減", "工合抵換比例"]


def test_packet_lists_the_requests_of_both_ministries(office_user):
    meeting = steering(office_user, 1, date(2011, 5, 10))
    services.agenda_add_request(
        meeting=meeting, subject="國防工合比例檢討", requested_by="mnd", actor=office_user
    )
    contents = selectors.packet_contents(meeting=meeting)
    assert [s["item"].subject for s in contents["request_sections"]] == ["國防工合比例檢討"]
    assert contents["sections"] == []


def test_a_request_goes_only_on_a_steering_agenda(office_user):
    promotion = services.meeting_create(
        kind="promotion_committee",
        year=2011,
        number=1,
        held_on=date(2011, 3, 1),
        actor=office_user,
    )
    with pytest.raises(ValidationError):
        services.agenda_add_request(
            meeting=promotion, subject="x", requested_by="moea", actor=office_user
        )


def test_only_the_office_adds_requests_and_follows_up(first, contractor_a_member, office_user):
    with pytest.raises(PermissionDenied):
        services.agenda_add_request(
            meeting=first, subject="x", requested_by="moea", actor=contractor_a_member
        )
    follow_up = selectors.meeting_follow_ups(meeting=first).first()
    with pytest.raises(PermissionDenied):
        services.resolution_follow_up(follow_up=follow_up, progress="x", actor=contractor_a_member)


def test_follow_up_waits_for_the_minutes_and_ends_when_carried_out(office_user, first):
    open_meeting = steering(office_user, 2, date(2011, 11, 15))
    item = services.agenda_add_request(
        meeting=open_meeting, subject="x", requested_by="moea", actor=office_user
    )
    services.decision_record(
        meeting=open_meeting, agenda_item=item, outcome="noted", actor=office_user
    )
    assert not ResolutionFollowUp.objects.filter(decision__agenda_item=item).exists()
    follow_up = selectors.meeting_follow_ups(meeting=first).first()
    services.resolution_follow_up(
        follow_up=follow_up, progress="完成", carried_out_on=date(2011, 9, 1), actor=office_user
    )
    with pytest.raises(Conflict):
        services.resolution_follow_up(follow_up=follow_up, progress="again", actor=office_user)


def test_api_adds_a_request_and_records_its_follow_up(api_client, office_user):
    api_client.force_authenticate(office_user)
    meeting = steering(office_user, 1, date(2011, 5, 10))
    base = f"/api/v1/meetings/{meeting.pk}"
    added = api_client.post(
        f"{base}/agenda/",
        {"kind": "steering_request", "subject": "國防工合比例檢討", "requested_by": "mnd"},
    )
    assert added.status_code == 201, added.json()
    assert added.json()["subject"] == "國防工合比例檢討"
    assert (
        api_client.post(
            f"{base}/decisions/",
            {"agenda_item": added.json()["id"], "outcome": "approved", "note": "請研議"},
        ).status_code
        == 201
    )
    assert (
        api_client.post(f"{base}/approve-minutes/", {"approved_on": "2011-05-20"}).status_code
        == 200
    )
    rows = api_client.get(f"{base}/follow-ups/").json()["results"]
    assert [(r["subject"], r["status"], r["resolution"]) for r in rows] == [
        ("國防工合比例檢討", "open", "請研議")
    ]
    done = api_client.post(
        f"{base}/follow-ups/{rows[0]['id']}/",
        {"progress": "已修正", "carried_out_on": "2011-09-01"},
    )
    assert done.status_code == 200
    assert done.json()["status"] == "carried_out"
    again = api_client.post(f"{base}/follow-ups/{rows[0]['id']}/", {"progress": "x"})
    assert again.status_code == 409
