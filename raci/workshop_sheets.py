"""Reading the workbook's other sheets back: Cover, Sign-off, SLAs and Exclusions edits, and every other edited cell named."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Set as AbstractSet

from raci.catalog import Catalog, match_ids
from raci.durations import parse_duration
from raci.engagement import HOURS, KINDS
from raci.excel_layout import (
    EXCLUSION_HEADERS,
    EXCLUSIONS_NOTE,
    NO_EXCLUSIONS_NOTE,
    NO_SLA_NOTE,
    NOBODY_SPELLINGS,
    OLD_NOTES,
    PARTY_LINE,
    SIGN_FIELDS,
    SIGNED_FOR,
    SIGNOFF_FIRST_PARTY_ROW,
    SLA_HEADERS,
    SLA_NOTE,
    effective_text,
    exclusion_rows,
    header_name,
    party_line,
    sla_text,
)
from raci.excel_style import FORMULA
from raci.workshop_edits import Reading, address, lf, norm, text

COVER_FIELDS = ("Client", "Provider", "Version", "Effective date", "Parties")
NOT_READ = {
    "Cover": "edited, but this part of the Cover is not read back (change the engagement file instead)",
    "Legend": "edited, but the Legend is not read back (change the engagement file instead)",
    "Summary": "edited, but the Summary is not read back (its counts follow the Matrix)",
    "Findings": "edited, but the Findings are not read back (run raci check after importing)",
    "Sign-off": "edited, but the Sign-off text is not read back (change the engagement file instead)",
    "Commercial": "edited, but the commercial status is not read back (change the engagement file's commercial: section)",
}
SIGNATURE = "edited, but signatures are not read back (they are not part of the engagement)"


def fold(value) -> str:
    return " ".join(text(value).split()).casefold()


def activity_names(catalog: Catalog) -> dict[str, str]:
    """Activity names and aliases as people type them (any case, any spacing) -> activity id."""
    out: dict[str, str] = {}
    for aid, act in catalog.activities.items():
        for name in (act.name, *act.aliases):
            out.setdefault(fold(name), aid)
    return out


def find_activities(value, catalog: Catalog, names: dict[str, str], *, globs: bool) -> list[str]:
    """The activities a cell names: an id, a glob such as projects.* (where ``globs``), or a name or alias."""
    t = text(value)
    if not t:
        return []
    if t in catalog.activities:
        return [t]
    if globs and any(ch in t for ch in "*?["):
        ids = match_ids(t, catalog.index)
        if ids:
            return ids
    aid = names.get(fold(t))
    return [aid] if aid else []


def _values(cells, n: int) -> list:
    return [cells[i] if i < len(cells) else None for i in range(n)]


def _headers_edited(rd: Reading, ws, sheet: str, headers: tuple[str, ...], what: str) -> None:
    for c, want in enumerate(headers, start=1):
        if norm(ws.cell(1, c).value) != norm(want):
            rd.ignore(address(sheet, 1, c), f"edited, but the {what} headers are not read back (the columns stay as raci wrote them)")


# --------------------------------------------------------------------------- Exclusions


def exclusion_table(ws, catalog: Catalog, ignore) -> list[tuple[int, list[str], str | None]]:
    """(row, activity ids, pattern as written or None) for each row of the Exclusions sheet that names activities.

    A row may give an id, a glob, or a name the catalog knows, in any of its first three columns; a row whose text
    names no activity goes to ``ignore(where, message)``.
    """
    names = activity_names(catalog)
    notes = {norm(t) for t in (NO_EXCLUSIONS_NOTE, EXCLUSIONS_NOTE, *OLD_NOTES)}
    out = []
    for r, cells in enumerate(ws.iter_rows(min_row=2, max_col=4, values_only=True), start=2):
        a, b, c, d = _values(cells, 4)
        if all(norm(v) == "" for v in (a, b, c, d)) or (norm(a) in notes and all(norm(v) == "" for v in (b, c, d))):
            continue
        ids = (find_activities(b, catalog, names, globs=False) or find_activities(a, catalog, names, globs=True)
               or find_activities(c, catalog, names, globs=False))
        if not ids:
            col, value = next((i, v) for i, v in enumerate((a, b, c, d), start=1) if norm(v) != "")
            ignore(address("Exclusions", r, col), f"{text(value)!r} is not an activity or a name the catalog knows: nothing is excluded")
            continue
        pattern = text(a) if text(a) and match_ids(text(a), catalog.index) else None
        out.append((r, ids, pattern))
    return out


def read_exclusions(rd: Reading, ws) -> set[str]:
    """Apply rows added to or removed from the Exclusions sheet; return the activities now excluded."""
    catalog = rd.catalog
    _headers_edited(rd, ws, "Exclusions", EXCLUSION_HEADERS, "Exclusions")
    table = exclusion_table(ws, catalog, rd.ignore)
    before = rd.matrix.excluded
    now: set[str] = set()
    where: dict[str, str] = {}
    for r, ids, _ in table:
        for aid in ids:
            now.add(aid)
            where.setdefault(aid, address("Exclusions", r, 1))
    if now == before:
        return now
    order = catalog.order
    rendered_row: dict[str, int] = {}
    for i, (_, aid, _, _) in enumerate(exclusion_rows(rd.matrix), start=2):
        rendered_row.setdefault(aid, i)
    for aid in sorted(now - before, key=order.__getitem__):
        rd.apply(where[aid], f"{aid} excluded (out of scope)", ("excluded", aid))
    for aid in sorted(before - now, key=order.__getitem__):
        rd.apply(address("Exclusions", rendered_row.get(aid, 2), 2),
                 f"{aid} back in scope (its row was removed from the Exclusions sheet)", ("excluded", aid))
    patterns: list[str] = []
    covered: set[str] = set()

    def add(pattern: str, ids: list[str]) -> None:
        if pattern not in patterns and not set(ids) <= covered:
            patterns.append(pattern)
            covered.update(ids)

    for pattern in rd.original.exclusions:
        ids = match_ids(pattern, catalog.index)
        if all(aid in now for aid in ids):
            add(pattern, ids)
        else:  # some of what the pattern took out is back in scope: keep the rest by id
            for aid in ids:
                if aid in now:
                    add(aid, [aid])
    for _, ids, written in table:
        if written is not None and set(match_ids(written, catalog.index)) <= now:
            add(written, ids)
        else:
            for aid in ids:
                add(aid, [aid])
    rd.eng.exclusions = patterns
    return now


# --------------------------------------------------------------------------- SLAs


def sla_table(ws, catalog: Catalog, ignore, error) -> dict[str, tuple[dict[str, str], int]]:
    """Activity id -> (targets, row) for each row of the SLAs sheet; what cannot be read goes to ``ignore`` or
    ``error`` (where, message)."""
    acts = catalog.activities
    notes = {norm(t) for t in (NO_SLA_NOTE, SLA_NOTE, *OLD_NOTES)}
    rows: dict[str, tuple[dict[str, str], int]] = {}
    for r, cells in enumerate(ws.iter_rows(min_row=2, max_col=5, values_only=True), start=2):
        vals = _values(cells, 5)
        if all(norm(v) == "" for v in vals) or (norm(vals[0]) in notes and all(norm(v) == "" for v in vals[1:])):
            continue
        aid = text(vals[0])
        if aid not in acts:
            ignore(address("SLAs", r, 1), f"{aid!r} is not an activity of the catalog: the row is not read")
            continue
        if aid in rows:
            ignore(address("SLAs", r, 1), f"{aid} appears twice: only row {rows[aid][1]} is read")
            continue
        for c, want in ((2, acts[aid].name), (3, acts[aid].coverage)):
            if norm(vals[c - 1]) not in ("", norm(want)):  # a row typed in may leave them blank
                ignore(address("SLAs", r, c), "edited, but activity names and coverage come from the catalog (they are not read back)")
        targets: dict[str, str] = {}
        ok = True
        for key, value, c in (("response", vals[3], 4), ("resolution", vals[4], 5)):
            t = text(value)
            if t in ("", *NOBODY_SPELLINGS):
                continue
            duration = parse_duration(t)
            if duration is None:
                error(address("SLAs", r, c), f"sla {key} {t!r} is not a duration such as 15m, 4h, 2d or 3bd (use - for none)")
                ok = False
            targets[key] = duration or t
        if ok:
            rows[aid] = (targets, r)
    return rows


def read_slas(rd: Reading, ws) -> dict[str, tuple[dict[str, str], str]]:
    """The SLA targets changed on the SLAs sheet (rows edited, added or removed), with the cell that says so."""
    _headers_edited(rd, ws, "SLAs", SLA_HEADERS, "SLAs")
    rows = sla_table(ws, rd.catalog, rd.ignore, rd.error)
    before = rd.original.sla
    changes = {}
    for i, aid in enumerate(dict.fromkeys([*before, *rows]), start=2):
        was = before.get(aid) or {}
        if aid in rows:
            now, r = rows[aid]
            c = 1 if aid not in before else 4 if now.get("response") != was.get("response") else 5
            where = address("SLAs", r, c)
        else:
            now, where = {}, address("SLAs", i, 1)
        if now != was:
            changes[aid] = (now, where)
    return changes


def merge_slas(rd: Reading, matrix: dict, sheet: dict) -> None:
    """Apply SLA edits from the Matrix SLA column and the SLAs sheet; where both changed one differently, the Matrix wins."""

    def apply(aid: str, targets: dict[str, str], where: str) -> None:
        if targets:
            rd.eng.sla[aid] = targets
        else:
            rd.eng.sla.pop(aid, None)
        rd.apply(where, f"{aid}: SLA {'now ' + sla_text(targets) if targets else 'removed'}", ("sla", aid))

    for aid in dict.fromkeys([*matrix, *sheet]):
        m, s = matrix.get(aid), sheet.get(aid)
        if m is not None:
            apply(aid, *m)
        if s is not None and m is not None and s[0] != m[0]:
            rd.ignore(s[1], f"SLA of {aid} {sla_text(s[0]) or 'removed'} conflicts with {m[1]} "
                            f"({sla_text(m[0]) or 'none'}), which is applied")
        elif s is not None:
            apply(aid, *s)


# --------------------------------------------------------------------------- Cover and Sign-off


def read_cover(rd: Reading, ws) -> set[str]:
    """Apply the Cover's client, provider, version, effective date and parties; return the cells read."""
    rows: dict[str, int] = {}
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if isinstance(label, str) and label.strip() in COVER_FIELDS:
            rows.setdefault(label.strip(), r)
    handled = {"B" + coord[1:] for coord, v in rd.written.get("Cover", {}).items() if coord.startswith("A") and v in COVER_FIELDS}
    for label, r in rows.items():
        handled.add(f"B{r}")
        _cover_field(rd, label, ws.cell(r, 2).value, f"Cover!B{r}")
    return handled


