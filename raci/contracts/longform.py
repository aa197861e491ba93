"""Long-form tables (one row a role: activity | party | role, as PSA and documentation tools export them) turned into
the grid the layout search reads: one row an activity, one column a party.

A sheet is long form when one of its first rows is a header naming an activity column, a party column and a role
column (``Activity``, ``Party``, ``Role``; also ``Task``/``Function``, ``Team``/``Organisation``/``Who``,
``RACI``). A ``Window`` column, where there is one, keeps business-hours roles in the party columns and writes
after-hours roles into the row's notes (``after hours: MSP R``); a ``Note`` column is kept. Each grid row points
at the line of its activity's first long-form row, so a finding still names a line of the file. Lines above the
header (a title) are kept; a sheet that is not long form is returned unchanged.
"""

from __future__ import annotations

import re

from raci.contracts.tables import Sheet

_ACTIVITY = re.compile(r"^(activity( name)?|task|function|service|responsibility area)$")
_PARTY = re.compile(r"^(party( name)?|organi[sz]ation|team|who|owner name)$")
_ROLE = re.compile(r"^(role|raci( role| letter| code)?|rasci)$")
_WINDOW = re.compile(r"^(window|hours|time window)$")
_NOTE = re.compile(r"^(notes?|comments?|remarks?)$")
_AFTER = re.compile(r"after[- ]?hours|out of hours|nights?|24x7 only", re.IGNORECASE)
HEADER_SEARCH = 10


def _find(head: list[str], pattern: re.Pattern) -> int | None:
    hits = [i for i, h in enumerate(head) if pattern.match(" ".join(h.casefold().split()))]
    return hits[0] if len(hits) == 1 else None


def _columns(head: list[str]) -> dict[str, int | None] | None:
    cols = {name: _find(head, pat) for name, pat in (("activity", _ACTIVITY), ("party", _PARTY), ("role", _ROLE),
                                                      ("window", _WINDOW), ("note", _NOTE))}
    return cols if all(cols[k] is not None for k in ("activity", "party", "role")) else None


def pivot(sheet: Sheet) -> Sheet:
    """``sheet`` as a grid when it is a long-form table, else ``sheet`` itself."""
    for h in range(min(HEADER_SEARCH, len(sheet.rows))):
        cols = _columns(sheet.rows[h])
        if cols is not None:
            return _pivot(sheet, h, cols)
    return sheet


def _pivot(sheet: Sheet, h: int, cols: dict[str, int | None]) -> Sheet:
    act_c, party_c, role_c = cols["activity"], cols["party"], cols["role"]
    assert act_c is not None and party_c is not None and role_c is not None
    parties: dict[str, None] = {}
    order: dict[str, int] = {}  # activity label -> first row index
    business: dict[str, dict[str, str]] = {}
    after: dict[str, list[str]] = {}
    notes: dict[str, dict[str, None]] = {}
    for r in range(h + 1, len(sheet.rows)):
        label, party, role = (sheet.cell(r, c) for c in (act_c, party_c, role_c))
        if not label:
            continue
        order.setdefault(label, r)
        window = sheet.cell(r, cols["window"]) if cols["window"] is not None else ""
        if party and _AFTER.search(window):
            after.setdefault(label, []).append(f"{party} {role}".strip())
        elif party:
            parties.setdefault(party, None)
            business.setdefault(label, {})[party] = role
        note = sheet.cell(r, cols["note"]) if cols["note"] is not None else ""
        if note:
            notes.setdefault(label, {})[note] = None
    names = list(parties)
    rows = [list(row) for row in sheet.rows[:h]]
    lines = list(sheet.lines[:h])
    rows.append([sheet.cell(h, act_c), *names, "Notes"])
    lines.append(sheet.lines[h])
    for label, first in order.items():
        note = "; ".join([*notes.get(label, {}), *([f"after hours: {', '.join(after[label])}"] if label in after else [])])
        rows.append([label, *(business.get(label, {}).get(p, "") for p in names), note])
        lines.append(sheet.lines[first])
    out = Sheet(sheet.file, sheet.name, rows, lines, hidden=sheet.hidden, index=sheet.index, notes=list(sheet.notes))
    out.notes.append(f"long form (one row a role) read as a grid: {len(sheet.rows) - h - 1} rows, {len(order)} activities, "
                     f"{len(names)} parties")
    return out
