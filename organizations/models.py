"""The parties of the program and the people who sign in (domain.md §2)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords

from icp_portal.lib.errors import AppendOnlyError
from organizations.choices import (
    OFFICE_GROUP,
    AuditAction,
    Field,
    Language,
    MembershipRole,
    NotificationKind,
    OfficialOf,
    OrganizationKind,
    ReviewerKind,
)

# Kinds whose rows any signed-in person may see: they are named on cases and demand
# items. Contractors' rows are private to their members and the office.
PUBLIC_KINDS = (
    OrganizationKind.PROCURING_AGENCY,
    OrganizationKind.DOMESTIC_RECIPIENT,
    OrganizationKind.PROPOSING_UNIT,
)


def with_roles(users: models.QuerySet, user_field: str = "") -> models.QuerySet:
    """``users`` (or rows whose ``user_field`` is the user) loading in the same query what
    every request asks of its user: the office group (``_office``) and the membership with
    its organization. Pair with :func:`remember_roles` on each loaded user."""
    prefix = f"{user_field}__" if user_field else ""
    office = Group.objects.filter(user=OuterRef(f"{prefix}pk"), name=OFFICE_GROUP)
    return users.select_related(f"{prefix}membership__organization").annotate(
        _office=Exists(office)
    )


def remember_roles(user, office: bool) -> None:
    """Keep on the user what :func:`with_roles` loaded, so :func:`is_office_staff` and
    ``user_membership`` ask the database nothing more during the request."""
    user._is_office_staff = bool(user.is_superuser or office)
    try:
        user._membership_cache = user.membership
    except ObjectDoesNotExist:
        user._membership_cache = None


def is_office_staff(user) -> bool:
    """True for the ICP office (工合小組) staff: the office group, or a superuser."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_is_office_staff", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=OFFICE_GROUP).exists()
        user._is_office_staff = cached
    return cached


class User(AbstractUser):
    """A person who signs in to the portal (使用者): staff, contractor, reviewer…"""

    name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.ZH_HANT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def option_labels(self) -> list[tuple[int, str]]:
        """``(id, name in the active language)`` of each organization, in order: what a
        select of them shows (``str`` of each), without building a model per row (a list
        page's contractor filter offers every contractor: thousands at 100×)."""
        english = (get_language() or "").startswith("en")
        return list(self.values_list("pk", "name_en" if english else "name_zh"))

    def visible_to(self, user) -> OrganizationQuerySet:
        """Staff see every party; others see their own and the public kinds, never
        another contractor; anonymous visitors see nothing."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_office_staff(user):
            return self
        own = Q(memberships__user=user)
        return self.filter(own | Q(kind__in=PUBLIC_KINDS)).distinct()


class Organization(models.Model):
    """A party of the program (機構): contractor, agency, domestic recipient or proposing unit."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, default="TW", help_text=_("ISO 3166 two-letter code.")
    )
    profit_making = models.BooleanField(
        _("profit-making"),
        default=False,
        help_text=_("Profit-making recipients (firms, state enterprises) owe feedback fees."),
    )
    defence_industry = models.BooleanField(
        _("defence-industry firm"),
        default=False,
        help_text=_("Defence-industry recipients pay half the feedback fee."),
    )
    bad_record = models.BooleanField(
        _("bad record"),
        default=False,
        help_text=_("A contractor with a bad record (不良紀錄) cannot submit new cases."),
    )
    barred = models.BooleanField(
        _("barred"),
        default=False,
        help_text=_("A recipient that breached technology export control is barred for good."),
    )
    # Kept by the feedback-fee services (an overdue bill without a committee waiver).
    fee_blocked = models.BooleanField(_("fee-blocked"), default=False, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["kind", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name_zh"],
                name="organization_unique_name_zh",
                violation_error_message=_("An organization of this kind has this Chinese name."),
            ),
            models.UniqueConstraint(
                fields=["kind", "name_en"],
                name="organization_unique_name_en",
                violation_error_message=_("An organization of this kind has this English name."),
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganizationKind.DOMESTIC_RECIPIENT)
                | Q(defence_industry=False, barred=False, fee_blocked=False),
                name="organization_recipient_flags",
                violation_error_message=_(
                    "Only domestic recipients can be defence-industry, barred or fee-blocked."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganizationKind.FOREIGN_CONTRACTOR) | Q(bad_record=False),
                name="organization_contractor_flags",
                violation_error_message=_("Only foreign contractors carry a bad record."),
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"),
                name="organization_country_code",
                violation_error_message=_("Country must be a two-letter ISO code, e.g. TW."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class Membership(models.Model):
    """A person's place in an organization (成員): member or manager. One each."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class ReviewerProfileQuerySet(models.QuerySet["ReviewerProfile"]):
    def visible_to(self, user) -> ReviewerProfileQuerySet:
        """Staff see the whole pool; a reviewer sees their own profile."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_office_staff(user):
            return self
        return self.filter(user=user)


class ReviewerProfile(models.Model):
    """A reviewer of the pool (審查委員) from which sub-committees and panels are drawn."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReviewerKind.choices)
    affiliation = models.CharField(_("affiliation"), max_length=200)
    official_of = models.CharField(
        _("official of"),
        max_length=8,
        choices=OfficialOf.choices,
        blank=True,
        help_text=_("For officials: the IDB or the Department of Industrial Technology."),
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ReviewerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.get_kind_display()})"

    def clean(self) -> None:
        if self.official_of and self.kind != ReviewerKind.OFFICIAL:
            raise ValidationError(
                {"official_of": _("Only an official reviewer names the agency they serve.")}
            )

    def field_labels(self) -> list[str]:
        labels = dict(Field.choices)
        return [str(labels.get(code, code)) for code in self.fields]


class ApiToken(AbstractAuthToken):
    """A REST client's key (API 金鑰): stored only as a hash, optionally read-only, expiring."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    read_only = models.BooleanField(_("read-only"), default=False)

    # Declared for the type checker only (no value, so nothing changes at run time): knox
    # ships no type information, so django-stubs cannot resolve the default manager
    # (knox's AuthTokenManager, a Manager) behind ``user.auth_token_set``.
    _default_manager: ClassVar[models.Manager[ApiToken]]

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")


class AuditEvent(models.Model):
    """An explicit event (事件紀錄) a service wrote: who did what to which object, and why.

    Field history (django-simple-history) says *what* changed; an event says *which
    business action* happened: an invitation, a status transition (from → to), a
    decision applied. The actor is required: tasks and commands act as the system user.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(max_length=64, choices=AuditAction.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user) -> NotificationQuerySet:
        """Each person sees only their own notices, the office too; anonymous nothing."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A notice in a person's inbox (通知): what the portal told them (and e-mailed, when
    they have an address), in their language at the time, with the page it is about;
    unread until they open it or mark it read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_("The portal page it is about.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user_list"),
            # The unread badge on every page and the inbox's unread filter.
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_user_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.subject}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
