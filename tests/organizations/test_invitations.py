"""Staff register parties and invite people; the invitation link works once."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from organizations.choices import MembershipRole
from organizations.models import AuditEvent, Membership, Organization, User

LINK = re.compile(r"http://\S+/accounts/set-password/\S+/")


def _invite(client, organization, **overrides):
    data = {
        "invite-username": "new-person",
        "invite-email": "new.person@raytheon.example",
        "invite-name": "New Person",
        "invite-language": "en",
        "invite-role": MembershipRole.MANAGER,
    }
    data.update({f"invite-{k}": v for k, v in overrides.items()})
    return client.post(reverse("organization_detail", args=[organization.pk]), data)


def test_staff_invite_creates_member_and_emails_a_one_time_link(
    client, django_capture_on_commit_callbacks, office_user, contractor_a
):
    client.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, contractor_a)
    assert response.status_code == 302
    user = User.objects.get(username="new-person")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).organization == contractor_a
    assert AuditEvent.objects.filter(action="user.invite", actor=office_user).exists()
    (message,) = mail.outbox
    assert message.to == ["new.person@raytheon.example"]
    assert message.subject == "Your invitation to the ICP Portal"  # in the invitee's language
    link = LINK.search(message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]

    client.logout()
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "Kaohsiung-harbour-2011", "new_password2": "Kaohsiung-harbour-2011"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("login"), {"username": "new-person", "password": "Kaohsiung-harbour-2011"}
    )
    assert signed_in.status_code == 302
    client.logout()
    again = client.get(path, follow=True)
    assert again.context["validlink"] is False


def test_invitation_refuses_a_weak_password(
    client, django_capture_on_commit_callbacks, office_user, contractor_a
):
    client.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, contractor_a)
    path = LINK.search(mail.outbox[0].body).group(0).split("127.0.0.1:8000", 1)[1]
    client.logout()
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert not User.objects.get(username="new-person").has_usable_password()


def test_invite_with_a_taken_username_shows_an_error_and_writes_nothing(
    client, office_user, contractor_a, contractor_a_member
):
    client.force_login(office_user)
    response = _invite(client, contractor_a, username=contractor_a_member.username)
    assert response.status_code == 200
    assert response.context["invite_form"].errors["username"]
    assert Membership.objects.filter(organization=contractor_a).count() == 1
    assert not mail.outbox


def test_non_staff_cannot_invite(client, contractor_a_manager, contractor_a):
    client.force_login(contractor_a_manager)
    assert _invite(client, contractor_a).status_code == 403
    assert not User.objects.filter(username="new-person").exists()


def test_staff_register_an_organization_and_the_form_refuses_bad_flags(client, office_user):
    client.force_login(office_user)
    bad = client.post(
        reverse("organization_create"),
        {
            "kind": "foreign_contractor",
            "name_zh": "洛克希德馬丁公司",
            "name_en": "Lockheed Martin",
            "country": "us",
            "defence_industry": "on",
        },
    )
    assert bad.status_code == 200
    assert (
        "Only domestic recipients" in str(bad.context["form"].errors) or bad.context["form"].errors
    )
    assert not Organization.objects.exists()
    good = client.post(
        reverse("organization_create"),
        {
            "kind": "foreign_contractor",
            "name_zh": "洛克希德馬丁公司",
            "name_en": "Lockheed Martin",
            "country": "us",
        },
    )
    organization = Organization.objects.get()
    assert good.status_code == 302 and organization.country == "US"
    assert organization.history.count() == 1


def test_staff_add_a_reviewer_to_the_pool(client, django_capture_on_commit_callbacks, office_user):
    client.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviewer_create"),
            {
                "username": "expert-new",
                "email": "expert@nthu.example",
                "name": "李教授",
                "language": "zh-hant",
                "kind": "scholar",
                "affiliation": "國立清華大學",
                "fields": ["aerospace", "defence"],
            },
        )
    assert response.status_code == 302
    profile = User.objects.get(username="expert-new").reviewer_profile
    assert profile.kind == "scholar" and profile.fields == ["aerospace", "defence"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_organization_refuses_defence_flag_outside_recipients_in_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Organization.objects.create(
            kind="foreign_contractor",
            name_zh="甲",
            name_en="A",
            country="US",
            defence_industry=True,
        )
