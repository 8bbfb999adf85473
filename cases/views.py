"""Pages of cases: the work queue (staff), a contractor's own cases, a reviewer's assigned
cases; the case page with its activities, documents, checklist, reviews, ledger effect and
timeline; filing and editing; and one small POST view per workflow action. Views pick the
case through ``Case.objects.visible_to`` (404 outside scope), validate with forms and call
the services; a refused transition comes back as a message, a refused input on its form."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, DecimalField, F, OuterRef, Subquery, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.models import Agreement
from cases import selectors, services, workflow
from cases.choices import CaseStatus
from cases.filtersets import CaseFilterSet
from cases.forms import (
    ActionForm,
    ActivityFormSet,
    ActualApprovalRequestForm,
    AssignForm,
    CaseForm,
    ChecklistConfirmForm,
    CheckpointDoneForm,
    CheckpointForm,
    DocumentUploadForm,
    InitialReviewForm,
    OutcomeForm,
    ProgressReportForm,
    SubcommitteeOutcomeForm,
    SupplementRequestForm,
    TransferCompletedForm,
    WithdrawForm,
    activities_of,
)
from cases.models import Activity, Case
from cases.workflow import TransitionNotAllowed
from icp_portal.lib.forms import apply_service_errors, service_action
from icp_portal.lib.pagination import CountedPaginator
from icp_portal.lib.xlsx import xlsx_response
from organizations.choices import PortalRole
from organizations.selectors import user_role

PAGE_SIZE = 50
# Statuses in which the case is over: no more documents or actions from the page.
FINISHED = workflow.FINISHED
# The small forms of the case page, keyed by the action (also their HTML prefix).
ACTION_FORMS = {
    "submit": ActionForm,
    "start_checklist": ActionForm,
    "initial_review": InitialReviewForm,
    "return_for_supplement": SupplementRequestForm,
    "subcommittee": SubcommitteeOutcomeForm,
    "withdraw": WithdrawForm,
    "request_actual_approval": ActualApprovalRequestForm,
    "progress_report": ProgressReportForm,
    "assign": AssignForm,
}
# The statuses in which the committee's last word is what the reader needs first.
DECIDED = (CaseStatus.REJECTED, CaseStatus.RENEGOTIATE, CaseStatus.RETURNED, CaseStatus.WITHDRAWN)
SUBCOMMITTEE_ACTIONS = ("subcommittee_pass", "subcommittee_supplement", "subcommittee_return")


def _visible_case(request, pk) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "agreement",
            "agreement__contractor",
            "agreement__procurement",
            "plan_item",
            "plan_item__demand_item",
        ),
        pk=pk,
    )


def _detail_url(case) -> str:
    return reverse("case_detail", args=[case.pk])


# --- Lists ------------------------------------------------------------------------------


def _requested_credits():
    """Each case's requested credits in the list's one query (no per-row sums)."""
    return Subquery(
        Activity.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(total=Sum("requested_credits"))
        .values("total"),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )


# Who has a case list: the office, contractors, reviewers and procuring agencies.
LIST_ROLES = (PortalRole.OFFICE, PortalRole.CONTRACTOR, PortalRole.REVIEWER, PortalRole.AGENCY)


def _case_list_xlsx(queryset):
    """The listed cases (filters applied) as a worksheet."""
    rows = queryset.select_related("agreement__contractor")
    return xlsx_response(
        filename="cases.xlsx",
        sheet=_("Cases"),
        headers=[
            _("Case number"),
            _("Title"),
            _("Contractor"),
            _("Agreement"),
            _("Use"),
            _("Field"),
            _("Status"),
            _("Starts on"),
            _("Ends on"),
            _("Requested credits"),
            _("Submitted at"),
        ],
        rows=(
            [
                case.number,
                case.title,
                case.agreement.contractor.name,
                case.agreement.number,
                case.get_use_display(),
                case.get_field_display(),
                case.get_status_display(),
                case.starts_on,
                case.ends_on,
                case.requested,
                timezone.localtime(case.submitted_at) if case.submitted_at else None,
            ]
            for case in rows
        ),
    )


def case_list(request):
    """Staff: the work queue, oldest submitted first, with filters. A contractor: its own
    cases. A reviewer: the cases on the agendas of the meetings they sit on."""
    role = user_role(user=request.user)
    if role not in LIST_ROLES:
        raise PermissionDenied
    filterset = CaseFilterSet(request.GET or None)
    filters = filterset.form.data if filterset.is_bound and filterset.is_valid() else {}
    queryset = (
        selectors.case_list(user=request.user, filters=filters)
        .annotate(requested=_requested_credits())
        .order_by(F("submitted_at").asc(nulls_last=True), "created_at", "id")
    )
    if request.GET.get("format") == "xlsx":
        return _case_list_xlsx(queryset)
    without_status = filters.copy() if filters else {}
    if without_status:
        without_status.pop("status", None)
    counted = selectors.case_list(user=request.user, filters=without_status)
    # Distinct only where a filter joined the activities (a plain count is a fraction of
    # the cost over the whole program's cases).
    counts = dict(
        counted.order_by()
        .values_list("status")
        .annotate(n=Count("id", distinct=counted.query.distinct))
    )
    by_status = [
        (value, label, counts[value]) for value, label in CaseStatus.choices if value in counts
    ]
    # A case has one status, so the listed cases number the counts of the statuses picked
    # (of all, when none is): no second count over every case.
    picked = filterset.form.cleaned_data.get("status") if filters else None
    listed = sum(counts.get(value, 0) for value in set(picked)) if picked else sum(counts.values())
    page = CountedPaginator(queryset, PAGE_SIZE, count=listed).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
    context = {
        "page": page,
        "filterset": filterset,
        "selected_statuses": filterset.form["status"].value() or [],
        "by_status": by_status,
        "is_staff": role == PortalRole.OFFICE,
        "role": role,
        "query": query.urlencode(),
        "status_query": status_query.urlencode(),
    }
    return render(request, "cases/list.html", context)


# --- The case page ------------------------------------------------------------------------


def _totals(activities) -> dict:
    """The case's requested, pre-approved and actual credits; None where nothing is yet."""

    def total(name):
        values = [getattr(a, name) for a in activities if getattr(a, name) is not None]
        return sum(values, Decimal("0.00")) if values else None

    return {name: total(f"{name}_credits") for name in ("requested", "pre_approved", "actual")}


