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
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
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
            elif isinstance(cell.value, float | int | Decimal) and not isinstance(cell.value, bool):
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
