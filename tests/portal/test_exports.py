"""Excel exports of the list pages (``?format=xlsx``): each exports the rows the page's
filters select (every page, not only the first), only the rows the person may see, in the
columns their role sees on the page; amounts are number cells, dates date cells, and text
typed by people stays text (never a formula). Bills, meetings, demand items, parties and
cases; the agreement list and ledger are covered in tests/agreements."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agreements.choices import Mode
from cases.models import Case
from committee import services as committee_services
from committee.choices import MeetingKind
from demand_items.models import DemandItem
from feedback import services as feedback_services
from icp_portal.lib.xlsx import XLSX_TYPE
from organizations.choices import OrganizationKind
from organizations.models import Organization
from tests.cases.test_pages import make_case
from tests.committee.test_pages import pool  # noqa: F401  (a fixture)
from tests.demand_items.test_pages import _item, call  # noqa: F401  (call: a fixture)
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, make_agreement
from tests.feedback.test_pages import (  # noqa: F401  (fixtures)
    ISSUED_ON,
    agreement,
    bill,
    issue_bills,
    other_bill,
    other_recipient,
)

D = Decimal
# Text a spreadsheet would read as a formula if it were written as one.
FORMULA = '=HYPERLINK("https://evil.example","click")'


def sign_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def export(client, url_name, params=None):
    """The worksheet of ``url_name?format=xlsx&...``; the download is a real .xlsx."""
    response = client.get(reverse(url_name), {**(params or {}), "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return load_workbook(BytesIO(response.content)).active


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def records(sheet) -> list[dict]:
    """The data rows as {header: cell}."""
    names = header(sheet)
    return [dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def column(sheet, name) -> list:
    return [row[name].value for row in records(sheet)]


def assert_number(cell, value):
    assert cell.data_type == "n" and not cell.is_date, (cell.coordinate, cell.value)
    assert D(str(cell.value)) == D(value)


def assert_date(cell, value: date):
    assert cell.is_date, (cell.coordinate, cell.value)
    assert cell.value == datetime(value.year, value.month, value.day)


def assert_text(cell, value: str):
    """A string cell (a formula would load with data_type "f"), quote-prefixed when it
    starts like a formula."""
    assert cell.data_type == "s" and cell.value == value, (cell.coordinate, cell.value)
    if value.startswith("="):
        assert cell.quotePrefix, cell.coordinate


def export_query_count(client, url_name, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        export(client, url_name, params)
    return len(queries)


# --- Bills ------------------------------------------------------------------------------

BILL_HEADERS = [
    "Bill number",
    "Recipient",
    "Case number",
    "Mode",
    "Credits",
    "Currency",
    "Rate (‰)",
    "Halved",
    "NT$ per point",
    "Amount (NT$)",
    "Paid (NT$)",
    "Still owed (NT$)",
    "Issued on",
    "Due on",
    "Status",
]


def test_bill_export_for_staff_with_filters_types_and_bounded_queries(
    client,
    office_user,
    agreement,  # noqa: F811
    recipient,
    other_recipient,  # noqa: F811
    bill,  # noqa: F811
    other_bill,  # noqa: F811
):
    feedback_services.payment_record(
        bill=other_bill, paid_on=date(2011, 8, 10), amount_twd=D("180000"), actor=office_user
    )
    feedback_services.payment_record(
        bill=bill, paid_on=date(2011, 8, 10), amount_twd=D("5000"), actor=office_user
    )
    Organization.objects.filter(pk=recipient.pk).update(name_en=FORMULA)
    sign_in(client, office_user)

    sheet = export(client, "bill_list")
    assert header(sheet) == BILL_HEADERS
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    by_number = {row["Bill number"].value: row for row in records(sheet)}
    assert set(by_number) == {bill.number, other_bill.number}
    row = by_number[bill.number]
    # 1,000,000.00 USD points × 7‰ × ½ × NT$30 = NT$105,000; NT$5,000 paid.
    assert_text(row["Recipient"], FORMULA)
    assert row["Case number"].value == bill.case.number
    assert row["Mode"].value == "Technology transfer"
    assert_number(row["Credits"], "1000000")
    assert row["Currency"].value == bill.get_credit_currency_display()
    assert_number(row["Rate (‰)"], "7")
    assert row["Halved"].value is True
    assert_number(row["NT$ per point"], "30")
    assert_number(row["Amount (NT$)"], "105000")
    assert_number(row["Paid (NT$)"], "5000")
    assert_number(row["Still owed (NT$)"], "100000")
    assert_date(row["Issued on"], ISSUED_ON)
    assert_date(row["Due on"], bill.due_on)
    assert row["Status"].value == "Issued"
    assert by_number[other_bill.number]["Halved"].value is False

    # The page's filters select the rows, exactly as on the page.
    for params in (
        {"status": "paid"},
        {"status": "issued"},
        {"recipient": other_recipient.pk},
        {"issued_on_after": "2011-09-01"},
    ):
        listed = [b.number for b in client.get(reverse("bill_list"), params).context["page"]]
        assert column(export(client, "bill_list", params), "Bill number") == listed, params
    assert column(export(client, "bill_list", {"status": "paid"}), "Bill number") == [
        other_bill.number
    ]

    # Every listed bill, not one page of them; the query count does not grow with bills.
    before = export_query_count(client, "bill_list", {})
    issue_bills(
        agreement,
        office_user,
        [(recipient, f"{n + 1}000.00", Mode.TRAINING) for n in range(55)],
    )
    assert len(records(export(client, "bill_list"))) == 57
    assert export_query_count(client, "bill_list", {}) == before


def test_bill_export_of_a_recipient_lacks_the_other_recipients_bills(
    client,
    recipient_member,
    bill,  # noqa: F811
    other_bill,  # noqa: F811
):
    sign_in(client, recipient_member)
    page = client.get(reverse("bill_list"), {"status": "issued"}).content.decode()
    assert 'href="?status=issued&amp;format=xlsx" data-testid="export-xlsx"' in page
    sheet = export(client, "bill_list")
    # No recipient column: the page shows a recipient only its own bills, without it.
    assert header(sheet) == [h for h in BILL_HEADERS if h != "Recipient"]
    assert column(sheet, "Bill number") == [bill.number]
    # Asking for the other recipient's bills changes nothing (the page ignores it too).
    sheet = export(client, "bill_list", {"recipient": other_bill.recipient_id})
    assert column(sheet, "Bill number") == [bill.number]


def test_bill_export_is_refused_to_a_contractor(client, contractor_a_member, bill):  # noqa: F811
    sign_in(client, contractor_a_member)
    response = client.get(reverse("bill_list"), {"format": "xlsx"})
    assert response.status_code == 403


# --- Meetings ---------------------------------------------------------------------------

MEETING_HEADERS = [
    "Kind",
    "Year",
    "Meeting number",
    "Held on",
    "Title",
    "Status",
    "Minutes approved on",
    "Agenda items",
    "Members",
]


@pytest.fixture
def meetings(office_user, pool):  # noqa: F811
    """The reviewer (``pool[0]``) sits on sub-committee #1, not on #2 nor the committee."""

    def make(kind, number, held_on, members=(), title=""):
        return committee_services.meeting_create(
            kind=kind,
            year=2011,
            number=number,
            held_on=held_on,
            members=members,
            title=title,
            actor=office_user,
        )

    return {
        "mine": make(MeetingKind.SUBCOMMITTEE, 1, date(2011, 3, 1), pool[:5], FORMULA),
        "other_sub": make(MeetingKind.SUBCOMMITTEE, 2, date(2011, 3, 8), pool[1:6]),
        "committee": make(MeetingKind.PROMOTION_COMMITTEE, 1, date(2011, 3, 17)),
    }


