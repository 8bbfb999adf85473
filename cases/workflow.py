"""The case workflow as one table: every allowed transition, who may make it, and the
service that performs it. A transition not in the table cannot happen — from the UI, the
API, the admin or a task — and is refused with the case's current status (409 in the API).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cases.choices import CaseStatus as S
from icp_portal.lib.errors import Conflict
from organizations.models import is_office_staff
from organizations.selectors import user_membership

# Who may make a transition: the case's contractor (its members), the ICP office staff,
# or the committee (only through approving a meeting's minutes, never by a person).
CONTRACTOR, OFFICE, COMMITTEE = "contractor", "office", "committee"

EDITABLE = (S.DRAFT, S.SUPPLEMENT_REQUESTED, S.RENEGOTIATE)
UNDER_REVIEW = (S.SUBMITTED, S.CHECKLIST, S.INITIAL_REVIEW, S.SUBCOMMITTEE_REVIEW)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    by: tuple[str, ...]
    service: str  # the service in cases.services (or committee.services) that performs it


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
}


class TransitionNotAllowed(Conflict):
    """The case's status does not allow this transition (HTTP 409)."""

    def __init__(self, case, name: str):
        self.status = case.status
        self.name = name
        super().__init__(
            _("“%(action)s” is not possible while the case is “%(status)s”.")
            % {"action": name.replace("_", " "), "status": case.get_status_display()}
        )


def role_of(user, case) -> str | None:
    """The actor's part in this case's workflow (the committee acts only through minutes)."""
    if user is None:
        return None
    if is_office_staff(user):
        return OFFICE
    membership = user_membership(user)
    if membership and membership.organization_id == case.agreement.contractor_id:
        return CONTRACTOR
    return None


def check(case, name: str, actor, *, as_committee: bool = False) -> Transition:
    """Refuse unless ``name`` is allowed from the case's status for this actor.
    ``as_committee`` is passed only by the service that applies approved minutes."""
    transition = TRANSITIONS[name]
    if case.status not in transition.sources:
        raise TransitionNotAllowed(case, name)
    role = COMMITTEE if as_committee else role_of(actor, case)
    if role not in transition.by:
        raise PermissionDenied(_("You may not do this on this case."))
    return transition


def allowed(case, actor) -> list[str]:
    """The transitions this actor could make now (for buttons on the case page)."""
    role = role_of(actor, case)
    return [
        name
        for name, t in TRANSITIONS.items()
        if case.status in t.sources and role in t.by and COMMITTEE not in t.by
    ]
