"""Writes on meetings: members, agendas, opinions, conflicts, decisions, and approving the
minutes — which applies every decision at once, in one transaction, exactly once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from agreements.choices import AgreementStatus
from agreements.models import Agreement
from cases import notifications
from cases import services as case_services
from cases.choices import SubcommitteeOutcome
from cases.models import Case
from cases.services import FIGURE_LABELS
from cases.workflow import TransitionNotAllowed
from committee import notifications as committee_notifications
from committee import selectors, workflow
from committee.choices import (
    OUTCOMES_BY_KIND,
    PACKET_DRAFT_DAYS,
    PACKET_SEND_DAYS,
    PANEL_SEATS,
    SUBCOMMITTEE_SIZE,
    AgendaKind,
    FollowUpStatus,
    MeetingKind,
    MeetingStatus,
    Outcome,
    PacketStage,
    PacketStatus,
)
from committee.models import (
    AgendaItem,
    ConflictDeclaration,
    Decision,
    Meeting,
    Opinion,
    Packet,
    PacketCopy,
    ResolutionFollowUp,
)
from demand_items import services as demand_item_services
from feedback import services as fee_services
from icp_portal.lib.errors import Conflict
from icp_portal.lib.models import program_date
from icp_portal.lib.services import service
from icp_portal.lib.tasks import enqueue_on_commit
from icp_portal.lib.workflow import StateConflict
from organizations.choices import ReviewerKind
from organizations.models import ReviewerProfile, User
from organizations.policy import require_office
from organizations.services import event_record


def _panel_seat(member: ReviewerProfile) -> str:
    if member.kind == ReviewerKind.OFFICIAL:
        return member.official_of or "official"
    return member.kind


def _check_members(kind: str, members: list[ReviewerProfile]) -> None:
    if kind == MeetingKind.DEMAND_PANEL:
        seats: dict[str, int] = {}
        for member in members:
            seats[_panel_seat(member)] = seats.get(_panel_seat(member), 0) + 1
        if seats != PANEL_SEATS:
            raise ValidationError(
                {
                    "members": _(
                        "A demand-item panel seats 7: one IDB official, one Department of "
                        "Industrial Technology official, three research-institute reviewers and "
                        "two scholars."
                    )
                }
            )
        return
    if kind != MeetingKind.SUBCOMMITTEE:
        return
    low, high = SUBCOMMITTEE_SIZE
    experts = sum(1 for m in members if m.kind == ReviewerKind.EXPERT)
    if not low <= len(members) <= high:
        raise ValidationError(
            {
                "members": _("A sub-committee seats %(low)s to %(high)s reviewers, not %(n)s.")
                % {"low": low, "high": high, "n": len(members)}
            }
        )
    if experts * 2 <= len(members):
        raise ValidationError(
            {
                "members": _("Experts must be more than half of a sub-committee: %(e)s of %(n)s.")
                % {"e": experts, "n": len(members)}
            }
        )


@service
def meeting_create(
    *,
    kind: str,
    year: int,
    number: int,
    held_on: date,
    actor: User,
    members: Iterable[ReviewerProfile] = (),
    title: str = "",
    title_en: str = "",
    round=None,
) -> Meeting:
    """Plan a meeting, its title in Chinese and (if given) in English; a sub-committee must
    have 5–7 members, experts more than half."""
    require_office(actor)
    seated = list(members)
    _check_members(kind, seated)
    if (kind == MeetingKind.DEMAND_PANEL) != (round is not None):
        raise ValidationError(
            {"round": _("A demand-item panel, and only a panel, scores a round.")}
        )
    meeting = Meeting(
        kind=kind,
        year=year,
        number=number,
        held_on=held_on,
        title=title,
        title_en=title_en,
        round=round,
    )
    meeting.full_clean()
    meeting.save()
    meeting.members.set(seated)
    event_record(actor=actor, target=meeting, action="meeting.create")
    return meeting


@service
def meeting_set_members(*, meeting: Meeting, members: list[ReviewerProfile], actor: User):
    """Seat the meeting's members (while it is planned)."""
    meeting = _lock(meeting)
    workflow.check(meeting, "set_members", actor)
    _check_members(meeting.kind, list(members))
    meeting.members.set(members)
    event_record(actor=actor, target=meeting, action="meeting.members")
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@service
def meeting_mark_held(*, meeting: Meeting, actor: User) -> Meeting:
    """Record that the meeting took place (會議已召開); its minutes may follow."""
    meeting = _lock(meeting)
    workflow.check(meeting, "mark_held", actor)
    before = meeting.status
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    event_record(
        actor=actor,
        target=meeting,
        action="meeting.held",
        from_status=before,
        to_status=meeting.status,
    )
    return meeting


