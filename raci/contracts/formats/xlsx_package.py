"""An xlsx package opened for streaming: its sheets by name, and each sheet's values cell by cell.

Used for contract workbooks (``raci.contracts.tables``) and for raci's own workbooks (``raci.workshop_grid``).
openpyxl's read-only mode would parse every sheet in full on opening when a sheet has no ``<dimension>`` (raci's
own workbooks have none), and its ordinary mode builds a cell for every position of a used range as it is
iterated (one stray value at XFD1048576 is 17 billion cells). Here only the package's directory, shared strings
and styles are read on opening; a sheet is parsed row by row when its values are asked for, and nothing but its
values is built. The safety checks (``raci.safety.check_zip``) bound the rows, cells and shared strings of the
package before it is opened.
"""

from __future__ import annotations

import zipfile
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


@dataclass
class SheetRef:
    name: str
    state: str  # visible, hidden or veryHidden
    part: str | None  # the sheet's XML in the package; None for a chart sheet or a missing part


@dataclass
class Package:
    archive: zipfile.ZipFile
    sheets: list[SheetRef]
    strings: list[str]
    workbook: Workbook = field(repr=False)  # openpyxl's workbook shell: epoch and date formats
    data_only: bool = True

    @property
    def sheetnames(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> SheetRef:
        return next(s for s in self.sheets if s.name == name)

    def close(self) -> None:
        self.archive.close()


def open_package(path: str | Path, *, data_only: bool) -> Package:
    """The package's sheets, shared strings and styles; no sheet is parsed. openpyxl's errors pass through."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(str(path), read_only=True, keep_vba=False, data_only=data_only, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = []
        for sheet, rel in reader.parser.find_sheets():
            part = rel.target if rel.target in reader.valid_files and "chartsheet" not in (rel.Type or "") else None
            sheets.append(SheetRef(sheet.name, sheet.state or "visible", part))
    except BaseException:
        reader.archive.close()
        raise
    return Package(reader.archive, sheets, reader.shared_strings, reader.wb, data_only)


def sheet_cells(pkg: Package, part: str) -> Generator[tuple[int, int, object], None, None]:
    """(row, column, value) of every cell of one sheet that holds a value, in the order stored.

    Formulas give their cached value when the package was opened ``data_only``, else their text ("=SUM(A1:A3)");
    dates come as dates, as openpyxl reads them. What follows the cells (merges, validations, formats) is not read.
    """
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    wb = pkg.workbook
    row_tag, data_tag = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}sheetData"
    with pkg.archive.open(part) as src:
        parser = WorkSheetParser(src, pkg.strings, data_only=pkg.data_only, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        data = None
        for event, element in iterparse(src, events=("start", "end")):
            if event == "start":
                if element.tag == data_tag:
                    data = element
                continue
            if element.tag == row_tag:
                _, cells = parser.parse_row(element)
                element.clear()
                for cell in cells:
                    value = cell["value"]
                    if value is not None and value != "":
                        yield cell["row"], cell["column"], value
            elif element.tag == data_tag:
                break
            if data is not None and len(data) > 1000:
                del data[:]  # rows already read: memory stays flat on long sheets
