"""Agreements (工業合作協議書), their procurements, multiplier standards, plan items,
briefings, and the append-only credit ledger (domain.md §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.choices import (
    AGREEMENT_AFTER_LOA_MONTHS,
    BRIEFING_DEADLINE_MONTHS,
    ICP_FLOOR_THRESHOLD_USD,
    AgreementStatus,
    AssessmentResult,
    CaseUse,
    ContractCurrency,
    EntryKind,
    GuaranteeKind,
    GuaranteeStatus,
    Ministry,
    Mode,
    PointsCurrency,
    ProcurementStage,
)
from icp_portal.lib.errors import AppendOnlyError
from icp_portal.lib.models import ChoiceLabelsMixin, program_date
from icp_portal.lib.texts import LocalizedText, localized
from organizations.choices import OrganizationKind
from organizations.models import Organization, is_office_staff
from organizations.selectors import user_membership

__all__ = ["AppendOnlyError"]


class DecimalSize(TypedDict):
    """The size of a ``DecimalField``, spread into it as keyword arguments."""

    max_digits: int
    decimal_places: int


MONEY: DecimalSize = {"max_digits": 18, "decimal_places": 2}


EXECUTION_AFTER_SIGNING = _("Execution must end after the signing date.")


def briefing_deadline(signed_on):
    """The last day to hold the public briefing (招商說明會): 3 months after signing."""
    return signed_on + relativedelta(months=BRIEFING_DEADLINE_MONTHS)


def party_scope_key(user) -> str:
    """Everything :func:`party_scope` depends on, as a key (no query: the roles are kept
    on the user): whose rows a caller sees — for ETags and compiled queries per scope."""
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    if is_office_staff(user):
        return "office"
    membership = user_membership(user=user)
    return f"organization:{membership.organization_id}" if membership else "none"


def party_scope(queryset, user, contractor_field: str, agency_field: str | None = None):
    """Staff see all; a contractor's members see their organization's rows; a procuring
    agency's members (read-only) the rows of their agency's purchases, where
    ``agency_field`` names them; others none."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_office_staff(user):
        return queryset
    membership = user_membership(user=user)
    if membership is None:
        return queryset.none()
    kind = membership.organization.kind
    if kind == OrganizationKind.FOREIGN_CONTRACTOR:
        return queryset.filter(**{contractor_field: membership.organization_id})
    if kind == OrganizationKind.PROCURING_AGENCY and agency_field is not None:
        return queryset.filter(**{agency_field: membership.organization_id})
    return queryset.none()


class ProcurementQuerySet(models.QuerySet["Procurement"]):
    def visible_to(self, user) -> ProcurementQuerySet:
        """Staff see every procurement; a contractor those it holds an agreement on; an
        agency its own."""
        if is_office_staff(user):
            return self
        return party_scope(self, user, "agreements__contractor", "agency").distinct()


