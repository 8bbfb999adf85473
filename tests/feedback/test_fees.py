"""Feedback fees (domain.md §7, §11): rates, halving, exemption, rounding, bills issued
from approved minutes exactly once, payments, overdue blocks, waivers, the notice PDF."""

import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from cases import services as case_services
from cases.models import Case
from cases.services import recipient_refusal
from committee import services as committee_services
from feedback import services
from feedback.models import Bill
from feedback.pdf import payment_notice_pdf
from icp_portal.lib.errors import Conflict
from organizations.services import api_token_issue
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, make_agreement

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_worked_example_technology_transfer_to_a_defence_firm_at_30():
    # 1,000,000.00 USD pts × 7‰ × ½ × 30.0 NT$/pt = NT$105,000
    assert services.fee_amount(
        credits=D("1000000.00"), rate=D("0.0070"), halved=True, exchange_rate=D("30.0")
    ) == D("105000")


@pytest.mark.parametrize(
    "credits,rate,halved,fx,expected",
    [
        (D("1000.00"), D("0.0030"), False, D("1"), D("3")),  # 3‰ domestic procurement
        (D("1000.00"), D("0.0060"), False, D("1"), D("6")),  # 6‰ international marketing
        (D("1000.00"), D("0.0070"), False, D("1"), D("7")),  # 7‰ the others
        (D("1000.00"), D("0.0070"), True, D("1"), D("4")),  # 3.5 → 4 (half up)
        (D("1214.28"), D("0.0070"), True, D("1"), D("4")),  # 4.249980 → 4
        (D("1214.29"), D("0.0070"), True, D("1"), D("4")),  # 4.250015 → 4 (not 5)
        (D("1214.30"), D("0.0070"), True, D("1"), D("4")),  # 4.2505 → 4
        (D("1500.00"), D("0.0030"), False, D("1"), D("5")),  # 4.5 → 5
    ],
)
def test_fee_is_rounded_half_up_to_whole_nt_dollars(credits, rate, halved, fx, expected):
    assert (
        services.fee_amount(credits=credits, rate=rate, halved=halved, exchange_rate=fx) == expected
    )


@pytest.fixture
def approvals(office_user, contractor_a, contractor_a_member):
    """Cases waiting for actual approval, and a way to approve them in minutes."""
    agreement = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="900000000.00",
        signed_on=date(2010, 1, 5),
    )

    def case_with(*activities):
        case = case_services.case_create(
            agreement=agreement,
            actor=contractor_a_member,
            title_zh="個案",
            title_en="Case",
            use="indirect_defence",
            field="aerospace",
            starts_on=date(2010, 2, 1),
            ends_on=date(2013, 1, 31),
            activities=[
                {
                    "mode": mode,
                    "recipient": recipient,
                    "value": D("1000000.00"),
                    "requested_multiplier": D("1.00"),
                }
                for mode, recipient, _credits in activities
            ],
        )
        Case.objects.filter(pk=case.pk).update(status="actual_requested")
        return case, [credits for _m, _r, credits in activities]

    def approve(held_on, approved_on, *cases, number=1):
        meeting = committee_services.meeting_create(
            kind="promotion_committee",
            year=held_on.year,
            number=number,
            held_on=held_on,
            actor=office_user,
        )
        for case, credits in cases:
            item = committee_services.agenda_add(
                meeting=meeting, case=case, kind="actual_approval", actor=office_user
            )
            committee_services.decision_record(
                meeting=meeting,
                agenda_item=item,
                outcome="approved",
                actor=office_user,
                activities=[
                    {"activity": a.pk, "actual_credits": str(c)}
                    for a, c in zip(case.activities.order_by("id"), credits, strict=True)
                ],
            )
        return committee_services.minutes_approve(
            meeting=meeting, actor=office_user, approved_on=approved_on
        )

    return case_with, approve


def _recipient(**flags):
    return OrganizationFactory(kind="domestic_recipient", country="TW", **flags)


def test_minutes_issue_one_bill_per_profit_making_recipient_and_activity(approvals):
    case_with, approve = approvals
    firm, defence_firm, school = (
        _recipient(profit_making=True),
        _recipient(profit_making=True, defence_industry=True),
        _recipient(profit_making=False),
    )
    case = case_with(
        ("domestic_procurement", firm, D("2000000.00")),
        ("technology_transfer", defence_firm, D("1000000.00")),
        ("training", school, D("500000.00")),
    )
    approve(date(2011, 9, 8), date(2011, 9, 26), case)
    bills = {b.recipient: b for b in Bill.objects.all()}
    assert set(bills) == {firm, defence_firm}  # the school (non-profit) pays nothing
    # 2,000,000 × 3‰ × 30 = 180,000; 1,000,000 × 7‰ × ½ × 30 = 105,000
    assert (bills[firm].rate, bills[firm].defence_halved, bills[firm].amount_twd) == (
        D("0.0030"),
        False,
        D("180000"),
    )
    assert (bills[defence_firm].defence_halved, bills[defence_firm].amount_twd) == (
        True,
        D("105000"),
    )
    bill = bills[firm]
    assert (bill.issued_on, bill.due_on, bill.exchange_rate, bill.status) == (
        date(2011, 9, 26),
        date(2011, 10, 26),
        D("30.0000"),
        "issued",
    )
    assert bill.number.startswith("FB-2011-") and bill.history.exists()


