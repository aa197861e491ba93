"""Word documents (.docx, .docm): every table as rows of one grid, with the headings written above each table.

``word/document.xml`` is parsed with defusedxml (never python-docx, which would bring lxml in and change how
openpyxl writes workbooks). Tables are found anywhere in the body, also inside content controls; a table
nested in a cell is read as a table of its own, numbered and placed after its parent. Merged cells are
recorded the way the workbook reader records them: ``w:gridSpan`` leaves the text in the first column and
the covered columns blank, ``w:vMerge`` fills the text of its first cell down. Nothing is run: macros,
fields and embedded objects are never looked at; deleted (tracked) and hidden text is not read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from raci.contracts.formats.docx_xml import (
    _OFF,
    _SYMBOLS,
    SHORT_CHARS,
    SHORT_WORDS,
    _hex,
    _int,
    _namespace,
    _parse,
    _Styles,
    _Tags,
)
from raci.contracts.tables import MAX_COLS, Sheet, _apply_merges, display, fail, reason
from raci.errors import DocumentError

MAX_TABLES = 200
MAX_ROWS = 5_000
MAX_HEADINGS = 2  # heading paragraphs kept above a table (a title and a section), plus its caption


def read(path: str) -> list[Sheet]:
    """One grid holding every table of the document, in document order (see the module's docstring)."""
    p = str(path)
    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
            document = zf.read("word/document.xml")
            styles = zf.read("word/styles.xml") if "word/styles.xml" in names else None
    except DocumentError:
        raise
    except Exception as exc:  # a damaged package is a bad document, whatever zipfile raises
        raise fail(p, f"damaged Word document, cannot be read ({reason(exc)})") from None
    try:
        root = _parse(document)
        reader = _Reader(p, _namespace(root.tag), _Styles(_parse(styles) if styles else None))
        reader.read_body(root)
        return [reader.sheet()]
    except DocumentError:
        raise
    except RecursionError:
        raise fail(p, "damaged Word document, cannot be read (elements nested too deeply)") from None
    except Exception as exc:  # the parser's and ours: each is a document we cannot read
        raise fail(p, f"damaged Word document, cannot be read ({reason(exc)})") from None


@dataclass
class _Table:
    """One table read: its rows, its merged ranges (0-based, inclusive, in table rows) and its nested tables."""

    number: int
    heads: list[str]
    rows: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    nested: list = field(default_factory=list)


class _Reader:
    def __init__(self, path: str, ns: str, styles: _Styles):
        self.path = path
        self.t = _Tags(ns)
        self.styles = styles
        self.count = 0  # tables numbered so far
        self.total_rows = 0
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.labels: list[str | None] = []
        self.merges: list[tuple[int, int, int, int]] = []  # 1-based sheet coordinates, for _apply_merges

    # ------------------------------------------------------------ body

    def read_body(self, root) -> None:
        t = self.t
        body = root.find(t.body)
        if body is None:
            return
        pending: list[tuple[str, str, bool]] = []  # (heading|caption, text, first paragraph after a table)
        after_table = False
        last_after = False  # the last non-empty paragraph was the first one after a table
        for block in self._blocks(body):
            if block.tag == t.tbl:
                heads = self._pick_heads(pending, last_after)
                self._emit(self._table(block, heads))
                pending, after_table, last_after = [], True, False
                continue
            text = self._para_text(block)
            if not text:
                continue
            kind = self._heading_kind(block, text)
            if kind:
                pending.append((kind, text, after_table))
            last_after = after_table
            after_table = False

    @staticmethod
    def _pick_heads(pending: list[tuple[str, str, bool]], last_after: bool) -> list[str]:
        """The nearest heading paragraphs (at most two) and the nearest caption above a table, top first.

        A caption right under the previous table is that table's caption, unless nothing else stands between it
        and this table (then it is read as this table's)."""
        picked: list[int] = []
        headings = caption = 0
        for i in range(len(pending) - 1, -1, -1):
            kind, _text, first_after = pending[i]
            if kind == "caption":
                if caption or (first_after and not (i == len(pending) - 1 and last_after)):
                    continue
                caption += 1
            else:
                if headings >= MAX_HEADINGS:
                    continue
                headings += 1
            picked.append(i)
        return [pending[i][1] for i in sorted(picked)]

    def _blocks(self, el):
        """Paragraphs and tables of a container in document order, looking through content controls."""
        t = self.t
        for child in el:
            if child.tag == t.p or child.tag == t.tbl:
                yield child
            elif child.tag in t.wrappers:
                yield from self._blocks(child)

    def _heading_kind(self, p, text: str) -> str | None:
        t = self.t
        ppr = p.find(t.pPr)
        sid = None
        if ppr is not None:
            ps = ppr.find(t.pStyle)
            sid = ps.get(t.a_val) if ps is not None else None
            lvl = ppr.find(t.outlineLvl)
            level = _int(lvl.get(t.a_val), 9) if lvl is not None else 9
            if level is not None and 0 <= level <= 5:
                return "heading"
        kind = self.styles.kind(sid)
        if kind:
            return kind
        if len(text) <= SHORT_CHARS and len(text.split()) <= SHORT_WORDS and self._all_bold(p, sid):
            return "heading"
        return None

    def _all_bold(self, p, sid: str | None) -> bool:
        """Every run that shows text is bold (by its own properties, its character style or the paragraph's)."""
        t = self.t
        base = self.styles.bold(sid)
        runs = 0
        for r in p.iter(t.r):
            shown = "".join(x.text or "" for x in r.findall(t.t))
            if not shown.strip():
                continue
            rpr = r.find(t.rPr)
            bold = base
            if rpr is not None:
                rs = rpr.find(t.rStyle)
                if rs is not None and self.styles.bold(rs.get(t.a_val)):
                    bold = True
                b = rpr.find(t.b)
                if b is not None:
                    bold = (b.get(t.a_val) or "1").lower() not in _OFF
            if not bold:
                return False
            runs += 1
        return runs > 0

    # ------------------------------------------------------------ text

    def _para_text(self, p) -> str:
        out: list[str] = []
        self._inline(p, out)
        return display("".join(out))

    def _inline(self, el, out: list[str]) -> None:
        t = self.t
        for child in el:
            if child.tag == t.r:
                self._run(child, out)
            elif child.tag in t.inline:
                self._inline(child, out)
            # w:del and w:moveFrom (tracked deletions), w:pPr, mc:AlternateContent: not shown text

    def _run(self, r, out: list[str]) -> None:
        t = self.t
        rpr = r.find(t.rPr)
        font = ""
        if rpr is not None:
            for tag in (t.vanish, t.webHidden):
                hidden = rpr.find(tag)
                if hidden is not None and (hidden.get(t.a_val) or "1").lower() not in _OFF:
                    return  # hidden text is not shown
            fonts = rpr.find(t.rFonts)
            if fonts is not None:
                font = (fonts.get(t.a_ascii) or fonts.get(t.a_hAnsi) or "").strip().lower()
        table = _SYMBOLS.get(font)
        for x in r:
            tag = x.tag
            if tag == t.t:
                text = x.text or ""
                out.append("".join(table.get(ord(ch) & 0xFF, ch) if ord(ch) < 0x100 or 0xF000 <= ord(ch) <= 0xF0FF else ch
                                   for ch in text) if table else text)
            elif tag in (t.tab, t.ptab, t.br, t.cr):
                out.append(" ")
            elif tag == t.noBreakHyphen:
                out.append("-")
            elif tag == t.sym:
                code = _hex(x.get(t.a_char))
                symbols = _SYMBOLS.get((x.get(t.a_font) or "").strip().lower(), {})
                if code is not None and (code & 0xFF) in symbols:
                    out.append(symbols[code & 0xFF])
            # footnote and endnote references, field codes, drawings, deleted text: not part of the cell's text

    # ------------------------------------------------------------ tables

    def _table(self, tbl, heads: list[str]) -> _Table:
        t = self.t
        self.count += 1
        if self.count > MAX_TABLES:
            raise fail(self.path, f"the document holds more than {MAX_TABLES} tables: not a responsibility matrix this tool can audit")
        table = _Table(self.count, heads)
        open_v: dict[int, list[int]] = {}  # first column -> [first row, first col, last col, last row] of a vertical merge
        done: list[tuple[int, int, int, int]] = []
        for i, tr in enumerate(self._children(tbl, t.tr)):
            self.total_rows += 1
            if self.total_rows > MAX_ROWS:
                raise fail(self.path, f"the document's tables hold more than {MAX_ROWS:,} rows: not a responsibility matrix "
                                      "this tool can audit")
            table.rows.append(self._row(tr, i, table, open_v, done))
        done.extend(_closed(m) for m in open_v.values())
        for r1, c1, c2, r2 in done:
            if r2 > r1 or c2 > c1:
                table.merges.append((r1, c1, r2, c2))
        return table

    def _row(self, tr, i: int, table: _Table, open_v: dict[int, list[int]], done: list[tuple[int, int, int, int]]) -> list[str]:
        """Row ``i``'s cell texts by grid column (trailing blanks dropped), its merges recorded on the way."""
        t = self.t
        row: list[str] = []
        col = 0
        trpr = tr.find(t.trPr)
        if trpr is not None and trpr.find(t.gridBefore) is not None:
            col = max(0, _int(trpr.find(t.gridBefore).get(t.a_val), 0) or 0)
        for tc in self._children(tr, t.tc):
            span, vmerge, hcont = self._cell_merge(tc)
            if col + span > MAX_COLS:
                raise fail(self.path, f"table {table.number} is more than {MAX_COLS} columns wide: not a responsibility "
                                      "matrix this tool can audit")
            text = self._cell(tc, table.nested)
            if hcont and row:
                # legacy horizontal merge (w:hMerge): this cell belongs to the one on its left
                text = ""
                _join_left(table, i, col)
            row.extend([""] * (col - len(row)))
            row.append(text)
            row.extend([""] * (span - 1))
            _merge_cell(table, open_v, done, i, col, span, vmerge)
            col += span
        # a vertical merge ends where a row has no continuing cell in its column
        for c in [c for c, m in open_v.items() if m[3] != i]:
            done.append(_closed(open_v.pop(c)))
        while row and not row[-1]:
            row.pop()
        return row

    def _cell_merge(self, tc) -> tuple[int, str | None, bool]:
        """A cell's column span, vertical merge value and whether it continues a legacy horizontal merge."""
        t = self.t
        tcpr = tc.find(t.tcPr)
        span, vmerge, hcont = 1, None, False
        if tcpr is not None:
            gs = tcpr.find(t.gridSpan)
            if gs is not None:
                span = max(1, _int(gs.get(t.a_val), 1) or 1)
            vm = tcpr.find(t.vMerge)
            if vm is not None:
                vmerge = (vm.get(t.a_val) or "continue").lower()
            hm = tcpr.find(t.hMerge)
            hcont = hm is not None and (hm.get(t.a_val) or "continue").lower() == "continue"
        return span, vmerge, hcont

    def _children(self, el, tag: str):
        """Rows of a table or cells of a row, looking through row- and cell-level content controls."""
        for child in el:
            if child.tag == tag:
                yield child
            elif child.tag in self.t.wrappers:
                yield from self._children(child, tag)

    def _cell(self, tc, nested: list) -> str:
        """The cell's own paragraphs joined by a space; a table inside the cell is kept to be read on its own."""
        parts = []
        for block in self._blocks(tc):
            if block.tag == self.t.tbl:
                nested.append(block)
            else:
                text = self._para_text(block)
                if text:
                    parts.append(text)
        return display(" ".join(parts))

    def _emit(self, table: _Table) -> None:
        label = f"table {table.number}"
        for text in table.heads:
            self._add([text], label, 0)
        base = len(self.rows)
        for n, row in enumerate(table.rows, 1):
            self._add(row, label, n)
        for r1, c1, r2, c2 in table.merges:
            self.merges.append((base + r1 + 1, c1 + 1, base + r2 + 1, c2 + 1))
        self._add([], label, 0)
        for inner in table.nested:  # numbered and placed after their parent
            self._emit(self._table(inner, []))

    def _add(self, row: list[str], label: str, line: int) -> None:
        self.rows.append(row)
        self.labels.append(label)
        self.lines.append(line)

    def sheet(self) -> Sheet:
        sheet = Sheet(self.path, None, self.rows, self.lines, tables=self.labels)
        _apply_merges(self.path, "document", sheet, self.merges)
        return sheet


def _join_left(table: _Table, i: int, col: int) -> None:
    """Cell (i, col) joins the horizontal merge of the cell on its left."""
    last = table.merges[-1] if table.merges else None
    if last is not None and last[0] == last[2] == i and last[3] == col - 1:
        table.merges[-1] = (i, last[1], i, col)
    else:
        table.merges.append((i, col - 1, i, col))


def _closed(merge: list[int]) -> tuple[int, int, int, int]:
    """An open vertical merge [first row, first col, last col, last row] as the tuple ``done`` keeps."""
    return merge[0], merge[1], merge[2], merge[3]


def _merge_cell(table: _Table, open_v: dict[int, list[int]], done: list[tuple[int, int, int, int]], i: int, col: int,
                span: int, vmerge: str | None) -> None:
    """Records a cell's merges: continues or ends the vertical merge in its column, starts one, or spans columns."""
    if vmerge == "continue" and col in open_v and open_v[col][2] == col + span - 1:
        open_v[col][3] = i
    else:
        if col in open_v:
            done.append(_closed(open_v.pop(col)))
        if vmerge == "restart":
            open_v[col] = [i, col, col + span - 1, i]
        elif span > 1:
            table.merges.append((i, col, i, col + span - 1))
