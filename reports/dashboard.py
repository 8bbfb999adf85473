"""The statistics page's charts, each with the figures it draws as a table (the chart's
accessible twin), composed from the statistics object (reports.selectors)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from agreements.choices import PointsCurrency
from icp_portal.lib import charts
from reports import selectors
from reports.selectors import Period


def _unit(currency: str) -> str:
    return str(PointsCurrency(currency).label)


def _breakdowns(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Credit by mode, field, agency and use: one chart per currency with credit."""
    titles = {
        "by_mode": _("Pre-approved credit by mode"),
        "by_field": _("Pre-approved credit by field"),
        "by_agency": _("Pre-approved credit by procuring agency"),
        "by_use": _("Pre-approved credit by use"),
    }
    panels = []
    for key, title in titles.items():
        for currency in PointsCurrency.values:
            rows = [row for row in figures[key] if row["currency"] == currency]
            if not rows:
                continue
            full = f"{title} ({_unit(currency)})"
            panels.append(
                {
                    "key": f"{key}-{currency}",
                    "chart": charts.bars(
                        full, [(row["label"], row["credits"]) for row in rows], _unit(currency)
                    ),
                    "headers": [_("Item"), _("Credits"), _("Share")],
                    "rows": [
                        [row["label"], f"{row['credits']:,.2f}", _percent(row["share"])]
                        for row in rows
                    ],
                }
            )
    return panels


def _percent(share: str | Decimal) -> str:
    return f"{Decimal(share) * 100:.2f}%"


def panels(*, figures: dict[str, Any], years: list[int], agency=None, public=False) -> list:
    """Every chart of the page for the statistics object ``figures``."""
    result = _breakdowns(figures)
    # The defence share against the minimum and the target, over the program's years.
    # Series over the last ten years with decisions (up to the year shown).
    last = figures["end"].year
    decided = [year for year in selectors.meeting_years() if year <= last][-10:] or [last]
    series = selectors.defence_share_series(years=decided, agency=agency)
    title = _("Defence share of pre-approved credit")
    result.append(
        {
            "key": "defence-share",
            "chart": charts.share_line(
                title,
                [row["year"] for row in series],
                [Decimal(row["value"]) if row["by_currency"] else None for row in series],
                [
                    (_("Minimum 50%"), selectors.DEFENCE_MINIMUM),
                    (_("Target 60%"), selectors.DEFENCE_TARGET),
                ],
            ),
            "headers": [_("Year"), _("Defence share")],
            "rows": [
                [row["year"], _percent(row["value"]) if row["by_currency"] else "—"]
                for row in series
            ],
        }
    )
    # Pre-approved against actually approved credit per meeting of the period.
    per_meeting = selectors.meeting_series(
        period=Period(figures["start"], figures["end"]), agency=agency
    )
    for currency in PointsCurrency.values:
        if not any(
            row["pre_approved"][currency] or row["actually_approved"][currency]
            for row in per_meeting
        ):
            continue
        names = [
            _("%(year)s #%(number)s")
            % {"year": row["meeting"].year, "number": row["meeting"].number}
            for row in per_meeting
        ]
        title = _("Pre-approved and actually approved credit per meeting") + f" ({_unit(currency)})"
        result.append(
            {
                "key": f"per-meeting-{currency}",
                "chart": charts.grouped(
                    title,
                    names,
                    [
                        (_("Pre-approved"), [row["pre_approved"][currency] for row in per_meeting]),
                        (
                            _("Actually approved"),
                            [row["actually_approved"][currency] for row in per_meeting],
                        ),
                    ],
                    _unit(currency),
                ),
                "headers": [_("Meeting"), _("Pre-approved"), _("Actually approved")],
                "rows": [
                    [
                        name,
                        f"{row['pre_approved'][currency]:,.2f}",
                        f"{row['actually_approved'][currency]:,.2f}",
                    ]
                    for name, row in zip(names, per_meeting, strict=True)
                ],
            }
        )
    if not public and "fees" in figures:
        fee_years = decided[-6:]
        fees = selectors.fee_series(years=fee_years, agency=agency)
        title = _("Feedback fees billed and collected (NT$)")
        result.append(
            {
                "key": "fees",
                "chart": charts.grouped(
                    title,
                    [str(year) for year in fee_years],
                    [
                        (_("Billed"), [row["billed_twd"] for row in fees]),
                        (_("Collected"), [row["collected_twd"] for row in fees]),
                    ],
                    "NT$",
                ),
                "headers": [_("Year"), _("Billed"), _("Collected"), _("Overdue at year end")],
                "rows": [
                    [
                        year,
                        f"{row['billed_twd']:,.0f}",
                        f"{row['collected_twd']:,.0f}",
                        f"{row['overdue_twd']:,.0f}",
                    ]
                    for year, row in zip(fee_years, fees, strict=True)
                ],
            }
        )
    if figures.get("kpis"):
        title = _("Outcomes against the year's KPI targets")
        result.append(
            {
                "key": "kpis",
                "chart": charts.progress(
                    title, [(row["label"], Decimal(row["progress"])) for row in figures["kpis"]]
                ),
                "headers": [_("KPI"), _("Target"), _("Done"), _("Progress")],
                "rows": [
                    [
                        row["label"],
                        f"{row['target']:,.0f}",
                        f"{row['done']:,.0f}",
                        _percent(row["progress"]),
                    ]
                    for row in figures["kpis"]
                ],
            }
        )
    return result
