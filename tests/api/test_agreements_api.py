"""/api/v1/procurements/, /agreements/ and sub-resources, /balances/ and the contractor
balance, exactly per api.md."""

from datetime import date
from decimal import Decimal

import pytest

from agreements import services
from agreements.choices import CaseUse, PointsCurrency
from organizations.services import api_token_issue
from tests.factories import OrganizationFactory, ProcurementFactory, make_agreement

D = Decimal
BALANCE_FIELDS = {
    "agreement",
    "currency",
    "as_of",
    "obligation",
    "reserved",
    "discharged",
    "outstanding",
    "available",
    "defence_share",
    "execution_ends_on",
    "shortfall",
}


@pytest.fixture
def agreement_a(office_user, contractor_a):
    agreement = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="26726856.00",
        signed_on=date(2011, 3, 1),
    )
    services.credit_reserve(
        agreement=agreement,
        amount=D("10000000.00"),
        effective_on=date(2011, 3, 17),
        use=CaseUse.INDIRECT_DEFENCE,
        actor=office_user,
    )
    return agreement


@pytest.fixture
def agreement_b(office_user, contractor_b):
    return make_agreement(contractor=contractor_b, actor=office_user)


def _token_client(api_client, user, read_only=False):
    _token, key = api_token_issue(user=user, actor=user, read_only=read_only)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return api_client


def test_agreement_fields_and_amounts_as_two_decimal_strings(api_client, office_user, agreement_a):
    api_client.force_authenticate(office_user)
    row = api_client.get(f"/api/v1/agreements/{agreement_a.pk}/").json()
    assert {
        "id",
        "number",
        "procurement",
        "contractor",
        "currency",
        "obligation",
        "signed_on",
        "execution_ends_on",
        "defence_ratio_min",
        "status",
    } <= set(row)
    assert row["obligation"] == "26726856.00" and row["signed_on"] == "2011-03-01"
    assert row["currency"] == "USD_PTS" and row["defence_ratio_min"] is None


def test_balance_endpoint_with_as_of(api_client, office_user, agreement_a):
    api_client.force_authenticate(office_user)
    url = f"/api/v1/agreements/{agreement_a.pk}/balance/"
    after = api_client.get(url, {"as_of": "2011-03-17"}).json()
    assert set(after) == BALANCE_FIELDS
    assert after == {
        "agreement": agreement_a.pk,
        "currency": "USD_PTS",
        "as_of": "2011-03-17",
        "obligation": "26726856.00",
        "reserved": "10000000.00",
        "discharged": "0.00",
        "outstanding": "26726856.00",
        "available": "16726856.00",
        "defence_share": "1.0000",
        "execution_ends_on": "2021-12-31",
        "shortfall": "0.00",
    }
    before = api_client.get(url, {"as_of": "2011-03-16"}).json()
    assert before["reserved"] == "0.00" and before["defence_share"] is None
    bad = api_client.get(url, {"as_of": "2011-02-30"})
    assert bad.status_code == 400 and "as_of" in bad.json()


def test_balances_lists_one_row_per_visible_agreement(
    api_client, contractor_a_member, agreement_a, agreement_b
):
    client = _token_client(api_client, contractor_a_member, read_only=True)
    body = client.get("/api/v1/balances/", {"page_size": 500}).json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert set(row) == BALANCE_FIELDS | {"contractor"}
    assert row["agreement"] == agreement_a.pk and row["contractor"] == agreement_a.contractor_id
    assert row["available"] == "16726856.00"


def test_balances_filters(api_client, office_user, agreement_a, agreement_b, contractor_b):
    twd = make_agreement(
        contractor=contractor_b, actor=office_user, currency=PointsCurrency.TWD_PTS
    )
    api_client.force_authenticate(office_user)
    by_contractor = api_client.get("/api/v1/balances/", {"contractor": contractor_b.pk}).json()
    assert {r["agreement"] for r in by_contractor["results"]} == {agreement_b.pk, twd.pk}
    by_currency = api_client.get("/api/v1/balances/", {"currency": "TWD_PTS"}).json()
    assert [r["agreement"] for r in by_currency["results"]] == [twd.pk]
    agency = agreement_a.procurement.agency_id
    by_agency = api_client.get("/api/v1/balances/", {"agency": agency}).json()
    assert [r["agreement"] for r in by_agency["results"]] == [agreement_a.pk]
    early = api_client.get(
        "/api/v1/balances/", {"as_of": "2011-03-16", "contractor": agreement_a.contractor_id}
    ).json()
    assert early["results"][0]["reserved"] == "0.00"


