"""Stage 1, tables: every sheet of a document as a grid of display text, with where each row is.

xlsx and xlsm (every sheet, hidden ones noted as hidden; hidden columns noted; merged cells resolved) and csv
(comma, semicolon or tab; UTF-8 with or without BOM, UTF-16, or the Windows code page). Nothing is run:
macros are never loaded and formulas give their cached values. The safety checks of ``raci.safety`` run first.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from raci.errors import DocumentError, Problem
from raci.limits import MAX_CELL_CHARS, MAX_CELLS, MAX_COLS, MAX_ROWS, cell_name
from raci.safety import UTF16_BOMS, inspect

MAX_SHEETS = 100
MAX_CELL = 4_000  # characters of a cell kept for reading; a longer cell is cut (a label is never that long)


@dataclass
class Sheet:
    """One grid: a worksheet, or the whole of a csv file. Rows hold display text (spaces collapsed)."""

    file: str
    name: str | None  # None for csv
    rows: list[list[str]]
    lines: list[int]  # the number a person sees for each row: Excel row, or csv line
    hidden: bool = False
    hidden_cols: set[int] = field(default_factory=set)  # 0-based
    merged_right: set[tuple[int, int]] = field(default_factory=set)  # (row idx, col idx) covered by a horizontal merge
    # (row idx under a one-row horizontal merge, col idx) -> (merged text, first col idx, last col idx)
    merge_parent: dict[tuple[int, int], tuple[str, int, int]] = field(default_factory=dict)
    index: int = 0  # position in the workbook
    # documents of tables (Word, PDF) stack every table in one grid; each row names its table ("table 2",
    # "page 3, table 1") and ``lines`` holds the row's number inside that table
    tables: list[str | None] | None = None
    notes: list[str] = field(default_factory=list)  # what was left out while reading, for the report

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def table_of(self, r: int) -> str | None:
        """The sheet name a row is found under: the table it belongs to in a document of tables."""
        if self.tables is not None and r < len(self.tables) and self.tables[r]:
            return self.tables[r]
        return self.name

    def cell(self, r: int, c: int) -> str:
        row = self.rows[r]
        return row[c] if c < len(row) else ""


@dataclass
class Source:
    """What was read from one file: its kind and its sheets, with notes for the report."""

    path: str
    kind: str  # xlsx or csv
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)


def fail(path: str | Path, message: str, where: str | None = None) -> DocumentError:
    return DocumentError(Problem(str(path), message, None, where))


def display(value: object) -> str:
    """A cell value as text the way a person reads it, spaces (also non-breaking ones) collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value)
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL]
    return " ".join(text.split())


def read_source(path: str | Path, sheet: str | None = None) -> Source:
    """Read a document after the safety checks: every sheet (or only ``sheet``)."""
    p = str(path)
    kind = inspect(p)
    if kind == "xlsx":
        sheets, macros = read_workbook(p, sheet)
        notes = ["the workbook contains macros; they were not run"] if macros else []
        return Source(p, "xlsx", sheets, notes + [n for s in sheets for n in s.notes])
    notes = [f"--sheet {sheet!r} ignored: a {kind} document has no sheets"] if sheet is not None else []
    if kind == "csv":
        from raci.contracts.longform import pivot

        grid = pivot(read_csv(p))  # a long-form table (activity | party | role) is read as the grid it stands for
        return Source(p, "csv", [grid], notes + grid.notes)
    from importlib import import_module

    # one module a format, imported only when a document of that format is read
    reader = import_module(f"raci.contracts.formats.{kind}")
    sheets = reader.read(p)
    if sum(1 for grid in sheets for row in grid.rows for v in row if v) > MAX_CELLS:  # each costs time to read
        raise fail(p, f"more than {MAX_CELLS:,} cells hold a value; raci reads at most {MAX_CELLS:,} cells of a document")
    return Source(p, kind, sheets, notes)


# --------------------------------------------------------------------------- csv


def decode(raw: bytes) -> str:
    """The text of a csv file: UTF-16 or UTF-8 (byte-order mark or not), else the Windows code page."""
    if raw.startswith(UTF16_BOMS):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's plain "CSV" export writes the Windows code page (and some tools add a UTF-8 mark anyway)
        return raw.decode("cp1252", errors="replace")


