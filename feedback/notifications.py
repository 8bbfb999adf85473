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
