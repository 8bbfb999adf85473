"""The bill workflow as one table: a bill is issued, then paid, waived, cancelled or (past
its due date) overdue; only an open bill (issued or overdue) takes a payment, a waiver or
a cancellation. Role first (403), then status (409)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from feedback.choices import OPEN_PENALTY_STATUSES, OPEN_STATUSES, BillStatus, PenaltyStatus
from icp_portal.lib.workflow import OFFICE, SYSTEM, StateConflict, Transition, Workflow
from organizations.policy import portal_roles

TRANSITIONS: dict[str, Transition] = {
    # A payment leaves the bill open until the payments reach its amount (then: paid).
    "record_payment": Transition(OPEN_STATUSES, None, (OFFICE,), "payment_record"),
    "waive": Transition(OPEN_STATUSES, BillStatus.WAIVED, (OFFICE,), "bill_waive"),
    "cancel": Transition(OPEN_STATUSES, BillStatus.CANCELLED, (OFFICE,), "bill_cancel"),
    "mark_overdue": Transition(
        (BillStatus.ISSUED,), BillStatus.OVERDUE, (OFFICE, SYSTEM), "bills_mark_overdue"
    ),
}

WORKFLOW = Workflow(
    transitions=TRANSITIONS,
    roles_of=lambda user, bill: portal_roles(user),
    refusal=gettext_noop("Only ICP office staff may change a bill."),
    conflict=StateConflict,
)


def check(bill, name: str, actor) -> Transition:
    return WORKFLOW.check(bill, name, actor)


def allowed(bill, actor) -> list[str]:
    return WORKFLOW.allowed(bill, actor)


# A penalty (罰款) decided in the committee's minutes: issued, then paid, waived or (past its
# due date) overdue — a fee bill's table without the cancellation (a penalty issued in
# error is waived with that reason).
PENALTY_TRANSITIONS: dict[str, Transition] = {
    "record_payment": Transition(OPEN_PENALTY_STATUSES, None, (OFFICE,), "penalty_payment_record"),
    "waive": Transition(OPEN_PENALTY_STATUSES, PenaltyStatus.WAIVED, (OFFICE,), "penalty_waive"),
    "mark_overdue": Transition(
        (PenaltyStatus.ISSUED,), PenaltyStatus.OVERDUE, (OFFICE, SYSTEM), "penalties_mark_overdue"
    ),
}

PENALTY = Workflow(
    transitions=PENALTY_TRANSITIONS,
    roles_of=lambda user, penalty: portal_roles(user),
    refusal=gettext_noop("Only ICP office staff may change a penalty."),
    conflict=StateConflict,
)


def penalty_check(penalty, name: str, actor) -> Transition:
    return PENALTY.check(penalty, name, actor)


def penalty_allowed(penalty, actor) -> list[str]:
    return PENALTY.allowed(penalty, actor)
