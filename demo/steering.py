"""The 2011 policy steering meetings (``steering.yaml``) through the committee services:
planned, requests on the agenda, resolutions, minutes approved, and each resolution's
follow-up (會後管制). Idempotent: a meeting is played only when its number is new."""

from __future__ import annotations

from committee import selectors, services
from committee.choices import MeetingKind
from committee.models import Meeting
from demo.loader import load, office


def seed() -> list[str]:
    actor = office()
    played = 0
    for spec in load("steering")["meetings"]:
        year = spec["held_on"].year
        if Meeting.objects.filter(
            kind=MeetingKind.POLICY_STEERING, year=year, number=spec["number"]
        ).exists():
            continue
        meeting = services.meeting_create(
            kind=MeetingKind.POLICY_STEERING,
            year=year,
            number=spec["number"],
            held_on=spec["held_on"],
            title=spec["title"],
            title_en=spec["title_en"],
            actor=actor,
        )
        for request in spec["requests"]:
            item = services.agenda_add_request(
                meeting=meeting,
                subject=request["subject"],
                requested_by=request["requested_by"],
                note=request.get("note", ""),
                actor=actor,
            )
            services.decision_record(
                meeting=meeting,
                agenda_item=item,
                outcome=request["outcome"],
                note=request["resolution"],
                note_en=request["resolution_en"],
                actor=actor,
            )
        services.minutes_approve(meeting=meeting, actor=actor, approved_on=spec["held_on"])
        follow_ups = list(selectors.meeting_follow_ups(meeting=meeting))
        for follow_up, request in zip(follow_ups, spec["requests"], strict=True):
            if "follow_up" in request:
                services.resolution_follow_up(
                    follow_up=follow_up,
                    progress=request["follow_up"]["progress"],
                    carried_out_on=request["follow_up"].get("carried_out_on"),
                    actor=actor,
                )
        played += 1
    total = Meeting.objects.filter(kind=MeetingKind.POLICY_STEERING).count()
    return [f"Policy steering meetings: {total} ({played} new)."]
