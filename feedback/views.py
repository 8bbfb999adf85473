"""Pages of feedback fees (回饋金): the bill list with totals by status (staff: all bills;
a domestic recipient's members: their own), the bill page with its calculation line by
line, payments and history, the staff's payment, waiver and cancellation forms, the
payment notice PDF, and the office's exchange and fee rates. Bills are picked through
``Bill.objects.visible_to`` (404 outside scope); forms validate; services write."""

from __future__ import annotations

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.choices import Mode, PointsCurrency
from feedback import selectors, services, workflow
from feedback.choices import OPEN_PENALTY_STATUSES, OPEN_STATUSES, BillStatus
from feedback.filtersets import BillFilterSet, PenaltyFilterSet
from feedback.forms import ExchangeRateForm, FeeRateForm, PaymentForm, ReasonForm
from feedback.models import Bill, Penalty
from feedback.pdf import payment_notice_pdf
from icp_portal.lib.forms import service_action, service_form_page
from icp_portal.lib.xlsx import xlsx_response
from organizations.choices import OrganizationKind, PortalRole
from organizations.decorators import role_required
from organizations.models import Organization, is_office_staff
from organizations.selectors import timeline

PAGE_SIZE = 50
# The small forms of the bill page (staff, open bills), keyed by their HTML prefix.
ACTION_FORMS = {"payment": PaymentForm, "waive": ReasonForm, "cancel": ReasonForm}
# The bill workflow action each form takes.
ACTIONS = {"payment": "record_payment", "waive": "waive", "cancel": "cancel"}


def _plain(value: Decimal) -> str:
    """A decimal without trailing zeros, grouped by thousands: 3,500 · 104,999.985."""
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal("1"))
    return f"{value:,f}"


def _visible_bill(request, pk) -> Bill:
    return get_object_or_404(
        Bill.objects.visible_to(request.user).select_related(
            "recipient", "case", "case__agreement", "case__agreement__contractor", "meeting"
        ),
        pk=pk,
    )


def _detail_url(bill) -> str:
    return reverse("bill_detail", args=[bill.pk])


# --- The list ---------------------------------------------------------------------------


def _bill_list_xlsx(queryset, *, staff: bool):
    """The listed bills (filters applied, every page) as a worksheet, in the page's
    columns: the recipient column is the staff's only, as on the page. The rate is in
    per mille (‰), as the page shows it."""
    headers = [
        _("Bill number"),
        *([_("Recipient")] if staff else []),
        _("Case number"),
        _("Mode"),
        _("Credits"),
        _("Currency"),
        _("Rate (‰)"),
        _("Halved"),
        _("NT$ per point"),
        _("Amount (NT$)"),
        _("Paid (NT$)"),
        _("Still owed (NT$)"),
        _("Issued on"),
        _("Due on"),
        _("Status"),
    ]
    rows = (
        [
            bill.number,
            *([bill.recipient.name] if staff else []),
            bill.case.number,
            bill.get_mode_display(),
            bill.credits,
            bill.get_credit_currency_display(),
            bill.rate * 1000,
            bill.defence_halved,
            bill.exchange_rate,
            bill.amount_twd,
            bill.paid_amount_twd,
            bill.outstanding_twd,
            bill.issued_on,
            bill.due_on,
            bill.get_status_display(),
        ]
        for bill in queryset.select_related("recipient", "case")
    )
    return xlsx_response(filename="bills.xlsx", sheet=_("Bills"), headers=headers, rows=rows)


