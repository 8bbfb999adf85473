"""The four 2011 demand-item rounds (``demand_items.yaml``) played through the services:
the call, filing, the initial-review panel's scores, holds, closing the scoring, the
promotion committee's second review and publication, each on its 2011 date.

Idempotent: nothing is written when the 2011 Q1 round exists.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from committee import services as committee_services
from committee.choices import MeetingKind
from demand_items import services
from demand_items.choices import Classification
from demand_items.models import CallRound, DemandItem
from demo import loader
from demo.loader import at, load, party
from organizations.models import Organization, ReviewerProfile, User

# The proposing unit whose demo user (``proposer``) files its own items; the office files
# for the others.
OWN_FILER = "aerospace_promotion_office"


def _target(letter: str, n: int) -> Decimal:
    """The intended panel mean of an outcome (the n-th item of the seed)."""
    if letter == "P":
        return Decimal(81 + n % 9) + Decimal("0.25") * (n % 4)
    if letter == "G":
        return Decimal(62 + (n * 3) % 16) + Decimal("0.5") * (n % 2)
    if letter == "H":
        return Decimal(66 + n % 10)
    return Decimal(38 + (n * 7) % 19) + Decimal("0.2") * (n % 3)


def _proposers(items: list[dict]) -> dict[str, Organization]:
    return {spec["unit"]: party(spec["unit"]) for spec in items}


def _file(spec: dict, n: int, call: CallRound, office: User, proposer_user: User, units):
    outcome = spec["outcome"]
    benefit = load("demand_items")["benefit"].get(outcome[-1], {})
    total = (n % 7 + 2) * 15_000_000
    fields = {
        "title_zh": spec["title_zh"],
        "title_en": spec["title_en"],
        "field": spec["field"],
        "source": spec["source"],
        "defence": spec["defence"],
        "description": f"{spec['title_zh']}。{spec['title_en']}.",
        "technology_wanted": f"{spec['title_en']}: design data, process know-how and test methods.",
        "expected_benefit": dict(benefit),
        "firms": "國內相關廠商與學研單位",
        "total_need": Decimal(total),
        "icp_share": Decimal(total * (n % 3 + 4) // 10),
    }
    if spec["unit"] == OWN_FILER:
        actor = proposer_user  # the proposing unit's demo user files its own items
        item = services.item_create(round=call, actor=actor, **fields)
    else:
        actor = office  # the office files for the other proposing units
        item = services.item_create(round=call, actor=actor, proposer=units[spec["unit"]], **fields)
    filed_on = call.opens_on + timedelta(days=n % 20)
    return services.item_submit(item=item, actor=actor, today=filed_on, submitted_at=at(filed_on))


def _score(item: DemandItem, letter: str, n: int, reviewers: list[User]) -> None:
    offsets = load("demand_items")["offsets"][4 + n % 4]
    target = _target(letter, n)
    start = n % len(reviewers)
    for i, offset in enumerate(offsets):
        reviewer = reviewers[(start + i) % len(reviewers)]
        services.score_file(
            item=item, score=target + offset, actor=reviewer, comment="2011 initial review"
        )


def seed() -> list[str]:
    """Play the four 2011 rounds (once); returns lines for seed_demo to print."""
    data = load("demand_items")
    year = data["year"]
    if CallRound.objects.filter(year=year, quarter=1).exists():
        return ["Demand items: the 2011 rounds are already loaded."]
    office = loader.office()
    proposer_user = User.objects.get(username="proposer")
    reviewers = [User.objects.get(username=name) for name in data["panel"]]
    profiles = [ReviewerProfile.objects.get(user=user) for user in reviewers]
    units = _proposers(data["items"])
    lines = []
    rounds = {
        spec["quarter"]: (
            spec,
            services.round_open(
                year=year,
                quarter=spec["quarter"],
                opens_on=spec["opens_on"],
                closes_on=spec["closes_on"],
                actor=office,
            ),
        )
        for spec in data["rounds"]
    }
    # item pk -> (outcome letters, the quarter it was filed in)
    plans: dict[int, tuple[str, int]] = {}
    n = 0
    for quarter, (spec, call) in rounds.items():
        for item_spec in data["items"]:
            if item_spec["quarter"] == quarter:
                n += 1
                item = _file(item_spec, n, call, office, proposer_user, units)
                plans[item.pk] = (item_spec["outcome"], quarter)
        panel = committee_services.meeting_create(
            kind=MeetingKind.DEMAND_PANEL,
            year=year,
            number=quarter,
            held_on=spec["panel_held_on"],
            title=f"{year}年第{quarter}季工合需求項目初審會議",
            title_en=f"Demand-item panel, {year} Q{quarter}",
            members=profiles,
            round=call,
            actor=office,
        )
        held = 0
        for item in DemandItem.objects.filter(round=call).order_by("pk"):
            outcome, filed = plans[item.pk]
            letter = outcome[quarter - filed]
            n += 1
            if letter != "-":
                _score(item, letter, n, reviewers)
            if letter == "H":
                services.item_hold(item=item, actor=office)
                held += 1
        # 2011 is over: the round closes, even with an item the panel left unscored.
        services.round_close_scoring(round=call, actor=office, close_round=True)
        committee_services.meeting_mark_held(meeting=panel, actor=office)
        counts = dict.fromkeys(Classification.values, 0)
        for item in DemandItem.objects.filter(round=call, panel_score__isnull=False):
            counts[item.classification] += 1
            if item.classification in (Classification.PRIORITY, Classification.GENERAL):
                passed = item.title_zh != data["not_passed"]
                services.item_put_on_agenda(item=item, actor=office)
                services.item_second_review(item=item, passed=passed, actor=office)
                if passed:
                    services.item_publish(
                        item=item, actor=office, published_on=spec["published_on"]
                    )
        lines.append(
            f"  {call}: {sum(counts.values()) + held} scored → "
            f"{counts[Classification.PRIORITY]} priority, "
            f"{counts[Classification.GENERAL]} general, {held} held, "
            f"{counts[Classification.EXCLUDED]} not included"
        )
    public = DemandItem.objects.public().count()
    return [
        f"Demand items: 4 rounds of {year}, {DemandItem.objects.count()} items, "
        f"{public} passed and published:",
        *lines,
    ]
