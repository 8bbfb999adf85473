"""Cases (工業合作個案), their activities, documents, checklist confirmations, reviews,
checkpoints and quarterly progress reports (domain.md §4, §8)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.choices import CaseUse, Mode
from agreements.models import MONEY, Agreement, DecimalSize, PlanItem
from cases.choices import (
    EXPORT_RESTRICTION_YEARS,
    PROGRESS_REPORT_GRACE_DAYS,
    CaseStatus,
    ChecklistResult,
    DocumentKind,
    OutcomeStage,
    SubcommitteeOutcome,
)
from icp_portal.lib.models import (
    PROGRAM_YEAR,
    QUARTER,
    ChoiceLabelsMixin,
    ConstraintFieldsMixin,
    not_in_future,
    program_date,
)
from icp_portal.lib.texts import LocalizedText, localized
from organizations.choices import Field, OrganizationKind
from organizations.models import Organization, is_office_staff
from organizations.selectors import user_membership

CENT = Decimal("0.01")


def credits_of(value: Decimal, multiplier: Decimal) -> Decimal:
    """A case's credit = value × multiplier, rounded half up to two decimals (§11)."""
    return (Decimal(value) * Decimal(multiplier)).quantize(CENT, rounding=ROUND_HALF_UP)


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user) -> CaseQuerySet:
        """Staff see every case; a contractor's members their own; a procuring agency's
        members (read-only, without documents) the cases on its purchases; a reviewer the
        cases on the agendas of meetings they sit on; nobody else any."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_office_staff(user):
            return self
        membership = user_membership(user=user)
        if membership and membership.organization.kind == OrganizationKind.FOREIGN_CONTRACTOR:
            return self.filter(agreement__contractor_id=membership.organization_id)
        if membership and membership.organization.kind == OrganizationKind.PROCURING_AGENCY:
            return self.filter(agreement__procurement__agency_id=membership.organization_id)
        if hasattr(user, "reviewer_profile"):
            return self.filter(agenda_items__meeting__members__user=user).distinct()
        return self.none()


class Case(ChoiceLabelsMixin, ConstraintFieldsMixin, models.Model):
    """An industrial cooperation case (工業合作個案) a contractor runs under an agreement."""

    constraint_fields = {"case_ends_after_start": "ends_on"}

    number = models.CharField(_("number"), max_length=30, unique=True)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="cases", verbose_name=_("agreement")
    )
    plan_item = models.ForeignKey(
        PlanItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("plan item"),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    use = models.CharField(_("use"), max_length=20, choices=CaseUse.choices)
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    starts_on = models.DateField(_("starts on"), validators=[program_date])
    ends_on = models.DateField(_("ends on"), validators=[program_date])
    description = models.TextField(_("description"), blank=True)
    initial_review_opinion = models.TextField(_("initial review opinion"), blank=True)
    initial_review_opinion_en = models.TextField(_("initial review opinion (English)"), blank=True)
    subcommittee_outcome = models.CharField(
        _("sub-committee outcome"), max_length=16, choices=SubcommitteeOutcome.choices, blank=True
    )
    office_request = models.TextField(
        _("office's request"), blank=True, help_text=_("What the office asks the contractor for.")
    )
    office_request_en = models.TextField(_("office's request (English)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The office member who handles the case (承辦人): their "mine" queue.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        # The work queue's order (oldest submitted first) has an index on PostgreSQL only
        # (migration cases/0008: SQLite takes no NULLS LAST in an index).
        indexes = [
            # The queue by status: a status few cases hold is found without reading every
            # case (the order index serves the common ones).
            models.Index(fields=["status"], name="case_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="case_ends_after_start",
                violation_error_message=_("The schedule must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        if (
            self.plan_item_id is not None
            and self.agreement_id is not None
            and self.plan_item is not None
            and self.plan_item.agreement_id != self.agreement_id
        ):
            raise ValidationError({"plan_item": _("That plan item is another agreement's.")})

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh

    @property
    def office_request_localized(self) -> LocalizedText:
        """The office's request in the reader's language (the Chinese where none)."""
        return localized(self.office_request, self.office_request_en)

    @property
    def initial_review_opinion_localized(self) -> LocalizedText:
        return localized(self.initial_review_opinion, self.initial_review_opinion_en)

    @property
    def contractor_id(self) -> int:
        return self.agreement.contractor_id

    @property
    def requested_credits(self) -> Decimal:
        return sum((a.requested_credits for a in self.activities.all()), Decimal("0.00"))

    @property
    def pre_approved_credits(self) -> Decimal:
        return sum(
            (a.pre_approved_credits or Decimal("0.00") for a in self.activities.all()),
            Decimal("0.00"),
        )

    @property
    def actual_credits(self) -> Decimal:
        return sum(
            (a.actual_credits or Decimal("0.00") for a in self.activities.all()), Decimal("0.00")
        )


class Activity(ChoiceLabelsMixin, ConstraintFieldsMixin, models.Model):
    """One activity of a case: a mode, a domestic recipient, a value and its multiplier."""

    constraint_fields = {"activity_value_and_multiplier_positive": "requested_multiplier"}

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="activities", verbose_name=_("case")
    )
    mode = models.CharField(_("mode"), max_length=32, choices=Mode.choices)
    recipient = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="activities",
        limit_choices_to={"kind": OrganizationKind.DOMESTIC_RECIPIENT},
        verbose_name=_("domestic recipient"),
    )
    value = models.DecimalField(_("value"), **MONEY)
    requested_multiplier = models.DecimalField(
        _("requested multiplier"), max_digits=6, decimal_places=2
    )
    requested_credits = models.DecimalField(_("requested credits"), editable=False, **MONEY)
    approved_multiplier = models.DecimalField(
        _("approved multiplier"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    pre_approved_credits = models.DecimalField(
        _("pre-approved credits"), null=True, blank=True, **MONEY
    )
    actual_credits = models.DecimalField(_("actual credits"), null=True, blank=True, **MONEY)
    transfer_completed_on = models.DateField(
        _("technology transfer completed on"), validators=[program_date], null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0, requested_multiplier__gt=0),
                name="activity_value_and_multiplier_positive",
                violation_error_message=_("Value and multiplier must be positive."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} · {self.recipient}"

    @property
    def export_restricted_until(self) -> date | None:
        """The recipient may not move the technology's production abroad until then (§8)."""
        if self.mode != Mode.TECHNOLOGY_TRANSFER or self.transfer_completed_on is None:
            return None
        return self.transfer_completed_on + relativedelta(years=EXPORT_RESTRICTION_YEARS)


