"""The case workflow as one table: every allowed transition and state-bound action, who
may take it, and the service that performs it. A transition not in the table cannot happen
— from the UI, the API, the admin or a task. The actor's role is checked first (403), then
the case's status (409 with the current status).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.choices import CaseStatus as S
from icp_portal.lib.workflow import (
    COMMITTEE,
    CONTRACTOR,
    OFFICE,
    StateConflict,
    Transition,
    Workflow,
)
from organizations.choices import OrganizationKind
from organizations.policy import portal_roles
from organizations.selectors import user_membership

__all__ = ["COMMITTEE", "CONTRACTOR", "OFFICE", "Transition"]

EDITABLE = (S.DRAFT, S.SUPPLEMENT_REQUESTED, S.RENEGOTIATE)
UNDER_REVIEW = (S.SUBMITTED, S.CHECKLIST, S.INITIAL_REVIEW, S.SUBCOMMITTEE_REVIEW)
FINISHED = (S.RETURNED, S.REJECTED, S.WITHDRAWN, S.CLOSED)
OPEN = tuple(s for s in S.values if s not in FINISHED)
APPROVED_ONWARD = (
    S.PRE_APPROVED,
    S.IN_EXECUTION,
    S.ACTUAL_REQUESTED,
    S.ACTUALLY_APPROVED,
    S.CLOSED,
)
BOTH = (CONTRACTOR, OFFICE)
# From pre-approval on, the case owes quarterly progress reports (進度報告).
REPORTING = APPROVED_ONWARD


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(EDITABLE, S.SUBMITTED, (CONTRACTOR,), "case_submit"),
    "start_checklist": Transition((S.SUBMITTED,), S.CHECKLIST, (OFFICE,), "case_start_checklist"),
    "initial_review": Transition(
        (S.CHECKLIST,), S.INITIAL_REVIEW, (OFFICE,), "case_initial_review"
    ),
    "return_for_supplement": Transition(
        UNDER_REVIEW, S.SUPPLEMENT_REQUESTED, (OFFICE,), "case_return_for_supplement"
    ),
    "send_to_subcommittee": Transition(
        (S.INITIAL_REVIEW,), S.SUBCOMMITTEE_REVIEW, (OFFICE,), "agenda_add"
    ),
    "subcommittee_pass": Transition(
        (S.SUBCOMMITTEE_REVIEW,), S.SUBCOMMITTEE_REVIEW, (OFFICE,), "case_subcommittee_review"
    ),
    "subcommittee_supplement": Transition(
        (S.SUBCOMMITTEE_REVIEW,), S.SUPPLEMENT_REQUESTED, (OFFICE,), "case_subcommittee_review"
    ),
    "subcommittee_return": Transition(
        (S.SUBCOMMITTEE_REVIEW,), S.RETURNED, (OFFICE,), "case_subcommittee_review"
    ),
    "put_on_agenda": Transition((S.SUBCOMMITTEE_REVIEW,), S.ON_AGENDA, (OFFICE,), "agenda_add"),
    "pre_approve": Transition((S.ON_AGENDA,), S.PRE_APPROVED, (COMMITTEE,), "minutes_approve"),
    "reject": Transition((S.ON_AGENDA,), S.REJECTED, (COMMITTEE,), "minutes_approve"),
    "renegotiate": Transition((S.ON_AGENDA,), S.RENEGOTIATE, (COMMITTEE,), "minutes_approve"),
    "start_execution": Transition(
        (S.PRE_APPROVED,), S.IN_EXECUTION, (CONTRACTOR, OFFICE), "progress_report_file"
    ),
    "request_actual_approval": Transition(
        (S.IN_EXECUTION,), S.ACTUAL_REQUESTED, (CONTRACTOR,), "case_request_actual_approval"
    ),
    "actual_approve": Transition(
        (S.ACTUAL_REQUESTED,), S.ACTUALLY_APPROVED, (COMMITTEE,), "minutes_approve"
    ),
    "actual_reject": Transition(
        (S.ACTUAL_REQUESTED,), S.IN_EXECUTION, (COMMITTEE,), "minutes_approve"
    ),
    "extend": Transition(
        (S.PRE_APPROVED, S.IN_EXECUTION), S.IN_EXECUTION, (COMMITTEE,), "minutes_approve"
    ),
    "note_on_record": Transition(
        (S.PRE_APPROVED, S.IN_EXECUTION, S.ACTUAL_REQUESTED), None, (COMMITTEE,), "minutes_approve"
    ),
    "close": Transition(
        (S.PRE_APPROVED, S.IN_EXECUTION, S.ACTUALLY_APPROVED),
        S.CLOSED,
        (COMMITTEE,),
        "minutes_approve",
    ),
    "close_with_retention": Transition(
        (S.IN_EXECUTION, S.ACTUALLY_APPROVED), S.CLOSED, (COMMITTEE,), "minutes_approve"
    ),
    "withdraw_by_committee": Transition(
        (S.PRE_APPROVED, S.IN_EXECUTION, S.ACTUAL_REQUESTED),
        S.WITHDRAWN,
        (COMMITTEE,),
        "minutes_approve",
    ),
    "withdraw": Transition(
        (*EDITABLE, *UNDER_REVIEW), S.WITHDRAWN, (CONTRACTOR, OFFICE), "case_withdraw"
    ),
    # Actions bound to the status that do not change it.
    "file": Transition((), None, BOTH, "case_create"),
    "edit": Transition(EDITABLE, None, BOTH, "case_update"),
    "upload_document": Transition(OPEN, None, BOTH, "document_upload"),
    "confirm_checklist": Transition(UNDER_REVIEW, None, (OFFICE,), "checklist_confirm"),
    "file_progress_report": Transition(
        (S.PRE_APPROVED, S.IN_EXECUTION), None, BOTH, "progress_report_file"
    ),
    "record_transfer_completion": Transition(
        APPROVED_ONWARD, None, BOTH, "activity_record_transfer_completion"
    ),
    "add_checkpoint": Transition(OPEN, None, BOTH, "checkpoint_add"),
    # Outcomes are the office's record of what an actually approved case brought (§14).
    "record_outcome": Transition(
        (S.ACTUALLY_APPROVED, S.CLOSED), None, (OFFICE,), "outcome_record"
    ),
    "complete_checkpoint": Transition(OPEN, None, BOTH, "checkpoint_complete"),
    # Who in the office handles the case (承辦人); a finished case needs no handler.
    "assign": Transition(OPEN, None, (OFFICE,), "case_assign"),
}


class TransitionNotAllowed(StateConflict):
    """The case's status does not allow this action (HTTP 409)."""


