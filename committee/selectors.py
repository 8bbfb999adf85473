"""Reads of meetings, the same for the pages and the API: visibility first (staff all, a
reviewer the meetings they sit on), then the shared filters; a reviewer sees only their
own opinions and conflict declarations."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors as agreement_selectors
from agreements.choices import DEFAULT_MULTIPLIER_RANGE, AgreementStatus
from agreements.models import MultiplierStandard
from cases import selectors as case_selectors
from cases.choices import CaseStatus, ChecklistResult, DocumentKind
from cases.models import Activity, Case, CaseDocument, ChecklistConfirmation
from committee.choices import (
    PACKET_SEND_DAYS,
    AgendaKind,
    FollowUpStatus,
    MeetingKind,
    MeetingStatus,
    Outcome,
    PacketStage,
    PacketStatus,
)
from committee.filtersets import MeetingFilterSet
from committee.models import (
    AgendaItem,
    ConflictDeclaration,
    Decision,
    Meeting,
    Opinion,
    Packet,
    ResolutionFollowUp,
)
from demand_items.models import DemandItem, PanelScore
from feedback import selectors as fee_selectors
from feedback.choices import BillStatus
from feedback.models import Bill
from organizations.choices import AuditAction
from organizations.models import AuditEvent


def meeting_list(*, user, filters: dict | None = None) -> QuerySet[Meeting]:
    """Visible meetings through the shared filters, newest first, with their counts."""
    # Counted in subqueries: joins after "the meetings I sit on" would count only the
    # rows that filter kept (a reviewer saw 1 member on a five-member panel).
    seats = Meeting.members.through.objects.filter(meeting_id=OuterRef("pk"))
    items = AgendaItem.objects.filter(meeting_id=OuterRef("pk"))

    def count(rows):
        return Coalesce(
            Subquery(rows.order_by().values("meeting_id").annotate(n=Count("pk")).values("n")), 0
        )

    queryset = (
        Meeting.objects.visible_to(user)
        .annotate(item_count=count(items), member_count=count(seats))
        .prefetch_related("members")
        .order_by("-held_on", "-id")
    )
    if filters is None:
        return queryset
    return MeetingFilterSet(filters, queryset=queryset).qs


def meeting_agenda(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's agenda (議程), in the order the items were added."""
    return meeting.agenda.select_related("case", "demand_item", "agreement", "decision").order_by(
        "id"
    )


def meeting_decisions(*, meeting: Meeting) -> QuerySet[Decision]:
    """The decisions of the meeting's minutes (會議紀錄), in agenda order."""
    return Decision.objects.filter(agenda_item__meeting=meeting).order_by("agenda_item_id")


def meeting_follow_ups(*, meeting: Meeting) -> QuerySet[ResolutionFollowUp]:
    """The follow-ups of a steering meeting's resolutions (會後管制), in agenda order."""
    return (
        ResolutionFollowUp.objects.filter(decision__agenda_item__meeting=meeting)
        .select_related("decision__agenda_item")
        .order_by("decision__agenda_item_id")
    )


def meeting_opinions(*, meeting: Meeting, user) -> QuerySet[Opinion]:
    """The opinions on the meeting's cases this user may read (staff all, a member theirs)."""
    return meeting.opinions.visible_to(user).select_related("reviewer__user").order_by("id")


def meeting_conflicts(*, meeting: Meeting, user) -> QuerySet[ConflictDeclaration]:
    """The conflict declarations this user may read (staff all, a member their own)."""
    return meeting.conflicts.visible_to(user).select_related("reviewer__user").order_by("id")


# --- Packets (會議資料) ------------------------------------------------------------------


