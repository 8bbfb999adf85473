"""Choices and rules of demand items (工合需求項目), domain.md §6 and §11."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for filing")
    CLOSED = "closed", _("Closed")


class Source(models.TextChoices):
    A = "A", _("A · Executive Yuan approved policy")
    B = "B", _("B · Ministry approved policy")
    C = "C", _("C · Need of a private proposing unit")
    D = "D", _("D · Approved by the convener")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCORED = "scored", _("Scored")
    ON_AGENDA = "on_agenda", _("On the committee's agenda")
    PASSED = "passed", _("Passed (in the database)")
    NOT_PASSED = "not_passed", _("Not passed")


class Classification(models.TextChoices):
    PRIORITY = "priority", _("Priority item")
    GENERAL = "general", _("General item")
    EXCLUDED = "excluded", _("Not included")
    HELD = "held", _("Held to the next round")


class Criterion(models.TextChoices):
    """The six reference criteria of expected benefit (no fixed weights)."""

    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer")
    JOINT_RND = "joint_rnd", _("Joint R&D")
    INVESTMENT = "investment", _("Investment in Taiwan")
    TRAINING = "training", _("Training")
    MARKETING = "marketing", _("International marketing help")
    PROCUREMENT = "procurement", _("Domestic procurement")


# Classification by the panel's mean score: ≥ 80 priority, 60 to < 80 general, < 60 out.
PRIORITY_MIN = Decimal("80.00")
GENERAL_MIN = Decimal("60.00")
# The initial-review panel of 7 (IDB 1, DoIT 1, research institutes 3, scholars 2); the
# office closes scoring of an item once a majority (4 of 7) has scored it.
PANEL_SIZE = 7
PANEL_MAJORITY = 4


def classify(mean: Decimal) -> str:
    """The band of a mean score (boundaries exact: 80.00 priority, 60.00 general)."""
    if mean >= PRIORITY_MIN:
        return Classification.PRIORITY
    if mean >= GENERAL_MIN:
        return Classification.GENERAL
    return Classification.EXCLUDED