def test_halving_applies_to_bills_issued_from_2011_07_04(approvals):
    case_with, approve = approvals
    defence_firm = _recipient(profit_making=True, defence_industry=True)
    before = case_with(("technology_transfer", defence_firm, D("1000000.00")))
    approve(date(2011, 6, 2), date(2011, 6, 16), before)
    assert Bill.objects.get().defence_halved is False and Bill.objects.get().amount_twd == D(
        "210000"
    )


def test_issuing_twice_never_issues_two_bills_and_minutes_apply_once(approvals, office_user):
    case_with, approve = approvals
    case = case_with(("domestic_procurement", _recipient(profit_making=True), D("1000.00")))
    meeting = approve(date(2011, 9, 8), date(2011, 9, 26), case)
    again = services.bills_issue_for_case(
        case=case[0], issued_on=date(2011, 9, 27), actor=office_user
    )
    assert again == [] and Bill.objects.count() == 1
    with pytest.raises(Conflict, match="approve minutes"):
        committee_services.minutes_approve(meeting=meeting, actor=office_user)
    assert Bill.objects.count() == 1


def test_a_missing_exchange_rate_fails_the_whole_minutes(approvals, office_user):
    from feedback.models import ExchangeRate

    case_with, approve = approvals
    case = case_with(("domestic_procurement", _recipient(profit_making=True), D("1000.00")))
    ExchangeRate.objects.all().delete()
    with pytest.raises(ValidationError, match="No exchange rate for USD points"):
        approve(date(2011, 9, 8), date(2011, 9, 26), case)
    case[0].refresh_from_db()
    assert case[0].status == "actual_requested" and not Bill.objects.exists()


def test_a_new_rate_never_changes_an_issued_bill(approvals, office_user):
    case_with, approve = approvals
    case = case_with(("domestic_procurement", _recipient(profit_making=True), D("1000000.00")))
    approve(date(2011, 9, 8), date(2011, 9, 26), case)
    services.fee_rate_set(
        mode="domestic_procurement",
        rate=D("0.0050"),
        effective_from=date(2011, 10, 1),
        actor=office_user,
    )
    services.exchange_rate_set(
        currency="USD_PTS", rate_twd=D("31.0"), effective_on=date(2011, 10, 1), actor=office_user
    )
    bill = Bill.objects.get()
    assert (bill.rate, bill.exchange_rate, bill.amount_twd) == (
        D("0.0030"),
        D("30.0000"),
        D("90000"),
    )


@pytest.fixture
def bill(approvals):
    case_with, approve = approvals
    recipient = _recipient(
        profit_making=True, name_zh="台朔重工股份有限公司", name_en="Formosa Heavy Industries"
    )
    case = case_with(("technology_transfer", recipient, D("1000000.00")))
    approve(date(2011, 9, 8), date(2011, 9, 26), case)
    return Bill.objects.get()  # 1,000,000 × 7‰ × 30 = NT$210,000


def test_partial_payments_until_paid_and_overpayment_refused(bill, office_user):
    services.payment_record(
        bill=bill, paid_on=date(2011, 10, 1), amount_twd=D("100000"), actor=office_user
    )
    with pytest.raises(ValidationError, match="more than the NT\\$110,000 still owed"):
        services.payment_record(
            bill=bill, paid_on=date(2011, 10, 2), amount_twd=D("110001"), actor=office_user
        )
    bill.refresh_from_db()
    assert (bill.paid_amount_twd, bill.status, bill.payments.count()) == (D("100000"), "issued", 1)
    services.payment_record(
        bill=bill, paid_on=date(2011, 10, 20), amount_twd=D("110000"), actor=office_user
    )
    bill.refresh_from_db()
    assert (bill.paid_amount_twd, bill.status) == (D("210000"), "paid")
    with pytest.raises(Conflict, match="record payment"):
        services.payment_record(
            bill=bill, paid_on=date(2011, 10, 21), amount_twd=D("1"), actor=office_user
        )


def test_overdue_blocks_the_recipient_and_paying_unblocks(
    bill, office_user, django_capture_on_commit_callbacks
):
    member = UserFactory(username="fhi-member", language="en")
    MembershipFactory(user=member, organization=bill.recipient)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.bills_mark_overdue(today=date(2011, 10, 26), actor=office_user) == 0
        )  # due today
        assert services.bills_mark_overdue(today=date(2011, 10, 27), actor=office_user) == 1
        assert services.bills_mark_overdue(today=date(2011, 10, 28), actor=office_user) == 0  # once
    bill.refresh_from_db()
    bill.recipient.refresh_from_db()
    assert bill.status == "overdue" and bill.recipient.fee_blocked is True
    assert "overdue feedback fee" in recipient_refusal(recipient=bill.recipient)
    assert {m.to[0] for m in mail.outbox} >= {member.email, office_user.email}
    services.payment_record(
        bill=bill, paid_on=date(2011, 11, 5), amount_twd=D("210000"), actor=office_user
    )
    bill.recipient.refresh_from_db()
    assert (
        bill.recipient.fee_blocked is False and recipient_refusal(recipient=bill.recipient) is None
    )


