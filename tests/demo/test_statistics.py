"""The seeded 2011 year read back through the statistics (domain.md §4, §6, §9): the
committee's published totals per meeting add up to the year's figures, the 8 agreements
of about 2.11億 USD points, the demand items of the four rounds, and the outcomes the
final report names; the charts and pages render from the demo."""

from decimal import Decimal

import pytest

from reports import selectors


@pytest.fixture
def year(demo_db):
    return selectors.year_statistics(year=2011)


def test_the_2011_decisions_add_up_to_the_published_meeting_totals(year):
    # §4: pre-approved 3 + 1 + 4 + 7 cases; 26,726,856 + 69,884,223 + 223,250,000 +
    # 147,592,430 USD pts. Actual 5 + 5 + 3 + 6; 37,872,762 + 305,627,864 + 13,926,904 +
    # 148,016,537 USD pts and 199,162,419 TWD pts. Rejected 1 + 2.
    assert year["pre_approved"] == {
        "count": 15,
        "credits": {"USD_PTS": Decimal("467453509.00"), "TWD_PTS": Decimal("0.00")},
    }
    assert year["actually_approved"] == {
        "count": 19,
        "credits": {"USD_PTS": Decimal("505444067.00"), "TWD_PTS": Decimal("199162419.00")},
    }
    assert year["rejected"]["count"] == 3
    assert [m["number"] for m in year["meetings"]] == [1, 2, 3, 4]


def test_the_2011_agreements_are_the_reports_8_of_about_211_million_usd_points(year):
    assert year["agreements_signed"] == {
        "count": 8,
        "obligation": {"USD_PTS": Decimal("211000000.00"), "TWD_PTS": Decimal("0.00")},
    }


def test_the_2011_demand_items_are_the_four_rounds_results(year):
    # §6: Q1 15 → 2 priority, 3 general, 2 held, 8 excluded; Q2 35 (incl. 2 held) → 2,
    # 13, 7 held, 13; Q3 22 (incl. 6 held) → 4, 1, 17; Q4 14 → 5, 0, 9. Each item counts
    # once (86 filings less the 8 held items filed again = 78); a held item is counted in
    # the band it finally got, so only the one still held at the year's end is "held".
    assert year["demand_items"] == {
        "filed": 78,
        "priority": 13,
        "general": 17,
        "held": 1,
        "excluded": 47,
        "published": 29,  # the 30 priority and general items less the one not passed (Q2)
    }


def test_the_2011_outcomes_are_those_the_final_report_names(year):
    outcomes = year["outcomes"]
    # MRJ NT$997.8M orders and 240 trained; the gearbox NT$230M investment and NT$400M
    # output; the 737/747 doors NT$2,550M purchases.
    assert outcomes["orders_twd"] == Decimal("3547800000")
    assert outcomes["investment_twd"] == Decimal("230000000")
    assert outcomes["added_output_twd"] == Decimal("400000000")
    assert outcomes["people_trained"] == 240 and outcomes["cases"] == 3
    assert [(k["kpi"], k["progress"]) for k in year["kpis"]] == [
        ("investment_twd", "0.5750"),  # 2.3億 of the 4億 target
        ("added_output_twd", "0.2000"),  # 4億 of the 20億 target
    ]


def test_shares_add_up_and_the_defence_share_is_drawn_against_the_targets(year, client):
    for key in ("by_mode", "by_field", "by_agency", "by_use"):
        usd = [row for row in year[key] if row["currency"] == "USD_PTS"]
        total = sum(Decimal(row["share"]) for row in usd)
        assert abs(total - 1) <= Decimal("0.0005"), (key, total)
        assert sum(row["credits"] for row in usd) == Decimal("467453509.00")
    page = client.get("/public/statistics/?year=2011")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="chart-defence-share"' in html and "chart-fees" not in html


def test_every_demo_agreements_defence_share_is_a_share(demo_db):
    # A retention (結案暨額度留存) leaves with its case's use: the HAWK agreement's surplus
    # once made its defence share 100.92%.
    from agreements import selectors as agreement_selectors
    from agreements.models import Agreement

    for agreement in Agreement.objects.all():
        share = agreement_selectors.agreement_balance(agreement=agreement).defence_share
        assert share is None or 0 <= share <= 1, (agreement.number, share)
