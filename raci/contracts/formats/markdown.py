"""Markdown documents: every pipe table (GitHub style) as rows of cell text, stacked in one grid under the
headings before it.

Parsed with markdown-it-py (CommonMark with tables), so escaped pipes, code spans and the rest follow the
specification. Bold, italics, code and links are reduced to their text; footnote markers stay as written.
YAML front matter is skipped, and so is a table with no body rows. An HTML table written in the Markdown is
read by the HTML reader at its lines in the file. Nothing is fetched: links and images are only text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from raci.contracts.formats.html import MAX_COLS, MAX_ROWS, MAX_TABLES, Headings, Limits, Table, TableParser, stack, text_of
from raci.contracts.tables import MAX_CELL, Sheet, display, fail

_FRONT_END = re.compile(r"^(?:---|\.\.\.)\s*$")
_SUP_TAG = re.compile(r"<\s*/?\s*sup\b", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<\s*/?\s*(?:br|p|li|div|ul|ol|hr)\b", re.IGNORECASE)
_DELIMITER_ROW = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
MAX_FRONT_MATTER = 1_000  # lines
MAX_LINES = 100_000  # the block parser takes some microseconds a line: this bounds its time on any file
MAX_CELLS = 100_000  # table cells in a document (a large matrix has a few thousand)
# markdown-it splits a table row in time quadratic in its escaped pipes: they are hidden from it, and restored
_PIPE = "\ue000"


def _prune(state) -> None:
    """Before inline parsing: only table cells and headings are read, so every other paragraph is emptied (a
    megabyte of escapes in one paragraph costs seconds), and a cell is cut to what a label can hold."""
    keep = 0
    for tok in state.tokens:
        if tok.type in ("heading_open", "th_open", "td_open"):
            keep += 1
        elif tok.type in ("heading_close", "th_close", "td_close"):
            keep -= 1
        elif tok.type == "inline":
            tok.content = tok.content[: 2 * MAX_CELL] if keep > 0 else ""


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.core.ruler.before("inline", "raci_prune", _prune)
    return md


def _bounds(path: str, lines: list[str]) -> None:
    """Refuse, before parsing, a file whose tables would pass the bounds anyway (the parser is slow on them)."""
    if len(lines) > MAX_LINES:
        raise fail(path, f"more than {MAX_LINES:,} lines: not a responsibility matrix this tool can audit")
    tables = rows = cells = 0
    k = 1
    while k < len(lines):
        if "|" in lines[k] and "-" in lines[k] and "|" in lines[k - 1] and _DELIMITER_ROW.match(lines[k]):
            width = len(re.findall(r"-+", lines[k]))
            if width > MAX_COLS:
                raise fail(path, f"a table has more than {MAX_COLS} columns: not a responsibility matrix this tool can audit")
            tables += 1
            start = k
            k += 1
            while k < len(lines) and lines[k].strip():
                k += 1
            rows += k - start
            cells += (k - start) * width
            if tables > MAX_TABLES:
                raise fail(path, f"more than {MAX_TABLES} tables: not a responsibility matrix this tool can audit")
            if rows > MAX_ROWS:
                raise fail(path, f"more than {MAX_ROWS:,} table rows: not a responsibility matrix this tool can audit")
            if cells > MAX_CELLS:
                raise fail(path, f"more than {MAX_CELLS:,} table cells: not a responsibility matrix this tool can audit")
        k += 1


def _without_front_matter(text: str) -> str:
    """YAML front matter blanked out (its lines kept, so line numbers stay those of the file)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    for i in range(1, min(len(lines), MAX_FRONT_MATTER)):
        if _FRONT_END.match(lines[i]):
            return "\n" * (i + 1) + "\n".join(lines[i + 1:])
    return text


def inline_text(token: Token) -> str:
    """An inline token's text with every piece of markup reduced to the words it shows."""
    parts = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "html_inline":
            if _BREAK_TAG.match(child.content):
                parts.append(" ")
            elif _SUP_TAG.match(child.content):
                parts.append("^")  # R<sup>1</sup> reads R^1^: a footnote marker the vocabulary sets aside
        elif kind == "image":
            parts.append("".join(c.content for c in child.children or []))
    return display("".join(parts).replace(_PIPE, "|"))


def _table(tokens: list[Token], i: int, heads: Headings, limits: Limits) -> tuple[Table | None, int]:
    """The table opened at tokens[i] and the index of its closing token; None for a table with no body rows."""
    opener = tokens[i]
    assert opener.map is not None, "the caller skips tokens without a source map"
    rows: list[list[str]] = []
    lines: list[int] = []
    body = 0
    j = i + 1
    in_body = False
    while j < len(tokens) and tokens[j].type != "table_close":
        tok = tokens[j]
        if tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tr_open":
            limits.row()
            rows.append([])
            lines.append((tok.map[0] if tok.map else opener.map[0]) + 1)
            body += in_body
        elif tok.type == "inline" and rows:
            rows[-1].append(inline_text(tok))
            limits.width(len(rows[-1]))
        j += 1
    if not body:
        return None, j
    end = (opener.map[1] if opener.map else lines[-1]) + 1
    return Table(heads.take(), rows, lines, end), j


def _html(lines: list[str], start: int, end: int, heads: Headings, limits: Limits, path: str) -> tuple[list[Table], int]:
    """The HTML tables of an HTML block at lines [start, end) (0-based), read on past ``end`` until as many
    tables are closed as were opened (a blank line inside a table splits it into several Markdown blocks).
    The lines are fed in one piece: fed line by line, an unclosed comment would be scanned again each time."""
    depth = 0
    k = start
    while k < len(lines):
        depth += len(_TABLE_OPEN.findall(lines[k])) - len(_TABLE_CLOSE.findall(lines[k]))
        k += 1
        if k >= end and depth <= 0:
            break
    parser = TableParser(path, limits, heads, line_offset=start)
    parser.feed("\n".join(lines[start:k]) + "\n")
    return parser.finish(), k


def read(path: str) -> list[Sheet]:
    text = _without_front_matter(text_of(path, "Markdown"))
    lines = text.split("\n")
    _bounds(path, lines)
    limits = Limits(path)
    tokens = _parser().parse(text.replace("\\|", _PIPE))
    heads = Headings()
    tables: list[Table] = []
    done_to = 0  # lines read by the HTML reader
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.map is None or tok.map[0] < done_to:
            i += 1
            continue
        if tok.type == "heading_open" and i + 1 < len(tokens):
            heads.set(int(tok.tag[1:]), inline_text(tokens[i + 1]), tok.map[0] + 1)
        elif tok.type == "table_open":
            limits.table()
            table, i = _table(tokens, i, heads, limits)
            if table is not None:
                tables.append(table)
        elif tok.type == "html_block" and _TABLE_OPEN.search(tok.content):
            found, done_to = _html(lines, tok.map[0], tok.map[1], heads, limits, path)
            tables.extend(found)
        i += 1
    return [stack(path, tables)]