def agenda_totals(*, items: list[AgendaItem]) -> list[dict[str, Any]]:
    """The credits of a meeting's case items summed per kind of item and per currency (an
    NT$-point agreement's credits are never added to USD points): requested, pre-approved
    and actual. Reads the activities the page prefetched: no query."""
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        case = item.case
        if case is None:  # a demand item's review: no credits
            continue
        key = (item.kind, case.agreement.currency)
        row = totals.setdefault(
            key,
            {
                "kind": item.get_kind_display(),
                "currency": case.agreement.get_currency_display(),
                "items": 0,
                "requested": Decimal("0.00"),
                "pre_approved": Decimal("0.00"),
                "actual": Decimal("0.00"),
            },
        )
        row["items"] += 1
        row["requested"] += case.requested_credits
        row["pre_approved"] += case.pre_approved_credits
        row["actual"] += case.actual_credits
    return [totals[key] for key in sorted(totals)]


def packet_latest(*, meeting: Meeting) -> Packet | None:
    """The meeting's newest packet version, or None when none was ever built."""
    return meeting.packets.order_by("-version").first()


def packet_version(*, meeting: Meeting, version: int) -> Packet | None:
    """One version of the meeting's packet."""
    return meeting.packets.filter(version=version).first()


def _agenda_cases(meeting: Meeting) -> list[Case]:
    ids = meeting.agenda.exclude(case=None).values_list("case_id", flat=True)
    return list(Case.objects.filter(pk__in=ids).order_by("pk"))


