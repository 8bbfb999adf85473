"""Statistics, dashboards and reports (報告): the data the office keeps for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from icp_portal.lib.models import PROGRAM_YEAR, program_date
from organizations.choices import SYSTEM_USERNAME
from organizations.models import is_office_staff


class KpiTarget(models.Model):
    """The program's targets for a year (domain.md §14, the budget's KPIs: NT$4億 orders,
    8億 investment, 20億 added output, 20 technologies in 2020), held as data per year; a
    blank target is one the year did not set."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=PROGRAM_YEAR)
    orders_twd = models.DecimalField(
        _("international orders (NT$)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    investment_twd = models.DecimalField(
        _("investment (NT$)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    added_output_twd = models.DecimalField(
        _("added output (NT$)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    technologies = models.PositiveIntegerField(_("key technologies"), null=True, blank=True)
    note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(orders_twd__gte=0) | Q(orders_twd__isnull=True),
                name="kpi_orders_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(investment_twd__gte=0) | Q(investment_twd__isnull=True),
                name="kpi_investment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(added_output_twd__gte=0) | Q(added_output_twd__isnull=True),
                name="kpi_output_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"KPI {self.year}"


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Annual report")
    MEETING_RESULTS = "meeting_results", _("Meeting results")
    AGREEMENT_STATEMENT = "agreement_statement", _("Credit statement of an agreement")
    CONTRACTOR_STATEMENT = "contractor_statement", _("Credit statement of a contractor")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (xlsx)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


def _report_path(job: ReportJob, filename: str) -> str:
    # Private storage: served only by a view that checks who asked for it.
    return f"private/reports/{job.pk}/{filename}"


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def visible_to(self, user) -> ReportJobQuerySet:
        """Everyone sees the jobs they asked for; the office also the portal's own (the
        quarterly statements the beat asks for as the system account)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_office_staff(user):
            return self.filter(Q(requested_by=user) | Q(requested_by__username=SYSTEM_USERNAME))
        return self.filter(requested_by=user)


class ReportJob(models.Model):
    """One report asked for and built by Celery (api.md ``/reports/``): its kind, its
    parameters and format, the status row the page and the API show while it runs, and
    the stored file until it expires."""

    kind = models.CharField(_("kind"), max_length=24, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(upload_to=_report_path, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size_bytes = models.PositiveIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_jobs"
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_job_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class ActivityKind(models.TextChoices):
    """What the office itself does, counted in its year-end report (domain.md §9)."""

    PUBLICITY = "publicity", _("Publicity session")
    BRIEFING = "briefing_assisted", _("Briefing assisted")
    NEGOTIATION = "negotiation", _("Negotiation meeting")
    SURVEY = "capability_survey", _("Capability survey")
    NEWSLETTER = "newsletter", _("E-newsletter")
    AWARD = "award", _("Award")


class OfficeActivity(models.Model):
    """One thing the office did (a publicity session, a briefing it assisted, a negotiation
    meeting with a contractor, a capability survey, an e-newsletter, an award): the log its
    year-end report counts."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("date"), validators=[program_date])
    title = models.CharField(_("title"), max_length=300)
    counterpart = models.CharField(_("counterpart"), max_length=200, blank=True)
    firms = models.PositiveIntegerField(_("firms attending"), default=0)
    people = models.PositiveIntegerField(_("people attending"), default=0)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("office activity")
        verbose_name_plural = _("office activities")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Measure(models.TextChoices):
    """The lines of the year-end report's targets-against-done table (domain.md §9), each
    counted from the year's records."""

    DEMAND_PANELS = "demand_panels", _("Demand-item review meetings held")
    DATABASE_UPDATES = "database_updates", _("Demand-item database updates")
    PUBLICITY = "publicity", _("Publicity sessions")
    BRIEFINGS = "briefings_assisted", _("Briefings assisted")
    AGREEMENTS = "agreements", _("Agreements signed")
    AGREEMENT_CREDITS = "agreement_credits", _("Credit of the agreements signed (USD points)")
    APPROVED_CREDITS = "approved_credits", _("Pre- and actually approved credit (USD points)")
    BUSINESS = "business_twd", _("Business induced (NT$)")
    INVESTMENT = "investment_twd", _("Investment induced (NT$)")
    NEGOTIATIONS = "negotiations", _("Negotiation meetings with contractors")
    SURVEYS = "surveys", _("Contractors' capability surveys")
    SUBCOMMITTEES = "subcommittees", _("Sub-committee meetings")
    PROMOTION = "promotion_meetings", _("Promotion committee meetings")
    CASES = "cases_approved", _("Cases pre- or actually approved")


class AnnualTarget(models.Model):
    """The office's target for one line of a year's work plan (entered per year)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=PROGRAM_YEAR)
    measure = models.CharField(_("measure"), max_length=24, choices=Measure.choices)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        ordering = ["year", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["year", "measure"], name="annual_target_once"),
            models.CheckConstraint(condition=Q(target__gte=0), name="annual_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.measure}"


def _letter_path(letter: DecisionLetter, filename: str) -> str:
    return f"private/letters/{letter.case_id}/{letter.decision_id}.pdf"


class DecisionLetter(models.Model):
    """The letter (核定函) telling a contractor what the committee decided on its case,
    issued once per decision when the minutes are approved: bilingual, stored with the
    case, e-mailed to the contractor's members."""

    decision = models.OneToOneField(
        "committee.Decision", on_delete=models.PROTECT, related_name="letter"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="decision_letters"
    )
    meeting = models.ForeignKey(
        "committee.Meeting", on_delete=models.PROTECT, related_name="decision_letters"
    )
    file = models.FileField(upload_to=_letter_path, max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), validators=[program_date])
    emailed = models.PositiveIntegerField(_("e-mails sent"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.meeting_id}"
