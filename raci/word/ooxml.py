"""A tiny WordprocessingML builder: runs, paragraphs, cells, rows and tables as XML strings.

Every piece of text goes through ``run``: characters XML 1.0 cannot hold are dropped, tabs become ``<w:tab/>`` and
line breaks ``<w:br/>``, and everything else is escaped, so whatever a user typed reads back as they typed it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

# What XML 1.0 cannot hold (tab, newline and carriage return can), surrogates included: the characters
# raci.excel_layout.clean_text drops, and the lone surrogates a Python string may carry.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_PIECES = re.compile(r"(\t|\n)")

MIN_HALF_POINTS = 16  # 8 pt: no run of the document is smaller
BODY_SIZE = 18  # 9 pt
TABLE_SIZE = 17  # 8.5 pt: table text
BORDER_COLOUR = "A6A6A6"
HEAD_FILL = "D9E2F3"  # header rows of every table
BAND_FILL = "EDEDED"  # the domain band rows of the matrix


def clean(text: object) -> str:
    """User text as the document holds it: no character XML cannot hold, every line break a ``\\n``."""
    return _NEWLINES.sub("\n", _ILLEGAL.sub("", "" if text is None else str(text)))


BREAK_AFTER_DOT = "\u200b"  # a zero-width break opportunity: a long activity id wraps after a dot, not mid-word


def id_text(activity_id: str) -> str:
    """An activity id as a narrow column shows it: it may wrap after each dot (``monitoring.`` / ``availability``)."""
    return activity_id.replace(".", "." + BREAK_AFTER_DOT)


def run(text: object, *, bold: bool = False, italic: bool = False, size: int | None = None, colour: str = "",
        fill: str = "") -> str:
    """One run of text in the given look; ``size`` in half-points (never under 8 pt)."""
    props = []
    if bold:
        props.append("<w:b/><w:bCs/>")
    if italic:
        props.append("<w:i/><w:iCs/>")
    if colour:
        props.append(f'<w:color w:val="{colour}"/>')
    if size is not None:
        size = max(size, MIN_HALF_POINTS)
        props.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    body = []
    for piece in _PIECES.split(clean(text)):
        if piece == "\t":
            body.append("<w:tab/>")
        elif piece == "\n":
            body.append("<w:br/>")
        elif piece:
            body.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{''.join(body)}</w:r>"


def para(*runs: str, style: str = "", align: str = "", keep_next: bool = False, page_break: bool = False,
         after: int | None = None, before: int | None = None, tabs: Iterable[tuple[str, int]] = ()) -> str:
    """A paragraph of runs (made by ``run``, or plain text for a single run in the paragraph's style)."""
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        props.append("<w:keepNext/>")
    if page_break:
        props.append("<w:pageBreakBefore/>")
    stops = list(tabs)
    if stops:
        props.append("<w:tabs>" + "".join(f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in stops)
                     + "</w:tabs>")
    if after is not None or before is not None:
        spacing = "".join(f' w:{k}="{v}"' for k, v in (("before", before), ("after", after)) if v is not None)
        props.append(f"<w:spacing{spacing}/>")
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def text_para(text: object, **options) -> str:
    """A paragraph of one run of ``text`` in the given style."""
    look = {k: options.pop(k) for k in ("bold", "italic", "size", "colour") if k in options}
    return para(run(text, **look), **options)


def cell(content: str | Iterable[str], width: int, *, fill: str = "", span: int = 1, valign: str = "center",
         borders: str = "") -> str:
    """A table cell ``width`` twips wide holding paragraphs (a cell must hold at least one)."""
    paragraphs = content if isinstance(content, str) else "".join(content)
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if borders:
        props.append(f"<w:tcBorders>{borders}</w:tcBorders>")
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    props.append(f'<w:vAlign w:val="{valign}"/>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{paragraphs or para()}</w:tc>"


def row(cells: Iterable[str], *, header: bool = False, height: int = 0) -> str:
    """A table row that never splits across pages; a header row repeats at the top of every page."""
    props = ["<w:cantSplit/>"]
    if height:
        props.append(f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>')
    if header:
        props.append("<w:tblHeader/>")
    return f"<w:tr><w:trPr>{''.join(props)}</w:trPr>{''.join(cells)}</w:tr>"


def _borders(colour: str, size: int = 4) -> str:
    return "".join(f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="{colour}"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


NO_BORDERS = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def table(widths: list[int], rows: Iterable[str], *, grid: bool = True) -> str:
    """A table of fixed column ``widths`` (twips), with grid borders unless ``grid`` is False."""
    borders = _borders(BORDER_COLOUR) if grid else NO_BORDERS
    props = (f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
             '<w:tblLayout w:type="fixed"/>'
             '<w:tblCellMar><w:top w:w="29" w:type="dxa"/><w:left w:w="72" w:type="dxa"/>'
             '<w:bottom w:w="29" w:type="dxa"/><w:right w:w="72" w:type="dxa"/></w:tblCellMar>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
             'w:noHBand="1" w:noVBand="1"/>')
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{''.join(rows)}</w:tbl>"


def field(instruction: str, shown: str, *, size: int | None = None, bold: bool = False) -> str:
    """A simple field (PAGE, NUMPAGES) showing ``shown`` until the word processor updates it."""
    return f"<w:fldSimple w:instr={quoteattr(' ' + instruction + ' ')}>{run(shown, size=size, bold=bold)}</w:fldSimple>"


def simple_table(widths: list[int], header: list[str], body: Iterable[list[str]], *, align: list[str] | None = None,
                 size: int = TABLE_SIZE) -> str:
    """A grid table of text: a header row repeated on every page, then one row per list of texts."""
    aligns = align or [""] * len(widths)
    head = row((cell(text_para(h, bold=True, size=size, align=a, after=0), w, fill=HEAD_FILL)
                for h, w, a in zip(header, widths, aligns)), header=True)
    rows = [row(cell(text_para(v, size=size, align=a, after=0), w) for v, w, a in zip(values, widths, aligns))
            for values in body]
    return table(widths, [head, *rows])
