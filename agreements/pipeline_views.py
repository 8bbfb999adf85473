"""Pages of the procurement pipeline (domain.md §12): the office's pipeline by stage with
what is due, a procurement's page, and the office's forms that move it on. A procuring
agency's members read their own procurements' pages; nobody else opens them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import pipeline, pipeline_selectors, pipeline_services
from agreements.models import Procurement
from agreements.pipeline_forms import (
    AssessmentForm,
    LoaForm,
    NegotiationMeetingForm,
    PlanItemChoiceForm,
    SpecificationForm,
    StageForm,
    TeamMemberForm,
)
from icp_portal.lib.forms import service_form_page
from organizations.choices import OrganizationKind
from organizations.models import is_office_staff
from organizations.policy import require_office
from organizations.selectors import user_membership


def _reader(request) -> None:
    """The pipeline is the office's and the procuring agencies' (403 for anyone else)."""
    if is_office_staff(request.user):
        return
    membership = user_membership(user=request.user)
    if membership is None or membership.organization.kind != OrganizationKind.PROCURING_AGENCY:
        raise PermissionDenied


def procurement_list(request):
    _reader(request)
    today = timezone.localdate()
    return render(
        request,
        "agreements/pipeline.html",
        {
            "groups": pipeline_selectors.pipeline_by_stage(user=request.user),
            "due": pipeline_selectors.procurements_due(user=request.user, today=today),
            "today": today,
            "is_staff": is_office_staff(request.user),
        },
    )


def _visible(request, pk) -> Procurement:
    _reader(request)
    return get_object_or_404(Procurement.objects.visible_to(request.user), pk=pk)


def procurement_detail(request, pk):
    procurement = _visible(request, pk)
    allowed = pipeline.allowed(procurement, request.user)
    return render(
        request,
        "agreements/procurement_detail.html",
        {
            "procurement": procurement,
            **pipeline_selectors.procurement_detail(procurement=procurement),
            "allowed": allowed,
            "stage_actions": [a for a in pipeline.STAGE_ACTIONS if a in allowed],
            "is_staff": is_office_staff(request.user),
            "today": timezone.localdate(),
        },
    )


# Each form of the office on a procurement: (form, the service call, title, message).
def _stage_call(action):
    def call(procurement, actor, data):
        return pipeline_services.procurement_advance(
            procurement=procurement,
            action=action,
            actor=actor,
            reason=data.get("reason", ""),
            loa_signed_on=data.get("loa_signed_on"),
        )

    return call


ACTIONS = {
    "assessment": (
        AssessmentForm,
        lambda p, actor, data: pipeline_services.assessment_add(procurement=p, actor=actor, **data),
        "record_assessment",
    ),
    "specification": (
        SpecificationForm,
        None,  # built from the form's service_data below
        "specify",
    ),
    "team": (
        TeamMemberForm,
        lambda p, actor, data: pipeline_services.negotiation_member_add(
            procurement=p, actor=actor, **data
        ),
        "add_team_member",
    ),
    "negotiation": (
        NegotiationMeetingForm,
        lambda p, actor, data: pipeline_services.negotiation_meeting_record(
            procurement=p, actor=actor, **data
        ),
        "record_negotiation",
    ),
    "planned-item": (
        PlanItemChoiceForm,
        lambda p, actor, data: pipeline_services.procurement_plan_item_add(
            procurement=p, actor=actor, **data
        ),
        "plan_item",
    ),
    "loa": (
        LoaForm,
        lambda p, actor, data: pipeline_services.procurement_record_loa(
            procurement=p, actor=actor, **data
        ),
        "record_loa",
    ),
    **{
        name.replace("_", "-"): (StageForm, _stage_call(name), name)
        for name in pipeline.STAGE_ACTIONS
    },
}

TITLES = {
    "assessment": gettext_lazy("Record an assessed item"),
    "specification": gettext_lazy("ICP specification"),
    "team": gettext_lazy("Add a negotiation team member"),
    "negotiation": gettext_lazy("Record a negotiation meeting"),
    "planned-item": gettext_lazy("Choose a planned item"),
    "loa": gettext_lazy("Record the LOA"),
    "assess": gettext_lazy("Capability assessment done"),
    "start-negotiation": gettext_lazy("Start the negotiation"),
    "commit": gettext_lazy("Record the commitment"),
    "no-icp": gettext_lazy("No ICP"),
}


def procurement_act(request, pk, action):
    """One of the office's forms on a procurement: GET shows it, POST calls the service."""
    if action not in ACTIONS:
        raise Http404
    procurement = _visible(request, pk)
    require_office(request.user)
    form_class, call, _transition = ACTIONS[action]
    form = form_class(request.POST or None)
    detail = reverse("procurement_detail", args=[procurement.pk])
    if action == "specification":

        def run(_data):
            return pipeline_services.procurement_specify(
                procurement=procurement, actor=request.user, **form.service_data()
            )

    else:

        def run(data):
            return call(procurement, request.user, data)

    return service_form_page(
        request,
        form=form,
        call=run,
        template="agreements/procurement_form.html",
        context={"title": str(TITLES[action]), "procurement": procurement},
        success=lambda _row: detail,
        message=_("Saved."),
    )
