"""Reads of parties and people: visibility first, then the shared filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Field, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from organizations.choices import (
    OFFICE_GROUP,
    ROLE_BY_KIND,
    AuditAction,
    MembershipRole,
    PortalRole,
)
from organizations.filtersets import (
    NotificationFilterSet,
    OrganizationFilterSet,
    ReviewerFilterSet,
)
from organizations.models import (
    ApiToken,
    AuditEvent,
    Membership,
    Notification,
    Organization,
    ReviewerProfile,
    User,
    is_office_staff,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # (event, action label, from-status label, to-status label)
    TimelineRow = tuple[AuditEvent, StrOrPromise, StrOrPromise, StrOrPromise]


def user_role(*, user) -> str:
    """The portal role that decides a person's home page (staff first, then their
    organization's kind, then the reviewer pool)."""
    if not getattr(user, "is_authenticated", False):
        return PortalRole.NONE
    if is_office_staff(user):
        return PortalRole.OFFICE
    membership = user_membership(user=user)
    if membership is not None:
        return ROLE_BY_KIND[membership.organization.kind]
    if ReviewerProfile.objects.filter(user=user, active=True).exists():
        return PortalRole.REVIEWER
    return PortalRole.NONE


def office_staff() -> QuerySet[User]:
    """The ICP office's active members (工合小組), who handle cases."""
    return User.objects.filter(groups__name=OFFICE_GROUP, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def user_membership(*, user) -> Membership | None:
    """The person's organization membership, or None (cached on the user object)."""
    if not hasattr(user, "_membership_cache"):
        user._membership_cache = (
            Membership.objects.select_related("organization").filter(user=user).first()
        )
    return user._membership_cache


def organization_list(*, user, filters: dict | None = None) -> QuerySet[Organization]:
    """Parties the user may see, filtered (kind, q) and with member counts."""
    # Counted in a subquery: a join after the visibility filter would count only the rows
    # that filter kept (a contractor's member would see their organization as 1 person).
    members = (
        Membership.objects.filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = Organization.objects.visible_to(user).annotate(
        member_count=Coalesce(Subquery(members), 0)
    )
    return OrganizationFilterSet(filters or {}, queryset=queryset).qs


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    """The members (成員) of an organization, by username."""
    return organization.memberships.select_related("user").order_by("user__username")


def organization_can_see_members(*, user, organization: Organization) -> bool:
    """Staff, and the organization's managers, see its member list."""
    if is_office_staff(user):
        return True
    membership = user_membership(user=user)
    return bool(
        membership
        and membership.organization_id == organization.pk
        and membership.role == MembershipRole.MANAGER
    )


def reviewer_list(*, user, filters: dict | None = None) -> QuerySet[ReviewerProfile]:
    """The reviewers of the pool (審查委員庫) the user may see, through the shared filters."""
    queryset = ReviewerProfile.objects.visible_to(user).select_related("user")
    return ReviewerFilterSet(filters or {}, queryset=queryset).qs


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """A person's API keys (API 金鑰), newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created")


def organization_counts_by_kind() -> dict[str, int]:
    """How many parties (機構) of each kind are registered."""
    rows = Organization.objects.values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def events_of(*, target: Model) -> QuerySet[AuditEvent]:
    """The explicit events (事件紀錄) written about one object, oldest first (its timeline)."""
    from django.contrib.contenttypes.models import ContentType

    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(type(target)), target_id=str(target.pk)
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def timeline(*, target: Model) -> list[TimelineRow]:
    """The object's events as its page shows them: ``(event, action label, from-status
    label, to-status label)``, oldest first. Action labels come from ``AuditAction``, the
    status labels from the object's own ``status`` choices: one timeline for cases, bills,
    demand items and meetings."""
    try:
        status = type(target)._meta.get_field("status")
    except FieldDoesNotExist:
        status = None
    # ``status`` is always a concrete field; a reverse relation (no choices) has no labels.
    status_labels = dict((status.choices if isinstance(status, Field) else None) or ())
    action_labels = dict(AuditAction.choices)
    return [
        (
            event,
            action_labels.get(event.action, event.action),
            status_labels.get(event.from_status, event.from_status),
            status_labels.get(event.to_status, event.to_status),
        )
        for event in events_of(target=target)
    ]


# --- The inbox ----------------------------------------------------------------------------


def notification_list(*, user, filters: dict | None = None) -> QuerySet[Notification]:
    """A person's own notices (通知), newest first, filtered (``unread``)."""
    notifications = Notification.objects.visible_to(user).order_by("-created_at", "-id")
    return NotificationFilterSet(filters or {}, queryset=notifications).qs


def notification_unread_count(*, user) -> int:
    """How many of the person's notices are unread (the badge in the navigation bar)."""
    return Notification.objects.visible_to(user).unread().count()
