"""Feedback-fee pages: the bill list (staff: all; a recipient's members: their own; a
contractor: none) with filters, totals by status and a constant query count; the bill
page with its calculation, payments (partial, the rest, an overpayment refused), waiver and
cancellation; the payment notice PDF; the office's exchange and fee rates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.choices import CaseUse, Mode
from cases import services as case_services
from feedback import services
from feedback.choices import BillStatus
from feedback.models import Bill, ExchangeRate, FeeRate, Payment
from organizations.models import AuditEvent
from tests.factories import OrganizationFactory, make_agreement

D = Decimal
ISSUED_ON = date(2011, 8, 1)


@pytest.fixture
def agreement(office_user, contractor_a):
    return make_agreement(contractor=contractor_a, actor=office_user, obligation="90000000.00")


@pytest.fixture
def other_recipient(db):
    return OrganizationFactory(
        kind="domestic_recipient",
        name_zh="台朔重工股份有限公司",
        name_en="Formosa Heavy Industries",
        country="TW",
        profit_making=True,
        defence_industry=False,
    )


@pytest.fixture
def other_member(other_recipient):
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="fhi-member", name="黃建國")
    MembershipFactory(user=user, organization=other_recipient)
    return user


def issue_bills(agreement, actor, rows, issued_on=ISSUED_ON) -> list[Bill]:
    """An actually approved case with one activity per (recipient, credits, mode) row,
    billed through the real service (it reads only the actual credits and the flags)."""
    case = case_services.case_create(
        agreement=agreement,
        actor=actor,
        activities=[
            {
                "mode": mode,
                "recipient": recipient,
                "value": D(credits),
                "requested_multiplier": D("1.00"),
            }
            for recipient, credits, mode in rows
        ],
        title_zh="回饋金測試個案",
        title_en="Fee test case",
        use=CaseUse.INDIRECT_DEFENCE,
        field="aerospace",
        starts_on=date(2011, 4, 1),
        ends_on=date(2013, 3, 31),
    )
    for activity in case.activities.order_by("id"):
        activity.actual_credits = activity.value
        activity.save()
    return services.bills_issue_for_case(case=case, issued_on=issued_on, actor=actor)


@pytest.fixture
def bill(agreement, office_user, recipient) -> Bill:
    """The worked example: 1,000,000.00 USD points of technology transfer to a
    defence-industry firm at NT$30.0 per point → 1,000,000 × 0.007 × ½ × 30 = NT$105,000."""
    [bill] = issue_bills(
        agreement, office_user, [(recipient, "1000000.00", Mode.TECHNOLOGY_TRANSFER)]
    )
    return bill


@pytest.fixture
def other_bill(agreement, office_user, other_recipient) -> Bill:
    [bill] = issue_bills(
        agreement, office_user, [(other_recipient, "2000000.00", Mode.DOMESTIC_PROCUREMENT)]
    )
    return bill


def sign_in(client, user, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def pay(client, bill, amount, paid_on="2011-08-20", reference="TRF-1", follow=False):
    return client.post(
        reverse("bill_payment", args=[bill.pk]),
        {"payment-paid_on": paid_on, "payment-amount_twd": amount, "payment-reference": reference},
        follow=follow,
    )


# --- The list and the bill page ----------------------------------------------------------


def test_staff_see_the_list_and_the_bill_page(client, office_user, bill, other_bill):
    assert bill.amount_twd == D("105000")
    sign_in(client, office_user)
    response = client.get(reverse("bill_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert bill.number in html and other_bill.number in html
    assert "AIDC" in html and "Formosa Heavy Industries" in html
    assert "105,000" in html and "1,000,000.00" in html and "USD points" in html
    assert "7‰" in html and "3‰" in html and "30.0000" in html
    assert reverse("bill_detail", args=[bill.pk]) in html

    response = client.get(reverse("bill_detail", args=[bill.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert bill.number in html and "AIDC" in html
    # The calculation, line by line: credits × 7‰ × ½ = 3,500 points × 30 = NT$105,000.
    calc = html[html.index('data-testid="calculation"') :]
    for figure in ("1,000,000.00", "7‰", "0.0070", "½", "3,500", "30", "NT$105,000"):
        assert figure in calc
    assert reverse("bill_pdf", args=[bill.pk]) in html
    assert 'data-testid="how-to-pay"' in html and bill.number in html
    assert "Record a payment" in html and "Waive the bill" in html and "Cancel the bill" in html
    history = html[html.index('data-testid="history"') :]
    assert "Issued" in history and office_user.display_name in history


def test_the_bill_page_shows_the_rounding(client, office_user, agreement, other_recipient):
    # 333,333.33 × 0.003 × 30 = 29,999.9997 → NT$30,000 (half up to whole NT$).
    [bill] = issue_bills(
        agreement, office_user, [(other_recipient, "333333.33", Mode.DOMESTIC_PROCUREMENT)]
    )
    assert bill.amount_twd == D("30000")
    html = sign_in(client, office_user).get(reverse("bill_detail", args=[bill.pk])).content
    html = html.decode()
    assert "NT$29,999.9997" in html and "NT$30,000" in html and "not halved" in html


def test_a_recipient_member_sees_only_its_own_bills(
    client, recipient_member, bill, other_bill, office_user
):
    sign_in(client, recipient_member)
    response = client.get(reverse("bill_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert bill.number in html and other_bill.number not in html
    # Asking for another recipient's bills changes nothing.
    html = client.get(reverse("bill_list"), {"recipient": other_bill.recipient_id}).content
    assert bill.number in html.decode() and other_bill.number not in html.decode()

    assert client.get(reverse("bill_detail", args=[other_bill.pk])).status_code == 404
    assert client.get(reverse("bill_pdf", args=[other_bill.pk])).status_code == 404
    response = client.get(reverse("bill_detail", args=[bill.pk]))
    assert response.status_code == 200
    assert "Record a payment" not in response.content.decode()
    assert client.get(reverse("bill_pdf", args=[bill.pk])).status_code == 200
    # Members cannot record anything, nor open the rates.
    assert pay(client, bill, "1000").status_code == 403
    assert client.get(reverse("exchange_rate_list")).status_code == 403
    assert client.get(reverse("fee_rate_list")).status_code == 403
    assert not Payment.objects.exists()


def test_the_other_recipient_sees_only_its_bill(client, other_member, bill, other_bill):
    sign_in(client, other_member)
    html = client.get(reverse("bill_list")).content.decode()
    assert other_bill.number in html and bill.number not in html
    assert client.get(reverse("bill_detail", args=[bill.pk])).status_code == 404


def test_a_contractor_member_sees_no_bill(client, contractor_a_member, bill):
    sign_in(client, contractor_a_member)
    assert client.get(reverse("bill_list")).status_code == 403
    assert client.get(reverse("bill_detail", args=[bill.pk])).status_code == 404
    assert client.get(reverse("bill_pdf", args=[bill.pk])).status_code == 404
    assert "Feedback fees" not in client.get(reverse("home"), follow=True).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, bill):
    response = client.get(reverse("bill_detail", args=[bill.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_nav_links_for_staff_and_recipients(client, office_user, recipient_member):
    html = sign_in(client, office_user).get(reverse("home"), follow=True).content.decode()
    assert html.count(f'href="{reverse("bill_list")}"') == 2
    client.logout()
    html = sign_in(client, recipient_member).get(reverse("home"), follow=True).content.decode()
    assert html.count(f'href="{reverse("bill_list")}"') == 2


# --- Payments, waiver, cancellation ------------------------------------------------------


def test_staff_record_a_partial_payment_then_the_rest(client, office_user, bill):
    sign_in(client, office_user)
    response = pay(client, bill, "40000", reference="TRF-0815")
    assert response.status_code == 302 and response["Location"] == reverse(
        "bill_detail", args=[bill.pk]
    )
    bill.refresh_from_db()
    assert bill.paid_amount_twd == D("40000") and bill.status == BillStatus.ISSUED
    html = client.get(reverse("bill_detail", args=[bill.pk])).content.decode()
    assert "The payment was recorded." in html and "TRF-0815" in html and "65,000" in html

    pay(client, bill, "65000", paid_on="2011-08-25", reference="TRF-0825")
    bill.refresh_from_db()
    assert bill.paid_amount_twd == D("105000") and bill.status == BillStatus.PAID
    assert Payment.objects.filter(bill=bill).count() == 2
    html = client.get(reverse("bill_detail", args=[bill.pk])).content.decode()
    assert 'data-testid="bill-status">Paid<' in html
    # A paid bill takes no more payments, waiver or cancellation.
    assert "Record a payment" not in html and "Waive the bill" not in html
    assert 'data-testid="how-to-pay"' not in html and "Payment recorded" in html
    response = pay(client, bill, "1", follow=True)
    assert "“record payment” is not possible while the bill is “Paid”." in (
        response.content.decode()
    )
    assert Payment.objects.filter(bill=bill).count() == 2


def test_an_overpayment_is_refused_on_the_form(client, office_user, bill):
    sign_in(client, office_user)
    pay(client, bill, "100000")
    response = pay(client, bill, "5001", reference="TOO-MUCH")
    assert response.status_code == 200
    html = response.content.decode()
    assert "NT$5,001 is more than the NT$5,000 still owed" in html
    assert 'id="id_payment-amount_twd-error"' in html and 'value="TOO-MUCH"' in html
    bill.refresh_from_db()
    assert bill.paid_amount_twd == D("100000") and bill.status == BillStatus.ISSUED
    assert Payment.objects.filter(bill=bill).count() == 1


def test_a_payment_must_be_whole_positive_nt_dollars(client, office_user, bill):
    sign_in(client, office_user)
    html = pay(client, bill, "100.50").content.decode()
    assert "Payments are in whole NT$." in html
    html = pay(client, bill, "0").content.decode()
    assert 'id="id_payment-amount_twd-error"' in html
    assert not Payment.objects.exists()


def test_staff_waive_a_bill_with_a_reason(client, office_user, bill):
    sign_in(client, office_user)
    response = client.post(reverse("bill_waive", args=[bill.pk]), {"waive-reason": ""})
    assert response.status_code == 200 and 'id="id_waive-reason-error"' in response.content.decode()
    bill.refresh_from_db()
    assert bill.status == BillStatus.ISSUED

    reason = "第98次推動委員會同意豁免"
    response = client.post(reverse("bill_waive", args=[bill.pk]), {"waive-reason": reason})
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == BillStatus.WAIVED and bill.closing_reason == reason
    html = client.get(reverse("bill_detail", args=[bill.pk])).content.decode()
    assert reason in html and "Waived" in html and "Record a payment" not in html
    assert AuditEvent.objects.filter(action="bill.waived", note=reason).exists()


def test_staff_cancel_a_bill_with_a_reason(client, office_user, bill):
    sign_in(client, office_user)
    response = client.post(
        reverse("bill_cancel", args=[bill.pk]), {"cancel-reason": "Issued in error"}
    )
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == BillStatus.CANCELLED and bill.closing_reason == "Issued in error"
    html = client.get(reverse("bill_detail", args=[bill.pk])).content.decode()
    assert "Issued in error" in html and "Cancelled" in html
    # A closed bill cannot be waived afterwards.
    response = client.post(
        reverse("bill_waive", args=[bill.pk]), {"waive-reason": "late"}, follow=True
    )
    assert "“waive” is not possible while the bill is “Cancelled”." in response.content.decode()
    bill.refresh_from_db()
    assert bill.status == BillStatus.CANCELLED


def test_the_payment_forms_only_answer_posts(client, office_user, bill):
    sign_in(client, office_user)
    assert client.get(reverse("bill_payment", args=[bill.pk])).status_code == 405


# --- The PDF ----------------------------------------------------------------------------


def test_the_payment_notice_pdf(client, office_user, bill):
    response = sign_in(client, office_user).get(reverse("bill_pdf", args=[bill.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{bill.number}.pdf"'
    assert response.content.startswith(b"%PDF")


# --- Totals, filters, query count -------------------------------------------------------


def test_totals_by_status_and_filters(
    client, office_user, agreement, recipient, other_recipient, bill, other_bill
):
    # other_bill: 2,000,000 × 3‰ × 30 = NT$180,000, paid in full; a third bill overdue.
    services.payment_record(
        bill=other_bill, paid_on=date(2011, 8, 10), amount_twd=D("180000"), actor=office_user
    )
    services.payment_record(
        bill=bill, paid_on=date(2011, 8, 10), amount_twd=D("5000"), actor=office_user
    )
    [late] = issue_bills(
        agreement,
        office_user,
        [(other_recipient, "100000.00", Mode.INTERNATIONAL_MARKETING)],
        issued_on=date(2011, 7, 1),
    )
    services.bills_mark_overdue(today=date(2011, 8, 15), actor=office_user)
    late.refresh_from_db()
    assert late.status == BillStatus.OVERDUE and late.amount_twd == D("18000")

    sign_in(client, office_user)
    response = client.get(reverse("bill_list"))
    totals = {row["status"]: row for row in response.context["totals"]}
    assert totals["issued"]["count"] == 1
    assert totals["issued"]["amount"] == D("105000") and totals["issued"]["paid"] == D("5000")
    assert totals["issued"]["outstanding"] == D("100000")
    assert totals["paid"]["count"] == 1 and totals["paid"]["amount"] == D("180000")
    assert totals["overdue"]["count"] == 1 and totals["overdue"]["amount"] == D("18000")
    html = response.content.decode()
    totals_html = html[html.index('data-testid="totals"') :]
    assert "180,000" in totals_html and "100,000" in totals_html
    # Overdue rows are red.
    assert f'class="table-danger" data-bill="{late.number}"' in html

    # Filters narrow the list and its totals.
    response = client.get(reverse("bill_list"), {"status": "overdue"})
    assert [b.number for b in response.context["page"]] == [late.number]
    assert [row["status"] for row in response.context["totals"]] == ["overdue"]
    response = client.get(reverse("bill_list"), {"recipient": other_recipient.pk})
    assert {b.number for b in response.context["page"]} == {other_bill.number, late.number}
    response = client.get(reverse("bill_list"), {"issued_on_before": "2011-07-31"})
    assert [b.number for b in response.context["page"]] == [late.number]
    response = client.get(reverse("bill_list"), {"issued_on_after": "2011-08-01"})
    assert {b.number for b in response.context["page"]} == {bill.number, other_bill.number}
    response = client.get(reverse("bill_list"), {"issued_on_after": "not-a-date"})
    assert response.status_code == 200 and "alert-danger" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_bills(
    client, office_user, agreement, recipient, other_recipient
):
    issue_bills(agreement, office_user, [(recipient, "1000000.00", Mode.TECHNOLOGY_TRANSFER)])
    sign_in(client, office_user)
    client.get(reverse("bill_list"))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("bill_list")).status_code == 200
    issue_bills(
        agreement,
        office_user,
        [
            (recipient if n % 2 else other_recipient, f"{n + 1}00000.00", mode)
            for n, mode in enumerate(
                [Mode.DOMESTIC_PROCUREMENT, Mode.INTERNATIONAL_MARKETING, Mode.TRAINING] * 3
            )
        ],
    )
    assert Bill.objects.count() == 10
    with CaptureQueriesContext(connection) as ten:
        response = client.get(reverse("bill_list"))
    assert len(response.context["page"]) == 10
    assert len(ten) == len(one), [q["sql"] for q in ten]


def test_the_list_pages_by_fifty(client, office_user, agreement, recipient):
    issue_bills(agreement, office_user, [(recipient, "1000.00", Mode.TRAINING) for _ in range(51)])
    sign_in(client, office_user)
    response = client.get(reverse("bill_list"), {"status": "issued"})
    assert len(response.context["page"]) == 50
    assert "status=issued&amp;page=2" in response.content.decode()
    response = client.get(reverse("bill_list"), {"status": "issued", "page": 2})
    assert len(response.context["page"]) == 1


# --- Rates ------------------------------------------------------------------------------


def test_staff_enter_an_exchange_rate(client, office_user, bill):
    sign_in(client, office_user)
    response = client.get(reverse("exchange_rate_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "30.0000" in html and "never changes a bill already issued" in html
    assert 'value="TWD_PTS"' not in html

    data = {"currency": "USD_PTS", "rate_twd": "28.8000", "effective_on": "2011-07-01"}
    response = client.post(reverse("exchange_rate_list"), data)
    assert response.status_code == 302
    assert ExchangeRate.objects.filter(effective_on=date(2011, 7, 1), rate_twd=D("28.8")).exists()
    # The same currency and date again is refused on the form; a non-positive rate too.
    html = client.post(reverse("exchange_rate_list"), data).content.decode()
    assert "already has a rate on this date" in html
    html = client.post(reverse("exchange_rate_list"), {**data, "rate_twd": "0"}).content
    assert "must be positive" in html.decode()
    # The bill issued before keeps its rate and amount.
    bill.refresh_from_db()
    assert bill.exchange_rate == D("30.0") and bill.amount_twd == D("105000")


def test_staff_set_a_fee_rate(client, office_user, bill, agreement, recipient):
    sign_in(client, office_user)
    html = client.get(reverse("fee_rate_list")).content.decode()
    assert "7‰" in html and "3‰" in html and "6‰" in html and "In force today" in html
    html = client.post(
        reverse("fee_rate_list"),
        {"mode": Mode.TECHNOLOGY_TRANSFER, "rate": "7", "effective_from": "2011-09-01"},
    ).content.decode()
    assert "A rate is a fraction" in html
    response = client.post(
        reverse("fee_rate_list"),
        {"mode": Mode.TECHNOLOGY_TRANSFER, "rate": "0.0080", "effective_from": "2011-09-01"},
    )
    assert response.status_code == 302
    assert FeeRate.objects.filter(rate=D("0.0080"), effective_from=date(2011, 9, 1)).exists()
    bill.refresh_from_db()
    assert bill.rate == D("0.0070") and bill.amount_twd == D("105000")
    # A bill issued after the new rate's date uses it.
    [later] = issue_bills(
        agreement,
        office_user,
        [(recipient, "1000000.00", Mode.TECHNOLOGY_TRANSFER)],
        issued_on=date(2011, 9, 1) + timedelta(days=1),
    )
    assert later.rate == D("0.0080") and later.amount_twd == D("120000")
