"""/api/v1/organizations/, its members/ and /api/v1/reviewers/ per api.md."""

import pytest
from django.core import mail

from organizations.choices import OrganizationKind
from organizations.models import Organization, ReviewerProfile
from tests.factories import MembershipFactory, OrganizationFactory, ReviewerProfileFactory

FIELDS = {
    "id",
    "kind",
    "name_zh",
    "name_en",
    "country",
    "profit_making",
    "defence_industry",
    "bad_record",
    "fee_blocked",
    "barred",
}


def test_organization_fields_are_exactly_those_of_the_contract(api_client, office_user, recipient):
    api_client.force_authenticate(office_user)
    row = api_client.get(f"/api/v1/organizations/{recipient.pk}/").json()
    assert set(row) == FIELDS
    assert row["profit_making"] is True and row["defence_industry"] is True
    assert row["fee_blocked"] is False


def test_organizations_filter_by_kind_and_name(
    api_client, office_user, contractor_a, contractor_b, recipient
):
    api_client.force_authenticate(office_user)
    by_kind = api_client.get("/api/v1/organizations/", {"kind": "domestic_recipient"}).json()
    assert [r["id"] for r in by_kind["results"]] == [recipient.pk]
    by_name = api_client.get("/api/v1/organizations/", {"q": "boeing"}).json()
    assert [r["id"] for r in by_name["results"]] == [contractor_b.pk]
    assert set(by_name) == {"count", "next", "previous", "results"}


def test_bad_filter_value_is_a_400_not_a_500(api_client, office_user):
    api_client.force_authenticate(office_user)
    response = api_client.get("/api/v1/organizations/", {"kind": "martian"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_only_staff_write_organizations(api_client, contractor_a_member, office_user):
    body = {"kind": "procuring_agency", "name_zh": "交通部", "name_en": "MOTC", "country": "TW"}
    api_client.force_authenticate(contractor_a_member)
    assert api_client.post("/api/v1/organizations/", body, format="json").status_code == 403
    api_client.force_authenticate(office_user)
    created = api_client.post("/api/v1/organizations/", body, format="json")
    assert created.status_code == 201
    assert Organization.objects.get(pk=created.json()["id"]).name_en == "MOTC"


def test_fee_blocked_is_read_only_and_invalid_flags_are_400(api_client, office_user, recipient):
    api_client.force_authenticate(office_user)
    response = api_client.patch(
        f"/api/v1/organizations/{recipient.pk}/", {"fee_blocked": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["fee_blocked"] is False
    bad = api_client.post(
        "/api/v1/organizations/",
        {
            "kind": "foreign_contractor",
            "name_zh": "甲",
            "name_en": "A",
            "country": "US",
            "barred": True,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "non_field_errors": [
            "Only domestic recipients can be defence-industry, barred or fee-blocked."
        ]
    }


def test_members_are_listed_to_managers_and_staff_and_added_by_staff_with_invitation(
    api_client,
    django_capture_on_commit_callbacks,
    office_user,
    contractor_a,
    contractor_a_member,
    contractor_a_manager,
    contractor_b_member,
):
    url = f"/api/v1/organizations/{contractor_a.pk}/members/"
    api_client.force_authenticate(contractor_a_member)
    assert api_client.get(url).status_code == 403
    api_client.force_authenticate(contractor_b_member)
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(contractor_a_manager)
    rows = api_client.get(url).json()["results"]
    assert {r["username"] for r in rows} == {"raytheon-member", "raytheon-manager"}
    assert set(rows[0]) == {"id", "username", "email", "name", "role"}
    assert api_client.post(url, {"username": "x", "email": "x@y.z", "name": "X"}).status_code == 403

    api_client.force_authenticate(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post(
            url,
            {
                "username": "new-one",
                "email": "new@raytheon.example",
                "name": "New One",
                "role": "manager",
                "language": "en",
            },
            format="json",
        )
    assert created.status_code == 201, created.json()
    assert created.json()["role"] == "manager"
    assert mail.outbox[0].to == ["new@raytheon.example"]
    duplicate = api_client.post(url, {"username": "new-one", "email": "a@b.c", "name": "N"})
    assert duplicate.status_code == 400 and "username" in duplicate.json()


def test_reviewers_pool_is_maintained_by_staff_and_a_reviewer_sees_only_themself(
    api_client, django_capture_on_commit_callbacks, office_user, reviewer_user, contractor_a_member
):
    other = ReviewerProfileFactory(kind="official", affiliation="經濟部工業局")
    api_client.force_authenticate(reviewer_user)
    rows = api_client.get("/api/v1/reviewers/").json()["results"]
    assert [r["username"] for r in rows] == [reviewer_user.username]
    assert api_client.get(f"/api/v1/reviewers/{other.pk}/").status_code == 404
    api_client.force_authenticate(contractor_a_member)
    assert api_client.get("/api/v1/reviewers/").json()["count"] == 0

    api_client.force_authenticate(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post(
            "/api/v1/reviewers/",
            {
                "username": "scholar-x",
                "email": "s@ntu.example",
                "name": "林教授",
                "kind": "scholar",
                "affiliation": "國立臺灣大學",
                "fields": ["biotech"],
            },
            format="json",
        )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {k: body[k] for k in ("kind", "affiliation", "fields")} == {
        "kind": "scholar",
        "affiliation": "國立臺灣大學",
        "fields": ["biotech"],
    }
    assert len(mail.outbox) == 1
    patched = api_client.patch(
        f"/api/v1/reviewers/{body['id']}/", {"affiliation": "中研院"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["affiliation"] == "中研院"
    assert ReviewerProfile.objects.get(pk=body["id"]).history.count() == 2
    bad = api_client.post(
        "/api/v1/reviewers/",
        {"username": "y", "email": "bad", "name": "Y", "kind": "wizard", "affiliation": "?"},
        format="json",
    )
    assert bad.status_code == 400 and {"email", "kind"} <= set(bad.json())


def test_organization_list_query_count_does_not_grow_with_data(
    api_client, office_user, django_assert_max_num_queries
):
    api_client.force_authenticate(office_user)
    for _ in range(3):
        MembershipFactory(organization=OrganizationFactory())
    with django_assert_max_num_queries(6) as few:
        api_client.get("/api/v1/organizations/?page_size=500")
    for _ in range(40):
        MembershipFactory(
            organization=OrganizationFactory(kind=OrganizationKind.DOMESTIC_RECIPIENT)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api_client.get("/api/v1/organizations/?page_size=500")
    assert response.json()["count"] == 43


@pytest.mark.django_db
def test_schema_and_docs_are_served_with_local_assets(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/organizations/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "http://" not in docs and "https://" not in docs
