"""Writes on agreements and the credit ledger. Every posting goes through here.

The ledger is append-only: services only ever insert entries. A service that could make
``available`` negative locks the agreement row first (``SELECT … FOR UPDATE``), computes
the balance inside the lock and refuses with the available figure, so racing requests
are serialised by the database.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import guarantees as guarantee_policy
from agreements import notifications, pipeline_services, selectors
from agreements.choices import (
    GUARANTEE_REMINDER_DAYS,
    LEGACY_BANK_CUTOFF,
    AgreementStatus,
    EntryKind,
    GuaranteeStatus,
)
from agreements.models import (
    Agreement,
    Briefing,
    CreditBank,
    CreditEntry,
    Guarantee,
    GuaranteeReminder,
    MultiplierStandard,
    PlanItem,
    Procurement,
    briefing_deadline,
)
from demand_items.choices import ItemStatus
from icp_portal.lib.errors import Conflict
from icp_portal.lib.models import not_in_future_field
from icp_portal.lib.services import service
from organizations.models import User
from organizations.policy import require_office
from organizations.services import event_record

# Kinds whose entries lower `available` when positive (and raise it when reversed).
_LOWERS_AVAILABLE = {EntryKind.RESERVE, EntryKind.ACTUAL, EntryKind.BANK_DRAW}


def _points(value) -> str:
    return f"{Decimal(value):,.2f}"


def _lock(agreement: Agreement) -> Agreement:
    """Lock the agreement row for the rest of the transaction and return it fresh."""
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _post(
    *,
    agreement: Agreement,
    kind: str,
    amount: Decimal,
    effective_on: date,
    actor: User,
    use: str = "",
    note: str = "",
    note_en: str = "",
    reverses: CreditEntry | None = None,
    case=None,
    meeting=None,
) -> CreditEntry:
    # Both texts at creation: an entry is never edited afterwards.
    entry = CreditEntry(
        case=case,
        meeting=meeting,
        agreement=agreement,
        kind=kind,
        applies_to=reverses.applies_to if reverses else kind,
        amount=Decimal(amount),
        currency=agreement.currency,
        use=use,
        effective_on=effective_on,
        reverses=reverses,
        note=note,
        note_en=note_en,
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    return entry


def _require_available(agreement: Agreement, needed: Decimal, what: str) -> None:
    """Refuse when ``needed`` points do not fit in the agreement's available credit (today
    and at every later effective date, i.e. over all entries)."""
    balance = selectors.agreement_balance(agreement=agreement, as_of=date.max)
    if needed > balance.available:
        raise ValidationError(
            _(
                "%(what)s of %(needed)s %(currency)s does not fit: agreement %(number)s has "
                "%(available)s %(currency)s available."
            )
            % {
                "what": what,
                "needed": _points(needed),
                "currency": agreement.currency,
                "number": agreement.number,
                "available": _points(balance.available),
            },
            code="insufficient_credit",
        )


def require_legacy_agreement(*, agreement: Agreement, what: str) -> None:
    """Refuse bank mechanisms on agreements signed on or after the 2012-01-01 cut-off."""
    if agreement.signed_on >= LEGACY_BANK_CUTOFF:
        raise ValidationError(
            _(
                "%(what)s is refused: agreement %(number)s was signed on %(signed)s, and the "
                "credit bank (pre-store, retention) was abolished for agreements signed on or "
                "after %(cutoff)s."
            )
            % {
                "what": what,
                "number": agreement.number,
                "signed": agreement.signed_on.isoformat(),
                "cutoff": LEGACY_BANK_CUTOFF.isoformat(),
            },
            code="legacy_bank_cutoff",
        )


@service
def procurement_create(*, actor: User, **fields) -> Procurement:
    """Record a procurement (購案) from abroad."""
    require_office(actor)
    procurement = Procurement(**fields)
    procurement.full_clean()
    procurement.save()
    event_record(actor=actor, target=procurement, action="procurement.create")
    return procurement


@service
def procurement_update(*, procurement: Procurement, actor: User, **fields) -> Procurement:
    """Correct a procurement's record."""
    require_office(actor)
    for name, value in fields.items():
        setattr(procurement, name, value)
    procurement.full_clean()
    procurement.save()
    event_record(actor=actor, target=procurement, action="procurement.update")
    return procurement


