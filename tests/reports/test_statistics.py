"""The program's statistics (domain.md §9, §3; api.md "Reports and statistics"): a small
program year is played through the API, and every figure of ``/statistics/`` is compared
with a value computed here by hand — counts, credits per currency (never added), the
breakdowns with their four-decimal shares, the defence share against 50%/60%, the fees,
the demand items and the outcomes; then who may read which figures."""

from datetime import date
from decimal import Decimal

import pytest

from demand_items.models import CallRound, DemandItem
from organizations.choices import OrganizationKind
from tests.cases import test_workflow as flow
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ProcurementFactory,
    UserFactory,
    make_agreement,
)

_english = flow._english
agreement = flow.agreement
non_profit_recipient = flow.non_profit_recipient
pool = flow.pool
_client = flow._client


def _to_agenda(office, case_id, pool, number):
    """Checklist, initial review and a sub-committee (numbered ``number``) that passes."""
    assert office.post(f"/api/v1/cases/{case_id}/start-checklist/").status_code == 200
    for code in ("forms_complete", "chosen_publicly"):
        office.post(
            f"/api/v1/cases/{case_id}/checklist/", {"code": code, "result": "pass"}, format="json"
        )
    office.post(
        f"/api/v1/cases/{case_id}/initial-review/", {"opinion": "建議送審。"}, format="json"
    )
    sub = office.post(
        "/api/v1/meetings/",
        {
            "kind": "subcommittee",
            "year": 2011,
            "number": number,
            "held_on": "2011-05-10",
            "members": [p.pk for p in pool[:5]],
        },
        format="json",
    ).json()
    office.post(
        f"/api/v1/meetings/{sub['id']}/agenda/",
        {"kind": "case_review", "case": case_id},
        format="json",
    )
    reviewed = office.post(
        f"/api/v1/cases/{case_id}/subcommittee-review/", {"outcome": "pass"}, format="json"
    )
    assert reviewed.status_code == 200, reviewed.json()