def read_csv(path: str | Path) -> Sheet:
    text = decode(Path(path).read_bytes())
    sample = text[:8192]  # the Sniffer is quadratic on quote-heavy text: a small sample keeps a hostile file fast
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=counts.__getitem__)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows: list[list[str]] = []
    lines: list[int] = []
    cells = cut = 0
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)  # a longer field is refused as it is read, never held whole
    try:
        start = 1
        for record in reader:
            if len(rows) >= MAX_ROWS:
                raise fail(path, f"more than {MAX_ROWS:,} rows; raci reads at most {MAX_ROWS:,} rows of a csv file")
            if len(record) > MAX_COLS and not cut and any(v.strip() for v in itertools.islice(record, MAX_COLS, None)):
                cut = start
            row = [display(c) for c in record[:MAX_COLS]]
            while row and not row[-1]:
                row.pop()
            cells += len(row)
            if cells > MAX_CELLS:
                raise fail(path, f"more than {MAX_CELLS:,} cells hold a value; raci reads at most {MAX_CELLS:,} cells of a document")
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise fail(path, f"line {start} holds a field of more than {MAX_CELL_CHARS:,} characters; raci reads at most "
                             f"{MAX_CELL_CHARS:,} characters a cell (Excel's limit)") from None
        raise fail(path, f"not readable as CSV: {exc} (line {reader.line_num})") from None
    finally:
        csv.field_size_limit(limit)
    sheet = Sheet(str(path), None, rows, lines)
    if cut:
        sheet.notes.append(f"values past column {MAX_COLS} were not read (raci reads {MAX_COLS} columns; the first is on line {cut})")
    return sheet


# --------------------------------------------------------------------------- xlsx


def read_workbook(path: str | Path, sheet: str | None = None) -> tuple[list[Sheet], bool]:
    """Every worksheet's values (or only ``sheet``) and whether the file carries macros.

    Sheets are streamed cell by cell (``formats.xlsx_package``), within MAX_ROWS rows and MAX_CELLS values; macros
    are never loaded and formulas give their cached values. openpyxl parses through defusedxml, which this package
    requires.
    """
    from raci.contracts.formats.xlsx_package import open_package

    p = str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # extensions openpyxl drops ("Unknown extension") do not matter for values
            pkg = open_package(p, data_only=True)
    except DocumentError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for damaged packages; each is a bad document
        raise fail(p, f"damaged workbook, cannot be read ({reason(exc)})") from None
    try:
        names = pkg.sheetnames
        has_macros = any(n.lower().endswith("vbaproject.bin") for n in pkg.archive.namelist())
        if sheet is not None and sheet not in names:
            match = [n for n in names if n.lower() == sheet.lower()]
            if not match:
                raise fail(p, f"no sheet named {sheet!r} (sheets: {', '.join(names)})")
            sheet = match[0]
        out = []
        budget = [MAX_CELLS]
        for i, ref in enumerate(pkg.sheets[:MAX_SHEETS]):
            if (sheet is not None and ref.name != sheet) or ref.part is None:
                continue  # another sheet, or a chart sheet
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                grid = _read_sheet(p, pkg, ref.part, ref.name, budget, several=sheet is None and len(names) > 1)
            grid.index = i
            grid.hidden = ref.state != "visible"
            out.append(grid)
        return out, has_macros
    except DocumentError:
        raise
    except Exception as exc:
        raise fail(p, f"damaged workbook, cannot be read ({reason(exc)})") from None
    finally:
        pkg.close()


def reason(exc: Exception) -> str:
    cause: BaseException | None = exc
    for _ in range(10):  # openpyxl wraps the parser's error; defusedxml's refusal may sit further down
        if cause is None:
            break
        kind = type(cause).__name__
        if "Entities" in kind or "DTD" in kind or "Forbidden" in kind:
            return "it declares XML entities, which are refused"
        cause = cause.__cause__ or cause.__context__
    name = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{name}: {text}"[:160] if text else name


