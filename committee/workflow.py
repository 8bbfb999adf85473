"""The meeting workflow as one table: what may be done to a meeting in each status, and by
whom. A meeting is planned, then held, then (a promotion committee's) its minutes are
approved, after which nothing on it changes. Role first (403), then status (409)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from cases import workflow as case_workflow
from committee.choices import AgendaKind, MeetingStatus, PacketStatus
from icp_portal.lib.workflow import (
    MEMBER,
    OFFICE,
    SYSTEM,
    StateConflict,
    Transition,
    Workflow,
)
from organizations.policy import portal_roles

PLANNED, HELD, APPROVED = MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED
OPEN = (PLANNED, HELD)

TRANSITIONS: dict[str, Transition] = {
    "set_members": Transition((PLANNED,), None, (OFFICE,), "meeting_set_members"),
    "add_agenda_item": Transition((PLANNED,), None, (OFFICE,), "agenda_add"),
    "record_decision": Transition(OPEN, None, (OFFICE,), "decision_record"),
    "mark_held": Transition((PLANNED,), HELD, (OFFICE,), "meeting_mark_held"),
    "approve_minutes": Transition(OPEN, APPROVED, (OFFICE,), "minutes_approve"),
    "declare_conflict": Transition(OPEN, None, (MEMBER,), "conflict_declare"),
    "file_opinion": Transition(OPEN, None, (MEMBER,), "opinion_file"),
    # A steering resolution is followed up once the minutes are approved (會後管制).
    "follow_up": Transition((APPROVED,), None, (OFFICE,), "resolution_follow_up"),
}

# The case transition an agenda item of each kind stands for: a case may go on the agenda
# only from that transition's source statuses (the case table is the one source).
AGENDA_CASE_TRANSITION: dict[str, str] = {
    AgendaKind.CASE_REVIEW: "send_to_subcommittee",
    AgendaKind.PRE_APPROVAL: "put_on_agenda",
    AgendaKind.ACTUAL_APPROVAL: "actual_approve",
    AgendaKind.EXTENSION: "extend",
    AgendaKind.ON_RECORD: "note_on_record",
    AgendaKind.CLOSURE: "close",
    AgendaKind.WITHDRAWAL: "withdraw_by_committee",
}
AGENDA_SOURCES = {
    kind: case_workflow.TRANSITIONS[name].sources for kind, name in AGENDA_CASE_TRANSITION.items()
}


def roles_of(user, meeting) -> set[str]:
    """Office staff, and the reviewers seated on this meeting."""
    roles = portal_roles(user)
    profile = getattr(user, "reviewer_profile", None) if user is not None else None
    if profile is not None and meeting.pk and meeting.members.filter(pk=profile.pk).exists():
        roles.add(MEMBER)
    return roles


WORKFLOW = Workflow(
    transitions=TRANSITIONS,
    roles_of=roles_of,
    refusal=gettext_noop("You may not do this on this meeting."),
    conflict=StateConflict,
)


def check(meeting, name: str, actor) -> Transition:
    return WORKFLOW.check(meeting, name, actor)


def allowed(meeting, actor) -> list[str]:
    return WORKFLOW.allowed(meeting, actor)


# The packet (會議資料) of a meeting: the office builds versions (and the portal itself
# builds the draft 7 days ahead) and finalizes the latest done one (the service also
# refuses a stale or superseded build, with the same 409).
PACKET_TRANSITIONS: dict[str, Transition] = {
    "build": Transition((PLANNED, HELD), None, (OFFICE, SYSTEM), "packet_build"),
    "finalize": Transition((PacketStatus.DONE,), None, (OFFICE,), "packet_finalize"),
}


def packet_roles_of(user, packet) -> set[str]:
    """The roles on a packet are the roles on its meeting."""
    return roles_of(user, packet.meeting)


PACKET = Workflow(
    transitions={"finalize": PACKET_TRANSITIONS["finalize"]},
    roles_of=packet_roles_of,
    refusal=gettext_noop("You may not do this on this meeting's packet."),
    conflict=StateConflict,
)
MEETING_PACKET = Workflow(
    transitions={"build": PACKET_TRANSITIONS["build"]},
    roles_of=roles_of,
    refusal=gettext_noop("You may not do this on this meeting's packet."),
    conflict=StateConflict,
)


def packet_check(obj, name: str, actor) -> Transition:
    """``build`` is checked on the meeting (planned or held), ``finalize`` on the packet."""
    if name == "build":
        return MEETING_PACKET.check(obj, name, actor)
    return PACKET.check(obj, name, actor)
