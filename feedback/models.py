"""Feedback fees (回饋金): rates as data, exchange rates, bills issued at actual approval,
payments, and the eligibility block of recipients with overdue bills (domain.md §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.choices import Mode, PointsCurrency
from agreements.models import MONEY, Agreement, party_scope
from cases.models import Activity, Case
from feedback.choices import BillStatus, PenaltyStatus
from icp_portal.lib.models import (
    ChoiceLabelsMixin,
    ConstraintFieldsMixin,
    not_in_future,
    program_date,
)
from icp_portal.lib.texts import LocalizedText, localized
from organizations.choices import OrganizationKind
from organizations.models import Organization, is_office_staff
from organizations.selectors import user_membership


class FeeRate(ConstraintFieldsMixin, models.Model):
    """The fee rate of a mode from a date on (3‰ domestic procurement, 6‰ international
    marketing, 7‰ the others). A new rate never changes an issued bill."""

    constraint_fields = {"fee_rate_fraction": "rate"}

    mode = models.CharField(_("mode"), max_length=32, choices=Mode.choices)
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4)
    effective_from = models.DateField(_("effective from"), validators=[program_date])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee rates")
        ordering = ["mode", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "effective_from"],
                name="fee_rate_one_per_mode_and_date",
                violation_error_message=_("This mode already has a rate from this date."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lt=1),
                name="fee_rate_fraction",
                violation_error_message=_("A rate is a fraction, e.g. 0.0070 for 7‰."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.rate} ({self.effective_from})"


class ExchangeRate(ConstraintFieldsMixin, models.Model):
    """NT$ per credit point of a currency, from a date on (TWD points are always 1)."""

    constraint_fields = {"exchange_rate_positive": "rate_twd"}

    currency = models.CharField(_("currency"), max_length=7, choices=PointsCurrency.choices)
    rate_twd = models.DecimalField(_("NT$ per point"), max_digits=10, decimal_places=4)
    effective_on = models.DateField(_("effective on"), validators=[program_date])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "effective_on"],
                name="exchange_rate_one_per_day",
                violation_error_message=_("This currency already has a rate on this date."),
            ),
            models.CheckConstraint(
                condition=Q(rate_twd__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("An exchange rate must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate_twd} ({self.effective_on})"


class BillQuerySet(models.QuerySet["Bill"]):
    def visible_to(self, user) -> BillQuerySet:
        """Staff see every bill; a domestic recipient's members their own; nobody else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_office_staff(user):
            return self
        membership = user_membership(user=user)
        if membership and membership.organization.kind == OrganizationKind.DOMESTIC_RECIPIENT:
            return self.filter(recipient_id=membership.organization_id)
        return self.none()


class Bill(ChoiceLabelsMixin, models.Model):
    """A feedback-fee bill (回饋金繳款通知) for one activity's actually approved credits,
    to a profit-making recipient. Every figure of the calculation is copied onto it."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    recipient = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="bills", verbose_name=_("recipient")
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="bills")
    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, related_name="bill", verbose_name=_("activity")
    )
    mode = models.CharField(_("mode"), max_length=32, choices=Mode.choices)
    credits = models.DecimalField(_("credits"), **MONEY)
    credit_currency = models.CharField(
        _("credit currency"), max_length=7, choices=PointsCurrency.choices
    )
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4)
    defence_halved = models.BooleanField(_("halved (defence industry)"))
    exchange_rate = models.DecimalField(_("NT$ per point"), max_digits=10, decimal_places=4)
    amount_twd = models.DecimalField(_("amount (NT$)"), max_digits=18, decimal_places=0)
    paid_amount_twd = models.DecimalField(
        _("paid (NT$)"), max_digits=18, decimal_places=0, default=0
    )
    issued_on = models.DateField(_("issued on"), validators=[program_date])
    due_on = models.DateField(_("due on"), validators=[program_date])
    status = models.CharField(
        _("status"), max_length=12, choices=BillStatus.choices, default=BillStatus.ISSUED
    )
    closing_reason = models.TextField(_("reason (waiver or cancellation)"), blank=True)
    meeting = models.ForeignKey(
        "committee.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="bills"
    )
    history = HistoricalRecords()

    objects = BillQuerySet.as_manager()

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-issued_on", "-id"]
        # The bill list's order: its page is read from the index, not sorted from all bills.
        indexes = [models.Index(fields=["-issued_on", "-id"], name="bill_list_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_amount_twd__gte=0, paid_amount_twd__lte=models.F("amount_twd")),
                name="bill_paid_within_amount",
                violation_error_message=_("Payments cannot exceed the bill."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("issued_on")),
                name="bill_due_after_issue",
                violation_error_message=_("A bill is due after it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding_twd(self):
        return self.amount_twd - self.paid_amount_twd


class Payment(models.Model):
    """A payment the office recorded against a bill (partial payments allowed)."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"), validators=[program_date, not_in_future])
    amount_twd = models.DecimalField(_("amount (NT$)"), max_digits=18, decimal_places=0)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_twd__gt=0),
                name="payment_positive",
                violation_error_message=_("A payment must be positive."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.bill} {self.amount_twd} ({self.paid_on})"


