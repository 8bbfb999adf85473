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
