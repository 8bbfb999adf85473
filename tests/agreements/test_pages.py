"""Agreement pages: staff list, filter, sort, open, create and amend; a contractor reads
its own in its language; Excel exports."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agreements import selectors, services
from agreements.choices import CaseUse
from agreements.models import Agreement, CreditEntry
from tests.factories import ProcurementFactory, make_agreement

D = Decimal


@pytest.fixture
def agreements(office_user, contractor_a, contractor_b):
    a = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        number="ICP-2011-004",
        obligation="62000000.00",
        signed_on=date(2011, 7, 15),
    )
    services.credit_reserve(
        agreement=a,
        amount=D("2000000.00"),
        effective_on=date(2011, 9, 8),
        use=CaseUse.INDUSTRY,
        actor=office_user,
    )
    b = make_agreement(
        contractor=contractor_b,
        actor=office_user,
        number="ICP-2008-011",
        obligation="1012800000.00",
        signed_on=date(2008, 12, 20),
    )
    return a, b


def test_staff_list_shows_balance_columns_and_filters(
    client, office_user, agreements, contractor_b
):
    client.force_login(office_user)
    page = client.get(reverse("agreement_list")).content.decode()
    assert "ICP-2011-004" in page and "ICP-2008-011" in page
    assert "60,000,000.00" in page  # available of ICP-2011-004
    filtered = client.get(
        reverse("agreement_list"), {"contractor": contractor_b.pk}
    ).content.decode()
    assert "ICP-2008-011" in filtered and "ICP-2011-004" not in filtered
    after = client.get(
        reverse("agreement_list"), {"signed_on_after": "2011-01-01"}
    ).content.decode()
    assert "ICP-2011-004" in after and "ICP-2008-011" not in after


def test_the_list_totals_and_count_are_those_of_the_agreements_listed(
    client, office_user, contractor_a, contractor_b, agreements
):
    twd = make_agreement(
        contractor=contractor_a, actor=office_user, currency="TWD_PTS", obligation="900.00"
    )
    later = timezone.localdate() + timedelta(days=9)
    # An entry taking effect later: today's figures for it come from the ledger.
    services.credit_reserve(
        agreement=twd, amount=D("300.00"), effective_on=later, use=CaseUse.INDUSTRY,
        actor=office_user,
    )  # fmt: skip
    client.force_login(office_user)
    for as_of in (timezone.localdate(), later, date(2011, 8, 1)):
        for filters in ({}, {"contractor": contractor_a.pk}, {"currency": "TWD_PTS"}):
            listed = selectors.agreements_with_balances(
                user=office_user, filters=filters, as_of=as_of
            )
            totals, count = selectors.agreement_list_totals(
                user=office_user, filters=filters, as_of=as_of
            )
            assert totals == selectors.balance_totals(agreements=listed, as_of=as_of)
            assert count == listed.count() > 0
            response = client.get(reverse("agreement_list"), {**filters, "as_of": as_of})
            assert response.context["totals"] == totals
            assert response.context["page"].paginator.count == count
    (twd_total,) = selectors.agreement_list_totals(
        user=office_user, filters={"currency": "TWD_PTS"}, as_of=timezone.localdate()
    )[0]
    assert twd_total.reserved == 0 and twd_total.obligation == D("900.00")


def test_list_sorts_by_a_balance_column(client, office_user, agreements):
    client.force_login(office_user)
    up = client.get(reverse("agreement_list"), {"sort": "obligation"}).context["rows"]
    down = client.get(reverse("agreement_list"), {"sort": "-obligation"}).context["rows"]
    assert [a.number for a, _ in up] == ["ICP-2011-004", "ICP-2008-011"]
    assert [a.number for a, _ in down] == ["ICP-2008-011", "ICP-2011-004"]


def test_sorting_by_an_amount_never_interleaves_currencies_and_links_replace_the_sort(
    client, office_user, contractor_a, agreements
):
    make_agreement(
        contractor=contractor_a,
        actor=office_user,
        number="ICP-T-TWD",
        obligation="100000000.00",  # more points than ICP-2011-004, but NT$ points
        currency="TWD_PTS",
        signed_on=date(2011, 8, 1),
    )
    client.force_login(office_user)
    response = client.get(reverse("agreement_list"), {"sort": "obligation", "status": ""})
    numbers = [a.number for a, _ in response.context["rows"]]
    assert numbers.index("ICP-T-TWD") in (0, len(numbers) - 1)  # its currency apart
    html = response.content.decode()
    assert "sort=obligation&amp;sort=" not in html and "sort=-obligation" in html
    assert "status=" in html  # the other parameters kept


def test_contractor_sees_only_its_own_agreements_read_only_in_english(
    client, contractor_a_member, agreements
):
    mine, theirs = agreements
    client.force_login(contractor_a_member)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("agreement_list")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert "Available" in page and "Record a signed agreement" not in page
    detail = client.get(reverse("agreement_detail", args=[mine.pk])).content.decode()
    assert "Ledger" in detail and "Amend obligation" not in detail and "Reverse" not in detail
    assert client.get(reverse("agreement_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("agreement_ledger_xlsx", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("agreement_amend_obligation", args=[mine.pk])).status_code == 403


def test_detail_shows_the_balance_on_a_chosen_date(client, office_user, agreements):
    a, _ = agreements
    client.force_login(office_user)
    today = client.get(reverse("agreement_detail", args=[a.pk]))
    assert today.context["balance"].available == D("60000000.00")
    before = client.get(reverse("agreement_detail", args=[a.pk]), {"as_of": "2011-09-07"})
    assert before.context["balance"].available == D("62000000.00")


def test_agreement_list_exports_to_excel(client, office_user, agreements):
    client.force_login(office_user)
    response = client.get(reverse("agreement_list"), {"format": "xlsx", "sort": "number"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    header = rows[0]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_number["ICP-2011-004"]["可用額度"] == 60000000
    assert by_number["ICP-2008-011"]["義務額度"] == 1012800000


def test_ledger_exports_to_excel(client, office_user, agreements):
    a, _ = agreements
    client.force_login(office_user)
    client.cookies["django_language"] = "en"
    sheet = load_workbook(
        BytesIO(client.get(reverse("agreement_ledger_xlsx", args=[a.pk])).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Entry", "Effective on", "Kind", "Amount")
    assert [(r[2], r[3]) for r in rows[1:]] == [
        ("Obligation", 62000000),
        ("Pre-approval reserve", 2000000),
    ]


def test_staff_record_an_agreement_through_the_form(client, office_user, contractor_a):
    procurement = ProcurementFactory()
    client.force_login(office_user)
    client.cookies["django_language"] = "en"
    data = {
        "number": "ICP-2011-005",
        "procurement": procurement.pk,
        "contractor": contractor_a.pk,
        "currency": "USD_PTS",
        "obligation": "38000000.00",
        "signed_on": "2011-10-20",
        "execution_ends_on": "2011-10-01",
    }
    refused = client.post(reverse("agreement_create"), data)
    assert refused.status_code == 200
    assert "Execution must end after the signing date." in refused.content.decode()
    assert not Agreement.objects.exists()
    data["execution_ends_on"] = "2019-12-31"
    created = client.post(reverse("agreement_create"), data)
    agreement = Agreement.objects.get(number="ICP-2011-005")
    assert created.status_code == 302 and created["Location"] == reverse(
        "agreement_detail", args=[agreement.pk]
    )
    assert agreement.entries.get().amount == D("38000000.00")


def test_staff_amend_obligation_and_reverse_an_entry_in_the_browser(
    client, office_user, agreements
):
    a, _ = agreements
    client.force_login(office_user)
    client.post(
        reverse("agreement_amend_obligation", args=[a.pk]),
        {"obligation": "70000000.00", "effective_on": "2011-12-01", "reason": "修約"},
    )
    assert a.entries.filter(kind="obligation").count() == 2
    reserve = a.entries.get(kind="reserve")
    response = client.post(reverse("entry_reverse", args=[a.pk, reserve.pk]), {"reason": "誤植"})
    assert response.status_code == 302
    assert CreditEntry.objects.get(reverses=reserve).amount == D("-2000000.00")
    refused = client.post(reverse("entry_reverse", args=[a.pk, reserve.pk]), {"reason": "again"})
    assert refused.status_code == 200 and refused.context["form"].errors


def test_list_page_query_count_does_not_grow_with_agreements(
    client, office_user, contractor_a, django_assert_max_num_queries
):
    client.force_login(office_user)
    make_agreement(contractor=contractor_a, actor=office_user)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("agreement_list"))
    for _ in range(15):
        make_agreement(contractor=contractor_a, actor=office_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("agreement_list"))
    assert len(response.context["rows"]) == 16
