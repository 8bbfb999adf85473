"""What each report job builds, from data only: the annual report (PDF and xlsx), a
meeting's results (PDF) and the credit statements of an agreement or a contractor (PDF and
xlsx). Every PDF sets Noto Sans CJK TC on ``html``, numbers its pages and prints the
report's date and parameters in the footer; the charts are the statistics page's SVGs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements import selectors as agreement_selectors
from agreements.models import Agreement, CreditEntry
from cases.models import CaseOutcome
from committee.models import Decision, Meeting
from demand_items.models import CallRound
from icp_portal.lib.xlsx import xlsx_sheets_response
from organizations.models import Organization
from reports import dashboard, exports, selectors
from reports.models import ReportFormat, ReportJob, ReportKind
from reports.selectors import Period

REPORT_LANGUAGE = "zh-hant"  # the office's documents: Traditional Chinese, English beside

Progress = Callable[[int], None]


def _pdf(template: str, context: dict[str, Any], job: ReportJob) -> tuple[bytes, int]:
    from pypdf import PdfReader
    from weasyprint import HTML

    footer = f"{job.get_kind_display()} · {_parameters(job)} · {timezone.localdate().isoformat()}"
    html = render_to_string(template, {**context, "job": job, "footer": footer})
    content = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return content, len(PdfReader(BytesIO(content)).pages)


def _parameters(job: ReportJob) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted(job.parameters.items()))


def _xlsx(sheets) -> bytes:
    return xlsx_sheets_response(filename="report.xlsx", sheets=sheets).content


# --- The annual report (年度執行成果報告) ------------------------------------------------


def _annual_context(year: int, progress: Progress) -> dict[str, Any]:
    figures = selectors.year_statistics(year=year)
    progress(20)
    targets = selectors.targets_against_done(year=year)
    progress(35)
    period = Period.year(year)
    meetings = list(
        Meeting.objects.filter(
            kind="promotion_committee", held_on__gte=period.start, held_on__lte=period.end
        ).order_by("held_on", "id")
    )
    decisions = (
        Decision.objects.filter(agenda_item__meeting__in=meetings)
        .select_related("agenda_item__case__agreement__contractor", "agenda_item__meeting")
        .order_by("agenda_item__meeting__held_on", "agenda_item_id")
    )
    by_meeting: dict[int, list] = {m.pk: [] for m in meetings}
    for decision in decisions:
        by_meeting[decision.agenda_item.meeting_id].append(decision)
    panels = dashboard.panels(
        figures=figures,
        years=[y for y in selectors.meeting_years() if y <= year][-10:] or [year],
        agency=None,
    )
    progress(60)
    return {
        "year": year,
        "figures": figures,
        "targets": targets,
        "meetings": [(m, by_meeting[m.pk]) for m in meetings],
        "agreements": Agreement.objects.filter(
            signed_on__gte=period.start, signed_on__lte=period.end
        )
        .select_related("contractor", "procurement__agency")
        .order_by("signed_on", "id"),
        "rounds": CallRound.objects.filter(year=year).order_by("quarter"),
        "outcomes": CaseOutcome.objects.filter(
            stage="at_approval", as_of__gte=period.start, as_of__lte=period.end
        )
        .select_related("case")
        .order_by("as_of", "id"),
        "panels": panels,
        "series": selectors.meeting_series(period=period),
    }


def annual_pdf(job: ReportJob, progress: Progress) -> tuple[bytes, str, int]:
    year = job.parameters["year"]
    context = _annual_context(year, progress)
    content, pages = _pdf("pdf/annual_report.html", context, job)
    return content, f"annual-report-{year}.pdf", pages


def annual_xlsx(job: ReportJob, progress: Progress) -> tuple[bytes, str, None]:
    year = job.parameters["year"]
    context = _annual_context(year, progress)
    targets = [
        [row["label"], row["target"], row["done"], "" if row["met"] is None else row["met"]]
        for row in context["targets"]
    ]
    listing = [
        [row["label"], day, title] for row in context["targets"] for day, title in row["items"]
    ]
    meetings = [
        [
            meeting.held_on,
            f"{meeting.year} #{meeting.number}",
            decision.agenda_item.case.number if decision.agenda_item.case else "",
            decision.agenda_item.get_kind_display(),
            decision.get_outcome_display(),
        ]
        for meeting, decisions in context["meetings"]
        for decision in decisions
    ]
    statistics = exports.statistics_sheets(context["figures"])
    sheets = [
        (
            _("Targets against done"),
            [_("Line"), _("Target"), _("Done"), _("Met")],
            targets,
        ),
        (_("Listed by date"), [_("Line"), _("Date"), _("Record")], listing),
        (
            _("Decisions"),
            [_("Held on"), _("Meeting"), _("Case"), _("Kind"), _("Outcome")],
            meetings,
        ),
        *statistics,
    ]
    return _xlsx(sheets), f"annual-report-{year}.xlsx", None


# --- A meeting's results ----------------------------------------------------------------


def meeting_results_pdf(job: ReportJob, progress: Progress) -> tuple[bytes, str, int]:
    meeting = Meeting.objects.get(pk=job.parameters["meeting"])
    totals = selectors.meeting_results(meeting=meeting)
    progress(50)
    content, pages = _pdf("pdf/meeting_results.html", {"meeting": meeting, **totals}, job)
    return content, f"meeting-results-{meeting.year}-{meeting.number}.pdf", pages


# --- Credit statements ------------------------------------------------------------------


def _statement(agreement: Agreement, as_of: date) -> dict[str, Any]:
    """An agreement's statement: every ledger entry up to ``as_of`` with the running
    balances after it, and the closing balance (the API's ``balance?as_of=``)."""
    entries = CreditEntry.objects.filter(
        agreement=agreement, effective_on__lte=as_of
    ).select_related("case", "meeting")
    rows = [
        {"entry": entry, "after": after}
        for entry, after in agreement_selectors.running_balances(entries=entries)
    ]
    balance = agreement_selectors.agreement_balance(agreement=agreement, as_of=as_of)
    clause = agreement.defence_ratio_min
    return {
        "agreement": agreement,
        "rows": rows,
        "balance": balance,
        "clause": clause,
        "meets_clause": None
        if clause is None or balance.defence_share is None
        else balance.defence_share >= clause,
    }


def _statement_sheet(statement: dict[str, Any]) -> tuple[str, list, list]:
    agreement = statement["agreement"]
    rows = [
        [
            row["entry"].effective_on,
            row["entry"].get_kind_display(),
            row["entry"].amount,
            row["entry"].case.number if row["entry"].case else "",
            row["entry"].note,
            row["after"]["obligation"],
            row["after"]["discharged"],
            row["after"]["reserved"],
            row["after"]["available"],
        ]
        for row in statement["rows"]
    ]
    return (
        agreement.number,
        [
            _("Effective on"),
            _("Kind"),
            _("Amount"),
            _("Case"),
            _("Note"),
            _("Obligation"),
            _("Discharged"),
            _("Reserved"),
            _("Available"),
        ],
        rows,
    )


def agreement_statement(job: ReportJob, progress: Progress) -> tuple[bytes, str, int | None]:
    agreement = Agreement.objects.select_related("contractor", "procurement__agency").get(
        pk=job.parameters["agreement"]
    )
    as_of = date.fromisoformat(job.parameters["as_of"])
    statement = _statement(agreement, as_of)
    progress(50)
    name = f"statement-{agreement.number}-{as_of.isoformat()}"
    if job.format == ReportFormat.XLSX:
        return _xlsx([_statement_sheet(statement)]), f"{name}.xlsx", None
    content, pages = _pdf("pdf/statement.html", {"as_of": as_of, "statements": [statement]}, job)
    return content, f"{name}.pdf", pages


def contractor_statement(job: ReportJob, progress: Progress) -> tuple[bytes, str, int | None]:
    contractor = Organization.objects.get(pk=job.parameters["contractor"])
    as_of = date.fromisoformat(job.parameters["as_of"])
    agreements = (
        Agreement.objects.filter(contractor=contractor, signed_on__lte=as_of)
        .select_related("contractor", "procurement__agency")
        .order_by("signed_on", "id")
    )
    statements = []
    for index, agreement in enumerate(agreements, start=1):
        statements.append(_statement(agreement, as_of))
        progress(5 + 80 * index // max(len(agreements), 1))
    name = f"statement-{contractor.pk}-{as_of.isoformat()}"
    if job.format == ReportFormat.XLSX:
        return _xlsx([_statement_sheet(s) for s in statements]), f"{name}.xlsx", None
    content, pages = _pdf(
        "pdf/statement.html",
        {"as_of": as_of, "statements": statements, "contractor": contractor},
        job,
    )
    return content, f"{name}.pdf", pages


RENDERERS: dict[tuple[str, str], Callable[[ReportJob, Progress], tuple]] = {
    (ReportKind.ANNUAL, ReportFormat.PDF): annual_pdf,
    (ReportKind.ANNUAL, ReportFormat.XLSX): annual_xlsx,
    (ReportKind.MEETING_RESULTS, ReportFormat.PDF): meeting_results_pdf,
    (ReportKind.AGREEMENT_STATEMENT, ReportFormat.PDF): agreement_statement,
    (ReportKind.AGREEMENT_STATEMENT, ReportFormat.XLSX): agreement_statement,
    (ReportKind.CONTRACTOR_STATEMENT, ReportFormat.PDF): contractor_statement,
    (ReportKind.CONTRACTOR_STATEMENT, ReportFormat.XLSX): contractor_statement,
}


def build(job: ReportJob, progress: Progress) -> tuple[bytes, str, int | None]:
    """Build ``job``'s file in the office's language: (content, file name, pages)."""
    with translation.override(REPORT_LANGUAGE):
        return RENDERERS[(job.kind, job.format)](job, progress)