@service
def agreement_create(*, actor: User, **fields) -> Agreement:
    """Record a signed agreement (簽訂協議書) and post its obligation entry on the signing date.
    Its procurement is signed: the specification's multiplier standards and planned items
    become the agreement's (a procurement without ICP, or still being specified or
    negotiated, takes no agreement: 409)."""
    require_office(actor)
    procurement = fields.get("procurement")
    if isinstance(procurement, Procurement):
        pipeline_services.check_signable(procurement=procurement, actor=actor)
    agreement = Agreement(**fields)
    if agreement.signed_on:
        agreement.briefing_due_on = briefing_deadline(agreement.signed_on)
    agreement.full_clean()
    agreement.save()
    _post(
        agreement=agreement,
        kind=EntryKind.OBLIGATION,
        amount=agreement.obligation,
        effective_on=agreement.signed_on,
        actor=actor,
    )
    pipeline_services.procurement_sign(
        procurement=agreement.procurement, agreement=agreement, actor=actor
    )
    event_record(actor=actor, target=agreement, action="agreement.sign")
    return agreement


# Fields of an agreement that an amendment may change without touching the ledger.
AMENDABLE_FIELDS = (
    "number",
    "execution_ends_on",
    "defence_ratio_min",
    "status",
    "penalty_cap_twd",
)


