"""Querysets compiled once and run many times (icp_portal.lib.prepared): the same rows as
the queryset, for every scope; one compilation per variant; on PostgreSQL a server-side
prepared statement per connection that outlives a rolled-back transaction."""

import threading

import pytest
from django.db import close_old_connections, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from agreements import selectors
from agreements.models import Agreement, party_scope_key
from icp_portal.lib.prepared import Prepared, fetched_together
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


def test_the_balance_call_authenticates_and_finds_its_row_in_one_statement(
    client, office_user, agreements, django_assert_num_queries
):
    _token, key = api_token_issue(user=office_user, actor=office_user, name="poll")
    path = f"/api/v1/agreements/{agreements[0].pk}/balance/"
    for _ in range(2):  # compiles and prepares each; then both as one
        client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
    with django_assert_num_queries(1):
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


def _tokens():
    return Prepared(
        "test tokens",
        lambda key: with_roles(ApiToken.objects.all(), "user").filter(token_key=key),
        key="\x00test-key",
    )


def test_queries_fetched_together_give_each_the_rows_it_would_have_queried(
    office_user, contractor_a_member, agreements, django_assert_num_queries
):
    _token, key = api_token_issue(user=contractor_a_member, actor=office_user, name="x")
    tokens, visible = _tokens(), _visible_rows()
    scope = party_scope_key(contractor_a_member)
    member = contractor_a_member
    alone = (tokens.run(None, key=key[:15]), visible.run(scope, user=member, pk=agreements[0].pk))
    nothing = visible.run(scope, user=None, pk=agreements[1].pk)  # contractor B's: not seen
    for pk, expected in ((agreements[0].pk, alone[1]), (agreements[1].pk, nothing)):
        # the first time: PREPARE in a savepoint, then EXECUTE; after that EXECUTE only
        with (
            django_assert_num_queries(4 if pk == agreements[0].pk else 1),
            fetched_together(
                tokens.call(None, key=key[:15]), visible.call(scope, pk=pk)
            ) as fetched,
        ):
            assert fetched
            (token,) = tokens.run(None, key=key[:15])
            assert visible.run(scope, user=None, pk=pk) == expected
        assert token.pk == alone[0][0].pk and token.digest == alone[0][0].digest
        assert token.user == contractor_a_member and token._office is False
        with _no_queries():
            assert token.user.membership.organization_id == agreements[0].contractor_id
    assert alone[1] == [{"id": agreements[0].pk, "number": agreements[0].number}]


def test_rows_fetched_for_one_variant_are_not_given_to_another_and_are_taken_once(
    office_user, contractor_a_member, agreements, django_assert_num_queries
):
    visible = _visible_rows()
    office, member = party_scope_key(office_user), party_scope_key(contractor_a_member)
    pk = agreements[1].pk  # contractor B's: the office sees it, contractor A's member not
    assert visible.run(office, user=office_user, pk=pk) and not visible.run(
        member, user=contractor_a_member, pk=pk
    )
    with fetched_together(visible.call(office, pk=pk), visible.call(member, pk=pk + 1)):
        with django_assert_num_queries(1):  # the member's scope with this id was not sent
            assert visible.run(member, user=contractor_a_member, pk=pk) == []
        with django_assert_num_queries(0):
            assert visible.run(office, user=office_user, pk=pk)[0]["id"] == pk
        with django_assert_num_queries(1):  # taken once
            assert visible.run(office, user=office_user, pk=pk)[0]["id"] == pk
    with django_assert_num_queries(1):  # and only inside the block
        visible.run(member, user=contractor_a_member, pk=pk + 1)


def test_a_variant_not_compiled_yet_is_left_out_and_runs_as_usual(
    office_user, agreements, django_assert_num_queries
):
    _token, key = api_token_issue(user=office_user, actor=office_user, name="x")
    tokens, visible = _tokens(), _visible_rows()
    with fetched_together(visible.call("office", pk=agreements[0].pk)) as fetched:
        assert not fetched  # nothing compiled: nothing sent
        assert visible.run("office", user=office_user, pk=agreements[0].pk)[0]["id"] == (
            agreements[0].pk
        )
    tokens.run(None, key=key[:15])  # compiled now; the visible rows' "none" scope not yet
    with fetched_together(
        tokens.call(None, key=key[:15]), visible.call("none", pk=agreements[0].pk)
    ) as fetched:
        assert fetched
        with django_assert_num_queries(0):
            assert tokens.run(None, key=key[:15])[0].user == office_user
        assert visible.run("none", user=None, pk=agreements[0].pk) == []  # (matches nothing)
    with fetched_together(visible.call("office", pk="not an id")) as fetched:
        assert not fetched
        assert visible.run("office", user=office_user, pk="not an id") == []