@service
def meetings_mark_past_held(*, today: date, actor: User) -> int:
    """Daily: a planned meeting whose day has passed took place (會議已召開) — its status
    says so without anyone having to press the button; returns how many changed."""
    require_office(actor, system=True)
    changed = 0
    for meeting in Meeting.objects.select_for_update().filter(
        status=MeetingStatus.PLANNED, held_on__lt=today
    ):
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
        event_record(
            actor=actor,
            target=meeting,
            action="meeting.held",
            from_status=MeetingStatus.PLANNED,
            to_status=meeting.status,
        )
        changed += 1
    return changed


# Which case statuses an agenda item of each kind takes, and the transition it makes now.
# Keyed by plain strings: the meeting's kind reads back from the database as one.
AGENDA_RULES: dict[tuple[str, str], tuple[str, ...]] = {
    (MeetingKind.SUBCOMMITTEE, AgendaKind.CASE_REVIEW): ("send_to_subcommittee",),
    (MeetingKind.PROMOTION_COMMITTEE, AgendaKind.PRE_APPROVAL): ("put_on_agenda",),
    (MeetingKind.PROMOTION_COMMITTEE, AgendaKind.ACTUAL_APPROVAL): (),
    (MeetingKind.PROMOTION_COMMITTEE, AgendaKind.EXTENSION): (),
    (MeetingKind.PROMOTION_COMMITTEE, AgendaKind.ON_RECORD): (),
    (MeetingKind.PROMOTION_COMMITTEE, AgendaKind.CLOSURE): (),
    (MeetingKind.PROMOTION_COMMITTEE, AgendaKind.WITHDRAWAL): (),
}


@service
def agenda_add(*, meeting: Meeting, case: Case, kind: str, actor: User, note: str = ""):
    """Put a case on a meeting's agenda. A sub-committee reviews cases after the initial
    review; the promotion committee pre-approves cases the sub-committee passed or
    forwarded, and takes actual approvals, extensions, records, closures, withdrawals."""
    meeting = _lock(meeting)
    workflow.check(meeting, "add_agenda_item", actor)
    rule = AGENDA_RULES.get((meeting.kind, kind))
    if rule is None:
        raise ValidationError({"kind": _("This meeting does not take that kind of item.")})
    case = Case.objects.select_for_update().select_related("agreement").get(pk=case.pk)
    if kind == AgendaKind.PRE_APPROVAL and case.subcommittee_outcome not in (
        SubcommitteeOutcome.PASS,
        SubcommitteeOutcome.FORWARD,
    ):
        raise ValidationError(
            _("Case %(number)s has not passed (or been forwarded by) a sub-committee.")
            % {"number": case.number}
        )
    if case.status not in workflow.AGENDA_SOURCES[kind]:
        raise TransitionNotAllowed(case, f"agenda_{kind}")
    item = AgendaItem(meeting=meeting, case=case, kind=kind, note=note)
    item.full_clean()
    for name in rule:
        case_services.case_transition(case=case, name=name, actor=actor, note=f"#{meeting.pk}")
    item.save()
    event_record(actor=actor, target=meeting, action="agenda.add", note=f"{kind} {case.number}")
    return item


@service
def agenda_add_request(
    *, meeting: Meeting, subject: str, requested_by: str, actor: User, note: str = ""
) -> AgendaItem:
    """Put a ministry's request (MOEA's or MND's) on a policy steering meeting's agenda
    (工業合作政策指導會議): it names no case; the meeting's resolution on it is followed up."""
    meeting = _lock(meeting)
    workflow.check(meeting, "add_agenda_item", actor)
    if meeting.kind != MeetingKind.POLICY_STEERING:
        raise ValidationError({"kind": _("This meeting does not take that kind of item.")})
    if not subject.strip():
        raise ValidationError({"subject": _("Say what is requested.")})
    item = AgendaItem(
        meeting=meeting,
        kind=AgendaKind.STEERING_REQUEST,
        subject=subject,
        requested_by=requested_by,
        note=note,
    )
    item.full_clean()
    item.save()
    event_record(actor=actor, target=meeting, action="agenda.add", note=subject)
    return item


