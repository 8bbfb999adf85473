"""seed_demo: the real 2011 parties and a demo account per role, idempotently
(demo/data/parties.yaml, people.yaml)."""

from io import StringIO

from django.core.management import call_command

from demo.parties import DEMO_PASSWORD
from organizations.choices import OrganizationKind
from organizations.models import AuditEvent, Membership, Organization, ReviewerProfile, User
from organizations.selectors import user_role


def _snapshot():
    return {
        "organizations": sorted(
            Organization.objects.values_list(
                "kind", "name_zh", "name_en", "country", "profit_making", "defence_industry"
            )
        ),
        "users": sorted(
            User.objects.values_list("username", "name", "email", "language", "password")
        ),
        "memberships": sorted(
            Membership.objects.values_list("user__username", "organization__name_zh", "role")
        ),
        "reviewers": sorted(
            ReviewerProfile.objects.values_list("user__username", "kind", "affiliation")
        ),
        "history": (
            Organization.history.count(),
            User.history.count(),
            Membership.history.count(),
            ReviewerProfile.history.count(),
        ),
        "events": AuditEvent.objects.count(),
    }


def test_seed_demo_twice_gives_the_same_data(demo_db):
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first


def test_seed_demo_has_the_real_2011_parties_with_correct_flags(demo_db):
    assert DEMO_PASSWORD in demo_db.output
    names = set(Organization.objects.values_list("name_zh", flat=True))
    assert {
        "國防部",
        "交通部臺灣鐵路管理局",
        "臺中市政府捷運工程局",
        "臺北市政府捷運工程局",
        "交通部高速鐵路工程局",
    } <= names
    contractors = set(
        Organization.objects.filter(kind=OrganizationKind.FOREIGN_CONTRACTOR).values_list(
            "name_en", flat=True
        )
    )
    for company in [
        "Raytheon",
        "Lockheed Martin",
        "Boeing",
        "Sikorsky",
        "General Electric",
        "Kawasaki",
        "Alstom",
        "Sumitomo",
        "Mitsubishi",
        "Toyota Tsusho",
    ]:
        assert any(company in name for name in contractors), company
    aidc = Organization.objects.get(name_zh__startswith="漢翔")
    assert (
        aidc.kind == OrganizationKind.DOMESTIC_RECIPIENT
        and aidc.profit_making
        and aidc.defence_industry
    )
    formosa = Organization.objects.get(name_zh__startswith="台朔重工")
    assert formosa.profit_making and not formosa.defence_industry
    assert Organization.objects.filter(kind=OrganizationKind.PROPOSING_UNIT).count() >= 6
    assert Organization.objects.get(name_zh="國立成功大學").profit_making is False


def test_seed_demo_gives_an_account_for_every_role(demo_db):
    roles = {
        user_role(user=User.objects.get(username=u))
        for u in ["office", "raytheon", "boeing", "reviewer", "proposer", "aidc", "mnd"]
    }
    assert roles == {"office", "contractor", "reviewer", "proposer", "recipient", "agency"}
    assert User.objects.get(username="raytheon").check_password(DEMO_PASSWORD)