def _read_sheet(p: str, pkg, part: str, name: str, budget: list[int], several: bool = False) -> Sheet:
    from raci.contracts.formats.xlsx_package import sheet_cells

    rows: list[list[str]] = []
    hint = " (pass --sheet to read another sheet of the workbook)" if several else ""
    cut, first = 0, ""
    # one text shown once: a shared string may be the value of every cell, and each copy would cost its length
    shown: dict[str, str] = {}
    for r, c, value in sheet_cells(pkg, part):
        if c > MAX_COLS and r <= MAX_ROWS:
            cut += 1
            first = first or cell_name(r, c)
            continue
        if r > MAX_ROWS:
            raise fail(p, f"the sheet's used range reaches {cell_name(r, c)}; raci reads at most {MAX_ROWS:,} rows and "
                          f"{MAX_COLS} columns of a sheet{hint}", where=name)
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise fail(p, f"cell {cell_name(r, c)} holds {len(value):,} characters; raci reads at most {MAX_CELL_CHARS:,} "
                          "characters a cell (Excel's limit)", where=name)
        budget[0] -= 1
        if budget[0] < 0:
            raise fail(p, f"more than {MAX_CELLS:,} cells hold a value; raci reads at most {MAX_CELLS:,} cells of a "
                          f"document{hint}", where=name)
        while len(rows) < r:
            rows.append([])
        row = rows[r - 1]
        while len(row) < c:
            row.append("")
        if isinstance(value, str):
            text = shown.get(value)
            if text is None:
                text = shown[value] = display(value)
        else:
            text = display(value)
        row[c - 1] = text
    for row in rows:
        while row and not row[-1]:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    sheet = Sheet(p, name, rows, list(range(1, len(rows) + 1)))
    if cut:
        sheet.notes.append(f"sheet {name!r}: {cut:,} value{'s' if cut > 1 else ''} past column {MAX_COLS} not read "
                           f"(raci reads {MAX_COLS} columns; the first is {first})")
    merges, hidden = _sheet_structure(pkg.archive, part)
    _apply_merges(p, name, sheet, merges)
    sheet.hidden_cols = hidden
    return sheet


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_COL_RE = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_ATTR_RE = re.compile(rb'\b(min|max|hidden)="([^"]*)"')


def _sheet_structure(archive: zipfile.ZipFile, member: str) -> tuple[list[tuple[int, int, int, int]], set[int]]:
    """Merged ranges (first row, first col, last row, last col) and hidden columns, from the sheet XML that
    read-only mode does not expose, streamed in chunks."""
    merges = list(_merges(archive, member))
    hidden: set[int] = set()
    with archive.open(member) as fh:
        head = fh.read(1 << 18)  # <cols> comes before <sheetData>
    end = head.find(b"sheetData")
    for m in _COL_RE.finditer(head[: end if end >= 0 else len(head)]):
        attrs = {k.decode(): v.decode() for k, v in _ATTR_RE.findall(m.group(1))}
        if attrs.get("hidden") in ("1", "true") and attrs.get("min", "").isdigit() and attrs.get("max", "").isdigit():
            lo, hi = int(attrs["min"]), min(int(attrs["max"]), MAX_COLS)
            hidden.update(range(lo - 1, hi))
    return merges, hidden


def _merges(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[int, int, int, int]]:
    from openpyxl.utils.cell import range_boundaries

    tail = b""
    with archive.open(member) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            buf = tail + chunk
            last = 0
            for m in _MERGE_RE.finditer(buf):
                c1, r1, c2, r2 = range_boundaries(m.group(1).decode())
                yield r1, c1, r2, c2
                last = m.end()
            tail = buf[max(last, len(buf) - 200):]


def _apply_merges(p: str, name: str, sheet: Sheet, merges: Iterable[tuple[int, int, int, int]]) -> None:
    rows = sheet.rows
    # Merges are clipped to the cells read; Excel never writes overlapping merges, so together they cover at
    # most every cell once, and more than that is a hostile file trying to make this loop run for ever.
    budget = len(rows) * MAX_COLS
    for r1, c1, r2, c2 in merges:
        r2, c2 = min(r2, len(rows)), min(c2, MAX_COLS)
        if r1 > r2 or c1 > c2:
            continue  # outside the cells read
        budget -= (r2 - r1 + 1) * (c2 - c1 + 1)
        if budget < 0:
            raise fail(p, f"sheet {name!r} has overlapping merged cells, which Excel never writes; refusing to read it")
        anchor = rows[r1 - 1][c1 - 1] if c1 - 1 < len(rows[r1 - 1]) else ""
        # A vertical merge one column wide (a domain cell over several rows) fills down; a block (a legend
        # text box over several columns) does not.
        if anchor and c1 == c2:
            for row in rows[r1:r2]:
                while len(row) < c1:
                    row.append("")
                if not row[c1 - 1]:
                    row[c1 - 1] = anchor
        # A horizontal merge is a banner or a group header ("MSP" over two sub-columns).
        for r in range(r1 - 1, r2):
            for c in range(c1, c2):
                sheet.merged_right.add((r, c))
        if c2 > c1 and r1 == r2:
            for c in range(c1 - 1, c2):
                sheet.merge_parent[(r1, c)] = (anchor, c1 - 1, c2 - 1)


def col_letter(c: int) -> str:
    """Excel's letters for a 0-based column index."""
    out = ""
    n = c + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int | None:
    """0-based index of a column given as letters (``C``) or a 1-based number; None if neither."""
    text = letters.strip().upper()
    if text.isdigit() and int(text) >= 1:
        return int(text) - 1
    if not re.fullmatch(r"[A-Z]{1,3}", text):
        return None
    n = 0
    for ch in text:
        n = n * 26 + ord(ch) - 64
    return n - 1
