"""Journeys of agreements (協議書): staff record a procurement and a signed agreement and
set its terms; a contractor reads its own in English; staff export the list to Excel."""

import os
import re
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from agreements import services
from agreements.choices import CaseUse
from agreements.models import Agreement, Briefing, MultiplierStandard, Procurement
from organizations.choices import OrganizationKind
from tests.factories import OrganizationFactory, make_agreement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _review(page, name):
    """A full-page screenshot for the visual review, only when REVIEW_SCREENSHOTS=1."""
    if os.environ.get("REVIEW_SCREENSHOTS") == "1":
        folder = Path(tempfile.gettempdir()) / "review"
        folder.mkdir(exist_ok=True)
        page.screenshot(path=folder / f"{name}.png", full_page=True)


@pytest.fixture
def agency(db):
    return OrganizationFactory(
        kind=OrganizationKind.PROCURING_AGENCY,
        name_zh="國防部",
        name_en="Ministry of National Defense",
        country="TW",
    )


@pytest.fixture
def signed_agreements(office_user, contractor_a, contractor_b):
    """Contractor A's agreement with a reserve on it, and contractor B's agreement."""
    mine = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        number="ICP-2011-004",
        obligation="62000000.00",
        signed_on=date(2011, 7, 15),
    )
    services.credit_reserve(
        agreement=mine,
        amount=Decimal("2000000.00"),
        effective_on=date(2011, 9, 8),
        use=CaseUse.INDUSTRY,
        actor=office_user,
    )
    theirs = make_agreement(
        contractor=contractor_b,
        actor=office_user,
        number="ICP-2008-011",
        obligation="1012800000.00",
        signed_on=date(2008, 12, 20),
    )
    return mine, theirs


