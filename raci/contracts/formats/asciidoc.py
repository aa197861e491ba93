"""AsciiDoc documents: every ``|===`` table (and ``,===`` CSV table) as rows of cell text, stacked in one grid
under the section titles, tab titles and block title before it.

Cells follow Asciidoctor's rules: a cell starts at ``|``, optionally after a specifier written against it
(``2+|`` spans two columns, ``.2+|`` two rows, ``3*|`` repeats the cell, ``a|`` an AsciiDoc cell); a cell may
run over several source lines; the column count comes from ``cols`` or from the table's first line. Inline
markup is reduced to its text, ``{nbsp}`` and the other built-in character attributes give their character,
other ``{attributes}`` stay as written, entities are decoded, and footnote markers such as ``^[1]^`` stay.
Comments, ``ifdef``/``ifndef``/``endif`` lines and verbatim blocks are skipped. Nothing is included or fetched.
"""

from __future__ import annotations

import csv
import html as _html
import re
from dataclasses import dataclass, field

from raci.contracts.formats.html import Headings, Limits, Table, place_cells, stack, text_of
from raci.contracts.tables import Sheet, display

TAB = 6  # a tab title's heading level: under every section level

_SECTION = re.compile(r"^(={1,6}|#{1,6})[ \t]+(\S.*?)(?:[ \t]+\1)?[ \t]*$")
_BLOCK_TITLE = re.compile(r"^\.([^\s.].*)$")
_ATTR_LINE = re.compile(r"^\[.*\]$")
_ATTR_ENTRY = re.compile(r"^:!?[\w-]+!?:(?:[ \t].*)?$")
_DIRECTIVE = re.compile(r"^(?:ifn?def|endif|ifeval)::")
_VERBATIM = re.compile(r"^(?:-{4,}|\.{4,}|\+{4,}|`{3}.*)$")
_COMMENT_BLOCK = re.compile(r"^/{4,}$")
_EXAMPLE = re.compile(r"^={4,}$")
_TAB_TITLE = re.compile(r"^(\S.*?)::[ \t]*$")
_TABLE = re.compile(r"^([|,!:])={3,}$")

# Asciidoctor's cell specifier: a span (colspan.rowspan+) or a repeat (n*), alignment, a style letter
_SPEC = r"(?:(\d+(?:\.\d*)?|(?:\d*\.)?\d+)([*+]))?([<^>](?:\.[<^>]?)?|(?:[<^>]?\.)?[<^>])?([a-z])?"
_SPEC_START = re.compile(r"^[ \t]*" + _SPEC + r"$")
_SPEC_END = re.compile(r"[ \t]+" + _SPEC + r"$")
_COL_SPEC = re.compile(r"^(?:(\d+)\*)?[<^>]?(?:\.[<^>])?(?:\d+%?|~)?([adehlmsv])?$")

_BUILTIN = {"nbsp": "\u00a0", "sp": " ", "empty": "", "zwsp": "\u200b", "wj": "\u2060", "amp": "&", "lt": "<", "gt": ">",
            "quot": '"', "apos": "'", "deg": "\u00b0", "plus": "+", "brvbar": "\u00a6", "vbar": "|", "startsb": "[",
            "endsb": "]", "caret": "^", "asterisk": "*", "tilde": "~", "backslash": "\\", "backtick": "`",
            "two-colons": "::", "two-semicolons": ";;", "cpp": "C++", "pp": "++", "ldquo": "\u201c", "rdquo": "\u201d",
            "lsquo": "\u2018", "rsquo": "\u2019"}
_ATTR_REF = re.compile(r"\{([\w-]+)\}")
_MACRO = re.compile(r"\b(?:link|xref|mailto|image|icon|kbd|btn|pass|footnote|footnoteref|anchor):{1,2}([^\s\[]*)\[([^\]]*)\]")
_URL = re.compile(r"\b(?:https?|ftp|irc)://[^\s\[<]+\[([^\]]*)\]")
_XREF = re.compile(r"<<([^,>]+)(?:,\s*([^>]*))?>>")
_ROLE = re.compile(r"\[[\w.#%-]+\](?=[#*_`])")
_MARKS = [
    re.compile(r"\*\*(.+?)\*\*"),
    re.compile(r"__(.+?)__"),
    re.compile(r"``(.+?)``"),
    re.compile(r"##(.+?)##"),
    re.compile(r"(?<![\w*])\*(?=\S)(.*?\S)\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=\S)(.*?\S)_(?![\w_])"),
    re.compile(r"(?<![\w`])`(?=\S)(.*?\S)`(?![\w`])"),
    re.compile(r"(?<![\w#])#(?=\S)(.*?\S)#(?![\w#])"),
    re.compile(r"(?<![\w+])\+(?=\S)(.*?\S)\+(?![\w+])"),
]
_LIST_MARK = re.compile(r"^[ \t]*(?:\*+|-|\.+|\d+\.|[a-z]\.)[ \t]+")
_BLOCK_LINE = re.compile(r"^(?:-{2,}|={4,}|\*{4,}|_{4,}|\.{4,}|\+{1,}|\[.*\]|/{2}.*|[|!]===)$")


