"""Choices of agreements and the credit ledger (domain.md §3, §4)."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointsCurrency(models.TextChoices):
    """The unit of an obligation: US-dollar points or NT-dollar points. Never added together."""

    USD_PTS = "USD_PTS", _("USD points")
    TWD_PTS = "TWD_PTS", _("TWD points")


class ContractCurrency(models.TextChoices):
    TWD = "TWD", "TWD"
    USD = "USD", "USD"
    EUR = "EUR", "EUR"
    JPY = "JPY", "JPY"
    GBP = "GBP", "GBP"
    CAD = "CAD", "CAD"


class AgreementStatus(models.TextChoices):
    IN_EXECUTION = "in_execution", _("In execution")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class Mode(models.TextChoices):
    """The eight modes of industrial cooperation (工業合作模式)."""

    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer")
    DOMESTIC_PROCUREMENT = "domestic_procurement", _("Domestic procurement")
    DOMESTIC_INVESTMENT = "domestic_investment", _("Domestic investment")
    TRAINING = "training", _("Training")
    INTERNATIONAL_MARKETING = "international_marketing", _("International marketing")
    CERTIFICATION = "certification", _("Certification")
    JOINT_RND = "joint_rnd", _("Joint R&D")
    JOINT_CONTRACTING = "joint_contracting", _("Joint contracting")


class CaseUse(models.TextChoices):
    """What a case's credit is used for; direct and indirect defence count as defence."""

    DIRECT_DEFENCE = "direct_defence", _("Direct defence")
    INDIRECT_DEFENCE = "indirect_defence", _("Indirect defence")
    INDUSTRY = "industry", _("Industry")


DEFENCE_USES = (CaseUse.DIRECT_DEFENCE, CaseUse.INDIRECT_DEFENCE)


class EntryKind(models.TextChoices):
    """Kinds of ledger entry (帳務分錄), domain.md §3."""

    OBLIGATION = "obligation", _("Obligation")
    RESERVE = "reserve", _("Pre-approval reserve")
    RELEASE = "release", _("Reserve release")
    ACTUAL = "actual", _("Actual credit")
    RETENTION = "retention", _("Retention (legacy)")
    BANK_DRAW = "bank_draw", _("Bank draw (legacy)")
    REVERSAL = "reversal", _("Reversal")


# The pre-store, retention and notification mechanisms were abolished from this date
# (民國101年1月1日), not retroactively: agreements signed on or after it have no bank.
LEGACY_BANK_CUTOFF = date(2012, 1, 1)
# A briefing (招商說明會) must be held within this many months of signing.
BRIEFING_DEADLINE_MONTHS = 3
# Multiplier range while the office has not set the agreement's standard (domain.md §11).
DEFAULT_MULTIPLIER_RANGE = ("1.00", "1.00")