def test_staff_record_a_procurement_and_a_signed_agreement_then_set_its_terms(
    page, live_server, sign_in, office_user, contractor_a, agency
):
    sign_in(page, office_user.username)
    expect(page).to_have_url(f"{live_server.url}/home/office/")
    page.get_by_role("link", name="協議書", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/agreements/")
    expect(page.get_by_role("heading", name="協議書")).to_be_visible()
    expect(page.get_by_text("沒有符合的協議書。")).to_be_visible()

    # The procurement first: the agreement is signed on it.
    page.goto(f"{live_server.url}/procurements/new/")
    expect(page.get_by_role("heading", name="登錄購案")).to_be_visible()
    page.select_option("#id_agency", label="國防部")
    page.fill("#id_title_zh", "天弓三型飛彈系統採購案")
    page.fill("#id_title_en", "Tien Kung III missile system")
    page.fill("#id_contract_value", "1200000000.00")
    page.select_option("#id_contract_currency", "USD")
    page.fill("#id_contract_signed_on", "2011-09-30")
    page.get_by_role("button", name="儲存").click()
    expect(page).to_have_url(f"{live_server.url}/agreements/new/")
    expect(page.get_by_role("alert").filter(has_text="購案已登錄。")).to_be_visible()
    assert Procurement.objects.get().agency == agency

    # Execution ending before the signing date is refused, in Chinese, and nothing is saved.
    expect(page.get_by_role("heading", name="登錄已簽署協議書")).to_be_visible()
    page.fill("#id_number", "ICP-2011-005")
    page.select_option("#id_procurement", label="天弓三型飛彈系統採購案")
    page.select_option("#id_contractor", label="雷神公司")
    page.select_option("#id_currency", "USD_PTS")
    page.fill("#id_obligation", "38000000.00")
    page.fill("#id_signed_on", "2011-10-20")
    page.fill("#id_execution_ends_on", "2011-10-01")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_text("執行期限必須晚於簽署日。")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/agreements/new/")
    expect(page.locator("#id_number")).to_have_value("ICP-2011-005")
    _review(page, "03-staff-agreement-form-error-zh")
    assert not Agreement.objects.exists()

    page.fill("#id_execution_ends_on", "2019-12-31")
    page.get_by_role("button", name="儲存").click()
    agreement = Agreement.objects.get(number="ICP-2011-005")
    expect(page).to_have_url(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(
        page.get_by_role("alert").filter(has_text="協議書已登錄，義務額度已入帳。")
    ).to_be_visible()
    expect(page.get_by_test_id("agreement-number")).to_have_text("ICP-2011-005")
    expect(page.get_by_test_id("balance")).to_contain_text("38,000,000.00 美元點")
    expect(page.get_by_test_id("available")).to_have_text("38,000,000.00")
    ledger = page.locator("table.table-striped tbody tr")
    expect(ledger).to_have_count(1)
    expect(ledger.first).to_contain_text("義務額度")
    expect(ledger.first).to_contain_text("38,000,000.00")
    # Signed 2011-10-20: the briefing was due by 2012-01-20 and none is recorded yet.
    expect(page.get_by_text("至 2012-01-20（簽署後 3 個月）仍未舉辦招商說明會。")).to_be_visible()

    # A multiplier standard for technology transfer.
    page.get_by_role("link", name="設定", exact=True).click()
    expect(page.get_by_role("heading", name="設定乘數標準")).to_be_visible()
    page.select_option("#id_mode", "technology_transfer")
    page.fill("#id_min_multiplier", "1.00")
    page.fill("#id_max_multiplier", "3.00")
    page.fill("#id_effective_from", "2011-10-20")
    page.get_by_role("button", name="儲存").click()
    expect(page).to_have_url(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_role("alert").filter(has_text="乘數標準已設定。")).to_be_visible()
    expect(page.get_by_text("技術移轉：1.00–3.00 倍")).to_be_visible()
    assert MultiplierStandard.objects.get(agreement=agreement).max_multiplier == Decimal("3.00")

    # The public briefing, held in time: the overdue warning goes away.
    page.locator(f'a[href$="/agreements/{agreement.pk}/briefings/add/"]').click()
    expect(page.get_by_role("heading", name="登錄招商說明會")).to_be_visible()
    page.fill("#id_held_on", "2011-11-15")
    page.fill("#id_title", "天弓三型工業合作招商說明會")
    page.get_by_role("button", name="儲存").click()
    expect(page).to_have_url(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_role("alert").filter(has_text="招商說明會已登錄。")).to_be_visible()
    expect(page.get_by_text("2011-11-15 天弓三型工業合作招商說明會")).to_be_visible()
    expect(page.get_by_text("仍未舉辦招商說明會")).to_have_count(0)
    assert Briefing.objects.get(agreement=agreement).held_on == date(2011, 11, 15)
    _review(page, "02-staff-agreement-detail-zh")


def test_contractor_reads_only_its_own_agreement_in_english(
    page, live_server, sign_in, contractor_a_member, signed_agreements
):
    mine, theirs = signed_agreements
    sign_in(page, contractor_a_member.username)
    expect(page).to_have_url(f"{live_server.url}/home/contractor/")
    if page.locator("html").get_attribute("lang") != "en":
        page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Agreements", exact=True).click()
    expect(page.get_by_role("heading", name="Agreements")).to_be_visible()
    expect(page.get_by_role("link", name=mine.number)).to_be_visible()
    expect(page.get_by_text(theirs.number)).to_have_count(0)
    expect(page.get_by_text("The Boeing Company")).to_have_count(0)
    expect(page.get_by_role("link", name="Record a signed agreement")).to_have_count(0)
    _review(page, "04-contractor-agreement-list-en")

    page.get_by_role("link", name=mine.number).click()
    expect(page).to_have_url(f"{live_server.url}/agreements/{mine.pk}/")
    expect(page.get_by_test_id("agreement-number")).to_have_text(mine.number)
    expect(page.get_by_role("heading", name="Ledger")).to_be_visible()
    ledger = page.locator("table.table-striped tbody tr")
    expect(ledger).to_have_count(2)
    expect(ledger.nth(0)).to_contain_text("Obligation")
    expect(ledger.nth(0)).to_contain_text("62,000,000.00")
    expect(ledger.nth(1)).to_contain_text("Pre-approval reserve")
    expect(ledger.nth(1)).to_contain_text("2,000,000.00")
    balance = page.get_by_test_id("balance")
    expect(balance).to_contain_text("Obligation")
    expect(balance).to_contain_text("62,000,000.00 USD points")
    expect(balance).to_contain_text("Reserved (pre-approved)")
    expect(page.get_by_test_id("available")).to_have_text("60,000,000.00")
    # Read-only: none of the office's buttons.
    expect(page.get_by_role("link", name="Amend obligation")).to_have_count(0)
    expect(page.get_by_role("link", name="Amend terms")).to_have_count(0)
    expect(page.get_by_role("link", name="Reverse")).to_have_count(0)
    expect(page.get_by_role("link", name="Set", exact=True)).to_have_count(0)
    _review(page, "05-contractor-agreement-detail-en")

    # Another contractor's agreement is not there for them, even by its address.
    response = page.goto(f"{live_server.url}/agreements/{theirs.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_staff_download_the_agreement_list_as_excel(
    page, live_server, sign_in, office_user, signed_agreements, tmp_path
):
    mine, theirs = signed_agreements
    sign_in(page, office_user.username)
    page.goto(f"{live_server.url}/agreements/")
    expect(page.get_by_role("link", name=mine.number)).to_be_visible()
    expect(page.get_by_role("link", name=theirs.number)).to_be_visible()
    _review(page, "01-staff-agreement-list-zh")

    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert re.fullmatch(r"agreements-\d{8}\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "協議書編號"
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_number) == {mine.number, theirs.number}
    assert by_number[mine.number]["可用額度"] == 60000000
    assert by_number[theirs.number]["義務額度"] == 1012800000