def _cover_field(rd: Reading, label: str, value, where: str) -> None:
    orig, eng = rd.original, rd.eng
    got = text(value)
    if label == "Client":
        if norm(value) == norm(orig.client):
            return
        if not got:
            rd.ignore(where, "edited, but the client's name cannot be empty (it is kept)")
            return
        eng.client = got
        rd.apply(where, f"client renamed from {orig.client!r} to {got!r}", ("client",))
    elif label == "Provider":
        if norm(value) == norm(orig.provider or "not set"):
            return
        eng.provider = "" if got.casefold() in ("", "not set") else got
        rd.apply(where, f"provider is now {eng.provider or 'not set'!r} (was {orig.provider or 'not set'!r})", ("provider",))
    elif label == "Version":
        if isinstance(value, (_dt.date, _dt.datetime)):
            rd.ignore(where, "edited, but Excel read the version as a date: type it as text, for example '2.1 (the version is kept)")
        elif got != norm(str(orig.version)):
            if not got:
                rd.ignore(where, "edited, but the version cannot be empty (it is kept)")
                return
            eng.version = got
            rd.apply(where, f"version is now {got} (was {orig.version})", ("version",))
    elif label == "Effective date":
        _effective(rd, value, got, where)
    else:
        _parties(rd, value, where)


