"""Visibility: one queryset method; out of scope is 404 in the UI and the API."""

import pytest
from django.urls import reverse

from organizations.models import Organization


def test_contractor_member_cannot_see_another_contractors_organization_in_the_ui(
    client, contractor_a_member, contractor_b
):
    client.force_login(contractor_a_member)
    assert client.get(reverse("organization_detail", args=[contractor_b.pk])).status_code == 404


def test_contractor_member_cannot_see_another_contractors_organization_in_the_api(
    api_client, contractor_a_member, contractor_b
):
    api_client.force_authenticate(contractor_a_member)
    response = api_client.get(f"/api/v1/organizations/{contractor_b.pk}/")
    assert response.status_code == 404
    listed = {row["id"] for row in api_client.get("/api/v1/organizations/").json()["results"]}
    assert contractor_b.pk not in listed


def test_contractor_member_sees_own_organization_and_public_parties(
    contractor_a_member, contractor_a, contractor_b, recipient, proposing_unit
):
    visible = set(Organization.objects.visible_to(contractor_a_member))
    assert visible == {contractor_a, recipient, proposing_unit}


def test_staff_see_every_party(office_user, contractor_a, contractor_b, recipient):
    assert set(Organization.objects.visible_to(office_user)) == {
        contractor_a,
        contractor_b,
        recipient,
    }


@pytest.mark.django_db
def test_anonymous_sees_no_party(contractor_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(AnonymousUser()).exists()


def test_member_list_is_for_managers_and_staff_only(
    client, contractor_a_member, contractor_a_manager, contractor_a
):
    url = reverse("organization_detail", args=[contractor_a.pk])
    client.force_login(contractor_a_member)
    assert contractor_a_manager.username not in client.get(url).content.decode()
    client.force_login(contractor_a_manager)
    assert contractor_a_member.username in client.get(url).content.decode()


def test_organization_list_page_query_count_does_not_grow_with_data(
    client, office_user, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory, OrganizationFactory

    client.force_login(office_user)
    MembershipFactory(organization=OrganizationFactory())
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("organization_list"))
    for _ in range(30):
        MembershipFactory(organization=OrganizationFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("organization_list"))
    assert len(response.context["organizations"]) == 31
