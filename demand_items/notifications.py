"""E-mails about demand items, each in the recipient's language."""

from django.contrib.auth import get_user_model

from icp_portal.lib.mail import notify
from organizations.choices import OrganizationKind


def round_opened(call) -> None:
    """The call (徵求) to every proposing unit's people, with the deadline."""
    people = get_user_model().objects.filter(
        membership__organization__kind=OrganizationKind.PROPOSING_UNIT, is_active=True
    )
    notify(people, "round_opened", {"round": call})
