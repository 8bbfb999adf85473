"""Choices of the parties and people (TextChoices, never bare strings in code)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """The kinds of party of domain.md §2."""

    FOREIGN_CONTRACTOR = "foreign_contractor", _("Foreign contractor")
    PROCURING_AGENCY = "procuring_agency", _("Procuring agency")
    DOMESTIC_RECIPIENT = "domestic_recipient", _("Domestic recipient")
    PROPOSING_UNIT = "proposing_unit", _("Proposing unit")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    MANAGER = "manager", _("Manager")


class ReviewerKind(models.TextChoices):
    """Where a reviewer of the pool comes from (sub-committees and panels draw on them)."""

    EXPERT = "expert", _("Expert")
    ASSOCIATION = "association", _("Trade association")
    OFFICIAL = "official", _("Government official")
    SCHOLAR = "scholar", _("Scholar")
    RESEARCH = "research", _("Research institute")


class OfficialOf(models.TextChoices):
    """Which ministry department an official reviewer serves (panels seat one of each)."""

    IDB = "idb", _("Industrial Development Bureau / Administration")
    DOIT = "doit", _("Department of Industrial Technology")


class Field(models.TextChoices):
    """Industry fields of cases, demand items and reviewers' expertise."""

    DEFENCE = "defence", _("Defence")
    AEROSPACE = "aerospace", _("Aerospace")
    THREE_C = "3c", _("3C (computers, communications, consumer electronics)")
    RAIL = "rail", _("Rail")
    ENERGY = "energy", _("Energy")
    BIOTECH = "biotech", _("Biotech")
    OTHER = "other", _("Other")


class PortalRole(models.TextChoices):
    """What a signed-in person is in the portal; decides their home page."""

    OFFICE = "office", _("ICP office staff")
    CONTRACTOR = "contractor", _("Foreign contractor")
    RECIPIENT = "recipient", _("Domestic recipient")
    AGENCY = "agency", _("Procuring agency")
    PROPOSER = "proposer", _("Proposing unit")
    REVIEWER = "reviewer", _("Reviewer")
    NONE = "none", _("No role yet")


class Language(models.TextChoices):
    ZH_HANT = "zh-hant", "繁體中文"
    EN = "en", "English"


ROLE_BY_KIND = {
    OrganizationKind.FOREIGN_CONTRACTOR: PortalRole.CONTRACTOR,
    OrganizationKind.DOMESTIC_RECIPIENT: PortalRole.RECIPIENT,
    OrganizationKind.PROCURING_AGENCY: PortalRole.AGENCY,
    OrganizationKind.PROPOSING_UNIT: PortalRole.PROPOSER,
}

# The Django group of the ICP office (工合小組); its members are the portal's staff.
OFFICE_GROUP = "ICP office staff"
# The account that background tasks and commands act as when no person does.
SYSTEM_USERNAME = "icp-system"