@service
def resolution_follow_up(
    *,
    follow_up: ResolutionFollowUp,
    progress: str,
    actor: User,
    carried_out_on: date | None = None,
) -> ResolutionFollowUp:
    """Record what was done about a steering resolution (會後管制); with ``carried_out_on``
    it is carried out and leaves the follow-up list."""
    meeting = follow_up.decision.agenda_item.meeting
    workflow.check(meeting, "follow_up", actor)
    follow_up = ResolutionFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status == FollowUpStatus.CARRIED_OUT:
        raise StateConflict(follow_up, "follow_up")
    if not progress.strip():
        raise ValidationError({"progress": _("Say what was done.")})
    follow_up.progress = progress
    if carried_out_on is not None:
        follow_up.status = FollowUpStatus.CARRIED_OUT
        follow_up.carried_out_on = carried_out_on
    follow_up.full_clean()
    follow_up.save()
    event_record(
        actor=actor,
        target=meeting,
        action="resolution.follow_up",
        to_status=follow_up.status,
        note=progress[:200],
    )
    return follow_up


@service
def agenda_add_demand_item(*, meeting: Meeting, demand_item, actor: User, note: str = ""):
    """Put a priority or general demand item on a promotion-committee agenda for the
    second review; the minutes' decision (passed / not passed) is applied to it."""
    meeting = _lock(meeting)
    workflow.check(meeting, "add_agenda_item", actor)
    if meeting.kind != MeetingKind.PROMOTION_COMMITTEE:
        raise ValidationError({"kind": _("This meeting does not take that kind of item.")})
    demand_item_services.item_put_on_agenda(item=demand_item, actor=actor)
    item = AgendaItem(
        meeting=meeting, demand_item=demand_item, kind=AgendaKind.DEMAND_ITEM_REVIEW, note=note
    )
    item.full_clean()
    item.save()
    event_record(
        actor=actor,
        target=meeting,
        action="agenda.add",
        note=f"{AgendaKind.DEMAND_ITEM_REVIEW} {demand_item.pk}",
    )
    return item


@service
def agenda_add_agreement(*, meeting: Meeting, agreement: Agreement, actor: User, note: str = ""):
    """Put an agreement whose execution period has ended with credit outstanding on a
    promotion-committee agenda (kind ``penalty``, domain.md §13): the committee decides an
    extension or a penalty (not above the maximum it set for the agreement)."""
    meeting = _lock(meeting)
    workflow.check(meeting, "add_agenda_item", actor)
    if meeting.kind != MeetingKind.PROMOTION_COMMITTEE:
        raise ValidationError({"kind": _("This meeting does not take that kind of item.")})
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.IN_EXECUTION:
        raise Conflict(
            _("Agreement %(number)s is closed.") % {"number": agreement.number},
            status=agreement.status,
        )
    if agreement.execution_ends_on >= meeting.held_on:
        raise ValidationError(
            _(
                "Agreement %(number)s is executed until %(ends)s: only an agreement whose "
                "execution period ended before the meeting goes on the agenda for a shortfall."
            )
            % {"number": agreement.number, "ends": agreement.execution_ends_on.isoformat()}
        )
    balance = agreement_selectors.agreement_balance(agreement=agreement, as_of=meeting.held_on)
    if balance.outstanding <= 0:
        raise ValidationError(
            _("Agreement %(number)s has no credit outstanding: there is no shortfall.")
            % {"number": agreement.number}
        )
    item = AgendaItem(meeting=meeting, agreement=agreement, kind=AgendaKind.PENALTY, note=note)
    item.full_clean()
    item.save()
    event_record(
        actor=actor,
        target=meeting,
        action="agenda.add",
        note=f"{AgendaKind.PENALTY} {agreement.number}",
    )
    return item