@service
def agreement_update(*, agreement: Agreement, actor: User, **fields) -> Agreement:
    """Change an agreement's terms (the obligation: ``agreement_amend_obligation``)."""
    require_office(actor)
    unknown = set(fields) - set(AMENDABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed after signing: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    agreement = _lock(agreement)
    before = agreement.status
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    if before == AgreementStatus.IN_EXECUTION and agreement.status != before:
        # Closing the agreement on its terms releases its guarantees (domain.md §13).
        _release_held(agreement, timezone.localdate(), actor)
    event_record(
        actor=actor,
        target=agreement,
        action="agreement.update",
        from_status=before,
        to_status=agreement.status,
        note=", ".join(sorted(fields)),
    )
    return agreement


@service
def agreement_amend_obligation(
    *,
    agreement: Agreement,
    obligation: Decimal,
    effective_on: date,
    reason: str,
    actor: User,
    reason_en: str = "",
) -> CreditEntry:
    """Amend the obligation (協議書修約): post the difference as an obligation entry, its
    note the reason (and the reason's English version, if written).

    Lowering it below what is already discharged or reserved is refused."""
    require_office(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the obligation changes.")})
    # The agreement shows the obligation in force: an amendment takes effect by today, so
    # the agreement and its balance (as of today) always agree.
    not_in_future_field("effective_on", effective_on)
    agreement = _lock(agreement)
    obligation = Decimal(obligation)
    difference = obligation - agreement.obligation
    if difference == 0:
        raise ValidationError({"obligation": _("The obligation is unchanged.")})
    if difference < 0:
        _require_available(agreement, -difference, _("Lowering the obligation"))
    agreement.obligation = obligation
    agreement.full_clean()
    agreement.save(update_fields=["obligation"])
    entry = _post(
        agreement=agreement,
        kind=EntryKind.OBLIGATION,
        amount=difference,
        effective_on=effective_on,
        actor=actor,
        note=reason,
        note_en=reason_en,
    )
    event_record(actor=actor, target=agreement, action="agreement.amend_obligation", note=reason)
    return entry


@service
def credit_reserve(
    *,
    agreement: Agreement,
    amount: Decimal,
    effective_on: date,
    use: str,
    actor: User,
    note: str = "",
    note_en: str = "",
    case=None,
    meeting=None,
) -> CreditEntry:
    """Reserve credit for a pre-approved case (預核保留). Locks the agreement and refuses a
    reserve that would make ``available`` negative, naming the available figure."""
    require_office(actor, system=True)
    agreement = _lock(agreement)
    _require_available(agreement, Decimal(amount), _("A reserve"))
    return _post(
        agreement=agreement,
        kind=EntryKind.RESERVE,
        amount=amount,
        effective_on=effective_on,
        use=use,
        actor=actor,
        note=note,
        note_en=note_en,
        case=case,
        meeting=meeting,
    )


@service
def credit_release(
    *,
    agreement: Agreement,
    amount: Decimal,
    effective_on: date,
    use: str,
    actor: User,
    note="",
    note_en="",
    case=None,
    meeting=None,
) -> CreditEntry:
    """Release (part of) a reserve: the case was withdrawn, closed short or actually approved."""
    require_office(actor, system=True)
    agreement = _lock(agreement)
    reserved = selectors.agreement_balance(agreement=agreement, as_of=date.max).reserved
    if Decimal(amount) > reserved:
        raise ValidationError(
            _("Cannot release %(amount)s: only %(reserved)s %(currency)s is reserved.")
            % {
                "amount": _points(amount),
                "reserved": _points(reserved),
                "currency": agreement.currency,
            }
        )
    return _post(
        agreement=agreement,
        kind=EntryKind.RELEASE,
        amount=amount,
        effective_on=effective_on,
        use=use,
        actor=actor,
        note=note,
        note_en=note_en,
        case=case,
        meeting=meeting,
    )


@service
def credit_post_actual(
    *,
    agreement: Agreement,
    amount: Decimal,
    effective_on: date,
    use: str,
    actor: User,
    note="",
    note_en="",
    case=None,
    meeting=None,
) -> CreditEntry:
    """Post actually approved credit (實核額度), which discharges the obligation."""
    require_office(actor, system=True)
    agreement = _lock(agreement)
    return _post(
        agreement=agreement,
        kind=EntryKind.ACTUAL,
        amount=amount,
        effective_on=effective_on,
        use=use,
        actor=actor,
        note=note,
        note_en=note_en,
        case=case,
        meeting=meeting,
    )


def _lock_bank(agreement: Agreement) -> CreditBank:
    bank, _created = CreditBank.objects.select_for_update().get_or_create(
        contractor_id=agreement.contractor_id,
        currency=agreement.currency,
        defaults={"opening_as_of": timezone.localdate()},
    )
    return bank


@service
def credit_retain(
    *,
    agreement: Agreement,
    amount: Decimal,
    effective_on: date,
    actor: User,
    note: str = "",
    note_en: str = "",
    case=None,
    meeting=None,
) -> CreditEntry:
    """Close with credit retention (結案暨額度留存): move surplus actual credit from a legacy
    agreement into the contractor's bank. Refused for agreements signed from 2012 on."""
    require_office(actor, system=True)
    require_legacy_agreement(agreement=agreement, what=_("Credit retention"))
    agreement = _lock(agreement)
    _lock_bank(agreement)
    balance = selectors.agreement_balance(agreement=agreement, as_of=date.max)
    surplus = balance.discharged - balance.obligation
    if Decimal(amount) > surplus:
        raise ValidationError(
            _(
                "Only surplus credit can be retained: agreement %(number)s has %(surplus)s "
                "%(currency)s of surplus."
            )
            % {
                "number": agreement.number,
                "surplus": _points(max(surplus, 0)),
                "currency": agreement.currency,
            }
        )
    return _post(
        agreement=agreement,
        kind=EntryKind.RETENTION,
        amount=amount,
        effective_on=effective_on,
        actor=actor,
        # The retained surplus leaves the discharged credit with its case's use, so the
        # defence share (defence use ÷ used credit) stays within 0–100%.
        use=case.use if case is not None else "",
        note=note,
        note_en=note_en,
        case=case,
        meeting=meeting,
    )


@service
def credit_bank_draw(
    *,
    agreement: Agreement,
    amount: Decimal,
    effective_on: date,
    actor: User,
    note: str = "",
    note_en: str = "",
) -> CreditEntry:
    """Apply banked credit (預存/留存額度) to a legacy agreement, discharging its obligation.
    Refused for agreements signed from 2012 on, and beyond the bank's balance."""
    require_office(actor)
    require_legacy_agreement(agreement=agreement, what=_("A bank draw"))
    agreement = _lock(agreement)
    bank = _lock_bank(agreement)
    available_in_bank = selectors.bank_balance(bank=bank)
    if Decimal(amount) > available_in_bank:
        raise ValidationError(
            _("The bank of %(contractor)s holds only %(balance)s %(currency)s.")
            % {
                "contractor": agreement.contractor.name,
                "balance": _points(available_in_bank),
                "currency": agreement.currency,
            }
        )
    _require_available(agreement, Decimal(amount), _("A bank draw"))
    return _post(
        agreement=agreement,
        kind=EntryKind.BANK_DRAW,
        amount=amount,
        effective_on=effective_on,
        actor=actor,
        note=note,
        note_en=note_en,
    )


@service
def credit_entry_reverse(
    *, entry: CreditEntry, reason: str, actor: User, effective_on=None, reason_en: str = ""
):
    """Correct a mistake: post a reversal that cancels ``entry`` (never edit or delete it);
    its note is the reason (and the reason's English version, if written)."""
    require_office(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is reversed.")})
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed; post the entry again."))
    if CreditEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    agreement = _lock(entry.agreement)
    if entry.applies_to == EntryKind.RETENTION:
        # The retained credit leaves the bank again: it must still be there.
        bank = _lock_bank(agreement)
        if entry.amount > selectors.bank_balance(bank=bank):
            raise ValidationError(_("The retained credit has already been drawn from the bank."))
    elif entry.applies_to not in _LOWERS_AVAILABLE:
        # Cancelling an obligation or a release lowers `available`: the reserve rule holds.
        _require_available(agreement, entry.amount, _("This reversal"))
    if entry.kind == EntryKind.OBLIGATION:
        agreement.obligation -= entry.amount
        agreement.full_clean()
        agreement.save(update_fields=["obligation"])
    reversal = _post(
        agreement=agreement,
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        effective_on=effective_on or entry.effective_on,
        use=entry.use,
        actor=actor,
        note=reason,
        note_en=reason_en,
        reverses=entry,
    )
    event_record(actor=actor, target=agreement, action="ledger.reverse", note=reason)
    return reversal


@service
def multiplier_standard_set(
    *, agreement: Agreement, mode: str, min_multiplier, max_multiplier, effective_from, actor: User
) -> MultiplierStandard:
    """Set the multiplier range of a mode from a date on (decided cases keep theirs)."""
    require_office(actor)
    standard = MultiplierStandard(
        agreement=agreement,
        mode=mode,
        min_multiplier=min_multiplier,
        max_multiplier=max_multiplier,
        effective_from=effective_from,
    )
    standard.full_clean()
    standard.save()
    event_record(actor=actor, target=agreement, action="multiplier.set", note=str(standard))
    return standard


@service
def plan_item_add(
    *, agreement: Agreement, mode: str, title: str, actor: User, demand_item=None
) -> PlanItem:
    """Add a planned item to the agreement's ICP plan (工業合作計畫書), optionally taking up
    a demand item of the database."""
    require_office(actor)
    if demand_item is not None and demand_item.status != ItemStatus.PASSED:
        raise ValidationError(
            {"demand_item": _("Only demand items the committee passed are in the database.")}
        )
    item = PlanItem(agreement=agreement, mode=mode, title=title, demand_item=demand_item)
    item.full_clean()
    item.save()
    event_record(actor=actor, target=agreement, action="plan_item.add", note=title)
    return item


@service
def briefing_record(*, agreement: Agreement, held_on: date, title: str, actor: User) -> Briefing:
    """Record a public briefing (招商說明會) held for the agreement."""
    require_office(actor)
    briefing = Briefing(agreement=agreement, held_on=held_on, title=title)
    briefing.full_clean()
    if held_on < agreement.signed_on:
        raise ValidationError(
            {"held_on": _("A briefing cannot be before the agreement's signing.")}
        )
    briefing.save()
    event_record(actor=actor, target=agreement, action="briefing.record", note=title)
    return briefing


@service
def credit_bank_open(
    *, contractor, currency: str, opening_balance, opening_as_of: date, actor: User, note=""
) -> CreditBank:
    """Carry over a contractor's legacy bank (pre-stored or retained credit before 2012)."""
    require_office(actor)
    if opening_as_of >= LEGACY_BANK_CUTOFF and Decimal(opening_balance) > 0:
        raise ValidationError(
            {
                "opening_as_of": _("Banked credit can only come from before %(cutoff)s.")
                % {"cutoff": LEGACY_BANK_CUTOFF.isoformat()}
            }
        )
    bank = CreditBank(
        contractor=contractor,
        currency=currency,
        opening_balance=opening_balance,
        opening_as_of=opening_as_of,
        note=note,
    )
    bank.full_clean()
    bank.save()
    event_record(actor=actor, target=contractor, action="credit_bank.open", note=currency)
    return bank


# --- Guarantees, closure, extension and the maximum penalty (domain.md §13) ---------------


@service
def guarantee_add(
    *,
    agreement: Agreement,
    kind: str,
    issuer: str,
    amount,
    currency: str,
    valid_from: date,
    valid_until: date,
    actor: User,
    note: str = "",
) -> Guarantee:
    """The office records a performance bond (履約保證金) or letter of guarantee (保證函)
    the contractor lodged for an agreement in execution; it is held from then on."""
    agreement = _lock(agreement)
    guarantee_policy.AGREEMENT.check(agreement, "add_guarantee", actor)
    guarantee = Guarantee(
        agreement=agreement,
        kind=kind,
        issuer=issuer,
        amount=amount,
        currency=currency,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note,
    )
    guarantee.full_clean()
    guarantee.save()
    event_record(
        actor=actor,
        target=agreement,
        action="guarantee.add",
        to_status=guarantee.status,
        note=f"{guarantee.get_kind_display()} {issuer} {guarantee.amount} {currency}",
    )
    return guarantee


def _lock_guarantee(guarantee: Guarantee, action: str, actor: User) -> Guarantee:
    guarantee = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    guarantee_policy.check(guarantee, action, actor)
    return guarantee


def _release(guarantee: Guarantee, released_on: date, actor: User, note: str = "") -> None:
    guarantee.status = GuaranteeStatus.RELEASED
    guarantee.released_on = released_on
    guarantee.full_clean()
    guarantee.save(update_fields=["status", "released_on"])
    event_record(
        actor=actor,
        target=guarantee.agreement,
        action="guarantee.release",
        from_status=GuaranteeStatus.HELD,
        to_status=GuaranteeStatus.RELEASED,
        note=f"{guarantee.issuer} {note}".strip(),
    )


def _release_held(agreement: Agreement, released_on: date, actor: User) -> int:
    """Release every guarantee the agreement still holds (its closure)."""
    held = agreement.guarantees.select_for_update().filter(status=GuaranteeStatus.HELD)
    count = 0
    for guarantee in held.order_by("id"):
        _release(guarantee, released_on, actor, note=agreement.number)
        count += 1
    return count


@service
def guarantee_release(
    *, guarantee: Guarantee, actor: User, released_on: date | None = None
) -> Guarantee:
    """Release (發還) a held guarantee to the contractor. Closing the agreement releases
    every guarantee still held; this is for one released earlier (e.g. replaced)."""
    guarantee = _lock_guarantee(guarantee, "release", actor)
    _release(guarantee, released_on or timezone.localdate(), actor)
    return guarantee


@service
def guarantee_call(
    *,
    guarantee: Guarantee,
    meeting,
    actor: User,
    called_on: date | None = None,
    note: str = "",
) -> Guarantee:
    """Call (沒入) a held guarantee as the promotion committee decided at ``meeting``: the
    call is recorded with the meeting, never without one."""
    guarantee = _lock_guarantee(guarantee, "call", actor)
    if meeting is None:
        raise ValidationError({"meeting": _("Name the meeting that decided the call.")})
    called_on = called_on or timezone.localdate()
    if called_on < meeting.held_on:
        raise ValidationError(
            {"called_on": _("A guarantee is called on or after the meeting that decided it.")}
        )
    guarantee.status = GuaranteeStatus.CALLED
    guarantee.called_on = called_on
    guarantee.called_by_meeting = meeting
    if note:
        guarantee.note = note
    guarantee.full_clean()
    guarantee.save(update_fields=["status", "called_on", "called_by_meeting", "note"])
    event_record(
        actor=actor,
        target=guarantee.agreement,
        action="guarantee.call",
        from_status=GuaranteeStatus.HELD,
        to_status=GuaranteeStatus.CALLED,
        note=f"{guarantee.issuer} #{meeting.pk}",
    )
    return guarantee


@service
def agreement_close(
    *,
    agreement: Agreement,
    actor: User,
    closed_on: date | None = None,
    status: str = AgreementStatus.COMPLETED,
) -> Agreement:
    """The office closes an agreement (結案): completed (the obligation discharged or the
    committee's decision carried out) or terminated. Every guarantee still held is
    released on the closing day, in the same transaction (domain.md §13)."""
    agreement = _lock(agreement)
    guarantee_policy.AGREEMENT.check(agreement, "close", actor)
    if status not in (AgreementStatus.COMPLETED, AgreementStatus.TERMINATED):
        raise ValidationError({"status": _("An agreement closes as completed or terminated.")})
    closed_on = closed_on or timezone.localdate()
    before = agreement.status
    agreement.status = status
    agreement.save(update_fields=["status"])
    _release_held(agreement, closed_on, actor)
    event_record(
        actor=actor,
        target=agreement,
        action="agreement.close",
        from_status=before,
        to_status=status,
        note=closed_on.isoformat(),
    )
    return agreement


@service
def agreement_extend_execution(
    *, agreement: Agreement, new_ends_on: date, actor: User, meeting=None, note: str = ""
) -> Agreement:
    """Extend the agreement's execution period (展延履約期限), as the promotion committee
    decided on a shortfall: the new end must be later than the current one."""
    require_office(actor)
    agreement = _lock(agreement)
    if agreement.status != AgreementStatus.IN_EXECUTION:
        raise Conflict(
            _("Agreement %(number)s is closed: its execution period cannot be extended.")
            % {"number": agreement.number},
            status=agreement.status,
        )
    if new_ends_on <= agreement.execution_ends_on:
        raise ValidationError(
            {
                "new_ends_on": _(
                    "The new end %(new)s must be after the current end of execution %(old)s."
                )
                % {"new": new_ends_on.isoformat(), "old": agreement.execution_ends_on.isoformat()}
            }
        )
    before = agreement.execution_ends_on
    agreement.execution_ends_on = new_ends_on
    agreement.full_clean()
    agreement.save(update_fields=["execution_ends_on"])
    where = f" #{meeting.pk}" if meeting is not None else ""
    event_record(
        actor=actor,
        target=agreement,
        action="agreement.extend",
        note=f"{before.isoformat()} → {new_ends_on.isoformat()}{where} {note}".strip(),
    )
    return agreement


@service
def agreement_set_penalty_cap(*, agreement: Agreement, penalty_cap_twd, actor: User) -> Agreement:
    """Record the maximum penalty (罰款上限, NT$) the promotion committee set for the
    agreement; a penalty decided above it is refused."""
    agreement = _lock(agreement)
    guarantee_policy.AGREEMENT.check(agreement, "set_penalty_cap", actor)
    cap = Decimal(penalty_cap_twd)
    if cap != cap.to_integral_value():
        raise ValidationError({"penalty_cap_twd": _("The maximum penalty is in whole NT$.")})
    agreement.penalty_cap_twd = cap.quantize(Decimal("1"))
    agreement.full_clean()
    agreement.save(update_fields=["penalty_cap_twd"])
    event_record(
        actor=actor,
        target=agreement,
        action="agreement.penalty_cap",
        note=f"NT${agreement.penalty_cap_twd:,.0f}",
    )
    return agreement


@service
def guarantees_remind(*, today: date, actor: User) -> int:
    """Daily: tell the office of each held guarantee expiring within 60 days while its
    agreement's obligation is still open (in execution, credit outstanding) — once per
    guarantee and expiry date, however often the job runs. Returns how many were sent."""
    require_office(actor, system=True)
    expiring = list(
        Guarantee.objects.filter(
            status=GuaranteeStatus.HELD,
            agreement__status=AgreementStatus.IN_EXECUTION,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=GUARANTEE_REMINDER_DAYS),
        )
        .exclude(reminders__valid_until=F("valid_until"))
        .select_related("agreement", "agreement__contractor")
        .order_by("valid_until", "id")
    )
    agreements = {g.agreement_id: g.agreement for g in expiring}
    balances = selectors.balances_of(
        agreements=[{"id": a.pk, "currency": a.currency} for a in agreements.values()],
        as_of=today,
    )
    sent = 0
    for guarantee in expiring:
        if balances[guarantee.agreement_id].outstanding <= 0:
            continue
        _reminder, created = GuaranteeReminder.objects.get_or_create(
            guarantee=guarantee, valid_until=guarantee.valid_until
        )
        if not created:  # another run at the same time sent it
            continue
        notifications.guarantee_expiring(guarantee, today=today)
        event_record(
            actor=actor,
            target=guarantee.agreement,
            action="guarantee.reminder",
            note=f"{guarantee.issuer} {guarantee.valid_until.isoformat()}",
        )
        sent += 1
    return sent
