"""Demand items (工合需求項目): quarterly call rounds, items filed by proposing units, the
initial-review panel's scores, and the published catalogue (domain.md §6)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from demand_items.choices import Classification, Criterion, ItemStatus, RoundStatus, Source
from icp_portal.lib.models import PROGRAM_YEAR, ConstraintFieldsMixin, program_date
from organizations.choices import Field, OrganizationKind
from organizations.models import Organization, ReviewerProfile, is_office_staff
from organizations.selectors import user_membership


class CallRound(ConstraintFieldsMixin, models.Model):
    """A quarterly call for demand items (徵求), with its filing deadline."""

    constraint_fields = {"call_round_quarter_and_dates": "closes_on"}

    year = models.PositiveSmallIntegerField(_("year"), validators=PROGRAM_YEAR)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    opens_on = models.DateField(_("opens on"), validators=[program_date])
    closes_on = models.DateField(_("closes on"), validators=[program_date])
    status = models.CharField(
        _("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call round")
        verbose_name_plural = _("call rounds")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"],
                name="call_round_one_per_quarter",
                violation_error_message=_("This quarter already has a round."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4, closes_on__gte=models.F("opens_on")),
                name="call_round_quarter_and_dates",
                violation_error_message=_("The round closes on or after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


# The longest text a proposing unit writes under one criterion of expected benefit.
BENEFIT_TEXT_MAX = 2000


def validate_expected_benefit(value) -> None:
    """Expected benefit is ``{criterion: text}`` under the six reference criteria, nothing
    else: whatever reaches the database renders on the item's pages and the catalogue."""
    if not isinstance(value, dict):
        raise ValidationError(_("Give the expected benefit as text per criterion."))
    unknown = sorted(str(key) for key in value if key not in Criterion.values)
    if unknown:
        raise ValidationError(_("Unknown criteria: %(keys)s.") % {"keys": ", ".join(unknown)[:200]})
    for text in value.values():
        if not isinstance(text, str) or len(text) > BENEFIT_TEXT_MAX:
            raise ValidationError(
                _("Each criterion takes text of at most %(n)s characters.")
                % {"n": BENEFIT_TEXT_MAX}
            )


class DemandItemQuerySet(models.QuerySet["DemandItem"]):
    def visible_to(self, user) -> DemandItemQuerySet:
        """Staff see all; a proposing unit its own (drafts included); contractors and
        reviewers the items past filing (panel members score them); nobody else any."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_office_staff(user):
            return self
        membership = user_membership(user=user)
        if membership and membership.organization.kind == OrganizationKind.PROPOSING_UNIT:
            return self.filter(proposer_id=membership.organization_id)
        if hasattr(user, "reviewer_profile"):
            return (
                self.exclude(status=ItemStatus.DRAFT)
                .filter(round__panels__members__user=user)
                .distinct()
            )
        if membership and membership.organization.kind == OrganizationKind.FOREIGN_CONTRACTOR:
            return self.filter(status=ItemStatus.PASSED)
        return self.none()

    def public(self) -> DemandItemQuerySet:
        """What the public site lists: passed and published, never anything else."""
        return self.filter(status=ItemStatus.PASSED, published=True)


class DemandItem(ConstraintFieldsMixin, models.Model):
    """A demand item (工合需求項目) a proposing unit files for ICP negotiations."""

    constraint_fields = {"demand_item_share_within_need": "icp_share"}

    round = models.ForeignKey(
        CallRound, on_delete=models.PROTECT, related_name="items", verbose_name=_("round")
    )
    proposer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="demand_items",
        limit_choices_to={"kind": OrganizationKind.PROPOSING_UNIT},
        verbose_name=_("proposing unit"),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    source = models.CharField(_("source"), max_length=1, choices=Source.choices)
    defence = models.BooleanField(_("defence demand"), default=False)
    description = models.TextField(_("the need"))
    technology_wanted = models.TextField(_("technology wanted"), blank=True)
    expected_benefit = models.JSONField(
        _("expected benefit by criterion"),
        default=dict,
        blank=True,
        validators=[validate_expected_benefit],
    )
    firms = models.TextField(_("domestic firms or schools behind it"), blank=True)
    total_need = models.DecimalField(_("total funding need (NT$)"), max_digits=18, decimal_places=0)
    icp_share = models.DecimalField(_("share asked of ICP (NT$)"), max_digits=18, decimal_places=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    panel_score = models.DecimalField(
        _("panel score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    classification = models.CharField(
        _("classification"), max_length=10, choices=Classification.choices, blank=True
    )
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(
        _("published on"), validators=[program_date], null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = DemandItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand item")
        verbose_name_plural = _("demand items")
        ordering = ["round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    total_need__gte=0, icp_share__gte=0, icp_share__lte=models.F("total_need")
                ),
                name="demand_item_share_within_need",
                violation_error_message=_("The share asked of ICP cannot exceed the total need."),
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(status=ItemStatus.PASSED),
                name="demand_item_published_only_when_passed",
                violation_error_message=_("Only items the committee passed can be published."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh


class PanelScore(models.Model):
    """A panel member's overall score (0–100) of an item in a round, with a comment."""

    item = models.ForeignKey(DemandItem, on_delete=models.CASCADE, related_name="scores")
    round = models.ForeignKey(CallRound, on_delete=models.PROTECT, related_name="scores")
    reviewer = models.ForeignKey(ReviewerProfile, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scored_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "round", "reviewer"], name="panel_score_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="panel_score_range",
                violation_error_message=_("A score is between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.reviewer_id} {self.score}"
