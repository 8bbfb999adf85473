"""API tokens as api.md says: shown once, stored hashed, read-only flag, expiry."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from organizations.models import ApiToken
from organizations.services import api_token_issue


def _auth(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return api_client


def test_issue_api_token_prints_the_key_alone_on_its_last_line(office_user, api_client):
    out = StringIO()
    call_command(
        "issue_api_token", office_user.username, "--days", "30", stdout=out, stderr=StringIO()
    )
    key = out.getvalue().strip().splitlines()[-1]
    assert " " not in key and len(key) >= 32
    assert _auth(api_client, key).get("/api/v1/organizations/").status_code == 200
    token = ApiToken.objects.get(user=office_user)
    assert timedelta(days=29) < token.expiry - timezone.now() <= timedelta(days=30)


def test_a_tokens_key_is_not_stored_in_clear(office_user):
    _token, key = api_token_issue(user=office_user, actor=office_user)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert all(key not in value for value in stored)
    assert ApiToken.objects.get().digest != key


def test_read_only_token_gets_403_on_post_but_reads(office_user, api_client):
    _token, key = api_token_issue(user=office_user, actor=office_user, read_only=True)
    client = _auth(api_client, key)
    assert client.get("/api/v1/organizations/").status_code == 200
    response = client.post(
        "/api/v1/organizations/",
        {
            "kind": "foreign_contractor",
            "name_zh": "奇異公司",
            "name_en": "General Electric",
            "country": "US",
        },
        format="json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "This API token is read-only."}


def test_a_read_write_token_acts_as_its_user(office_user, api_client):
    _token, key = api_token_issue(user=office_user, actor=office_user)
    response = _auth(api_client, key).post(
        "/api/v1/organizations/",
        {
            "kind": "foreign_contractor",
            "name_zh": "奇異公司",
            "name_en": "General Electric",
            "country": "US",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_an_expired_token_is_refused(office_user, api_client):
    token, key = api_token_issue(user=office_user, actor=office_user, days=1)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _auth(api_client, key).get("/api/v1/organizations/").status_code == 401


@pytest.mark.django_db
def test_no_credentials_gets_401_and_a_wrong_key_too(api_client):
    assert api_client.get("/api/v1/organizations/").status_code == 401
    assert _auth(api_client, "not-a-key").get("/api/v1/organizations/").status_code == 401


def test_api_key_page_shows_a_new_key_once(client, contractor_a_member):
    client.force_login(contractor_a_member)
    response = client.post(
        "/account/api-keys/", {"name": "offset tool", "read_only": "on", "days": 90}
    )
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    again = client.get("/account/api-keys/").content.decode()
    assert key not in again
    assert ApiToken.objects.get(user=contractor_a_member).read_only is True
