"""The guarantee workflow as one table (domain.md §13): a performance bond or letter of
guarantee is held, then released (the agreement closed) or called (a committee decision).
Only the office acts; the daily reminder is the system's. Role first (403), then status
(409). The agreement's own closure is a row too: it releases every guarantee held."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from agreements.choices import AgreementStatus, GuaranteeStatus
from icp_portal.lib.workflow import OFFICE, StateConflict, Transition, Workflow
from organizations.policy import portal_roles

HELD = (GuaranteeStatus.HELD,)

TRANSITIONS: dict[str, Transition] = {
    "release": Transition(HELD, GuaranteeStatus.RELEASED, (OFFICE,), "guarantee_release"),
    "call": Transition(HELD, GuaranteeStatus.CALLED, (OFFICE,), "guarantee_call"),
}

WORKFLOW = Workflow(
    transitions=TRANSITIONS,
    roles_of=lambda user, guarantee: portal_roles(user),
    refusal=gettext_noop("Only ICP office staff may change a guarantee."),
    conflict=StateConflict,
)

# What the office may do to the agreement itself in this part of its life: lodge a
# guarantee and close it (both while it is in execution), set its maximum penalty.
AGREEMENT_TRANSITIONS: dict[str, Transition] = {
    "add_guarantee": Transition((AgreementStatus.IN_EXECUTION,), None, (OFFICE,), "guarantee_add"),
    "close": Transition(
        (AgreementStatus.IN_EXECUTION,), AgreementStatus.COMPLETED, (OFFICE,), "agreement_close"
    ),
    "set_penalty_cap": Transition(
        (AgreementStatus.IN_EXECUTION,), None, (OFFICE,), "agreement_set_penalty_cap"
    ),
}

AGREEMENT = Workflow(
    transitions=AGREEMENT_TRANSITIONS,
    roles_of=lambda user, agreement: portal_roles(user),
    refusal=gettext_noop("Only ICP office staff may do this on an agreement."),
    conflict=StateConflict,
)


def check(guarantee, name: str, actor) -> Transition:
    return WORKFLOW.check(guarantee, name, actor)


def allowed(guarantee, actor) -> list[str]:
    return WORKFLOW.allowed(guarantee, actor)


def agreement_allowed(agreement, actor) -> list[str]:
    return AGREEMENT.allowed(agreement, actor)