@service
def conflict_declare(
    *, meeting: Meeting, reason: str, actor: User, case: Case | None = None, demand_item=None
):
    """A member declares a conflict of interest (利益迴避) on a case of the agenda or a
    demand item of the panel's round."""
    workflow.check(meeting, "declare_conflict", actor)
    profile = actor.reviewer_profile
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the conflict.")})
    if (case is None) == (demand_item is None):
        raise ValidationError(_("Name the case or the demand item."))
    if case is not None and not meeting.agenda.filter(case=case).exists():
        raise ValidationError({"case": _("This case is not on the meeting's agenda.")})
    if demand_item is not None and meeting.round_id != demand_item.round_id:
        raise ValidationError({"demand_item": _("This item is not in the panel's round.")})
    declaration = ConflictDeclaration(
        meeting=meeting, reviewer=profile, case=case, demand_item=demand_item, reason=reason
    )
    declaration.full_clean()
    declaration.save()
    # A copy built before the declaration still shows the item: build it again.
    for packet in meeting.packets.filter(stage=PacketStage.FINAL, status=PacketStatus.DONE):
        packet_copies_queue(packet=packet, actor=actor, members=[actor], rebuild=True)
    event_record(
        actor=actor,
        target=meeting,
        action="conflict.declare",
        note=case.number if case else f"demand item {demand_item.pk}",
    )
    return declaration


@service
def opinion_file(
    *, meeting: Meeting, case: Case, opinion: str, recommendation: str, actor: User
) -> Opinion:
    """A sub-committee reviewer files (or revises) an opinion on a case of the agenda."""
    workflow.check(meeting, "file_opinion", actor)
    profile = actor.reviewer_profile
    if meeting.kind != MeetingKind.SUBCOMMITTEE:
        raise ValidationError(_("Opinions are filed at sub-committee meetings."))
    if not meeting.agenda.filter(case=case).exists():
        raise ValidationError({"case": _("This case is not on the meeting's agenda.")})
    if ConflictDeclaration.objects.filter(meeting=meeting, reviewer=profile, case=case).exists():
        raise ValidationError(
            _("You declared a conflict of interest on case %(number)s and cannot file an opinion.")
            % {"number": case.number}
        )
    if recommendation not in SubcommitteeOutcome.values:
        raise ValidationError({"recommendation": _("Unknown recommendation.")})
    row, _created = Opinion.objects.update_or_create(
        meeting=meeting,
        case=case,
        reviewer=profile,
        defaults={"opinion": opinion, "recommendation": recommendation},
    )
    event_record(actor=actor, target=meeting, action="opinion.file", note=case.number)
    return row


@service
def decision_record(
    *,
    meeting: Meeting,
    agenda_item: AgendaItem,
    outcome: str,
    actor: User,
    note: str = "",
    note_en: str = "",
    activities: list[dict] | None = None,
    new_ends_on: date | None = None,
    amount_twd=None,
) -> Decision:
    """Record (or change) the decision on an agenda item, until the minutes are approved;
    its note (conditions, reasons) in Chinese and, for the contractor, in English. On a
    shortfall (kind ``penalty``) the committee approves a penalty of ``amount_twd`` NT$ —
    refused above the maximum it set for the agreement — or extends the execution end."""
    meeting = _lock(meeting)
    workflow.check(meeting, "record_decision", actor)
    if agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("That item is on another meeting's agenda.")})
    if outcome not in OUTCOMES_BY_KIND.get(agenda_item.kind, set()):
        raise ValidationError({"outcome": _("This outcome does not fit the agenda item.")})
    approved = outcome == Outcome.APPROVED
    if approved and agenda_item.kind in (AgendaKind.PRE_APPROVAL, AgendaKind.ACTUAL_APPROVAL):
        field = (
            "approved_multiplier"
            if agenda_item.kind == AgendaKind.PRE_APPROVAL
            else "actual_credits"
        )
        if not activities or any(field not in row or "activity" not in row for row in activities):
            raise ValidationError(
                {"activities": _("Give each activity's %(f)s.") % {"f": FIGURE_LABELS[field]}}
            )
    if outcome == Outcome.EXTENDED and new_ends_on is None:
        raise ValidationError({"new_ends_on": _("An extension needs the new end date.")})
    penalty = agenda_item.kind == AgendaKind.PENALTY
    if penalty and approved and agenda_item.agreement is not None:
        amount_twd = fee_services.penalty_amount_check(
            agreement=agenda_item.agreement, amount_twd=amount_twd
        )
    else:
        amount_twd = None
    if penalty and outcome == Outcome.EXTENDED and agenda_item.agreement is not None:
        ends = agenda_item.agreement.execution_ends_on
        if new_ends_on is not None and new_ends_on <= ends:
            raise ValidationError(
                {
                    "new_ends_on": _(
                        "The new end must be after the current end of execution %(old)s."
                    )
                    % {"old": ends.isoformat()}
                }
            )
    decision, _created = Decision.objects.update_or_create(
        agenda_item=agenda_item,
        defaults={
            "outcome": outcome,
            "note": note,
            "note_en": note_en,
            "activities": [{k: str(v) for k, v in row.items()} for row in (activities or [])],
            "new_ends_on": new_ends_on,
            "amount_twd": amount_twd,
            "decided_by": actor,
        },
    )
    event_record(
        actor=actor, target=meeting, action="decision.record", note=f"{agenda_item} → {outcome}"
    )
    return decision


