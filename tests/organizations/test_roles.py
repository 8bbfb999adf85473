"""Each role lands on its own home page; anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "actor,home",
    [
        ("office_user", "home_office"),
        ("contractor_a_member", "home_contractor"),
        ("reviewer_user", "home_reviewer"),
        ("proposer_user", "home_proposer"),
        ("recipient_member", "home_recipient"),
    ],
)
def test_each_role_lands_on_its_own_home(client, request, actor, home):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "actor,forbidden",
    [
        ("contractor_a_member", "home_office"),
        ("reviewer_user", "home_contractor"),
        ("proposer_user", "home_reviewer"),
        ("contractor_a_member", "home_proposer"),
    ],
)
def test_another_roles_home_is_forbidden(client, request, actor, forbidden):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse(forbidden)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/home/office/", "/organizations/", "/account/api-keys/"])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.django_db
def test_sign_in_with_password_lands_on_the_role_home(client, office_user, password):
    response = client.post(
        reverse("login"), {"username": office_user.username, "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home_office")
    assert "home-office" in response.content.decode()