class Procurement(models.Model):
    """A government purchase from abroad (購案) that carries an ICP obligation."""

    agency = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="procurements",
        limit_choices_to={"kind": OrganizationKind.PROCURING_AGENCY},
        verbose_name=_("procuring agency"),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    contract_value = models.DecimalField(_("contract value"), **MONEY)
    contract_currency = models.CharField(
        _("contract currency"), max_length=3, choices=ContractCurrency.choices
    )
    contract_signed_on = models.DateField(_("contract signed on"), validators=[program_date])
    # The pipeline before the agreement (domain.md §12); moved only by pipeline services.
    stage = models.CharField(
        _("stage"),
        max_length=16,
        choices=ProcurementStage.choices,
        default=ProcurementStage.PLANNING,
        db_index=True,
    )
    defence = models.BooleanField(_("defence purchase"), default=False)
    # For the 40% floor, which is stated in US dollars: the contract value itself when the
    # contract is in USD, otherwise the office's figure in US$.
    value_usd = models.DecimalField(_("contract value in US$"), null=True, blank=True, **MONEY)
    icp_use = models.CharField(
        _("ICP use"),
        max_length=20,
        choices=CaseUse.choices,
        blank=True,
        help_text=_(
            "Decides who leads the negotiation team: MND for direct defence, MOEA "
            "for industry, either for indirect defence."
        ),
    )
    # The ICP specification (工業合作規範): its standards are SpecificationStandard rows.
    icp_ratio_min = models.DecimalField(
        _("minimum credit ratio"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    ratio_exemption = models.TextField(_("reason for the ratio exemption"), blank=True)
    spec_issued_on = models.DateField(
        _("specification issued on"), validators=[program_date], null=True, blank=True
    )
    spec_schedule = models.TextField(_("schedule and procedure"), blank=True)
    loa_signed_on = models.DateField(
        _("LOA signed on"), validators=[program_date], null=True, blank=True
    )
    # Set when the reminder before the agreement's due date went out (it goes once).
    due_reminder_sent_on = models.DateField(null=True, blank=True, editable=False)
    no_icp_reason = models.TextField(_("reason for no ICP"), blank=True)
    history = HistoricalRecords()

    objects = ProcurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")
        ordering = ["-contract_signed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_value__gt=0),
                name="procurement_value_positive",
                violation_error_message=_("The contract value must be positive."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh

    def clean(self):
        if self.agency_id and self.agency.kind != OrganizationKind.PROCURING_AGENCY:
            raise ValidationError({"agency": _("The buyer must be a procuring agency.")})

    @property
    def usd_value(self) -> Decimal | None:
        """The contract value in US dollars (None when the office has not given it)."""
        if self.contract_currency == ContractCurrency.USD:
            return self.contract_value
        return self.value_usd

    @property
    def floor_applies(self) -> bool:
        """Whether the 40% floor binds: a defence purchase of US$5 million or more."""
        value = self.usd_value
        return self.defence and value is not None and value >= ICP_FLOOR_THRESHOLD_USD

    @property
    def agreement_due_on(self) -> date | None:
        """The day the agreement must be signed by: LOA + 6 months, while none is signed."""
        if self.loa_signed_on is None or self.stage in (
            ProcurementStage.SIGNED,
            ProcurementStage.NO_ICP,
        ):
            return None
        return self.loa_signed_on + relativedelta(months=AGREEMENT_AFTER_LOA_MONTHS)

    def agreement_overdue(self, today: date | None = None) -> bool:
        """True once the due date has passed without an agreement."""
        due = self.agreement_due_on
        return due is not None and (today or timezone.localdate()) > due


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def visible_to(self, user) -> AgreementQuerySet:
        """Staff see every agreement; a contractor's members only their own; an agency's
        members those on its purchases; others none."""
        return party_scope(self, user, "contractor", "procurement__agency")


class Agreement(ChoiceLabelsMixin, models.Model):
    """An industrial cooperation agreement (工業合作協議書) of one contractor on one
    procurement: the obligation in points that the contractor must discharge."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("procurement"),
    )
    contractor = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"kind": OrganizationKind.FOREIGN_CONTRACTOR},
        verbose_name=_("contractor"),
    )
    currency = models.CharField(_("points currency"), max_length=7, choices=PointsCurrency.choices)
    # The current obligation; the ledger's obligation entries always add up to it.
    obligation = models.DecimalField(_("obligation"), **MONEY)
    signed_on = models.DateField(_("signed on"), validators=[program_date])
    execution_ends_on = models.DateField(_("execution ends on"), validators=[program_date])
    defence_ratio_min = models.DecimalField(
        _("minimum defence ratio"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Defence execution ratio clause, e.g. 0.5 = at least 50% to defence."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_EXECUTION,
    )
    # The maximum penalty (罰款上限) the promotion committee set for this agreement, in NT$.
    penalty_cap_twd = models.DecimalField(
        _("maximum penalty (NT$)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("Set by the promotion committee; a penalty above it is refused."),
    )
    # Fixed at signing (the signing date never changes afterwards).
    briefing_due_on = models.DateField(
        _("briefing due on"), validators=[program_date], editable=False
    )
    history = HistoricalRecords()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "number"]
        indexes = [
            # The list's default order, newest signed first: its page of 50 is read from
            # the index instead of sorting every agreement (71 → 3 ms at 100×).
            models.Index(fields=["-signed_on", "id"], name="agreement_list_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "contractor"],
                name="agreement_one_per_procurement_and_contractor",
                violation_error_message=_(
                    "This contractor already has an agreement on this procurement."
                ),
            ),
            models.CheckConstraint(
                condition=Q(obligation__gt=0),
                name="agreement_obligation_positive",
                violation_error_message=_("The obligation must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(execution_ends_on__gt=models.F("signed_on")),
                name="agreement_execution_after_signing",
                violation_error_message=EXECUTION_AFTER_SIGNING,
            ),
            models.CheckConstraint(
                condition=Q(penalty_cap_twd__isnull=True) | Q(penalty_cap_twd__gte=0),
                name="agreement_penalty_cap_not_negative",
                violation_error_message=_("The maximum penalty cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(defence_ratio_min__isnull=True)
                | Q(defence_ratio_min__gt=0, defence_ratio_min__lte=1),
                name="agreement_defence_ratio_range",
                violation_error_message=_("The defence ratio must be above 0 and at most 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        errors = {}
        if self.contractor_id and self.contractor.kind != OrganizationKind.FOREIGN_CONTRACTOR:
            errors["contractor"] = _("The contractor must be a foreign contractor.")
        if self.signed_on and self.execution_ends_on and self.execution_ends_on <= self.signed_on:
            # Also a database constraint; here it is said on the field the person must fix.
            errors["execution_ends_on"] = EXECUTION_AFTER_SIGNING
        if errors:
            raise ValidationError(errors)

    def briefing_overdue(self, today=None) -> bool:
        """True when the deadline has passed without a briefing held by then.

        Uses ``briefing_held_on_time`` when a selector annotated it (no extra query)."""
        today = today or timezone.localdate()
        if today <= self.briefing_due_on:
            return False
        held = getattr(self, "briefing_held_on_time", None)
        if held is None:
            held = self.briefings.filter(held_on__lte=self.briefing_due_on).exists()
        return not held


class MultiplierStandard(models.Model):
    """A multiplier standard (乘數標準) for one mode of an agreement, from a date on.

    A newer standard applies to cases decided after it; decided cases keep theirs."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="multipliers", verbose_name=_("agreement")
    )
    mode = models.CharField(_("mode"), max_length=32, choices=Mode.choices)
    min_multiplier = models.DecimalField(_("minimum multiplier"), max_digits=6, decimal_places=2)
    max_multiplier = models.DecimalField(_("maximum multiplier"), max_digits=6, decimal_places=2)
    effective_from = models.DateField(_("effective from"), validators=[program_date])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("multiplier standard")
        verbose_name_plural = _("multiplier standards")
        ordering = ["mode", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "mode", "effective_from"],
                name="multiplier_one_per_mode_and_date",
                violation_error_message=_("This mode already has a standard from this date."),
            ),
            models.CheckConstraint(
                condition=Q(min_multiplier__gt=0, max_multiplier__gte=models.F("min_multiplier")),
                name="multiplier_range_valid",
                violation_error_message=_(
                    "Multipliers must be positive and the maximum at least the minimum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.min_multiplier}–{self.max_multiplier}×"


class PlanItem(models.Model):
    """A planned item of the agreement's ICP plan (工業合作計畫書); a case must match one."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("agreement")
    )
    mode = models.CharField(_("mode"), max_length=32, choices=Mode.choices)
    title = models.CharField(_("title"), max_length=300)
    # The demand item of the database the planned item takes up (negotiated from it).
    demand_item = models.ForeignKey(
        "demand_items.DemandItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("demand item"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["agreement", "id"]

    def __str__(self) -> str:
        return self.title


class Briefing(models.Model):
    """A public briefing (招商說明會) the contractor held to choose domestic partners."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="briefings", verbose_name=_("agreement")
    )
    held_on = models.DateField(_("held on"), validators=[program_date])
    title = models.CharField(_("title"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class GuaranteeQuerySet(models.QuerySet["Guarantee"]):
    def visible_to(self, user) -> GuaranteeQuerySet:
        """Whoever sees the agreement sees its guarantees (staff, its contractor, its agency)."""
        return party_scope(self, user, "agreement__contractor", "agreement__procurement__agency")


class Guarantee(models.Model):
    """A performance bond (履約保證金) or letter of guarantee (保證函) the contractor lodged
    for an agreement (domain.md §13): held while the obligation is open, released when the
    agreement is closed, or called on a promotion-committee decision."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="guarantees", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=GuaranteeKind.choices)
    issuer = models.CharField(_("issuer"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=ContractCurrency.choices)
    valid_from = models.DateField(_("valid from"), validators=[program_date])
    valid_until = models.DateField(_("valid until"), validators=[program_date])
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GuaranteeStatus.choices,
        default=GuaranteeStatus.HELD,
    )
    released_on = models.DateField(
        _("released on"), validators=[program_date], null=True, blank=True
    )
    called_on = models.DateField(_("called on"), validators=[program_date], null=True, blank=True)
    # The promotion-committee meeting whose decision called the guarantee.
    called_by_meeting = models.ForeignKey(
        "committee.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="called_guarantees",
        verbose_name=_("called by meeting"),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = GuaranteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("guarantee")
        verbose_name_plural = _("guarantees")
        ordering = ["agreement", "valid_until", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="guarantee_amount_positive",
                violation_error_message=_("A guarantee's amount must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="guarantee_valid_until_after_from",
                violation_error_message=_(
                    "A guarantee must be valid until after it is valid from."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=GuaranteeStatus.CALLED)
                | Q(called_on__isnull=False, called_by_meeting__isnull=False),
                name="guarantee_called_names_meeting",
                violation_error_message=_("A called guarantee names the meeting that decided it."),
            ),
            models.CheckConstraint(
                condition=~Q(status=GuaranteeStatus.RELEASED) | Q(released_on__isnull=False),
                name="guarantee_released_has_date",
                violation_error_message=_("A released guarantee has its release date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issuer} {self.amount} {self.currency}"

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError(
                {"valid_until": _("A guarantee must be valid until after it is valid from.")}
            )


class GuaranteeReminder(models.Model):
    """The reminder sent to the office before a guarantee expires: once per guarantee and
    expiry date, however often the daily job runs (a renewed guarantee is reminded again)."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="reminders")
    valid_until = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["guarantee", "valid_until"], name="guarantee_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guarantee_id} {self.valid_until}"


class CreditBank(models.Model):
    """A contractor's legacy credit bank (預存/留存額度) in one currency, as carried over
    from before the 2012-01-01 abolition; retention adds to it and bank draws use it."""

    contractor = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="credit_banks",
        limit_choices_to={"kind": OrganizationKind.FOREIGN_CONTRACTOR},
        verbose_name=_("contractor"),
    )
    currency = models.CharField(_("points currency"), max_length=7, choices=PointsCurrency.choices)
    opening_balance = models.DecimalField(_("opening balance"), default=0, **MONEY)
    opening_as_of = models.DateField(_("opening balance as of"), validators=[program_date])
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legacy credit bank")
        verbose_name_plural = _("legacy credit banks")
        constraints = [
            models.UniqueConstraint(
                fields=["contractor", "currency"],
                name="credit_bank_one_per_contractor_and_currency",
                violation_error_message=_("This contractor already has a bank in this currency."),
            ),
            models.CheckConstraint(
                condition=Q(opening_balance__gte=0),
                name="credit_bank_opening_not_negative",
                violation_error_message=_("The opening balance cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contractor} {self.currency}"


class CreditEntryQuerySet(models.QuerySet["CreditEntry"]):
    def update(self, **kwargs):
        raise AppendOnlyError("Ledger entries are append-only: post a reversal instead.")

    def delete(self):
        raise AppendOnlyError("Ledger entries are append-only: post a reversal instead.")

    def visible_to(self, user) -> CreditEntryQuerySet:
        return party_scope(self, user, "agreement__contractor", "agreement__procurement__agency")


class CreditEntry(models.Model):
    """One immutable movement of credit on an agreement (帳務分錄), domain.md §3.

    ``amount`` is signed and counts toward ``applies_to``: an entry's own kind, or for a
    reversal the kind of the entry it cancels (with the opposite sign). Balances are sums
    by ``applies_to`` up to an effective date, so they can be computed in one query.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="entries", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    applies_to = models.CharField(max_length=16, choices=EntryKind.choices, editable=False)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("points currency"), max_length=7, choices=PointsCurrency.choices)
    use = models.CharField(
        _("use"),
        max_length=20,
        choices=CaseUse.choices,
        blank=True,
        help_text=_("The case's use, for the defence share; blank on obligation entries."),
    )
    effective_on = models.DateField(_("effective on"), validators=[program_date], db_index=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    # Where the entry came from (the case and the committee meeting whose minutes posted it).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("case"),
    )
    meeting = models.ForeignKey(
        "committee.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("meeting"),
    )
    note = models.TextField(_("note"), blank=True)
    # Written with ``note`` when the entry is posted (the ledger is append-only).
    note_en = models.TextField(_("note (English)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="credit_entries",
        verbose_name=_("created by"),
    )

    objects = CreditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["agreement", "applies_to", "effective_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=False))
                | (~Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=True)),
                name="credit_entry_reversal_points_at_entry",
                violation_error_message=_("A reversal, and only a reversal, cancels an entry."),
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.REVERSAL) | Q(applies_to=models.F("kind")),
                name="credit_entry_applies_to_own_kind",
                violation_error_message=_("An entry counts toward its own kind."),
            ),
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="credit_entry_amount_not_zero",
                violation_error_message=_("A ledger entry cannot be zero."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[EntryKind.OBLIGATION, EntryKind.REVERSAL]) | Q(amount__gt=0),
                name="credit_entry_movement_positive",
                violation_error_message=_(
                    "Reserves, releases, credits and bank moves are positive."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.kind} {self.amount} {self.currency}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries are append-only: post a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Ledger entries are append-only: post a reversal instead.")

    @property
    def note_localized(self) -> LocalizedText:
        """The entry's note in the reader's language (the Chinese where none)."""
        return localized(self.note, self.note_en)


class CapabilityAssessment(models.Model):
    """One item of a procurement's self-production capability assessment
    (國內產業自製能量評估) and its result; items buildable through ICP feed the specification."""

    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("procurement"),
    )
    item = models.CharField(_("item"), max_length=300)
    result = models.CharField(_("result"), max_length=24, choices=AssessmentResult.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capability assessment item")
        verbose_name_plural = _("capability assessment items")
        ordering = ["procurement", "id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display()}"


class SpecificationStandard(models.Model):
    """An allowed mode of a procurement's ICP specification (工業合作規範) with its
    multiplier standard (乘數標準); it becomes the agreement's standard at signing."""

    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.CASCADE,
        related_name="spec_standards",
        verbose_name=_("procurement"),
    )
    mode = models.CharField(_("mode"), max_length=32, choices=Mode.choices)
    min_multiplier = models.DecimalField(_("minimum multiplier"), max_digits=6, decimal_places=2)
    max_multiplier = models.DecimalField(_("maximum multiplier"), max_digits=6, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("specification standard")
        verbose_name_plural = _("specification standards")
        ordering = ["procurement", "mode"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "mode"],
                name="spec_standard_one_per_mode",
                violation_error_message=_("The specification already allows this mode."),
            ),
            models.CheckConstraint(
                condition=Q(min_multiplier__gt=0, max_multiplier__gte=models.F("min_multiplier")),
                name="spec_standard_range_valid",
                violation_error_message=_(
                    "Multipliers must be positive and the maximum at least the minimum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.min_multiplier}–{self.max_multiplier}×"


class NegotiationMember(models.Model):
    """A member of a procurement's joint negotiation team (聯合談判團隊) of MND and MOEA."""

    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.CASCADE,
        related_name="team",
        verbose_name=_("procurement"),
    )
    name = models.CharField(_("name"), max_length=100)
    ministry = models.CharField(_("ministry"), max_length=8, choices=Ministry.choices)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    leader = models.BooleanField(_("team leader"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("negotiation team member")
        verbose_name_plural = _("negotiation team members")
        ordering = ["procurement", "-leader", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement"],
                condition=Q(leader=True),
                name="negotiation_one_leader",
                violation_error_message=_("The team already has a leader."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_ministry_display()})"


class NegotiationMeeting(models.Model):
    """A negotiation meeting (談判會議) of the joint team with the contractor."""

    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.CASCADE,
        related_name="negotiations",
        verbose_name=_("procurement"),
    )
    held_on = models.DateField(_("held on"), validators=[program_date], db_index=True)
    counterpart = models.CharField(_("counterpart"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("negotiation meeting")
        verbose_name_plural = _("negotiation meetings")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.counterpart}"


class ProcurementPlanItem(models.Model):
    """A planned item of a procurement, chosen from the published demand items (§6); it
    becomes a planned item of the agreement's ICP plan at signing."""

    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.CASCADE,
        related_name="planned_items",
        verbose_name=_("procurement"),
    )
    demand_item = models.ForeignKey(
        "demand_items.DemandItem",
        on_delete=models.PROTECT,
        related_name="procurement_plans",
        verbose_name=_("demand item"),
    )
    mode = models.CharField(_("mode"), max_length=32, choices=Mode.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned item")
        verbose_name_plural = _("planned items")
        ordering = ["procurement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "demand_item"],
                name="procurement_plan_item_once",
                violation_error_message=_("This demand item is already planned."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand_item} ({self.get_mode_display()})"


class AgreementBalanceQuerySet(models.QuerySet["AgreementBalance"]):
    def update(self, **kwargs):
        raise AppendOnlyError("Maintained balances are written by the ledger: post an entry.")

    def delete(self):
        raise AppendOnlyError("Maintained balances are written by the ledger: post an entry.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("Maintained balances are written by the ledger: post an entry.")


class AgreementBalance(models.Model):
    """The maintained balance (即時餘額) of an agreement: the ledger's sums over every entry
    posted to it, so that current balances are read instead of aggregated.

    The database writes it, never Python: a trigger on the ledger adds each new entry to
    its agreement's row in the statement that inserts the entry (so every path that posts,
    including bulk loads, keeps it), and on PostgreSQL any other INSERT, UPDATE or DELETE
    of a row is refused. The figures count every entry whatever its effective date:
    ``latest_effective_on`` says up to when they hold; a balance as of an earlier date
    comes from the ledger. ``entries`` counts the postings: the version the balance
    endpoints' ETag is made of. ``manage.py balances_check`` compares the rows with the
    ledger's aggregate.
    """

    agreement = models.OneToOneField(
        Agreement,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="maintained_balance",
        verbose_name=_("agreement"),
    )
    obligation = models.DecimalField(_("obligation"), default=0, **MONEY)
    reserved = models.DecimalField(_("reserved"), default=0, **MONEY)
    # Σ actual + Σ bank draws − Σ retention (the bank figures are also kept apart).
    discharged = models.DecimalField(_("discharged"), default=0, **MONEY)
    bank_drawn = models.DecimalField(_("drawn from the bank"), default=0, **MONEY)
    retained = models.DecimalField(_("retained in the bank"), default=0, **MONEY)
    # Reserved + discharged credit on direct or indirect defence cases.
    defence = models.DecimalField(_("defence use"), default=0, **MONEY)
    latest_effective_on = models.DateField(_("latest effective date"))
    last_entry_id = models.BigIntegerField(_("last entry"))
    entries = models.PositiveBigIntegerField(_("entries posted"))

    objects = AgreementBalanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("maintained balance")
        verbose_name_plural = _("maintained balances")

    def __str__(self) -> str:
        return f"{self.agreement_id} ({self.entries})"

    def save(self, *args, **kwargs):
        raise AppendOnlyError("Maintained balances are written by the ledger: post an entry.")

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Maintained balances are written by the ledger: post an entry.")
