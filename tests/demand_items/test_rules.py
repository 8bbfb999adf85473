"""Demand-item rules (domain.md §6, §11): filing, deadlines, panel scoring by majority,
the classification bands, holding to the next round, publication. (Groundwork of the
demand-items issue: pages, the public catalogue, the committee's second review and the
demo data come next.)"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from committee import services as committee_services
from committee.models import ConflictDeclaration
from demand_items import services
from demand_items.choices import Classification, ItemStatus, classify
from demand_items.models import DemandItem
from icp_portal.lib.errors import Conflict
from organizations.choices import ReviewerKind
from tests.factories import ReviewerProfileFactory

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "mean,band",
    [
        ("80.00", "priority"),
        ("79.99", "general"),
        ("60.00", "general"),
        ("59.99", "excluded"),
        ("100.00", "priority"),
        ("0.00", "excluded"),
    ],
)
def test_the_band_boundaries_are_exact(mean, band):
    assert classify(D(mean)) == band


@pytest.fixture
def q1(office_user):
    return services.round_open(
        year=2011,
        quarter=1,
        opens_on=date(2011, 1, 5),
        closes_on=date(2011, 1, 25),
        actor=office_user,
    )


@pytest.fixture
def panel(q1, office_user):
    kinds = [
        ReviewerKind.OFFICIAL,
        ReviewerKind.OFFICIAL,
        ReviewerKind.RESEARCH,
        ReviewerKind.RESEARCH,
        ReviewerKind.RESEARCH,
        ReviewerKind.SCHOLAR,
        ReviewerKind.SCHOLAR,
    ]
    members = [ReviewerProfileFactory(kind=kind) for kind in kinds]
    members[0].official_of, members[1].official_of = "idb", "doit"
    for member in members[:2]:
        member.save()
    committee_services.meeting_create(
        kind="demand_panel",
        year=2011,
        number=1,
        held_on=date(2011, 2, 10),
        members=members,
        round=q1,
        actor=office_user,
    )
    return members


def _item(q1, proposer_user, **extra):
    fields = {
        "title_zh": "無人機複材結構技術",
        "title_en": "UAV composite structures",
        "field": "aerospace",
        "source": "B",
        "description": "引進複材結構設計與製造技術",
        "total_need": D("1000000"),
        "icp_share": D("600000"),
    }
    fields.update(extra)
    return services.item_create(round=q1, actor=proposer_user, **fields)


def _scored(item, members, scores):
    for member, score in zip(members, scores, strict=False):
        services.score_file(item=item, score=D(score), actor=member.user)


@pytest.mark.parametrize(
    "scores,mean,band",
    [
        (["80", "80", "80", "80"], "80.00", "priority"),
        (["80", "80", "80", "79.96"], "79.99", "general"),
        (["60", "60", "60", "60"], "60.00", "general"),
        (["60", "60", "60", "59.96"], "59.99", "excluded"),
        (["70", "71", "71", "71", "71", "71"], "70.83", "general"),  # 70.8333… half up
    ],
)
def test_closing_scoring_classifies_the_mean_of_a_majority(
    q1, panel, proposer_user, office_user, scores, mean, band
):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    _scored(item, panel, scores)
    closed = services.round_close_scoring(round=q1, actor=office_user)
    item.refresh_from_db()
    assert closed == [item]
    assert (item.panel_score, item.classification, item.status) == (D(mean), band, "scored")


def test_an_item_fewer_than_a_majority_scored_stays_open(q1, panel, proposer_user, office_user):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    _scored(item, panel, ["90", "90", "90"])
    assert services.round_close_scoring(round=q1, actor=office_user) == []
    item.refresh_from_db()
    assert item.status == "submitted" and item.panel_score is None


def test_held_items_reappear_in_the_next_round_to_be_scored_again(
    q1, panel, proposer_user, office_user
):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    _scored(item, panel, ["75", "75", "75", "75"])
    services.item_hold(item=item, actor=office_user)
    item.refresh_from_db()
    assert (str(item.round), item.status, item.classification) == ("2011 Q2", "submitted", "held")
    # Q1's panel does not score the Q2 round; its old scores do not count there.
    with pytest.raises(PermissionDenied):  # not a member of the Q2 round's panel
        services.score_file(item=item, score=D("90"), actor=panel[0].user)
    assert services.mean_score(item=item) == (None, 0)


def test_an_item_filed_after_the_deadline_goes_to_the_next_round(q1, proposer_user):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 26))
    item.refresh_from_db()
    assert (item.round.year, item.round.quarter) == (2011, 2)


def test_a_conflicted_member_cannot_score_and_a_non_member_neither(
    q1, panel, proposer_user, office_user
):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    ConflictDeclaration.objects.create(
        meeting=q1.panels.get(), reviewer=panel[2], demand_item=item, reason="本院為提案之合作單位"
    )
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.score_file(item=item, score=D("80"), actor=panel[2].user)
    outsider = ReviewerProfileFactory(kind=ReviewerKind.SCHOLAR)
    with pytest.raises(PermissionDenied):
        services.score_file(item=item, score=D("80"), actor=outsider.user)
    with pytest.raises(ValidationError):
        services.score_file(item=item, score=D("101"), actor=panel[0].user)


def test_only_proposing_units_file_and_each_sees_only_its_own_drafts(
    q1, proposer_user, contractor_a_member, office_user
):
    with pytest.raises(PermissionDenied, match="Only proposing units"):
        _item(q1, contractor_a_member)
    mine = _item(q1, proposer_user)
    from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

    other_unit = UserFactory(username="other-unit")
    MembershipFactory(
        user=other_unit, organization=OrganizationFactory(kind="proposing_unit", country="TW")
    )
    theirs = _item(q1, other_unit, title_zh="生技平台", title_en="Biotech platform")
    assert set(DemandItem.objects.visible_to(proposer_user)) == {mine}
    assert set(DemandItem.objects.visible_to(other_unit)) == {theirs}
    assert set(DemandItem.objects.visible_to(office_user)) == {mine, theirs}


def test_the_public_list_never_holds_unpublished_items(q1, panel, proposer_user, office_user):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    _scored(item, panel, ["85", "85", "85", "85"])
    services.round_close_scoring(round=q1, actor=office_user)
    assert not DemandItem.objects.public().exists()
    with pytest.raises(Conflict, match="publish"):
        services.item_publish(item=item, actor=office_user)
    services.item_put_on_agenda(item=item, actor=office_user)
    services.item_second_review(item=item, passed=True, actor=office_user)
    assert not DemandItem.objects.public().exists()  # passed, not yet published
    services.item_publish(item=item, actor=office_user)
    assert list(DemandItem.objects.public()) == [item]
    item.refresh_from_db()
    assert item.status == ItemStatus.PASSED and item.classification == Classification.PRIORITY


def test_the_committee_passes_an_item_in_its_minutes_through_the_api(
    q1, panel, proposer_user, office_user, api_client
):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    _scored(item, panel, ["70", "70", "70", "70"])
    services.round_close_scoring(round=q1, actor=office_user)
    api_client.force_authenticate(office_user)
    meeting = api_client.post(
        "/api/v1/meetings/",
        {"kind": "promotion_committee", "year": 2011, "number": 1, "held_on": "2011-03-17"},
        format="json",
    ).json()
    added = api_client.post(
        f"/api/v1/meetings/{meeting['id']}/agenda/",
        {"kind": "demand_item_review", "demand_item": item.pk},
        format="json",
    )
    assert added.status_code == 201, added.json()
    decided = api_client.post(
        f"/api/v1/meetings/{meeting['id']}/decisions/",
        {"agenda_item": added.json()["id"], "outcome": "passed"},
        format="json",
    )
    assert decided.status_code == 201, decided.json()
    assert (
        api_client.post(
            f"/api/v1/meetings/{meeting['id']}/approve-minutes/", {}, format="json"
        ).status_code
        == 200
    )
    item.refresh_from_db()
    assert item.status == "passed"


def test_the_api_files_scores_classifies_and_the_public_api_lists_only_published(
    q1, panel, proposer_user, office_user, api_client, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    # A round taking items today (filing late would move the item to a later round).
    today = timezone.localdate()
    q1 = services.round_open(
        year=today.year + 1,
        quarter=1,
        opens_on=today,
        closes_on=today + timedelta(days=20),
        actor=office_user,
    )
    committee_services.meeting_create(
        kind="demand_panel",
        year=today.year + 1,
        number=9,
        held_on=today,
        members=panel,
        round=q1,
        actor=office_user,
    )
    api_client.force_authenticate(proposer_user)
    body = {
        "round": q1.pk,
        "title_zh": "先進複材",
        "title_en": "Advanced composites",
        "field": "aerospace",
        "source": "A",
        "description": "需求",
        "total_need": "1000",
        "icp_share": "500",
    }
    created = api_client.post("/api/v1/demand-items/", body, format="json")
    assert created.status_code == 201, created.json()
    item_id = created.json()["id"]
    assert (
        api_client.post(f"/api/v1/demand-items/{item_id}/submit/").json()["status"] == "submitted"
    )
    for member in panel[:4]:
        api_client.force_authenticate(member.user)
        scored = api_client.post(
            f"/api/v1/demand-items/{item_id}/scores/",
            {"score": "85", "comment": "佳"},
            format="json",
        )
        assert scored.status_code == 201, scored.json()
    api_client.force_authenticate(office_user)
    closed = api_client.post(f"/api/v1/call-rounds/{q1.pk}/close-scoring/").json()
    assert [(c["id"], c["panel_score"], c["classification"]) for c in closed] == [
        (item_id, "85.00", "priority")
    ]
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/public/demand-items/").json()["count"] == 0
    assert api_client.get(f"/api/v1/public/demand-items/{item_id}/").status_code == 404
    services.item_put_on_agenda(item=DemandItem.objects.get(pk=item_id), actor=office_user)
    services.item_second_review(
        item=DemandItem.objects.get(pk=item_id), passed=True, actor=office_user
    )
    api_client.force_authenticate(office_user)
    assert api_client.post(f"/api/v1/demand-items/{item_id}/publish/").json()["published"] is True
    api_client.force_authenticate(None)
    public = api_client.get("/api/v1/public/demand-items/").json()["results"]
    assert [(p["title_zh"], p["title_en"]) for p in public] == [("先進複材", "Advanced composites")]
    assert "panel_score" not in public[0] and "icp_share" not in public[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(
            year=2011,
            quarter=3,
            opens_on=date(2011, 7, 5),
            closes_on=date(2011, 7, 25),
            actor=office_user,
        )
    assert proposer_user.email in {m.to[0] for m in mail.outbox}


def test_an_item_filed_years_late_goes_to_the_round_taking_items_now(q1, proposer_user):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2013, 5, 1))
    item.refresh_from_db()
    assert (item.round.year, item.round.quarter) == (2013, 3)  # 2013 Q2 closed on 04-25


def test_a_panel_seats_exactly_idb_doit_three_research_two_scholars(q1, office_user):
    kinds = [
        ReviewerKind.OFFICIAL,
        ReviewerKind.OFFICIAL,
        ReviewerKind.RESEARCH,
        ReviewerKind.RESEARCH,
        ReviewerKind.SCHOLAR,
        ReviewerKind.SCHOLAR,
        ReviewerKind.SCHOLAR,
    ]
    members = [ReviewerProfileFactory(kind=kind) for kind in kinds]
    members[0].official_of, members[1].official_of = "idb", "doit"
    for member in members[:2]:
        member.save()
    with pytest.raises(ValidationError, match="seats 7"):
        committee_services.meeting_create(
            kind="demand_panel",
            year=2011,
            number=5,
            held_on=date(2011, 2, 1),
            members=members,
            round=q1,
            actor=office_user,
        )
    members[6] = ReviewerProfileFactory(kind=ReviewerKind.RESEARCH)
    committee_services.meeting_create(
        kind="demand_panel",
        year=2011,
        number=5,
        held_on=date(2011, 2, 1),
        members=members,
        round=q1,
        actor=office_user,
    )


def test_a_member_declares_a_conflict_through_the_api_and_then_cannot_score(
    q1, panel, proposer_user, office_user, api_client
):
    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    meeting = q1.panels.get()
    api_client.force_authenticate(panel[3].user)
    declared = api_client.post(
        f"/api/v1/meetings/{meeting.pk}/conflicts/",
        {"demand_item": item.pk, "reason": "本單位參與提案"},
        format="json",
    )
    assert declared.status_code == 201, declared.json()
    refused = api_client.post(
        f"/api/v1/demand-items/{item.pk}/scores/",
        {"score": "90"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400 and "conflict of interest" in str(refused.json())


def test_only_a_draft_is_edited_by_its_proposing_unit(q1, proposer_user, office_user, api_client):
    item = _item(q1, proposer_user)
    api_client.force_authenticate(proposer_user)
    edited = api_client.patch(
        f"/api/v1/demand-items/{item.pk}/", {"title_en": "UAV composites"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["title_en"] == "UAV composites"
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    late = api_client.patch(f"/api/v1/demand-items/{item.pk}/", {"title_en": "x"}, format="json")
    assert late.status_code == 409 and late.json()["status"] == "submitted"


def test_the_item_page_shows_the_agreements_and_cases_that_took_it_up(
    q1, panel, proposer_user, office_user, client, contractor_a, contractor_a_member
):
    from django.urls import reverse

    from agreements import services as agreement_services
    from cases import services as case_services
    from tests.factories import OrganizationFactory, make_agreement

    item = _item(q1, proposer_user)
    services.item_submit(item=item, actor=proposer_user, today=date(2011, 1, 20))
    _scored(item, panel, ["85", "85", "85", "85"])
    services.round_close_scoring(round=q1, actor=office_user)
    item.refresh_from_db()
    agreement = make_agreement(contractor=contractor_a, actor=office_user)
    with pytest.raises(ValidationError):  # not yet in the database
        agreement_services.plan_item_add(
            agreement=agreement,
            mode="technology_transfer",
            title="複材",
            demand_item=item,
            actor=office_user,
        )
    services.item_put_on_agenda(item=item, actor=office_user)
    services.item_second_review(item=item, passed=True, actor=office_user)
    item.refresh_from_db()
    plan_item = agreement_services.plan_item_add(
        agreement=agreement,
        mode="technology_transfer",
        title="複材結構技術移轉",
        demand_item=item,
        actor=office_user,
    )
    case = case_services.case_create(
        agreement=agreement,
        actor=contractor_a_member,
        title_zh="複材",
        title_en="Composites",
        use="industry",
        field="aerospace",
        starts_on=date(2011, 4, 1),
        ends_on=date(2012, 3, 31),
        plan_item=plan_item,
        activities=[
            {
                "mode": "technology_transfer",
                "recipient": OrganizationFactory(kind="domestic_recipient", country="TW"),
                "value": D("10.00"),
                "requested_multiplier": D("15.00"),
            }
        ],
    )
    client.force_login(office_user)
    page = client.get(reverse("demand_item_detail", args=[item.pk])).content.decode()
    assert agreement.number in page and "複材結構技術移轉" in page and case.number in page
