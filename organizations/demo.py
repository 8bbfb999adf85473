"""Demo data of the parties and people: the real parties of the 2011 program year
(``demo_parties.py``) and one demo account for every role.

Idempotent: a row is written only when it is missing or differs, so running the seed
twice leaves the same data (and no extra history rows).
"""

from __future__ import annotations

from django.db import transaction

from organizations.choices import Field, Language, MembershipRole, OrganizationKind, ReviewerKind
from organizations.demo_parties import PARTIES
from organizations.models import Membership, Organization, ReviewerProfile, User
from organizations.services import event_record, office_group_sync, system_user

# Every demo account signs in with this password (printed by seed_demo; demo only).
DEMO_PASSWORD = "ICP-demo-2011!"

# username, name, e-mail, language, organization (kind, name_zh), role
DEMO_MEMBERS = [
    (
        "raytheon",
        "John Miller",
        "offsets@raytheon.example",
        Language.EN,
        (OrganizationKind.FOREIGN_CONTRACTOR, "雷神公司"),
        MembershipRole.MANAGER,
    ),
    (
        "raytheon2",
        "Susan Clark",
        "s.clark@raytheon.example",
        Language.EN,
        (OrganizationKind.FOREIGN_CONTRACTOR, "雷神公司"),
        MembershipRole.MEMBER,
    ),
    (
        "boeing",
        "Mary Johnson",
        "icp@boeing.example",
        Language.EN,
        (OrganizationKind.FOREIGN_CONTRACTOR, "波音公司"),
        MembershipRole.MANAGER,
    ),
    (
        "kawasaki",
        "Takeshi Sato",
        "icp@khi.example",
        Language.EN,
        (OrganizationKind.FOREIGN_CONTRACTOR, "川崎重工業株式會社"),
        MembershipRole.MANAGER,
    ),
    (
        "aidc",
        "林志明",
        "icp@aidc.example",
        Language.ZH_HANT,
        (OrganizationKind.DOMESTIC_RECIPIENT, "漢翔航空工業股份有限公司"),
        MembershipRole.MANAGER,
    ),
    (
        "proposer",
        "張美玲",
        "demand@aerospace-office.example",
        Language.ZH_HANT,
        (OrganizationKind.PROPOSING_UNIT, "經濟部航太工業發展推動小組"),
        MembershipRole.MANAGER,
    ),
    (
        "mnd",
        "李建國",
        "icp@mnd.example",
        Language.ZH_HANT,
        (OrganizationKind.PROCURING_AGENCY, "國防部"),
        MembershipRole.MEMBER,
    ),
]

# username, name, kind, affiliation, fields — the pool sub-committees and panels draw on.
DEMO_REVIEWERS = [
    (
        "reviewer",
        "陳永華",
        ReviewerKind.EXPERT,
        "國立清華大學動力機械工程學系",
        [Field.AEROSPACE, Field.DEFENCE],
    ),
    ("expert-wu", "吳振豪", ReviewerKind.EXPERT, "航空太空工業專家", [Field.AEROSPACE]),
    ("expert-huang", "黃淑芬", ReviewerKind.EXPERT, "資通訊產業專家", [Field.THREE_C]),
    ("expert-tsai", "蔡明達", ReviewerKind.EXPERT, "軌道運輸系統專家", [Field.RAIL]),
    ("expert-kuo", "郭文彬", ReviewerKind.EXPERT, "能源產業專家", [Field.ENERGY]),
    ("assoc-taia", "劉德明", ReviewerKind.ASSOCIATION, "台灣區航太工業同業公會", [Field.AEROSPACE]),
    ("official-ida", "周雅惠", ReviewerKind.OFFICIAL, "經濟部工業局", [Field.OTHER]),
    ("official-doit", "許國榮", ReviewerKind.OFFICIAL, "經濟部技術處", [Field.OTHER]),
    ("scholar-lin", "林佳慧", ReviewerKind.SCHOLAR, "國立臺灣大學", [Field.BIOTECH]),
    ("scholar-yang", "楊志偉", ReviewerKind.SCHOLAR, "國立成功大學", [Field.DEFENCE]),
    ("research-itri", "鄭光宇", ReviewerKind.RESEARCH, "財團法人工業技術研究院", [Field.THREE_C]),
    ("research-ncsist", "謝宗翰", ReviewerKind.RESEARCH, "國防部中山科學研究院", [Field.DEFENCE]),
    (
        "research-mirdc",
        "王俊傑",
        ReviewerKind.RESEARCH,
        "財團法人金屬工業研究發展中心",
        [Field.OTHER],
    ),
]


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


# Officials' departments (the demand-item panel seats one of each).
OFFICIAL_OF = {"official-ida": "idb", "official-doit": "doit"}


@transaction.atomic
def seed() -> list[str]:
    """Seed the parties and demo people; returns lines for the command to print."""
    actor = system_user()
    office_group = office_group_sync()
    created_orgs = 0
    for party in PARTIES:
        values = {
            "name_en": party["name_en"],
            "country": party["country"],
            "profit_making": party["profit_making"],
            "defence_industry": party["defence_industry"],
            "note": party.get("note", ""),
        }
        organization, created = _upsert(
            Organization, {"kind": party["kind"], "name_zh": party["name_zh"]}, values
        )
        if created:
            created_orgs += 1
            event_record(
                actor=actor, target=organization, action="organization.create", note="seed_demo"
            )

    office = _demo_user("office", "王怡君", "office@icp.example", Language.ZH_HANT, is_staff=True)
    office.groups.add(office_group)
    accounts = [("office", "ICP office staff / 工合小組")]

    for username, name, email, language, (kind, name_zh), role in DEMO_MEMBERS:
        user = _demo_user(username, name, email, language)
        organization = Organization.objects.get(kind=kind, name_zh=name_zh)
        _upsert(Membership, {"user": user}, {"organization": organization, "role": role})
        accounts.append((username, f"{organization.name_en} ({role})"))

    for username, name, kind, affiliation, fields in DEMO_REVIEWERS:
        user = _demo_user(username, name, f"{username}@reviewers.example", Language.ZH_HANT)
        _upsert(
            ReviewerProfile,
            {"user": user},
            {
                "kind": kind,
                "affiliation": affiliation,
                "fields": [str(f) for f in fields],
                "official_of": OFFICIAL_OF.get(username, ""),
            },
        )
    accounts.append(
        ("reviewer", f"reviewer pool ({len(DEMO_REVIEWERS)} reviewers, e.g. expert-wu)")
    )

    lines = [
        f"Organizations: {Organization.objects.count()} ({created_orgs} new).",
        f"Demo accounts (password for all: {DEMO_PASSWORD}):",
    ]
    lines += [f"  {username:<12} {what}" for username, what in accounts]
    return lines
