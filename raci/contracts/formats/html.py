"""HTML documents: every ``<table>`` as rows of cell text, stacked in one grid under the headings before it.

Read with the standard library's ``html.parser`` (a real tokenizer, no pattern scraping) driven by an explicit
stack, so nesting depth costs nothing. ``colspan`` puts the text in the first column and records the merge the
way a workbook's merged cells are recorded; ``rowspan`` fills the text down. A table nested in a cell is read
as its own table after its parent. ``<script>``, ``<style>`` and ``<template>`` are ignored; nothing is fetched
or run. Entities are decoded; ``<br>``, ``<p>`` and list items inside a cell join with spaces.

The helpers the Markdown and AsciiDoc readers share live here too: the heading chain (:class:`Headings`), the
table as read (:class:`Table`), the bounds (:class:`Limits`) and the stacking into one grid (:func:`stack`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from raci.contracts.tables import Sheet, _apply_merges, decode, display, fail

MAX_TABLES = 200
MAX_ROWS = 5_000
MAX_COLS = 100
MAX_SPAN = 100  # colspan or rowspan
MAX_HEADINGS = 3  # heading rows above a table: the innermost few, outermost first
MAX_BYTES = 10 * 1024 * 1024  # a contract written as HTML, Markdown or AsciiDoc is far smaller
_TAIL = 4096  # an unfinished construct at the end longer than this is dropped, as a browser hides it

# --------------------------------------------------------------------------- shared by the text formats


def text_of(path: str | Path, kind: str) -> str:
    """A text document decoded like a csv file, line ends made ``\\n`` so line numbers match an editor's."""
    raw = Path(path).read_bytes()
    if len(raw) > MAX_BYTES:
        raise fail(path, f"the file is {len(raw) / 1048576:,.0f} MB, more than the {MAX_BYTES // 1048576} MB a responsibility "
                         f"matrix written as {kind} can need")
    text = decode(raw)
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Headings:
    """The headings met since the last table: the last of each level, a heading clearing the deeper ones."""

    def __init__(self) -> None:
        self.levels: dict[int, tuple[str, int]] = {}

    def set(self, level: int, text: str, line: int) -> None:
        for k in [k for k in self.levels if k >= level]:
            del self.levels[k]
        text = display(text)
        if text:
            self.levels[level] = (text, line)

    def clear(self, level: int) -> None:
        for k in [k for k in self.levels if k >= level]:
            del self.levels[k]

    def take(self, innermost: tuple[str, int] | None = None) -> list[tuple[str, int]]:
        """(text, line) of the heading rows over a table, outermost first, at most MAX_HEADINGS; the next table
        gets only the headings met after this one."""
        out = [self.levels[k] for k in sorted(self.levels)]
        if innermost is not None and display(innermost[0]):
            out.append((display(innermost[0]), innermost[1]))
        self.levels.clear()
        return out[-MAX_HEADINGS:]

    def give_back(self, heads: list[tuple[str, int]]) -> None:
        """Headings taken by a table that held nothing go to the next one, if no heading came in between."""
        if not self.levels:
            self.levels = {-len(heads) + k: h for k, h in enumerate(heads)}


@dataclass
class Table:
    """One table as read: its heading rows, its rows of cell text with the line each starts on, the line of
    the separator row after it, and its spans (first row, first col, last row, last col; 0-based, inclusive)."""

    heads: list[tuple[str, int]]
    rows: list[list[str]]
    lines: list[int]
    end: int
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    def empty(self) -> bool:
        return not any(v for row in self.rows for v in row)


