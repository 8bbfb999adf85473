"""The procurement pipeline as one table (domain.md §12): every stage change and
stage-bound action on a procurement before its agreement, who may take it, and the service
that performs it. Only the office moves a procurement; the procuring agency reads its own.
The actor's role is checked first (403), then the procurement's stage (409 with the current
stage)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from agreements.choices import ProcurementStage as S
from icp_portal.lib.workflow import OFFICE, SYSTEM, StateConflict, Transition, Workflow
from organizations.policy import portal_roles

# Before the specification is agreed with the contractor, the office still shapes it.
PREPARING = (S.ASSESSED, S.SPECIFIED, S.NEGOTIATING)
OPEN = (S.PLANNING, *PREPARING)

TRANSITIONS: dict[str, Transition] = {
    # Stage changes, in the order of §12.
    "assess": Transition((S.PLANNING,), S.ASSESSED, (OFFICE,), "procurement_advance"),
    "specify": Transition((S.ASSESSED,), S.SPECIFIED, (OFFICE,), "procurement_specify"),
    "start_negotiation": Transition(
        (S.SPECIFIED,), S.NEGOTIATING, (OFFICE,), "procurement_advance"
    ),
    "commit": Transition((S.NEGOTIATING,), S.COMMITTED, (OFFICE,), "procurement_advance"),
    # Signing carries the specification's standards into the agreement. From planning: an
    # agreement signed before the portal tracked its procurement (recorded as signed); a
    # signed procurement takes another contractor's agreement.
    "sign": Transition(
        (S.PLANNING, S.COMMITTED, S.SIGNED), S.SIGNED, (OFFICE,), "agreement_create"
    ),
    "no_icp": Transition(OPEN, S.NO_ICP, (OFFICE,), "procurement_advance"),
    # Actions bound to the stage that do not change it.
    "record_assessment": Transition((S.PLANNING, S.ASSESSED), None, (OFFICE,), "assessment_add"),
    "revise_specification": Transition(
        (S.SPECIFIED, S.NEGOTIATING), None, (OFFICE,), "procurement_specify"
    ),
    "add_team_member": Transition(PREPARING, None, (OFFICE,), "negotiation_member_add"),
    "plan_item": Transition(PREPARING, None, (OFFICE,), "procurement_plan_item_add"),
    "record_negotiation": Transition(
        (S.NEGOTIATING, S.COMMITTED), None, (OFFICE,), "negotiation_meeting_record"
    ),
    "record_loa": Transition(
        (S.SPECIFIED, S.NEGOTIATING, S.COMMITTED), None, (OFFICE,), "procurement_record_loa"
    ),
    # The reminder before the agreement's due date (the portal's own daily job).
    "remind_due": Transition((S.NEGOTIATING, S.COMMITTED), None, (SYSTEM,)),
}


class StageConflict(StateConflict):
    """The procurement's stage does not allow this action (HTTP 409)."""

    def __init__(self, obj, action: str):
        super().__init__(obj, action, status_field="stage")


def roles_of(user, procurement) -> set[str]:
    """Only the portal-wide roles act on a procurement: the office (and the system)."""
    return portal_roles(user)


WORKFLOW = Workflow(
    transitions=TRANSITIONS,
    roles_of=roles_of,
    refusal=gettext_noop("Only ICP office staff move a procurement through its pipeline."),
    status_field="stage",
    conflict=StageConflict,
)

# The stage changes the pages and the API offer as buttons (the others take a form).
STAGE_ACTIONS = ("assess", "start_negotiation", "commit", "no_icp")


def check(procurement, name: str, actor) -> Transition:
    """Refuse unless ``name`` is allowed for this actor (403), then at this stage (409)."""
    return WORKFLOW.check(procurement, name, actor)


def allowed(procurement, actor) -> list[str]:
    """The actions this actor could take now (buttons on the page, API hints)."""
    return WORKFLOW.allowed(procurement, actor)


def may(procurement, name: str, actor) -> bool:
    return WORKFLOW.may(procurement, name, actor)
