"""One demand item end to end in the browser (issue 5, "Done when"): a proposing unit files
an item and submits it → four members of the round's panel score it → the office closes the
scoring and the item is classified priority → the promotion committee passes it in its
second review and its minutes are approved → the office publishes it → an anonymous
visitor finds it on the public catalogue in Chinese and, after switching, in English; an
unpublished item never appears there.

Everybody works in Chinese (their own browsers in Taiwan); Chinese labels are looked up in
the portal's own catalogue, so the journey follows the translation as it is."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone, translation
from playwright.sync_api import expect

from committee import services as committee_services
from committee.choices import MeetingKind
from committee.models import Meeting
from demand_items import services as demand_item_services
from demand_items.choices import Classification, ItemStatus, Source
from demand_items.forms import DemandItemForm, ScoreForm
from demand_items.models import DemandItem
from organizations.choices import Field, ReviewerKind
from organizations.models import ReviewerProfile
from tests.factories import ReviewerProfileFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE_ZH = "無人機飛控系統關鍵技術移轉"
TITLE_EN = "Key technology transfer for UAV flight control systems"
HIDDEN_ZH = "未公開的衛星天線需求"
HIDDEN_EN = "Unpublished satellite antenna need"
SCORE = "85"


def zh(text) -> str:
    """What the Chinese pages show for an English msgid, a lazy label or an object's str."""
    with translation.override("zh-hant"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def en(text) -> str:
    with translation.override("en"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def label(name: str) -> str:
    """The Chinese label of a filing form's field."""
    form = DemandItemForm()
    return zh(form.fields[name].label)


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def open_browser(browser):
    """Another person's browser in Taiwan (zh-TW), closed after the test."""
    contexts = []

    def _open():
        context = browser.new_context(locale="zh-TW")
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


@pytest.fixture
def call_round(office_user, today):
    return demand_item_services.round_open(
        year=today.year + 1,
        quarter=1,
        opens_on=today,
        closes_on=today + timedelta(days=20),
        actor=office_user,
    )


@pytest.fixture
def panel(call_round, office_user, today):
    """The round's initial-review panel of 7: IDB, DoIT, 3 research institutes, 2 scholars."""
    official_of = _has_field(ReviewerProfile, "official_of")
    members = []
    for n, (kind, affiliation, extra) in enumerate(
        [
            (ReviewerKind.OFFICIAL, "經濟部工業局", {"official_of": "idb"}),
            (ReviewerKind.OFFICIAL, "經濟部技術處", {"official_of": "doit"}),
            (ReviewerKind.RESEARCH, "工業技術研究院", {}),
            (ReviewerKind.RESEARCH, "國家中山科學研究院", {}),
            (ReviewerKind.RESEARCH, "資訊工業策進會", {}),
            (ReviewerKind.SCHOLAR, "國立成功大學", {}),
            (ReviewerKind.SCHOLAR, "國立清華大學", {}),
        ],
        start=1,
    ):
        members.append(
            ReviewerProfileFactory(
                user=UserFactory(username=f"panel-{n}", name=f"審查委員{n}"),
                kind=kind,
                affiliation=affiliation,
                **(extra if official_of else {}),
            )
        )
    meeting = committee_services.meeting_create(
        kind=MeetingKind.DEMAND_PANEL,
        year=call_round.year,
        number=1,
        held_on=today,
        round=call_round,
        members=members,
        actor=office_user,
    )
    return meeting, members


def test_a_demand_item_from_filing_to_the_public_catalogue(
    page,
    live_server,
    sign_in,
    open_browser,
    office_user,
    proposer_user,
    call_round,
    panel,
    today,
):
    _meeting, members = panel
    # A second item of the same unit, filed and left unpublished (a draft).
    hidden = demand_item_services.item_create(
        round=call_round,
        actor=proposer_user,
        title_zh=HIDDEN_ZH,
        title_en=HIDDEN_EN,
        field=Field.AEROSPACE,
        source=Source.C,
        defence=False,
        description="衛星地面站天線的設計與製造。",
        total_need=Decimal("5000000"),
        icp_share=Decimal("1000000"),
    )

    # --- The proposing unit files the item and submits it ------------------------------
    proposer = page
    sign_in(proposer, proposer_user.username)
    proposer.goto(f"{live_server.url}/demand-items/new/")
    expect(proposer.get_by_role("heading", name=zh("File a demand item"))).to_be_visible()
    proposer.get_by_label(label("round")).select_option(str(call_round.pk))
    proposer.fill("#id_title_zh", TITLE_ZH)
    proposer.fill("#id_title_en", TITLE_EN)
    proposer.select_option("#id_field", Field.AEROSPACE.value)
    proposer.select_option("#id_source", Source.A.value)
    proposer.check("#id_defence")
    proposer.fill("#id_description", "國軍無人機飛控系統的國產化需求。")
    proposer.fill("#id_technology_wanted", "飛控電腦與慣性導航模組的設計技術。")
    proposer.fill("#id_benefit_technology_transfer", "飛控軟體與硬體的設計技術移轉。")
    proposer.fill("#id_benefit_training", "培訓國內工程師二十名。")
    proposer.fill("#id_firms", "經緯航太科技股份有限公司、國立成功大學")
    proposer.fill("#id_total_need", "30000000")
    proposer.fill("#id_icp_share", "12000000")
    proposer.get_by_role("button", name=zh("Save as draft")).click()
    expect(
        alert(proposer, zh("The demand item is saved as a draft. Submit it when it is complete."))
    ).to_be_visible()
    expect(proposer.get_by_test_id("item-title")).to_have_text(TITLE_ZH)
    item = DemandItem.objects.get(title_en=TITLE_EN)
    assert item.created_by == proposer_user
    assert item.expected_benefit == {
        "technology_transfer": "飛控軟體與硬體的設計技術移轉。",
        "training": "培訓國內工程師二十名。",
    }
    proposer.get_by_test_id("action-submit").click()
    expect(
        alert(proposer, zh("The demand item is submitted for the panel's review."))
    ).to_be_visible()
    expect(proposer.get_by_test_id("item-status")).to_have_text(zh(ItemStatus.SUBMITTED.label))
    item_url = f"{live_server.url}/demand-items/{item.pk}/"

    # --- Four panel members score it (a majority of 7) -------------------------------
    for member in members[:4]:
        reviewer = open_browser()
        sign_in(reviewer, member.user.username)
        reviewer.goto(item_url)
        expect(reviewer.get_by_test_id("item-title")).to_have_text(TITLE_ZH)
        form = reviewer.get_by_test_id("score-form")
        form.get_by_label(zh(ScoreForm.base_fields["score"].label)).fill(SCORE)
        form.get_by_label(zh(ScoreForm.base_fields["comment"].label)).fill("技術移轉效益明確。")
        reviewer.get_by_test_id("action-score").click()
        expect(alert(reviewer, zh("Your score is recorded."))).to_be_visible()
        # Scoring stays open until the office closes it: the member may still revise.
        expect(reviewer.get_by_test_id("action-score")).to_have_text(zh("Revise your score"))
        expect(
            reviewer.get_by_test_id("score-form").get_by_label(
                zh(ScoreForm.base_fields["score"].label)
            )
        ).to_have_value(re.compile(rf"^{SCORE}(\.00)?$"))
        reviewer.context.close()

    # --- The office closes the scoring: the item is a priority item -------------------
    office = open_browser()
    sign_in(office, office_user.username)
    office.goto(f"{live_server.url}/call-rounds/")
    row = office.get_by_test_id(f"round-{call_round.year}-{call_round.quarter}")
    expect(row.get_by_test_id("submitted")).to_have_text("1")
    row.get_by_test_id("close-scoring").click()
    row = office.get_by_test_id(f"round-{call_round.year}-{call_round.quarter}")
    expect(row.get_by_test_id("priority")).to_have_text("1")
    expect(row.get_by_test_id("close-scoring")).to_have_count(0)
    office.goto(item_url)
    expect(office.get_by_test_id("panel-score")).to_have_text("85.00")
    expect(office.get_by_test_id("classification")).to_have_text(zh(Classification.PRIORITY.label))
    expect(office.get_by_test_id("item-status")).to_have_text(zh(ItemStatus.SCORED.label))
    expect(office.get_by_test_id("scores").locator("tbody tr")).to_have_count(4)

    # --- The promotion committee's second review -----------------------------------------
    committee = committee_services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=today.year,
        number=Meeting.objects.filter(kind=MeetingKind.PROMOTION_COMMITTEE, year=today.year).count()
        + 1,
        held_on=today,
        actor=office_user,
    )
    office.goto(f"{live_server.url}/meetings/{committee.pk}/")
    expect(office.get_by_role("heading", name=zh("Demand items for second review"))).to_be_visible()
    office.select_option("#dr-add", str(item.pk))
    office.get_by_role("button", name=zh("Put on the agenda")).click()
    expect(alert(office, zh("The demand item was put on the agenda."))).to_be_visible()
    reviews = office.get_by_test_id("demand-reviews")
    entry = reviews.locator("li").filter(has_text=TITLE_ZH)
    expect(entry).to_contain_text(zh(Classification.PRIORITY.label))
    entry.locator("select[name=outcome]").select_option("passed")
    entry.get_by_role("button", name=zh("Record the decision")).click()
    expect(alert(office, zh("The decision was recorded."))).to_be_visible()
    entry = office.get_by_test_id("demand-reviews").locator("li").filter(has_text=TITLE_ZH)
    expect(entry).to_contain_text(zh("Passed"))
    office.get_by_test_id("minutes-form").get_by_role(
        "button", name=zh("Approve the minutes")
    ).click()
    expect(office.get_by_test_id("minutes-approved")).to_be_visible()

    # --- The office publishes it ---------------------------------------------------------
    office.goto(item_url)
    expect(office.get_by_test_id("item-status")).to_have_text(zh(ItemStatus.PASSED.label))
    office.get_by_test_id("action-publish").click()
    expect(alert(office, zh("The item is published on the public catalogue."))).to_be_visible()
    expect(office.get_by_test_id("item-published")).to_be_visible()
    item.refresh_from_db()
    assert (item.status, item.published, item.published_on) == (ItemStatus.PASSED, True, today)
    hidden.refresh_from_db()
    assert not hidden.published

    # --- An anonymous visitor: Chinese, then English ----------------------------------------
    visitor = open_browser()
    visitor.goto(f"{live_server.url}/public/demand-items/")
    expect(visitor.get_by_role("heading", name=zh("ICP demand items"))).to_be_visible()
    catalogue = visitor.get_by_test_id("public-demand-item-list")
    expect(catalogue.locator("tbody tr")).to_have_count(1)
    listed = catalogue.locator("tbody tr").first
    expect(listed).to_contain_text(TITLE_ZH)
    expect(listed).to_contain_text(TITLE_EN)
    expect(listed).to_contain_text(zh(Field.AEROSPACE.label))
    expect(listed).to_contain_text(zh(Classification.PRIORITY.label))
    expect(listed).to_contain_text(today.strftime("%Y-%m-%d"))
    expect(catalogue).not_to_contain_text(HIDDEN_ZH)
    expect(catalogue).not_to_contain_text(HIDDEN_EN)
    listed.get_by_role("link", name=TITLE_ZH).click()
    expect(visitor.get_by_test_id("item-title")).to_have_text(TITLE_ZH)
    expect(visitor.locator("main, body").first).to_contain_text(TITLE_EN)

    visitor.goto(f"{live_server.url}/public/demand-items/")
    visitor.select_option("#language-select", "en")
    expect(visitor.get_by_role("heading", name=en("ICP demand items"))).to_be_visible()
    expect(visitor.locator("html")).to_have_attribute("lang", re.compile(r"^en"))
    catalogue = visitor.get_by_test_id("public-demand-item-list")
    expect(catalogue.locator("tbody tr")).to_have_count(1)
    listed = catalogue.locator("tbody tr").first
    expect(listed).to_contain_text(TITLE_EN)
    expect(listed).to_contain_text(en(Field.AEROSPACE.label))
    expect(listed).to_contain_text(en(Classification.PRIORITY.label))
    expect(catalogue).not_to_contain_text(HIDDEN_EN)
    listed.get_by_role("link", name=TITLE_EN).click()
    expect(visitor.get_by_test_id("item-title")).to_have_text(TITLE_EN)

    # The unpublished item is not public, even by its address.
    response = visitor.goto(f"{live_server.url}/public/demand-items/{hidden.pk}/")
    assert response.status == 404
