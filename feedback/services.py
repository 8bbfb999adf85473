"""Writes on feedback fees: bills issued from actual approvals, payments, waivers and
cancellations, overdue marking, and the recipients' eligibility block."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from feedback import notifications, selectors, workflow
from feedback.choices import (
    PAYMENT_DAYS,
    BillStatus,
    PenaltyStatus,
)
from feedback.models import Bill, ExchangeRate, FeeRate, Payment, Penalty, PenaltyPayment
from icp_portal.lib.services import service
from organizations.choices import AuditAction
from organizations.models import Organization, User
from organizations.policy import require_office
from organizations.services import event_record


def fee_amount(*, credits: Decimal, rate: Decimal, halved: bool, exchange_rate: Decimal) -> Decimal:
    """Fee = credits × rate (× ½ for a defence-industry recipient) × exchange rate, rounded
    half up to whole NT$ (domain.md §11)."""
    return selectors.fee_steps(
        credits=credits, rate=rate, halved=halved, exchange_rate=exchange_rate
    )["amount_twd"]


def recipient_block_refresh(*, recipient: Organization, actor: User, bill: Bill) -> bool:
    """A recipient is fee-blocked while it has an overdue bill (not paid, not waived). A
    change of the block is saved with its field history and an event naming the bill."""
    blocked = recipient.bills.filter(status=BillStatus.OVERDUE).exists()
    if recipient.fee_blocked != blocked:
        recipient = Organization.objects.select_for_update().get(pk=recipient.pk)
        recipient.fee_blocked = blocked
        recipient.save(update_fields=["fee_blocked"])
        event_record(
            actor=actor,
            target=recipient,
            action=AuditAction.FEE_BLOCK if blocked else AuditAction.FEE_UNBLOCK,
            note=bill.number,
        )
    return blocked


@service
def bills_issue_for_case(*, case, issued_on: date, actor: User, meeting=None) -> list[Bill]:
    """Issue one bill per profit-making recipient and activity of an actually approved case
    (called in the minutes' transaction). An activity is billed once, however often this
    runs; non-profit recipients pay nothing."""
    require_office(actor, system=True)
    bills = []
    currency = case.agreement.currency
    for activity in case.activities.select_related("recipient").order_by("id"):
        if not activity.actual_credits or not activity.recipient.profit_making:
            continue
        if Bill.objects.filter(activity=activity).exists():
            continue
        rate, exchange, halved = selectors.fee_terms(activity=activity, on=issued_on)
        bill = Bill(
            number=f"TMP-{activity.pk}",
            recipient=activity.recipient,
            case=case,
            activity=activity,
            mode=activity.mode,
            credits=activity.actual_credits,
            credit_currency=currency,
            rate=rate,
            defence_halved=halved,
            exchange_rate=exchange,
            amount_twd=fee_amount(
                credits=activity.actual_credits, rate=rate, halved=halved, exchange_rate=exchange
            ),
            issued_on=issued_on,
            due_on=issued_on + timedelta(days=PAYMENT_DAYS),
            meeting=meeting,
        )
        bill.full_clean()
        bill.save()
        bill.number = f"FB-{issued_on.year}-{bill.pk:05d}"
        bill.save(update_fields=["number"])
        event_record(
            actor=actor,
            target=bill,
            action="bill.issue",
            to_status=bill.status,
            note=f"{case.number} NT${bill.amount_twd}",
        )
        bills.append(bill)
    return bills


def _lock(bill: Bill, action: str, actor: User) -> Bill:
    bill = Bill.objects.select_for_update().select_related("recipient").get(pk=bill.pk)
    workflow.check(bill, action, actor)
    return bill


def _payment_apply(*, owed, payment, paid_status: str, action: str, actor: User) -> None:
    """Record ``payment`` on what is ``owed`` (a fee bill or a penalty, both in whole NT$):
    refused beyond what is still owed; paid when the payments reach the amount; an event."""
    amount = payment.amount_twd
    if amount > owed.outstanding_twd:
        raise ValidationError(
            {
                "amount_twd": _(
                    "NT$%(amount)s is more than the NT$%(owed)s still owed on %(number)s."
                )
                % {
                    "amount": f"{amount:,.0f}",
                    "owed": f"{owed.outstanding_twd:,.0f}",
                    "number": owed.number,
                }
            }
        )
    payment.full_clean()
    payment.save()
    before = owed.status
    owed.paid_amount_twd += amount
    if owed.paid_amount_twd == owed.amount_twd:
        owed.status = paid_status
    owed.save(update_fields=["paid_amount_twd", "status"])
    event_record(
        actor=actor,
        target=owed,
        action=action,
        from_status=before,
        to_status=owed.status,
        note=f"NT${amount} {payment.reference}".strip(),
    )


@service
def payment_record(
    *, bill: Bill, paid_on: date, amount_twd: Decimal, actor: User, reference: str = ""
) -> Payment:
    """Record a payment; the bill is paid when the payments reach its amount. A payment
    beyond what is still owed is refused."""
    bill = _lock(bill, "record_payment", actor)
    amount_twd = Decimal(amount_twd)
    if amount_twd != amount_twd.to_integral_value():
        raise ValidationError({"amount_twd": _("Payments are in whole NT$.")})
    amount_twd = amount_twd.quantize(Decimal("1"))
    payment = Payment(
        bill=bill, paid_on=paid_on, amount_twd=amount_twd, reference=reference, recorded_by=actor
    )
    _payment_apply(
        owed=bill,
        payment=payment,
        paid_status=BillStatus.PAID,
        action="bill.payment",
        actor=actor,
    )
    recipient_block_refresh(recipient=bill.recipient, actor=actor, bill=bill)
    return payment


def _close(bill: Bill, action: str, reason: str, actor: User) -> Bill:
    bill = _lock(bill, action, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    status = workflow.TRANSITIONS[action].target
    # Only waive and cancel come here; both rows of the table lead to a closed status.
    if status is None:
        raise ValueError(f"{action!r} does not close a bill.")
    before = bill.status
    bill.status = status
    bill.closing_reason = reason
    bill.save(update_fields=["status", "closing_reason"])
    event_record(
        actor=actor,
        target=bill,
        action=f"bill.{status}",
        from_status=before,
        to_status=status,
        note=reason,
    )
    recipient_block_refresh(recipient=bill.recipient, actor=actor, bill=bill)
    return bill


@service
def bill_waive(*, bill: Bill, reason: str, actor: User) -> Bill:
    """The committee waives a bill (e.g. consents to the recipient joining a case)."""
    return _close(bill, "waive", reason, actor)


@service
def bill_cancel(*, bill: Bill, reason: str, actor: User) -> Bill:
    """Cancel a bill issued in error."""
    return _close(bill, "cancel", reason, actor)


@service
def bills_mark_overdue(*, today: date, actor: User) -> int:
    """Mark issued bills past their due date overdue, block their recipients and e-mail
    them and the office. Claimed row by row (skip locked): safe to run twice or in two
    workers at once."""
    require_office(actor, system=True)
    bills = list(
        Bill.objects.select_for_update(skip_locked=True)
        .filter(status=BillStatus.ISSUED, due_on__lt=today)
        .select_related("recipient", "case")
    )
    for bill in bills:
        bill.status = BillStatus.OVERDUE
        bill.save(update_fields=["status"])
        event_record(
            actor=actor,
            target=bill,
            action="bill.overdue",
            from_status=BillStatus.ISSUED,
            to_status=BillStatus.OVERDUE,
        )
        recipient_block_refresh(recipient=bill.recipient, actor=actor, bill=bill)
        notifications.bill_overdue(bill)
    return len(bills)


@service
def fee_rate_set(*, mode: str, rate: Decimal, effective_from: date, actor: User) -> FeeRate:
    """The office sets a fee rate (回饋金費率) for a mode from a date on."""
    require_office(actor)
    row = FeeRate(mode=mode, rate=rate, effective_from=effective_from)
    row.full_clean()
    row.save()
    event_record(actor=actor, target=row, action="fee_rate.set")
    return row


@service
def exchange_rate_set(*, currency: str, rate_twd: Decimal, effective_on: date, actor: User):
    """The office enters the NT$ rate (匯率) of a point currency from a date on."""
    require_office(actor)
    row = ExchangeRate(currency=currency, rate_twd=rate_twd, effective_on=effective_on)
    row.full_clean()
    row.save()
    event_record(actor=actor, target=row, action="exchange_rate.set")
    return row


# --- Penalties (罰款, domain.md §13) --------------------------------------------------------


def _whole_twd(amount, field: str) -> Decimal:
    amount = Decimal(amount)
    if amount != amount.to_integral_value():
        raise ValidationError({field: _("Amounts are in whole NT$.")})
    return amount.quantize(Decimal("1"))


def penalty_amount_check(*, agreement, amount_twd) -> Decimal:
    """A penalty is a positive whole NT$ amount, not above the maximum the promotion
    committee set for the agreement (none set: no penalty can be decided). Returns it."""
    if amount_twd is None:
        raise ValidationError({"amount_twd": _("A penalty needs its amount in NT$.")})
    amount = _whole_twd(amount_twd, "amount_twd")
    if amount <= 0:
        raise ValidationError({"amount_twd": _("A penalty must be positive.")})
    cap = agreement.penalty_cap_twd
    if cap is None:
        raise ValidationError(
            {
                "amount_twd": _(
                    "The committee has not set a maximum penalty for agreement %(number)s: "
                    "set it first."
                )
                % {"number": agreement.number}
            }
        )
    if amount > cap:
        raise ValidationError(
            {
                "amount_twd": _(
                    "NT$%(amount)s is above the maximum penalty of NT$%(cap)s the committee "
                    "set for agreement %(number)s."
                )
                % {"amount": f"{amount:,.0f}", "cap": f"{cap:,.0f}", "number": agreement.number}
            },
            code="above_penalty_cap",
        )
    return amount


@service
def penalty_issue(
    *,
    agenda_item,
    amount_twd,
    issued_on: date,
    actor: User,
    reason: str = "",
    reason_en: str = "",
) -> Penalty:
    """Issue the penalty (罰款) a promotion-committee decision imposed on an agreement whose
    execution ended with credit outstanding (called in the minutes' transaction): due 30
    days after the minutes' approval, billed to the contractor, and never a ledger entry.
    A decision issues its penalty once, however often this runs."""
    require_office(actor, system=True)
    existing = Penalty.objects.filter(agenda_item=agenda_item).first()
    if existing is not None:
        return existing
    agreement = agenda_item.agreement
    amount = penalty_amount_check(agreement=agreement, amount_twd=amount_twd)
    penalty = Penalty(
        number=f"TMP-{agenda_item.pk}",
        agreement=agreement,
        meeting=agenda_item.meeting,
        agenda_item=agenda_item,
        amount_twd=amount,
        reason=reason,
        reason_en=reason_en,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=PAYMENT_DAYS),
    )
    penalty.full_clean()
    penalty.save()
    penalty.number = f"PN-{issued_on.year}-{penalty.pk:05d}"
    penalty.save(update_fields=["number"])
    event_record(
        actor=actor,
        target=penalty,
        action="penalty.issue",
        to_status=penalty.status,
        note=f"{agreement.number} NT${amount}",
    )
    notifications.penalty_issued(penalty)
    return penalty


def _lock_penalty(penalty: Penalty, action: str, actor: User) -> Penalty:
    penalty = (
        Penalty.objects.select_for_update()
        .select_related("agreement", "agreement__contractor")
        .get(pk=penalty.pk)
    )
    workflow.penalty_check(penalty, action, actor)
    return penalty


@service
def penalty_payment_record(
    *, penalty: Penalty, paid_on: date, amount_twd, actor: User, reference: str = ""
) -> PenaltyPayment:
    """Record a payment of a penalty; it is paid when the payments reach its amount. A
    payment beyond what is still owed is refused."""
    penalty = _lock_penalty(penalty, "record_payment", actor)
    amount = _whole_twd(amount_twd, "amount_twd")
    payment = PenaltyPayment(
        penalty=penalty, paid_on=paid_on, amount_twd=amount, reference=reference, recorded_by=actor
    )
    _payment_apply(
        owed=penalty,
        payment=payment,
        paid_status=PenaltyStatus.PAID,
        action="penalty.payment",
        actor=actor,
    )
    return payment


@service
def penalty_waive(*, penalty: Penalty, reason: str, actor: User) -> Penalty:
    """The committee waives a penalty (or the office withdraws one issued in error)."""
    penalty = _lock_penalty(penalty, "waive", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    before = penalty.status
    penalty.status = PenaltyStatus.WAIVED
    penalty.closing_reason = reason
    penalty.save(update_fields=["status", "closing_reason"])
    event_record(
        actor=actor,
        target=penalty,
        action="penalty.waived",
        from_status=before,
        to_status=penalty.status,
        note=reason,
    )
    return penalty


@service
def penalties_mark_overdue(*, today: date, actor: User) -> int:
    """Mark issued penalties past their due date overdue and tell the contractor and the
    office. Claimed row by row (skip locked): safe to run twice or in two workers."""
    require_office(actor, system=True)
    penalties = list(
        Penalty.objects.select_for_update(skip_locked=True)
        .filter(status=PenaltyStatus.ISSUED, due_on__lt=today)
        .select_related("agreement")
    )
    for penalty in penalties:
        penalty.status = PenaltyStatus.OVERDUE
        penalty.save(update_fields=["status"])
        event_record(
            actor=actor,
            target=penalty,
            action="penalty.overdue",
            from_status=PenaltyStatus.ISSUED,
            to_status=PenaltyStatus.OVERDUE,
        )
        notifications.penalty_overdue(penalty)
    return len(penalties)
