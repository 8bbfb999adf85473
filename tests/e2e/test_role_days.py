"""A role's day in the browser (issue 14): each role's home page says what is due, and
one click on a line of it reaches the page where that work is done; the work is then
done there, and the home (or the page) shows the result.

The data is a small program year played through the API (``year_2011``: a part-paid fee
bill that the daily task flags overdue, a pre-approved case with no progress report
since) and a case on a sub-committee's agenda (``case_on_agenda``). The office and the
reviewer read the portal in Chinese, the contractor and the agency in English; Chinese
labels are looked up in the portal's own catalogue."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

from cases.models import Case
from committee.models import Meeting
from feedback.models import Bill
from tests.cases.test_workflow import case_on_agenda
from tests.factories import MembershipFactory, UserFactory
from tests.reports.test_statistics import (  # a small 2011 played through the API
    _english,
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["_english", "agreement", "case_on_agenda", "non_profit_recipient", "pool", "year_2011"]

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def zh(text: str) -> str:
    """What a Chinese page shows for an English msgid."""
    with translation.override("zh-hant"):
        return translation.gettext(text)


def _figure(text: str) -> Decimal:
    """The number a cell shows ("NT$1,240,000", "30,000,000.00 USD points")."""
    return Decimal(re.search(r"-?[\d,]+(?:\.\d+)?", text).group().replace(",", ""))


def test_the_office_follows_the_overdue_bills_line_and_records_a_payment(
    year_2011, page, live_server, sign_in, office_user
):
    """Rule: the office home's "bills overdue" line counts the bills the daily task flagged
    overdue with the NT$ still owed, and one click on it lists exactly those bills; a
    payment recorded on the bill page raises its paid amount and lowers what the line
    says is owed."""
    from feedback import services as fee_services
    from organizations.services import system_user

    fee_services.bills_mark_overdue(today=date(2012, 2, 1), actor=system_user())
    bill = Bill.objects.get()
    assert (bill.status, bill.amount_twd, bill.paid_amount_twd) == ("overdue", 3240000, 1000000)
    assert office_user.language == "zh-hant"

    sign_in(page, office_user.username)
    expect(page.get_by_test_id("home-office")).to_have_text(zh("ICP office"))
    line = page.get_by_test_id("queue-bills-overdue")
    expect(line).to_contain_text(zh("Feedback-fee bills overdue"))
    expect(line).to_contain_text("NT$2,240,000")  # 3,240,000 − 1,000,000 still owed
    expect(line.locator(".badge.rounded-pill")).to_have_text("1")

    line.click()  # the one click from the home
    expect(page).to_have_url(f"{live_server.url}/bills/?status=overdue")
    expect(page.locator("#f-status")).to_have_value("overdue")
    rows = page.get_by_test_id("bills").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-bill", bill.number)
    expect(rows.first).to_contain_text(zh("Overdue"))

    rows.first.get_by_role("link", name=bill.number).click()
    expect(page.get_by_test_id("bill-number")).to_have_text(bill.number)
    expect(page.get_by_test_id("paid")).to_have_text("NT$1,000,000")
    form = page.get_by_test_id("staff-actions")
    form.get_by_label(zh("Amount (NT$)")).fill("240000")
    form.get_by_label(zh("Reference")).fill("國庫匯款 0201")
    page.get_by_test_id("record-payment").click()

    expect(
        page.get_by_role("alert").filter(has_text=zh("The payment was recorded."))
    ).to_be_visible()
    expect(page.get_by_test_id("paid")).to_have_text("NT$1,240,000")
    expect(page.get_by_test_id("outstanding")).to_have_text("NT$2,000,000")
    expect(page.get_by_test_id("payments")).to_contain_text("國庫匯款 0201")
    bill.refresh_from_db()
    assert bill.paid_amount_twd == Decimal("1240000")
    assert bill.status == "overdue"  # still owed, past its due date

    page.goto(f"{live_server.url}/home/office/")
    expect(page.get_by_test_id("queue-bills-overdue")).to_contain_text("NT$2,000,000")


def test_the_contractor_follows_an_overdue_report_and_files_it(
    year_2011, page, live_server, sign_in, contractor_a_member
):
    """Rule: the contractor home lists each quarter of an executing case with no progress
    report past its due date (15 days after the quarter) as overdue, linking to the case's
    progress reports; once the report of that quarter is filed on the case page, the home
    no longer lists it (and the others stay)."""
    case = Case.objects.get(title_en="energy case")  # pre-approved 2011-11-29, no report
    assert contractor_a_member.language == "en"

    sign_in(page, contractor_a_member.username)
    expect(page).to_have_url(f"{live_server.url}/home/contractor/")
    overdue = page.get_by_test_id("report-overdue")
    # 2011 Q2 (the case starts 2011-04-01) to 2013 Q1 (it ends 2013-03-31): all overdue.
    expect(overdue).to_have_count(8)
    first = overdue.first
    expect(first).to_contain_text(f"Progress report of {case.number} for 2011 Q2")
    expect(first).to_contain_text("due 2011-07-15")

    first.click()  # the one click from the home: the form, open on that quarter
    expect(page).to_have_url(
        f"{live_server.url}/cases/{case.pk}/?year=2011&quarter=2#progress-report-form"
    )
    row = page.get_by_test_id("progress-reports").locator("tbody tr").filter(has_text="2011 Q2")
    expect(row).to_contain_text("Overdue")
    expect(page.locator("#progress-report-form")).to_have_attribute("open", "")
    expect(page.locator("#id_progress_report-year")).to_have_value("2011")
    expect(page.locator("#id_progress_report-quarter")).to_have_value("2")
    page.locator("#id_progress_report-percent_complete").fill("10")
    page.locator("#id_progress_report-progress").fill("Site survey done; contracts signed.")
    page.get_by_role("button", name="File the report").click()

    expect(
        page.get_by_role("alert").filter(has_text="The progress report was filed.")
    ).to_be_visible()
    row = page.get_by_test_id("progress-reports").locator("tbody tr").filter(has_text="2011 Q2")
    expect(row).to_contain_text("Filed")
    expect(row).to_contain_text("10%")
    assert case.progress_reports.filter(year=2011, quarter=2).count() == 1

    page.goto(f"{live_server.url}/home/contractor/")
    overdue = page.get_by_test_id("report-overdue")
    expect(overdue).to_have_count(7)
    expect(overdue.filter(has_text="for 2011 Q2")).to_have_count(0)
    expect(overdue.first).to_contain_text(f"Progress report of {case.number} for 2011 Q3")


def test_the_reviewer_follows_a_waiting_case_and_files_the_opinion(
    case_on_agenda, page, live_server, sign_in
):
    """Rule: a sub-committee member's home lists each case on their open sub-committees
    with neither an opinion nor a declared conflict of theirs, linking to the case's item
    on the meeting page; once they file their opinion there, nothing waits for them."""
    sub = Meeting.objects.get(pk=case_on_agenda["sub"])
    member = sub.members.order_by("pk").first().user
    item = sub.agenda.get()
    assert member.language == "zh-hant"

    sign_in(page, member.username)
    expect(page).to_have_url(f"{live_server.url}/home/reviewer/")
    waiting = page.get_by_test_id("waiting-opinion")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(item.case.number)
    expect(waiting).to_contain_text(zh("Opinion"))

    waiting.click()  # the one click from the home
    expect(page).to_have_url(f"{live_server.url}/meetings/{sub.pk}/#item-{item.pk}")
    card = page.locator(f"#item-{item.pk}")
    expect(card).to_be_in_viewport()
    form = card.get_by_test_id("opinion-form")
    form.get_by_label(zh("Recommendation")).select_option("pass")
    form.get_by_label(zh("Opinion")).fill("技術層級高，同意通過。")
    form.get_by_role("button", name=zh("File your opinion")).click()

    card = page.locator(f"#item-{item.pk}")
    expect(card).to_contain_text(zh("Your opinion:"))
    expect(card).to_contain_text("技術層級高，同意通過。")
    opinion = item.case.opinions.get(reviewer=member.reviewer_profile, meeting=sub)
    assert opinion.recommendation == "pass"

    page.goto(f"{live_server.url}/home/reviewer/")
    expect(page.get_by_test_id("waiting-opinion")).to_have_count(0)
    expect(page.get_by_test_id("reviewer-nothing-waiting")).to_have_text(
        zh("Nothing waits for your opinion or score.")
    )


def test_the_agency_opens_an_agreement_and_reads_the_same_balance(
    year_2011, page, live_server, sign_in
):
    """Rule: the agency home lists each agreement on its procurements with today's
    balance, and one click on its number opens the agreement page, whose balance (as of
    today, by default) shows the same obligation, discharged, reserved and available
    figures."""
    agency = year_2011["agency"]
    member = UserFactory(username="mnd-officer", name="Lee Chien-kuo", language="en")
    MembershipFactory(user=member, organization=agency)

    sign_in(page, member.username)
    expect(page).to_have_url(f"{live_server.url}/home/agency/")
    table = page.get_by_test_id("agency-agreements")
    expect(table.locator("thead")).to_contain_text("Available")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    usd = rows.filter(has_text="USD points")
    expect(usd).to_have_count(1)
    cells = usd.locator("td")
    number = cells.nth(0).inner_text().strip()
    home = {
        "Obligation": _figure(cells.nth(4).inner_text()),
        "Discharged": _figure(cells.nth(5).inner_text()),
        "Reserved (pre-approved)": _figure(cells.nth(6).inner_text()),
        "Available": _figure(cells.nth(7).inner_text()),
    }
    # Case A's actual 9,200,000.50 discharged, case B's 6,000,000 reserved.
    assert home == {
        "Obligation": Decimal("30000000.00"),
        "Discharged": Decimal("9200000.50"),
        "Reserved (pre-approved)": Decimal("6000000.00"),
        "Available": Decimal("14799999.50"),
    }
    share = cells.nth(8).inner_text().strip()

    cells.nth(0).get_by_role("link", name=number).click()  # the one click from the home
    expect(page).to_have_url(re.compile(rf"{re.escape(live_server.url)}/agreements/\d+/$"))
    balance = page.get_by_test_id("balance")
    expect(balance).to_be_visible()

    def shown(label):
        header = page.get_by_role("rowheader", name=label, exact=True)
        return balance.locator("tr").filter(has=header).locator("td")

    assert {label: _figure(shown(label).inner_text()) for label in home} == home
    expect(shown("Defence share")).to_have_text(share)
    expect(page.get_by_test_id("agreement-number")).to_have_text(number)
