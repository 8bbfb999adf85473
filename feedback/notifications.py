"""E-mails about bills, each in the recipient's language."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from icp_portal.lib.mail import notify
from organizations.choices import OFFICE_GROUP


def bill_overdue(bill) -> None:
    users = get_user_model().objects
    context = {"bill": bill, "bill_path": reverse("bill_detail", args=[bill.pk])}
    notify(
        users.filter(membership__organization_id=bill.recipient_id, is_active=True),
        "bill_overdue",
        context,
    )
    notify(users.filter(groups__name=OFFICE_GROUP, is_active=True), "bill_overdue", context)