class PenaltyQuerySet(models.QuerySet["Penalty"]):
    def visible_to(self, user) -> PenaltyQuerySet:
        """Whoever sees the agreement sees its penalties: staff, the contractor that owes
        them, the procuring agency (read-only)."""
        return party_scope(self, user, "agreement__contractor", "agreement__procurement__agency")


class Penalty(models.Model):
    """A penalty for delay (逾期罰款) the promotion committee decided in its minutes on an
    agreement whose execution ended with credit outstanding (domain.md §13). Billed to the
    contractor in NT$ like a fee (due in 30 days), it never changes the credit ledger."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="penalties", verbose_name=_("agreement")
    )
    meeting = models.ForeignKey(
        "committee.Meeting",
        on_delete=models.PROTECT,
        related_name="penalties",
        verbose_name=_("meeting"),
    )
    # The agenda item whose decision imposed it: a decision issues one penalty, once.
    agenda_item = models.OneToOneField(
        "committee.AgendaItem",
        on_delete=models.PROTECT,
        related_name="penalty",
        verbose_name=_("agenda item"),
    )
    amount_twd = models.DecimalField(_("amount (NT$)"), max_digits=18, decimal_places=0)
    paid_amount_twd = models.DecimalField(
        _("paid (NT$)"), max_digits=18, decimal_places=0, default=0
    )
    # The minutes' reason, in Chinese and (for the contractor) in English.
    reason = models.TextField(_("reason"), blank=True)
    reason_en = models.TextField(_("reason (English)"), blank=True)
    issued_on = models.DateField(_("issued on"), validators=[program_date])
    due_on = models.DateField(_("due on"), validators=[program_date])
    status = models.CharField(
        _("status"), max_length=10, choices=PenaltyStatus.choices, default=PenaltyStatus.ISSUED
    )
    closing_reason = models.TextField(_("reason for the waiver"), blank=True)
    history = HistoricalRecords()

    objects = PenaltyQuerySet.as_manager()

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_twd__gt=0),
                name="penalty_amount_positive",
                violation_error_message=_("A penalty must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(paid_amount_twd__gte=0, paid_amount_twd__lte=models.F("amount_twd")),
                name="penalty_paid_within_amount",
                violation_error_message=_("Payments cannot exceed the penalty."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("issued_on")),
                name="penalty_due_after_issue",
                violation_error_message=_("A penalty is due after it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding_twd(self):
        return self.amount_twd - self.paid_amount_twd

    @property
    def reason_localized(self) -> LocalizedText:
        """The minutes' reason in the reader's language (the Chinese where none)."""
        return localized(self.reason, self.reason_en)


class PenaltyPayment(models.Model):
    """A payment the office recorded against a penalty (partial payments allowed)."""

    penalty = models.ForeignKey(Penalty, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"), validators=[program_date, not_in_future])
    amount_twd = models.DecimalField(_("amount (NT$)"), max_digits=18, decimal_places=0)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_twd__gt=0),
                name="penalty_payment_positive",
                violation_error_message=_("A payment must be positive."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.penalty} {self.amount_twd} ({self.paid_on})"
