"""Pages of meetings: the list (staff all, a reviewer the meetings they sit on), planning a
meeting, and the meeting page where staff build the agenda, record each decision and
approve the minutes, and a sub-committee's members declare conflicts and file opinions.
Views pick the meeting through ``Meeting.objects.visible_to`` (404 outside scope) and
call ``committee.services``."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.models import Agreement
from cases.models import Activity, Case
from committee import selectors, services, workflow
from committee.choices import (
    AgendaKind,
    FollowUpStatus,
    MeetingKind,
    MeetingStatus,
    PacketStage,
    PacketStatus,
)
from committee.forms import (
    AgendaAddForm,
    ConflictForm,
    DecisionForm,
    FollowUpForm,
    MeetingForm,
    MinutesApproveForm,
    OpinionForm,
    SteeringRequestForm,
)
from committee.models import AgendaItem, Meeting
from committee.pdf import packet_pdf_for
from demand_items.choices import ItemStatus
from demand_items.models import DemandItem
from demand_items.workflow import SECOND_REVIEW_BANDS
from feedback.choices import PAYMENT_DAYS
from icp_portal.lib.errors import Conflict
from icp_portal.lib.forms import service_action, service_form_page
from icp_portal.lib.xlsx import xlsx_response
from organizations.choices import PortalRole
from organizations.decorators import office_required, role_required
from organizations.models import is_office_staff
from organizations.selectors import user_role

PAGE_SIZE = 50
# How many case numbers the agenda form suggests.
SUGGESTIONS = 300


def _visible_meeting(request, pk) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)


def _detail_url(meeting) -> str:
    return reverse("meeting_detail", args=[meeting.pk])


@role_required(PortalRole.REVIEWER)
def home_reviewer(request):
    """A reviewer's home: their meetings with the cases on them, and their packets —
    which version is final and whether it changed since they last opened it."""
    profile = request.user.reviewer_profile
    meetings = profile.meetings.order_by("-held_on", "-id").prefetch_related(
        Prefetch(
            "agenda",
            queryset=AgendaItem.objects.filter(case__isnull=False).select_related("case"),
        )
    )
    context = {
        "profile": profile,
        "meetings": meetings,
        "packets": selectors.member_packets(user=request.user),
        "waiting": selectors.member_waiting(user=request.user),
    }
    return render(request, "home/reviewer.html", context)


def _meeting_list_xlsx(queryset):
    """The listed meetings (filters applied, every page) as a worksheet, with the counts
    the selector annotates."""
    return xlsx_response(
        filename="meetings.xlsx",
        sheet=_("Meetings"),
        headers=[
            _("Kind"),
            _("Year"),
            _("Meeting number"),
            _("Held on"),
            _("Title"),
            _("Status"),
            _("Minutes approved on"),
            _("Agenda items"),
            _("Members"),
        ],
        rows=(
            [
                meeting.get_kind_display(),
                meeting.year,
                meeting.number,
                meeting.held_on,
                meeting.title,
                meeting.get_status_display(),
                meeting.minutes_approved_on,
                meeting.item_count,
                meeting.member_count,
            ]
            # The counts are annotated: the page's prefetch of the members is not needed.
            for meeting in queryset.prefetch_related(None)
        ),
    )


def meeting_list(request):
    """Staff: every meeting; a reviewer: the meetings they sit on."""
    role = user_role(user=request.user)
    if role not in (PortalRole.OFFICE, PortalRole.REVIEWER):
        raise PermissionDenied
    queryset = selectors.meeting_list(user=request.user, filters=request.GET)
    if request.GET.get("format") == "xlsx":
        return _meeting_list_xlsx(queryset)
    kind = request.GET.get("kind", "")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "kind": kind,
        "kinds": MeetingKind.choices,
        "is_staff": role == PortalRole.OFFICE,
        "query": query.urlencode(),
    }
    return render(request, "committee/list.html", context)


@office_required
def meeting_create(request):
    return service_form_page(
        request,
        form=MeetingForm(request.POST or None),
        call=lambda data: services.meeting_create(actor=request.user, **data),
        template="committee/form.html",
        context={"title": _("Plan a meeting")},
        success=_detail_url,
        message=_("The meeting was planned. Now build its agenda."),
    )


def _agenda_suggestions(meeting: Meeting, user):
    """Case numbers that could go on this meeting's agenda now (a hint for the form)."""
    statuses: set[str] = set()
    for kind, sources in workflow.AGENDA_SOURCES.items():
        if (kind == AgendaKind.CASE_REVIEW) == (meeting.kind == MeetingKind.SUBCOMMITTEE):
            statuses.update(sources)
    return (
        Case.objects.visible_to(user)
        .filter(status__in=statuses)
        .order_by("number")
        .only("number", "title_zh", "title_en", "status")[:SUGGESTIONS]
    )