def inline(text: str) -> str:
    """AsciiDoc inline text as it reads: markup reduced to its words, built-in attributes and entities decoded."""
    text = _ATTR_REF.sub(lambda m: _BUILTIN.get(m.group(1), m.group(0)), text)
    text = _MACRO.sub(lambda m: m.group(2) or m.group(1), text)
    text = _URL.sub(lambda m: m.group(1) or m.group(0).split("[", 1)[0], text)
    text = _XREF.sub(lambda m: m.group(2) or m.group(1), text)
    text = _ROLE.sub("", text)
    for pattern in _MARKS:
        text = pattern.sub(r"\1", text)
    text = re.sub(r"\\([*_`#+|{\[])", r"\1", text)  # a backslash escapes markup
    return _html.unescape(text)


@dataclass
class _Cell:
    line: int
    colspan: int = 1
    rowspan: int = 1
    repeat: int = 1
    style: str | None = None
    text: list[str] = field(default_factory=list)


def _spec(m: re.Match, cell: _Cell) -> None:
    number, op, _align, style = m.groups()
    if op == "*":
        cell.repeat = max(1, int(number[:12])) if number and number.isdigit() else 1
    elif op == "+":
        col, _, row = number.partition(".")
        cell.colspan = max(1, int(col[:12])) if col else 1
        cell.rowspan = max(1, int(row[:12])) if row else 1
    cell.style = style


def _split(line: str, sep: str) -> list[str]:
    """A line cut at every unescaped separator; a backslash before one keeps it as text."""
    escaped = "\\" + sep
    return [part.replace(escaped, sep) for part in re.split(r"(?<!\\)" + re.escape(sep), line)]


def _attrs(lines: list[str]) -> dict:
    """What a table's block attribute lines say: columns (count, styles), header option, separator."""
    out: dict = {"cols": None, "styles": [], "header": None, "sep": None}
    for line in lines:
        body = line[1:-1]
        m = re.search(r"\bcols\s*=\s*(\"[^\"]*\"|'[^']*'|[^,\]]*)", body)
        if m:
            spec = m.group(1).strip("\"'").strip()
            if spec.isdigit():
                out["cols"], out["styles"] = int(spec), [None] * int(spec)
            else:
                styles: list[str | None] = []
                for part in re.split(r"[,;]", spec):
                    cm = _COL_SPEC.match(part.strip())
                    if cm:
                        styles += [cm.group(2)] * (int(cm.group(1)) if cm.group(1) else 1)
                    elif part.strip():
                        styles.append(None)
                if styles:
                    out["cols"], out["styles"] = len(styles), styles
        if re.search(r"%noheader\b|\boptions\s*=\s*[\"']?[^\"'\]]*\bnoheader\b", body):
            out["header"] = False
        elif re.search(r"%header\b|\b(?:options|opts)\s*=\s*[\"']?[^\"'\]]*\bheader\b", body):
            out["header"] = True
        m = re.search(r"\bseparator\s*=\s*[\"']?([^\"',\]\s])", body)
        if m:
            out["sep"] = m.group(1)
    return out


def _cell_text(cell: _Cell, style: str | None) -> str:
    lines = cell.text
    if style == "a":
        lines = [_LIST_MARK.sub("", x) for x in lines if not _BLOCK_LINE.match(x.strip())]
    if style in ("l", "v"):
        return display(_html.unescape(" ".join(lines)))
    return display(inline(" ".join(x.strip() for x in lines)))


