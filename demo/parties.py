"""The parties of the 2011 program year (``parties.yaml``) and one demo account for every
role with the reviewer pool (``people.yaml``).

Idempotent: a row is written only when it is missing or differs, so running the seed
twice leaves the same data (and no extra history rows).
"""

from __future__ import annotations

from demo.loader import load, party
from organizations.models import Membership, Organization, ReviewerProfile, User
from organizations.services import event_record, office_group_sync, system_user

# Every demo account signs in with this password (printed by seed_demo; demo only).
DEMO_PASSWORD: str = load("people")["password"]

PARTY_FIELDS = ("name_en", "country", "profit_making", "defence_industry")


def _upsert(model, lookup: dict, values: dict, exclude: tuple = ()):
    """Create the row, or update it only where it differs (no needless history)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean(exclude=list(exclude))
        instance.save()
        return instance, True
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean(exclude=list(exclude))
        instance.save(update_fields=changed)
    return instance, False


def _demo_user(username: str, name: str, email: str, language: str, **extra) -> User:
    user, created = _upsert(
        User,
        {"username": username},
        {"name": name, "email": email, "language": language, **extra},
        exclude=("password",),
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed() -> list[str]:
    """Seed the parties and demo people; returns lines for the command to print."""
    actor = system_user()
    office_group = office_group_sync()
    created_orgs = 0
    for spec in load("parties"):
        values = {name: spec[name] for name in PARTY_FIELDS}
        values["note"] = spec.get("note", "")
        organization, created = _upsert(
            Organization, {"kind": spec["kind"], "name_zh": spec["name_zh"]}, values
        )
        if created:
            created_orgs += 1
            event_record(
                actor=actor, target=organization, action="organization.create", note="seed_demo"
            )

    people = load("people")
    office = people["office"]
    user = _demo_user(
        office["username"], office["name"], office["email"], office["language"], is_staff=True
    )
    user.groups.add(office_group)
    accounts = [(office["username"], office["label"])]
    for colleague in people.get("office_colleagues", []):
        user = _demo_user(
            colleague["username"],
            colleague["name"],
            colleague["email"],
            colleague["language"],
            is_staff=True,
        )
        user.groups.add(office_group)
        accounts.append((colleague["username"], "ICP office staff / 工合小組"))

    for member in people["members"]:
        user = _demo_user(member["username"], member["name"], member["email"], member["language"])
        organization = party(member["party"])
        _upsert(Membership, {"user": user}, {"organization": organization, "role": member["role"]})
        accounts.append((member["username"], f"{organization.name_en} ({member['role']})"))

    reviewers = people["reviewers"]
    for reviewer in reviewers:
        username = reviewer["username"]
        user = _demo_user(username, reviewer["name"], f"{username}@reviewers.example", "zh-hant")
        _upsert(
            ReviewerProfile,
            {"user": user},
            {
                "kind": reviewer["kind"],
                "affiliation": reviewer["affiliation"],
                "fields": list(reviewer["fields"]),
                "official_of": reviewer.get("official_of", ""),
            },
        )
    accounts.append(("reviewer", f"reviewer pool ({len(reviewers)} reviewers, e.g. expert-wu)"))

    lines = [
        f"Organizations: {Organization.objects.count()} ({created_orgs} new).",
        f"Demo accounts (password for all: {DEMO_PASSWORD}):",
    ]
    lines += [f"  {username:<12} {what}" for username, what in accounts]
    return lines
