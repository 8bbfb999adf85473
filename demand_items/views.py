"""Pages of demand items (工合需求項目): the list (proposing units their own, staff all,
contractors the passed items, panel members their rounds'), filing and editing a draft,
the item page with its actions by role, the staff's round dashboard, and the public
catalogue (no sign-in, published items only). Items are picked through
``DemandItem.objects.visible_to`` (404 outside scope); forms validate; services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from demand_items import selectors, services, workflow
from demand_items.choices import Criterion
from demand_items.filtersets import DemandItemFilterSet, PublicDemandItemFilterSet
from demand_items.forms import ActionForm, DemandItemForm, RoundOpenForm, ScoreForm
from demand_items.models import CallRound, DemandItem
from icp_portal.lib.errors import Conflict
from icp_portal.lib.forms import service_action, service_form_page
from icp_portal.lib.xlsx import xlsx_response
from organizations.choices import PortalRole
from organizations.decorators import office_required, role_required
from organizations.models import is_office_staff
from organizations.policy import require_office
from organizations.selectors import timeline, user_role

PAGE_SIZE = 50
LIST_ROLES = (PortalRole.OFFICE, PortalRole.PROPOSER, PortalRole.REVIEWER, PortalRole.CONTRACTOR)


def _visible_item(request, pk) -> DemandItem:
    return get_object_or_404(
        DemandItem.objects.visible_to(request.user).select_related("round", "proposer"), pk=pk
    )


def _detail_url(item) -> str:
    return reverse("demand_item_detail", args=[item.pk])


def _benefits(item) -> list[tuple[str, str]]:
    # Rendered defensively: a row written before the validator existed cannot break a page.
    benefit = item.expected_benefit if isinstance(item.expected_benefit, dict) else {}
    return [
        (label, str(benefit[value])) for value, label in Criterion.choices if benefit.get(value)
    ]


def _page_and_query(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- The list and filing ----------------------------------------------------------------


def _item_list_xlsx(queryset, *, role: str):
    """The listed items (filters applied, every page) as a worksheet. What every role that
    may list an item sees on its page (the list and the item page): a proposing unit's
    own items come without the proposing unit, as on its list."""
    with_proposer = role != PortalRole.PROPOSER
    headers = [
        _("Round"),
        *([_("Proposing unit")] if with_proposer else []),
        _("Title (Chinese)"),
        _("Title (English)"),
        _("Field"),
        _("Source"),
        _("Defence demand"),
        _("Status"),
        _("Panel score"),
        _("Classification"),
        _("Published"),
        _("Published on"),
        _("Total funding need (NT$)"),
        _("Share asked of ICP (NT$)"),
    ]
    rows = (
        [
            str(item.round),
            *([item.proposer.name] if with_proposer else []),
            item.title_zh,
            item.title_en,
            item.get_field_display(),
            item.get_source_display(),
            item.defence,
            item.get_status_display(),
            item.panel_score,
            item.get_classification_display(),
            item.published,
            item.published_on,
            item.total_need,
            item.icp_share,
        ]
        for item in queryset.select_related("round", "proposer")
    )
    return xlsx_response(
        filename="demand-items.xlsx", sheet=_("Demand items"), headers=headers, rows=rows
    )


@role_required(*LIST_ROLES)
def item_list(request):
    """Staff: every item; a proposing unit: its own; contractors: the passed items; panel
    members: their rounds' items. Filters: round, classification, field, defence, status,
    text."""
    role = user_role(user=request.user)
    filterset = DemandItemFilterSet(request.GET or None)
    filters = filterset.form.data if filterset.is_bound and filterset.is_valid() else {}
    queryset = selectors.item_list(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        return _item_list_xlsx(queryset, role=role)
    page, query = _page_and_query(request, queryset)
    context = {
        "page": page,
        "filterset": filterset,
        "role": role,
        "is_staff": role == PortalRole.OFFICE,
        "can_file": role in (PortalRole.OFFICE, PortalRole.PROPOSER),
        "query": query,
    }
    return render(request, "demand_items/list.html", context)


@role_required(PortalRole.OFFICE, PortalRole.PROPOSER)
def item_create(request):
    """File a demand item as a draft in an open round (the current one by default)."""
    staff = is_office_staff(request.user)
    current = selectors.current_round()
    form = DemandItemForm(
        request.POST or None,
        staff=staff,
        initial={"round": current.pk if current else None},
    )

    def call(data):
        return services.item_create(
            round=data["round"], actor=request.user, **form.service_fields()
        )

    return service_form_page(
        request,
        form=form,
        call=call,
        template="demand_items/form.html",
        context={"item": None, "no_open_round": current is None},
        success=_detail_url,
        message=_("The demand item is saved as a draft. Submit it when it is complete."),
    )


def item_edit(request, pk):
    """Edit a draft (the proposing unit or staff), through ``services.item_update``."""
    item = _visible_item(request, pk)
    workflow.check(item, "edit", request.user)
    form = DemandItemForm(request.POST or None, instance=item, with_round=False)

    def call(data):
        return services.item_update(item=item, actor=request.user, **form.service_fields())

    return service_form_page(
        request,
        form=form,
        call=call,
        template="demand_items/form.html",
        context={"item": item, "no_open_round": False},
        success=_detail_url,
        message=_("The demand item is saved."),
    )


# --- The item page ------------------------------------------------------------------------


def _item_page(request, item: DemandItem, bound: dict | None = None):
    """The item page; ``bound`` holds a refused form to show with its errors."""
    user = request.user
    bound = bound or {}
    staff = is_office_staff(user)
    actions = workflow.allowed(item, user)
    panel_member = selectors.is_panel_member(item=item, user=user)
    can_score = "score" in actions
    own = selectors.own_score(item=item, user=user) if panel_member else None
    score_form = bound.get("score") or (
        ScoreForm(
            prefix="score",
            initial={"score": own.score, "comment": own.comment} if own else None,
        )
        if can_score
        else None
    )
    context = {
        "item": item,
        "is_staff": staff,
        "benefits": _benefits(item),
        "can_edit": "edit" in actions,
        "can_submit": "submit" in actions,
        "can_hold": "hold" in actions,
        "can_publish": "publish" in actions and not item.published,
        "panel_member": panel_member,
        "score_form": score_form,
        "own_score": own,
        "scores": selectors.item_scores(item=item, user=user) if staff else [],
        "taken_up_by": selectors.taken_up_by(item=item),
        "events": timeline(target=item),
    }
    return render(request, "demand_items/detail.html", context)


def item_detail(request, pk):
    """One demand item, for the people who may see it (404 for anybody else)."""
    return _item_page(request, _visible_item(request, pk))


def _item_action(request, pk, key: str, call, message: str, form_class=ActionForm):
    """POST of one small form of the item page → its service (``service_action``)."""
    item = _visible_item(request, pk)

    def refused(form):
        item.refresh_from_db()
        return _item_page(request, item, bound={key: form})

    return service_action(
        request,
        form=form_class(request.POST, prefix=key),
        call=lambda data: call(item, data),
        done_url=_detail_url(item),
        message=message,
        refused=refused,
    )


@require_POST
def item_submit(request, pk):
    return _item_action(
        request,
        pk,
        "submit",
        lambda item, data: services.item_submit(item=item, actor=request.user),
        _("The demand item is submitted for the panel's review."),
    )


@require_POST
def item_score(request, pk):
    return _item_action(
        request,
        pk,
        "score",
        lambda item, data: services.score_file(
            item=item, score=data["score"], comment=data["comment"], actor=request.user
        ),
        _("Your score is recorded."),
        form_class=ScoreForm,
    )


@require_POST
def item_hold(request, pk):
    return _item_action(
        request,
        pk,
        "hold",
        lambda item, data: services.item_hold(item=item, actor=request.user),
        _("The item is held to the next round."),
    )


@require_POST
def item_publish(request, pk):
    return _item_action(
        request,
        pk,
        "publish",
        lambda item, data: services.item_publish(item=item, actor=request.user),
        _("The item is published on the public catalogue."),
    )


# --- The staff's round dashboard ----------------------------------------------------------


def round_dashboard(request):
    """Rounds with their counts (the office, proposing units, reviewers); for the office,
    the form to open a round and closing each one's scoring."""
    rounds = selectors.rounds_with_counts(user=request.user)
    staff = is_office_staff(request.user)
    if not staff:
        if request.method == "POST":
            require_office(request.user)  # opening a round is the office's: 403
        return render(request, "demand_items/rounds.html", {"rounds": rounds, "is_staff": False})
    form = RoundOpenForm(request.POST or None)
    return service_form_page(
        request,
        form=form,
        call=lambda data: services.round_open(actor=request.user, **data),
        template="demand_items/rounds.html",
        context={"rounds": rounds, "is_staff": staff},
        success=lambda call_round: reverse("call_round_list"),
        message=_("The call round is open."),
    )


