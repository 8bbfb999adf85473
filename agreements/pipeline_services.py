"""Writes on a procurement before its agreement (domain.md §12): the capability
assessment, the ICP specification, the joint negotiation team and its meetings, the planned
items, the LOA and the commitment, and the stage changes of ``agreements/pipeline.py``.

Every service checks the table first: the office's role (403), then the stage (409), before
it writes anything; each stage change leaves an audit event (from → to)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agreements import notifications, pipeline
from agreements.choices import (
    AGREEMENT_DUE_REMINDER_DAYS,
    ICP_FLOOR_THRESHOLD_USD,
    ICP_RATIO_FLOOR,
    CaseUse,
    Ministry,
)
from agreements.models import (
    Agreement,
    CapabilityAssessment,
    MultiplierStandard,
    NegotiationMeeting,
    NegotiationMember,
    PlanItem,
    Procurement,
    ProcurementPlanItem,
    SpecificationStandard,
)
from demand_items.choices import ItemStatus
from icp_portal.lib.services import service
from organizations.models import User
from organizations.services import event_record


def _lock(procurement: Procurement) -> Procurement:
    """Lock the procurement row for the rest of the transaction and return it fresh."""
    return Procurement.objects.select_for_update().get(pk=procurement.pk)


def _move(procurement: Procurement, name: str, actor: User, note: str = "") -> Procurement:
    transition = pipeline.TRANSITIONS[name]
    before = procurement.stage
    if transition.target is not None and transition.target != before:
        procurement.stage = transition.target
        procurement.save(update_fields=["stage"])
        event_record(
            actor=actor,
            target=procurement,
            action="procurement.stage",
            from_status=before,
            to_status=procurement.stage,
            note=note or name,
        )
    return procurement


@service
def procurement_advance(
    *,
    procurement: Procurement,
    action: str,
    actor: User,
    reason: str = "",
    loa_signed_on: date | None = None,
) -> Procurement:
    """Move a procurement on by one of the table's plain stage changes: the capability
    assessment done (``assess``, at least one item assessed), negotiation started
    (``start_negotiation``, a team with its leader), the contractor's commitment
    (``commit``, with the LOA's date where the LOA came first), or no ICP (``no_icp``, with
    the reason, e.g. a civil purchase under the WTO GPA)."""
    if action not in pipeline.STAGE_ACTIONS:
        raise ValidationError({"action": _("Unknown stage change.")})
    procurement = _lock(procurement)
    pipeline.check(procurement, action, actor)
    if action == "assess" and not procurement.assessments.exists():
        raise ValidationError(_("Record at least one assessed item first."))
    if action == "start_negotiation" and not procurement.team.filter(leader=True).exists():
        raise ValidationError(_("The negotiation team needs its leader first."))
    if action == "no_icp":
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the procurement carries no ICP.")})
        procurement.no_icp_reason = reason
        procurement.save(update_fields=["no_icp_reason"])
    if action == "commit" and loa_signed_on is not None:
        _set_loa(procurement, loa_signed_on)
    return _move(procurement, action, actor, note=reason)


@service
def assessment_add(
    *, procurement: Procurement, item: str, result: str, actor: User, note: str = ""
) -> CapabilityAssessment:
    """Record an assessed item of the self-production capability assessment
    (國內產業自製能量評估): already capable, not capable, or buildable through ICP."""
    procurement = _lock(procurement)
    pipeline.check(procurement, "record_assessment", actor)
    row = CapabilityAssessment(procurement=procurement, item=item, result=result, note=note)
    row.full_clean()
    row.save()
    event_record(actor=actor, target=procurement, action="procurement.assess", note=item)
    return row


def ratio_floor_check(*, procurement: Procurement, ratio: Decimal, exemption: str) -> None:
    """The 40% floor (domain.md §10, §12): a defence purchase of US$5 million or more
    carries ICP credit of at least 40% of its price, unless the office records why not."""
    if procurement.defence and procurement.usd_value is None:
        raise ValidationError(
            {
                "value_usd": _(
                    "Give the contract value in US$: the floor of 40 percent depends on it."
                )
            }
        )
    if not procurement.floor_applies or ratio >= ICP_RATIO_FLOOR or exemption.strip():
        return
    raise ValidationError(
        {
            "icp_ratio_min": _(
                "A defence purchase of US$%(threshold)s or more carries ICP credit of at least "
                "%(floor)s%% of the contract price; %(ratio)s%% is below it. Record the "
                "exemption and its reason to go below."
            )
            % {
                "threshold": f"{ICP_FLOOR_THRESHOLD_USD:,.0f}",
                "floor": f"{ICP_RATIO_FLOOR * 100:.0f}",
                "ratio": f"{ratio * 100:.2f}",
            }
        }
    )


@service
def procurement_specify(
    *,
    procurement: Procurement,
    icp_ratio_min: Decimal,
    standards: list[dict],
    issued_on: date,
    actor: User,
    schedule: str = "",
    ratio_exemption: str = "",
) -> Procurement:
    """Issue (or revise, until the commitment) the ICP specification (工業合作規範): the
    credit ratio, the allowed modes with their multiplier standards, the schedule and
    procedure. The ratio of a defence purchase of US$5 million or more is at least 40%
    unless the office records the exemption with its reason."""
    procurement = _lock(procurement)
    name = (
        "revise_specification"
        if procurement.stage in pipeline.TRANSITIONS["revise_specification"].sources
        else "specify"
    )
    pipeline.check(procurement, name, actor)
    ratio = Decimal(icp_ratio_min)
    if not Decimal("0") < ratio <= Decimal("1"):
        raise ValidationError({"icp_ratio_min": _("The ratio must be above 0 and at most 1.")})
    ratio_floor_check(procurement=procurement, ratio=ratio, exemption=ratio_exemption)
    if not standards:
        raise ValidationError({"standards": _("Allow at least one mode with its standard.")})
    modes = [row["mode"] for row in standards]
    if len(set(modes)) != len(modes):
        raise ValidationError({"standards": _("Each mode is allowed once.")})
    rows = [
        SpecificationStandard(
            procurement=procurement,
            mode=row["mode"],
            min_multiplier=row["min_multiplier"],
            max_multiplier=row["max_multiplier"],
        )
        for row in standards
    ]
    for row in rows:
        row.full_clean(exclude=["procurement"], validate_unique=False)
    procurement.icp_ratio_min = ratio
    # An exemption is recorded only where the floor was waived.
    procurement.ratio_exemption = (
        ratio_exemption if procurement.floor_applies and ratio < ICP_RATIO_FLOOR else ""
    )
    procurement.spec_issued_on = issued_on
    procurement.spec_schedule = schedule
    procurement.full_clean()
    procurement.save()
    procurement.spec_standards.all().delete()
    SpecificationStandard.objects.bulk_create(rows)
    note = ", ".join(str(row) for row in rows)
    event_record(actor=actor, target=procurement, action="procurement.specify", note=note)
    return _move(procurement, name, actor)


def leader_rule_check(*, procurement: Procurement, ministry: str) -> None:
    """The team's leader (domain.md §12): an MND person for direct-defence work, an MOEA
    person for industry work, either for indirect defence (decided case by case)."""
    leaders: dict[str, str] = {
        CaseUse.DIRECT_DEFENCE: Ministry.MND,
        CaseUse.INDUSTRY: Ministry.MOEA,
    }
    required = leaders.get(procurement.icp_use)
    if not procurement.icp_use:
        raise ValidationError(
            {"leader": _("Say what the ICP work is used for before choosing the leader.")}
        )
    if required is not None and ministry != required:
        raise ValidationError(
            {
                "leader": _("For %(use)s work the team is led by the %(ministry)s.")
                % {
                    "use": CaseUse(procurement.icp_use).label,
                    "ministry": Ministry(required).label,
                }
            }
        )


@service
def negotiation_member_add(
    *,
    procurement: Procurement,
    name: str,
    ministry: str,
    actor: User,
    unit: str = "",
    leader: bool = False,
) -> NegotiationMember:
    """Seat a member of the joint negotiation team (聯合談判團隊) from MND (its joint staff
    included) or MOEA; the leader follows the use rule of §12."""
    procurement = _lock(procurement)
    pipeline.check(procurement, "add_team_member", actor)
    if leader:
        leader_rule_check(procurement=procurement, ministry=ministry)
    member = NegotiationMember(
        procurement=procurement, name=name, ministry=ministry, unit=unit, leader=leader
    )
    member.full_clean()
    member.save()
    event_record(actor=actor, target=procurement, action="procurement.team", note=str(member))
    return member


@service
def negotiation_meeting_record(
    *, procurement: Procurement, held_on: date, counterpart: str, actor: User, notes: str = ""
) -> NegotiationMeeting:
    """Record a meeting of the negotiation team with the contractor (談判會議): it also
    counts in the office's activity log of the reports."""
    procurement = _lock(procurement)
    pipeline.check(procurement, "record_negotiation", actor)
    meeting = NegotiationMeeting(
        procurement=procurement,
        held_on=held_on,
        counterpart=counterpart,
        notes=notes,
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    event_record(
        actor=actor, target=procurement, action="procurement.negotiation", note=str(meeting)
    )
    return meeting


@service
def procurement_plan_item_add(
    *, procurement: Procurement, demand_item, mode: str, actor: User
) -> ProcurementPlanItem:
    """Choose a planned item from the published demand items (工合需求項目, §6)."""
    procurement = _lock(procurement)
    pipeline.check(procurement, "plan_item", actor)
    if demand_item.status != ItemStatus.PASSED or not demand_item.published:
        raise ValidationError({"demand_item": _("Only published demand items can be planned.")})
    row = ProcurementPlanItem(procurement=procurement, demand_item=demand_item, mode=mode)
    row.full_clean()
    row.save()
    event_record(
        actor=actor, target=procurement, action="procurement.plan_item", note=demand_item.title_zh
    )
    return row


def _set_loa(procurement: Procurement, loa_signed_on: date) -> None:
    procurement.loa_signed_on = loa_signed_on
    procurement.due_reminder_sent_on = None
    procurement.full_clean()
    procurement.save(update_fields=["loa_signed_on", "due_reminder_sent_on"])


@service
def procurement_record_loa(
    *, procurement: Procurement, loa_signed_on: date, actor: User
) -> Procurement:
    """Record the date the letter of offer and acceptance (發價書, LOA) was signed: the
    agreement is then due within 6 months of it."""
    procurement = _lock(procurement)
    pipeline.check(procurement, "record_loa", actor)
    _set_loa(procurement, loa_signed_on)
    event_record(
        actor=actor,
        target=procurement,
        action="procurement.update",
        note=f"LOA {loa_signed_on.isoformat()}",
    )
    return procurement


def procurement_sign(*, procurement: Procurement, agreement: Agreement, actor: User) -> None:
    """Part of ``agreement_create`` (inside its transaction, after its role check): the
    procurement is signed, and the specification's standards become the agreement's
    multiplier standards from the signing date and its planned items the agreement's plan."""
    procurement = _lock(procurement)
    pipeline.check(procurement, "sign", actor)
    for standard in procurement.spec_standards.all():
        MultiplierStandard.objects.create(
            agreement=agreement,
            mode=standard.mode,
            min_multiplier=standard.min_multiplier,
            max_multiplier=standard.max_multiplier,
            effective_from=agreement.signed_on,
        )
    for planned in procurement.planned_items.select_related("demand_item"):
        PlanItem.objects.create(
            agreement=agreement,
            mode=planned.mode,
            title=planned.demand_item.title_zh,
            demand_item=planned.demand_item,
        )
    _move(procurement, "sign", actor, note=agreement.number)


def check_signable(*, procurement: Procurement, actor: User) -> None:
    """Refuse an agreement on a procurement whose stage does not allow signing (409)."""
    pipeline.check(procurement, "sign", actor)


@service
def agreement_due_reminders_send(*, today: date, actor: User) -> int:
    """Remind the office, once, of each procurement whose agreement is due within
    AGREEMENT_DUE_REMINDER_DAYS days of its LOA + 6 months. Safe to run twice: a
    procurement is claimed by a conditional update before its notice is written."""
    sent = 0
    candidates = Procurement.objects.filter(
        stage__in=pipeline.TRANSITIONS["remind_due"].sources,
        loa_signed_on__isnull=False,
        due_reminder_sent_on__isnull=True,
    )
    for procurement in candidates:
        due = procurement.agreement_due_on
        if due is None or today < due - timedelta(days=AGREEMENT_DUE_REMINDER_DAYS):
            continue
        pipeline.check(procurement, "remind_due", actor)
        claimed = Procurement.objects.filter(
            pk=procurement.pk, due_reminder_sent_on__isnull=True
        ).update(due_reminder_sent_on=today)
        if not claimed:
            continue
        notifications.agreement_due(procurement, today=today)
        event_record(
            actor=actor,
            target=procurement,
            action="procurement.due_reminder",
            note=due.isoformat(),
        )
        sent += 1
    return sent