@pytest.fixture
def kept_connection(monkeypatch):
    """The connection kept between requests, as in production (``DB_CONN_MAX_AGE``), with
    Django's health check on; counts the checks Django makes (``is_usable``)."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    checks = []
    wrapper = type(connections["default"])
    usable = wrapper.is_usable

    def counted(self):
        checks.append(self)
        return usable(self)

    monkeypatch.setattr(wrapper, "is_usable", counted)
    yield checks
    connection.close()


def _poll(client, path, key):
    """A request as the server sees it: Django's test client leaves the connection's
    per-request bookkeeping out (``close_old_connections``), a server runs it first."""
    close_old_connections()
    return client.get(path, HTTP_AUTHORIZATION=f"Token {key}")


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    import psycopg2

    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
    )
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_is_checked_by_the_call_itself_not_by_a_select_1_first(
    client, office_user, agreements, kept_connection
):
    _token, key = api_token_issue(user=office_user, actor=office_user, name="poll")
    path = f"/api/v1/agreements/{agreements[0].pk}/balance/"
    for _ in range(3):  # learns the token's scope; prepares; the connection is kept
        assert _poll(client, path, key).status_code == 200
    pid = _backend_pid()
    kept_connection.clear()
    response = _poll(client, path, key)
    assert response.status_code == 200
    assert kept_connection == []  # no health check: the statement went alone
    assert _backend_pid() == pid
    close_old_connections()
    _backend_pid()  # any other first query of a request: Django's check, as before
    assert kept_connection == [connections["default"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/api/v1/agreements/{pk}/balance/", "/api/v1/balances/"])
def test_a_connection_the_server_dropped_is_opened_again_and_the_call_answered(
    client, office_user, agreements, kept_connection, path
):
    _token, key = api_token_issue(user=office_user, actor=office_user, name="poll")
    path = path.format(pk=agreements[0].pk)
    for _ in range(3):
        expected = _poll(client, path, key)
        assert expected.status_code == 200
    pid = _backend_pid()
    _terminate(pid)  # e.g. the database restarted between two polls
    response = _poll(client, path, key)
    assert response.status_code == 200 and response.content == expected.content
    assert _backend_pid() != pid
    assert _poll(client, path, key).content == expected.content


@pytest.mark.django_db(transaction=True)
def test_a_statement_that_fails_on_a_live_connection_is_not_sent_again(
    office_user, agreements, kept_connection
):
    from django.db import DatabaseError

    prepared = Prepared(
        "test failing",
        lambda pk: Agreement.objects.extra(where=["1 / %s = 1"], params=[0]).filter(pk=pk),
        pk=-7_000_000_097,
    )
    _backend_pid()
    close_old_connections()  # a new request: the kept connection not yet checked
    with CaptureQueriesContext(connection) as captured, pytest.raises(DatabaseError):
        prepared.run(None, pk=agreements[0].pk)
    sent = [q["sql"] for q in captured.captured_queries if "EXECUTE" in q["sql"]]
    assert len(sent) == 1, sent  # division by zero: the connection is fine, the error stands
    assert kept_connection == [connections["default"]]  # (asked once, to tell which failed)


def test_only_slot_values_are_passed_and_constants_are_written_into_the_statement(
    office_user, contractor_a, agreements
):
    from organizations.models import Organization

    Organization.objects.filter(pk=contractor_a.pk).update(name_en="O'Brien 100% \\ Sons")
    prepared = Prepared(
        "test constants",
        lambda pk: Agreement.objects.filter(
            pk=pk, contractor__name_en="O'Brien 100% \\ Sons"
        ).values("id"),
        pk=-7_000_000_096,
    )
    with CaptureQueriesContext(connection) as captured:
        assert prepared.run(None, pk=agreements[0].pk) == [{"id": agreements[0].pk}]
        assert prepared.run(None, pk=agreements[1].pk) == []  # contractor B's
    executed = [q["sql"] for q in captured.captured_queries if "EXECUTE" in q["sql"]]
    assert executed[-1].endswith(f"({agreements[1].pk})")  # the slot's value alone
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%O''Brien 100%"],
        )
        (statement,) = cursor.fetchone()
    assert "$1" in statement and "$2" not in statement


@pytest.mark.django_db(transaction=True)
def test_queries_that_fail_together_are_each_sent_alone_and_fail_only_if_they_must(
    office_user, agreements, caplog
):
    from django.db import DatabaseError

    _token, key = api_token_issue(user=office_user, actor=office_user, name="x")
    tokens = _tokens()
    failing = Prepared(
        "test failing part",
        lambda pk: Agreement.objects.extra(where=["1 / (%s - 1) = 1"], params=[1]).filter(pk=pk),
        pk=-7_000_000_095,
    )
    tokens.run(None, key=key[:15])
    with pytest.raises(DatabaseError):
        failing.run(None, pk=agreements[0].pk)  # compiled; fails (division by zero)
    with (
        CaptureQueriesContext(connection) as captured,
        fetched_together(
            tokens.call(None, key=key[:15]), failing.call(None, pk=agreements[0].pk)
        ) as fetched,
    ):
        assert not fetched
        assert tokens.run(None, key=key[:15])[0].user == office_user  # sent alone
        with pytest.raises(DatabaseError):
            failing.run(None, pk=agreements[0].pk)
    assert "test tokens + test failing part" in caplog.text
    assert any("test tokens */ EXECUTE" in q["sql"] for q in captured.captured_queries)