def _meeting_page(request, meeting: Meeting, bound: dict | None = None):
    """The meeting page; ``bound`` holds a refused form to show with its errors."""
    bound = bound or {}
    user = request.user
    staff = is_office_staff(user)
    actions = workflow.allowed(meeting, user)
    is_open = meeting.status != MeetingStatus.MINUTES_APPROVED
    promotion = meeting.kind == MeetingKind.PROMOTION_COMMITTEE
    subcommittee = meeting.kind == MeetingKind.SUBCOMMITTEE
    members = list(meeting.members.select_related("user").order_by("kind", "user__username"))
    profile = getattr(user, "reviewer_profile", None)
    member = profile if profile is not None and profile in members else None

    items = list(
        meeting.agenda.filter(case__isnull=False)
        .select_related("case", "case__agreement", "case__agreement__contractor", "decision")
        .prefetch_related(
            Prefetch(
                "case__activities",
                queryset=Activity.objects.select_related("recipient").order_by("id"),
            )
        )
        .order_by("id")
    )
    opinions, conflicts = defaultdict(list), defaultdict(list)
    if subcommittee:
        for opinion in selectors.meeting_opinions(meeting=meeting, user=user):
            opinions[opinion.case_id].append(opinion)
        for conflict in selectors.meeting_conflicts(meeting=meeting, user=user):
            conflicts[conflict.case_id].append(conflict)

    standard_of = None
    if "record_decision" in actions and promotion:
        standard_of = selectors.multiplier_standards(
            agreement_ids=[item.case.agreement_id for item in items if item.case_id],
            on=meeting.held_on,
        )
    rows = []
    for item in items:
        key = str(item.pk)
        own_conflict = bool(member and conflicts.get(item.case_id))
        own_opinion = next(
            (o for o in opinions.get(item.case_id, []) if member and o.reviewer_id == member.pk),
            None,
        )
        row = {
            "item": item,
            "decision": getattr(item, "decision", None),
            "opinions": opinions.get(item.case_id, []),
            "conflicts": conflicts.get(item.case_id, []),
            "conflicted": own_conflict,
            "decision_form": None,
            "conflict_form": None,
            "opinion_form": None,
        }
        if "record_decision" in actions and promotion:
            row["decision_form"] = bound.get(f"decision-{key}") or DecisionForm(
                item=item, prefix=f"decision-{key}", standard_of=standard_of
            )
        if "file_opinion" in actions and subcommittee and not own_conflict:
            row["conflict_form"] = bound.get(f"conflict-{key}") or ConflictForm(
                prefix=f"conflict-{key}"
            )
            row["opinion_form"] = bound.get(f"opinion-{key}") or OpinionForm(
                prefix=f"opinion-{key}",
                initial={
                    "opinion": own_opinion.opinion,
                    "recommendation": own_opinion.recommendation,
                }
                if own_opinion
                else None,
            )
        rows.append(row)

    can_build = "add_agenda_item" in actions
    context = {
        "meeting": meeting,
        "is_staff": staff,
        "is_open": is_open,
        "is_member": member is not None,
        "members": members,
        "expert_count": sum(1 for m in members if m.kind == "expert"),
        "rows": rows,
        "agenda_totals": selectors.agenda_totals(items=items),
        "agenda_form": (
            bound.get("agenda") or AgendaAddForm(meeting=meeting, user=user, prefix="agenda")
        )
        if can_build
        else None,
        "suggestions": _agenda_suggestions(meeting, user) if can_build else [],
        "demand_reviews": list(
            meeting.agenda.filter(demand_item__isnull=False)
            .select_related("demand_item", "decision")
            .order_by("id")
        )
        if promotion
        else [],
        "demand_candidates": DemandItem.objects.filter(
            status=ItemStatus.SCORED,
            classification__in=SECOND_REVIEW_BANDS,
        ).order_by("round", "id")
        if promotion and can_build
        else [],
        "shortfalls": _shortfall_rows(meeting, actions, bound) if promotion else [],
        "penalty_days": PAYMENT_DAYS,
        "shortfall_candidates": selectors.shortfall_candidates(meeting=meeting, user=user)
        if promotion and can_build
        else [],
        "minutes_form": (bound.get("minutes") or MinutesApproveForm(prefix="minutes"))
        if "approve_minutes" in actions
        and meeting.kind in (MeetingKind.PROMOTION_COMMITTEE, MeetingKind.POLICY_STEERING)
        else None,
        "steering": _steering(meeting, actions, bound, can_build)
        if meeting.kind == MeetingKind.POLICY_STEERING
        else None,
        "can_mark_held": "mark_held" in actions,
        "undecided": sum(1 for row in rows if row["decision"] is None),
        "packet": _packet_card(meeting, user, staff, member is not None),
    }
    return render(request, "committee/detail.html", context)


