"""Writes on demand items: rounds, filing by proposing units, panel scores, closing the
scoring (mean → classification), holding to the next round, publication."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from demand_items import notifications
from demand_items.choices import PANEL_MAJORITY, Classification, ItemStatus, RoundStatus, classify
from demand_items.models import CallRound, DemandItem, PanelScore
from organizations.choices import OrganizationKind
from organizations.models import User, is_office_staff
from organizations.selectors import user_membership
from organizations.services import event_record


def _proposer_of(actor):
    membership = user_membership(actor)
    if membership and membership.organization.kind == OrganizationKind.PROPOSING_UNIT:
        return membership.organization
    return None


@transaction.atomic
def round_open(*, year: int, quarter: int, opens_on: date, closes_on: date, actor: User):
    """Open a quarterly call round (徵求工合需求項目)."""
    call = CallRound(year=year, quarter=quarter, opens_on=opens_on, closes_on=closes_on)
    call.full_clean()
    call.save()
    event_record(actor=actor, target=call, action="round.open")
    notifications.round_opened(call)
    return call


def _quarter_round(year: int, quarter: int) -> CallRound:
    opens = date(year, 3 * quarter - 2, 5)
    found, _created = CallRound.objects.get_or_create(
        year=year,
        quarter=quarter,
        defaults={"opens_on": opens, "closes_on": opens + timedelta(days=20)},
    )
    return found


def next_round(call: CallRound) -> CallRound:
    """The following quarter's round, created (open, ~3 weeks of filing) if not yet there."""
    year, quarter = (call.year + 1, 1) if call.quarter == 4 else (call.year, call.quarter + 1)
    return _quarter_round(year, quarter)