class Limits:
    """The bounds of one document, counted across all its tables; beyond them the document is refused."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.tables = 0
        self.rows = 0

    def table(self) -> None:
        self.tables += 1
        if self.tables > MAX_TABLES:
            raise fail(self.path, f"more than {MAX_TABLES} tables: not a responsibility matrix this tool can audit")

    def row(self, n: int = 1) -> None:
        self.rows += n
        if self.rows > MAX_ROWS:
            raise fail(self.path, f"more than {MAX_ROWS:,} table rows: not a responsibility matrix this tool can audit")

    def width(self, n: int) -> None:
        if n > MAX_COLS:
            raise fail(self.path, f"a table row has more than {MAX_COLS} columns: not a responsibility matrix this tool can audit")

    def span(self, n: int, what: str) -> None:
        if n > MAX_SPAN:
            raise fail(self.path, f"a table cell spans {n:,} {what}, more than the {MAX_SPAN} this tool reads; refusing to read it")


def place_cells(cells_by_row: list[list[tuple[str, int, int]]], limits: Limits) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Rows of (text, colspan, rowspan) cells as a rectangular grid: a spanned cell's text in its first column,
    the covered cells empty. A rowspan of 0 runs to the last row. Returns the grid and the spans."""
    n = len(cells_by_row)
    taken: list[set[int]] = [set() for _ in range(n)]
    grid: list[list[str]] = [[] for _ in range(n)]
    spans = []
    for r, cells in enumerate(cells_by_row):
        c = 0
        for text, colspan, rowspan in cells:
            while c in taken[r]:
                c += 1
            limits.width(c + colspan)
            last = n - 1 if rowspan == 0 else min(n - 1, r + rowspan - 1)
            for rr in range(r, last + 1):
                taken[rr].update(range(c, c + colspan))
            row = grid[r]
            while len(row) <= c:
                row.append("")
            row[c] = text
            if colspan > 1 or last > r:
                spans.append((r, c, last, c + colspan - 1))
            c += colspan
    return grid, spans