def test_meeting_export_for_staff_with_filters_and_types(client, office_user, meetings):
    sign_in(client, office_user)
    page = client.get(reverse("meeting_list"), {"kind": "subcommittee"}).content.decode()
    assert 'href="?kind=subcommittee&amp;format=xlsx" data-testid="export-xlsx"' in page

    sheet = export(client, "meeting_list")
    assert header(sheet) == MEETING_HEADERS
    assert column(sheet, "Held on") == [
        datetime(2011, 3, 17),
        datetime(2011, 3, 8),
        datetime(2011, 3, 1),
    ]
    row = records(sheet)[2]
    assert row["Kind"].value == "Industry sub-committee"
    assert_number(row["Year"], "2011")
    assert_number(row["Meeting number"], "1")
    assert_date(row["Held on"], date(2011, 3, 1))
    assert_text(row["Title"], FORMULA)
    assert row["Status"].value == "Planned"
    assert row["Minutes approved on"].value in (None, "")
    assert_number(row["Agenda items"], "0")
    assert_number(row["Members"], "5")

    for params in ({"kind": "subcommittee"}, {"kind": "promotion_committee"}, {"year": 2012}):
        listed = [
            str(m.held_on) for m in client.get(reverse("meeting_list"), params).context["page"]
        ]
        exported = [
            c.date().isoformat() for c in column(export(client, "meeting_list", params), "Held on")
        ]
        assert exported == listed, params
    sheet = export(client, "meeting_list", {"kind": "subcommittee"})
    assert column(sheet, "Meeting number") == [2, 1]

    before = export_query_count(client, "meeting_list", {})
    for number in range(3, 8):
        committee_services.meeting_create(
            kind=MeetingKind.PROMOTION_COMMITTEE,
            year=2011,
            number=number,
            held_on=date(2011, 4, number),
            actor=office_user,
        )
    assert len(records(export(client, "meeting_list"))) == 8
    assert export_query_count(client, "meeting_list", {}) == before


