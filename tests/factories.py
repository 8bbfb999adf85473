"""factory_boy factories of the parties and people."""

import factory
from factory.django import DjangoModelFactory

from organizations.choices import MembershipRole, OrganizationKind, ReviewerKind
from organizations.models import Membership, Organization, ReviewerProfile, User

PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.FOREIGN_CONTRACTOR
    name_zh = factory.Sequence(lambda n: f"測試機構{n}")
    name_en = factory.Sequence(lambda n: f"Test Organization {n}")
    country = "US"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MembershipRole.MEMBER


class ReviewerProfileFactory(DjangoModelFactory):
    class Meta:
        model = ReviewerProfile

    user = factory.SubFactory(UserFactory)
    kind = ReviewerKind.EXPERT
    affiliation = "國立清華大學"
    fields = factory.LazyFunction(lambda: ["aerospace"])


# --- Agreements --------------------------------------------------------------------------

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

from agreements.choices import PointsCurrency  # noqa: E402
from agreements.models import Procurement  # noqa: E402


class ProcurementFactory(DjangoModelFactory):
    class Meta:
        model = Procurement

    agency = factory.SubFactory(
        OrganizationFactory, kind=OrganizationKind.PROCURING_AGENCY, country="TW"
    )
    title_zh = factory.Sequence(lambda n: f"採購案{n}")
    title_en = factory.Sequence(lambda n: f"Procurement {n}")
    contract_value = Decimal("1000000000.00")
    contract_currency = "USD"
    contract_signed_on = date(2011, 1, 10)


def make_agreement(
    *,
    contractor,
    actor,
    obligation="1000000.00",
    currency=PointsCurrency.USD_PTS,
    signed_on=date(2011, 3, 1),
    number=None,
    procurement=None,
    **extra,
):
    """A signed agreement through the real service (its obligation entry is posted)."""
    from agreements.services import agreement_create

    make_agreement.counter = getattr(make_agreement, "counter", 0) + 1
    return agreement_create(
        actor=actor,
        number=number or f"ICP-T-{make_agreement.counter:05d}",
        procurement=procurement or ProcurementFactory(),
        contractor=contractor,
        currency=currency,
        obligation=Decimal(obligation),
        signed_on=signed_on,
        execution_ends_on=date(signed_on.year + 10, 12, 31),
        **extra,
    )


def demand_panel_members() -> list:
    """Seven reviewers seated as a demand-item panel must be: IDB, DoIT, 3 research, 2 scholars."""
    seats = [
        ("official", "idb"),
        ("official", "doit"),
        ("research", ""),
        ("research", ""),
        ("research", ""),
        ("scholar", ""),
        ("scholar", ""),
    ]
    return [ReviewerProfileFactory(kind=kind, official_of=of) for kind, of in seats]
