"""Walking a table's rows: sections and headings, repeated headers, legends, footnote lines and the title."""

from __future__ import annotations

import re
from collections.abc import Callable

from raci.contracts.columns import Readings
from raci.contracts.layout import Layout
from raci.contracts.model import ContractRow, Document
from raci.contracts.tables import Sheet
from raci.contracts.vocabulary import NOT_APPLICABLE, clean

IsActivity = Callable[[str], bool]  # True when a label reads as an activity the catalog knows (not a section name)


_CLIENT_LABEL = re.compile(r"^(client|customer|client name|customer name|company|organi[sz]ation|agency)\s*:?$", re.IGNORECASE)


_FOOTNOTE_LINE = re.compile(r"^\s*(?:\[\^?\d{1,2}\]|\(\d{1,2}\)|\^?\[?\d{1,2}\]?\^|[\u00b9\u00b2\u00b3\u2074-\u2079]|\*{1,3}(?!\*)\s)")


def headings(sheet: Sheet, layout: Layout) -> list[str]:
    """Single-cell lines above the header (up to the table above), top first: a title, then a heading."""
    found = []
    for r in range(layout.names_row - 1, max(-1, layout.names_row - 7), -1):
        cells = [v for v in sheet.rows[r] if v]
        if len(cells) > 1:
            break
        if cells:
            found.append(clean(cells[0]))
    return found[::-1]


def title_of(sheet: Sheet, layout: Layout) -> str:
    heads = headings(sheet, layout)
    return heads[0] if heads else ""


def client_name(sheet: Sheet, header: int) -> str | None:
    """The client's name from a clearly labelled cell above the matrix ("Client: Acme", or "Client" | "Acme")."""
    for r in range(header):
        row = sheet.rows[r]
        for c, text in enumerate(row):
            m = re.match(r"^(client|customer)(?: name)?\s*:\s*(\S.*)$", text, re.IGNORECASE)
            if m:
                return m.group(2).strip()
            if _CLIENT_LABEL.match(text) and c + 1 < len(row) and row[c + 1] and not row[c + 1].startswith("<"):
                return row[c + 1]
    return None


def _section(layout: Layout, r: int, rd: Readings, label: str, is_activity: IsActivity) -> bool:
    """A label beside nothing but blank or filler cells heads a section, unless it reads as an activity that
    sits between the rows of a table (then it is a row that nobody owns)."""
    sheet = layout.sheet
    row = sheet.rows[r]
    filled = [(c, v) for c, v in enumerate(row) if v and c != layout.label_col and c != layout.domain_col]
    filler = [v for c, v in filled if rd(v).kind == "blank"]
    if len(filled) > len(filler):
        return False
    if filler:
        return True  # "---" beside a label: the row is a heading written as a table row
    if label.startswith(("**", "__")) or label.isupper() and len(label) > 3:
        return True
    if r == layout.start or not any(sheet.rows[r - 1]):
        return True  # first under the header, or after a blank line: a heading
    after = next((x for x in sheet.rows[r + 1: layout.end] if any(x)), None)
    if after is not None and [v.casefold() for v in after] == [v.casefold() for v in sheet.rows[layout.header]][: len(after)]:
        return True  # the header is repeated under it: the heading of the next table
    if after is not None and layout.label_col < len(after):
        words = set(re.findall(r"\w+", clean(label).casefold()))
        below = set(re.findall(r"\w+", clean(after[layout.label_col]).casefold()))
        if words and len(words) <= 4 and words < below:
            return True  # "Database Code Migration" over "Schema and Database Code migration": the group's heading
    return not is_activity(label)


def _skip(row: list[str], layout: Layout, sheet: Sheet, rd: Readings, label: str) -> bool:
    header = [v.casefold() for v in sheet.rows[layout.header]]
    if [v.casefold() for v in row] == header[: len(row)]:
        return True  # the header repeated (a page break, or a table of the same shape stacked below)
    names = [v.casefold() for v in sheet.rows[layout.names_row]]
    if layout.names_row != layout.header and [v.casefold() for v in row] == names[: len(row)]:
        return True
    return rd(label).kind == "letters" and len(clean(label)) <= 3  # a legend row such as "R | Responsible"


def base_row(doc: Document, layout: Layout, r: int, label: str, section: str | None, title: str) -> ContractRow:
    sheet = layout.sheet
    row = ContractRow(sheet.file, sheet.table_of(r), sheet.lines[r], label, None, section, title)
    note = sheet.cell(r, layout.note_col) if layout.note_col is not None else ""
    if note and clean(note).casefold() not in NOT_APPLICABLE | {"none", "-", "tbd", "n/a"}:
        row.note = note
    if layout.id_col is not None:
        row.ident = sheet.cell(r, layout.id_col)
    row.topic = " ".join(clean(sheet.cell(r, c)) for c in layout.topic_cols if sheet.cell(r, c))
    return row


def walk(doc: Document, layout: Layout, rd: Readings, is_activity: IsActivity):
    """(row index, label, section) for every row that states a responsibility; tracks sections as it goes."""
    sheet = layout.sheet
    heads = headings(sheet, layout)
    section: str | None = heads[-1] if len(heads) > 1 else None  # a heading between the title and the header
    for r in range(layout.start, layout.end):
        row = sheet.rows[r]
        if not any(row):
            continue
        label = sheet.cell(r, layout.label_col)
        if rd(label).kind == "blank":
            label = ""  # "---" where a label would be: filler
        domain = sheet.cell(r, layout.domain_col) if layout.domain_col is not None else ""
        if label and _skip(row, layout, sheet, rd, label):
            continue
        party_said = [c for c in layout.party_cols if sheet.cell(r, c) and rd(sheet.cell(r, c), layout.vocabulary).kind != "blank"]
        if label and not party_said and _FOOTNOTE_LINE.match(label) and sum(1 for v in row if v) == 1:
            doc.notes.append(f"footnote: {clean(label)}")
            continue  # "[1] Password resets included.": a footnote under the table
        if not label:
            others = [(c, v) for c, v in enumerate(row) if v and c not in layout.party_cols and c != layout.domain_col
                      and rd(v).kind != "blank"]
            if not party_said:
                if len(others) == 1 and (r, others[0][0]) not in sheet.merged_right:
                    section = clean(others[0][1]) or section  # a heading in another column, or a merged banner
                continue
            label = f"(row {sheet.lines[r]} has no label)"
        elif not party_said and _section(layout, r, rd, label, is_activity):
            section = clean(label)
            continue
        yield r, label, domain or section
