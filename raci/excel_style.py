"""The workbook's looks: named cell styles, column widths, row heights, print setup, and sheets that remember their cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from raci.errors import OutputError, Problem
from raci.excel_layout import BAND, GRID, LETTER_COLOURS, NAVY, RISKY_START, SEVERITY_COLOURS, clean_text, escape_header_footer
from raci.limits import EXCEL_CELL

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

FORMULA = ["f"]
# Type sizes in points: ordinary text, the small sheets' tables, the Matrix, page headers and footers (at least 8).
BODY, TABLE, MATRIX, HEADER_SIZE = 10, 10, 9, 8
# The face of every cell, and of the workbook's Normal style, on which column widths are counted. Arial, because
# every spreadsheet program has it or a face of the same metrics (Liberation Sans, Arimo, Nimbus Sans), so that a
# column holds the same text and a sheet the same width everywhere; Calibri is often missing where LibreOffice runs,
# and the face put in its place (DejaVu Sans) is a third wider, which pushed the print scale down to 77 %.
FACE = "Arial"
# Page geometry in inches. A sheet is laid out on the narrower and shorter of Letter and A4 in its orientation, so
# that it prints at 100 % on either: landscape 11 x 8.27 (Letter's width, A4's height), portrait 8.27 x 11.
PAGE = {True: (11.0, 8.27), False: (8.27, 11.0)}
SIDE, TOP, BOTTOM, HEADER = 0.4, 0.8, 0.7, 0.3  # margins; HEADER: from the edge to the page header and footer
PAPER_LETTER = "1"
PX_PER_UNIT = 7  # a column width unit: a digit of Arial 10 (the Normal style), 7 pixels at 96 dpi
PX_PER_PT = 96 / 72
# An average character of text, in ems, a little on the safe side: Arial averages 0.44 (0.48 bold). Text that must fit on one
# line (an id, a date) is measured at FIT_EM.
CHAR_EM, FIT_EM = 0.46, 0.6
LINE_EM = 1.2  # a line of wrapped text, in ems (Arial sets 1.15)


class Styles:
    """Prototype cells whose style arrays are shared by every cell of that look (fast in write-only mode)."""

    def __init__(self, ws_factory):
        from openpyxl.cell import WriteOnlyCell

        self._cell = WriteOnlyCell
        self._ws = ws_factory
        self._protos: dict[str, Cell] = {}

    def define(self, name: str, **attrs) -> None:
        """A named look, and its twin with a quote prefix for text that would otherwise read as a formula."""
        for key, quoted in ((name, False), (name + "+q", True)):
            proto = self._cell(self._ws)
            for attr, value in attrs.items():
                setattr(proto, attr, value)
            proto.quotePrefix = quoted
            self._protos[key] = proto

    def cell(self, ws, value, style: str | None = None):
        """A cell for ``value``; user text that looks like a formula is stored as text with a quote prefix."""
        ws = getattr(ws, "raw", ws)
        risky = False
        if isinstance(value, str):
            value = clean_text(value)
            risky = value.startswith(RISKY_START)
            if len(value) > EXCEL_CELL:  # openpyxl would cut it without a word (check_workbook names the cell first)
                raise OutputError(Problem("", f"a cell of the {ws.title} sheet would hold {len(value):,} characters, more than "
                                              f"the {EXCEL_CELL:,} Excel allows in a cell; nothing was written"))
        if risky:
            look = (style or "plain") + "+q"
        elif style is None:
            return value
        else:
            look = style
        c = self._cell(ws, value)
        if risky:
            c.data_type = "s"  # never a formula, whatever the text starts with
        c._style = self._protos[look]._style
        return c

    def role(self, ws, value: str, style: str = "m-role"):
        """A role cell: a canonical letter or '-', text raci made itself, so no cleaning (fast for large matrices).
        A lone '-' is text, never a formula, in every spreadsheet program."""
        c = self._cell(getattr(ws, "raw", ws), value)
        c._style = self._protos[style]._style
        return c

    def formula(self, ws, text: str, style: str):
        """A live formula cell: only raci's own formulas come here, never user text."""
        c = self._cell(getattr(ws, "raw", ws), text)
        c._style = self._protos[style]._style
        return c