def test_contractor_a_token_gets_404_on_contractor_bs_agreement_ledger_and_balance(
    api_client, contractor_a_member, agreement_b
):
    client = _token_client(api_client, contractor_a_member)
    for suffix in ["", "ledger/", "balance/", "multipliers/", "plan-items/", "briefings/"]:
        assert client.get(f"/api/v1/agreements/{agreement_b.pk}/{suffix}").status_code == 404, (
            suffix
        )
    assert (
        client.get(f"/api/v1/organizations/{agreement_b.contractor_id}/balance/").status_code == 404
    )
    assert client.get(f"/api/v1/procurements/{agreement_b.procurement_id}/").status_code == 404


def test_others_see_no_agreement(api_client, recipient_member, reviewer_user, agreement_a):
    for user in (recipient_member, reviewer_user):
        api_client.force_authenticate(user)
        assert api_client.get("/api/v1/agreements/").json()["count"] == 0
        assert api_client.get(f"/api/v1/agreements/{agreement_a.pk}/").status_code == 404


def test_contractor_reads_its_own_but_cannot_write(api_client, contractor_a_member, agreement_a):
    client = _token_client(api_client, contractor_a_member)
    assert client.get(f"/api/v1/agreements/{agreement_a.pk}/ledger/").status_code == 200
    response = client.post(
        f"/api/v1/agreements/{agreement_a.pk}/briefings/",
        {"held_on": "2011-04-01", "title": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert (
        client.patch(
            f"/api/v1/agreements/{agreement_a.pk}/", {"status": "completed"}, format="json"
        ).status_code
        == 403
    )


def test_staff_create_agreement_posts_the_obligation_entry(api_client, office_user, contractor_a):
    procurement = ProcurementFactory()
    api_client.force_authenticate(office_user)
    response = api_client.post(
        "/api/v1/agreements/",
        {
            "number": "ICP-2011-101",
            "procurement": procurement.pk,
            "contractor": contractor_a.pk,
            "currency": "USD_PTS",
            "obligation": "62000000.00",
            "signed_on": "2011-07-15",
            "execution_ends_on": "2016-12-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["briefing_due_on"] == "2011-10-15"
    ledger = api_client.get(f"/api/v1/agreements/{body['id']}/ledger/").json()["results"]
    assert [(e["kind"], e["amount"], e["effective_on"]) for e in ledger] == [
        ("obligation", "62000000.00", "2011-07-15")
    ]
    assert set(ledger[0]) >= {
        "id",
        "kind",
        "amount",
        "currency",
        "case",
        "meeting",
        "reverses",
        "effective_on",
        "created_at",
        "created_by",
    }
    duplicate = api_client.post(
        "/api/v1/agreements/",
        {
            "number": "ICP-2011-102",
            "procurement": procurement.pk,
            "contractor": contractor_a.pk,
            "currency": "USD_PTS",
            "obligation": "1.00",
            "signed_on": "2011-07-15",
            "execution_ends_on": "2010-12-31",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert duplicate.status_code == 400
    assert "already has an agreement on this procurement" in str(duplicate.json())


def test_a_recipient_cannot_be_the_contractor(api_client, office_user, recipient):
    api_client.force_authenticate(office_user)
    response = api_client.post(
        "/api/v1/agreements/",
        {
            "number": "ICP-X",
            "procurement": ProcurementFactory().pk,
            "contractor": recipient.pk,
            "currency": "USD_PTS",
            "obligation": "1.00",
            "signed_on": "2011-07-15",
            "execution_ends_on": "2016-12-31",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"contractor": [f"No foreign contractor has id {recipient.pk}."]}


def test_amend_obligation_and_reverse_through_the_api(api_client, office_user, agreement_a):
    api_client.force_authenticate(office_user)
    amended = api_client.post(
        f"/api/v1/agreements/{agreement_a.pk}/amend-obligation/",
        {
            "obligation": "30000000.00",
            "effective_on": "2011-06-01",
            "reason": "修約",
        },
        format="json",
    )
    assert amended.status_code == 201 and amended.json()["amount"] == "3273144.00"
    reversed_ = api_client.post(
        f"/api/v1/agreements/{agreement_a.pk}/ledger/{amended.json()['id']}/reverse/",
        {"reason": "登錄錯誤"},
        format="json",
    )
    assert reversed_.status_code == 201
    assert reversed_.json()["reverses"] == amended.json()["id"]
    assert (
        api_client.get(f"/api/v1/agreements/{agreement_a.pk}/").json()["obligation"]
        == "26726856.00"
    )
    refused = api_client.post(
        f"/api/v1/agreements/{agreement_a.pk}/amend-obligation/",
        {
            "obligation": "5000000.00",
            "effective_on": "2011-06-01",
            "reason": "x",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert "16,726,856.00 USD_PTS available" in refused.json()["detail"]


def test_sub_resources_multipliers_plan_items_briefings(api_client, office_user, agreement_a):
    api_client.force_authenticate(office_user)
    base = f"/api/v1/agreements/{agreement_a.pk}"
    created = api_client.post(
        f"{base}/multipliers/",
        {
            "mode": "technology_transfer",
            "min_multiplier": "15.00",
            "max_multiplier": "20.00",
            "effective_from": "2011-03-01",
        },
        format="json",
    )
    assert created.status_code == 201
    assert api_client.get(f"{base}/multipliers/").json()["results"] == [
        {
            "id": created.json()["id"],
            "mode": "technology_transfer",
            "min_multiplier": "15.00",
            "max_multiplier": "20.00",
            "effective_from": "2011-03-01",
        }
    ]
    item = api_client.post(
        f"{base}/plan-items/", {"mode": "training", "title": "維修訓練"}, format="json"
    )
    assert item.status_code == 201 and item.json()["demand_item"] is None
    early = api_client.post(
        f"{base}/briefings/", {"held_on": "2011-01-01", "title": "x"}, format="json"
    )
    assert early.status_code == 400
    ok = api_client.post(
        f"{base}/briefings/", {"held_on": "2011-04-20", "title": "招商說明會"}, format="json"
    )
    assert ok.status_code == 201
    assert api_client.get(f"{base}/").json()["briefing_overdue"] is False


def test_contractor_balance_per_currency(api_client, office_user, contractor_a, agreement_a):
    make_agreement(
        contractor=contractor_a,
        actor=office_user,
        obligation="500.00",
        currency=PointsCurrency.TWD_PTS,
    )
    api_client.force_authenticate(office_user)
    body = api_client.get(f"/api/v1/organizations/{contractor_a.pk}/balance/").json()
    assert body["organization"] == contractor_a.pk
    assert [(b["currency"], b["obligation"]) for b in body["balances"]] == [
        ("TWD_PTS", "500.00"),
        ("USD_PTS", "26726856.00"),
    ]
    recipient = OrganizationFactory(kind="domestic_recipient", country="TW")
    assert api_client.get(f"/api/v1/organizations/{recipient.pk}/balance/").status_code == 404


def test_balances_query_count_is_the_same_for_10_and_1000_agreements(
    api_client, office_user, contractor_a, django_assert_num_queries
):
    from agreements.models import Agreement, CreditEntry, Procurement

    def grow_to(n):
        start = Agreement.objects.count()
        agency = ProcurementFactory().agency
        procurements = Procurement.objects.bulk_create(
            Procurement(
                agency=agency,
                title_zh=f"購案{i}",
                title_en=f"P{i}",
                contract_value=D("1"),
                contract_currency="USD",
                contract_signed_on=date(2011, 1, 1),
            )
            for i in range(start, n)
        )
        agreements = Agreement.objects.bulk_create(
            Agreement(
                number=f"BULK-{i:05d}",
                procurement=p,
                contractor=contractor_a,
                currency="USD_PTS",
                obligation=D("1000.00"),
                signed_on=date(2011, 1, 1),
                execution_ends_on=date(2020, 1, 1),
                briefing_due_on=date(2011, 4, 1),
            )
            for i, p in zip(range(start, n), procurements, strict=True)
        )
        CreditEntry.objects.bulk_create(
            CreditEntry(
                agreement=a,
                kind="obligation",
                applies_to="obligation",
                amount=D("1000.00"),
                currency="USD_PTS",
                effective_on=date(2011, 1, 1),
                created_by=office_user,
            )
            for a in agreements
        )

    api_client.force_authenticate(office_user)
    grow_to(10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api_client.get("/api/v1/balances/")  # warm the user's role cache
    with CaptureQueriesContext(connection) as ten:
        first = api_client.get("/api/v1/balances/", {"page_size": 500})
    assert first.json()["count"] == 10
    assert len(ten.captured_queries) <= 3  # count + one page of balances
    grow_to(1000)
    with django_assert_num_queries(len(ten.captured_queries)):
        response = api_client.get("/api/v1/balances/", {"page_size": 500})
    assert response.json()["count"] == 1000 and len(response.json()["results"]) == 500


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agreements/abc/",
        "/api/v1/agreements/1.5/balance/",
        "/api/v1/procurements/x/",
        "/api/v1/organizations/%20/",
        "/api/v1/reviewers/null/",
    ],
)
def test_malformed_ids_are_404_never_500(api_client, office_user, path):
    api_client.force_authenticate(office_user)
    assert api_client.get(path).status_code == 404