def stack(path: str | Path, tables: list[Table]) -> Sheet:
    """Every table in one grid: its heading rows, its rows, then an empty row; merges as a workbook's."""
    rows: list[list[str]] = []
    lines: list[int] = []
    merges: list[tuple[int, int, int, int]] = []
    for t in tables:
        if t.empty():
            continue
        for text, line in t.heads:
            rows.append([text])
            lines.append(line)
        base = len(rows)
        for row, line in zip(t.rows, t.lines):
            cells = [display(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            rows.append(cells)
            lines.append(line)
        merges.extend((base + r1 + 1, c1 + 1, base + r2 + 1, c2 + 1) for r1, c1, r2, c2 in t.spans)
        rows.append([])
        lines.append(t.end)
    sheet = Sheet(str(path), None, rows, lines)
    _apply_merges(str(path), "", sheet, merges)
    return sheet


# --------------------------------------------------------------------------- HTML

_SKIP = {"script", "style", "template"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# tags that break a line: inside a cell they join its parts with a space
_BREAKS = {"br", "p", "li", "div", "ul", "ol", "dl", "dt", "dd", "hr", "blockquote", "pre", "section", "article",
           "header", "footer", "nav", "aside", "address", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
           "img", "input", "select", "option", "textarea", "button", "label"}
_SPAN_RE = re.compile(r"\s*(\d+)")


class _Open:
    """A table being read."""

    def __init__(self, order: int, heads: list[tuple[str, int]]):
        self.order = order
        self.heads = heads
        self.rows: list[tuple[int, list[tuple[str, int, int]]]] = []
        self.row: list[tuple[str, int, int]] | None = None
        self.row_line = 0
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)
        self.caption: list[str] | None = None
        self.caption_text: tuple[str, int] | None = None
        self.caption_line = 0


class TableParser(HTMLParser):
    """Tables, their cells and the headings before them, from HTML fed in one piece or line by line."""

    def __init__(self, path: str | Path, limits: Limits, heads: Headings | None = None, line_offset: int = 0):
        super().__init__(convert_charrefs=True)
        self.path = str(path)
        self.limits = limits
        self.heads = heads if heads is not None else Headings()
        self.first_line = line_offset  # lines before the first line fed (HTML inside a Markdown file)
        self.done: list[tuple[int, Table]] = []
        self.open: list[_Open] = []
        self.skip: list[str] = []
        self.heading: tuple[int, list[str], int] | None = None
        self.started = 0

    # -- the parts of a table
    def line(self) -> int:
        return self.first_line + self.getpos()[0]

    def _close_cell(self, t: _Open) -> None:
        if t.cell is not None:
            row = t.row if t.row is not None else self._open_row(t)
            row.append((display("".join(t.cell)), *t.cell_span))
            t.cell = None

    def _open_row(self, t: _Open) -> list[tuple[str, int, int]]:
        """Starts a row in ``t`` and returns it."""
        self.limits.row()
        t.row = []
        t.row_line = self.line()
        return t.row

    def _close_row(self, t: _Open) -> None:
        self._close_cell(t)
        if t.row is not None:
            t.rows.append((t.row_line, t.row))
            t.row = None

    def _span(self, attrs: list[tuple[str, str | None]], name: str, what: str) -> int:
        value = next((v for k, v in attrs if k == name), None)
        m = _SPAN_RE.match(value or "")
        if not m:
            return 1
        n = int(m.group(1)[:12])
        self.limits.span(n, what)
        if name == "colspan":
            return max(1, n)
        return n  # a rowspan of 0 runs to the end of the table

    def _finish(self, t: _Open) -> None:
        self._close_row(t)
        grid, spans = place_cells([cells for _line, cells in t.rows], self.limits)
        heads = t.heads + [t.caption_text] if t.caption_text else t.heads
        table = Table(heads[-MAX_HEADINGS:], grid, [line for line, _cells in t.rows], self.line() + 1, spans)
        if table.empty():
            self.heads.give_back(t.heads)
        else:
            self.done.append((t.order, table))

    # -- the parser's callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if tag == "template" and self.skip[-1] == "template":
                self.skip.append(tag)
            return
        if tag in _SKIP:
            self.skip.append(tag)
            return
        t = self.open[-1] if self.open else None
        if tag == "table":
            self.limits.table()
            self.started += 1
            self.open.append(_Open(self.started, self.heads.take()))
        elif t is None or t.cell is None and t.caption is None:
            if tag in _HEADINGS and self.heading is None:
                self.heading = (_HEADINGS[tag], [], self.line())
            elif t is not None:
                self._structure(t, tag, attrs)
        elif tag in ("td", "th", "tr", "thead", "tbody", "tfoot", "caption"):
            if t.caption is not None:
                self._end_caption(t)
            self._structure(t, tag, attrs)
        elif tag in _BREAKS:
            self._text(" ")
        elif tag == "sup":
            self._text("^")  # a footnote marker R<sup>1</sup> reads R^1^, which the vocabulary sets aside

    def _structure(self, t: _Open, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._close_cell(t)
            if t.row is None:
                self._open_row(t)
            t.cell = []
            t.cell_span = (self._span(attrs, "colspan", "columns"), self._span(attrs, "rowspan", "rows"))
        elif tag == "tr" or tag in ("thead", "tbody", "tfoot"):
            self._close_row(t)
            if tag == "tr":
                self._open_row(t)
        elif tag == "caption":
            t.caption = []
            t.caption_line = self.line()

    def _end_caption(self, t: _Open) -> None:
        text = display("".join(t.caption or []))
        if text and t.caption_text is None:
            t.caption_text = (text, t.caption_line)
        t.caption = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            return  # <script/> holds nothing
        self.handle_starttag(tag, attrs)
        if tag not in _BREAKS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if self.heading is not None and _HEADINGS.get(tag) is not None:
            level, parts, line = self.heading
            self.heading = None
            self.heads.set(level, "".join(parts), line)
            return
        if not self.open:
            return
        t = self.open[-1]
        if tag == "table":
            if t.caption is not None:
                self._end_caption(t)
            self._finish(t)
            self.open.pop()
        elif tag == "caption" and t.caption is not None:
            self._end_caption(t)
        elif tag in ("td", "th"):
            self._close_cell(t)
        elif tag in ("tr", "thead", "tbody", "tfoot"):
            self._close_row(t)
        elif tag in _BREAKS:
            self._text(" ")
        elif tag == "sup":
            self._text("^")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.heading is not None:
            self.heading[1].append(data)
            return
        if not self.open:
            return
        t = self.open[-1]
        if t.caption is not None:
            t.caption.append(data)
        elif t.cell is not None:
            t.cell.append(data)

    def close(self) -> None:
        # An unfinished comment or tag at the end (``<!--`` with no ``-->``) hides the rest of the document in a
        # browser; the standard parser would scan it again for every character, so it is dropped here.
        start = self.rawdata.find("<")  # the parser keeps only what it could not read yet
        if start >= 0 and len(self.rawdata) - start > _TAIL:
            self.rawdata = self.rawdata[:start]
        super().close()

    def finish(self) -> list[Table]:
        """Close what the document left open; the tables in document order (a nested one after its parent)."""
        self.close()
        while self.open:
            self._finish(self.open.pop())
        return [t for _order, t in sorted(self.done, key=lambda x: x[0])]


def read(path: str) -> list[Sheet]:
    limits = Limits(path)
    parser = TableParser(path, limits)
    parser.feed(text_of(path, "HTML"))
    return [stack(path, parser.finish())]