def _steering(meeting: Meeting, actions: list[str], bound: dict, can_build: bool) -> dict:
    """A policy steering meeting's part of the page: MOEA's and MND's requests with their
    resolutions (and the office's decision forms while the minutes are open), the form to
    add a request, and each resolution's follow-up (會後管制) once the minutes are approved."""
    requests = []
    items = meeting.agenda.filter(kind=AgendaKind.STEERING_REQUEST).select_related("decision")
    for item in items.order_by("id"):
        key = f"decision-{item.pk}"
        requests.append(
            {
                "item": item,
                "decision": getattr(item, "decision", None),
                "form": (bound.get(key) or DecisionForm(item=item, prefix=key))
                if "record_decision" in actions
                else None,
            }
        )
    follow_ups = [
        {
            "follow_up": follow_up,
            "form": (
                bound.get(f"follow-up-{follow_up.pk}")
                or FollowUpForm(prefix=f"follow-up-{follow_up.pk}")
            )
            if "follow_up" in actions and follow_up.status == FollowUpStatus.OPEN
            else None,
        }
        for follow_up in selectors.meeting_follow_ups(meeting=meeting)
    ]
    return {
        "requests": requests,
        "request_form": (bound.get("request") or SteeringRequestForm(prefix="request"))
        if can_build
        else None,
        "follow_ups": follow_ups,
    }


@require_POST
def steering_request_add(request, pk):
    """Put MOEA's or MND's request on a policy steering meeting's agenda."""
    meeting = _visible_meeting(request, pk)
    form = SteeringRequestForm(request.POST, prefix="request")
    return _meeting_action(
        request,
        meeting,
        "request",
        form,
        lambda data: services.agenda_add_request(meeting=meeting, actor=request.user, **data),
        _("The request was put on the agenda."),
        "add_agenda_item",
    )


@require_POST
def follow_up_record(request, pk, follow_up_id):
    """Record what was done about a steering resolution (會後管制)."""
    meeting = _visible_meeting(request, pk)
    follow_up = get_object_or_404(selectors.meeting_follow_ups(meeting=meeting), pk=follow_up_id)
    form = FollowUpForm(request.POST, prefix=f"follow-up-{follow_up.pk}")
    return _meeting_action(
        request,
        meeting,
        f"follow-up-{follow_up.pk}",
        form,
        lambda data: services.resolution_follow_up(follow_up=follow_up, actor=request.user, **data),
        _("The follow-up was recorded."),
        "follow_up",
    )


def _shortfall_rows(meeting: Meeting, actions: list[str], bound: dict) -> list[dict]:
    """The agreements on the agenda for a shortfall, each with its figures at the meeting
    and (for the office, while the minutes are open) the decision form."""
    rows = []
    for item, balance in selectors.shortfall_items(meeting=meeting):
        key = f"decision-{item.pk}"
        rows.append(
            {
                "item": item,
                "balance": balance,
                "decision": getattr(item, "decision", None),
                "form": (bound.get(key) or DecisionForm(item=item, prefix=key))
                if "record_decision" in actions
                else None,
            }
        )
    return rows


