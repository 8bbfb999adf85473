"""The demand-item and call-round workflows as tables: what may be done to an item or a
round in each status, and by whom. Role first (403), then status (409)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from demand_items.choices import Classification, ItemStatus, RoundStatus
from icp_portal.lib.workflow import (
    COMMITTEE,
    OFFICE,
    PANEL,
    PROPOSER,
    StateConflict,
    Transition,
    Workflow,
)
from organizations.choices import OrganizationKind
from organizations.policy import portal_roles
from organizations.selectors import user_membership

S = ItemStatus
UNDER_PANEL = (S.SUBMITTED, S.SCORED)
# Only these bands go on to the promotion committee's second review (複審).
SECOND_REVIEW_BANDS = (Classification.PRIORITY, Classification.GENERAL)

ITEM_TRANSITIONS: dict[str, Transition] = {
    "edit": Transition((S.DRAFT,), None, (PROPOSER, OFFICE), "item_update"),
    "submit": Transition((S.DRAFT,), S.SUBMITTED, (PROPOSER, OFFICE), "item_submit"),
    "score": Transition((S.SUBMITTED,), None, (PANEL,), "score_file"),
    "classify": Transition((S.SUBMITTED,), S.SCORED, (OFFICE,), "round_close_scoring"),
    "hold": Transition(UNDER_PANEL, S.SUBMITTED, (OFFICE,), "item_hold"),
    "put_on_agenda": Transition((S.SCORED,), S.ON_AGENDA, (OFFICE,), "item_put_on_agenda"),
    "second_review": Transition((S.ON_AGENDA,), None, (COMMITTEE,), "item_second_review"),
    "publish": Transition((S.PASSED,), None, (OFFICE,), "item_publish"),
}

ROUND_TRANSITIONS: dict[str, Transition] = {
    "close_scoring": Transition((RoundStatus.OPEN,), None, (OFFICE,), "round_close_scoring"),
}


def proposer_of(user):
    """The proposing unit the person files for, or None."""
    membership = user_membership(user=user) if getattr(user, "is_authenticated", False) else None
    if membership and membership.organization.kind == OrganizationKind.PROPOSING_UNIT:
        return membership.organization
    return None


def item_roles(user, item) -> set[str]:
    roles = portal_roles(user)
    proposer = proposer_of(user)
    if proposer is not None and proposer.pk == item.proposer_id:
        roles.add(PROPOSER)
    profile = getattr(user, "reviewer_profile", None) if user is not None else None
    if profile is not None and item.round.panels.filter(members=profile).exists():
        roles.add(PANEL)
    return roles


ITEM_WORKFLOW = Workflow(
    transitions=ITEM_TRANSITIONS,
    roles_of=item_roles,
    refusal=gettext_noop("You may not do this on this demand item."),
    conflict=StateConflict,
)
ROUND_WORKFLOW = Workflow(
    transitions=ROUND_TRANSITIONS,
    roles_of=lambda user, call: portal_roles(user),
    refusal=gettext_noop("Only ICP office staff may do this."),
    conflict=StateConflict,
)


def check(item, name: str, actor, *, as_committee: bool = False) -> Transition:
    return ITEM_WORKFLOW.check(item, name, actor, as_role=COMMITTEE if as_committee else None)


def allowed(item, actor) -> list[str]:
    return ITEM_WORKFLOW.allowed(item, actor)