def roles_of(user, case) -> set[str]:
    """The actor's parts in this case's workflow (the committee acts only through minutes)."""
    if user is None:
        return set()
    roles = portal_roles(user)
    membership = user_membership(user=user) if getattr(user, "is_authenticated", False) else None
    if membership and membership.organization_id == case.agreement.contractor_id:
        roles.add(CONTRACTOR)
    return roles


def require_filer(user) -> None:
    """Only the office and contractors' members file cases at all (403 for any other role,
    before the body names an agreement); which agreement is checked by ``check("file")``."""
    roles = portal_roles(user)
    membership = user_membership(user=user) if getattr(user, "is_authenticated", False) else None
    contractor = (
        membership is not None
        and membership.organization.kind == OrganizationKind.FOREIGN_CONTRACTOR
    )
    if OFFICE not in roles and not contractor:
        raise PermissionDenied(_("Only a contractor's members or the office file cases."))


def role_of(user, case) -> str | None:
    """The actor's main part in this case (office before contractor), or None."""
    roles = roles_of(user, case)
    return next((r for r in (OFFICE, CONTRACTOR) if r in roles), None)


WORKFLOW = Workflow(
    transitions=TRANSITIONS,
    roles_of=roles_of,
    refusal=gettext_noop("You may not do this on this case."),
    conflict=TransitionNotAllowed,
)


def check(case, name: str, actor, *, as_committee: bool = False) -> Transition:
    """Refuse unless ``name`` is allowed for this actor (403), then from the case's status
    (409). ``as_committee`` is passed only by the service that applies approved minutes."""
    return WORKFLOW.check(case, name, actor, as_role=COMMITTEE if as_committee else None)


def allowed(case, actor) -> list[str]:
    """The actions this actor could take now (buttons on the case page, API hints)."""
    return WORKFLOW.allowed(case, actor)


def may(case, name: str, actor) -> bool:
    return WORKFLOW.may(case, name, actor)
