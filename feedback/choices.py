"""Choices and defaults of feedback fees (回饋金), domain.md §7 and §11."""

from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class BillStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    WAIVED = "waived", _("Waived")
    CANCELLED = "cancelled", _("Cancelled")


class PenaltyStatus(models.TextChoices):
    """A penalty (罰款) is billed like a fee: issued, then paid, overdue or waived."""

    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    WAIVED = "waived", _("Waived")


# Open penalties can still be paid or waived.
OPEN_PENALTY_STATUSES = (PenaltyStatus.ISSUED, PenaltyStatus.OVERDUE)


# Open bills can still be paid, waived or cancelled.
OPEN_STATUSES = (BillStatus.ISSUED, BillStatus.OVERDUE)
# A bill is due this many days after it is issued (§11).
PAYMENT_DAYS = 30
# Defence-industry recipients pay this share of the fee (rule 5 of the fee regulation,
# amended 2011-07-04: bills issued from that day on).
DEFENCE_INDUSTRY_SHARE = Decimal("0.5")
DEFENCE_HALVING_FROM = date(2011, 7, 4)
# The default rates (千分之三/六/七), loaded as data by the migration; the office changes
# them by adding a rate with a later effective date.
DEFAULT_RATES_FROM = date(1993, 1, 1)
DEFAULT_RATES = {
    "domestic_procurement": Decimal("0.0030"),
    "international_marketing": Decimal("0.0060"),
    "technology_transfer": Decimal("0.0070"),
    "joint_rnd": Decimal("0.0070"),
    "domestic_investment": Decimal("0.0070"),
    "training": Decimal("0.0070"),
    "certification": Decimal("0.0070"),
    "joint_contracting": Decimal("0.0070"),
}


# The office's details printed on every notice and bill page (settings.ICP_OFFICE may
# change them).
OFFICE_DETAILS = {
    "name_zh": "經濟部產業發展署 工業合作推動小組",
    "name_en": "Industrial Cooperation Program Office, Ministry of Economic Affairs",
    "address": "10015 臺北市中正區信義路三段41之3號",
    "phone": "(02) 2754-1255",
    "account": "中央銀行國庫局 經濟部產業發展署工業合作回饋金專戶",
}