def packet_source_hash(*, meeting: Meeting) -> str:
    """A deterministic digest (SHA-256) of what a packet is built from: the meeting, its
    agenda and decisions, the cases on it with their activities, checklist and opinions,
    and the demand items with their scores. Any change to these makes a build stale."""
    agenda = list(
        meeting.agenda.order_by("id").values_list("id", "kind", "case_id", "demand_item_id", "note")
    )
    decisions = list(
        Decision.objects.filter(agenda_item__meeting=meeting)
        .order_by("agenda_item_id")
        .values_list("agenda_item_id", "outcome", "note", "activities", "updated_at")
    )
    case_ids = [row[2] for row in agenda if row[2]]
    cases = list(
        Case.objects.filter(pk__in=case_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "status",
            "title_zh",
            "title_en",
            "starts_on",
            "ends_on",
            "description",
            "initial_review_opinion",
            "subcommittee_outcome",
            "office_request",
            "agreement_id",
        )
    )
    activities = list(
        Activity.objects.filter(case_id__in=case_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "case_id",
            "mode",
            "recipient_id",
            "value",
            "requested_multiplier",
            "approved_multiplier",
            "pre_approved_credits",
            "actual_credits",
        )
    )
    opinions = list(
        Opinion.objects.filter(case_id__in=case_ids)
        .order_by("pk")
        .values_list("pk", "opinion", "recommendation", "filed_at")
    )
    checks = list(
        ChecklistConfirmation.objects.filter(case_id__in=case_ids)
        .order_by("pk")
        .values_list("pk", "code", "result", "confirmed_at")
    )
    documents = list(
        CaseDocument.objects.filter(case_id__in=case_ids)
        .order_by("pk")
        .values_list("pk", "kind", "sha256")
    )
    item_ids = [row[3] for row in agenda if row[3]]
    items = list(
        DemandItem.objects.filter(pk__in=item_ids)
        .order_by("pk")
        .values_list("pk", "title_zh", "status", "panel_score", "classification")
    )
    scores = list(
        PanelScore.objects.filter(item_id__in=item_ids)
        .order_by("pk")
        .values_list("pk", "score", "scored_at")
    )
    source = {
        "meeting": [meeting.pk, meeting.kind, meeting.year, meeting.number, meeting.held_on],
        "title": meeting.title,
        "agenda": agenda,
        "decisions": decisions,
        "cases": cases,
        "activities": activities,
        "opinions": opinions,
        "checklist": checks,
        "documents": documents,
        "demand_items": items,
        "scores": scores,
    }
    # Shortfall items (kind penalty) and what their sections show; added only where there
    # are any, so the digest of a meeting without them is what it always was.
    shortfalls = list(
        meeting.agenda.filter(agreement__isnull=False)
        .order_by("id")
        .values_list(
            "id",
            "agreement_id",
            "agreement__execution_ends_on",
            "agreement__penalty_cap_twd",
            "agreement__obligation",
            "decision__amount_twd",
        )
    )
    if shortfalls:
        source["shortfalls"] = shortfalls
    text = json.dumps(source, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def packet_is_stale(*, packet: Packet) -> bool:
    """Whether the agenda or a case on it changed after this version was built. Only a
    planned meeting's packet goes stale: once the meeting is held, the packet is the record
    of what the members read, and the decisions that follow change it no longer."""
    if packet.status != PacketStatus.DONE or not packet.source_hash:
        return False
    if packet.meeting.status != MeetingStatus.PLANNED:
        return False
    return packet.source_hash != packet_source_hash(meeting=packet.meeting)


def packet_timeliness(*, meeting: Meeting, today: date | None = None) -> dict[str, Any]:
    """When the final packet must reach the members (5 days before the meeting, domain.md
    §11) and whether it is late: sent after that day, or not sent and that day passed
    while the meeting is still planned. The first final version counts: a later revision
    does not make a packet that went out in time late."""
    send_by = meeting.held_on - timedelta(days=PACKET_SEND_DAYS)
    first_sent = (
        meeting.packets.filter(stage=PacketStage.FINAL, sent_at__isnull=False)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    today = today or timezone.localdate()
    if first_sent is not None:
        late = timezone.localtime(first_sent).date() > send_by
    else:
        late = meeting.status == MeetingStatus.PLANNED and today > send_by
    return {"send_by": send_by, "first_sent_at": first_sent, "late": late}


def packet_versions(*, meeting: Meeting) -> QuerySet[Packet]:
    """Every version of the meeting's packet, newest first (the office's list)."""
    return meeting.packets.select_related("built_by").order_by("-version")


def packet_status(*, meeting: Meeting) -> dict[str, Any]:
    """The latest packet's status object (api.md ``/meetings/{id}/packet/``); ``status``
    is ``none`` when no version was ever built. With it: the day the final packet is due
    at the members (``send_by``), whether it is ``late``, and every version."""
    packet = packet_latest(meeting=meeting)
    timeliness = packet_timeliness(meeting=meeting)
    versions = [
        {
            "version": row.version,
            "stage": row.stage,
            "status": row.status,
            "built_at": row.built_at,
            "pages": row.pages,
            "size_bytes": row.size_bytes,
            "sent_at": row.sent_at,
        }
        for row in packet_versions(meeting=meeting)
    ]
    common = {
        "meeting": meeting.pk,
        "send_by": timeliness["send_by"],
        "late": timeliness["late"],
        "versions": versions,
    }
    if packet is None:
        return {
            **common,
            "version": None,
            "status": "none",
            "progress": 0,
            "stage": None,
            "built_at": None,
            "pages": None,
            "size_bytes": None,
            "stale": False,
            "sent_at": None,
            "error": "",
        }
    return {
        **common,
        "version": packet.version,
        "status": packet.status,
        "progress": packet.progress,
        "stage": packet.stage,
        "built_at": packet.built_at,
        "pages": packet.pages,
        "size_bytes": packet.size_bytes,
        "stale": packet_is_stale(packet=packet),
        "sent_at": packet.sent_at,
        "error": packet.error,
    }


def packet_withheld_cases(*, meeting: Meeting, user) -> set[int]:
    """The cases (and demand items, negated ids) a member declared a conflict on: their
    copy withholds those items' sections (domain.md §5)."""
    rows = ConflictDeclaration.objects.filter(meeting=meeting, reviewer__user=user)
    withheld = set()
    for case_id, item_id in rows.values_list("case_id", "demand_item_id"):
        withheld.add(case_id if case_id else -item_id)
    return withheld


def multiplier_standards(
    *, agreement_ids: Iterable[int], on: date
) -> Callable[[int, str], tuple[Decimal, Decimal]]:
    """The multiplier range of each mode in effect on ``on`` for these agreements, read in
    one query: what ``agreements.selectors.multiplier_standard_for`` answers one activity at
    a time (the latest standard from on or before the date, else the default range), for a
    meeting page that shows one on every activity of every item."""
    latest: dict[tuple[int, str], tuple[Decimal, Decimal]] = {}
    standards = MultiplierStandard.objects.filter(
        agreement_id__in=set(agreement_ids), effective_from__lte=on
    ).order_by("effective_from", "id")
    for standard in standards:
        latest[(standard.agreement_id, standard.mode)] = (
            standard.min_multiplier,
            standard.max_multiplier,
        )
    low, high = (Decimal(v) for v in DEFAULT_MULTIPLIER_RANGE)
    return lambda agreement_id, mode: latest.get((agreement_id, mode), (low, high))


def _case_section(item: AgendaItem, case: Case, meeting: Meeting) -> dict[str, Any]:
    agreement = case.agreement
    activities = list(case.activities.select_related("recipient").order_by("id"))
    decided: dict[str, dict] = {}
    decision = getattr(item, "decision", None)
    if decision is not None:
        decided = {str(row.get("activity")): row for row in decision.activities}
    rows = []
    for activity in activities:
        low, high = agreement_selectors.multiplier_standard_for(
            agreement=agreement, mode=activity.mode, on=meeting.held_on
        )
        row: dict[str, Any] = {"activity": activity, "standard": (low, high)}
        if item.kind == AgendaKind.ACTUAL_APPROVAL:
            figure = decided.get(str(activity.pk), {}).get("actual_credits")
            credits = Decimal(figure) if figure else activity.actual_credits
            if credits is None:
                credits = activity.pre_approved_credits or activity.requested_credits
            row["credits"] = credits
            row["fee"] = fee_selectors.fee_estimate(
                activity=activity, credits=credits, on=meeting.held_on
            )
        rows.append(row)
    documents = list(case.documents.order_by("uploaded_at", "id"))
    section: dict[str, Any] = {
        "case": case,
        "agreement": agreement,
        "activities": rows,
        "opinions": list(Opinion.objects.filter(case=case).order_by("meeting_id", "id")),
        # The application and plan PDFs, appended after the section (committee/pdf.py).
        "attachments": [d for d in documents if d.kind in PACKET_ATTACHMENT_KINDS],
    }
    if item.kind == AgendaKind.ACTUAL_APPROVAL:
        # The plan's goals against the results (domain.md §5): each activity's pre-approved
        # credits against what is now claimed, the checkpoints, the latest progress report
        # and the evidence filed for them.
        section.update(
            checkpoints=list(case.checkpoints.order_by("due_on", "id")),
            latest_report=case.progress_reports.order_by("-year", "-quarter").first(),
            evidence=[d for d in documents if d.kind in PACKET_EVIDENCE_KINDS],
        )
    if item.kind == AgendaKind.PRE_APPROVAL:
        balance = agreement_selectors.agreement_balance(agreement=agreement, as_of=date.max)
        reserve = sum((a.requested_credits for a in activities), Decimal("0.00"))
        section.update(
            balance=balance,
            reserve=reserve,
            available_after=balance.available - reserve,
            checklist=[
                {**check, "result_label": ChecklistResult(check["result"]).label}
                for check in case_selectors.checklist(case=case)
            ],
        )
    return section


# The documents appended to a case's section: the application and the plan.
PACKET_ATTACHMENT_KINDS = (DocumentKind.APPLICATION, DocumentKind.PLAN)
# The documents an actual approval's evidence list names.
PACKET_EVIDENCE_KINDS = (DocumentKind.PROGRESS_EVIDENCE, DocumentKind.OTHER)


def _carried_out(decision: Decision, meeting: Meeting) -> tuple[str, bool]:
    """How a decision of ``meeting`` was carried out (會後管制): a sentence and whether it
    is done. Decisions apply when the minutes are approved; what followed is read from the
    case (its status, credits and bills) or the demand item."""
    if meeting.status != MeetingStatus.MINUTES_APPROVED:
        return _("Awaiting the approval of the minutes."), False
    item = decision.agenda_item
    if item.kind == AgendaKind.STEERING_REQUEST:
        follow_up = getattr(decision, "follow_up", None)
        if follow_up is None:
            return "—", False
        if follow_up.status == FollowUpStatus.CARRIED_OUT:
            return _("Carried out on %(date)s: %(progress)s") % {
                "date": follow_up.carried_out_on.isoformat() if follow_up.carried_out_on else "",
                "progress": follow_up.progress,
            }, True
        return follow_up.progress or _("Being carried out."), False
    if item.demand_item is not None:
        return _("Demand item now: %(status)s.") % {
            "status": item.demand_item.get_status_display()
        }, True
    case = item.case
    if case is None:
        return "—", True
    status = case.get_status_display()
    if item.kind == AgendaKind.PRE_APPROVAL and decision.outcome == Outcome.APPROVED:
        return _("%(credits)s credits reserved; the case is now: %(status)s.") % {
            "credits": f"{case.pre_approved_credits:,.2f}",
            "status": status,
        }, True
    if item.kind == AgendaKind.ACTUAL_APPROVAL and decision.outcome == Outcome.APPROVED:
        bills = Bill.objects.filter(case=case, meeting=meeting)
        totals = bills.aggregate(billed=Sum("amount_twd"), paid=Sum("paid_amount_twd"))
        open_bills = bills.exclude(
            status__in=(BillStatus.PAID, BillStatus.WAIVED, BillStatus.CANCELLED)
        ).count()
        credits = f"{case.actual_credits:,.2f}"
        count = bills.count()
        if not count:
            return _("%(credits)s credits discharged; no feedback fee is owed.") % {
                "credits": credits
            }, True
        text = _(
            "%(credits)s credits discharged; fee bills %(count)s (NT$%(billed)s billed, "
            "NT$%(paid)s paid)."
        ) % {
            "credits": credits,
            "count": count,
            "billed": f"{totals['billed'] or 0:,.0f}",
            "paid": f"{totals['paid'] or 0:,.0f}",
        }
        return text, open_bills == 0
    if item.kind == AgendaKind.EXTENSION and decision.outcome == Outcome.EXTENDED:
        return _("Schedule extended to %(date)s.") % {"date": case.ends_on.isoformat()}, True
    done = case.status not in (CaseStatus.ON_AGENDA,)
    return _("The case is now: %(status)s.") % {"status": status}, done


def packet_followup(*, meeting: Meeting) -> dict[str, Any] | None:
    """The previous meeting of the same kind (the latest held before this one) with each
    of its decisions and how it was carried out (會後管制, domain.md §5); None if none."""
    previous = (
        Meeting.objects.filter(kind=meeting.kind, held_on__lt=meeting.held_on)
        .exclude(pk=meeting.pk)
        .order_by("-held_on", "-id")
        .first()
    )
    if previous is None:
        return None
    rows = []
    chosen = Q(agenda_item__meeting=previous)
    if meeting.kind == MeetingKind.POLICY_STEERING:
        # A steering resolution stays on the list until it is carried out (會後管制).
        chosen |= Q(
            agenda_item__meeting__kind=MeetingKind.POLICY_STEERING,
            agenda_item__meeting__held_on__lt=previous.held_on,
            follow_up__status=FollowUpStatus.OPEN,
        )
    decisions = (
        Decision.objects.filter(chosen)
        .select_related(
            "agenda_item__meeting",
            "agenda_item__case__agreement",
            "agenda_item__demand_item",
            "follow_up",
        )
        .prefetch_related("agenda_item__case__activities")
        .order_by("agenda_item__meeting__held_on", "agenda_item_id")
    )
    for number, decision in enumerate(decisions, start=1):
        item = decision.agenda_item
        text, done = _carried_out(decision, item.meeting)
        rows.append(
            {
                "number": number,
                "item": item,
                "subject": (
                    item.case.number
                    if item.case
                    else (item.demand_item.title_zh if item.demand_item else item.subject)
                ),
                "decision": decision,
                "carried_out": text,
                "done": done,
            }
        )
    return {"meeting": previous, "rows": rows}


def _demand_section(item: AgendaItem) -> dict[str, Any]:
    demand_item = item.demand_item
    scores = list(PanelScore.objects.filter(item=demand_item).order_by("id"))
    return {"demand_item": demand_item, "scores": scores}


def _shortfall_section(item: AgendaItem, meeting: Meeting) -> dict[str, Any]:
    """A shortfall item's section: the agreement's figures at the meeting (obligation,
    discharged, shortfall after its execution end), its maximum penalty and the penalty or
    extension proposed (the decision, where one is recorded)."""
    agreement = item.agreement
    if agreement is None:  # the model's constraint: a shortfall item names its agreement
        raise ValueError(f"Agenda item {item.pk} is a shortfall item without an agreement.")
    balance = agreement_selectors.agreement_balance(agreement=agreement, as_of=meeting.held_on)
    return {
        "agreement": agreement,
        "balance": balance.with_end(agreement.execution_ends_on),
        "decision": getattr(item, "decision", None),
    }


def shortfall_items(*, meeting: Meeting) -> list[tuple[AgendaItem, Any]]:
    """The meeting's shortfall items (kind penalty), each with its agreement's balance at
    the meeting (its ``shortfall``): one query for the items, one for the balances."""
    items = list(
        meeting.agenda.filter(agreement__isnull=False)
        .select_related("agreement", "agreement__contractor", "decision")
        .order_by("id")
    )
    agreements = [item.agreement for item in items if item.agreement is not None]
    balances = agreement_selectors.balances_of(
        agreements=[{"id": a.pk, "currency": a.currency} for a in agreements],
        as_of=meeting.held_on,
    )
    return [
        (item, balances[agreement.pk].with_end(agreement.execution_ends_on))
        for item, agreement in zip(items, agreements, strict=True)
    ]


def shortfall_candidates(*, meeting: Meeting, user) -> list[tuple[Any, Any]]:
    """Agreements the office may put on this meeting's agenda for a shortfall: in
    execution, their execution ended before the meeting, credit still outstanding at it,
    and not on this agenda yet. Two queries."""
    agreements = list(
        agreement_selectors.agreements_filtered(user=user, filters={})
        .filter(status=AgreementStatus.IN_EXECUTION, execution_ends_on__lt=meeting.held_on)
        .exclude(agenda_items__meeting=meeting)
        .select_related("contractor")
        .order_by("execution_ends_on", "number")
    )
    balances = agreement_selectors.balances_of(
        agreements=[{"id": a.pk, "currency": a.currency} for a in agreements],
        as_of=meeting.held_on,
    )
    rows = []
    for agreement in agreements:
        balance = balances[agreement.pk].with_end(agreement.execution_ends_on)
        if balance.shortfall > 0:
            rows.append((agreement, balance))
    return rows


def packet_contents(
    *, meeting: Meeting, withheld: set[int] | None = None, on_progress=None
) -> dict[str, Any]:
    """Everything a packet shows, in the order of domain.md §5: the agenda, then one
    section per agenda item (cases first, in agenda order), then the demand items for the
    second review. ``withheld`` (case ids, negated demand-item ids) marks the items a
    member declared a conflict on; their sections carry no content."""
    withheld = withheld or set()
    items = list(
        meeting.agenda.select_related(
            "case__agreement__contractor",
            "demand_item__proposer",
            "agreement__contractor",
            "decision",
        ).order_by("id")
    )
    case_items = [i for i in items if i.case_id]
    shortfall_items = [i for i in items if i.agreement_id]
    demand_items = [i for i in items if i.demand_item_id]
    # A policy steering meeting's requests (MOEA's and MND's) name no case.
    requests = [i for i in items if i.kind == AgendaKind.STEERING_REQUEST]
    sections = []
    total = max(len(items), 1)
    for number, item in enumerate(case_items + shortfall_items + demand_items + requests, start=1):
        # Conflicts are declared on cases and demand items; a shortfall is never withheld.
        key = item.case_id if item.case_id else -(item.demand_item_id or 0)
        entry: dict[str, Any] = {
            "number": number,
            "item": item,
            "anchor": f"item-{item.pk}",
            "withheld": bool(item.case_id or item.demand_item_id) and key in withheld,
            "is_demand": bool(item.demand_item_id),
            "is_shortfall": bool(item.agreement_id),
            "is_request": item.kind == AgendaKind.STEERING_REQUEST,
        }
        if not entry["withheld"]:
            if item.case is not None:
                entry.update(_case_section(item, item.case, meeting))
            elif item.agreement is not None:
                entry.update(_shortfall_section(item, meeting))
            elif item.demand_item is not None:
                entry.update(_demand_section(item))
        sections.append(entry)
        if on_progress is not None:
            on_progress(number, total)
    return {
        "meeting": meeting,
        "followup": packet_followup(meeting=meeting),
        "sections": [
            s
            for s in sections
            if not s["is_demand"] and not s["is_shortfall"] and not s["is_request"]
        ],
        "request_sections": [s for s in sections if s["is_request"]],
        "shortfall_sections": [s for s in sections if s["is_shortfall"]],
        "demand_sections": [s for s in sections if s["is_demand"]],
        "agenda": sections,
    }


def member_packets(*, user, meeting: Meeting | None = None) -> list[dict[str, Any]]:
    """A member's packets (會議資料) for their home page (or, with ``meeting``, that
    meeting's page): the latest final packet of each meeting they sit on, newest meeting
    first, with the version they last opened (None if never) and whether it changed
    since."""
    packets: dict[int, Packet] = {}
    rows = Packet.objects.filter(
        meeting__members__user=user, stage=PacketStage.FINAL, status=PacketStatus.DONE
    )
    if meeting is not None:
        rows = rows.filter(meeting=meeting)
    rows = rows.select_related("meeting").order_by("-meeting__held_on", "meeting_id", "-version")
    for packet in rows:
        packets.setdefault(packet.meeting_id, packet)
    opened: dict[str, int] = {}
    downloads = AuditEvent.objects.filter(
        actor=user,
        action=AuditAction.PACKET_DOWNLOAD,
        target_type=ContentType.objects.get_for_model(Meeting),
        target_id__in=[str(pk) for pk in packets],
    ).values_list("target_id", "note")
    for meeting_id, note in downloads:
        version = int(note.removeprefix("v") or 0) if note.removeprefix("v").isdigit() else 0
        opened[meeting_id] = max(opened.get(meeting_id, 0), version)
    return [
        {
            "meeting": packet.meeting,
            "packet": packet,
            "opened_version": opened.get(str(meeting_id)),
            "changed": str(meeting_id) in opened and opened[str(meeting_id)] < packet.version,
        }
        for meeting_id, packet in packets.items()
    ]


def member_waiting(*, user) -> dict[str, list]:
    """What still waits for this reviewer (their home): the cases on the open
    sub-committees they sit on with no opinion filed and no conflict declared, and the
    demand items of their open panels' rounds they have not scored yet. Two queries."""
    profile = getattr(user, "reviewer_profile", None)
    if profile is None:
        return {"opinions": [], "scores": []}
    from demand_items.choices import ItemStatus
    from demand_items.models import DemandItem, PanelScore

    open_statuses = (MeetingStatus.PLANNED, MeetingStatus.HELD)
    same = {"meeting": OuterRef("meeting"), "case": OuterRef("case"), "reviewer": profile}
    opinions = (
        AgendaItem.objects.filter(
            meeting__members=profile,
            meeting__kind=MeetingKind.SUBCOMMITTEE,
            meeting__status__in=open_statuses,
            case__isnull=False,
        )
        .exclude(Exists(Opinion.objects.filter(**same)))
        .exclude(Exists(ConflictDeclaration.objects.filter(**same)))
        .select_related("meeting", "case")
        .order_by("meeting__held_on", "id")
    )
    scores = (
        DemandItem.objects.filter(
            status=ItemStatus.SUBMITTED,
            round__panels__members=profile,
            round__panels__status__in=open_statuses,
        )
        .exclude(Exists(PanelScore.objects.filter(item=OuterRef("pk"), reviewer=profile)))
        .distinct()
        .order_by("round__closes_on", "id")
    )
    return {"opinions": list(opinions), "scores": list(scores)}