def _asked_quarter(request) -> tuple[int, int] | None:
    """``?year=&quarter=`` of a link to one quarter's report (ignored unless valid)."""
    try:
        year, quarter = int(request.GET["year"]), int(request.GET["quarter"])
    except (KeyError, ValueError):
        return None
    return (year, quarter) if 2000 <= year <= 2100 and 1 <= quarter <= 4 else None


def _case_page(request, case: Case, bound: dict | None = None, upload_form=None):
    """The case page; ``bound`` holds a refused action's form to show with its errors."""
    user = request.user
    role = workflow.role_of(user, case)
    staff = role == workflow.OFFICE
    actions = workflow.allowed(case, user)
    bound = bound or {}
    forms = {key: bound.get(key) or form(prefix=key) for key, form in ACTION_FORMS.items()}
    # A link to one quarter's report (the contractor's home: "report of 2011 Q2 overdue")
    # opens the form on that quarter.
    asked = _asked_quarter(request)
    if asked and "progress_report" not in bound:
        forms["progress_report"] = ProgressReportForm(
            prefix="progress_report", initial={"year": asked[0], "quarter": asked[1]}
        )
    if "assign" not in bound:
        forms["assign"] = AssignForm(prefix="assign", initial={"assignee": case.assignee_id})
    checklist = selectors.checklist(case=case)
    confirm_forms = {}
    if "confirm_checklist" in actions:
        for item in checklist:
            if not item["computed"]:
                confirm_forms[item["code"]] = bound.get(f"confirm-{item['code']}") or (
                    ChecklistConfirmForm(
                        prefix=f"confirm-{item['code']}",
                        initial={"code": item["code"], "result": item["result"]},
                    )
                )
    checklist_rows = [(item, confirm_forms.get(item["code"])) for item in checklist]
    opinions = selectors.case_opinions(case=case, user=user)
    can_upload = "upload_document" in actions
    activities = list(case.activities.select_related("recipient"))
    context = {
        "case": case,
        "role": role,
        "is_staff": staff,
        "is_contractor": role == workflow.CONTRACTOR,
        "actions": actions,
        "forms": forms,
        "can_edit": "edit" in actions,
        "checkpoints": list(case.checkpoints.all()),
        "today": timezone.localdate(),
        "can_set_checkpoints": "add_checkpoint" in actions,
        "outcomes": list(selectors.case_outcomes(case=case)),
        "outcome_form": (bound.get("outcome") or OutcomeForm(prefix="outcome"))
        if "record_outcome" in actions
        else None,
        "can_record_transfer": "record_transfer_completion" in actions,
        "can_record_subcommittee": any(name in actions for name in SUBCOMMITTEE_ACTIONS),
        "can_schedule": staff and ("send_to_subcommittee" in actions or "put_on_agenda" in actions),
        "can_file_progress": role == workflow.CONTRACTOR and "file_progress_report" in actions,
        "asked_quarter": _asked_quarter(request),
        "activities": activities,
        "totals": _totals(activities),
        "documents": selectors.case_documents(case=case, user=user),
        "missing_documents": selectors.missing_documents(case=case)
        if case.status in workflow.EDITABLE
        else [],
        "upload_form": upload_form or (DocumentUploadForm(case=case) if can_upload else None),
        "checklist_rows": checklist_rows,
        "opinions": opinions,
        "agenda_items": case.agenda_items.select_related("meeting", "decision").order_by(
            "meeting__held_on", "id"
        )
        if staff
        else [],
        "ledger": selectors.case_ledger(case=case),
        "open_reserve": selectors.case_open_reserve(case=case),
        "latest_decision": selectors.case_latest_decision(case=case)
        if case.status in DECIDED
        else None,
        "progress_reports": selectors.progress_report_status(case=case)
        if case.status in workflow.REPORTING
        else [],
        "events": selectors.case_timeline(case=case),
    }
    return render(request, "cases/detail.html", context)


