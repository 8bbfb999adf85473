"""Who a person is to the portal as a whole: the office, the portal's own system account,
or neither. Each app's policy (its ``workflow.py``) adds the roles that depend on the
object (a case's contractor, an item's proposing unit, a meeting's members)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from icp_portal.lib.workflow import OFFICE, SYSTEM
from organizations.choices import SYSTEM_USERNAME
from organizations.models import is_office_staff


def is_system_user(user) -> bool:
    """The account tasks and commands act as (it never signs in)."""
    return getattr(user, "username", None) == SYSTEM_USERNAME and bool(getattr(user, "pk", None))


def portal_roles(user) -> set[str]:
    """The roles that do not depend on the object: office staff, the system account."""
    if is_office_staff(user):
        return {OFFICE}
    if is_system_user(user):
        return {SYSTEM}
    return set()


def require_office(actor, *, system: bool = False) -> None:
    """Refuse (403) anyone but the ICP office (and, where a task does the work, the system
    account) before a staff-only service writes anything."""
    roles = portal_roles(actor)
    if OFFICE in roles or (system and SYSTEM in roles):
        return
    raise PermissionDenied(_("Only ICP office staff may do this."))