def _packet_card(meeting: Meeting, user, staff: bool, is_member: bool) -> dict | None:
    """The packet card: the office sees the latest version and builds or finalizes; a
    member gets their copy of the final version."""
    if not (staff or is_member) or meeting.kind not in (
        MeetingKind.PROMOTION_COMMITTEE,
        MeetingKind.POLICY_STEERING,
    ):
        return None
    status = selectors.packet_status(meeting=meeting)
    return {
        **status,
        # While a build is queued or running, another request would only return it.
        "can_build": workflow.MEETING_PACKET.may(meeting, "build", user)
        and status["status"] not in (PacketStatus.QUEUED, PacketStatus.RUNNING),
        "can_finalize": staff
        and status["status"] == PacketStatus.DONE
        and status["stage"] != PacketStage.FINAL
        and not status["stale"],
        "final_exists": meeting.packets.filter(
            status=PacketStatus.DONE, stage=PacketStage.FINAL
        ).exists(),
        # A member's own copy: the version, and whether it changed since they opened it.
        "mine": next(iter(selectors.member_packets(user=user, meeting=meeting)), None)
        if is_member
        else None,
    }


def meeting_detail(request, pk):
    return _meeting_page(request, _visible_meeting(request, pk))


def _meeting_action(request, meeting: Meeting, key: str, form, call, message: str, action: str):
    """POST of one form of the meeting page → its service (``service_action``): the
    meeting's policy first (403, or a message when its status does not allow it)."""

    def refused(form):
        meeting.refresh_from_db()
        return _meeting_page(request, meeting, bound={form.prefix: form})

    return service_action(
        request,
        form=form,
        call=call,
        done_url=_detail_url(meeting) + (f"#item-{key}" if key.isdigit() else ""),
        message=message,
        refused=refused,
        check=lambda: workflow.check(meeting, action, request.user),
    )


@require_POST
def agenda_add(request, pk):
    meeting = _visible_meeting(request, pk)
    form = AgendaAddForm(request.POST, meeting=meeting, user=request.user, prefix="agenda")
    return _meeting_action(
        request,
        meeting,
        "agenda",
        form,
        lambda data: services.agenda_add(meeting=meeting, actor=request.user, **data),
        _("The case was put on the agenda."),
        "add_agenda_item",
    )


def _agenda_item(meeting: Meeting, item_id: int):
    # A case's item, or a shortfall item naming an agreement (demand items have their own).
    return get_object_or_404(
        meeting.agenda.filter(Q(case__isnull=False) | Q(agreement__isnull=False))
        .select_related("case", "case__agreement", "agreement")
        .prefetch_related("case__activities"),
        pk=item_id,
    )


@require_POST
def decision_record(request, pk, item_id):
    meeting = _visible_meeting(request, pk)
    item = _agenda_item(meeting, item_id)
    form = DecisionForm(request.POST, item=item, prefix=f"decision-{item.pk}")
    return _meeting_action(
        request,
        meeting,
        str(item.pk),
        form,
        lambda data: services.decision_record(
            meeting=meeting, agenda_item=item, actor=request.user, **form.service_arguments()
        ),
        _("The decision on %(case)s was recorded.")
        % {
            "case": item.case.number
            if item.case
            else (item.agreement.number if item.agreement else item.subject)
        },
        "record_decision",
    )


