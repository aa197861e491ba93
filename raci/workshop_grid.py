"""A rendered workbook read back within bounds: each sheet's cells that hold a value, streamed once.

openpyxl's ordinary mode builds a cell for every position of a sheet's used range as it is iterated: one stray
value at XFD1048576 is 17 billion cells. Here a sheet is streamed cell by cell (``contracts.formats.xlsx_package``)
and only its values are kept; a value outside the rows and columns raci reads of that sheet (the ones raci wrote
there, and ``MAX_ROWS`` rows and ``MAX_COLS`` columns more for what a workshop adds) is counted and named, never
read, and a sheet whose used range still covers more than ``MAX_GRID`` cells is refused. ``Book`` and ``Grid`` offer
the part of openpyxl's workbook and worksheet interface the workshop readers use.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from raci.errors import DocumentError, Problem
from raci.limits import EXCEL_CELL, MAX_COLS, MAX_GRID, MAX_ROWS, cell_name


@dataclass(frozen=True)
class GridCell:
    row: int
    column: int
    value: object

    @property
    def coordinate(self) -> str:
        return cell_name(self.row, self.column)


@dataclass(frozen=True)
class Outside:
    """Values of a sheet past the rows and columns read: how many, and the first of them."""

    first: str
    count: int
    rows: int
    cols: int

    def message(self) -> str:
        what = "a value" if self.count == 1 else f"{self.count:,} values"
        return (f"{what} outside the {self.rows:,} rows and {self.cols:,} columns raci reads of this sheet: "
                f"{'it is' if self.count == 1 else 'they are'} not read")


class Grid:
    """The values of one sheet, by (row, column)."""

    def __init__(self, title: str, cells: dict[tuple[int, int], object]):
        self.title = title
        self._cells = cells
        self.max_row = max((r for r, _ in cells), default=1)
        self.max_column = max((c for _, c in cells), default=1)

    def cell(self, row: int, column: int) -> GridCell:
        return GridCell(row, column, self._cells.get((row, column)))

    def __getitem__(self, coordinate: str) -> GridCell:
        from openpyxl.utils.cell import coordinate_to_tuple

        return self.cell(*coordinate_to_tuple(coordinate))

    def iter_rows(self, min_row: int | None = None, max_row: int | None = None, min_col: int | None = None,
                  max_col: int | None = None, values_only: bool = False) -> Iterator[tuple]:
        min_row, min_col = min_row or 1, min_col or 1
        max_row, max_col = max_row or self.max_row, max_col or self.max_column
        get = self._cells.get
        for r in range(min_row, max_row + 1):
            if values_only:
                yield tuple(get((r, c)) for c in range(min_col, max_col + 1))
            else:
                yield tuple(GridCell(r, c, get((r, c))) for c in range(min_col, max_col + 1))


class Book:
    """A workbook opened read-only; each sheet is read the first time it is asked for, within ``extents`` (sheet ->
    the rows and columns raci wrote there; set them before the sheet is read)."""

    def __init__(self, path: Path):
        from raci.contracts.formats.xlsx_package import open_package

        self.path = path
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # extensions openpyxl drops do not matter for reading values
            self._pkg = open_package(path, data_only=False)  # formulas as their text: the Check column is one
        self.sheetnames: list[str] = self._pkg.sheetnames
        self.extents: dict[str, tuple[int, int]] = {}
        self.outside: dict[str, Outside] = {}
        self._grids: dict[str, Grid] = {}

    def __getitem__(self, name: str) -> Grid:
        if name not in self._grids:
            self._grids[name] = self._read(name)
        return self._grids[name]

    def close(self) -> None:
        self._pkg.close()

    def _read(self, name: str) -> Grid:
        from raci.contracts.formats.xlsx_package import sheet_cells

        part = self._pkg.sheet(name).part
        if part is None:
            return Grid(name, {})  # a chart sheet holds no cells
        rows, cols = self.extents.get(name, (0, 0))
        rows, cols = rows + MAX_ROWS, cols + MAX_COLS
        cells: dict[tuple[int, int], object] = {}
        first, count = "", 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for r, c, value in sheet_cells(self._pkg, part):
                if r > rows or c > cols:
                    first, count = first or cell_name(r, c), count + 1
                    continue
                if isinstance(value, str) and len(value) > EXCEL_CELL:
                    raise DocumentError(Problem(str(self.path), f"holds {len(value):,} characters, more than the "
                                                                f"{EXCEL_CELL:,} an Excel cell can hold", where=f"{name}!{cell_name(r, c)}"))
                cells[(r, c)] = value
        if count:
            self.outside[name] = Outside(first, count, rows, cols)
        grid = Grid(name, cells)
        if grid.max_row * grid.max_column > MAX_GRID:  # the readers visit every cell of the used range
            far = cell_name(grid.max_row, grid.max_column)
            raise DocumentError(Problem(str(self.path), f"the sheet's used range reaches {far}, "
                                                        f"{grid.max_row * grid.max_column:,} cells; raci reads at most "
                                                        f"{MAX_GRID:,} cells of a sheet", where=name))
        return grid