def _line_cells(parts: list[str], no: int, cells: list[_Cell]) -> list[_Cell]:
    """The cells a source line (cut at its separators) starts; text before the first continues the previous cell."""
    pre = parts[0]
    new = _Cell(no)
    m = _SPEC_START.match(pre)
    if m:
        _spec(m, new)
    else:
        m = _SPEC_END.search(pre)
        if m:
            _spec(m, new)
            pre = pre[: m.start()]
        if cells:
            cells[-1].text.append(pre)
    row_cells = [new]
    for k, part in enumerate(parts[1:], start=1):
        text = part
        nxt = None
        if k < len(parts) - 1:
            nxt = _Cell(no)
            m = _SPEC_END.search(part)
            if m:
                _spec(m, nxt)
                text = part[: m.start()]
        row_cells[-1].text.append(text)
        if nxt is not None:
            row_cells.append(nxt)
    return row_cells


def _psv_cells(body: list[tuple[int, str]], sep: str) -> tuple[list[_Cell], int]:
    """The cells of a prefix-separated table's body, and how many columns its first cell line fills."""
    cells: list[_Cell] = []
    first_line: int | None = None
    first_count = 0
    for no, raw in body:
        if not raw.strip():
            if cells:
                cells[-1].text.append("")
            continue
        if raw.startswith("//") and not raw.startswith("///"):
            continue
        parts = _split(raw, sep)
        if len(parts) == 1:
            if cells:
                cells[-1].text.append(raw)
            continue
        row_cells = _line_cells(parts, no, cells)
        cells.extend(row_cells)
        if first_line is None:
            first_line = no
            first_count = sum(c.colspan * c.repeat for c in row_cells)
    return cells, first_count


def _psv_header(body: list[tuple[int, str]], attrs: dict, first_count: int, ncols: int) -> bool:
    """Whether the first row is a header: as the options say, or implicitly when the first line holds
    the whole first row and a blank line follows it."""
    header = attrs["header"]
    if header is None:
        first = body[0] if body else (0, "")
        header = bool(first[1].strip()) and first_count == ncols and len(body) > 1 and not body[1][1].strip()
    return bool(header)


def _next_free(taken: dict[int, set[int]], r: int, c: int, ncols: int) -> tuple[int, int]:
    """The first place at or after (r, c) that no cell spanned from above has taken."""
    while True:
        while c in taken.get(r, ()):
            c += 1
        if c >= ncols:
            r, c = r + 1, 0
            continue
        return r, c


def _psv_rows(cells: list[_Cell], ncols: int, styles: list, header: bool,
              limits: Limits) -> tuple[list[list[tuple[str, int, int]]], list[int]]:
    """Cells into rows by the column count, a row spanned from above taking its columns."""
    taken: dict[int, set[int]] = {}
    rows: list[list[tuple[str, int, int]]] = []
    lines: list[int] = []
    r = c = 0
    for cell in cells:
        for _ in range(min(cell.repeat, ncols * 2)):
            r, c = _next_free(taken, r, c, ncols)
            while len(rows) <= r:
                limits.row()
                rows.append([])
                lines.append(cell.line)
            colspan = min(cell.colspan, ncols - c)
            limits.span(cell.colspan, "columns")
            limits.span(cell.rowspan, "rows")
            style = cell.style or (styles[c] if c < len(styles) else None)
            if header and r == 0 and style == "a":
                style = None
            # rows holds (text, colspan, rowspan) at the cell's place; place_cells lays them out again
            rows[r].append((_cell_text(cell, style), colspan, cell.rowspan))
            for rr in range(r, r + cell.rowspan):
                taken.setdefault(rr, set()).update(range(c, c + colspan))
            c += colspan
    return rows, lines


def _psv(body: list[tuple[int, str]], attrs: dict, delim: str, limits: Limits) -> tuple[list[list[str]], list[int], list]:
    """The rows of a prefix-separated table (``|===``): cells placed by the column count."""
    cells, first_count = _psv_cells(body, attrs["sep"] or delim)
    ncols = attrs["cols"] or first_count or 1
    limits.width(ncols)
    styles = attrs["styles"] or [None] * ncols
    header = _psv_header(body, attrs, first_count, ncols)
    rows, lines = _psv_rows(cells, ncols, styles, header, limits)
    grid, spans = place_cells(rows, limits)
    return grid, lines, spans