def _file(api, agreement, activities, use, field):
    response = api.post(
        "/api/v1/cases/",
        {
            "agreement": agreement.pk,
            "title_zh": f"{field}案",
            "title_en": f"{field} case",
            "use": use,
            "field": field,
            "starts_on": "2011-04-01",
            "ends_on": "2013-03-31",
            "activities": activities,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = response.json()
    for kind in ("application", "plan"):
        assert flow._upload(api, case["id"], kind).status_code == 201
    for activity in case["activities"]:
        if activity["mode"] == "technology_transfer":
            flow._upload(api, case["id"], "export_control_commitment", activity["id"])
        flow._upload(api, case["id"], "fee_commitment", activity["id"])
    assert api.post(f"/api/v1/cases/{case['id']}/submit/").status_code == 200
    return case


def _decide(office, meeting_id, kind, case_id, outcome, activities=()):
    item = office.post(
        f"/api/v1/meetings/{meeting_id}/agenda/", {"kind": kind, "case": case_id}, format="json"
    )
    assert item.status_code == 201, item.json()
    decision = office.post(
        f"/api/v1/meetings/{meeting_id}/decisions/",
        {"agenda_item": item.json()["id"], "outcome": outcome, "activities": list(activities)},
        format="json",
    )
    assert decision.status_code == 201, decision.json()


@pytest.fixture
def year_2011(
    api_client, office_user, contractor_a_member, recipient, non_profit_recipient, agreement, pool
):
    """One agreement in USD points (30,000,000) and one in NT$ points (5,000,000) signed
    in 2011; case A (indirect defence, aerospace) pre-approved at the 1st meeting and
    actually approved at the 4th; case B (industry, energy) pre-approved at the 4th;
    case C rejected at the 1st; one fee bill, part paid; three demand items of a 2011
    round; the outcomes of case A."""
    api = _client(api_client, contractor_a_member)
    office = _client(api_client, office_user)
    make_agreement(
        contractor=agreement.contractor,
        actor=office_user,
        obligation="5000000.00",
        currency="TWD_PTS",
        signed_on=date(2011, 8, 1),
        procurement=ProcurementFactory(agency=agreement.procurement.agency),
    )
    assert (
        office.post(
            "/api/v1/fee-rates/",
            {"mode": "technology_transfer", "rate": "0.0300", "effective_from": "2011-01-01"},
            format="json",
        ).status_code
        == 201
    )
    assert (
        office.post(
            "/api/v1/exchange-rates/",
            {"currency": "USD_PTS", "rate_twd": "30.0000", "effective_on": "2011-01-01"},
            format="json",
        ).status_code
        == 201
    )
    a = _file(
        api,
        agreement,
        [
            {
                "mode": "technology_transfer",
                "recipient": recipient.pk,
                "value": "500000.00",
                "requested_multiplier": "18.00",
            },
            {
                "mode": "domestic_procurement",
                "recipient": non_profit_recipient.pk,
                "value": "1000000.25",
                "requested_multiplier": "2.00",
            },
        ],
        "indirect_defence",
        "aerospace",
    )
    b = _file(
        api,
        agreement,
        [
            {
                "mode": "domestic_procurement",
                "recipient": non_profit_recipient.pk,
                "value": "3000000.00",
                "requested_multiplier": "2.00",
            }
        ],
        "industry",
        "energy",
    )
    c = _file(
        api,
        agreement,
        [
            {
                "mode": "domestic_procurement",
                "recipient": non_profit_recipient.pk,
                "value": "100000.00",
                "requested_multiplier": "2.00",
            }
        ],
        "industry",
        "rail",
    )
    for number, case in enumerate((a, b, c), start=1):
        _to_agenda(office, case["id"], pool, number)

    first = flow._promotion_meeting(office, 1, "2011-06-02")
    tech, proc = (activity["id"] for activity in a["activities"])
    _decide(
        office,
        first,
        "pre_approval",
        a["id"],
        "approved",
        [
            {"activity": tech, "approved_multiplier": "15.00"},
            {"activity": proc, "approved_multiplier": "2.00"},
        ],
    )
    _decide(office, first, "pre_approval", c["id"], "rejected")
    approve = {"approved_on": "2011-06-09"}
    assert (
        office.post(f"/api/v1/meetings/{first}/approve-minutes/", approve, format="json")
    ).status_code == 200

    api.post(
        f"/api/v1/cases/{a['id']}/progress-reports/",
        {"year": 2011, "quarter": 2, "progress": "完成", "percent_complete": 100},
        format="json",
    )
    flow._upload(api, a["id"], "progress_evidence")
    assert api.post(f"/api/v1/cases/{a['id']}/request-actual-approval/").status_code == 200

    fourth = flow._promotion_meeting(office, 4, "2011-11-29")
    _decide(
        office,
        fourth,
        "actual_approval",
        a["id"],
        "approved",
        [
            {"activity": tech, "actual_credits": "7200000.00"},
            {"activity": proc, "actual_credits": "2000000.50"},
        ],
    )
    (b_activity,) = (activity["id"] for activity in b["activities"])
    _decide(
        office,
        fourth,
        "pre_approval",
        b["id"],
        "approved",
        [{"activity": b_activity, "approved_multiplier": "2.00"}],
    )
    approve = {"approved_on": "2011-12-06"}
    assert (
        office.post(f"/api/v1/meetings/{fourth}/approve-minutes/", approve, format="json")
    ).status_code == 200

    (bill,) = office.get("/api/v1/bills/").json()["results"]
    paid = office.post(
        f"/api/v1/bills/{bill['id']}/payments/",
        {"paid_on": "2011-12-20", "amount_twd": "1000000", "reference": "匯款"},
        format="json",
    )
    assert paid.status_code == 201, paid.json()
    outcome = office.post(
        f"/api/v1/cases/{a['id']}/outcomes/",
        {
            "stage": "at_approval",
            "as_of": "2011-12-06",
            "technologies": ["複材零件製程", "非破壞檢測"],
            "investment_twd": "230000000",
            "orders_twd": "997800000",
            "added_output_twd": "400000000",
            "people_trained": 240,
            "jobs": 35,
            "incrementality": "無本案則國內無此製程能量。",
        },
        format="json",
    )
    assert outcome.status_code == 201, outcome.json()

    proposer = OrganizationFactory(kind=OrganizationKind.PROPOSING_UNIT)
    round_ = CallRound.objects.create(
        year=2011, quarter=1, opens_on=date(2011, 1, 1), closes_on=date(2011, 3, 31)
    )
    for status, band, published in (
        ("passed", "priority", True),
        ("passed", "general", False),
        ("not_passed", "excluded", False),
        ("draft", "", False),
    ):
        DemandItem.objects.create(
            round=round_,
            proposer=proposer,
            title_zh="需求",
            title_en="Need",
            field="aerospace",
            source="A",
            description="需求說明",
            total_need=1000,
            icp_share=500,
            status=status,
            classification=band,
            published=published,
            published_on=date(2011, 5, 1) if published else None,
            created_by=office_user,
        )
    return {"office": office, "bill": bill, "agency": agreement.procurement.agency}


def test_every_figure_of_a_small_year_is_what_the_hand_computes(year_2011):
    office = year_2011["office"]
    figures = office.get("/api/v1/statistics/?year=2011").json()
    assert (figures["year"], figures["start"], figures["end"]) == (2011, "2011-01-01", "2011-12-31")
    assert figures["agreements_signed"] == {
        "count": 2,
        "obligation": {"USD_PTS": "30000000.00", "TWD_PTS": "5000000.00"},
    }
    # A: 500,000 × 15 + 1,000,000.25 × 2 = 9,500,000.50; B: 3,000,000 × 2 = 6,000,000.00.
    assert figures["pre_approved"] == {
        "count": 2,
        "credits": {"USD_PTS": "15500000.50", "TWD_PTS": "0.00"},
    }
    assert figures["rejected"] == {"count": 1} and figures["renegotiate"] == {"count": 0}
    assert figures["actually_approved"] == {
        "count": 1,
        "credits": {"USD_PTS": "9200000.50", "TWD_PTS": "0.00"},
    }
    # At year end only B's reserve is open (A's was released by its actual approval).
    assert figures["in_execution"] == {
        "count": 1,
        "credits": {"USD_PTS": "6000000.00", "TWD_PTS": "0.00"},
    }

    def rows(key):
        return [(row["key"], row["currency"], row["credits"], row["share"]) for row in figures[key]]

    # 7,500,000 / 15,500,000.50 = 0.48387…; 8,000,000.50 / 15,500,000.50 = 0.51612…
    assert rows("by_mode") == [
        ("domestic_procurement", "USD_PTS", "8000000.50", "0.5161"),
        ("technology_transfer", "USD_PTS", "7500000.00", "0.4839"),
    ]
    # 9,500,000.50 / 15,500,000.50 = 0.61290…; 6,000,000 / 15,500,000.50 = 0.38709…
    assert rows("by_field") == [
        ("aerospace", "USD_PTS", "9500000.50", "0.6129"),
        ("energy", "USD_PTS", "6000000.00", "0.3871"),
    ]
    assert rows("by_use") == [
        ("indirect_defence", "USD_PTS", "9500000.50", "0.6129"),
        ("industry", "USD_PTS", "6000000.00", "0.3871"),
    ]
    agency = year_2011["agency"]
    assert rows("by_agency") == [(str(agency.pk), "USD_PTS", "15500000.50", "1.0000")]
    assert figures["defence_share"] == {
        "value": "0.6129",
        "by_currency": {"USD_PTS": "0.6129"},
        "minimum": "0.50",
        "target": "0.60",
        "meets_minimum": True,
        "meets_target": True,
    }
    # The bill: 7,200,000 × 0.03 × ½ (defence industry, after 2011-07-04) × 30 = 3,240,000;
    # issued 2011-12-06, due 2012-01-05: not overdue at the end of 2011.
    assert Decimal(year_2011["bill"]["amount_twd"]) == Decimal("3240000")
    assert figures["fees"] == {
        "billed_twd": "3240000",
        "collected_twd": "1000000",
        "overdue_twd": "0",
    }
    assert figures["demand_items"] == {
        "filed": 3,
        "priority": 1,
        "general": 1,
        "held": 0,
        "excluded": 1,
        "published": 1,
    }
    assert figures["outcomes"] == {
        "technologies": 2,
        "investment_twd": "230000000",
        "orders_twd": "997800000",
        "added_output_twd": "400000000",
        "people_trained": 240,
        "jobs": 35,
        "cases": 1,
    }
    assert [m["number"] for m in figures["meetings"]] == [1, 4]
    assert figures["kpis"] == []  # 2011 set no KPI targets here


def test_a_range_counts_what_falls_in_it_and_overdue_fees_at_its_end(year_2011):
    office = year_2011["office"]
    figures = office.get("/api/v1/statistics/?start=2011-07-01&end=2012-03-31").json()
    assert figures["year"] is None and figures["kpis"] == []
    assert figures["agreements_signed"]["count"] == 1  # the NT$-point agreement of August
    assert figures["agreements_signed"]["obligation"]["TWD_PTS"] == "5000000.00"
    assert figures["pre_approved"]["count"] == 1  # B, at the 4th meeting only
    assert figures["rejected"]["count"] == 0
    # Due 2012-01-05, 1,000,000 paid: 2,240,000 overdue on 2012-03-31.
    assert figures["fees"]["overdue_twd"] == "2240000"


def test_the_kpis_of_a_year_are_its_outcomes_against_its_targets(year_2011):
    from reports.models import KpiTarget

    KpiTarget.objects.create(
        year=2011, orders_twd=400_000_000, investment_twd=800_000_000, technologies=20
    )
    kpis = year_2011["office"].get("/api/v1/statistics/?year=2011").json()["kpis"]
    assert [(k["kpi"], k["target"], k["done"], k["progress"]) for k in kpis] == [
        ("orders_twd", "400000000", "997800000", "2.4945"),
        ("investment_twd", "800000000", "230000000", "0.2875"),
        ("technologies", "20", "2", "0.1000"),
    ]


def test_an_agency_reads_its_own_figures_and_nobody_elses(year_2011, api_client):
    office = year_2011["office"]
    agency = year_2011["agency"]
    member = UserFactory(username="agency-member")
    MembershipFactory(user=member, organization=agency)
    own = _client(api_client, member)
    mine = own.get("/api/v1/statistics/?year=2011").json()
    assert mine["agency"] == agency.pk and mine["pre_approved"]["count"] == 2
    other = OrganizationFactory(kind=OrganizationKind.PROCURING_AGENCY)
    assert own.get(f"/api/v1/statistics/?year=2011&agency={other.pk}").status_code == 404
    stranger = UserFactory(username="other-agency-member")
    MembershipFactory(user=stranger, organization=other)
    theirs = _client(api_client, stranger).get("/api/v1/statistics/?year=2011").json()
    assert theirs["pre_approved"] == {"count": 0, "credits": {"USD_PTS": "0.00", "TWD_PTS": "0.00"}}
    narrowed = office.get(f"/api/v1/statistics/?year=2011&agency={other.pk}").json()
    assert narrowed["agreements_signed"]["count"] == 0
    assert office.get("/api/v1/statistics/?agency=999999").status_code == 404
    assert _client(api_client, UserFactory()).get("/api/v1/statistics/").status_code == 403


def test_the_public_figures_have_no_fees_and_need_no_login(year_2011, client):
    public = client.get("/api/v1/public/statistics/?year=2011")
    assert public.status_code == 200
    body = public.json()
    assert "fees" not in body and body["pre_approved"]["count"] == 2
    page = client.get("/public/statistics/?year=2011")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data:image/svg+xml;base64," in html
    assert 'data-testid="chart-fees"' not in html and "3,240,000" not in html


@pytest.mark.parametrize(
    "query",
    [
        "year=1979",
        "year=x",
        "start=2011-01-01",
        "start=2011-05-01&end=2011-01-01",
        "year=2011&start=2011-01-01&end=2011-02-01",
    ],
)
def test_bad_queries_are_400_with_a_reason(year_2011, query):
    response = year_2011["office"].get(f"/api/v1/statistics/?{query}")
    assert response.status_code == 400 and response.json()


def test_the_statistics_page_shows_the_figures_charts_and_tables(year_2011, client, office_user):
    client.force_login(office_user)
    html = client.get("/statistics/?year=2011").content.decode()
    assert html.count("data:image/svg+xml;base64,") >= 6
    for key in ("by_mode-USD_PTS", "by_field-USD_PTS", "defence-share", "per-meeting-USD_PTS"):
        assert f'data-testid="chart-{key}"' in html, key
    assert 'data-testid="chart-fees"' in html and "3,240,000" in html
    assert "61.29%" in html  # the defence share, as a figure beside its chart
    assert "15,500,000.50" in html  # the pre-approved credit in the table of figures


def _more_of_the_same(times: int) -> None:
    """``times`` more pre-approved cases on the year's agreement, each as the minutes of
    the 4th meeting left case B: its activities, agenda item, decision and reserve entry."""
    from agreements.models import CreditEntry
    from cases.models import Activity, Case
    from committee.models import AgendaItem, Decision

    template = Case.objects.get(title_en="energy case")
    item = template.agenda_items.get(kind="pre_approval")
    entry = CreditEntry.objects.get(case=template, kind="reserve")
    for n in range(times):
        case = Case.objects.get(pk=template.pk)
        case.pk = None
        case.number = f"{template.number}-{n}"
        case.save()
        for activity in Activity.objects.filter(case=template):
            activity.pk, activity.case = None, case
            activity.save()
        agenda = AgendaItem.objects.create(meeting=item.meeting, kind=item.kind, case=case)
        Decision.objects.create(
            agenda_item=agenda, outcome="approved", decided_by=item.decision.decided_by
        )
        CreditEntry.objects.create(
            agreement=entry.agreement,
            kind="reserve",
            applies_to="reserve",
            amount=entry.amount,
            currency=entry.currency,
            use=entry.use,
            effective_on=entry.effective_on,
            case=case,
            meeting=entry.meeting,
            created_by=entry.created_by,
        )


def _copy_bill(bill, suffix: str):
    """Another bill like ``bill``, unpaid, on a copy of its activity (one bill each)."""
    from cases.models import Activity
    from feedback.models import Bill

    activity = Activity.objects.get(pk=bill.activity_id)
    activity.pk, activity.pre_approved_credits, activity.actual_credits = None, None, None
    activity.save()
    copy = Bill.objects.get(pk=bill.pk)
    copy.pk, copy.number, copy.activity = None, f"{bill.number}-{suffix}", activity
    copy.paid_amount_twd, copy.status = 0, "issued"
    copy.save()
    return copy


def _more_years_agencies_and_bills(times: int, office_user) -> None:
    """``times`` more of what the page reads beyond the year: promotion-committee meetings
    of earlier years (the defence-share series), procuring agencies with a procurement
    (the choice of agency), and bills with a payment (the fee series)."""
    from committee.models import Meeting
    from feedback.models import Bill, Payment

    first = Meeting.objects.get(kind="promotion_committee", year=2011, number=1)
    bill = Bill.objects.get()
    for n in range(times):
        Meeting.objects.create(
            kind=first.kind,
            year=2001 + n,
            number=1,
            held_on=date(2001 + n, 6, 1),
            status=first.status,
            minutes_approved_on=date(2001 + n, 6, 10),
            minutes_approved_by=office_user,
        )
        ProcurementFactory()
        Payment.objects.create(
            bill=_copy_bill(bill, str(n)),
            paid_on=date(2012, 2, 1),
            amount_twd=1000,
            recorded_by=office_user,
        )


def test_queries_per_call_and_page_stay_constant_as_the_year_grows(
    year_2011, client, office_user, django_assert_max_num_queries
):
    office = year_2011["office"]
    client.force_login(office_user)
    with django_assert_max_num_queries(25) as api_1x:
        assert office.get("/api/v1/statistics/?year=2011").status_code == 200
    with django_assert_max_num_queries(30) as page_1x:
        assert client.get("/statistics/?year=2011").status_code == 200
    _more_of_the_same(10)
    _more_years_agencies_and_bills(10, office_user)
    with django_assert_max_num_queries(len(api_1x.captured_queries)):
        figures = office.get("/api/v1/statistics/?year=2011").json()
    assert figures["pre_approved"]["count"] == 12
    assert figures["pre_approved"]["credits"]["USD_PTS"] == "75500000.50"  # + 10 × 6,000,000
    with django_assert_max_num_queries(len(page_1x.captured_queries)):
        page = client.get("/statistics/?year=2011")
    assert page.status_code == 200
    assert page.content.decode().count("<option value=") >= 10 + 10  # years, agencies


def test_overdue_fees_at_each_year_end_count_only_what_was_paid_by_then(year_2011, office_user):
    from feedback.models import Bill, Payment
    from feedback.services import bill_waive, payment_record
    from reports import selectors

    # The bill of 3,240,000 (due 2012-01-05, 1,000,000 paid 2011-12-20); the rest is paid
    # in 2013. A copy of it, due alike, is never paid; a third one is waived.
    bill = Bill.objects.get()
    _copy_bill(bill, "unpaid")
    waived = _copy_bill(bill, "waived")
    bill_waive(bill=waived, reason="豁免", actor=office_user)
    payment_record(
        bill=bill, paid_on=date(2013, 2, 1), amount_twd=Decimal("2240000"), actor=office_user
    )
    series = selectors.fee_series(years=[2011, 2012, 2013])
    assert [(f["billed_twd"], f["collected_twd"], f["overdue_twd"]) for f in series] == [
        # All three billed in 2011 (waived is billed, only cancelled is not); due in
        # 2012: nothing overdue at the end of 2011. The waived bill is never overdue.
        (Decimal("9720000"), Decimal("1000000"), Decimal("0")),
        # 2,240,000 still unpaid on the first bill (paid after the end) + 3,240,000.
        (Decimal("0"), Decimal("0"), Decimal("5480000")),
        (Decimal("0"), Decimal("2240000"), Decimal("3240000")),
    ]
    assert series[1] == selectors.fee_series(years=[2012])[0]  # alone or in a series

    # A bill paid beyond its amount (the service refuses it; written here directly) owes
    # nothing, and its surplus does not lower what another bill owes.
    Payment.objects.create(
        bill=bill, paid_on=date(2013, 3, 1), amount_twd=500000, recorded_by=office_user
    )
    assert selectors.fee_series(years=[2013])[0]["overdue_twd"] == Decimal("3240000")


def test_the_office_narrows_the_page_to_an_agency_with_a_procurement(
    year_2011, client, office_user
):
    agency = year_2011["agency"]  # two procurements: listed once
    odd = ProcurementFactory(agency__name_zh="<國防部> & 軍備局").agency
    OrganizationFactory(kind=OrganizationKind.PROCURING_AGENCY)  # no procurement: not listed
    client.force_login(office_user)
    html = client.get(f"/statistics/?year=2011&agency={agency.pk}").content.decode()
    options = html.split('id="f-agency">')[1].split("</select>")[0]
    assert options.count("<option") == 3  # all agencies, then the two
    assert f'<option value="{agency.pk}" selected>{agency.name_zh}</option>' in options
    assert f'<option value="{odd.pk}">&lt;國防部&gt; &amp; 軍備局</option>' in options


def test_the_public_figures_refresh_when_minutes_are_approved(year_2011, client):
    before = client.get("/api/v1/public/statistics/?year=2011").json()
    assert before["rejected"]["count"] == 1
    office = year_2011["office"]
    third = flow._promotion_meeting(office, 3, "2011-09-08")
    assert (
        office.post(
            f"/api/v1/meetings/{third}/approve-minutes/",
            {"approved_on": "2011-09-20"},
            format="json",
        ).status_code
        == 200
    )
    after = client.get("/api/v1/public/statistics/?year=2011").json()
    assert [m["number"] for m in after["meetings"]] == [1, 3, 4]  # not the cached copy
    page = client.get("/public/statistics/?year=2011").content.decode()
    assert "2011 年第 3 次" in page  # the third meeting now in the per-meeting chart


def test_the_statistics_export_has_the_figures_as_numbers(year_2011, client, office_user):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(office_user)
    response = client.get("/statistics/?year=2011&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 7  # figures, four breakdowns, fees, outcomes
    figures, by_mode = book.worksheets[0], book.worksheets[1]
    (pre,) = figures.iter_rows(min_row=3, max_row=3, values_only=True)  # pre-approved
    assert pre[1:3] == (2, 15500000.5)
    shares = [row[3] for row in by_mode.iter_rows(min_row=2, values_only=True)]
    assert shares == [0.5161, 0.4839]
    assert client.get("/public/statistics/?year=2011&format=xlsx").status_code == 200
