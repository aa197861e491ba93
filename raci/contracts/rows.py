"""Stage 3, rows: the chosen layout read row by row into parties and responsibilities.

Section rows (a label beside blank or filler cells) become the section of the rows under them; repeated
headers, legend rows and spacer rows are skipped; every other row is kept, owned or not, readable or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from raci.contracts.columns import Readings
from raci.contracts.layout import Layout
from raci.contracts.model import ContractRow, Document, Party
from raci.contracts.tables import Sheet, col_letter
from raci.contracts.vocabulary import NOT_APPLICABLE, SHARED_WORDS, Reading, canonical, clean, footnotes, guess_kind, owner_slots

IsActivity = Callable[[str], bool]  # True when a label reads as an activity the catalog knows (not a section name)

_SLOT_KIND = {"provider": "msp", "client": "client", "third": "vendor"}
_SLOT_NAMES = {"caiq": {"provider": "CSP", "client": "CSC", "third": "3rd party"},
               "fedramp": {"provider": "CSP", "client": "Customer"},
               "any": {"provider": "Provider", "client": "Customer", "third": "Third party"}}
_CLIENT_LABEL = re.compile(r"^(client|customer|client name|customer name|company|organi[sz]ation|agency)\s*:?$", re.IGNORECASE)
_FOOTNOTE_LINE = re.compile(r"^\s*(?:\[\^?\d{1,2}\]|\(\d{1,2}\)|\^?\[?\d{1,2}\]?\^|[\u00b9\u00b2\u00b3\u2074-\u2079]|\*{1,3}(?!\*)\s)")
_SPLIT_NAMES = re.compile(r"\s*(?:\band\b|&|/|\+|,|\bet\b)\s*", re.IGNORECASE)


def read_rows(layout: Layout, kinds: dict[str, str], is_activity: IsActivity, readings: Readings | None = None) -> Document:
    """The document a layout describes. ``kinds`` maps lower-case party headers to kinds the user gave."""
    rd = readings or Readings()
    sheet = layout.sheet
    kinds = {k.casefold(): v for k, v in kinds.items()}
    doc = Document(sheet.file, "csv" if sheet.name is None else "xlsx", sheet.name, sheet.lines[layout.header],
                   col_letter(layout.label_col), layout.orientation, layout.mode, [], [], hidden=sheet.hidden)
    doc.title = _title(sheet, layout)
    doc.client = _client_name(sheet, layout.header)
    if layout.orientation == "columns":
        _read_columns(doc, layout, rd, kinds)
    elif layout.mode == "grid":
        _read_grid(doc, layout, rd, kinds, is_activity)
    else:
        _read_owner(doc, layout, rd, kinds, is_activity)
    _settle_kinds(doc, kinds)
    return doc


def _headings(sheet: Sheet, layout: Layout) -> list[str]:
    """Single-cell lines above the header (up to the table above), top first: a title, then a heading."""
    found = []
    for r in range(layout.names_row - 1, max(-1, layout.names_row - 7), -1):
        cells = [v for v in sheet.rows[r] if v]
        if len(cells) > 1:
            break
        if cells:
            found.append(clean(cells[0]))
    return found[::-1]


def _title(sheet: Sheet, layout: Layout) -> str:
    heads = _headings(sheet, layout)
    return heads[0] if heads else ""


def _client_name(sheet: Sheet, header: int) -> str | None:
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


def _party(doc: Document, header: str, column: int | None, kinds: dict[str, str], guess: tuple[str, bool] | None = None) -> Party:
    shown = clean(header) or header
    used = {p.id for p in doc.parties}
    pid = base = slug(shown)
    n = 2
    while pid in used:
        pid, n = f"{base}-{n}", n + 1
    kind, guessed = (kinds[shown.casefold()], False) if shown.casefold() in kinds else ((guess or guess_kind(shown))[0], True)
    party = Party(shown, pid, kind, guessed, column)
    doc.parties.append(party)
    return party


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "party"


_PARTNER = re.compile(r"(the |an? )?(\w+ )?partners?", re.IGNORECASE)  # "Partner", "AWS Partner": a provider, not the author


def _settle_kinds(doc: Document, kinds: dict[str, str]) -> None:
    """Party kinds as a consultant reads them. When no party is recognisably the provider, the first
    organisation the words do not place wrote the document and is the provider; other unplaced organisations,
    and clouds (AWS, Azure) beside a named provider, are third parties. A cloud beside no other provider
    organisation ("Customer | AWS | Partner") is the provider. The user's --party kinds are never changed."""
    free = [p for p in doc.parties if p.header.casefold() not in kinds]
    known = {p.id: guess_kind(p.header)[1] for p in free}
    fixed_msp = any(p.kind == "msp" for p in doc.parties if p.header.casefold() in kinds)
    unknown = [p for p in free if not known[p.id]]
    provider = fixed_msp or any(guess_kind(p.header) == ("msp", True) and not _PARTNER.fullmatch(clean(p.header)) for p in free)
    named_provider = provider or bool(unknown)
    for i, p in enumerate(unknown):
        p.kind = "msp" if i == 0 and not provider else "vendor"
    if not named_provider:
        for p in free:
            if p.kind == "vendor" and guess_kind(p.header) == ("vendor", True) and _is_cloud(p.header):
                p.kind = "msp"
    if not any(p.kind == "msp" for p in doc.parties):
        vendors = [p for p in free if p.kind == "vendor"]
        if vendors:
            vendors[0].kind = "msp"


