"""Stage 3, rows: the chosen layout read row by row into parties and responsibilities.

Section rows (a label beside blank or filler cells) become the section of the rows under them; repeated
headers, legend rows and spacer rows are skipped; every other row is kept, owned or not, readable or not.
"""

from __future__ import annotations

import re

from raci.contracts.columns import Readings
from raci.contracts.layout import Layout
from raci.contracts.model import ContractRow, Document, Party
from raci.contracts.owners import read_owner
from raci.contracts.parties import add_party, settle_kinds
from raci.contracts.tables import col_letter
from raci.contracts.vocabulary import SHARED_WORDS, Reading, canonical, clean, footnotes
from raci.contracts.walk import IsActivity, base_row, client_name, title_of, walk


def read_rows(layout: Layout, kinds: dict[str, str], is_activity: IsActivity, readings: Readings | None = None) -> Document:
    """The document a layout describes. ``kinds`` maps lower-case party headers to kinds the user gave."""
    rd = readings or Readings()
    sheet = layout.sheet
    kinds = {k.casefold(): v for k, v in kinds.items()}
    doc = Document(sheet.file, "csv" if sheet.name is None else "xlsx", sheet.table_of(layout.header), sheet.lines[layout.header],
                   col_letter(layout.label_col), layout.orientation, layout.mode, [], [], hidden=sheet.hidden)
    doc.title = title_of(sheet, layout)
    doc.client = client_name(sheet, layout.header)
    if layout.orientation == "columns":
        _read_columns(doc, layout, rd, kinds)
    elif layout.mode == "grid":
        _read_grid(doc, layout, rd, kinds, is_activity)
    else:
        read_owner(doc, layout, rd, kinds, is_activity)
    settle_kinds(doc, kinds)
    return doc


_CATEGORY = re.compile(r"\b(origination|responsibilit\w*|status|implementation|roles?|raci|parties|party|who|owner\w*|"
                       r"accountab\w*|assignment)\b", re.IGNORECASE)


_ORIGINATION = re.compile(r"service provider (corporate|system specific|hybrid)|configured by customer|provided by customer|"
                         r"inherited from pre-?existing", re.IGNORECASE)


def _read_grid(doc: Document, layout: Layout, rd: Readings, kinds: dict[str, str], is_activity: IsActivity) -> None:
    sheet = layout.sheet
    parties: list[tuple[Party, int]] = []  # a party and its column
    shared_cols = []
    headers = [sheet.cell(layout.names_row, c) or sheet.cell(layout.header, c) for c in layout.party_cols]
    # FedRAMP CIS "Control Origination": check all that apply; the CRM worksheet says who does what
    origination = sum(1 for h in headers if _ORIGINATION.search(clean(h))) >= 3
    for c, header in zip(layout.party_cols, headers):
        words = clean(header).casefold().split()
        if words and words[0] in SHARED_WORDS:
            shared_cols.append((c, clean(header)))  # a "Shared" column marks shared rows; it is not a party
            continue
        header = header or f"Column {col_letter(c)}"
        parent, first, last = sheet.merge_parent.get((layout.names_row, c), ("", 0, -1))
        if parent and parent != header and all(k in layout.party_cols for k in range(first, last + 1)) \
                and not _CATEGORY.search(parent):
            header = f"{parent} {header}"  # "Contoso" over "NOC | Service desk"; not "Control Origination" over parties
        parties.append((add_party(doc, header, c, kinds), c))
    # a status column headed N/A ("Implementation Status: ... | N/A") marks rows that do not apply
    na_cols = [c for c, h in enumerate(sheet.rows[layout.header]) if h and c not in layout.party_cols and rd(h).kind == "na"]
    for r, label, section in walk(doc, layout, rd, is_activity):
        row = base_row(doc, layout, r, label, section, doc.title)
        cells = [(p, sheet.cell(r, c)) for p, c in parties]
        read_grid_cells(row, [(p.id, p.header, text, rd(text)) for p, text in cells])
        marked_shared = [h for c, h in shared_cols if rd(sheet.cell(r, c)).kind == "mark"]
        if marked_shared:
            row.cells[marked_shared[0]] = sheet.cell(r, shared_cols[0][0])
            for pid in list(row.roles):
                row.roles[pid] = "R" if row.roles[pid] == "A/R" else row.roles[pid]
            row.shared = True
        if not row.roles and any(rd(sheet.cell(r, c)).kind == "mark" for c in na_cols):
            row.excluded = True
        if origination and (row.shared or len(row.roles) > 1):
            row.shared = True
            row.note = "; ".join(x for x in (row.note, "origination marked in several columns; the CRM worksheet says who "
                                                       "does what") if x)
        doc.rows.append(row)


def read_grid_cells(row: ContractRow, cells: list[tuple[str, str, str, Reading]]) -> None:
    """Roles from one row's party cells: (party id, header, text, reading) per party."""
    marks: list[str] = []
    na = 0
    notes: list[str] = []
    for pid, header, text, reading in cells:
        if text:
            row.cells[header] = text
        if reading.kind == "letters":
            role = canonical(reading.letters)
            if role:
                row.roles[pid] = role
            if reading.note:
                notes.append(f"{header}: {reading.note}")
        elif reading.kind == "mark":
            marks.append(pid)
            if reading.note:
                notes.append(f"{header}: {reading.note}")
        elif reading.kind == "owner":
            row.roles[pid] = "R"  # "Joint" or "Shared" in a party's own column: works on it, owns nothing alone
            row.shared = row.shared or reading.shared
        elif reading.kind == "cost":
            row.costs.append((header, text))
        elif reading.kind == "na":
            na += 1
        elif reading.kind == "text":
            row.unclear.append((header, text))
    if marks:
        # one mark names the owner; several marks name several doers and no single accountable party
        if len(marks) == 1 and not row.roles:
            row.roles[marks[0]] = "A/R"
        else:
            for pid in marks:
                row.roles.setdefault(pid, "R")
            row.shared = row.shared or not any("A" in r for r in row.roles.values())
    marks_seen = [f"{header}: see footnote {m}" for _pid, header, text, _r in cells for m in footnotes(text)]
    if notes or marks_seen:
        row.note = "; ".join(([row.note] if row.note else []) + notes + marks_seen)
    if na and not row.roles and not row.unclear and not marks:
        row.excluded = True
    if len([p for p, r in row.roles.items() if "R" in r or "A" in r]) < 2 and row.shared:
        row.shared = False


def _read_columns(doc: Document, layout: Layout, rd: Readings, kinds: dict[str, str]) -> None:
    """Transposed: each activity column is one responsibility; each party row holds that party's cells."""
    sheet = layout.sheet
    party_rows: list[tuple[int, Party]] = []
    for r in range(layout.start, layout.end):
        name = sheet.cell(r, layout.label_col)
        if name and any(sheet.cell(r, c) for c in layout.party_cols):
            party_rows.append((r, add_party(doc, name, r, kinds)))
    head = sheet.rows[layout.header]
    for c in layout.party_cols:
        label = head[c] if c < len(head) else ""
        row = ContractRow(sheet.file, sheet.table_of(layout.header), sheet.lines[layout.header], label, col_letter(c), None, doc.title)
        read_grid_cells(row, [(p.id, p.header, sheet.cell(r, c), rd(sheet.cell(r, c))) for r, p in party_rows])
        doc.rows.append(row)
