"""Reads of demand items: the portal list (through ``visible_to``), the public catalogue,
an item's scores, the rounds with their counts, and the agreements that took an item up."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from demand_items.choices import Classification, ItemStatus, RoundStatus
from demand_items.filtersets import DemandItemFilterSet, PublicDemandItemFilterSet
from demand_items.models import CallRound, DemandItem, PanelScore

# Statuses after the panel has classified the item.
CLASSIFIED = (ItemStatus.SCORED, ItemStatus.ON_AGENDA, ItemStatus.PASSED, ItemStatus.NOT_PASSED)


def item_list(*, user, filters: dict | None = None) -> QuerySet[DemandItem]:
    """The items the person may see, filtered, newest round first."""
    queryset = (
        DemandItem.objects.visible_to(user)
        .select_related("round", "proposer")
        .order_by("-round__year", "-round__quarter", "-id")
    )
    if filters:
        queryset = DemandItemFilterSet(filters, queryset=queryset).qs
    return queryset


def public_list(*, filters: dict | None = None) -> QuerySet[DemandItem]:
    """The public catalogue: passed and published items only."""
    queryset = (
        DemandItem.objects.public().select_related("proposer").order_by("-published_on", "-id")
    )
    if filters:
        queryset = PublicDemandItemFilterSet(filters, queryset=queryset).qs
    return queryset


def item_scores(item: DemandItem) -> QuerySet[PanelScore]:
    """The scores filed on the item in its current round (staff's working papers)."""
    return (
        PanelScore.objects.filter(item=item, round_id=item.round_id)
        .select_related("reviewer__user")
        .order_by("scored_at", "id")
    )


def own_score(item: DemandItem, user) -> PanelScore | None:
    profile = getattr(user, "reviewer_profile", None)
    if profile is None:
        return None
    return PanelScore.objects.filter(item=item, round_id=item.round_id, reviewer=profile).first()


def is_panel_member(item: DemandItem, user) -> bool:
    """Whether the person sits on a panel of the item's round."""
    profile = getattr(user, "reviewer_profile", None)
    return profile is not None and item.round.panels.filter(members=profile).exists()


def open_rounds() -> QuerySet[CallRound]:
    return CallRound.objects.filter(status=RoundStatus.OPEN).order_by("year", "quarter")


def current_round() -> CallRound | None:
    """The open round whose filing period includes today, else the latest open one."""
    today = timezone.localdate()
    rounds = open_rounds()
    return (
        rounds.filter(opens_on__lte=today, closes_on__gte=today).first()
        or rounds.order_by("-year", "-quarter").first()
    )


def rounds_with_counts() -> QuerySet[CallRound]:
    """Every round with its filed, submitted, scored and per-classification counts."""
    items = "items"

    def count(condition=None):
        return Count(items, filter=condition) if condition is not None else Count(items)

    return CallRound.objects.order_by("-year", "-quarter").annotate(
        filed=count(),
        submitted=count(~Q(items__status=ItemStatus.DRAFT)),
        open_for_scoring=count(Q(items__status=ItemStatus.SUBMITTED)),
        scored=count(Q(items__status__in=CLASSIFIED)),
        priority=count(Q(items__classification=Classification.PRIORITY)),
        general=count(Q(items__classification=Classification.GENERAL)),
        excluded=count(Q(items__classification=Classification.EXCLUDED)),
        held=count(Q(items__classification=Classification.HELD)),
    )


def still_open(round: CallRound) -> int:
    """Items of the round still waiting for a majority of the panel."""
    return DemandItem.objects.filter(round=round, status=ItemStatus.SUBMITTED).count()


def taken_up_by(item: DemandItem) -> list:
    """The agreements' plan items that take the item up, with the cases carrying them out."""
    return list(
        item.plan_items.select_related("agreement")
        .prefetch_related("cases")
        .order_by("agreement_id", "id")
    )
