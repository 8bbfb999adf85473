"""Pages of demand items: filing and submitting, scoring on the page, the round
dashboard, publication and the public catalogue in both languages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committee import services as committee_services
from demand_items import services
from demand_items.choices import Classification, ItemStatus
from demand_items.models import CallRound, DemandItem, PanelScore
from organizations.choices import OrganizationKind, ReviewerKind
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    demand_panel_members,
)

D = Decimal
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PANEL_KINDS = [
    ReviewerKind.OFFICIAL,
    ReviewerKind.OFFICIAL,
    ReviewerKind.RESEARCH,
    ReviewerKind.RESEARCH,
    ReviewerKind.RESEARCH,
    ReviewerKind.SCHOLAR,
    ReviewerKind.SCHOLAR,
]


@pytest.fixture
def call(office_user):
    """A round open today, so submitting keeps the item in it."""
    today = timezone.localdate()
    return services.round_open(
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=15),
        actor=office_user,
    )


@pytest.fixture
def panel(call, office_user):
    members = demand_panel_members()
    committee_services.meeting_create(
        kind="demand_panel",
        year=call.year,
        number=1,
        held_on=call.closes_on + timedelta(days=10),
        members=members,
        round=call,
        actor=office_user,
    )
    return members


def _item(call, proposer_user, **extra) -> DemandItem:
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
    return services.item_create(round=call, actor=proposer_user, **fields)


def _submitted(call, proposer_user, **extra) -> DemandItem:
    item = _item(call, proposer_user, **extra)
    return services.item_submit(item=item, actor=proposer_user)


def _scored(item, members, scores):
    for member, score in zip(members, scores, strict=False):
        services.score_file(item=item, score=D(score), actor=member.user)


def _passed(item, panel, office_user) -> DemandItem:
    _scored(item, panel, ["85", "85", "85", "85"])
    services.round_close_scoring(round=item.round, actor=office_user)
    item.refresh_from_db()
    services.item_put_on_agenda(item=item, actor=office_user)
    return services.item_second_review(item=item, passed=True, actor=office_user)


def test_the_proposer_files_and_submits_through_the_pages(client, call, proposer_user):
    client.force_login(proposer_user)
    page = client.get(reverse("demand_item_create"), **EN)
    assert page.status_code == 200
    assert f'value="{call.pk}" selected' in page.content.decode()
    response = client.post(
        reverse("demand_item_create"),
        {
            "round": call.pk,
            "title_zh": "高速列車轉向架技術",
            "title_en": "High-speed train bogie technology",
            "field": "rail",
            "source": "A",
            "description": "國產轉向架設計",
            "technology_wanted": "Bogie design and testing",
            "benefit_technology_transfer": "轉移轉向架設計技術",
            "benefit_training": "工程師訓練",
            "firms": "台灣車輛",
            "total_need": "5000000",
            "icp_share": "3000000",
        },
        **EN,
    )
    item = DemandItem.objects.get(title_en="High-speed train bogie technology")
    assert response.status_code == 302
    assert response["Location"] == reverse("demand_item_detail", args=[item.pk])
    assert item.status == ItemStatus.DRAFT
    assert item.round == call
    assert item.expected_benefit == {
        "technology_transfer": "轉移轉向架設計技術",
        "training": "工程師訓練",
    }
    page = client.get(response["Location"], **EN)
    assert b'data-testid="action-submit"' in page.content
    assert "轉移轉向架設計技術" in page.content.decode()

    response = client.post(reverse("demand_item_submit", args=[item.pk]), **EN)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
    page = client.get(reverse("demand_item_detail", args=[item.pk]), **EN)
    assert b'data-testid="action-submit"' not in page.content
    assert b"Submitted" in page.content  # the timeline
    listing = client.get(reverse("demand_item_list"), **EN)
    assert "高速列車轉向架技術" in listing.content.decode()


def test_the_filing_form_refuses_a_share_above_the_need(client, call, proposer_user):
    client.force_login(proposer_user)
    response = client.post(
        reverse("demand_item_create"),
        {
            "round": call.pk,
            "title_zh": "x",
            "title_en": "x",
            "field": "rail",
            "source": "A",
            "description": "x",
            "total_need": "100",
            "icp_share": "200",
        },
        **EN,
    )
    assert response.status_code == 200
    assert not DemandItem.objects.exists()


def test_another_proposer_gets_404(client, call, proposer_user):
    item = _item(call, proposer_user)
    other_unit = OrganizationFactory(kind=OrganizationKind.PROPOSING_UNIT, country="TW")
    other = UserFactory(username="other-proposer")
    MembershipFactory(user=other, organization=other_unit)
    client.force_login(other)
    assert client.get(reverse("demand_item_detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("demand_item_submit", args=[item.pk])).status_code == 404
    assert item.title_zh not in client.get(reverse("demand_item_list")).content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_a_panel_member_scores_on_the_page(client, call, panel, proposer_user, reviewer_user):
    item = _submitted(call, proposer_user)
    member = panel[0].user
    client.force_login(member)
    page = client.get(reverse("demand_item_detail", args=[item.pk]), **EN)
    assert b'data-testid="score-form"' in page.content
    response = client.post(
        reverse("demand_item_score", args=[item.pk]),
        {"score-score": "82.5", "score-comment": "Strong technology transfer"},
        **EN,
    )
    assert response.status_code == 302
    row = PanelScore.objects.get(item=item, reviewer=panel[0])
    assert (row.score, row.comment) == (D("82.50"), "Strong technology transfer")
    # Out of range: refused on the form, nothing changes.
    response = client.post(
        reverse("demand_item_score", args=[item.pk]), {"score-score": "101"}, **EN
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.score == D("82.50")
    # A reviewer off the panel does not see the item.
    client.force_login(reviewer_user)
    assert client.get(reverse("demand_item_detail", args=[item.pk])).status_code == 404
    assert (
        client.post(reverse("demand_item_score", args=[item.pk]), {"score-score": "10"}).status_code
        == 404
    )


def test_the_office_closes_scoring_on_the_dashboard(
    client, call, panel, proposer_user, office_user
):
    scored = _submitted(call, proposer_user)
    waiting = _submitted(call, proposer_user, title_en="Still waiting")
    _scored(scored, panel, ["70", "75", "80", "65", "60"])  # mean 70.00 → general
    _scored(waiting, panel, ["90", "90"])
    client.force_login(office_user)
    page = client.get(reverse("call_round_list"), **EN)
    assert b'data-testid="close-scoring"' in page.content
    response = client.post(reverse("call_round_close_scoring", args=[call.pk]), follow=True, **EN)
    assert "1 item(s) classified; 1 still wait" in response.content.decode()
    scored.refresh_from_db()
    assert (scored.classification, scored.panel_score) == (Classification.GENERAL, D("70.00"))
    page = client.get(reverse("demand_item_detail", args=[scored.pk]), **EN).content.decode()
    assert "General item" in page
    assert "70.00" in page
    assert 'data-testid="scores"' in page  # staff see each member's score
    # The proposer sees the result, not the members' scores and comments.
    client.force_login(proposer_user)
    page = client.get(reverse("demand_item_detail", args=[scored.pk]), **EN).content.decode()
    assert "General item" in page
    assert 'data-testid="scores"' not in page


def test_the_office_opens_a_round_on_the_dashboard(client, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("call_round_list"),
        {"year": 2031, "quarter": 2, "opens_on": "2031-04-05", "closes_on": "2031-04-25"},
        **EN,
    )
    assert response.status_code == 302
    assert CallRound.objects.filter(year=2031, quarter=2).exists()
    # The same quarter again: refused on the form.
    response = client.post(
        reverse("call_round_list"),
        {"year": 2031, "quarter": 2, "opens_on": "2031-04-05", "closes_on": "2031-04-25"},
        **EN,
    )
    assert response.status_code == 200
    assert CallRound.objects.filter(year=2031, quarter=2).count() == 1


def test_proposing_units_read_the_rounds_but_only_staff_open_and_close_them(
    client, call, proposer_user, contractor_a_member
):
    client.force_login(proposer_user)
    page = client.get(reverse("call_round_list"), **EN)
    assert page.status_code == 200 and str(call) in page.content.decode()
    assert "Open the round" not in page.content.decode()
    assert b'data-testid="close-scoring"' not in page.content
    refused = client.post(
        reverse("call_round_list"),
        {"year": 2031, "quarter": 2, "opens_on": "2031-04-05", "closes_on": "2031-04-25"},
    )
    assert refused.status_code == 403
    assert client.post(reverse("call_round_close_scoring", args=[call.pk])).status_code == 403
    client.force_login(contractor_a_member)
    assert client.get(reverse("call_round_list")).status_code == 403


def test_hold_to_next_round(client, call, panel, proposer_user, office_user):
    item = _submitted(call, proposer_user)
    client.force_login(office_user)
    client.post(reverse("demand_item_hold", args=[item.pk]), **EN)
    item.refresh_from_db()
    assert item.classification == Classification.HELD
    assert item.round != call


def test_publish_only_after_passed(client, call, panel, proposer_user, office_user):
    item = _submitted(call, proposer_user)
    _scored(item, panel, ["85", "85", "85", "85"])
    services.round_close_scoring(round=call, actor=office_user)
    client.force_login(office_user)
    page = client.get(reverse("demand_item_detail", args=[item.pk]), **EN)
    assert b'data-testid="action-publish"' not in page.content
    response = client.post(reverse("demand_item_publish", args=[item.pk]), follow=True, **EN)
    assert response.status_code == 200
    assert "“publish” is not possible while the demand item is “Scored”." in (
        response.content.decode()
    )
    item.refresh_from_db()
    assert not item.published

    services.item_put_on_agenda(item=item, actor=office_user)
    services.item_second_review(item=item, passed=True, actor=office_user)
    page = client.get(reverse("demand_item_detail", args=[item.pk]), **EN)
    assert b'data-testid="action-publish"' in page.content
    response = client.post(reverse("demand_item_publish", args=[item.pk]), **EN)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.published and item.published_on == timezone.localdate()


def test_the_public_catalogue_in_both_languages(
    client, call, panel, proposer_user, office_user, contractor_a_member
):
    published = _passed(_submitted(call, proposer_user), panel, office_user)
    services.item_publish(item=published, actor=office_user)
    _scored(
        passed_only := _submitted(
            call, proposer_user, title_zh="未公開的項目", title_en="Passed not published"
        ),
        panel,
        ["85", "85", "85", "85"],
    )
    services.round_close_scoring(round=call, actor=office_user)
    services.item_put_on_agenda(item=passed_only, actor=office_user)
    services.item_second_review(item=passed_only, passed=True, actor=office_user)
    draft = _item(call, proposer_user, title_zh="草稿項目", title_en="A draft")

    url = reverse("public_demand_item_list")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    text = english.content.decode()
    assert '<html lang="en">' in text
    assert "無人機複材結構技術" in text and "UAV composite structures" in text
    for hidden in ("未公開的項目", "Passed not published", "草稿項目", "A draft"):
        assert hidden not in text

    client.cookies["django_language"] = "zh-hant"
    chinese = client.get(url)
    text = chinese.content.decode()
    assert '<html lang="zh-Hant-TW">' in text
    assert "無人機複材結構技術" in text and "UAV composite structures" in text
    assert "未公開的項目" not in text

    detail = client.get(reverse("public_demand_item_detail", args=[published.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert '<span data-testid="item-title">' not in text
    assert 'data-testid="item-title">無人機複材結構技術<' in text
    assert "85.00" not in text and "panel-score" not in text
    client.cookies["django_language"] = "en"
    english = client.get(reverse("public_demand_item_detail", args=[published.pk]))
    assert 'data-testid="item-title">UAV composite structures<' in english.content.decode()
    for hidden in (passed_only, draft):
        assert client.get(reverse("public_demand_item_detail", args=[hidden.pk])).status_code == 404
    # The portal list itself needs a sign-in; contractors see the passed items.
    assert client.get(reverse("demand_item_list")).status_code == 302
    client.force_login(contractor_a_member)
    text = client.get(reverse("demand_item_list")).content.decode()
    assert "Passed not published" in text and "A draft" not in text


def test_public_filters(client, call, panel, proposer_user, office_user):
    rail = _passed(
        _submitted(call, proposer_user, title_en="Rail item", title_zh="軌道", field="rail"),
        panel,
        office_user,
    )
    defence = _passed(
        _submitted(call, proposer_user, title_en="Radar item", title_zh="雷達", defence=True),
        panel,
        office_user,
    )
    for item in (rail, defence):
        services.item_publish(item=item, actor=office_user)
    url = reverse("public_demand_item_list")
    text = client.get(url, {"field": "rail"}).content.decode()
    assert "Rail item" in text and "Radar item" not in text
    text = client.get(url, {"defence": "true"}).content.decode()
    assert "Radar item" in text and "Rail item" not in text
    text = client.get(url, {"q": "雷達"}).content.decode()
    assert "Radar item" in text and "Rail item" not in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_query_counts_do_not_grow_with_items(client, call, panel, proposer_user, office_user):
    first = _passed(_submitted(call, proposer_user), panel, office_user)
    services.item_publish(item=first, actor=office_user)
    client.force_login(office_user)
    staff_one = _queries(client, reverse("demand_item_list"))
    client.force_login(proposer_user)
    proposer_one = _queries(client, reverse("demand_item_list"))
    client.logout()
    public_one = _queries(client, reverse("public_demand_item_list"))
    for n in range(4):
        item = _passed(_submitted(call, proposer_user, title_en=f"Item {n}"), panel, office_user)
        services.item_publish(item=item, actor=office_user)
    client.force_login(office_user)
    assert _queries(client, reverse("demand_item_list")) == staff_one
    client.force_login(proposer_user)
    assert _queries(client, reverse("demand_item_list")) == proposer_one
    client.logout()
    assert _queries(client, reverse("public_demand_item_list")) == public_one
