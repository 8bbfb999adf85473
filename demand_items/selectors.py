"""Reads of demand items: the portal list (through ``visible_to``), the public catalogue,
an item's scores, the rounds with their counts, and the agreements that took an item up."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from demand_items.choices import Classification, ItemStatus, RoundStatus
from demand_items.filtersets import DemandItemFilterSet, PublicDemandItemFilterSet
from demand_items.models import CallRound, DemandItem, PanelScore
from demand_items.workflow import proposer_of
from organizations.models import is_office_staff

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


def item_scores(*, item: DemandItem, user) -> QuerySet[PanelScore]:
    """The scores filed on the item in its current round that this person may read: staff
    all (the office's working papers), a panel member their own, anybody else none."""
    queryset = (
        PanelScore.objects.filter(item=item, round_id=item.round_id)
        .select_related("reviewer__user")
        .order_by("scored_at", "id")
    )
    if is_office_staff(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(reviewer__user=user)


def own_score(*, item: DemandItem, user) -> PanelScore | None:
    """A panel member's own score on the item in its current round, or None (staff
    file no scores of their own)."""
    if is_office_staff(user):
        return None
    return item_scores(item=item, user=user).first()


def call_round_list(*, user) -> QuerySet[CallRound]:
    """Call rounds, for the people who work with them: the office (which opens and closes
    them), proposing units (which file into them) and reviewers (whose panels score
    them); anybody else is refused (403), on the pages and in the API alike."""
    if not (is_office_staff(user) or proposer_of(user) or hasattr(user, "reviewer_profile")):
        raise PermissionDenied(_("Call rounds are for the office, proposing units and reviewers."))
    return CallRound.objects.order_by("year", "quarter")


def is_panel_member(*, item: DemandItem, user) -> bool:
    """Whether the person sits on a panel of the item's round."""
    profile = getattr(user, "reviewer_profile", None)
    return profile is not None and item.round.panels.filter(members=profile).exists()


def open_rounds() -> QuerySet[CallRound]:
    """The call rounds (徵求工合需求項目) still open, oldest first."""
    return CallRound.objects.filter(status=RoundStatus.OPEN).order_by("year", "quarter")


def current_round() -> CallRound | None:
    """The open round whose filing period includes today, else the latest open one."""
    today = timezone.localdate()
    rounds = open_rounds()
    return (
        rounds.filter(opens_on__lte=today, closes_on__gte=today).first()
        or rounds.order_by("-year", "-quarter").first()
    )


def rounds_with_counts(*, user) -> QuerySet[CallRound]:
    """Every round the person may see with its filed, submitted, scored and
    per-classification counts."""
    items = "items"

    def count(condition=None):
        return Count(items, filter=condition) if condition is not None else Count(items)

    return (
        call_round_list(user=user)
        .order_by("-year", "-quarter")
        .annotate(
            filed=count(),
            submitted=count(~Q(items__status=ItemStatus.DRAFT)),
            open_for_scoring=count(Q(items__status=ItemStatus.SUBMITTED)),
            scored=count(Q(items__status__in=CLASSIFIED)),
            priority=count(Q(items__classification=Classification.PRIORITY)),
            general=count(Q(items__classification=Classification.GENERAL)),
            excluded=count(Q(items__classification=Classification.EXCLUDED)),
            held=count(Q(items__classification=Classification.HELD)),
        )
    )


def still_open(*, round: CallRound) -> int:
    """Items of the round still waiting for a majority of the panel."""
    return DemandItem.objects.filter(round=round, status=ItemStatus.SUBMITTED).count()


def taken_up_by(*, item: DemandItem) -> list:
    """The agreements' plan items (工業合作計畫書) that take the item up, with the cases
    carrying them out."""
    return list(
        item.plan_items.select_related("agreement")
        .prefetch_related("cases")
        .order_by("agreement_id", "id")
    )
