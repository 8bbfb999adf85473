"""Conditional requests on the balances (api.md "Conditional requests"): an ETag that
changes exactly when a covered ledger entry is posted, and 304 with no body, found in one
query, while the client's tag holds."""

from datetime import date
from decimal import Decimal

import pytest

from agreements import services
from agreements.choices import CaseUse
from tests.factories import make_agreement

D = Decimal
LIST = "/api/v1/balances/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement_a(office_user, contractor_a):
    return make_agreement(contractor=contractor_a, actor=office_user, obligation="1000.00")


@pytest.fixture
def agreement_b(office_user, contractor_b):
    return make_agreement(contractor=contractor_b, actor=office_user, obligation="2000.00")


def _reserve(agreement, actor, amount="100.00"):
    services.credit_reserve(
        agreement=agreement,
        amount=D(amount),
        effective_on=date(2011, 5, 1),
        use=CaseUse.INDUSTRY,
        actor=actor,
    )


def _one(agreement) -> str:
    return f"/api/v1/agreements/{agreement.pk}/balance/"


def test_the_same_balances_get_the_same_etag_and_a_posting_changes_it(
    api_client, office_user, agreement_a, agreement_b
):
    api_client.force_authenticate(office_user)
    for path in (LIST, _one(agreement_a)):
        first, again = api_client.get(path), api_client.get(path)
        assert first.status_code == 200 and first["ETag"].startswith('"')
        assert first["ETag"] == again["ETag"] and first.json() == again.json()
        _reserve(agreement_a, office_user)
        after = api_client.get(path)
        assert after["ETag"] != first["ETag"] and after.json() != first.json()
        assert after["Cache-Control"] == "private, no-cache"


def test_a_client_holding_the_etag_gets_304_with_no_body(
    api_client, office_user, agreement_a, agreement_b
):
    api_client.force_authenticate(office_user)
    for path in (LIST, _one(agreement_a)):
        tag = api_client.get(path)["ETag"]
        for held in (tag, f"W/{tag}", f'"other", {tag}', "*"):
            response = api_client.get(path, HTTP_IF_NONE_MATCH=held)
            assert response.status_code == 304, held
            assert response.content == b"" and response["ETag"] == tag
        assert api_client.get(path, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
        _reserve(agreement_a, office_user)
        assert api_client.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_the_304_is_found_in_one_query_without_computing_the_body(
    api_client, office_user, agreement_a, agreement_b, django_assert_num_queries
):
    api_client.force_authenticate(office_user)
    for path in (f"{LIST}?page_size=500", _one(agreement_a)):
        tag = api_client.get(path)["ETag"]  # also warms the user's role
        with django_assert_num_queries(1) as captured:
            assert api_client.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304
        assert "agreements_creditentry" not in captured.captured_queries[0]["sql"]


def test_another_tenant_other_filters_or_another_date_get_another_etag(
    api_client, office_user, contractor_a_member, contractor_b_member, agreement_a, agreement_b
):
    tags = set()
    for user in (office_user, contractor_a_member, contractor_b_member):
        api_client.force_authenticate(user)
        tags.add(api_client.get(LIST)["ETag"])
    api_client.force_authenticate(office_user)
    for query in ({"currency": "TWD_PTS"}, {"as_of": "2011-12-31"}, {"page_size": 1}):
        tags.add(api_client.get(LIST, query)["ETag"])
    tags.add(api_client.get(_one(agreement_a))["ETag"])
    tags.add(api_client.get(_one(agreement_b))["ETag"])
    tags.add(api_client.get(_one(agreement_a), {"as_of": "2011-12-31"})["ETag"])
    assert len(tags) == 9


def test_a_posting_the_list_does_not_cover_keeps_its_etag(
    api_client, office_user, contractor_a, agreement_a, agreement_b
):
    api_client.force_authenticate(office_user)
    query = {"contractor": contractor_a.pk}
    tag = api_client.get(LIST, query)["ETag"]
    one = api_client.get(_one(agreement_a))["ETag"]
    _reserve(agreement_b, office_user)
    assert api_client.get(LIST, query, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert api_client.get(_one(agreement_a), HTTP_IF_NONE_MATCH=one).status_code == 304
    assert api_client.get(LIST, HTTP_IF_NONE_MATCH=tag).status_code == 200  # the whole list


def test_a_new_end_of_execution_changes_the_etag(api_client, office_user, agreement_a):
    api_client.force_authenticate(office_user)
    tags = [api_client.get(LIST)["ETag"], api_client.get(_one(agreement_a))["ETag"]]
    services.agreement_update(
        agreement=agreement_a, actor=office_user, execution_ends_on=date(2030, 6, 30)
    )
    assert api_client.get(LIST, HTTP_IF_NONE_MATCH=tags[0]).status_code == 200
    assert api_client.get(_one(agreement_a), HTTP_IF_NONE_MATCH=tags[1]).status_code == 200


def test_an_invisible_agreement_is_404_whatever_the_etag(
    api_client, contractor_b_member, agreement_a
):
    api_client.force_authenticate(contractor_b_member)
    assert api_client.get(_one(agreement_a), HTTP_IF_NONE_MATCH="*").status_code == 404


def test_the_contractor_balance_has_an_etag_that_a_posting_or_a_new_bank_changes(
    api_client, office_user, contractor_a, agreement_a, agreement_b
):
    api_client.force_authenticate(office_user)
    path = f"/api/v1/organizations/{contractor_a.pk}/balance/"
    tag = api_client.get(path)["ETag"]
    response = api_client.get(path, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304 and response.content == b""
    _reserve(agreement_b, office_user)  # another contractor's agreement
    assert api_client.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304
    _reserve(agreement_a, office_user)
    moved = api_client.get(path, HTTP_IF_NONE_MATCH=tag)
    assert moved.status_code == 200 and moved["ETag"] != tag
    services.credit_bank_open(
        contractor=contractor_a,
        currency="USD_PTS",
        opening_balance=D("50.00"),
        opening_as_of=date(2011, 1, 1),
        actor=office_user,
    )
    assert api_client.get(path, HTTP_IF_NONE_MATCH=moved["ETag"]).status_code == 200