def _apply(decision: Decision, meeting: Meeting, actor: User, approved_on: date) -> None:
    item = decision.agenda_item
    if item.kind == AgendaKind.STEERING_REQUEST:
        # A steering resolution is followed up until carried out (會後管制, domain.md §12).
        ResolutionFollowUp.objects.get_or_create(decision=decision)
        return
    if item.kind == AgendaKind.DEMAND_ITEM_REVIEW:
        # agenda_add_demand_item is the only way such an item is made, always with its item.
        if item.demand_item is None:
            raise ValueError(f"Agenda item {item.pk} is a demand-item review without an item.")
        demand_item_services.item_second_review(
            item=item.demand_item, passed=decision.outcome == Outcome.PASSED, actor=actor
        )
        return
    if item.kind == AgendaKind.PENALTY:
        _apply_shortfall(decision, meeting, actor, approved_on)
        return
    case = item.case
    # Every other kind is made by agenda_add, always with its case.
    if case is None:
        raise ValueError(f"Agenda item {item.pk} ({item.kind}) names no case.")
    kind, outcome = item.kind, decision.outcome
    if kind == AgendaKind.PRE_APPROVAL and outcome == Outcome.APPROVED:
        case_services.case_pre_approve(
            case=case, activities=decision.activities, meeting=meeting, actor=actor
        )
    elif kind == AgendaKind.ACTUAL_APPROVAL and outcome == Outcome.APPROVED:
        case_services.case_actual_approve(
            case=case, activities=decision.activities, meeting=meeting, actor=actor
        )
        # Actual approval triggers the feedback-fee bills, in the same transaction.
        fee_services.bills_issue_for_case(
            case=case, issued_on=approved_on, actor=actor, meeting=meeting
        )
    else:
        names: dict[tuple[str, str], str] = {
            (AgendaKind.PRE_APPROVAL, Outcome.REJECTED): "reject",
            (AgendaKind.PRE_APPROVAL, Outcome.RENEGOTIATE): "renegotiate",
            (AgendaKind.ACTUAL_APPROVAL, Outcome.REJECTED): "actual_reject",
            (AgendaKind.EXTENSION, Outcome.EXTENDED): "extend",
            (AgendaKind.ON_RECORD, Outcome.NOTED): "note_on_record",
            (AgendaKind.CLOSURE, Outcome.CLOSED): "close",
            (AgendaKind.CLOSURE, Outcome.CLOSED_WITH_RETENTION): "close_with_retention",
            (AgendaKind.WITHDRAWAL, Outcome.WITHDRAWN): "withdraw_by_committee",
        }
        name = names.get((kind, outcome))
        if name is None:  # a rejected extension or withdrawal: on record, no change
            name = "note_on_record"
        case_services.case_committee_transition(
            case=case,
            name=name,
            meeting=meeting,
            actor=actor,
            note=decision.note,
            note_en=decision.note_en,
            new_ends_on=decision.new_ends_on,
        )
    notifications.decision_made(case, decision)


