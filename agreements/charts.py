"""The charts of an agreement's page and of a contractor's: balances over time."""

from __future__ import annotations

from django.utils.translation import gettext as _

from agreements import selectors
from agreements.choices import PointsCurrency
from agreements.models import CreditEntry
from icp_portal.lib import charts


def balance_panels(*, entries, title: str) -> list[dict]:
    """One chart per currency of the entries: obligation, discharged, reserved and
    available after each day the ledger moved, with the same figures as a table."""
    panels = []
    for currency, points in selectors.balance_history(entries=entries).items():
        unit = str(PointsCurrency(currency).label)
        names = [
            ("obligation", _("Obligation")),
            ("discharged", _("Discharged")),
            ("reserved", _("Reserved")),
            ("available", _("Available")),
        ]
        chart = charts.timeline(
            f"{title} ({unit})",
            [point["date"] for point in points],
            [(label, [point[key] for point in points]) for key, label in names],
            unit,
        )
        panels.append(
            {
                "key": f"balance-{currency}",
                "chart": chart,
                "headers": [_("Date"), *[label for _key, label in names]],
                "rows": [
                    [point["date"].isoformat(), *[f"{point[key]:,.2f}" for key, _l in names]]
                    for point in points
                ],
            }
        )
    return panels


def agreement_panels(*, agreement) -> list[dict]:
    return balance_panels(
        entries=CreditEntry.objects.filter(agreement=agreement), title=_("Balance over time")
    )
