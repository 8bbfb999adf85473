"""seed_demo: the four 2011 demand-item rounds with the counts of domain.md §6
(demo/data/demand_items.yaml), dated in 2011."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from committee.choices import MeetingKind
from committee.models import Meeting
from demand_items.choices import Classification, ItemStatus, RoundStatus
from demand_items.models import CallRound, DemandItem, PanelScore
from demo.loader import load
from organizations.models import AuditEvent

# quarter: (scored in the round, priority, general, held, not included) — domain.md §6
COUNTS_2011 = {
    1: (15, 2, 3, 2, 8),
    2: (35, 2, 13, 7, 13),
    3: (22, 4, 1, 0, 17),
    4: (14, 5, 0, 0, 9),
}


def _round_counts(call: CallRound) -> tuple[int, int, int, int, int]:
    """An item counts in the round it was scored in (its scores carry the round); it is
    classified in its last round, and held in a round when a hold moved it out of it."""
    scored = PanelScore.objects.filter(round=call).values("item").distinct().count()
    finals = DemandItem.objects.filter(round=call, panel_score__isnull=False)
    held = AuditEvent.objects.filter(
        action="demand_item.hold", note__startswith=f"{call} →"
    ).count()
    return (
        scored,
        finals.filter(classification=Classification.PRIORITY).count(),
        finals.filter(classification=Classification.GENERAL).count(),
        held,
        finals.filter(classification=Classification.EXCLUDED).count(),
    )


def _snapshot():
    return {
        "rounds": sorted(CallRound.objects.values_list("year", "quarter", "opens_on", "closes_on")),
        "items": sorted(
            DemandItem.objects.values_list(
                "title_zh", "round__quarter", "status", "classification", "panel_score", "published"
            )
        ),
        "scores": PanelScore.objects.count(),
        "panels": Meeting.objects.filter(kind=MeetingKind.DEMAND_PANEL).count(),
        "history": (DemandItem.history.count(), PanelScore.history.count()),
        "events": AuditEvent.objects.count(),
    }


@pytest.fixture
def seeded(demo_db):
    return demo_db


def test_the_2011_rounds_have_the_domain_counts(seeded):
    rounds = CallRound.objects.filter(year=2011).order_by("quarter")
    assert [r.quarter for r in rounds] == [1, 2, 3, 4]
    assert {r.status for r in rounds} == {RoundStatus.CLOSED}
    for call in rounds:
        assert _round_counts(call) == COUNTS_2011[call.quarter], call
        assert call.opens_on.day == 5 and call.closes_on.day == 25
        panel = Meeting.objects.get(kind=MeetingKind.DEMAND_PANEL, year=2011, number=call.quarter)
        assert panel.round == call and panel.members.count() == 7


def test_held_items_are_scored_again_in_the_next_round(seeded):
    held = AuditEvent.objects.filter(action="demand_item.hold")
    assert held.count() == 9
    for event in held:
        item = event.target
        before, after = event.note.split(" → ")
        rounds = set(PanelScore.objects.filter(item=item).values_list("round__quarter", flat=True))
        assert int(before[-1]) in rounds
        # All but one come back and are scored and classified in the next round.
        if item.status != ItemStatus.SUBMITTED:
            assert int(after[-1]) in rounds and str(item.round) == after
    # The 7th held in Q2 was left in Q3 unscored (see demo/data/demand_items.yaml).
    left = DemandItem.objects.get(status=ItemStatus.SUBMITTED)
    assert (str(left.round), left.classification) == ("2011 Q3", Classification.HELD)


def test_every_scored_item_was_scored_by_a_panel_majority(seeded):
    for item in DemandItem.objects.exclude(panel_score=None):
        assert PanelScore.objects.filter(item=item, round=item.round).count() >= 4


def test_only_passed_and_published_items_are_public(seeded):
    reviewed = DemandItem.objects.filter(
        classification__in=[Classification.PRIORITY, Classification.GENERAL]
    )
    assert reviewed.count() == 30
    assert reviewed.filter(status=ItemStatus.NOT_PASSED).count() == 1
    public = DemandItem.objects.public()
    assert public.count() == 29
    assert set(public) == set(DemandItem.objects.filter(status=ItemStatus.PASSED))
    assert not DemandItem.objects.filter(published=True).exclude(status=ItemStatus.PASSED)
    assert public.filter(defence=True).exists()
    assert set(public.values_list("source", flat=True)) >= {"A", "B"}


def test_a_second_seed_changes_nothing(seeded):
    before = _snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _snapshot() == before
    assert "Demand items: the 2011 rounds are already loaded." in out.getvalue()


def test_items_were_filed_and_published_in_2011(seeded):
    published_on = {
        spec["quarter"]: spec["published_on"] for spec in load("demand_items")["rounds"]
    }
    for item in DemandItem.objects.select_related("round"):
        filed = timezone.localtime(item.submitted_at).date()
        assert filed.year == 2011
    for item in DemandItem.objects.public():
        # Published when the minutes of the committee's second review were approved.
        filed_quarter = min(
            PanelScore.objects.filter(item=item).values_list("round__quarter", flat=True)
        )
        assert item.published_on.year == 2011
        assert item.published_on >= published_on[filed_quarter]
        assert item.published_on == published_on[item.round.quarter]