def test_meeting_export_of_a_reviewer_has_only_their_meetings(client, reviewer_user, meetings):
    sign_in(client, reviewer_user)
    sheet = export(client, "meeting_list")
    assert header(sheet) == MEETING_HEADERS
    [row] = records(sheet)
    assert_text(row["Title"], FORMULA)
    assert_date(row["Held on"], date(2011, 3, 1))
    # The member count is the page's.
    [listed] = client.get(reverse("meeting_list")).context["page"]
    assert row["Members"].value == listed.member_count
    assert len(records(export(client, "meeting_list", {"kind": "subcommittee"}))) == 1
    assert records(export(client, "meeting_list", {"kind": "promotion_committee"})) == []


def test_meeting_export_headers_follow_the_language(client, office_user, meetings):
    client.force_login(office_user)
    client.cookies["django_language"] = "zh-hant"
    sheet = export(client, "meeting_list")
    assert header(sheet)[:4] == ["類別", "年度", "會議次別", "開會日期"]
    assert records(sheet)[0]["類別"].value == "工業合作推動小組會議"


# --- Demand items -----------------------------------------------------------------------

ITEM_HEADERS = [
    "Round",
    "Proposing unit",
    "Title (Chinese)",
    "Title (English)",
    "Field",
    "Source",
    "Defence demand",
    "Status",
    "Panel score",
    "Classification",
    "Published",
    "Published on",
    "Total funding need (NT$)",
    "Share asked of ICP (NT$)",
]


@pytest.fixture
def items(call, proposer_user):  # noqa: F811
    """The proposing unit's draft, its passed and published item, and another unit's
    passed item."""
    other_unit = OrganizationFactory(
        kind=OrganizationKind.PROPOSING_UNIT, name_zh="國家太空中心", name_en="TASA"
    )
    other_member = UserFactory(username="tasa-member")
    MembershipFactory(user=other_member, organization=other_unit)
    draft = _item(call, proposer_user, title_zh=FORMULA, defence=True)
    passed = _item(call, proposer_user, title_zh="通過需求", title_en="Passed need")
    DemandItem.objects.filter(pk=passed.pk).update(
        status="passed",
        classification="priority",
        panel_score=D("85.50"),
        published=True,
        published_on=date(2011, 4, 1),
    )
    others = _item(call, other_member, title_zh="他人需求", title_en="Other need")
    DemandItem.objects.filter(pk=others.pk).update(status="passed", classification="general")
    return {"draft": draft, "passed": passed, "others": others}