@office_required
@require_POST
def round_close_scoring(request, pk):
    call_round = get_object_or_404(CallRound, pk=pk)
    try:
        closed = services.round_close_scoring(round=call_round, actor=request.user)
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _(
                "%(round)s: %(closed)d item(s) classified; %(open)d still wait for a "
                "majority of the panel."
            )
            % {
                "round": call_round,
                "closed": len(closed),
                "open": selectors.still_open(round=call_round),
            },
        )
    return redirect("call_round_list")


# --- The public catalogue -----------------------------------------------------------------


@login_not_required
def public_list(request):
    """Published demand items, in Chinese and English, for anybody."""
    filterset = PublicDemandItemFilterSet(request.GET or None)
    filters = filterset.form.data if filterset.is_bound and filterset.is_valid() else {}
    page, query = _page_and_query(request, selectors.public_list(filters=filters))
    return render(
        request,
        "demand_items/public_list.html",
        {"page": page, "filterset": filterset, "query": query},
    )


@login_not_required
def public_detail(request, pk):
    """One published demand item (404 unless public): no scores, no comments."""
    item = get_object_or_404(DemandItem.objects.public().select_related("proposer"), pk=pk)
    return render(
        request, "demand_items/public_detail.html", {"item": item, "benefits": _benefits(item)}
    )
