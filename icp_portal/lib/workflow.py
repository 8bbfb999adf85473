"""Transition tables: the one shape of every app's policy (cases, bills, demand items, call
rounds, meetings). A table says, per action, the statuses it may start from, the status it
leads to, and the roles that may take it. ``Workflow.check`` decides *who* first
(``PermissionDenied`` → 403: "not yours to do") and only then *when* (``StateConflict`` →
409 with the current status), before the service writes anything. Pages and the API ask
``Workflow.allowed`` which actions to offer; they never restate a rule.

The roles an actor plays are computed by each app's ``role_of(actor, obj)``; the names are
shared here so a table reads the same in every app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from icp_portal.lib.errors import Conflict

# The parts people (and the portal itself) play in a workflow.
OFFICE = "office"  # ICP office staff (工合小組)
CONTRACTOR = "contractor"  # members of the case's foreign contractor
COMMITTEE = "committee"  # the promotion committee: only through approved minutes
PROPOSER = "proposer"  # members of the demand item's proposing unit
PANEL = "panel"  # a member of the demand-item panel of the item's round
MEMBER = "member"  # a reviewer seated on the meeting
SYSTEM = "system"  # the portal's own tasks and commands (the system user)

ANY_STATUS: tuple[str, ...] = ()  # an action whose table row names no source status


@dataclass(frozen=True)
class Transition:
    """One row of a table: from which statuses, to which (None: the status stays), by whom,
    and the service that performs it."""

    sources: tuple[str, ...]
    target: str | None
    by: tuple[str, ...]
    service: str = ""


class StateConflict(Conflict):
    """The object's status does not allow this action (HTTP 409)."""

    def __init__(self, obj: Any, action: str, *, status_field: str = "status"):
        self.status = getattr(obj, status_field)
        self.name = action
        display = getattr(obj, f"get_{status_field}_display", None)
        label = display() if display else self.status
        super().__init__(
            _("“%(action)s” is not possible while the %(what)s is “%(status)s”.")
            % {
                "action": action.replace("_", " "),
                "what": obj._meta.verbose_name,
                "status": label,
            }
        )


class Workflow:
    """A transition table with the function that says which roles an actor plays."""

    def __init__(
        self,
        *,
        transitions: dict[str, Transition],
        roles_of: Callable[[Any, Any], Iterable[str]],
        refusal: str,
        status_field: str = "status",
        conflict: type[StateConflict] = StateConflict,
    ):
        self.transitions = transitions
        self.roles_of = roles_of
        self.refusal = refusal
        self.status_field = status_field
        self.conflict = conflict

    def check(self, obj: Any, action: str, actor: Any, *, as_role: str | None = None) -> Transition:
        """Refuse unless ``actor`` may take ``action`` on ``obj`` now: role first (403),
        then state (409). ``as_role`` is passed only by the service that applies approved
        minutes (the committee acts through them, never a person)."""
        transition = self.transitions[action]
        roles = {as_role} if as_role else set(self.roles_of(actor, obj))
        if not roles.intersection(transition.by):
            raise PermissionDenied(_(self.refusal))
        if transition.sources and getattr(obj, self.status_field) not in transition.sources:
            raise self.conflict(obj, action)
        return transition

    def may(self, obj: Any, action: str, actor: Any) -> bool:
        """Whether ``check`` would let the actor take the action now."""
        try:
            self.check(obj, action, actor)
        except (PermissionDenied, Conflict):
            return False
        return True

    def allowed(self, obj: Any, actor: Any) -> list[str]:
        """The actions this actor could take on ``obj`` now (for buttons and API hints);
        the committee's own actions are never offered to a person, and a row that names no
        source status (creating the object) is not an action on it."""
        roles = set(self.roles_of(actor, obj))
        status = getattr(obj, self.status_field)
        return [
            name
            for name, t in self.transitions.items()
            if roles.intersection(t.by) and COMMITTEE not in t.by and status in t.sources
        ]
