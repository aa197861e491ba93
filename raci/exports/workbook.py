"""One-table workbooks (the FedRAMP CRM and CAIQ sheets): title and provenance rows, a header, rows of text, a dropdown.

Every value is written as text: a party name or note that starts with ``=``, ``+``, ``-`` or ``@`` is stored as a
string with Excel's quote prefix, never as a formula; characters a worksheet cannot hold are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from raci.errors import OutputError, Problem
from raci.excel_layout import RISKY_START, clean_text
from raci.limits import EXCEL_CELL


@dataclass(frozen=True)
class Table:
    sheet: str
    title: str
    provenance: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[int]
    choices: tuple[int, Sequence[str]] | None = None  # (0-based column, allowed values): a dropdown on that column
    wrap: Sequence[int] = ()  # 0-based columns whose text wraps


def write_table(table: Table, creator: str):
    """A writer for raci.output.write_atomic: the workbook of ``table``, saved to the path it is given."""

    def write(path: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        wb = Workbook()
        ws = wb.active
        ws.title = table.sheet
        wb.properties.creator = creator
        _text(ws, 1, 1, table.title).font = Font(bold=True, size=13)
        _text(ws, 2, 1, table.provenance).font = Font(italic=True, color="595959")
        header = 3
        for c, head in enumerate(table.headers, start=1):
            cell = _text(ws, header, c, head)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F3864")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        wrap = Alignment(wrap_text=True, vertical="top")
        for r, values in enumerate(table.rows, start=header + 1):
            for c, value in enumerate(values, start=1):
                cell = _text(ws, r, c, value)
                if c - 1 in table.wrap:
                    cell.alignment = wrap
        for c, width in enumerate(table.widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        last = header + max(len(table.rows), 1)
        if table.choices is not None:
            col, values = table.choices
            letter = get_column_letter(col + 1)
            dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="Not a listed value",
                                error="Choose one of: " + ", ".join(values))
            dv.add(f"{letter}{header + 1}:{letter}{last}")
            ws.add_data_validation(dv)
        ws.freeze_panes = ws.cell(row=header + 1, column=2)
        ws.auto_filter.ref = f"A{header}:{get_column_letter(len(table.headers))}{last}"
        ws.print_title_rows = f"{header}:{header}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        wb.save(path)

    return write


def _text(ws, row: int, col: int, value: str):
    """A text cell: never a formula, whatever the text starts with."""
    text = clean_text(str(value))
    if len(text) > EXCEL_CELL:
        raise OutputError(Problem("", f"a cell of the {ws.title} sheet would hold {len(text):,} characters, more than the "
                                      f"{EXCEL_CELL:,} Excel allows in a cell; nothing was written"))
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(RISKY_START):
        cell.quotePrefix = True
    return cell
