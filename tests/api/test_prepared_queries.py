"""Querysets compiled once and run many times (icp_portal.lib.prepared): the same rows as
the queryset, for every scope; one compilation per variant; on PostgreSQL a server-side
prepared statement per connection that outlives a rolled-back transaction."""

import threading

import pytest
from django.db import connection, transaction

from agreements import selectors
from agreements.models import Agreement, party_scope_key
from icp_portal.lib.prepared import Prepared
from organizations.models import ApiToken, with_roles
from organizations.services import api_token_issue
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db


def _visible_rows():
    return Prepared(
        "test visible agreements",
        lambda user, pk: Agreement.objects.visible_to(user).filter(pk=pk).values("id", "number"),
        pk=-7_000_000_099,
    )


@pytest.fixture
def agreements(office_user, contractor_a, contractor_b):
    return (
        make_agreement(contractor=contractor_a, actor=office_user),
        make_agreement(contractor=contractor_b, actor=office_user),
    )


def test_rows_equal_the_querysets_for_every_scope_and_each_scope_compiles_once(
    office_user, contractor_a_member, contractor_b_member, reviewer_user, agreements
):
    prepared = _visible_rows()
    for user in (office_user, contractor_a_member, contractor_b_member, reviewer_user):
        for _ in range(2):
            for agreement in agreements:
                expected = list(
                    Agreement.objects.visible_to(user)
                    .filter(pk=agreement.pk)
                    .values("id", "number")
                )
                assert prepared.run(party_scope_key(user), user=user, pk=agreement.pk) == expected
    # office, contractor A, contractor B, no organization: four shapes, four compilations
    assert prepared.compilations == 4
    assert prepared.run(party_scope_key(contractor_a_member), user=None, pk=agreements[1].pk) == []


def test_model_instances_come_with_their_related_objects_and_annotations(
    office_user, contractor_a_member
):
    _token, key = api_token_issue(user=contractor_a_member, actor=office_user, name="x")
    prepared = Prepared(
        "test tokens",
        lambda key: with_roles(ApiToken.objects.all(), "user").filter(token_key=key),
        key="\x00test-key",
    )
    (token,) = prepared.run(None, key=key[:15])
    expected = with_roles(ApiToken.objects.all(), "user").get(token_key=key[:15])
    assert token.pk == expected.pk and token.digest == expected.digest
    assert token._office is False
    with _no_queries():
        assert token.user == contractor_a_member
        assert token.user.membership.organization == contractor_a_member.membership.organization


class _no_queries:
    def __enter__(self):
        from django.test.utils import CaptureQueriesContext

        self.captured = CaptureQueriesContext(connection).__enter__()

    def __exit__(self, *exc):
        self.captured.__exit__(*exc)
        assert len(self.captured.captured_queries) == 0, self.captured.captured_queries


def _statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_postgresql_prepares_the_statement_once_per_connection_and_keeps_it_after_a_rollback(
    office_user, agreements
):
    prepared = _visible_rows()
    before = _statements()
    with transaction.atomic():
        prepared.run("office", user=office_user, pk=agreements[0].pk)
        transaction.set_rollback(True)
    (name,) = _statements() - before
    assert name.startswith("icp_prepared_")
    rows = prepared.run("office", user=office_user, pk=agreements[1].pk)
    assert rows == [{"id": agreements[1].pk, "number": agreements[1].number}]
    assert _statements() - before == {name}


@pytest.mark.django_db(transaction=True)
def test_another_thread_runs_it_on_its_own_connection(office_user, agreements):
    prepared = _visible_rows()
    assert prepared.run("office", user=office_user, pk=agreements[0].pk)
    found = []

    def other():
        try:
            found.extend(prepared.run("office", user=office_user, pk=agreements[1].pk))
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert found == [{"id": agreements[1].pk, "number": agreements[1].number}]


def test_a_placeholder_the_query_does_not_use_is_refused(office_user):
    prepared = Prepared("test", lambda pk: Agreement.objects.filter(pk=5), pk=-7_000_000_098)
    with pytest.raises(ValueError, match="placeholders not found"):
        prepared.run(None, pk=1)


def test_a_scope_that_sees_nothing_runs_no_query(reviewer_user, agreements):
    prepared = _visible_rows()
    assert party_scope_key(reviewer_user) == "none"  # (reads the reviewer's roles)
    with _no_queries():
        assert prepared.run("none", user=reviewer_user, pk=agreements[0].pk) == []


def test_the_balance_call_authenticates_and_finds_its_row_in_two_queries(
    client, office_user, agreements, django_assert_num_queries
):
    _token, key = api_token_issue(user=office_user, actor=office_user, name="poll")
    path = f"/api/v1/agreements/{agreements[0].pk}/balance/"
    client.get(path, HTTP_AUTHORIZATION=f"Token {key}")  # compiles and prepares
    with django_assert_num_queries(2):
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["obligation"] == "1000000.00"
    assert selectors.visible_balance_row(user=office_user, pk=agreements[0].pk)["id"] == (
        agreements[0].pk
    )


@pytest.mark.parametrize("pk", ["abc", "", "9" * 30, -(2**63) - 1, None])
def test_an_id_that_is_no_whole_number_the_database_holds_matches_nothing(
    office_user, agreements, pk
):
    assert _visible_rows().run("office", user=office_user, pk=pk) == []


def test_an_id_given_as_text_finds_its_row(office_user, agreements):
    rows = _visible_rows().run("office", user=office_user, pk=str(agreements[0].pk))
    assert rows == [{"id": agreements[0].pk, "number": agreements[0].number}]