def _is_cloud(header: str) -> bool:
    return bool(re.search(r"\b(aws|azure|microsoft|google|gcp|amazon|hyperscaler)\b", clean(header), re.IGNORECASE))


# --------------------------------------------------------------------------- section rows


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
    return not is_activity(label)


def _skip(row: list[str], layout: Layout, sheet: Sheet, rd: Readings, label: str) -> bool:
    header = [v.casefold() for v in sheet.rows[layout.header]]
    if [v.casefold() for v in row] == header[: len(row)]:
        return True  # the header repeated (a page break, or a table of the same shape stacked below)
    names = [v.casefold() for v in sheet.rows[layout.names_row]]
    if layout.names_row != layout.header and [v.casefold() for v in row] == names[: len(row)]:
        return True
    return rd(label).kind == "letters" and len(clean(label)) <= 3  # a legend row such as "R | Responsible"


def _base_row(doc: Document, layout: Layout, r: int, label: str, section: str | None, title: str) -> ContractRow:
    sheet = layout.sheet
    row = ContractRow(sheet.file, sheet.name, sheet.lines[r], label, None, section, title)
    note = sheet.cell(r, layout.note_col) if layout.note_col is not None else ""
    if note and clean(note).casefold() not in NOT_APPLICABLE | {"none", "-", "tbd", "n/a"}:
        row.note = note
    if layout.id_col is not None:
        row.ident = sheet.cell(r, layout.id_col)
    return row


def _walk(doc: Document, layout: Layout, rd: Readings, is_activity: IsActivity):
    """(row index, label, section) for every row that states a responsibility; tracks sections as it goes."""
    sheet = layout.sheet
    heads = _headings(sheet, layout)
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


_CATEGORY = re.compile(r"\b(origination|responsibilit\w*|status|implementation|roles?|raci|parties|party|who|owner\w*|"
                       r"accountab\w*|assignment)\b", re.IGNORECASE)
_ORIGINATION = re.compile(r"service provider (corporate|system specific|hybrid)|configured by customer|provided by customer|"
                         r"inherited from pre-?existing", re.IGNORECASE)


def _read_grid(doc: Document, layout: Layout, rd: Readings, kinds: dict[str, str], is_activity: IsActivity) -> None:
    sheet = layout.sheet
    parties = []
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
        parties.append(_party(doc, header, c, kinds))
    # a status column headed N/A ("Implementation Status: ... | N/A") marks rows that do not apply
    na_cols = [c for c, h in enumerate(sheet.rows[layout.header]) if h and c not in layout.party_cols and rd(h).kind == "na"]
    for r, label, section in _walk(doc, layout, rd, is_activity):
        row = _base_row(doc, layout, r, label, section, doc.title)
        cells = [(p, sheet.cell(r, p.column)) for p in parties]
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
            party_rows.append((r, _party(doc, name, r, kinds)))
    head = sheet.rows[layout.header]
    for c in layout.party_cols:
        label = head[c] if c < len(head) else ""
        row = ContractRow(sheet.file, sheet.name, sheet.lines[layout.header], label, col_letter(c), None, doc.title)
        read_grid_cells(row, [(p.id, p.header, sheet.cell(r, c), rd(sheet.cell(r, c))) for r, p in party_rows])
        doc.rows.append(row)


