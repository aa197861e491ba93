"""Owner columns and resource x process tables: cells that name who owns the row (owner words or party names)."""

from __future__ import annotations

import re

from raci.contracts.columns import Readings
from raci.contracts.layout import Layout
from raci.contracts.model import Document, Party
from raci.contracts.parties import VENDOR_WORDS, add_party, slot_party
from raci.contracts.tables import Sheet, col_letter
from raci.contracts.vocabulary import clean, footnotes, owner_slots
from raci.contracts.walk import IsActivity, base_row, walk

_SPLIT_NAMES = re.compile(r"\s*(?:\band\b|&|/|\+|,|\bet\b)\s*", re.IGNORECASE)


def read_owner(doc: Document, layout: Layout, rd: Readings, kinds: dict[str, str], is_activity: IsActivity) -> None:
    """Owner columns: cells name who owns the row (owner words, FedRAMP/CAIQ vocabularies, or party names)."""
    sheet = layout.sheet
    vocab = layout.vocabulary
    names = _names_in_cells(sheet, layout, rd)
    by_slot: dict[str, Party] = {}
    name_party: dict[str, Party] = {}
    for listed in names.values():  # parties named in cells first, so owner words can stand for them
        for n in listed:
            if n not in name_party and owner_slots(n) is None:
                name_party[n] = add_party(doc, n, None, kinds)
    head = sheet.rows[layout.header]
    third = _third_party_words(sheet, layout, rd)
    for r, label, section in walk(doc, layout, rd, is_activity):
        for c in layout.party_cols:
            text = sheet.cell(r, c)
            column_header = head[c] if c < len(head) else ""
            if layout.mode == "names":
                row = base_row(doc, layout, r, f"{label}: {clean(column_header)}", section, doc.title)
                row.column = col_letter(c)
                row.about = (label, clean(column_header))
            elif c == layout.party_cols[0]:
                row = base_row(doc, layout, r, label, section, doc.title)
            row.cells[column_header or "Owner"] = text
            reading = rd(text, vocab)
            for mark in footnotes(text):
                row.note = "; ".join(x for x in (row.note, f"see footnote {mark}") if x)
            owners = names.get(text)
            if owners:
                parties = [name_party.get(n) or name_party.setdefault(n, add_party(doc, n, None, kinds)) for n in owners]
                for p in parties:
                    row.roles[p.id] = "A/R" if len(parties) == 1 else "R"
                row.shared = len(parties) > 1
            elif reading.kind == "owner" and clean(text).casefold() in third:
                p = name_party.get(clean(text)) or name_party.setdefault(clean(text), add_party(doc, clean(text), None, kinds, ("vendor", True)))
                row.roles[p.id] = "A/R"
            elif reading.kind == "owner":
                for slot, role in reading.slots:
                    slotted = by_slot.get(slot)
                    if slotted is None:
                        slotted = by_slot[slot] = slot_party(doc, slot, vocab, kinds, name_party, head)
                    row.roles[slotted.id] = role
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


def _third_party_words(sheet: Sheet, layout: Layout, rd: Readings) -> set[str]:
    """Owner words that name a third party: "Vendor" in a column that also says "Provider" is not the provider."""
    words = set()
    for r in range(layout.start, layout.end):
        for c in layout.party_cols:
            text = sheet.cell(r, c)
            reading = rd(text, layout.vocabulary) if text else None
            if reading is not None and reading.kind == "owner" and len(reading.slots) == 1 and reading.slots[0][0] == "provider":
                words.add(clean(text).casefold())
    vendorish = words & VENDOR_WORDS
    return vendorish if vendorish and words - VENDOR_WORDS else set()


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