def _effective(rd: Reading, value, got: str, where: str) -> None:
    want = effective_text(rd.matrix, "not set")
    if isinstance(value, _dt.datetime):
        new = value.date()
    elif isinstance(value, _dt.date):
        new = value
    elif got == want:
        return
    elif got.casefold() in ("", "not set"):
        new = None
    else:
        try:
            new = _dt.date.fromisoformat(got)
        except ValueError:
            rd.error(where, f"effective date {got!r} is not a date like 2026-12-01 (or 'not set')")
            return
    if new == rd.original.effective:
        return
    rd.eng.effective = new
    rd.apply(where, f"effective date is now {new.isoformat() if new else 'not set'} (was {want})", ("effective",))


def _parties(rd: Reading, value, where: str) -> None:
    parties = list(rd.original.parties.values())
    if norm(value) == norm("\n".join(party_line(p) for p in parties)):
        return
    lines = [line.strip() for line in lf(text(value)).split("\n") if line.strip()]
    if len(lines) != len(parties):
        rd.ignore(where, "edited, but the Parties lines no longer match the parties one to one: not read "
                         "(one line per party: 'name: kind, N staff, hours')")
        return
    for party, line in zip(parties, lines):
        if norm(line) == norm(party_line(party)):
            continue
        m = PARTY_LINE.match(line)
        if not m:
            rd.ignore(where, f"edited, but {line!r} is not 'name: kind, N staff, hours': not read")
            continue
        if m["name"].strip() != header_name(party.name):
            rd.rename(party.id, m["name"].strip(), where, 2)
        new = rd.eng.parties[party.id]
        for attr, got, allowed in (("kind", m["kind"], KINDS), ("staff", int(m["staff"]), None), ("hours", m["hours"], HOURS)):
            was = getattr(party, attr)
            if got == was:
                continue
            if allowed is not None and got not in allowed:
                rd.ignore(where, f"edited, but {got!r} is not a party {attr} ({', '.join(allowed)}): {party.name} keeps {was}")
                continue
            setattr(new, attr, got)
            rd.apply(where, f"party {party.id}: {attr} is now {got} (was {was})", ("party", party.id, attr))