def _read_owner(doc: Document, layout: Layout, rd: Readings, kinds: dict[str, str], is_activity: IsActivity) -> None:
    """Owner columns: cells name who owns the row (owner words, FedRAMP/CAIQ vocabularies, or party names)."""
    sheet = layout.sheet
    vocab = layout.vocabulary
    names = _names_in_cells(sheet, layout, rd)
    slot_party: dict[str, Party] = {}
    name_party: dict[str, Party] = {}
    for listed in names.values():  # parties named in cells first, so owner words can stand for them
        for n in listed:
            if n not in name_party and owner_slots(n) is None:
                name_party[n] = _party(doc, n, None, kinds)
    head = sheet.rows[layout.header]
    third = _third_party_words(sheet, layout, rd)
    for r, label, section in _walk(doc, layout, rd, is_activity):
        for c in layout.party_cols:
            text = sheet.cell(r, c)
            column_header = head[c] if c < len(head) else ""
            if layout.mode == "names":
                row = _base_row(doc, layout, r, f"{label}: {clean(column_header)}", section, doc.title)
                row.column = col_letter(c)
                row.about = (label, clean(column_header))
            elif c == layout.party_cols[0]:
                row = _base_row(doc, layout, r, label, section, doc.title)
            row.cells[column_header or "Owner"] = text
            reading = rd(text, vocab)
            for mark in footnotes(text):
                row.note = "; ".join(x for x in (row.note, f"see footnote {mark}") if x)
            owners = names.get(text)
            if owners:
                parties = [name_party.get(n) or name_party.setdefault(n, _party(doc, n, None, kinds)) for n in owners]
                for p in parties:
                    row.roles[p.id] = "A/R" if len(parties) == 1 else "R"
                row.shared = len(parties) > 1
            elif reading.kind == "owner" and clean(text).casefold() in third:
                p = name_party.get(clean(text)) or name_party.setdefault(clean(text), _party(doc, clean(text), None, kinds, ("vendor", True)))
                row.roles[p.id] = "A/R"
            elif reading.kind == "owner":
                for slot, role in reading.slots:
                    p = slot_party.get(slot)
                    if p is None:
                        p = slot_party[slot] = _slot_party(doc, slot, vocab, kinds, name_party, head)
                    row.roles[p.id] = role
                row.shared = reading.shared
                if reading.note and not row.note:
                    row.note = reading.note
            elif reading.kind == "na":
                row.excluded = True
            elif reading.kind == "cost":
                row.costs.append((column_header, text))
            elif reading.kind == "text":
                row.unclear.append((column_header or "Owner", text))
            if layout.mode == "names" or c == layout.party_cols[-1]:
                doc.rows.append(row)


_VENDOR_WORDS = {"vendor", "supplier", "subcontractor", "sub-contractor", "third party", "third-party", "3rd party",
                 "3rd-party", "vendor responsibility"}


def _third_party_words(sheet: Sheet, layout: Layout, rd: Readings) -> set[str]:
    """Owner words that name a third party: "Vendor" in a column that also says "Provider" is not the provider."""
    words = set()
    for r in range(layout.start, layout.end):
        for c in layout.party_cols:
            text = sheet.cell(r, c)
            reading = rd(text, layout.vocabulary) if text else None
            if reading is not None and reading.kind == "owner" and len(reading.slots) == 1 and reading.slots[0][0] == "provider":
                words.add(clean(text).casefold())
    vendorish = words & _VENDOR_WORDS
    return vendorish if vendorish and words - _VENDOR_WORDS else set()


_HEADER_NAMES = {"client": ("customer agency", "leveraging agency", "agency", "customer", "client", "csc", "tenant"),
                 "provider": ("cloud service provider", "csp", "service provider", "provider", "msp")}


def _slot_party(doc: Document, slot: str, vocab: str, kinds: dict[str, str], by_name: dict[str, Party],
                header: list[str]) -> Party:
    """The party an owner word stands for: a party named in the cells when one fits ("Shared" beside "Azure" and
    "Customer" means those two), else the name the table's headers use ("Customer Agency/CSP Responsibilities"),
    else the word itself."""
    for party in by_name.values():
        client = guess_kind(party.header)[0] == "client"
        if (slot == "client") == client and slot != "third":
            return party
    name = _SLOT_NAMES.get(vocab, _SLOT_NAMES["any"])[slot]
    if vocab != "any" and slot in _HEADER_NAMES:
        text = " ".join(clean(h).casefold() for h in header)
        for phrase in _HEADER_NAMES[slot]:
            m = re.search(rf"\b{re.escape(phrase)}\b", text)
            if m:
                original = " ".join(clean(h) for h in header)[m.start():m.end()]
                name = original if not original.islower() else original.title()
                break
    return _party(doc, name, None, kinds, (_SLOT_KIND[slot], True))


def _names_in_cells(sheet: Sheet, layout: Layout, rd: Readings) -> dict[str, list[str]]:
    """Cell text -> the party names it lists, for cells that name parties rather than use owner words.

    A name is a short value used in at least two cells ("Northwind Cloud", "Hyperscaler"); "X and Y" lists two.
    Owner words (Customer, Provider, Shared) stay owner words unless they appear joined with a name.
    """
    counts: dict[str, int] = {}
    for r in range(layout.start, layout.end):
        for c in layout.party_cols:
            text = sheet.cell(r, c)
            if text:
                counts[text] = counts.get(text, 0) + 1
    names: set[str] = set()
    for text, n in counts.items():
        reading = rd(text, layout.vocabulary)
        if layout.vocabulary != "any" or reading.kind not in ("text", "owner"):
            continue
        parts = [clean(p) for p in _SPLIT_NAMES.split(clean(text)) if clean(p)]
        if reading.kind == "owner" and len(parts) == 1:
            continue
        if len(parts) == 1 and n < 2:
            continue
        if all(len(p.split()) <= 4 for p in parts):
            names.update(parts)
    out: dict[str, list[str]] = {}
    for text in counts:
        parts = [clean(p) for p in _SPLIT_NAMES.split(clean(text)) if clean(p)]
        if parts and all(p in names or owner_slots(p) is not None for p in parts) and any(p in names for p in parts):
            out[text] = parts
    return out