def test_demand_item_export_for_staff_with_filters_and_types(client, office_user, items):
    sign_in(client, office_user)
    page = client.get(reverse("demand_item_list"), {"status": "passed"}).content.decode()
    assert 'href="?status=passed&amp;format=xlsx" data-testid="export-xlsx"' in page
    sheet = export(client, "demand_item_list")
    assert header(sheet) == ITEM_HEADERS
    by_title = {row["Title (English)"].value: row for row in records(sheet)}
    assert set(by_title) == {"UAV composite structures", "Passed need", "Other need"}
    row = by_title["Passed need"]
    call_round = items["passed"].round
    assert row["Round"].value == f"{call_round.year} Q{call_round.quarter}"
    assert row["Proposing unit"].value == items["passed"].proposer.name_en
    assert row["Status"].value == "Passed (in the database)"
    assert_number(row["Panel score"], "85.50")
    assert row["Classification"].value == "Priority item"
    assert row["Published"].value is True
    assert_date(row["Published on"], date(2011, 4, 1))
    assert_number(row["Total funding need (NT$)"], "1000000")
    assert_number(row["Share asked of ICP (NT$)"], "600000")
    draft = by_title["UAV composite structures"]
    assert_text(draft["Title (Chinese)"], FORMULA)
    assert draft["Defence demand"].value is True and draft["Published"].value is False

    for params in ({"status": "passed"}, {"status": "draft"}, {"q": "Other"}):
        listed = [
            i.title_en for i in client.get(reverse("demand_item_list"), params).context["page"]
        ]
        exported = column(export(client, "demand_item_list", params), "Title (English)")
        assert exported == listed, params
    assert column(
        export(client, "demand_item_list", {"classification": "priority"}), "Title (English)"
    ) == ["Passed need"]

    before = export_query_count(client, "demand_item_list", {})
    for n in range(5):
        _item(call_round, items["passed"].created_by, title_en=f"More {n}")
    assert len(records(export(client, "demand_item_list"))) == 8
    assert export_query_count(client, "demand_item_list", {}) == before


def test_demand_item_export_of_a_proposer_has_its_own_items_without_the_unit(
    client, proposer_user, items
):
    sign_in(client, proposer_user)
    sheet = export(client, "demand_item_list")
    assert header(sheet) == [h for h in ITEM_HEADERS if h != "Proposing unit"]
    assert sorted(column(sheet, "Title (English)")) == ["Passed need", "UAV composite structures"]
    sheet = export(client, "demand_item_list", {"status": "passed"})
    assert column(sheet, "Title (English)") == ["Passed need"]


def test_demand_item_export_of_a_contractor_has_the_passed_items(
    client, contractor_a_member, items
):
    sign_in(client, contractor_a_member)
    sheet = export(client, "demand_item_list")
    assert header(sheet) == ITEM_HEADERS
    assert sorted(column(sheet, "Title (English)")) == ["Other need", "Passed need"]


# --- Organizations ----------------------------------------------------------------------

ORGANIZATION_HEADERS = [
    "Kind",
    "Name (Chinese)",
    "Name (English)",
    "Country",
    "Profit-making",
    "Defence industry",
    "Bad record",
    "Barred",
    "Fee-blocked",
    "People",
]


