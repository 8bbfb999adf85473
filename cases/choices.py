"""Choices of cases (工業合作個案), domain.md §4."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKLIST = "checklist", _("Basic requirements check")
    INITIAL_REVIEW = "initial_review", _("Initial review")
    SUBCOMMITTEE_REVIEW = "subcommittee_review", _("Sub-committee review")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    RETURNED = "returned", _("Returned")
    ON_AGENDA = "on_agenda", _("On the committee's agenda")
    PRE_APPROVED = "pre_approved", _("Pre-approved")
    REJECTED = "rejected", _("Rejected")
    RENEGOTIATE = "renegotiate", _("Renegotiate")
    IN_EXECUTION = "in_execution", _("In execution")
    ACTUAL_REQUESTED = "actual_requested", _("Actual approval requested")
    ACTUALLY_APPROVED = "actually_approved", _("Actually approved")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("Application (申請書)")
    PLAN = "plan", _("Plan (計畫書)")
    FEE_COMMITMENT = "fee_commitment", _("Feedback-fee commitment (回饋金繳納承諾書)")
    EXPORT_CONTROL_COMMITMENT = (
        "export_control_commitment",
        _("Technology export control commitment (技術輸出境外管制承諾書)"),
    )
    PROGRESS_EVIDENCE = "progress_evidence", _("Progress or completion evidence")
    OTHER = "other", _("Other")


class OutcomeStage(models.TextChoices):
    """When a case's outcomes are recorded (domain.md §14): at actual approval, then
    revisited one and three years after it."""

    AT_APPROVAL = "at_approval", _("At actual approval")
    ONE_YEAR = "one_year", _("One year after")
    THREE_YEARS = "three_years", _("Three years after")


# The revisits fall due this many years after the actual approval (domain.md §14).
OUTCOME_REVISIT_YEARS = {OutcomeStage.ONE_YEAR: 1, OutcomeStage.THREE_YEARS: 3}


class SubcommitteeOutcome(models.TextChoices):
    """The four outcomes of an industry sub-committee (產業分組委員會)."""

    PASS = "pass", _("Pass")
    FORWARD = "forward", _("Forward to the committee for deliberation")
    SUPPLEMENT = "supplement", _("Supplementary material required")
    RETURNED = "returned", _("Returned")


class ChecklistResult(models.TextChoices):
    PASS = "pass", pgettext_lazy("checklist", "Pass")
    FAIL = "fail", pgettext_lazy("checklist", "Fail")
    UNKNOWN = "unknown", pgettext_lazy("checklist", "Unknown")


# An uploaded document may be at most this large.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A technology-transfer recipient may not move production abroad for this long (§8).
EXPORT_RESTRICTION_YEARS = 2
# A quarterly progress report is due this many days after the quarter ends (§11).
PROGRESS_REPORT_GRACE_DAYS = 15