def round_for_filing(call: CallRound, today: date) -> CallRound:
    """The round an item filed today goes to: its own while open, else the next one still
    taking items (never a round whose deadline has passed)."""
    current = (today.year, (today.month - 1) // 3 + 1)
    while today > call.closes_on or call.status != RoundStatus.OPEN:
        if (call.year, call.quarter) < current:
            call = _quarter_round(*current)  # jump over quarters long past
            current = (0, 0)
        else:
            call = next_round(call)
    return call


@transaction.atomic
def item_create(*, round: CallRound, actor: User, **fields) -> DemandItem:
    """A proposing unit drafts a demand item (staff may file for one)."""
    proposer = fields.pop("proposer", None) if is_office_staff(actor) else _proposer_of(actor)
    if proposer is None:
        raise ValidationError(
            _("Only proposing units file demand items; firms and schools file through one.")
        )
    item = DemandItem(round=round, proposer=proposer, created_by=actor, **fields)
    item.full_clean()
    item.save()
    event_record(actor=actor, target=item, action="demand_item.create", to_status=item.status)
    return item


@transaction.atomic
def item_submit(*, item: DemandItem, actor: User, today: date | None = None) -> DemandItem:
    """Submit a draft; filed after its round's deadline it goes to the next round."""
    item = DemandItem.objects.select_for_update().get(pk=item.pk)
    if not (is_office_staff(actor) or _proposer_of(actor) == item.proposer):
        raise ValidationError(_("Only the proposing unit submits its items."))
    if item.status != ItemStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    today = today or timezone.localdate()
    call = round_for_filing(item.round, today)
    item.round = call
    item.status = ItemStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.save(update_fields=["round", "status", "submitted_at"])
    event_record(
        actor=actor,
        target=item,
        action="demand_item.submit",
        from_status=ItemStatus.DRAFT,
        to_status=item.status,
        note=str(call),
    )
    return item


def _panel_member(item: DemandItem, actor):
    profile = getattr(actor, "reviewer_profile", None)
    if profile is None or not item.round.panels.filter(members=profile).exists():
        raise ValidationError(_("Only members of this round's panel score its items."))
    return profile


@transaction.atomic
def score_file(*, item: DemandItem, score: Decimal, actor: User, comment: str = "") -> PanelScore:
    """A panel member scores an item 0–100 (or revises the score) while scoring is open."""
    item = DemandItem.objects.select_related("round").get(pk=item.pk)
    profile = _panel_member(item, actor)
    if item.status != ItemStatus.SUBMITTED:
        raise ValidationError(_("Scoring of this item is closed."))
    if item.round.panels.filter(conflicts__reviewer=profile, conflicts__demand_item=item).exists():
        raise ValidationError(
            _("You declared a conflict of interest on this item and cannot score it.")
        )
    score = Decimal(score)
    if not Decimal("0") <= score <= Decimal("100"):
        raise ValidationError({"score": _("A score is between 0 and 100.")})
    row, _created = PanelScore.objects.update_or_create(
        item=item,
        round=item.round,
        reviewer=profile,
        defaults={"score": score, "comment": comment},
    )
    event_record(actor=actor, target=item, action="demand_item.score", note=str(score))
    return row


def mean_score(item: DemandItem) -> tuple[Decimal | None, int]:
    """The mean of the scores filed in the item's round (two decimals, half up), and how many."""
    row = PanelScore.objects.filter(item=item, round_id=item.round_id).aggregate(
        mean=Avg("score"), n=Count("id")
    )
    if not row["n"]:
        return None, 0
    return Decimal(row["mean"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), row["n"]


@transaction.atomic
def round_close_scoring(*, round: CallRound, actor: User) -> list[DemandItem]:
    """Close scoring: every item a majority of the panel has scored gets its mean and its
    band (≥ 80 priority, 60 to < 80 general, < 60 not included); the others stay open."""
    closed = []
    items = DemandItem.objects.select_for_update().filter(round=round, status=ItemStatus.SUBMITTED)
    for item in items:
        mean, count = mean_score(item)
        if count < PANEL_MAJORITY:
            continue
        item.panel_score = mean
        item.classification = classify(mean)
        item.status = ItemStatus.SCORED
        item.save(update_fields=["panel_score", "classification", "status"])
        event_record(
            actor=actor,
            target=item,
            action="demand_item.classify",
            from_status=ItemStatus.SUBMITTED,
            to_status=item.status,
            note=f"{mean} {item.classification}",
        )
        closed.append(item)
    return closed


@transaction.atomic
def item_hold(*, item: DemandItem, actor: User) -> DemandItem:
    """The panel holds an item (保留) to the next quarter's round, where it is scored again."""
    if not is_office_staff(actor):
        raise ValidationError(_("The office records the panel's decisions."))
    item = DemandItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in (ItemStatus.SUBMITTED, ItemStatus.SCORED):
        raise ValidationError(_("Only an item under the panel's review can be held."))
    before = item.round
    item.round = next_round(before)
    item.status = ItemStatus.SUBMITTED
    item.classification = Classification.HELD
    item.panel_score = None
    item.save(update_fields=["round", "status", "classification", "panel_score"])
    event_record(
        actor=actor, target=item, action="demand_item.hold", note=f"{before} → {item.round}"
    )
    return item


@transaction.atomic
def item_put_on_agenda(*, item: DemandItem, actor: User) -> DemandItem:
    """A priority or general item goes to the promotion committee's second review (複審)."""
    item = DemandItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.SCORED or item.classification not in (
        Classification.PRIORITY,
        Classification.GENERAL,
    ):
        raise ValidationError(_("Only priority and general items go to the second review."))
    item.status = ItemStatus.ON_AGENDA
    item.save(update_fields=["status"])
    event_record(
        actor=actor,
        target=item,
        action="demand_item.on_agenda",
        from_status=ItemStatus.SCORED,
        to_status=item.status,
    )
    return item


@transaction.atomic
def item_second_review(*, item: DemandItem, passed: bool, actor: User) -> DemandItem:
    """The promotion committee's second review (複審) of a priority or general item."""
    item = DemandItem.objects.select_for_update().get(pk=item.pk)
    if item.classification not in (Classification.PRIORITY, Classification.GENERAL):
        raise ValidationError(_("Only priority and general items go to the second review."))
    before = item.status
    item.status = ItemStatus.PASSED if passed else ItemStatus.NOT_PASSED
    item.save(update_fields=["status"])
    event_record(
        actor=actor,
        target=item,
        action="demand_item.second_review",
        from_status=before,
        to_status=item.status,
    )
    return item


@transaction.atomic
def item_publish(*, item: DemandItem, actor: User) -> DemandItem:
    """Publish a passed item on the public site (Chinese and English)."""
    if not is_office_staff(actor):
        raise ValidationError(_("Only the office publishes demand items."))
    item = DemandItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.PASSED:
        raise ValidationError(_("Only items the committee passed can be published."))
    item.published = True
    item.published_on = timezone.localdate()
    item.save(update_fields=["published", "published_on"])
    event_record(actor=actor, target=item, action="demand_item.publish")
    return item


@transaction.atomic
def item_update(*, item: DemandItem, actor: User, **fields) -> DemandItem:
    """Edit a draft (the proposing unit, or the office)."""
    item = DemandItem.objects.select_for_update().get(pk=item.pk)
    if not (is_office_staff(actor) or _proposer_of(actor) == item.proposer):
        raise ValidationError(_("Only the proposing unit edits its items."))
    if item.status != ItemStatus.DRAFT:
        raise ValidationError(_("Only a draft can be edited."))
    fields.pop("proposer", None)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    event_record(actor=actor, target=item, action="demand_item.update")
    return item