def _csv_table(body: list[tuple[int, str]], attrs: dict, limits: Limits) -> tuple[list[list[str]], list[int], list]:
    """The rows of a CSV table (``,===``)."""
    text = "\n".join(raw for _no, raw in body)
    reader = csv.reader(text.split("\n"), delimiter=attrs["sep"] or ",")
    rows, lines = [], []
    start = body[0][0] if body else 0
    at = start
    for record in reader:
        if record:
            limits.row()
            limits.width(len(record))
            rows.append([display(inline(v)) for v in record])
            lines.append(at)
        at = start + reader.line_num
    return rows, lines, []


@dataclass
class _Context:
    """What the lines read so far say about the next table: its block title, attribute lines, tab blocks."""
    title: tuple[str, int] | None = None
    attrs: list[str] = field(default_factory=list)
    tabs_pending: bool = False
    blocks: list[tuple[str, bool]] = field(default_factory=list)  # open example blocks: (delimiter, is a tab block)

    def reset(self) -> None:
        self.title, self.attrs, self.tabs_pending = None, [], False


def _skip_verbatim(lines: list[str], i: int, s: str) -> int:
    """The index after the line that closes the comment or verbatim block opened by ``s``."""
    close = s if not s.startswith("```") else "```"
    while i < len(lines) and lines[i].rstrip() != close:
        i += 1
    return i + 1


def _read_table(lines: list[str], i: int, s: str, kind: str, ctx: _Context, heads: Headings,
                limits: Limits, tables: list[Table]) -> int:
    """Reads the table opened by ``s`` (body from line index ``i``) into ``tables``; the index after its end."""
    end = i
    while end < len(lines) and lines[end].rstrip() != s:
        end += 1
    body = [(k + 1, lines[k]) for k in range(i, end)]
    spec = _attrs(ctx.attrs)
    limits.table()
    if kind == ",":
        grid, row_lines, spans = _csv_table(body, spec, limits)
    elif kind == ":":
        spec["sep"] = spec["sep"] or ":"
        grid, row_lines, spans = _csv_table(body, spec, limits)
    else:
        grid, row_lines, spans = _psv(body, spec, kind, limits)
    table = Table(heads.take(ctx.title), grid, row_lines, end + 2, spans)
    if table.empty():
        heads.give_back(table.heads)
    else:
        tables.append(table)
    return end + 1


def _example_line(s: str, ctx: _Context, heads: Headings) -> None:
    """An example block delimiter: opens a block, or closes the open one (and its tab titles)."""
    if ctx.blocks and ctx.blocks[-1][0] == s:
        _delim, was_tabs = ctx.blocks.pop()
        if was_tabs:
            heads.clear(TAB)
    else:
        ctx.blocks.append((s, ctx.tabs_pending))


def _other_line(s: str, no: int, ctx: _Context, heads: Headings) -> None:
    """A line outside tables: a section or tab title, a block title, attributes, or text that ends them."""
    if _EXAMPLE.match(s):
        _example_line(s, ctx, heads)
        ctx.reset()
        return
    m = _SECTION.match(s)
    if m and not s.startswith("#" * 7):
        heads.set(len(m.group(1)) - 1, inline(m.group(2)), no)
        ctx.reset()
        return
    m = _BLOCK_TITLE.match(s)
    if m:
        ctx.title = (inline(m.group(1)), no)
        return
    if _ATTR_LINE.match(s):
        ctx.attrs.append(s)
        if re.match(r"^\[tabs\b", s):
            ctx.tabs_pending = True
        return
    m = _TAB_TITLE.match(s)
    if m and any(is_tabs for _d, is_tabs in ctx.blocks):
        heads.set(TAB, inline(m.group(1)), no)
        ctx.title, ctx.attrs = None, []
        return
    ctx.reset()


def read(path: str) -> list[Sheet]:
    lines = text_of(path, "AsciiDoc").split("\n")
    limits = Limits(path)
    heads = Headings()
    tables: list[Table] = []
    ctx = _Context()
    i = 0
    n = len(lines)
    while i < n:
        s = lines[i].rstrip()
        no = i + 1
        i += 1
        if _COMMENT_BLOCK.match(s) or _VERBATIM.match(s):
            i = _skip_verbatim(lines, i, s)
            ctx.reset()
            continue
        if s.startswith("//") or _DIRECTIVE.match(s) or _ATTR_ENTRY.match(s):
            continue
        if not s.strip():
            continue
        m = _TABLE.match(s)
        if m:
            i = _read_table(lines, i, s, m.group(1), ctx, heads, limits, tables)
            ctx.reset()
            continue
        _other_line(s, no, ctx, heads)
    return [stack(path, tables)]
