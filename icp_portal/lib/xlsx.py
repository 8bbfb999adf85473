"""Excel (.xlsx) downloads built with openpyxl: a header row, typed cells, frozen header."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    *, filename: str, sheet: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """One worksheet: amounts stay numbers (two decimals shown), dates stay dates."""
    return xlsx_sheets_response(filename=filename, sheets=[(sheet, headers, rows)])


def xlsx_sheets_response(
    *, filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]
) -> HttpResponse:
    """A workbook of one worksheet per ``(name, headers, rows)``, each with a bold, frozen
    header row; amounts stay numbers, dates stay dates, text stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for name, headers, rows in sheets:
        title = _sheet_title(name, used)
        worksheet = workbook.create_sheet(title)
        worksheet.append([str(h) for h in headers])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            worksheet.append([_cell(value) for value in row])
        for column in worksheet.iter_cols():
            for cell in column:
                if isinstance(cell.value, str):
                    _as_text(cell)
                elif cell.row == 1:
                    continue
                elif isinstance(cell.value, float | int | Decimal) and not isinstance(
                    cell.value, bool
                ):
                    cell.number_format = "#,##0.00"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for index, header in enumerate(headers, start=1):
            letter = worksheet.cell(row=1, column=index).column_letter
            worksheet.column_dimensions[letter].width = max(12, min(48, len(str(header)) * 2 + 4))
        worksheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sheet_title(name: str, used: set[str]) -> str:
    """A worksheet title Excel accepts: at most 31 characters, no [ ] : * ? / or backslash."""
    title = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(name))[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell) -> None:
    """Text typed by people (a reversal reason, a name) is written as text, never as a
    formula: openpyxl would store ``=HYPERLINK(...)`` as a live formula. The quote prefix
    keeps it text in Excel even when someone edits the cell."""
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _cell(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, Decimal | date | int | float | str):
        return value
    return str(value)
