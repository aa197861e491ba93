"""The workbook's looks: named cell styles, column widths, row heights, print setup, and sheets that remember their cells."""

from __future__ import annotations

from raci.errors import OutputError, Problem
from raci.excel_layout import BAND, GRID, LETTER_COLOURS, NAVY, RISKY_START, SEVERITY_COLOURS, clean_text, escape_header_footer
from raci.limits import EXCEL_CELL

FORMULA = ["f"]  # how a recorded sheet remembers a formula cell: its text may change when rows move, its meaning does not


class Styles:
    """Prototype cells whose style arrays are shared by every cell of that look (fast in write-only mode)."""

    def __init__(self, ws_factory):
        from openpyxl.cell import WriteOnlyCell

        self._cell = WriteOnlyCell
        self._ws = ws_factory
        self._protos: dict[str, object] = {}

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
        if style is None and not risky:
            return value
        c = self._cell(ws, value)
        if risky:
            c.data_type = "s"  # never a formula, whatever the text starts with
            style = (style or "plain") + "+q"
        c._style = self._protos[style]._style
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


def define_styles(ws0) -> Styles:
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.styles import Font as _Font

    def Font(**kw):  # every font names Calibri, or viewers fall back to a serif face
        kw.setdefault("name", "Calibri")
        kw.setdefault("size", 11)
        return _Font(**kw)

    thin = Side(style="thin", color=GRID)
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    st = Styles(ws0)
    st.define("plain")
    st.define("wrap", alignment=Alignment(wrap_text=True, vertical="top"))
    st.define("title", font=Font(size=18, bold=True, color=NAVY))
    st.define("subtitle", font=Font(size=12, italic=True, color="595959"))
    st.define("section", font=Font(size=12, bold=True, color=NAVY))
    st.define("label", font=Font(bold=True), alignment=Alignment(vertical="top"))
    st.define("value", alignment=Alignment(wrap_text=True, vertical="top"))
    st.define("mono", font=Font(name="Consolas", size=9), alignment=Alignment(wrap_text=True, vertical="top"))
    st.define("header", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor=NAVY),
              alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"), border=box)
    st.define("header-left", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor=NAVY),
              alignment=Alignment(wrap_text=True, vertical="center"), border=box)
    st.define("band", font=Font(bold=True, color=NAVY), fill=PatternFill("solid", fgColor=BAND),
              border=Border(top=thin, bottom=thin))
    # Data cells carry no borders: printed gridlines draw the grid, and blank cells need not be written at all
    # (10,000-activity matrices stay fast to write).
    st.define("m-id", font=Font(color="595959", size=10), alignment=Alignment(vertical="top"))
    st.define("m-cell", alignment=Alignment(wrap_text=True, vertical="top"))
    st.define("m-role", alignment=Alignment(horizontal="center", vertical="top"))
    st.define("check", alignment=Alignment(horizontal="center", vertical="top"), font=Font(bold=True))
    # the small sheets draw their own cell borders, so only their tables are boxed in print
    st.define("id", font=Font(color="595959", size=10), alignment=Alignment(vertical="top"), border=box)
    st.define("cell", alignment=Alignment(wrap_text=True, vertical="top"), border=box)
    st.define("role", alignment=Alignment(horizontal="center", vertical="top"), border=box)
    st.define("signature", border=box, alignment=Alignment(vertical="center", wrap_text=True))
    st.define("note", font=Font(italic=True, color="595959"), alignment=Alignment(wrap_text=False))
    for letter, (fill, font) in LETTER_COLOURS.items():
        st.define(f"letter-{letter}", fill=PatternFill("solid", fgColor=fill), font=Font(bold=True, color=font),
                  alignment=Alignment(horizontal="center", vertical="top"), border=box)
    for sev, (fill, font) in SEVERITY_COLOURS.items():
        st.define(f"sev-{sev}", fill=PatternFill("solid", fgColor=fill), font=Font(bold=True, color=font), border=box,
                  alignment=Alignment(vertical="top"))
    return st


def col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def widths(ws, values: list[float]) -> None:
    for i, w in enumerate(values, 1):
        ws.column_dimensions[col(i)].width = round(w, 1)


def fit(texts, lo: float, hi: float) -> float:
    """A column width that fits the longest line of ``texts``, within [lo, hi]."""
    longest = 0
    for t in texts:
        if t:
            longest = max(longest, max(len(line) for line in str(t).split("\n")))
    return max(lo, min(hi, longest + 2))


def lines(text, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (an estimate, on the safe side)."""
    if not text:
        return 1
    per = max(1, int(width) - 2)
    return sum(max(1, -(-len(line) // per)) for line in str(text).split("\n"))


def word_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in a column ``width`` characters wide."""
    per = max(1, int(width) - 1)
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


def height(ws, row: int, *cells: tuple[object, float]) -> None:
    """Give a row the height its wrapped text needs; viewers do not grow rows written without one."""
    n = max((lines(t, w) for t, w in cells), default=1)
    if n > 1:
        ws.row_dimensions[row].height = 15 * n + 2


def print_setup(ws, *, landscape: bool, gridlines: bool, header: str, footer_left: str, footer_right: str, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.85
    ws.page_margins.header = ws.page_margins.footer = 0.35
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = gridlines
    if title_rows:
        ws.print_title_rows = title_rows
    # each header/footer string is limited to 255 characters, after escaping
    ws.oddHeader.left.text = escape_header_footer(header[:100])
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.left.text = escape_header_footer(footer_left[:100])
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.right.text = escape_header_footer(footer_right[:60])
