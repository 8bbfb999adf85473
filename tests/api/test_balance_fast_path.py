"""``GET /api/v1/agreements/{id}/balance/`` with a token is answered without DRF's
per-request machinery (agreements/api/fast.py), and answers exactly as the DRF action
does; every refusal is the action's own answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from organizations.services import api_token_issue
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(office_user, contractor_a):
    return make_agreement(contractor=contractor_a, actor=office_user, obligation="1000.00")


def _path(agreement, query=""):
    return f"/api/v1/agreements/{agreement.pk}/balance/{query}"


def _token(user, **options):
    return "Token " + api_token_issue(user=user, actor=user, name="poll", **options)[1]


def _by_drf(response) -> bool:
    return hasattr(response, "data")  # a DRF Response; the fast path answers JsonResponse


@pytest.mark.parametrize("query", ["", "?as_of=2011-12-31"])
def test_a_token_call_is_answered_by_the_fast_path_exactly_as_the_action_answers(
    client, office_user, agreement, query
):
    fast = client.get(_path(agreement, query), HTTP_AUTHORIZATION=_token(office_user))
    client.force_login(office_user)
    action = client.get(_path(agreement, query))  # a browser session: the DRF action
    assert fast.status_code == action.status_code == 200
    assert not _by_drf(fast) and _by_drf(action)
    assert fast.content == action.content
    for header in ("Content-Type", "ETag", "Cache-Control", "Allow"):
        assert fast[header] == action[header], header


def test_a_client_holding_the_tag_gets_304_from_the_fast_path(client, office_user, agreement):
    token = _token(office_user)
    tag = client.get(_path(agreement), HTTP_AUTHORIZATION=token)["ETag"]
    again = client.get(_path(agreement), HTTP_AUTHORIZATION=token, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    assert not _by_drf(again)
    stale = client.get(_path(agreement), HTTP_AUTHORIZATION=token, HTTP_IF_NONE_MATCH='"old"')
    assert stale.status_code == 200 and stale["ETag"] == tag


def test_another_contractors_agreement_is_the_actions_404(client, contractor_b_member, agreement):
    response = client.get(_path(agreement), HTTP_AUTHORIZATION=_token(contractor_b_member))
    assert response.status_code == 404 and _by_drf(response)


def test_the_own_contractors_member_reads_it_by_the_fast_path(
    client, contractor_a_member, agreement
):
    response = client.get(_path(agreement), HTTP_AUTHORIZATION=_token(contractor_a_member))
    assert response.status_code == 200 and not _by_drf(response)
    assert response.json()["obligation"] == "1000.00"


@pytest.mark.parametrize(
    "authorization", ["Token not-a-key-at-all-0123456789", "Token", "Bearer abc"]
)
def test_a_refused_token_is_the_actions_401(client, agreement, authorization):
    response = client.get(_path(agreement), HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401 and _by_drf(response)
    assert "detail" in response.json()


def test_an_expired_token_and_an_inactive_account_are_refused(client, office_user, agreement):
    token = _token(office_user)
    from organizations.models import ApiToken

    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert client.get(_path(agreement), HTTP_AUTHORIZATION=token).status_code == 401
    fresh = _token(office_user)
    office_user.is_active = False
    office_user.save()
    assert client.get(_path(agreement), HTTP_AUTHORIZATION=fresh).status_code == 401


@pytest.mark.parametrize("as_of", ["2011-13-01", "yesterday", "2011-1-1x"])
def test_a_bad_date_is_the_actions_400_with_its_message(client, office_user, agreement, as_of):
    response = client.get(
        _path(agreement, f"?as_of={as_of}"),
        HTTP_AUTHORIZATION=_token(office_user),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and _by_drf(response)
    assert "as_of" in response.json()


def test_other_methods_go_to_the_action(client, office_user, agreement):
    token = _token(office_user)
    assert client.post(_path(agreement), HTTP_AUTHORIZATION=token).status_code == 405
    options = client.options(_path(agreement), HTTP_AUTHORIZATION=token)
    assert options.status_code == 200 and _by_drf(options)


def test_a_read_only_token_reads_by_the_fast_path(client, office_user, agreement):
    response = client.get(_path(agreement), HTTP_AUTHORIZATION=_token(office_user, read_only=True))
    assert response.status_code == 200 and not _by_drf(response)
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("if_none_match", ["", '"a tag it no longer holds"'])
def test_a_tokens_next_calls_are_one_statement_whatever_the_date(
    client, office_user, agreement, django_assert_num_queries, if_none_match
):
    token = _token(office_user)
    # Today (the maintained row answers); a past date the row holds for; a date before the
    # obligation took effect (signed 2011-03-01), which the ledger answers.
    dates = ("", "?as_of=2011-12-31", "?as_of=2011-02-28")
    for query in dates:
        headers = {"HTTP_AUTHORIZATION": token, "HTTP_IF_NONE_MATCH": if_none_match}
        client.get(_path(agreement, query), **headers)  # learns the scope; prepares once
        client.get(_path(agreement, query), **headers)  # prepares the queries as one
        # A tag no longer held: the light row sent with the token said so, and the ledger
        # is summed after it (a client holding a tag is not sent the sums ahead).
        ledger_after = if_none_match and query == dates[2]
        with django_assert_num_queries(2 if ledger_after else 1) as captured:
            response = client.get(_path(agreement, query), **headers)
        assert response.status_code == 200 and not _by_drf(response)
        assert "organizations_apitoken with roles + visible agreement" in captured[0]["sql"]
        client.force_login(office_user)
        assert response.content == client.get(_path(agreement, query)).content
        client.logout()


def test_a_304_is_one_statement(client, office_user, agreement, django_assert_num_queries):
    token = _token(office_user)
    tag = client.get(_path(agreement), HTTP_AUTHORIZATION=token)["ETag"]
    for _ in range(2):  # learns the scope for this query; prepares the two as one
        client.get(_path(agreement), HTTP_AUTHORIZATION=token, HTTP_IF_NONE_MATCH=tag)
    with django_assert_num_queries(1):
        again = client.get(_path(agreement), HTTP_AUTHORIZATION=token, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag


def _learned(client, token, agreement, times=3):
    for _ in range(times):  # the token's scope is learned and its statement prepared
        assert client.get(_path(agreement), HTTP_AUTHORIZATION=token).status_code == 200


def test_a_member_moved_to_another_contractor_sees_by_the_new_scope_on_the_next_call(
    client, contractor_a_member, contractor_b, office_user, agreement
):
    theirs = make_agreement(contractor=contractor_b, actor=office_user, obligation="7.00")
    token = _token(contractor_a_member)
    _learned(client, token, agreement)
    contractor_a_member.membership.organization = contractor_b
    contractor_a_member.membership.save()
    # The statement sent carries the old scope's row; the roles read with it say otherwise.
    assert client.get(_path(agreement), HTTP_AUTHORIZATION=token).status_code == 404
    moved = client.get(_path(theirs), HTTP_AUTHORIZATION=token)
    assert moved.status_code == 200 and moved.json()["obligation"] == "7.00"
    assert client.get(_path(agreement), HTTP_AUTHORIZATION=token).status_code == 404


def test_staff_taken_out_of_the_office_see_nothing_on_the_next_call(client, office_user, agreement):
    token = _token(office_user)
    _learned(client, token, agreement)
    office_user.groups.clear()
    assert client.get(_path(agreement), HTTP_AUTHORIZATION=token).status_code == 404


def test_a_revoked_token_or_a_deactivated_account_is_refused_on_the_next_call(
    client, office_user, agreement
):
    from organizations.models import ApiToken

    token = _token(office_user)
    _learned(client, token, agreement)
    office_user.is_active = False
    office_user.save()
    assert client.get(_path(agreement), HTTP_AUTHORIZATION=token).status_code == 401
    office_user.is_active = True
    office_user.save()
    _learned(client, token, agreement, times=1)
    ApiToken.objects.all().delete()
    assert client.get(_path(agreement), HTTP_AUTHORIZATION=token).status_code == 401


def test_another_token_with_the_same_key_learns_nothing_from_the_first(
    client, office_user, contractor_b_member, agreement
):
    token = _token(office_user)
    _learned(client, token, agreement)
    other = "Token " + token.split()[1][:15] + "0" * (len(token.split()[1]) - 15)
    assert client.get(_path(agreement), HTTP_AUTHORIZATION=other).status_code == 401
    assert (
        client.get(_path(agreement), HTTP_AUTHORIZATION=_token(contractor_b_member)).status_code
        == 404
    )


@pytest.mark.parametrize("key", ["caf\xe9\xff", "abc\x00def", "\x00" * 80])
@pytest.mark.parametrize("path", ["/api/v1/agreements/{pk}/balance/", "/api/v1/balances/"])
def test_a_token_of_odd_bytes_is_refused_not_an_error(client, agreement, path, key):
    response = client.get(path.format(pk=agreement.pk), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401 and "detail" in response.json()
