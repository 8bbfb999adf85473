"""Choices of agreements and the credit ledger (domain.md §3, §4)."""

from datetime import date
from decimal import Decimal

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


class GuaranteeKind(models.TextChoices):
    """An ICP performance bond (履約保證金) or a letter of guarantee (保證函), domain.md §13."""

    PERFORMANCE_BOND = "performance_bond", _("Performance bond")
    LETTER_OF_GUARANTEE = "letter_of_guarantee", _("Letter of guarantee")


class GuaranteeStatus(models.TextChoices):
    HELD = "held", _("Held")
    RELEASED = "released", _("Released")
    CALLED = "called", _("Called")


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
# The office is reminded this many days before a guarantee expires while the agreement's
# obligation is still open (domain.md §13).
GUARANTEE_REMINDER_DAYS = 60


class ProcurementStage(models.TextChoices):
    """Where a procurement stands before its agreement (domain.md §12)."""

    PLANNING = "planning", _("Planning")
    ASSESSED = "assessed", _("Capability assessed")
    SPECIFIED = "specified", _("Specification issued")
    NEGOTIATING = "negotiating", _("Negotiating")
    COMMITTED = "committed", _("Committed")
    SIGNED = "signed", _("Agreement signed")
    NO_ICP = "no_icp", _("No ICP")


class AssessmentResult(models.TextChoices):
    """The result of a self-production capability assessment item (自製能量評估)."""

    CAPABLE = "capable", _("Already capable")
    NOT_CAPABLE = "not_capable", _("Not capable")
    BUILDABLE_THROUGH_ICP = "buildable_through_icp", _("Capability can be built through ICP")


class Ministry(models.TextChoices):
    """The two ministries of the joint negotiation team (聯合談判團隊)."""

    MND = "mnd", _("Ministry of National Defense")
    MOEA = "moea", _("Ministry of Economic Affairs")


# A defence purchase of this many US dollars or more must carry ICP credit of at least
# ICP_RATIO_FLOOR of its contract price (domain.md §10, §12), unless the office records why not.
ICP_FLOOR_THRESHOLD_USD = Decimal("5000000.00")
ICP_RATIO_FLOOR = Decimal("0.4000")
# Where the LOA (發價書) comes first, the contractor signs the agreement within this many
# months of it (domain.md §12); the office is reminded this many days before that day.
AGREEMENT_AFTER_LOA_MONTHS = 6
AGREEMENT_DUE_REMINDER_DAYS = 30