def fast_rows(ws) -> None:
    """Let the write-only sheet ``ws`` take the styled cells raci appends without openpyxl's detour.

    openpyxl first tries each appended value as a plain value; a cell object fails that with a ValueError whose
    message formats the cell, and only then is it used: a sixth of the time of a 10,000-activity Matrix. This
    takes a cell as the cell it is, and a plain value as openpyxl does. Left alone where openpyxl has no such step.
    """
    from openpyxl.cell.cell import Cell, WriteOnlyCell

    if not hasattr(ws, "_values_to_row"):
        return

    def values_to_row(values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value)
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    ws._values_to_row = values_to_row


class Recorded:
    """A write-only sheet that remembers the value of every cell appended to it ({"B4": value}).

    The hidden _raci sheet keeps these, so that an import can name each cell edited in the workshop.
    """

    def __init__(self, ws):
        self.raw = ws
        self.cells: dict[str, object] = {}
        self._row = 0

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def __setattr__(self, name, value):
        if name in ("raw", "cells", "_row"):
            object.__setattr__(self, name, value)
        else:  # freeze_panes, print_title_rows, sheet_state: the sheet's own settings
            setattr(self.raw, name, value)

    def append(self, items) -> None:
        from openpyxl.utils import get_column_letter

        self._row += 1
        for c, item in enumerate(items, 1):
            value = item.value if hasattr(item, "data_type") else item
            if value is None or value == "":
                continue
            if hasattr(item, "data_type") and item.data_type == "f":
                value = FORMULA
            self.cells[f"{get_column_letter(c)}{self._row}"] = value
        self.raw.append(items)


