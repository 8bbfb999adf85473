"""Notices about bills (inbox and e-mail), each in the recipient's language."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from organizations.choices import OFFICE_GROUP
from organizations.notifications import notify


def bill_overdue(bill) -> None:
    users = get_user_model().objects
    path = reverse("bill_detail", args=[bill.pk])
    context = {"bill": bill, "bill_path": path}
    notify(
        users.filter(membership__organization_id=bill.recipient_id, is_active=True),
        "bill_overdue",
        context,
        link=path,
    )
    office = users.filter(groups__name=OFFICE_GROUP, is_active=True)
    notify(office, "bill_overdue", context, link=path)


def _penalty_context(penalty) -> tuple[str, dict]:
    path = reverse("penalty_detail", args=[penalty.pk])
    return path, {"penalty": penalty, "penalty_path": path}


def penalty_issued(penalty) -> None:
    """Tell the contractor's members of a penalty the committee decided."""
    users = get_user_model().objects
    path, context = _penalty_context(penalty)
    notify(
        users.filter(membership__organization_id=penalty.agreement.contractor_id, is_active=True),
        "penalty_issued",
        context,
        link=path,
    )


def penalty_overdue(penalty) -> None:
    """Tell the contractor's members and the office that a penalty is overdue."""
    users = get_user_model().objects
    path, context = _penalty_context(penalty)
    notify(
        users.filter(membership__organization_id=penalty.agreement.contractor_id, is_active=True),
        "penalty_overdue",
        context,
        link=path,
    )
    notify(
        users.filter(groups__name=OFFICE_GROUP, is_active=True),
        "penalty_overdue",
        context,
        link=path,
    )