def _apply_shortfall(decision: Decision, meeting: Meeting, actor: User, approved_on: date) -> None:
    """A shortfall item: the penalty is issued (due 30 days after the approval), or the
    execution period extended; a rejection changes nothing. The ledger is never touched."""
    item = decision.agenda_item
    # agenda_add_agreement is the only way such an item is made, always with its agreement.
    if item.agreement is None:
        raise ValueError(f"Agenda item {item.pk} is a shortfall item without an agreement.")
    if decision.outcome == Outcome.APPROVED:
        fee_services.penalty_issue(
            agenda_item=item,
            amount_twd=decision.amount_twd,
            issued_on=approved_on,
            actor=actor,
            reason=decision.note,
            reason_en=decision.note_en,
        )
    elif decision.outcome == Outcome.EXTENDED and decision.new_ends_on is not None:
        agreement_services.agreement_extend_execution(
            agreement=item.agreement,
            new_ends_on=decision.new_ends_on,
            meeting=meeting,
            actor=actor,
            note=decision.note,
        )


@service
def minutes_approve(*, meeting: Meeting, actor: User, approved_on: date | None = None) -> Meeting:
    """Approve the minutes: apply every decision (ledger reserves, releases and actual
    credits; case statuses) in one transaction. A meeting's minutes are applied once; if
    any decision cannot be applied (e.g. a pre-approval beyond `available`), nothing is."""
    meeting = _lock(meeting)
    workflow.check(meeting, "approve_minutes", actor)
    before = meeting.status
    if meeting.kind not in (MeetingKind.PROMOTION_COMMITTEE, MeetingKind.POLICY_STEERING):
        raise ValidationError(_("Only promotion-committee minutes carry decisions."))
    items = list(
        meeting.agenda.select_related("case", "demand_item", "agreement", "decision").order_by("id")
    )
    undecided = [str(i) for i in items if not hasattr(i, "decision")]
    if undecided:
        raise ValidationError(
            _("Some agenda items have no decision: %(items)s.") % {"items": "; ".join(undecided)}
        )
    approved_on = approved_on or timezone.localdate()
    try:
        program_date(approved_on)  # the model's date span, before any decision is applied
    except ValidationError as error:
        raise ValidationError({"approved_on": error.messages}) from None
    for item in items:
        _apply(item.decision, meeting, actor, approved_on)
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.minutes_approved_on = approved_on
    meeting.minutes_approved_by = actor
    meeting.save(update_fields=["status", "minutes_approved_on", "minutes_approved_by"])
    event_record(
        actor=actor,
        target=meeting,
        action="minutes.approve",
        from_status=before,
        to_status=meeting.status,
    )
    # Each case decided gets its decision letter (reports, by task name: built after the
    # commit, in the background).
    enqueue_on_commit(LETTERS_TASK, meeting.pk)
    return meeting


# --- Packets (會議資料, domain.md §5 and §11) ---------------------------------------------

BUILD_TASK = "committee.build_packet"
LETTERS_TASK = "reports.issue_decision_letters"
# A build still queued or running this long after it was queued or claimed is dead: the
# worker's hard time limit (CELERY_TASK_TIME_LIMIT) killed it or the worker crashed.
BUILD_EXPIRY_MARGIN = timedelta(seconds=60)


def _build_expiry() -> timedelta:
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + BUILD_EXPIRY_MARGIN


def _build_expired(packet: Packet, now) -> bool:
    """Whether a queued or running build has outlived the task time limit plus the margin
    (counted from its claim when running, from its request when still queued)."""
    since = packet.started_at or packet.created_at
    return since < now - _build_expiry()


@service
def packet_build(*, meeting: Meeting, actor: User) -> Packet:
    """Ask for a new version of the meeting's packet (會議資料): queued now, built by the
    Celery task after the commit. While a build is queued or running nothing new starts
    and that build is returned — unless it outlived the task time limit (its worker died):
    then it is marked failed with that reason and a new build starts."""
    meeting = _lock(meeting)  # two requests at once: the second waits, then sees the first
    workflow.packet_check(meeting, "build", actor)
    busy = meeting.packets.filter(status__in=(PacketStatus.QUEUED, PacketStatus.RUNNING))
    now = timezone.now()
    for current in busy.order_by("-version"):
        if not _build_expired(current, now):
            return current
        limit = settings.CELERY_TASK_TIME_LIMIT
        packet_fail(
            packet=current,
            error=(
                f"The build did not finish within {int(_build_expiry().total_seconds())} s "
                f"(task time limit {limit} s + margin): its worker stopped. "
                "A new build was started."
            ),
            actor=actor,
        )
    last = meeting.packets.order_by("-version").values_list("version", flat=True).first()
    packet = Packet.objects.create(meeting=meeting, version=(last or 0) + 1, built_by=actor)
    event_record(actor=actor, target=meeting, action="packet.build", note=f"v{packet.version}")
    enqueue_on_commit(BUILD_TASK, packet.pk)
    return packet


