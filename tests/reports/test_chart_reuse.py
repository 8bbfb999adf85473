"""The statistics charts are drawn once per figures and language (issue 15: the page drew
about ten matplotlib charts on every request)."""

from decimal import Decimal

from django.utils import translation

from icp_portal.lib import charts


def test_the_same_figures_in_the_same_language_are_drawn_once():
    rows = [("Technology transfer", Decimal("1200000")), ("Training", Decimal("30000"))]
    with translation.override("en"):
        first = charts.bars("Credit by mode", rows, "points")
        again = charts.bars("Credit by mode", list(rows), "points")
        other = charts.bars("Credit by mode", [*rows, ("Investment", Decimal("5"))], "points")
    with translation.override("zh-hant"):
        chinese = charts.bars("Credit by mode", rows, "points")
    assert again is first
    assert other is not first and other.svg != first.svg
    # Axis figures read 萬/億 in Chinese and millions in English: drawn apart.
    assert chinese is not first
