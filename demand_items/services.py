"""Writes on demand items: rounds, filing by proposing units, panel scores, closing the
scoring (mean → classification), holding to the next round, publication."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from demand_items import notifications, workflow
from demand_items.choices import PANEL_MAJORITY, Classification, ItemStatus, RoundStatus, classify
from demand_items.models import CallRound, DemandItem, PanelScore
from icp_portal.lib.errors import Conflict
from icp_portal.lib.services import service
from organizations.models import User, is_office_staff
from organizations.policy import require_office
from organizations.services import event_record


@service
def round_open(*, year: int, quarter: int, opens_on: date, closes_on: date, actor: User):
    """Open a quarterly call round (徵求工合需求項目)."""
    require_office(actor)
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


def next_round(*, call: CallRound) -> CallRound:
    """The following quarter's round, created (open, ~3 weeks of filing) if not yet there."""
    year, quarter = (call.year + 1, 1) if call.quarter == 4 else (call.year, call.quarter + 1)
    return _quarter_round(year, quarter)


def round_for_filing(*, call: CallRound, today: date) -> CallRound:
    """The round an item filed today goes to: its own while open, else the next one still
    taking items (never a round whose deadline has passed)."""
    current = (today.year, (today.month - 1) // 3 + 1)
    while today > call.closes_on or call.status != RoundStatus.OPEN:
        if (call.year, call.quarter) < current:
            call = _quarter_round(*current)  # jump over quarters long past
            current = (0, 0)
        else:
            call = next_round(call=call)
    return call


@service
def item_create(*, round: CallRound, actor: User, **fields) -> DemandItem:
    """A proposing unit drafts a demand item (staff may file for one)."""
    if is_office_staff(actor):
        proposer = fields.pop("proposer", None)
        if proposer is None:
            raise ValidationError({"proposer": _("Name the proposing unit the item is filed for.")})
    else:
        fields.pop("proposer", None)
        proposer = workflow.proposer_of(actor)
        if proposer is None:
            raise PermissionDenied(
                _("Only proposing units file demand items; firms and schools file through one.")
            )
    item = DemandItem(round=round, proposer=proposer, created_by=actor, **fields)
    item.full_clean()
    item.save()
    event_record(actor=actor, target=item, action="demand_item.create", to_status=item.status)
    return item


@service
def item_submit(
    *,
    item: DemandItem,
    actor: User,
    today: date | None = None,
    submitted_at: datetime | None = None,
) -> DemandItem:
    """Submit a draft; filed after its round's deadline it goes to the next round.
    ``today`` picks the round, ``submitted_at`` is the time recorded (defaults: now)."""
    item = _lock(item)
    workflow.check(item, "submit", actor)
    today = today or timezone.localdate()
    call = round_for_filing(call=item.round, today=today)
    item.round = call
    item.status = ItemStatus.SUBMITTED
    item.submitted_at = submitted_at or timezone.now()
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


def _lock(item: DemandItem) -> DemandItem:
    return DemandItem.objects.select_for_update().select_related("round").get(pk=item.pk)


@service
def score_file(*, item: DemandItem, score: Decimal, actor: User, comment: str = "") -> PanelScore:
    """A panel member scores an item 0–100 (or revises the score) while scoring is open."""
    item = _lock(item)
    workflow.check(item, "score", actor)
    profile = actor.reviewer_profile
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


def mean_score(*, item: DemandItem) -> tuple[Decimal | None, int]:
    """The mean of the scores filed in the item's round (two decimals, half up), and how many."""
    row = PanelScore.objects.filter(item=item, round_id=item.round_id).aggregate(
        mean=Avg("score"), n=Count("id")
    )
    if not row["n"]:
        return None, 0
    return Decimal(row["mean"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), row["n"]


@service
def round_close_scoring(
    *, round: CallRound, actor: User, close_round: bool = False
) -> list[DemandItem]:
    """Close scoring: every item a majority of the panel has scored gets its mean and its
    band (≥ 80 priority, 60 to < 80 general, < 60 not included); the others stay open.
    ``close_round`` closes the round even if some items are left unscored (they stay
    submitted: the panel will not score them)."""
    round = CallRound.objects.select_for_update().get(pk=round.pk)
    workflow.ROUND_WORKFLOW.check(round, "close_scoring", actor)
    closed = []
    items = DemandItem.objects.select_for_update().filter(round=round, status=ItemStatus.SUBMITTED)
    for item in items:
        mean, count = mean_score(item=item)
        if mean is None or count < PANEL_MAJORITY:
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
    if close_round:
        # The office ends the round: it takes no more items (they go to the next round)
        # and its scoring cannot be closed again (409).
        round.status = RoundStatus.CLOSED
        round.save(update_fields=["status"])
        event_record(
            actor=actor,
            target=round,
            action="round.close",
            from_status=RoundStatus.OPEN,
            to_status=round.status,
        )
    return closed


@service
def item_hold(*, item: DemandItem, actor: User) -> DemandItem:
    """The panel holds an item (保留) to the next quarter's round, where it is scored again."""
    item = _lock(item)
    workflow.check(item, "hold", actor)
    before = item.round
    item.round = next_round(call=before)
    item.status = ItemStatus.SUBMITTED
    item.classification = Classification.HELD
    item.panel_score = None
    item.save(update_fields=["round", "status", "classification", "panel_score"])
    event_record(
        actor=actor, target=item, action="demand_item.hold", note=f"{before} → {item.round}"
    )
    return item


@service
def item_put_on_agenda(*, item: DemandItem, actor: User) -> DemandItem:
    """A priority or general item goes to the promotion committee's second review (複審)."""
    item = _lock(item)
    workflow.check(item, "put_on_agenda", actor)
    if item.classification not in workflow.SECOND_REVIEW_BANDS:
        raise Conflict(
            _("Only priority and general items go to the second review."), status=item.status
        )
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


@service
def item_second_review(*, item: DemandItem, passed: bool, actor: User) -> DemandItem:
    """The promotion committee's second review (複審) of a priority or general item."""
    item = _lock(item)
    workflow.check(item, "second_review", actor, as_committee=True)
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


@service
def item_publish(*, item: DemandItem, actor: User, published_on: date | None = None) -> DemandItem:
    """Publish a passed item on the public site (Chinese and English), as of
    ``published_on`` (default today)."""
    item = _lock(item)
    workflow.check(item, "publish", actor)
    if item.published:
        raise Conflict(_("This item is already published."), status=item.status)
    item.published = True
    item.published_on = published_on or timezone.localdate()
    item.save(update_fields=["published", "published_on"])
    event_record(actor=actor, target=item, action="demand_item.publish")
    return item


@service
def item_update(*, item: DemandItem, actor: User, **fields) -> DemandItem:
    """Edit a draft (the proposing unit, or the office)."""
    item = _lock(item)
    workflow.check(item, "edit", actor)
    fields.pop("proposer", None)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    event_record(actor=actor, target=item, action="demand_item.update")
    return item