def packet_claim(*, packet_id: int) -> bool:
    """Claim a queued build for this run (queued → running, one conditional update): a
    task delivered twice builds once. Not a ``@service``: it must commit at once."""
    return bool(
        Packet.objects.filter(pk=packet_id, status=PacketStatus.QUEUED).update(
            status=PacketStatus.RUNNING, progress=1, error="", started_at=timezone.now()
        )
    )


def packet_progress(*, packet_id: int, progress: int) -> None:
    """Record how far a running build got (0–100), committed at once for the status row."""
    Packet.objects.filter(pk=packet_id, status=PacketStatus.RUNNING).update(
        progress=max(0, min(100, progress))
    )


@service
def packet_store(
    *,
    packet: Packet,
    content: bytes,
    pages: int,
    source_hash: str,
    actor: User,
    built_at: datetime | None = None,
) -> Packet:
    """Store a built packet's PDF privately and mark the version done (``built_at`` now,
    or the given historical time, for the demo's replay)."""
    packet = Packet.objects.select_for_update().get(pk=packet.pk)
    packet.file.save(f"v{packet.version}.pdf", ContentFile(content), save=False)
    packet.status = PacketStatus.DONE
    packet.progress = 100
    packet.pages = pages
    packet.size_bytes = len(content)
    packet.source_hash = source_hash
    packet.built_at = built_at or timezone.now()
    packet.error = ""
    packet.save()
    event_record(
        actor=actor,
        target=packet.meeting,
        action="packet.built",
        to_status=packet.status,
        note=f"v{packet.version}, {pages} pages",
    )
    return packet


@service
def packet_fail(*, packet: Packet, error: str, actor: User) -> Packet:
    """Record that a build failed, with its reason (shown to the office)."""
    packet = Packet.objects.select_for_update().get(pk=packet.pk)
    packet.status = PacketStatus.FAILED
    packet.error = error[:2000]
    packet.save(update_fields=["status", "error"])
    event_record(
        actor=actor,
        target=packet.meeting,
        action="packet.failed",
        to_status=packet.status,
        note=f"v{packet.version}: {packet.error[:200]}",
    )
    return packet


@service
def packet_finalize_latest(*, meeting: Meeting, actor: User) -> Packet:
    """Finalize the meeting's latest build (the page's and the API's one call): with none
    built, the role is still answered first (403), then 409 ``none``."""
    packet = selectors.packet_latest(meeting=meeting)
    if packet is None:
        require_office(actor)
        raise Conflict(_("No packet has been built for this meeting."), status="none")
    return packet_finalize(packet=packet, actor=actor)


@service
def packet_finalize(
    *, packet: Packet, actor: User, sent_at: datetime | None = None, copies: bool = True
) -> Packet:
    """Mark the latest, current build final and send it to every member (each once, in
    their language); refuses a failed, unfinished, superseded, stale or final build (409).
    ``sent_at`` is now, or the given historical time (the demo's replay, which leaves
    the members' copies to their first download: ``copies=False``)."""
    _lock(packet.meeting)
    packet = Packet.objects.select_for_update().select_related("meeting").get(pk=packet.pk)
    workflow.packet_check(packet, "finalize", actor)
    if packet.stage == PacketStage.FINAL:
        raise StateConflict(packet, "finalize", status_field="stage")
    latest = selectors.packet_latest(meeting=packet.meeting)
    if latest is None or latest.pk != packet.pk:
        raise Conflict(_("A newer version of this packet exists."), status=packet.status)
    if selectors.packet_is_stale(packet=packet):
        raise Conflict(
            _("The agenda or a case on it changed after this build: build the packet again."),
            status="stale",
        )
    packet.stage = PacketStage.FINAL
    packet.sent_at = sent_at or timezone.now()
    packet.save(update_fields=["stage", "sent_at"])
    # Each member's own copy, rendered in the background: a download serves it stored.
    if copies:
        packet_copies_queue(packet=packet, actor=actor)
    meeting = packet.meeting
    sent = committee_notifications.packet_sent(packet)
    event_record(
        actor=actor,
        target=meeting,
        action="packet.finalize",
        to_status=packet.stage,
        note=f"v{packet.version}, {sent} e-mails",
    )
    return packet


