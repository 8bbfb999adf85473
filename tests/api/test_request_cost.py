"""What one token-authenticated API call costs in queries (issue 15, per-request cost):
the token, its user and the user's roles in one query; the rest constant with the data."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.choices import CaseUse
from organizations.services import api_token_issue
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db


def _grow(n, *, contractor, actor):
    """``n`` agreements of ``contractor`` with a reserve each (through the services)."""
    made = []
    for _ in range(n):
        agreement = make_agreement(contractor=contractor, actor=actor)
        services.credit_reserve(
            agreement=agreement,
            amount=D("1000.00"),
            effective_on=date(2011, 3, 17),
            use=CaseUse.INDIRECT_DEFENCE,
            actor=actor,
        )
        made.append(agreement)
    return made


def _token_client(api_client, user):
    _token, key = api_token_issue(user=user, actor=user, read_only=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


def _queries(client, path):
    # Once per connection the hot queries are prepared (PREPARE), and the single balance
    # sends its query with the token's once it knows the token's scope: count a later call.
    for _ in range(2):
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in captured.captured_queries]


def _role_lookups(queries):
    """Queries spent on who the caller is, beyond the token query itself."""
    return [
        sql
        for sql in queries
        if "organizations_apitoken" not in sql
        and ('FROM "auth_group"' in sql or 'FROM "organizations_membership"' in sql)
    ]


@pytest.mark.parametrize("who", ["office", "contractor"])
def test_a_token_call_finds_its_user_and_roles_in_one_query(
    who, api_client, office_user, contractor_a, contractor_a_member
):
    (agreement,) = _grow(1, contractor=contractor_a, actor=office_user)
    client = _token_client(api_client, office_user if who == "office" else contractor_a_member)
    for path in ("/api/v1/balances/", f"/api/v1/agreements/{agreement.pk}/balance/"):
        queries = _queries(client, path)
        assert sum("organizations_apitoken" in sql for sql in queries) == 1
        assert _role_lookups(queries) == []


@pytest.mark.parametrize("who", ["office", "contractor"])
def test_balance_calls_cost_the_same_queries_for_3_and_30_agreements(
    who, api_client, office_user, contractor_a, contractor_a_member, django_assert_max_num_queries
):
    first = _grow(3, contractor=contractor_a, actor=office_user)[0]
    client = _token_client(api_client, office_user if who == "office" else contractor_a_member)
    paths = ("/api/v1/balances/?page_size=500", f"/api/v1/agreements/{first.pk}/balance/")
    small = {path: len(_queries(client, path)) for path in paths}
    _grow(27, contractor=contractor_a, actor=office_user)
    for path in paths:
        with django_assert_max_num_queries(small[path]):
            response = client.get(path)
        assert response.status_code == 200
    assert client.get(paths[0]).json()["count"] == 30


def test_a_signed_in_page_loads_the_person_and_roles_in_one_query(client, contractor_a_member):
    client.force_login(contractor_a_member)
    queries = _queries(client, "/agreements/")
    user_loads = [sql for sql in queries if sql.startswith('SELECT "organizations_user"."id"')]
    assert len(user_loads) == 1 and 'FROM "auth_group"' in user_loads[0]
    assert [sql for sql in queries if sql.startswith('SELECT 1 AS "a" FROM "auth_group"')] == []
    assert [sql for sql in queries if sql.startswith('SELECT "organizations_membership"')] == []
