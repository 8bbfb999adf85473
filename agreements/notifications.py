"""Notices about procurements before their agreement (inbox and e-mail), each in the
recipient's language."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from organizations.notifications import notify
from organizations.selectors import office_staff


def agreement_due(procurement, *, today: date) -> int:
    """Tell the office that a procurement's agreement is due soon (LOA + 6 months)."""
    path = reverse("procurement_detail", args=[procurement.pk])
    context = {
        "procurement": procurement,
        "due_on": procurement.agreement_due_on,
        "days": (procurement.agreement_due_on - today).days,
        "procurement_path": path,
    }
    return notify(office_staff(), "agreement_due", context, link=path)


def guarantee_expiring(guarantee, *, today: date) -> int:
    """Tell the office that a held guarantee expires within 60 days while its agreement's
    obligation is still open (domain.md §13)."""
    path = reverse("agreement_detail", args=[guarantee.agreement_id]) + "#guarantees"
    context = {
        "guarantee": guarantee,
        "agreement": guarantee.agreement,
        "days": (guarantee.valid_until - today).days,
        "agreement_path": path,
    }
    return notify(office_staff(), "guarantee_expiring", context, link=path)
