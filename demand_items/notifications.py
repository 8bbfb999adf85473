"""Notices about demand items (inbox and e-mail), each in the recipient's language."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from organizations.choices import OrganizationKind
from organizations.notifications import notify


def round_opened(call) -> None:
    """The call (徵求) to every proposing unit's people, with the deadline."""
    people = get_user_model().objects.filter(
        membership__organization__kind=OrganizationKind.PROPOSING_UNIT, is_active=True
    )
    notify(people, "round_opened", {"round": call}, link=reverse("demand_item_list"))