def test_organization_export_for_staff_with_filters_and_types(
    client, office_user, recipient_member, contractor_a_member, contractor_b
):
    OrganizationFactory(
        kind=OrganizationKind.PROCURING_AGENCY, name_zh=FORMULA, name_en="Agency", country="TW"
    )
    sign_in(client, office_user)
    page = client.get(reverse("organization_list"), {"kind": "procuring_agency"}).content.decode()
    assert 'href="?kind=procuring_agency&amp;format=xlsx" data-testid="export-xlsx"' in page
    sheet = export(client, "organization_list")
    assert header(sheet) == ORGANIZATION_HEADERS
    by_name = {row["Name (English)"].value: row for row in records(sheet)}
    assert {"AIDC", "Raytheon Company", "The Boeing Company", "Agency"} <= set(by_name)
    aidc = by_name["AIDC"]
    assert aidc["Kind"].value == "Domestic recipient"
    assert aidc["Country"].value == "TW"
    assert aidc["Profit-making"].value is True and aidc["Defence industry"].value is True
    assert aidc["Bad record"].value is False
    assert_number(aidc["People"], "1")
    assert_number(by_name["The Boeing Company"]["People"], "0")
    assert_text(by_name["Agency"]["Name (Chinese)"], FORMULA)

    for params in ({"kind": "foreign_contractor"}, {"q": "Boeing"}, {"kind": "procuring_agency"}):
        listed = [
            o.name_en
            for o in client.get(reverse("organization_list"), params).context["organizations"]
        ]
        exported = column(export(client, "organization_list", params), "Name (English)")
        assert exported == listed, params
    sheet = export(client, "organization_list", {"kind": "foreign_contractor"})
    assert column(sheet, "Name (English)") == ["Raytheon Company", "The Boeing Company"]

    before = export_query_count(client, "organization_list", {})
    for _ in range(5):
        OrganizationFactory(kind=OrganizationKind.PROCURING_AGENCY, country="TW")
    assert export_query_count(client, "organization_list", {}) == before


def test_organization_export_of_a_contractor_lacks_the_other_contractor(
    client, contractor_a_member, contractor_b, recipient
):
    sign_in(client, contractor_a_member)
    sheet = export(client, "organization_list")
    names = column(sheet, "Name (English)")
    assert "Raytheon Company" in names and "AIDC" in names
    assert "The Boeing Company" not in names
    sheet = export(client, "organization_list", {"kind": "foreign_contractor"})
    assert column(sheet, "Name (English)") == ["Raytheon Company"]
    listed = client.get(reverse("organization_list")).context["organizations"]
    assert column(export(client, "organization_list"), "People") == [o.member_count for o in listed]


# --- Cases ------------------------------------------------------------------------------

CASE_HEADERS = [
    "Case number",
    "Title",
    "Contractor",
    "Agreement",
    "Use",
    "Field",
    "Status",
    "Starts on",
    "Ends on",
    "Requested credits",
    "Submitted at",
]


def test_case_export_of_a_contractor_with_filters_and_types(
    client,
    office_user,
    contractor_a,
    contractor_b,
    contractor_a_member,
    contractor_b_member,
    recipient,
):
    agreement_a = make_agreement(contractor=contractor_a, actor=office_user)
    agreement_b = make_agreement(contractor=contractor_b, actor=office_user)
    mine = make_case(agreement_a, contractor_a_member, recipient, title=FORMULA)
    submitted = make_case(agreement_a, contractor_a_member, recipient, title="Submitted one")
    Case.objects.filter(pk=submitted.pk).update(status="submitted")
    theirs = make_case(agreement_b, contractor_b_member, recipient, title="Boeing case")

    sign_in(client, contractor_a_member)
    sheet = export(client, "case_list")
    assert header(sheet) == CASE_HEADERS
    by_number = {row["Case number"].value: row for row in records(sheet)}
    assert set(by_number) == {mine.number, submitted.number}
    assert theirs.number not in by_number
    row = by_number[mine.number]
    assert_text(row["Title"], FORMULA)
    assert row["Agreement"].value == agreement_a.number
    assert_date(row["Starts on"], date(2011, 4, 1))
    assert_date(row["Ends on"], date(2013, 3, 31))
    # 500,000.00 of technology transfer × 1.00 requested.
    assert_number(row["Requested credits"], "500000")

    for params in ({"status": "submitted"}, {"status": "draft"}):
        listed = [c.number for c in client.get(reverse("case_list"), params).context["page"]]
        assert column(export(client, "case_list", params), "Case number") == listed, params
    assert column(export(client, "case_list", {"status": "submitted"}), "Case number") == [
        submitted.number
    ]