def case_detail(request, pk):
    """One case, for the people who may see it (404 for anybody else)."""
    return _case_page(request, _visible_case(request, pk))


def _case_action(request, pk, key: str, call, message: str, form_class=None, action=None):
    """POST of one small form on the case page → its service (``service_action``); with
    ``action``, the case's workflow answers (403, or a message for the status) before the
    input is read."""
    case = _visible_case(request, pk)

    def refused(form):
        case.refresh_from_db()
        return _case_page(request, case, bound={key: form})

    return service_action(
        request,
        form=(form_class or ACTION_FORMS[key])(request.POST, prefix=key),
        call=lambda data: call(case, data),
        done_url=_detail_url(case),
        message=message,
        refused=refused,
        check=(lambda: workflow.check(case, action, request.user)) if action else None,
    )


@require_POST
def case_submit(request, pk):
    return _case_action(
        request,
        pk,
        "submit",
        lambda case, data: services.case_submit(case=case, actor=request.user),
        _("The case was submitted to the ICP office."),
    )


@require_POST
def case_assign(request, pk):
    """The office gives the case to one of its members to handle."""
    return _case_action(
        request,
        pk,
        "assign",
        lambda case, data: services.case_assign(
            case=case, assignee=data["assignee"], actor=request.user
        ),
        _("The case's handler was saved."),
        action="assign",
    )


@require_POST
def case_start_checklist(request, pk):
    return _case_action(
        request,
        pk,
        "start_checklist",
        lambda case, data: services.case_start_checklist(case=case, actor=request.user),
        _("The basic requirements check has started."),
    )


@require_POST
def case_initial_review(request, pk):
    return _case_action(
        request,
        pk,
        "initial_review",
        lambda case, data: services.case_initial_review(
            case=case, opinion=data["opinion"], opinion_en=data["opinion_en"], actor=request.user
        ),
        _("The initial review opinion was recorded."),
    )


@require_POST
def case_return_for_supplement(request, pk):
    return _case_action(
        request,
        pk,
        "return_for_supplement",
        lambda case, data: services.case_return_for_supplement(
            case=case, request=data["request"], request_en=data["request_en"], actor=request.user
        ),
        _("The case went back to the contractor with your request."),
    )


@require_POST
def case_subcommittee_review(request, pk):
    return _case_action(
        request,
        pk,
        "subcommittee",
        lambda case, data: services.case_subcommittee_review(
            case=case,
            outcome=data["outcome"],
            note=data["note"],
            note_en=data["note_en"],
            actor=request.user,
        ),
        _("The sub-committee's outcome was recorded."),
    )


@require_POST
def case_withdraw(request, pk):
    return _case_action(
        request,
        pk,
        "withdraw",
        lambda case, data: services.case_withdraw(
            case=case, reason=data["reason"], actor=request.user
        ),
        _("The case was withdrawn."),
    )


@require_POST
def case_request_actual_approval(request, pk):
    return _case_action(
        request,
        pk,
        "request_actual_approval",
        lambda case, data: services.case_request_actual_approval(
            case=case, note=data["note"], actor=request.user
        ),
        _("Actual approval was requested."),
    )


@require_POST
def progress_report_file(request, pk):
    return _case_action(
        request,
        pk,
        "progress_report",
        lambda case, data: services.progress_report_file(case=case, actor=request.user, **data),
        _("The progress report was filed."),
    )


@require_POST
def activity_transfer_completed(request, pk, activity_id):
    def record(case, data):
        activity = get_object_or_404(case.activities, pk=activity_id)
        return services.activity_record_transfer_completion(
            activity=activity, completed_on=data["completed_on"], actor=request.user
        )

    return _case_action(
        request,
        pk,
        f"transfer-{activity_id}",
        record,
        _("The technology transfer's completion was recorded."),
        form_class=TransferCompletedForm,
    )