def base_font(wb) -> None:
    """Make Arial 10 the workbook's Normal style (openpyxl starts from Calibri 11), before any cell style is added:
    column widths count digits of this font."""
    from openpyxl.styles.fonts import Font
    from openpyxl.utils.indexed_list import IndexedList

    font = Font(name=FACE, sz=10, family=2)
    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def define_styles(ws0) -> Styles:
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.styles import Font as _Font

    def Font(**kw):  # every font names its face, or viewers fall back to a serif one
        kw.setdefault("name", FACE)
        kw.setdefault("size", BODY)
        return _Font(**kw)

    thin = Side(style="thin", color=GRID)
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="top")
    navy = PatternFill("solid", fgColor=NAVY)
    st = Styles(ws0)
    st.define("plain")
    st.define("wrap", alignment=top)
    st.define("title", font=Font(size=18, bold=True, color=NAVY), alignment=Alignment(vertical="top"))
    st.define("subtitle", font=Font(size=12, italic=True, color="595959"), alignment=top)
    st.define("section", font=Font(size=12, bold=True, color=NAVY), alignment=Alignment(vertical="top"))
    st.define("label", font=Font(bold=True), alignment=top)
    st.define("value", alignment=top)
    st.define("mono", font=Font(name="Consolas", size=9), alignment=top)
    st.define("header", font=Font(bold=True, color="FFFFFF", size=TABLE), fill=navy,
              alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"), border=box)
    st.define("header-left", font=Font(bold=True, color="FFFFFF", size=TABLE), fill=navy,
              alignment=Alignment(wrap_text=True, vertical="center"), border=box)
    # The Matrix: smaller type (it still prints at MATRIX points or more, at 100 %), no borders on data cells
    # (printed gridlines draw the grid, and blank cells need not be written at all: 10,000-activity matrices stay
    # fast to write).
    st.define("m-header", font=Font(bold=True, color="FFFFFF", size=MATRIX), fill=navy,
              alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"), border=box)
    st.define("m-header-left", font=Font(bold=True, color="FFFFFF", size=MATRIX), fill=navy,
              alignment=Alignment(wrap_text=True, vertical="center"), border=box)
    st.define("band", font=Font(bold=True, color=NAVY, size=MATRIX), fill=PatternFill("solid", fgColor=BAND),
              border=Border(top=thin, bottom=thin), alignment=Alignment(vertical="top"))
    st.define("m-id", font=Font(color="595959", size=MATRIX), alignment=top)
    st.define("m-cell", font=Font(size=MATRIX), alignment=top)
    st.define("m-role", font=Font(size=MATRIX), alignment=centre)
    st.define("check", font=Font(bold=True, size=MATRIX), alignment=Alignment(horizontal="center", vertical="top", wrap_text=True))
    # the small sheets draw their own cell borders, so only their tables are boxed in print
    st.define("id", font=Font(color="595959", size=TABLE), alignment=top, border=box)
    st.define("cell", font=Font(size=TABLE), alignment=top, border=box)
    st.define("role", font=Font(size=TABLE), alignment=Alignment(horizontal="center", vertical="top", wrap_text=True), border=box)
    st.define("signature", border=box, alignment=Alignment(vertical="center", wrap_text=True))
    # the line a person signs or writes on: a rule under an empty cell
    st.define("sign-line", border=Border(bottom=Side(style="thin", color="000000")), alignment=Alignment(vertical="bottom"))
    st.define("sign-label", font=Font(bold=True), alignment=Alignment(vertical="bottom"))
    st.define("draft", font=Font(bold=True, color="9C0006"), alignment=top)
    st.define("note", font=Font(italic=True, color="595959", size=TABLE), alignment=top)
    for letter, (fill, font) in LETTER_COLOURS.items():
        st.define(f"letter-{letter}", fill=PatternFill("solid", fgColor=fill), font=Font(bold=True, color=font),
                  alignment=Alignment(horizontal="center", vertical="top"), border=box)
    for sev, (fill, font) in SEVERITY_COLOURS.items():
        st.define(f"sev-{sev}", fill=PatternFill("solid", fgColor=fill), font=Font(bold=True, color=font, size=TABLE),
                  border=box, alignment=Alignment(vertical="top"))
    return st


def col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def widths(ws, values: list[float]) -> None:
    for i, w in enumerate(values, 1):
        ws.column_dimensions[col(i)].width = round(w, 1)


def fit(texts, lo: float, hi: float, size: float = BODY) -> float:
    """A column width that fits the longest line of ``texts`` at ``size`` points, within [lo, hi]."""
    longest = 0
    for t in texts:
        if t:
            longest = max(longest, max(len(line) for line in str(t).split("\n")))
    return max(lo, min(hi, longest * size * FIT_EM * PX_PER_PT / PX_PER_UNIT + 1.5))


def squeeze(values: list[float], flexible: dict[int, float], budget: float, *, in_turn: bool = False) -> list[float]:
    """Narrow the ``flexible`` columns (index -> narrowest width) so that the widths add up to ``budget`` at most;
    the others keep their width. In proportion to what each can give, or ``in_turn``: the first down to its narrowest
    before the next. Wider than the budget still, a sheet prints scaled down to one page wide."""
    out = list(values)
    over = sum(out) - budget
    spare = {i: out[i] - lo for i, lo in flexible.items() if out[i] > lo}
    total = sum(spare.values())
    if over <= 0 or total <= 0:
        return out
    for i, give in spare.items():
        cut = min(give, over) if in_turn else give * min(1.0, over / total)
        out[i] -= cut
        over -= cut if in_turn else 0
    return out


def per_line(width: float, size: float, bold: bool = False) -> int:
    """Characters of ordinary text on one line of a column ``width`` units wide at ``size`` points, counted on the
    safe side (CHAR_EM)."""
    em = CHAR_EM * (1.12 if bold else 1.0)
    return max(1, int((width * PX_PER_UNIT - 5) / (size * em * PX_PER_PT)))


def lines(text, width: float, size: float = BODY, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide (an estimate, on the safe side)."""
    if text is None or text == "":
        return 1
    per = per_line(width, size, bold)
    # both programs also break a line after a hyphen: "business-hours" may wrap as "business-" and "hours"
    return sum(word_lines(line.replace("-", "- "), per) for line in str(text).split("\n"))


def word_lines(text: str, per: int) -> int:
    """Lines ``text`` takes when wrapped at word boundaries, ``per`` characters to a line."""
    count, current = 1, 0
    for word in str(text).split():
        need = len(word) if current == 0 else current + 1 + len(word)
        if need <= per:
            current = need
        else:
            if current:
                count += 1
            count += (len(word) - 1) // per  # a word longer than the column breaks too
            current = (len(word) - 1) % per + 1
    return count


def line_height(size: float) -> float:
    return size * LINE_EM


def height(ws, row: int, *cells: tuple[object, float], size: float = BODY, bold: bool = False) -> float | None:
    """Give a row the height its wrapped text needs (viewers do not grow rows written without one); return it, or
    None when one line fits and the row keeps the sheet's default height."""
    n = max((lines(t, w, size, bold) for t, w in cells), default=1)
    if n > 1:
        h = round(line_height(size) * n + 3, 1)
        ws.row_dimensions[row].height = h
        return h
    return None


def page_width(landscape: bool) -> float:
    """The printable width in column units, on the narrower of Letter and A4, with some to spare: LibreOffice counts
    a unit as a digit of the face it sets, which may be wider than Arial's 7 pixels (Nimbus Sans: 7.4)."""
    width = PAGE[landscape][0] - 2 * SIDE
    return width * 96 / PX_PER_UNIT * 0.93


def page_height(landscape: bool) -> float:
    """The printable height in points, on the shorter of Letter and A4, with a little to spare."""
    return (PAGE[landscape][1] - TOP - BOTTOM) * 72 * 0.985


def page_breaks(blocks: list[list[float]], capacity: float, keep: int = 2) -> list[int]:
    """The rows after which a page ends (1-based, the header row being row 1), from the row heights in points.

    ``blocks`` are the rows below the header, group by group (a domain band, then its activities); a page ends
    before a group whose band and first ``keep`` rows would not fit on it, and before any row that would not fit.
    """
    breaks: list[int] = []
    row, used = 1, 0.0
    for block in blocks:
        head = sum(block[:keep + 1])
        if used and used + head > capacity:
            breaks.append(row)
            used = 0.0
        for h in block:
            if used and used + h > capacity:
                breaks.append(row)
                used = 0.0
            used += h
            row += 1
    return breaks


def print_setup(ws, *, landscape: bool, gridlines: bool, header_left: str, header_right: str, footer_left: str,
                footer_right: str, title_rows: str | None) -> None:
    """Letter paper, one page wide and as many tall as needed; sheets are laid out to fit it at 100 % (on A4 too),
    so the scale stays at 100 % and the type at its size. ``header_left`` is written as it is (Excel's codes)."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = PAPER_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = SIDE
    ws.page_margins.top, ws.page_margins.bottom = TOP, BOTTOM
    ws.page_margins.header = ws.page_margins.footer = HEADER
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = gridlines
    if title_rows:
        ws.print_title_rows = title_rows
    # each header or footer is limited to 255 characters, all three parts and their codes together
    ws.oddHeader.left.text, ws.oddHeader.left.size = header_left, HEADER_SIZE
    ws.oddHeader.right.text, ws.oddHeader.right.size = header_right, HEADER_SIZE
    ws.oddFooter.left.text, ws.oddFooter.left.size = escape_header_footer(footer_left[:100]), HEADER_SIZE
    ws.oddFooter.center.text, ws.oddFooter.center.size = "Page &P of &N", HEADER_SIZE
    ws.oddFooter.right.text, ws.oddFooter.right.size = escape_header_footer(footer_right[:60]), HEADER_SIZE