@service
def packets_build_upcoming(*, today: date, actor: User) -> list[Packet]:
    """Daily (beat): queue a draft packet for every planned promotion-committee meeting
    held within the next 7 days that has no packet yet, and e-mail the ICP office once per
    meeting. Normally that is the meeting exactly 7 days ahead; a meeting planned later, or
    a day the job did not run, is caught up until the day before the meeting. A meeting
    with a packet queued, running or built (the office's own, or this job's) is left
    alone, so running the job twice never builds two drafts; a meeting whose every build
    failed is tried again (without a second e-mail). Returns the drafts queued."""
    require_office(actor, system=True)
    usable = (PacketStatus.QUEUED, PacketStatus.RUNNING, PacketStatus.DONE)
    due = Meeting.objects.filter(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        status=MeetingStatus.PLANNED,
        held_on__gt=today,
        held_on__lte=today + timedelta(days=PACKET_DRAFT_DAYS),
    ).exclude(packets__status__in=usable)
    queued = []
    for pk in due.order_by("held_on", "pk").values_list("pk", flat=True):
        meeting = Meeting.objects.select_for_update().get(pk=pk)
        if meeting.packets.filter(status__in=usable).exists():  # a run at the same time
            continue
        first = not meeting.packets.exists()
        packet = packet_build(meeting=meeting, actor=actor)
        if first:
            send_by = meeting.held_on - timedelta(days=PACKET_SEND_DAYS)
            committee_notifications.packet_draft(packet, send_by)
        queued.append(packet)
    return queued


@service
def packet_download_record(*, packet: Packet, actor: User) -> None:
    """Log a member's download of their copy (who, when, which version)."""
    event_record(
        actor=actor, target=packet.meeting, action="packet.download", note=f"v{packet.version}"
    )


# --- Members' copies of a final packet ----------------------------------------------------

COPY_TASK = "committee.build_member_copy"


@service
def packet_copies_queue(
    *, packet: Packet, actor: User, members=None, rebuild: bool = False
) -> list[PacketCopy]:
    """Queue the copy of each member of the meeting (or of ``members``) for a final
    packet: built by Celery after the commit; a copy already queued, running or built is
    left alone (unless ``rebuild``: the member declared a conflict since), a failed one
    (or one whose worker died) is queued again."""
    if members is None:
        require_office(actor, system=True)
        members = User.objects.filter(reviewer_profile__meetings=packet.meeting).distinct()
    now = timezone.now()
    queued = []
    for member in members:
        copy, created = PacketCopy.objects.get_or_create(packet=packet, member=member)
        stuck = (
            copy.status == PacketStatus.RUNNING
            and copy.started_at is not None
            and (copy.started_at < now - _build_expiry())
        )
        if not created and copy.status != PacketStatus.FAILED and not stuck and not rebuild:
            continue
        if not created:
            copy.status, copy.error, copy.started_at = PacketStatus.QUEUED, "", None
            copy.save(update_fields=["status", "error", "started_at"])
        enqueue_on_commit(COPY_TASK, copy.pk)
        queued.append(copy)
    return queued


def packet_copy_claim(*, copy_id: int) -> bool:
    """Claim a queued copy for this run (queued → running): built once if delivered twice."""
    return bool(
        PacketCopy.objects.filter(pk=copy_id, status=PacketStatus.QUEUED).update(
            status=PacketStatus.RUNNING, started_at=timezone.now(), error=""
        )
    )


@service
def packet_copy_store(*, copy: PacketCopy, content: bytes, pages: int) -> PacketCopy:
    copy = PacketCopy.objects.select_for_update().select_related("packet").get(pk=copy.pk)
    copy.file.save("copy.pdf", ContentFile(content), save=False)
    copy.pages = pages
    copy.status = PacketStatus.DONE
    copy.built_at = timezone.now()
    copy.save()
    return copy


@service
def packet_copy_fail(*, copy: PacketCopy, error: str) -> PacketCopy:
    copy = PacketCopy.objects.select_for_update().get(pk=copy.pk)
    copy.status = PacketStatus.FAILED
    copy.error = error[:2000]
    copy.save(update_fields=["status", "error"])
    return copy
