"""Writes on parties and people: every change goes through here, with an acting user."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from icp_portal.lib.services import service
from organizations.choices import (
    OFFICE_GROUP,
    SYSTEM_USERNAME,
    AuditAction,
    MembershipRole,
    ReviewerKind,
)
from organizations.models import (
    ApiToken,
    AuditEvent,
    Membership,
    Notification,
    Organization,
    ReviewerProfile,
    User,
)
from organizations.policy import require_office

# Apps whose models the office staff manage; their permissions make up the office group.
OFFICE_APPS = (
    "organizations",
    "agreements",
    "cases",
    "feedback",
    "demand_items",
    "committee",
    "reports",
)


def event_record(
    *,
    actor: User,
    target: Model,
    action: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> AuditEvent:
    """Write an explicit audit event (事件紀錄) in the caller's transaction.

    The actor is required: a background task or command passes ``system_user()``.
    """
    if actor is None or not getattr(actor, "pk", None):
        raise ValueError("An audit event needs an acting user.")
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditAction.")
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target=target,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def system_user() -> User:
    """The account that tasks and commands act as (never signs in)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"name": "ICP Portal system", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def office_group_sync() -> Group:
    """Create or refresh the ICP office staff group with every permission on the portal's
    own apps (run after each migrate, so new models join the group by themselves)."""
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=OFFICE_APPS)
    group.permissions.set(permissions)
    return group


@service
def organization_create(*, actor: User, **fields) -> Organization:
    """Register a party of the program (登錄機構)."""
    require_office(actor)
    organization = Organization(**fields)
    organization.full_clean()
    organization.save()
    event_record(actor=actor, target=organization, action="organization.create")
    return organization


@service
def organization_update(*, organization: Organization, actor: User, **fields) -> Organization:
    """Change a party's names or flags."""
    require_office(actor)
    changed = [name for name, value in fields.items() if getattr(organization, name) != value]
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    if changed:
        event_record(
            actor=actor,
            target=organization,
            action="organization.update",
            note=", ".join(sorted(changed)),
        )
    return organization


def _user_create(*, username: str, email: str, name: str, language: str) -> User:
    user = User(username=username, email=email, name=name, language=language)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def invitation_link(*, user: User) -> str:
    """The one-time link with which an invited person sets their password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("set_password", kwargs={"uidb64": uid, "token": token})
    return f"{settings.PORTAL_BASE_URL}{path}"


def invitation_send(*, user: User, actor: User) -> str:
    """E-mail the invitation (in the person's language) after the transaction commits."""
    link = invitation_link(user=user)
    valid_until = timezone.localdate() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    with translation.override(user.language):
        context = {"user": user, "link": link, "valid_until": valid_until, "actor": actor}
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        body = render_to_string("emails/invitation.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    transaction.on_commit(message.send)
    event_record(actor=actor, target=user, action="user.invite", note=user.email)
    return link


@service
def member_invite(
    *,
    organization: Organization,
    username: str,
    email: str,
    name: str,
    role: str = MembershipRole.MEMBER,
    language: str = "zh-hant",
    actor: User,
) -> Membership:
    """Add a person to an organization and send them a link to set their password."""
    require_office(actor)
    user = _user_create(username=username, email=email, name=name, language=language)
    membership = Membership(user=user, organization=organization, role=role)
    membership.full_clean()
    membership.save()
    event_record(
        actor=actor, target=organization, action="membership.create", note=f"{username} ({role})"
    )
    invitation_send(user=user, actor=actor)
    return membership


@service
def reviewer_create(
    *,
    username: str,
    email: str,
    name: str,
    kind: str,
    affiliation: str,
    fields: list[str],
    language: str = "zh-hant",
    active: bool = True,
    official_of: str = "",
    actor: User,
) -> ReviewerProfile:
    """Add a reviewer to the pool (審查委員庫) and invite them to sign in."""
    require_office(actor)
    if kind not in ReviewerKind.values:
        raise ValueError(f"Unknown reviewer kind {kind!r}.")
    user = _user_create(username=username, email=email, name=name, language=language)
    profile = ReviewerProfile(
        user=user,
        kind=kind,
        official_of=official_of,
        affiliation=affiliation,
        fields=fields,
        active=active,
    )
    profile.full_clean()
    profile.save()
    event_record(actor=actor, target=profile, action="reviewer.create")
    invitation_send(user=user, actor=actor)
    return profile


@service
def reviewer_update(*, profile: ReviewerProfile, actor: User, **fields) -> ReviewerProfile:
    """Change a reviewer's kind, affiliation, fields or activity; name and e-mail on the user."""
    require_office(actor)
    user_fields: dict[str, object] = {k: fields.pop(k) for k in ("name", "email") if k in fields}
    for name, value in user_fields.items():
        setattr(profile.user, name, value)
    if user_fields:
        profile.user.full_clean(exclude=["password"])
        profile.user.save()
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    event_record(actor=actor, target=profile, action="reviewer.update")
    return profile


def user_set_language(*, user: User, language: str) -> None:
    """Remember a person's language so pages and e-mails follow it on every device."""
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@service
def api_token_issue(
    *, user: User, actor: User, name: str = "", read_only: bool = False, days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue an API key for ``user``: returns the row and the key, which is shown once
    and stored only as a hash."""
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if days < 1:
        raise ValueError("A token must be valid for at least one day.")
    token, key = ApiToken.objects.create(
        user, expiry=timedelta(days=days), name=name, read_only=read_only
    )
    event_record(
        actor=actor,
        target=user,
        action="api_token.issue",
        note=f"{token.token_key} read_only={read_only} days={days}",
    )
    return token, key


@service
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    """Revoke an API key at once."""
    event_record(actor=actor, target=token.user, action="api_token.revoke", note=token.token_key)
    token.delete()


# --- The inbox ----------------------------------------------------------------------------


@service
def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    """The person opened a notice of their inbox (通知): it is read from now on (a notice
    already read keeps the time it was first read). Only its own person may."""
    if notification.user_id != actor.pk:
        raise PermissionDenied(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@service
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notice of the person's own inbox read; returns how many."""
    return Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())