def _document_path(document: CaseDocument, filename: str) -> str:
    # Private storage: never under a public URL; served by a view that checks access.
    return f"private/cases/{document.case_id}/{document.token}.pdf"


class CaseDocumentQuerySet(models.QuerySet["CaseDocument"]):
    def visible_to(self, user) -> CaseDocumentQuerySet:
        """The documents of cases ``user`` may see, except to a procuring agency: it
        follows the credit of its purchases, not the contractors' papers."""
        cases = Case.objects.visible_to(user)
        membership = (
            user_membership(user=user) if getattr(user, "is_authenticated", False) else None
        )
        if membership and membership.organization.kind == OrganizationKind.PROCURING_AGENCY:
            return self.none()
        return self.filter(case__in=cases)


class CaseDocument(models.Model):
    """A PDF attached to a case: application, plan, commitments, evidence."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("activity"),
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ChecklistConfirmation(models.Model):
    """A person's confirmation of a checklist item the portal cannot compute."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist_confirmations")
    code = models.CharField(max_length=40)
    result = models.CharField(max_length=8, choices=ChecklistResult.choices)
    note = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="checklist_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code}={self.result}"


class Checkpoint(models.Model):
    """A checkpoint (查核點) of the case's schedule."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checkpoints")
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due on"), validators=[program_date])
    done_on = models.DateField(_("done on"), validators=[program_date], null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A quarterly progress report (每季進度報告) filed by the contractor."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="progress_reports")
    year = models.PositiveSmallIntegerField(_("year"), validators=PROGRAM_YEAR)
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=QUARTER)
    progress = models.TextField(_("progress"))
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MaxValueValidator(100)]
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "year", "quarter"],
                name="progress_report_one_per_quarter",
                violation_error_message=_("A report for this quarter was already filed."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4, percent_complete__lte=100),
                name="progress_report_quarter_and_percent",
                violation_error_message=_("Quarter is 1–4 and progress at most 100 per cent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.year}Q{self.quarter}"


def progress_report_due_on(year: int, quarter: int) -> date:
    """Due 15 days after the calendar quarter ends (§11)."""
    quarter_end = date(year, 3 * quarter, 1) + relativedelta(months=1, days=-1)
    return quarter_end + relativedelta(days=PROGRESS_REPORT_GRACE_DAYS)


class ProgressReminder(models.Model):
    """A reminder e-mail sent for a quarter's report (so a task run twice sends it once)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="progress_reminders")
    year = models.PositiveSmallIntegerField(validators=PROGRAM_YEAR)
    quarter = models.PositiveSmallIntegerField(validators=QUARTER)
    overdue = models.BooleanField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "year", "quarter", "overdue"], name="progress_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.year}Q{self.quarter} {'overdue' if self.overdue else 'due'}"


TWD: DecimalSize = {"max_digits": 18, "decimal_places": 0}


class CaseOutcome(ConstraintFieldsMixin, models.Model):
    """What a case brought (domain.md §14), recorded at its actual approval and revisited
    one and three years later: the technologies introduced, by name; investment, orders
    and added output in NT$; people trained; jobs; and the incrementality statement (what
    would not have happened without the case)."""

    constraint_fields = {"case_outcome_figures_not_negative": "investment_twd"}

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("case")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=OutcomeStage.choices)
    as_of = models.DateField(_("as of"), validators=[program_date, not_in_future])
    technologies = models.JSONField(_("technologies introduced"), default=list, blank=True)
    investment_twd = models.DecimalField(_("investment (NT$)"), default=0, **TWD)
    orders_twd = models.DecimalField(_("orders (NT$)"), default=0, **TWD)
    added_output_twd = models.DecimalField(_("added output (NT$)"), default=0, **TWD)
    people_trained = models.PositiveIntegerField(_("people trained"), default=0)
    jobs = models.PositiveIntegerField(_("jobs"), default=0)
    incrementality = models.TextField(
        _("incrementality"),
        help_text=_("What would not have happened without the case."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["case", "as_of", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "stage"],
                name="case_outcome_once_per_stage",
                violation_error_message=_("This stage's outcomes are already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(investment_twd__gte=0, orders_twd__gte=0, added_output_twd__gte=0),
                name="case_outcome_figures_not_negative",
                violation_error_message=_("Outcome figures cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage}"


class OutcomeReminder(models.Model):
    """A revisit reminder sent to the office (so a task run twice sends it once)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcome_reminders")
    stage = models.CharField(max_length=12, choices=OutcomeStage.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="outcome_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage}"
