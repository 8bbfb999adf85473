"""The statistics as a workbook: the figures, then one sheet per breakdown, the figures
as typed cells (credits and NT$ as numbers, shares as numbers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from agreements.choices import PointsCurrency
from icp_portal.lib.xlsx import xlsx_sheets_response


def statistics_xlsx(figures: dict[str, Any]):
    period = str(figures["year"] or f"{figures['start']}_{figures['end']}")
    return xlsx_sheets_response(
        filename=f"statistics-{period}.xlsx", sheets=statistics_sheets(figures)
    )


def statistics_sheets(figures: dict[str, Any]) -> list:
    """The statistics object as worksheets: the figures, each breakdown, fees, outcomes."""
    usd, twd = PointsCurrency.USD_PTS, PointsCurrency.TWD_PTS
    summary = [
        (_("Agreements signed (obligation)"), "agreements_signed", "obligation"),
        (_("Pre-approved"), "pre_approved", "credits"),
        (_("Actually approved"), "actually_approved", "credits"),
        (_("In execution at the end (reserved)"), "in_execution", "credits"),
    ]
    rows: list[list] = [
        [label, figures[key]["count"], figures[key][amounts][usd], figures[key][amounts][twd]]
        for label, key, amounts in summary
    ]
    rows += [
        [_("Rejected"), figures["rejected"]["count"], None, None],
        [_("Renegotiate"), figures["renegotiate"]["count"], None, None],
        [
            _("Defence share of pre-approved credit"),
            None,
            Decimal(figures["defence_share"]["value"]),
            None,
        ],
    ]
    sheets = [
        (
            _("Figures"),
            [
                _("Figure"),
                _("Count"),
                str(PointsCurrency(usd).label),
                str(PointsCurrency(twd).label),
            ],
            rows,
        )
    ]
    for key, title in (
        ("by_mode", _("By mode")),
        ("by_field", _("By field")),
        ("by_agency", _("By procuring agency")),
        ("by_use", _("By use")),
    ):
        sheets.append(
            (
                title,
                [_("Item"), _("Currency"), _("Credits"), _("Share")],
                [
                    [row["label"], row["currency"], row["credits"], Decimal(row["share"])]
                    for row in figures[key]
                ],
            )
        )
    if "fees" in figures:
        fees = figures["fees"]
        sheets.append(
            (
                _("Feedback fees (NT$)"),
                [_("Billed"), _("Collected"), _("Overdue at the end")],
                [[fees["billed_twd"], fees["collected_twd"], fees["overdue_twd"]]],
            )
        )
    outcomes = figures["outcomes"]
    sheets.append(
        (
            _("Outcomes"),
            [
                _("Technologies introduced"),
                _("Investment (NT$)"),
                _("Orders (NT$)"),
                _("Added output (NT$)"),
                _("People trained"),
                _("Jobs"),
            ],
            [
                [
                    outcomes["technologies"],
                    outcomes["investment_twd"],
                    outcomes["orders_twd"],
                    outcomes["added_output_twd"],
                    outcomes["people_trained"],
                    outcomes["jobs"],
                ]
            ],
        )
    )
    return sheets
