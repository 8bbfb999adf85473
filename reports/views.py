"""The statistics pages: the office's (and an agency's, for its own purchases) and the
public one. Figures from reports.selectors, charts from reports.dashboard."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as InputError

from icp_portal.lib.forms import apply_service_errors
from organizations import selectors as organization_selectors
from organizations.choices import OrganizationKind, PortalRole
from organizations.decorators import office_required, role_required
from organizations.models import ReviewerProfile, is_office_staff
from organizations.selectors import user_membership
from reports import dashboard, exports, selectors, services, work
from reports import search as searching
from reports.api.serializers import StatisticsQuerySerializer
from reports.files import open_stored, report_file_response
from reports.forms import OfficeActivityForm, ReportRequestForm


def _query(request) -> tuple[dict, dict]:
    """The page's year (or range) and agency, and the input's errors to show."""
    serializer = StatisticsQuerySerializer(data=request.GET)
    try:
        serializer.is_valid(raise_exception=True)
    except InputError:
        return {}, serializer.errors
    return dict(serializer.validated_data), {}


def _figures_and_panels(query: dict, agency, public: bool, years: list[int]) -> tuple:
    figures = selectors.statistics_for(agency=agency, public=public, years=years, **query)
    charts = dashboard.panels(figures=figures, years=years, agency=agency, public=public)
    return figures, charts


def _page(request, *, public: bool):
    query, errors = _query(request)
    if errors and request.GET.get("format") == "xlsx":
        return HttpResponseBadRequest(" ".join(str(m) for ms in errors.values() for m in ms))
    agency_id = query.pop("agency", None)
    agency = None if public else selectors.statistics_agency(user=request.user, agency_id=agency_id)
    years = selectors.program_years()
    if request.GET.get("format") == "xlsx":
        return exports.statistics_xlsx(
            selectors.statistics_for(agency=agency, public=public, years=years, **query)
        )
    if public and "start" not in query:
        # The published page: figures and charts cached until the next approved minutes.
        key = (
            f"public-statistics-page:{query.get('year')}:{get_language()}:"
            f"{selectors.published_fingerprint()}"
        )
        figures, panels = cache.get_or_set(
            key,
            lambda: _figures_and_panels(query, None, True, years),
            selectors.PUBLIC_CACHE_SECONDS,
        )
    else:
        figures, panels = _figures_and_panels(query, agency, public, years)
    years = years or [figures["start"].year]
    staff = not public and is_office_staff(request.user)
    context = {
        "figures": figures,
        "years": years,
        "year": figures["year"],
        "agency": agency,
        "agencies": selectors.statistics_agencies() if staff else [],
        "public": public,
        "defence_percent": f"{Decimal(figures['defence_share']['value']) * 100:.2f}",
        "errors": errors,
        "panels": panels,
    }
    # Refused input: the page shows the default figures and why (400, not a silent 200).
    return render(request, "reports/statistics.html", context, status=400 if errors else 200)


def statistics(request):
    """The program's figures and charts (the office; an agency's members for their own
    purchases; anyone else 403)."""
    return _page(request, public=False)


@login_not_required
def public_statistics(request):
    """The published figures and charts: no fees, no names of recipients."""
    return _page(request, public=True)


@role_required(PortalRole.AGENCY)
def home_agency(request):
    """A procuring agency's home: the credit of its purchases — each agreement on its
    procurements with today's balance, the totals per currency, and this year's figures
    of its purchases (api.md "Outcomes and agencies"). Read-only."""
    membership = user_membership(user=request.user)
    agency = membership.organization
    today = timezone.localdate()
    owned = work.agreement_balances(
        user=request.user, today=today, order=("procurement__title_zh", "number")
    )
    context = {
        "agency": agency,
        "today": today,
        "rows": owned["agreements"],
        "totals": owned["totals"],
        "figures": selectors.statistics_for(agency=agency),
    }
    return render(request, "home/agency.html", context)


# --- Report jobs ------------------------------------------------------------------------


def report_list(request):
    """The reports I asked for, with live progress and downloads, and what I may ask
    for (the office: every kind; a contractor's members: their statements)."""
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.report_request(
                kind=form.cleaned_data["kind"],
                format=form.cleaned_data["format"],
                parameters=form.parameters(),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The report is being prepared: it appears below."))
            return redirect(f"{reverse('report_list')}#job-{job.pk}")
    jobs = Paginator(selectors.report_jobs(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "reports/jobs.html", {"form": form, "jobs": jobs})


def report_download(request, pk):
    """A built report's file, for whoever may see the job (404 for anybody else)."""
    job = get_object_or_404(selectors.report_jobs(user=request.user), pk=pk)
    return report_file_response(job)


# --- The office's activity log ------------------------------------------------------------


def activity_list(request):
    """The office's activity log (its year-end report counts it): list and add."""
    rows = selectors.activity_list(user=request.user)  # 403 for anybody but the office
    form = OfficeActivityForm(request.POST or None, prefix="activity")
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was logged."))
            return redirect("activity_list")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "reports/activities.html", {"form": form, "page": page})


def decision_letter(request, pk, letter_id):
    """A case's decision letter, for the office and the contractor (404 for anyone else)."""
    from cases.models import Case

    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    letter = get_object_or_404(selectors.case_letters(case=case, user=request.user), pk=letter_id)
    if not letter.file:
        raise Http404
    return FileResponse(
        open_stored(letter.file),
        as_attachment=True,
        filename=f"decision-{case.number}-{letter.meeting.year}-{letter.meeting.number}.pdf",
        content_type="application/pdf",
    )


@office_required
def home_office(request):
    """The office's home: its work queue (what is due, with counts, each linking to where
    it is done), then the program's parties and the ways in."""
    counts = organization_selectors.organization_counts_by_kind()
    kinds = [(value, label, counts.get(value, 0)) for value, label in OrganizationKind.choices]
    mine = request.GET.get("mine") == "1"
    context = {
        "mine": mine,
        "queue": work.office_queue(today=timezone.localdate(), mine=request.user if mine else None),
        "kinds": kinds,
        "reviewer_count": ReviewerProfile.objects.filter(active=True).count(),
    }
    return render(request, "home/office.html", context)


@role_required(PortalRole.CONTRACTOR)
def home_contractor(request):
    """A contractor's home: balances, reports due, cases waiting on it, decision letters."""
    membership = user_membership(user=request.user)
    day = work.contractor_day(user=request.user, today=timezone.localdate())
    return render(request, "home/contractor.html", {"organization": membership.organization, **day})


@role_required(PortalRole.RECIPIENT)
def home_recipient(request):
    """A domestic recipient's home: its bills overdue, due and paid, and what it owes."""
    membership = user_membership(user=request.user)
    day = work.recipient_day(user=request.user, today=timezone.localdate())
    return render(request, "home/recipient.html", {"organization": membership.organization, **day})


@role_required(PortalRole.PROPOSER)
def home_proposer(request):
    """A proposing unit's home: its demand items by stage."""
    membership = user_membership(user=request.user)
    day = work.proposer_day(user=request.user)
    return render(request, "home/proposer.html", {"organization": membership.organization, **day})


def search(request):
    """The global search (``/search/?q=``): numbers, titles and names in both languages,
    among what the reader may open, grouped by kind. One exact number match alone opens
    its record directly (``&all=1`` lists it instead)."""
    results = searching.search(user=request.user, query=request.GET.get("q"))
    exact = results.exact
    if len(exact) == 1 and not request.GET.get("all"):
        return redirect(exact[0].url)
    context = {
        "results": results,
        "query": results.query,
        "min_length": searching.MIN_LENGTH,
        "max_length": searching.MAX_LENGTH,
    }
    return render(request, "reports/search.html", context)