@role_required(PortalRole.OFFICE, PortalRole.RECIPIENT)
def bill_list(request):
    """Bills with filters and totals by status in NT$ (staff: all; a recipient: its own)."""
    staff = is_office_staff(request.user)
    filterset = BillFilterSet(request.GET or None)
    # Staff pick among the recipients that have bills (the others would list nothing).
    # (A semi-join: a DISTINCT over the join with every bill grew with the bills.)
    filterset.form.fields["recipient"].queryset = Organization.objects.filter(
        Exists(Bill.objects.filter(recipient=OuterRef("pk"))),
        kind=OrganizationKind.DOMESTIC_RECIPIENT,
    ).order_by("name_en")
    filters = filterset.form.data.copy() if filterset.is_bound and filterset.is_valid() else {}
    if not staff and filters:
        filters.pop("recipient", None)
    queryset = selectors.bill_list(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        return _bill_list_xlsx(queryset, staff=staff)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for bill in page:
        bill.rate_permille = _plain(bill.rate * 1000)
    by_status = {row["status"]: row for row in selectors.totals_by_status(bills=queryset)}
    totals = [
        {
            "status": value,
            "label": label,
            "count": by_status[value]["count"],
            "amount": by_status[value]["amount"],
            "paid": by_status[value]["paid"],
            "outstanding": by_status[value]["amount"] - by_status[value]["paid"],
        }
        for value, label in BillStatus.choices
        if value in by_status
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filterset": filterset,
        "totals": totals,
        "is_staff": staff,
        "query": query.urlencode(),
    }
    return render(request, "feedback/list.html", context)


# --- The bill page ----------------------------------------------------------------------


def _calculation(bill: Bill) -> dict:
    """The bill's figures, step by step, as the notice prints them."""
    steps = selectors.bill_steps(bill=bill)
    share, fee_points, exact = steps["share"], steps["fee_points"], steps["exact_twd"]
    return {
        "credits": bill.credits,
        "currency": PointsCurrency(bill.credit_currency).label,
        "rate": bill.rate,
        "rate_permille": _plain(bill.rate * 1000),
        "share": _plain(share),
        "fee_points": _plain(fee_points),
        "exact_twd": _plain(exact),
        "rounded_twd": steps["amount_twd"],
        "rounding_changed": exact != exact.to_integral_value(),
    }


def _bill_page(request, bill: Bill, bound: dict | None = None):
    """The bill page; ``bound`` holds a refused form to show with its errors."""
    staff = is_office_staff(request.user)
    is_open = bill.status in OPEN_STATUSES
    actions = workflow.allowed(bill, request.user)
    bound = bound or {}
    forms = {
        key: bound.get(key) or form(prefix=key)
        for key, form in ACTION_FORMS.items()
        if ACTIONS[key] in actions
    }
    context = {
        "bill": bill,
        "is_staff": staff,
        "is_open": is_open,
        "calc": _calculation(bill),
        "payments": bill.payments.select_related("recorded_by").order_by("paid_on", "id"),
        "events": timeline(target=bill),
        "forms": forms,
        "office": selectors.office_block(),
    }
    return render(request, "feedback/detail.html", context)


def bill_detail(request, pk):
    """One bill, for staff and the recipient's members (404 for anybody else)."""
    return _bill_page(request, _visible_bill(request, pk))


def _bill_action(request, pk, key: str, call, message: str):
    """POST of one staff form of the bill page → its service (``service_action``): the
    bill's policy first (403 / a message when the bill is no longer open), then the input."""
    bill = _visible_bill(request, pk)

    def refused(form):
        bill.refresh_from_db()
        return _bill_page(request, bill, bound={key: form})

    return service_action(
        request,
        form=ACTION_FORMS[key](request.POST, prefix=key),
        call=lambda data: call(bill, data),
        done_url=_detail_url(bill),
        message=message,
        refused=refused,
        check=lambda: workflow.check(bill, ACTIONS[key], request.user),
    )


@require_POST
def bill_payment(request, pk):
    return _bill_action(
        request,
        pk,
        "payment",
        lambda bill, data: services.payment_record(
            bill=bill,
            paid_on=data["paid_on"],
            amount_twd=data["amount_twd"],
            reference=data["reference"],
            actor=request.user,
        ),
        _("The payment was recorded."),
    )


@require_POST
def bill_waive(request, pk):
    return _bill_action(
        request,
        pk,
        "waive",
        lambda bill, data: services.bill_waive(
            bill=bill, reason=data["reason"], actor=request.user
        ),
        _("The bill was waived."),
    )


@require_POST
def bill_cancel(request, pk):
    return _bill_action(
        request,
        pk,
        "cancel",
        lambda bill, data: services.bill_cancel(
            bill=bill, reason=data["reason"], actor=request.user
        ),
        _("The bill was cancelled."),
    )


def bill_pdf(request, pk):
    """The payment notice (繳款通知書) of a bill, for the people who may see the bill."""
    bill = _visible_bill(request, pk)
    response = HttpResponse(payment_notice_pdf(bill), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{bill.number}.pdf"'
    response["Cache-Control"] = "private"
    return response


# --- Rates (staff) ----------------------------------------------------------------------


def exchange_rate_list(request):
    """NT$ per credit point of each currency from a date on, and a form to add one."""
    rows = selectors.exchange_rate_list(user=request.user)
    return service_form_page(
        request,
        form=ExchangeRateForm(request.POST or None),
        call=lambda data: services.exchange_rate_set(actor=request.user, **data),
        template="feedback/exchange_rates.html",
        context={
            "rates": selectors.marked_in_force(
                rows=rows, key="currency", date_field="effective_on", on=timezone.localdate()
            ),
            "today": timezone.localdate(),
        },
        success=lambda _row: reverse("exchange_rate_list"),
        message=_("The exchange rate was recorded."),
    )


def fee_rate_list(request):
    """The fee rate of each mode from a date on, and a form to add one."""
    labels = dict(Mode.choices)
    rows = selectors.marked_in_force(
        rows=selectors.fee_rate_list(user=request.user),
        key="mode",
        date_field="effective_from",
        on=timezone.localdate(),
    )
    for row, _in_force in rows:
        row.rate_permille = _plain(row.rate * 1000)
    marked = sorted(
        rows,
        key=lambda pair: list(labels).index(pair[0].mode) if pair[0].mode in labels else 99,
    )
    return service_form_page(
        request,
        form=FeeRateForm(request.POST or None),
        call=lambda data: services.fee_rate_set(actor=request.user, **data),
        template="feedback/fee_rates.html",
        context={"rates": marked, "today": timezone.localdate()},
        success=lambda _row: reverse("fee_rate_list"),
        message=_("The fee rate was recorded."),
    )


# --- Penalties (罰款, domain.md §13) -------------------------------------------------------

# The small forms of the penalty page (staff, open penalties) and the action each takes.
PENALTY_FORMS = {"payment": PaymentForm, "waive": ReasonForm}
PENALTY_ACTIONS = {"payment": "record_payment", "waive": "waive"}


@role_required(PortalRole.OFFICE, PortalRole.CONTRACTOR, PortalRole.AGENCY)
def penalty_list(request):
    """Penalties the committee decided: staff all, a contractor its own, an agency those on
    its purchases."""
    filterset = PenaltyFilterSet(request.GET or None)
    filters = filterset.form.data.copy() if filterset.is_bound and filterset.is_valid() else {}
    queryset = selectors.penalty_list(user=request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filterset": filterset, "is_staff": is_office_staff(request.user)}
    return render(request, "feedback/penalty_list.html", context)


def _visible_penalty(request, pk) -> Penalty:
    return get_object_or_404(
        Penalty.objects.visible_to(request.user).select_related(
            "agreement", "agreement__contractor", "meeting"
        ),
        pk=pk,
    )


def _penalty_page(request, penalty: Penalty, bound: dict | None = None):
    actions = workflow.penalty_allowed(penalty, request.user)
    bound = bound or {}
    forms = {
        key: bound.get(key) or form(prefix=key)
        for key, form in PENALTY_FORMS.items()
        if PENALTY_ACTIONS[key] in actions
    }
    context = {
        "penalty": penalty,
        "is_staff": is_office_staff(request.user),
        "is_open": penalty.status in OPEN_PENALTY_STATUSES,
        "payments": penalty.payments.select_related("recorded_by").order_by("paid_on", "id"),
        "events": timeline(target=penalty),
        "forms": forms,
        "office": selectors.office_block(),
    }
    return render(request, "feedback/penalty_detail.html", context)


def penalty_detail(request, pk):
    """One penalty, for staff, the contractor's members and the agency (404 otherwise)."""
    return _penalty_page(request, _visible_penalty(request, pk))


def _penalty_action(request, pk, key: str, call, message: str):
    penalty = _visible_penalty(request, pk)

    def refused(form):
        penalty.refresh_from_db()
        return _penalty_page(request, penalty, bound={key: form})

    return service_action(
        request,
        form=PENALTY_FORMS[key](request.POST, prefix=key),
        call=lambda data: call(penalty, data),
        done_url=reverse("penalty_detail", args=[penalty.pk]),
        message=message,
        refused=refused,
        check=lambda: workflow.penalty_check(penalty, PENALTY_ACTIONS[key], request.user),
    )


@require_POST
def penalty_payment(request, pk):
    return _penalty_action(
        request,
        pk,
        "payment",
        lambda penalty, data: services.penalty_payment_record(
            penalty=penalty,
            paid_on=data["paid_on"],
            amount_twd=data["amount_twd"],
            reference=data["reference"],
            actor=request.user,
        ),
        _("The payment was recorded."),
    )


@require_POST
def penalty_waive(request, pk):
    return _penalty_action(
        request,
        pk,
        "waive",
        lambda penalty, data: services.penalty_waive(
            penalty=penalty, reason=data["reason"], actor=request.user
        ),
        _("The penalty was waived."),
    )