@require_POST
def meeting_mark_held(request, pk):
    """Record that the meeting took place (the service decides who and when)."""
    meeting = _visible_meeting(request, pk)
    try:
        services.meeting_mark_held(meeting=meeting, actor=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The meeting is recorded as held."))
    return redirect(_detail_url(meeting))


@require_POST
def minutes_approve(request, pk):
    meeting = _visible_meeting(request, pk)
    form = MinutesApproveForm(request.POST, prefix="minutes")
    return _meeting_action(
        request,
        meeting,
        "minutes",
        form,
        lambda data: services.minutes_approve(
            meeting=meeting, actor=request.user, approved_on=data["approved_on"]
        ),
        _("The minutes were approved and every decision applied to its case and the ledger."),
        "approve_minutes",
    )


@require_POST
def conflict_declare(request, pk, item_id):
    meeting = _visible_meeting(request, pk)
    item = _agenda_item(meeting, item_id)
    form = ConflictForm(request.POST, prefix=f"conflict-{item.pk}")
    return _meeting_action(
        request,
        meeting,
        str(item.pk),
        form,
        lambda data: services.conflict_declare(
            meeting=meeting, case=item.case, reason=data["reason"], actor=request.user
        ),
        _("Your conflict of interest on %(case)s was recorded; you will not file on it.")
        % {"case": item.case.number},
        "declare_conflict",
    )


@require_POST
def opinion_file(request, pk, item_id):
    meeting = _visible_meeting(request, pk)
    item = _agenda_item(meeting, item_id)
    form = OpinionForm(request.POST, prefix=f"opinion-{item.pk}")
    return _meeting_action(
        request,
        meeting,
        str(item.pk),
        form,
        lambda data: services.opinion_file(
            meeting=meeting,
            case=item.case,
            opinion=data["opinion"],
            recommendation=data["recommendation"],
            actor=request.user,
        ),
        _("Your opinion on %(case)s was filed.") % {"case": item.case.number},
        "file_opinion",
    )


@require_POST
def shortfall_add(request, pk):
    """Put an agreement past its execution end with credit outstanding on the agenda
    (kind ``penalty``): the committee decides an extension or a penalty."""
    meeting = _visible_meeting(request, pk)
    workflow.check(meeting, "add_agenda_item", request.user)
    agreement_id = request.POST.get("agreement", "")
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user),
        pk=int(agreement_id) if agreement_id.isdigit() else 0,
    )
    try:
        services.agenda_add_agreement(meeting=meeting, agreement=agreement, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The agreement was put on the agenda."))
    return redirect(_detail_url(meeting) + "#shortfalls")


@require_POST
def demand_review_add(request, pk):
    """Put a scored priority or general demand item on the agenda for the second review."""
    meeting = _visible_meeting(request, pk)
    workflow.check(meeting, "add_agenda_item", request.user)
    item_id = request.POST.get("demand_item", "")
    item = get_object_or_404(
        DemandItem.objects.visible_to(request.user), pk=int(item_id) if item_id.isdigit() else 0
    )
    try:
        services.agenda_add_demand_item(meeting=meeting, demand_item=item, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The demand item was put on the agenda."))
    return redirect("meeting_detail", pk=meeting.pk)


@require_POST
def demand_review_decide(request, pk, item_id):
    """Record the second-review decision on a demand item: passed or not passed."""
    meeting = _visible_meeting(request, pk)
    workflow.check(meeting, "record_decision", request.user)
    item = get_object_or_404(meeting.agenda.filter(demand_item__isnull=False), pk=item_id)
    try:
        services.decision_record(
            meeting=meeting,
            agenda_item=item,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The decision was recorded."))
    return redirect("meeting_detail", pk=meeting.pk)


@require_POST
def packet_build(request, pk):
    """The office asks for a new version of the packet (built in the background)."""
    meeting = _visible_meeting(request, pk)
    try:
        packet = services.packet_build(meeting=meeting, actor=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Version %(version)s of the packet is being built.") % {"version": packet.version},
        )
    return redirect(_detail_url(meeting) + "#packet")


@require_POST
def packet_finalize(request, pk):
    """The office marks the latest build final and sends it to every member."""
    meeting = _visible_meeting(request, pk)
    try:
        services.packet_finalize_latest(meeting=meeting, actor=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The packet is final and was sent to every member."))
    return redirect(_detail_url(meeting) + "#packet")


def packet_download(request, pk):
    """The packet PDF: staff the full packet, a member their own copy; else 404."""
    meeting = _visible_meeting(request, pk)
    packet, content = packet_pdf_for(
        meeting=meeting, user=request.user, version=request.GET.get("version")
    )
    return FileResponse(
        content,
        content_type="application/pdf",
        filename=f"packet-{meeting.year}-{meeting.number}-v{packet.version}.pdf",
    )