@require_POST
def outcome_record(request, pk):
    return _case_action(
        request,
        pk,
        "outcome",
        lambda case, data: services.outcome_record(case=case, actor=request.user, **data),
        _("The outcomes were recorded."),
        form_class=OutcomeForm,
        action="record_outcome",
    )


@require_POST
def checkpoint_add(request, pk):
    return _case_action(
        request,
        pk,
        "checkpoint",
        lambda case, data: services.checkpoint_add(case=case, actor=request.user, **data),
        _("The checkpoint was added."),
        form_class=CheckpointForm,
    )


@require_POST
def checkpoint_done(request, pk, checkpoint_id):
    def record(case, data):
        checkpoint = get_object_or_404(case.checkpoints, pk=checkpoint_id)
        return services.checkpoint_complete(
            checkpoint=checkpoint, done_on=data["done_on"], actor=request.user
        )

    return _case_action(
        request,
        pk,
        f"checkpoint-{checkpoint_id}",
        record,
        _("The checkpoint was marked reached."),
        form_class=CheckpointDoneForm,
    )


@require_POST
def checklist_confirm(request, pk, code):
    if code not in selectors.CONFIRMED:
        raise PermissionDenied
    key = f"confirm-{code}"
    return _case_action(
        request,
        pk,
        key,
        lambda case, data: services.checklist_confirm(
            case=case,
            code=data["code"],
            result=data["result"],
            note=data["note"],
            actor=request.user,
        ),
        _("The checklist item was confirmed."),
        form_class=ChecklistConfirmForm,
    )


# --- Documents ----------------------------------------------------------------------------


@require_POST
def document_upload(request, pk):
    """Attach a PDF (the service checks the bytes, not the name, and the size)."""
    case = _visible_case(request, pk)
    return service_action(
        request,
        form=DocumentUploadForm(request.POST, request.FILES, case=case),
        call=lambda data: services.document_upload(
            case=case,
            kind=data["kind"],
            upload=data["file"],
            activity=data["activity"],
            actor=request.user,
        ),
        done_url=_detail_url(case) + "#documents",
        message=_("The document was attached."),
        refused=lambda form: _case_page(request, case, upload_form=form),
    )


def document_download(request, pk, doc_id):
    """Stream a private document to a person who may see its case (404 for anybody
    else, also for the id of another case's document)."""
    case = _visible_case(request, pk)
    document = get_object_or_404(selectors.case_documents(case=case, user=request.user), pk=doc_id)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Filing and editing -------------------------------------------------------------------


def _case_form_page(request, *, agreement: Agreement, case: Case | None):
    form = CaseForm(request.POST or None, agreement=agreement, instance=case)
    initial = (
        [
            {
                "mode": a.mode,
                "recipient": a.recipient_id,
                "value": a.value,
                "requested_multiplier": a.requested_multiplier,
            }
            for a in case.activities.all()
        ]
        if case
        else None
    )
    formset = ActivityFormSet(request.POST or None, initial=initial, prefix="activities")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = form.cleaned_data
        activities = activities_of(formset)
        try:
            if case is None:
                case = services.case_create(
                    agreement=agreement, actor=request.user, activities=activities, **fields
                )
                message = _("The case was saved as a draft. Attach its documents, then submit.")
            else:
                services.case_update(case=case, actor=request.user, activities=activities, **fields)
                message = _("The case was saved.")
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect(_detail_url(case))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(_detail_url(case))
    context = {
        "form": form,
        "formset": formset,
        "agreement": agreement,
        "case": case,
        "plan_items": agreement.plan_items.order_by("id"),
    }
    return render(request, "cases/form.html", context)


def case_create(request):
    """File a new case under one of the contractor's agreements (staff may too):
    ``?agreement=<id>``; without it, pick the agreement first."""
    workflow.require_filer(request.user)
    role = user_role(user=request.user)
    agreements = Agreement.objects.visible_to(request.user).select_related(
        "contractor", "procurement"
    )
    agreement_id = request.GET.get("agreement", "")
    if not agreement_id:
        return render(
            request,
            "cases/agreement_pick.html",
            {"agreements": agreements.order_by("-signed_on", "number"), "role": role},
        )
    if not agreement_id.isdigit():
        raise Http404
    agreement = get_object_or_404(agreements, pk=int(agreement_id))
    return _case_form_page(request, agreement=agreement, case=None)


def case_edit(request, pk):
    """Edit the case while it is with the contractor (draft, supplement, renegotiation)."""
    case = _visible_case(request, pk)
    try:
        workflow.check(case, "edit", request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(case))
    return _case_form_page(request, agreement=case.agreement, case=case)
