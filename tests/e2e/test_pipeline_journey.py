"""The office moves a procurement from planning to a signed agreement whose multiplier
standards come from its ICP specification (domain.md §12), in Chinese."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from agreements.choices import CaseUse, ProcurementStage
from agreements.models import Agreement, MultiplierStandard, Procurement
from organizations.choices import OrganizationKind
from tests.factories import OrganizationFactory, ProcurementFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_moves_a_procurement_from_planning_to_a_signed_agreement(
    page, live_server, sign_in, office_user, contractor_a
):
    agency = OrganizationFactory(
        kind=OrganizationKind.PROCURING_AGENCY, name_zh="國防部", name_en="MND", country="TW"
    )
    procurement = ProcurementFactory(
        agency=agency,
        title_zh="魚叉飛彈採購案",
        title_en="Harpoon missiles",
        contract_value=Decimal("80000000.00"),
        contract_currency="USD",
        defence=True,
        icp_use=CaseUse.DIRECT_DEFENCE,
    )
    url = f"{live_server.url}/procurements/{procurement.pk}/"
    sign_in(page, office_user.username)
    page.goto(f"{live_server.url}/procurements/")
    expect(page.get_by_role("heading", name="購案作業進度")).to_be_visible()
    page.get_by_test_id("stage-planning").get_by_role("link", name="魚叉飛彈採購案").click()
    expect(page).to_have_url(url)
    expect(page.get_by_test_id("procurement-stage")).to_have_text("規劃中")

    # The capability assessment.
    page.get_by_role("link", name="新增").first.click()
    page.fill("#id_item", "飛彈維修能量")
    page.select_option("#id_result", "buildable_through_icp")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("assessments")).to_contain_text("透過工業合作可建立能量")
    page.get_by_test_id("act-assess").click()
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("procurement-stage")).to_have_text("已完成能量評估")

    # The specification: 39.99% is refused for a US$80M defence purchase; 40% is issued.
    page.get_by_test_id("act-specification").click()
    page.fill("#id_icp_ratio_min", "0.3999")
    page.fill("#id_issued_on", "2011-03-01")
    page.fill("#id_min_technology_transfer", "15")
    page.fill("#id_max_technology_transfer", "20")
    page.fill("#id_min_training", "1")
    page.fill("#id_max_training", "1")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_text("低於此下限")).to_be_visible()
    page.fill("#id_icp_ratio_min", "0.4000")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("procurement-stage")).to_have_text("已發布規範")
    expect(page.get_by_test_id("spec-standards")).to_contain_text("技術移轉")

    # The joint team led by MND (direct defence), then the negotiation.
    page.goto(f"{url}team/")
    page.fill("#id_name", "林上校")
    page.select_option("#id_ministry", "mnd")
    page.check("#id_leader")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("team")).to_contain_text("主談人")
    page.get_by_test_id("act-start-negotiation").click()
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("procurement-stage")).to_have_text("談判中")
    page.goto(f"{url}negotiation/")
    page.fill("#id_held_on", "2011-04-12")
    page.fill("#id_counterpart", "波音公司")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("negotiations")).to_contain_text("波音公司")

    # The commitment with the LOA: the agreement is due 6 months later.
    page.get_by_test_id("act-commit").click()
    page.fill("#id_loa_signed_on", "2011-04-20")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("procurement-stage")).to_have_text("已承諾")
    expect(page.get_by_test_id("agreement-due")).to_contain_text("2011-10-20")

    # Signing: the agreement form comes with the procurement chosen.
    page.get_by_test_id("act-sign").click()
    page.fill("#id_number", "ICP-2011-099")
    page.select_option("#id_contractor", label=contractor_a.name_zh)
    page.select_option("#id_currency", "USD_PTS")
    page.fill("#id_obligation", "32000000.00")
    page.fill("#id_signed_on", "2011-08-01")
    page.fill("#id_execution_ends_on", "2021-07-31")
    page.get_by_role("button", name="儲存").click()
    agreement = Agreement.objects.get(number="ICP-2011-099")
    expect(page).to_have_url(f"{live_server.url}/agreements/{agreement.pk}/")
    expect(page.get_by_text("技術移轉：15.00–20.00 倍")).to_be_visible()
    standards = MultiplierStandard.objects.filter(agreement=agreement)
    assert {(s.mode, s.min_multiplier, s.max_multiplier) for s in standards} == {
        ("technology_transfer", Decimal("15.00"), Decimal("20.00")),
        ("training", Decimal("1.00"), Decimal("1.00")),
    }
    assert Procurement.objects.get(pk=procurement.pk).stage == ProcurementStage.SIGNED
