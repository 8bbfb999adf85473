"""Pages of agreements and the ledger. Staff list, open, create and amend agreements; a
contractor reads its own, in its language. Excel exports of the list and of a ledger."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import charts, selectors, services
from agreements import guarantees as guarantee_policy
from agreements.filtersets import AgreementFilterSet
from agreements.forms import (
    AgreementCloseForm,
    AgreementCreateForm,
    AgreementTermsForm,
    AmendObligationForm,
    AsOfForm,
    BriefingForm,
    GuaranteeCallForm,
    GuaranteeForm,
    GuaranteeReleaseForm,
    MultiplierStandardForm,
    PlanItemForm,
    ProcurementForm,
    ReverseEntryForm,
)
from agreements.models import Agreement, CreditEntry, Guarantee
from icp_portal.lib.forms import service_form_page
from icp_portal.lib.pagination import CountedPaginator
from icp_portal.lib.xlsx import xlsx_response
from organizations.decorators import office_required
from organizations.models import is_office_staff
from organizations.policy import require_office

# Sortable columns of the list: ?sort=<key> or ?sort=-<key>.
SORTS = {
    "number": "number",
    "signed_on": "signed_on",
    "contractor": "contractor__name_en",
    "obligation": "bal_obligation",
    "discharged": "bal_discharged",
    "reserved": "bal_reserved",
    "available": "bal_available",
}


def _as_of(request):
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    return form, as_of or timezone.localdate()


def _listed_agreements(request):
    as_of_form, as_of = _as_of(request)
    filterset = AgreementFilterSet(request.GET or None)
    filters = filterset.form.data if filterset.is_bound and filterset.is_valid() else {}
    queryset = selectors.agreements_with_balances(user=request.user, filters=filters, as_of=as_of)
    sort = request.GET.get("sort", "-signed_on")
    key = SORTS.get(sort.lstrip("-"))
    if key:
        order = ("-" if sort.startswith("-") else "") + key
        # Amounts are compared within a currency only: USD and NT$ points never interleave.
        by_currency = ["currency"] if key.startswith("bal_") else []
        queryset = queryset.order_by(*by_currency, order, "id")
    else:
        sort = "-signed_on"
    return filterset, filters, as_of_form, as_of, sort, queryset


def _without(query, *names: str) -> str:
    """The query string without ``names``."""
    rest = query.copy()
    for name in names:
        rest.pop(name, None)
    return rest.urlencode()


def agreement_list(request):
    """Agreements with their balances on a date (staff: all; contractor: its own)."""
    if request.GET.get("format") == "xlsx":
        return agreement_list_xlsx(request)
    filterset, filters, as_of_form, as_of, sort, queryset = _listed_agreements(request)
    # The totals' query also counts the agreements listed: the page asks no COUNT.
    totals, listed = selectors.agreement_list_totals(
        user=request.user, filters=filters, as_of=as_of
    )
    page = CountedPaginator(queryset, 50, count=listed).get_page(request.GET.get("page"))
    rows = [(agreement, selectors.balance_of(row=agreement, as_of=as_of)) for agreement in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filterset": filterset,
        "as_of_form": as_of_form,
        "as_of": as_of,
        "sort": sort,
        "rows": rows,
        "totals": totals,
        "is_staff": is_office_staff(request.user),
        "query": query.urlencode(),
        # A sort link replaces the sort (the others' parameters kept), never piles it up.
        "sort_query": _without(query, "sort"),
    }
    return render(request, "agreements/list.html", context)


def agreement_list_xlsx(request):
    _filterset, _filters, _form, as_of, _sort, queryset = _listed_agreements(request)
    rows = ((agreement, selectors.balance_of(row=agreement, as_of=as_of)) for agreement in queryset)
    headers = [
        _("Number"),
        _("Contractor"),
        _("Procurement"),
        _("Procuring agency"),
        _("Currency"),
        _("Signed on"),
        _("Execution ends on"),
        _("Status"),
        _("Obligation"),
        _("Reserved"),
        _("Discharged"),
        _("Outstanding"),
        _("Available"),
        _("Defence share"),
    ]
    data = [
        [
            a.number,
            a.contractor.name,
            a.procurement.title,
            a.procurement.agency.name,
            a.get_currency_display(),
            a.signed_on,
            a.execution_ends_on,
            a.get_status_display(),
            b.obligation,
            b.reserved,
            b.discharged,
            b.outstanding,
            b.available,
            b.defence_share,
        ]
        for a, b in rows
    ]
    return xlsx_response(
        filename=f"agreements-{as_of:%Y%m%d}.xlsx",
        sheet=_("Agreements"),
        headers=headers,
        rows=data,
    )


def _visible_agreement(request, pk) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "contractor", "procurement", "procurement__agency"
        ),
        pk=pk,
    )


def agreement_detail(request, pk):
    """One agreement: balance on a date, ledger, multipliers, plan items, briefings."""
    agreement = _visible_agreement(request, pk)
    as_of_form, as_of = _as_of(request)
    context = {
        "agreement": agreement,
        "as_of_form": as_of_form,
        "as_of": as_of,
        "balance": selectors.agreement_balance(agreement=agreement, as_of=as_of).with_end(
            agreement.execution_ends_on
        ),
        "ledger": _numbered(selectors.agreement_ledger(agreement=agreement)),
        "multipliers": agreement.multipliers.order_by("mode", "-effective_from"),
        "plan_items": agreement.plan_items.select_related("demand_item").order_by("id"),
        "briefings": agreement.briefings.order_by("held_on"),
        "briefing_overdue": agreement.briefing_overdue(),
        "is_staff": is_office_staff(request.user),
        "panels": charts.agreement_panels(agreement=agreement),
        # Guarantees and penalties: the office acts, the contractor and the agency read.
        "guarantees": [
            (g, guarantee_policy.allowed(g, request.user))
            for g in agreement.guarantees.select_related("called_by_meeting").order_by(
                "valid_until", "id"
            )
        ],
        "penalties": agreement.penalties.select_related("meeting").order_by("-issued_on", "-id"),
        "agreement_actions": guarantee_policy.agreement_allowed(agreement, request.user),
    }
    return render(request, "agreements/detail.html", context)


def _numbered(entries) -> list[tuple[int, object, int | None]]:
    """Ledger rows numbered within the agreement (1, 2, 3…), each reversal pointing at the
    line it cancels: database ids would show gaps from other agreements."""
    entries = list(entries)
    line_of = {entry.pk: line for line, entry in enumerate(entries, start=1)}
    return [(line_of[e.pk], e, line_of.get(e.reverses_id)) for e in entries]


def agreement_ledger_xlsx(request, pk):
    agreement = _visible_agreement(request, pk)
    headers = [
        _("Entry"),
        _("Effective on"),
        _("Kind"),
        _("Amount"),
        _("Currency"),
        _("Use"),
        _("Reverses"),
        _("Note"),
        _("Recorded at"),
        _("Recorded by"),
    ]
    data = [
        [
            line,
            e.effective_on,
            e.get_kind_display(),
            e.amount,
            e.get_currency_display(),
            e.get_use_display(),
            reversed_line,
            e.note,
            timezone.localtime(e.created_at),
            e.created_by.username,
        ]
        for line, e, reversed_line in _numbered(selectors.agreement_ledger(agreement=agreement))
    ]
    return xlsx_response(
        filename=f"ledger-{agreement.number}.xlsx", sheet=_("Ledger"), headers=headers, rows=data
    )


def _detail_url(agreement_or_row) -> str:
    agreement_id = getattr(agreement_or_row, "agreement_id", None) or agreement_or_row.pk
    return reverse("agreement_detail", args=[agreement_id])


@office_required
def procurement_create(request):
    return service_form_page(
        request,
        form=ProcurementForm(request.POST or None),
        call=lambda data: services.procurement_create(actor=request.user, **data),
        template="agreements/form.html",
        context={"title": _("Record a procurement")},
        success=lambda _row: reverse("agreement_create"),
        message=_("The procurement was recorded."),
    )


@office_required
def agreement_create(request):
    return service_form_page(
        request,
        # From a committed procurement's page, its procurement is chosen already.
        form=AgreementCreateForm(
            request.POST or None, initial={"procurement": request.GET.get("procurement")}
        ),
        call=lambda data: services.agreement_create(actor=request.user, **data),
        template="agreements/form.html",
        context={"title": _("Record a signed agreement")},
        success=_detail_url,
        message=_("The agreement was recorded and its obligation posted to the ledger."),
    )


def _staff_agreement_form(request, pk, form_class, call, title, message, instance=False):
    # Visibility first (another contractor's agreement is 404), then the office's rule.
    agreement = _visible_agreement(request, pk)
    require_office(request.user)
    kwargs = {"instance": agreement} if instance else {}
    return service_form_page(
        request,
        form=form_class(request.POST or None, **kwargs),
        call=lambda data: call(agreement, data),
        template="agreements/form.html",
        context={"title": title, "agreement": agreement},
        success=lambda _row: _detail_url(agreement),
        message=message,
    )


def agreement_edit(request, pk):
    return _staff_agreement_form(
        request,
        pk,
        AgreementTermsForm,
        lambda a, data: services.agreement_update(
            agreement=Agreement.objects.get(pk=a.pk), actor=request.user, **data
        ),
        _("Amend the agreement's terms"),
        _("Saved."),
        instance=True,
    )


def agreement_amend_obligation(request, pk):
    return _staff_agreement_form(
        request,
        pk,
        AmendObligationForm,
        lambda a, data: services.agreement_amend_obligation(
            agreement=a, actor=request.user, **data
        ),
        _("Amend the obligation"),
        _("The obligation was amended; the difference is in the ledger."),
    )


def multiplier_add(request, pk):
    return _staff_agreement_form(
        request,
        pk,
        MultiplierStandardForm,
        lambda a, data: services.multiplier_standard_set(agreement=a, actor=request.user, **data),
        _("Set a multiplier standard"),
        _("The multiplier standard was set."),
    )


def plan_item_add(request, pk):
    return _staff_agreement_form(
        request,
        pk,
        PlanItemForm,
        lambda a, data: services.plan_item_add(agreement=a, actor=request.user, **data),
        _("Add a plan item"),
        _("The plan item was added."),
    )


def briefing_add(request, pk):
    return _staff_agreement_form(
        request,
        pk,
        BriefingForm,
        lambda a, data: services.briefing_record(agreement=a, actor=request.user, **data),
        _("Record a briefing"),
        _("The briefing was recorded."),
    )


def entry_reverse(request, pk, entry_id):
    agreement = _visible_agreement(request, pk)
    require_office(request.user)
    entry = get_object_or_404(
        CreditEntry.objects.select_related("agreement"), pk=entry_id, agreement_id=agreement.pk
    )
    return service_form_page(
        request,
        form=ReverseEntryForm(request.POST or None),
        call=lambda data: services.credit_entry_reverse(entry=entry, actor=request.user, **data),
        template="agreements/form.html",
        context={
            "title": _("Reverse a ledger entry"),
            "agreement": entry.agreement,
            "entry": entry,
        },
        success=lambda _row: _detail_url(entry.agreement),
        message=_("The entry was reversed."),
    )


def guarantee_add(request, pk):
    return _staff_agreement_form(
        request,
        pk,
        GuaranteeForm,
        lambda a, data: services.guarantee_add(agreement=a, actor=request.user, **data),
        _("Record a guarantee"),
        _("The guarantee was recorded."),
    )


def agreement_close(request, pk):
    return _staff_agreement_form(
        request,
        pk,
        AgreementCloseForm,
        lambda a, data: services.agreement_close(agreement=a, actor=request.user, **data),
        _("Close the agreement"),
        _("The agreement was closed; its guarantees still held were released."),
    )


def _guarantee_page(request, pk, guarantee_id, form_class, call, title, message):
    agreement = _visible_agreement(request, pk)
    require_office(request.user)
    guarantee = get_object_or_404(Guarantee, pk=guarantee_id, agreement_id=agreement.pk)
    return service_form_page(
        request,
        form=form_class(request.POST or None),
        call=lambda data: call(guarantee, data),
        template="agreements/form.html",
        context={"title": title, "agreement": agreement, "guarantee": guarantee},
        success=lambda _row: _detail_url(agreement) + "#guarantees",
        message=message,
    )


def guarantee_release(request, pk, guarantee_id):
    return _guarantee_page(
        request,
        pk,
        guarantee_id,
        GuaranteeReleaseForm,
        lambda g, data: services.guarantee_release(guarantee=g, actor=request.user, **data),
        _("Release a guarantee"),
        _("The guarantee was released."),
    )


def guarantee_call(request, pk, guarantee_id):
    return _guarantee_page(
        request,
        pk,
        guarantee_id,
        GuaranteeCallForm,
        lambda g, data: services.guarantee_call(guarantee=g, actor=request.user, **data),
        _("Call a guarantee"),
        _("The guarantee was called."),
    )