def test_a_committee_waiver_unblocks_and_needs_a_reason(bill, office_user):
    services.bills_mark_overdue(today=date(2012, 1, 1), actor=office_user)
    with pytest.raises(ValidationError):
        services.bill_waive(bill=bill, reason=" ", actor=office_user)
    services.bill_waive(bill=bill, reason="推動小組會議同意", actor=office_user)
    bill.refresh_from_db()
    bill.recipient.refresh_from_db()
    assert (bill.status, bill.closing_reason, bill.recipient.fee_blocked) == (
        "waived",
        "推動小組會議同意",
        False,
    )


def test_a_recipient_never_sees_another_recipients_bill(bill, api_client, contractor_a_member):
    mine = UserFactory(username="fhi-user")
    MembershipFactory(user=mine, organization=bill.recipient)
    other = UserFactory(username="other-firm-user")
    MembershipFactory(user=other, organization=_recipient(profit_making=True))
    for user, visible in [(mine, True), (other, False), (contractor_a_member, False)]:
        _token, key = api_token_issue(user=user, actor=user)
        client = api_client.__class__()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/bills/").json()["count"] == (1 if visible else 0)
        assert client.get(f"/api/v1/bills/{bill.pk}/").status_code == (200 if visible else 404)
        assert client.get(f"/api/v1/bills/{bill.pk}/pdf/").status_code == (200 if visible else 404)
        assert client.post(
            f"/api/v1/bills/{bill.pk}/payments/",
            {"paid_on": "2011-10-01", "amount_twd": "1"},
            format="json",
        ).status_code == (403 if visible else 404)


def test_the_api_bill_fields_and_payments(bill, api_client, office_user):
    api_client.force_authenticate(office_user)
    row = api_client.get(f"/api/v1/bills/{bill.pk}/").json()
    assert {
        k: row[k]
        for k in (
            "mode",
            "credits",
            "credit_currency",
            "rate",
            "defence_halved",
            "exchange_rate",
            "amount_twd",
            "issued_on",
            "due_on",
            "status",
            "paid_amount_twd",
        )
    } == {
        "mode": "technology_transfer",
        "credits": "1000000.00",
        "credit_currency": "USD_PTS",
        "rate": "0.0070",
        "defence_halved": False,
        "exchange_rate": "30.0000",
        "amount_twd": "210000.00",
        "issued_on": "2011-09-26",
        "due_on": "2011-10-26",
        "status": "issued",
        "paid_amount_twd": "0.00",
    }
    paid = api_client.post(
        f"/api/v1/bills/{bill.pk}/payments/",
        {"paid_on": "2011-10-01", "amount_twd": "210001"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert paid.status_code == 400 and "still owed" in str(paid.json())
    assert (
        api_client.post(
            f"/api/v1/bills/{bill.pk}/payments/",
            {"paid_on": "2011-10-01", "amount_twd": "210000", "reference": "匯款"},
            format="json",
        ).status_code
        == 201
    )
    assert api_client.get(f"/api/v1/bills/{bill.pk}/").json()["status"] == "paid"
    assert api_client.get("/api/v1/bills/", {"status": "paid"}).json()["count"] == 1
    assert api_client.get("/api/v1/exchange-rates/").json()["results"][0]["rate_twd"] == "30.0000"


def test_the_payment_notice_pdf_renders_chinese_and_the_calculation(bill, tmp_path):
    pdf = payment_notice_pdf(bill)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "工業合作回饋金繳款通知書" in text and "台朔重工股份有限公司" in text
    assert "1,000,000.00" in text and "210,000" in text and bill.number in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto-Sans-CJK-TC" in fonts  # the Chinese font is embedded, not boxes


@pytest.mark.parametrize(
    "mode,rate",
    [
        ("domestic_procurement", "0.0030"),
        ("international_marketing", "0.0060"),
        ("technology_transfer", "0.0070"),
        ("joint_rnd", "0.0070"),
        ("domestic_investment", "0.0070"),
        ("training", "0.0070"),
        ("certification", "0.0070"),
        ("joint_contracting", "0.0070"),
    ],
)
def test_each_modes_rate_is_data_with_the_regulations_default(db, mode, rate, office_user):
    from feedback.models import FeeRate
    from feedback.selectors import fee_rate_for

    assert fee_rate_for(mode=mode, on=date(2011, 9, 26)) == D(rate)  # the migration's data
    FeeRate.objects.all().delete()
    assert fee_rate_for(mode=mode, on=date(2011, 9, 26)) == D(rate)  # the default in code
    services.fee_rate_set(
        mode=mode, rate=D("0.0100"), effective_from=date(2012, 1, 1), actor=office_user
    )
    assert fee_rate_for(mode=mode, on=date(2012, 1, 1)) == D("0.0100")