def read_signoff(rd: Reading, ws) -> set[str]:
    """Name every signature, name, title and date written on the Sign-off (they are not part of the engagement);
    before format 3, also apply party names edited there. Return the cells read."""
    if rd.fmt >= 3:
        return _signature_block(rd, ws)
    handled: set[str] = set()
    for i, party in enumerate(rd.original.parties.values()):
        r = SIGNOFF_FIRST_PARTY_ROW + i
        handled.update(f"{c}{r}" for c in "ABCDE")
        value, where = ws.cell(r, 1).value, f"Sign-off!A{r}"
        if norm(value) == norm(party.name):
            pass
        elif norm(value) == "":
            rd.ignore(where, "edited, but a party's name cannot be empty (the party keeps its name)")
        else:
            rd.rename(party.id, text(value), where, 3)
        for c in range(2, 6):
            if norm(ws.cell(r, c).value) != "":
                rd.ignore(address("Sign-off", r, c), SIGNATURE)
    return handled


def _signature_block(rd: Reading, ws) -> set[str]:
    """Format 3: the block under the SIGNED_FOR header, one row per SIGN_FIELDS and a column per contracting entity."""
    from openpyxl.utils.cell import coordinate_to_tuple

    written = rd.written.get("Sign-off", {})
    heads = [coordinate_to_tuple(c) for c, v in written.items() if v == SIGNED_FOR and c.startswith("A")]
    if not heads:
        return set()
    top = heads[-1][0]
    entities = sum(1 for c in written if coordinate_to_tuple(c)[0] == top) - 1
    handled = set()
    for r in range(top + 1, top + 1 + len(SIGN_FIELDS)):
        handled.add(f"A{r}")
        for c in range(2, 2 + entities):
            handled.add(address("Sign-off", r, c).split("!")[1])
            if norm(ws.cell(r, c).value) != "":
                rd.ignore(address("Sign-off", r, c), SIGNATURE)
    return handled


# --------------------------------------------------------------------------- every other cell


def compare_written(rd: Reading, ws, sheet: str, handled: AbstractSet[str] = frozenset()) -> None:
    """Name each cell of ``sheet`` that differs from what raci wrote there (format 2 workbooks keep what they wrote)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    written = rd.written.get(sheet)
    if written is None:
        return
    actual = {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row if norm(cell.value) != ""}
    for coord in sorted({*written, *actual} - set(handled), key=coordinate_to_tuple):
        want, got = written.get(coord), actual.get(coord)
        same = isinstance(got, str) and got.startswith("=") if want == FORMULA else norm(want) == norm(got)
        if not same:
            rd.ignore(f"{sheet}!{coord}", NOT_READ[sheet])
