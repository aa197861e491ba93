"""Bounds on what raci reads and writes, in one place (the README's "Safety and limits" lists them).

Documents past a reading bound are refused with one line naming it, before they cost time or memory: real
contracts stay far below (a large customer responsibility matrix has about 1,000 rows and 30 columns). What raci
writes never passes Excel's own limits: a workbook that would is refused before anything is written.
"""

from __future__ import annotations

# Excel's limits: a workbook past them is cut or refused by Excel itself.
EXCEL_ROWS = 1_048_576  # rows of a sheet
EXCEL_COLS = 16_384  # columns of a sheet (XFD)
EXCEL_CELL = 32_767  # characters of a cell
EXCEL_FORMULA = 8_192  # characters of a formula

# Documents raci reads: contract matrices (xlsx, csv, and the tables of the other formats) and its own workbooks.
MAX_ROWS = 10_000  # rows of a sheet or csv file read (of a raci workbook: beyond the rows raci wrote there)
MAX_COLS = 100  # columns of a sheet or csv file read (of a raci workbook: beyond the columns raci wrote there)
MAX_CELLS = 100_000  # cells holding a value in one contract document, all sheets together (reading each costs ~0.1 ms)
MAX_CELL_CHARS = EXCEL_CELL  # characters of one cell (a csv field too)
# Rows, cells and shared strings in a workbook's XML, counted before any parser runs: the parser holds a whole row
# in memory, so this bounds memory whatever the rows look like.
MAX_XML_ELEMENTS = 500_000
# Cells of a sheet of a raci workbook (rows x columns of its used range): its readers visit every one.
MAX_GRID = 2_000_000
MAX_LABEL = 300  # characters of a row label compared with the catalog; the report keeps the whole label


def cell_name(row: int, col: int) -> str:
    """A1-style address of a 1-based row and column."""
    letters = ""
    n = col
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"
