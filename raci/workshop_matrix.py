"""Reading the Matrix sheet back: letters, after-hours cells, notes, SLA targets and renamed party headers."""

from __future__ import annotations

from raci.catalog import Row
from raci.durations import parse_duration
from raci.engagement import apply_presets
from raci.errors import DocumentError
from raci.excel_layout import (
    HEADER_ACTIVITY,
    HEADER_CHECK,
    HEADER_ID,
    HEADER_NOTES,
    HEADER_SLA,
    MATRIX_SHEET,
    NOBODY,
    Layout,
    after_cell,
    clean_text,
    header_name,
    layout_for,
    shown_after_hours,
    sla_text,
)
from raci.workshop_edits import Reading, address, cell_role, lf, norm, text

RESERVED = {HEADER_ID, HEADER_ACTIVITY, HEADER_SLA, HEADER_NOTES, HEADER_CHECK}
BUSINESS_LETTERS = "use R, A, C, I or A/R"
AFTER_LETTERS = "use R, C, I or - after hours, or leave it blank for the same as business hours"


def header_key(value) -> str:
    """A header as the importer compares it: line ends as XML stores them, no surrounding spaces."""
    return lf(text(value)).strip()


def parse_sla(value: str) -> dict[str, str] | None:
    """'30m / 8h' -> {response, resolution}; '' -> {}; None when it cannot be read."""
    if not value:
        return {}
    parts = [p.strip() for p in value.split("/")]
    if len(parts) != 2:
        return None
    out = {}
    for key, part in zip(("response", "resolution"), parts):
        if part in ("", "-", "\u2013", "\u2014"):
            continue
        duration = parse_duration(part)
        if duration is None:
            return None
        out[key] = duration
    return out


def sla_problem(value: str) -> str:
    return f"SLA {value!r} is not 'response / resolution' with durations such as 30m / 8h (use - for none)"


def row_roles(problems: list, cells, r: int, party_cols, after_cols) -> tuple[dict[str, str], dict[str, str | None]]:
    """Business roles and raw after-hours cells (a role, '-' or None for blank) of one Matrix row; bad cells go to ``problems``."""

    def get(c):
        return cells[c - 1] if c - 1 < len(cells) else None

    business: dict[str, str] = {}
    after: dict[str, str | None] = {}
    for pid, c in party_cols:
        role, ok = cell_role(get(c), after=False)
        if not ok:
            problems.append((address(MATRIX_SHEET, r, c), f"{get(c)!r} is not a role letter ({BUSINESS_LETTERS})"))
        elif role:
            business[pid] = role
    for pid, c in after_cols:
        role, ok = cell_role(get(c), after=True)
        if not ok:
            problems.append((address(MATRIX_SHEET, r, c), f"{get(c)!r} is not a role letter ({AFTER_LETTERS})"))
        after[pid] = role if ok else None
    return business, after


def after_roles(parties: list[str], business: dict[str, str], cells: dict[str, str | None], legacy: bool = False) -> dict[str, str]:
    """The after-hours roles, cell by cell: a blank cell (or no column) is the business-hours role, '-' no role.

    ``legacy`` (workbooks of format 1): once one after-hours cell of the row is set, the blank ones meant no role.
    """
    if legacy:
        if not any(cells.values()):
            return dict(business)
        return {p: v for p, v in cells.items() if v and v != NOBODY}
    out = {}
    for pid in parties:
        v = cells.get(pid)
        role = business.get(pid) if v is None else None if v == NOBODY else v
        if role:
            out[pid] = role
    return out


def _describe_after(value: str | None) -> str:
    return "as in business hours" if value is None else "no role" if value == NOBODY else value


def locate_columns(rd: Reading, ws, layout: Layout) -> tuple[dict[str, int], dict[int, str]]:
    """Each header of ``layout`` -> its column. A party header edited in place is that party, renamed."""
    actual: dict[int, str] = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        key = header_key(cell.value)
        if key:
            actual[cell.column] = key
    first: dict[str, int] = {}
    for c, key in actual.items():
        first.setdefault(key, c)
    cols: dict[str, int] = {}
    claimed: set[int] = set()
    for h in layout.headers:
        col = first.get(header_key(h))
        if col is not None and col not in claimed:
            cols[h] = col
            claimed.add(col)
    party_heads = {layout.labels[p]: (p, False) for p in layout.parties}
    party_heads.update({layout.after_header(p): (p, True) for p in layout.after_parties})
    for c, h in enumerate(layout.headers, start=1):
        found = actual.get(c)
        if h in cols or h not in party_heads or found is None or c in claimed or found in RESERVED:
            continue
        cols[h] = c
        claimed.add(c)
        _renamed(rd, *party_heads[h], found, address(MATRIX_SHEET, 1, c), layout.prefix)
    for h in layout.headers:
        if h not in cols:
            rd.error(f"{MATRIX_SHEET}!1:1", f"column {h!r} is missing from the header row")
    return cols, {c: key for c, key in actual.items() if c not in claimed}


def _renamed(rd: Reading, pid: str, after: bool, key: str, where: str, prefix: str) -> None:
    name = key
    if after:
        if not name.startswith(prefix):
            rd.ignore(where, f"edited, but an after-hours header must start with {prefix!r} (the party keeps its name)")
            return
        name = name[len(prefix):].strip()
    suffix = f" ({pid})"
    if name.endswith(suffix):
        name = name[:-len(suffix)].strip()
    if not name:
        rd.ignore(where, "edited, but a party's name cannot be empty (the party keeps its name)")
    elif name != header_name(rd.original.parties[pid].name):
        rd.rename(pid, name, where, 1 if after else 0)


def read_matrix(rd: Reading, ws, excluded: set[str]) -> dict[str, tuple[dict[str, str], str]]:
    """Apply the Matrix edits to ``rd.eng``; return the SLA targets edited in the SLA column, with their cells."""
    layout = layout_for(rd.matrix, fmt=rd.fmt, check=rd.check)
    cols, extra = locate_columns(rd, ws, layout)
    if rd.problems:
        raise DocumentError(rd.problems)
    rows = _MatrixRows(rd, layout, cols, excluded)
    for r, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        rows.read(r, cells)
    _report_missing(rd, rows.seen, excluded)
    _report_stray(rd, rows.stray, extra)
    return rows.sla_changes


def _cell(cells, c: int):
    """The value in column ``c`` (1-based) of a row read as values, None past its end."""
    return cells[c - 1] if c - 1 < len(cells) else None


class _MatrixRows:
    """One pass over the Matrix rows: where each column is, what the workbook showed, and what the rows changed."""

    def __init__(self, rd: Reading, layout: Layout, cols: dict[str, int], excluded: set[str]):
        self.rd, self.layout, self.excluded = rd, layout, excluded
        self.party_cols = [(pid, cols[layout.labels[pid]]) for pid in layout.parties]
        self.after_cols = [(pid, cols[layout.after_header(pid)]) for pid in layout.after_parties]
        self.id_c, self.act_c, self.sla_c, self.notes_c = (cols[h] for h in (HEADER_ID, HEADER_ACTIVITY, HEADER_SLA, HEADER_NOTES))
        self.check_c = cols.get(HEADER_CHECK)  # a client's workbook has none
        self.claimed = set(cols.values())
        self.acts = rd.catalog.activities
        self.shown = set(rd.matrix.in_scope())
        self.preset_rows = apply_presets(rd.catalog, rd.original.presets)[0]
        self.domain_names = {norm(d.name) for d in rd.catalog.domains}
        self.names = {pid: p.name for pid, p in rd.original.parties.items()}
        self.seen: dict[str, int] = {}
        self.sla_changes: dict[str, tuple[dict[str, str], str]] = {}
        self.stray: dict[int, list] = {}  # column raci does not write -> [first cell, count]
        self.problems: list[tuple[str, str]] = []

    def read(self, r: int, cells) -> None:
        """One row: its stray cells counted, its bad letters reported, and, in an activity's row, its edits applied."""
        for c, value in enumerate(cells, start=1):
            if c not in self.claimed and norm(value) != "":
                self.stray.setdefault(c, [address(MATRIX_SHEET, r, c), 0])[1] += 1
        key = _cell(cells, self.id_c)
        key = key.strip() if isinstance(key, str) else key
        business, after_cells = row_roles(self.problems, cells, r, self.party_cols, self.after_cols)
        for where, message in self.problems:
            self.rd.error(where, message)
        self.problems.clear()
        if not self._activity_row(r, cells, key, bool(business) or any(after_cells.values())):
            return
        self.seen[key] = r
        self._fixed_cells(r, cells, key)
        self._roles(r, key, business, after_cells)
        self._note(r, key, _cell(cells, self.notes_c))
        self._sla(r, key, text(_cell(cells, self.sla_c)))

    def _activity_row(self, r: int, cells, key, has_roles: bool) -> bool:
        """True for the first row of an activity in scope; any other row is reported (or named and skipped)."""
        rd, id_c = self.rd, self.id_c
        if key in self.acts and key in self.excluded and key not in self.shown:
            rd.error(address(MATRIX_SHEET, r, id_c),
                     f"{key} is excluded in this engagement; remove it from the Exclusions sheet to bring it back in scope")
            return False
        if key not in self.acts:
            if has_roles and key is None:
                rd.error(address(MATRIX_SHEET, r, id_c), "role letters in a row without an activity id")
            elif has_roles:
                rd.error(address(MATRIX_SHEET, r, id_c), f"{key!r} is not an activity of the catalog")
            else:
                _other_row(rd, cells, r, (id_c, self.act_c), key, self.domain_names, self.claimed)
            return False
        if key in self.seen:
            rd.error(address(MATRIX_SHEET, r, id_c), f"{key} appears twice (first on row {self.seen[key]})")
            return False
        return True

    def _fixed_cells(self, r: int, cells, key: str) -> None:
        """Name the edits raci does not read back: the activity's name and the Check formula."""
        act = _cell(cells, self.act_c)
        if norm(act) != norm(self.acts[key].name) and (key in self.shown or norm(act) != ""):  # a row typed in may leave it blank
            self.rd.ignore(address(MATRIX_SHEET, r, self.act_c), "edited, but activity names come from the catalog (add a note instead)")
        check_c = self.check_c
        check = _cell(cells, check_c) if check_c else None
        if check_c and norm(check) != "" and not (isinstance(check, str) and check.startswith("=")):
            self.rd.ignore(address(MATRIX_SHEET, r, check_c),
                           "edited, but the Check column is a formula raci writes (it is not read back)")

    def _roles(self, r: int, key: str, business: dict[str, str], after_cells: dict[str, str | None]) -> None:
        """Apply the row's letters that differ from the workbook as rendered; the row is dropped when it is the presets'."""
        rd, names, old = self.rd, self.names, self.rd.matrix.rows[key]
        changed = False
        for pid, c in self.party_cols:
            got, want = business.get(pid), old.business.get(pid)
            if got != want:
                changed = True
                rd.apply(address(MATRIX_SHEET, r, c), f"{key}: {names[pid]} is now {got or 'no role'} (was {want or 'no role'})",
                         ("role", key, pid, "business-hours"))
        for pid, c in self.after_cols:
            got_after, want_after = after_cells[pid], _rendered_after(rd, old, pid)
            if got_after != want_after:
                changed = True
                rd.apply(address(MATRIX_SHEET, r, c),
                         f"{key}: {names[pid]} after hours is now {_describe_after(got_after)} (was {_describe_after(want_after)})",
                         ("role", key, pid, "after-hours"))
        if changed:
            after = after_roles(self.layout.parties, business, after_cells, rd.legacy_after)
            new = Row(business, None if after == business else after)
            if new == self.preset_rows.get(key, Row({})):
                rd.eng.assignments.pop(key, None)
            else:
                rd.eng.assignments[key] = new

    def _note(self, r: int, key: str, value) -> None:
        """Apply the row's note where it differs from the engagement's."""
        rd = self.rd
        note = "" if value is None else str(value)
        # The sheet holds the note without control characters, and XML stores a bare carriage return as a
        # line feed: an untouched note must still compare equal and keep its text.
        if lf(note) != lf(clean_text(rd.original.notes.get(key, ""))):
            if note.strip():
                rd.eng.notes[key] = note
            else:
                rd.eng.notes.pop(key, None)
            rd.apply(address(MATRIX_SHEET, r, self.notes_c), f"{key}: note {'set' if note.strip() else 'removed'}", ("note", key))

    def _sla(self, r: int, key: str, sla: str) -> None:
        """Keep the row's SLA targets where they differ from the engagement's; an unreadable SLA is an error."""
        original = self.rd.original
        if sla != sla_text(original.sla.get(key)):
            targets = parse_sla(sla)
            if targets is None:
                self.rd.error(address(MATRIX_SHEET, r, self.sla_c), sla_problem(sla))
            elif targets != (original.sla.get(key) or {}):
                self.sla_changes[key] = (targets, address(MATRIX_SHEET, r, self.sla_c))


def _report_missing(rd: Reading, seen: dict[str, int], excluded: set[str]) -> None:
    """An error for each activity in scope whose row is gone (the first 20, then a count)."""
    missing = [a for a in rd.matrix.in_scope() if a not in seen and a not in excluded]
    for aid in missing[:20]:
        rd.error(MATRIX_SHEET, f"activity {aid} is missing from the Matrix sheet (was its row deleted?)")
    if len(missing) > 20:
        rd.error(MATRIX_SHEET, f"... and {len(missing) - 20} more activities are missing")


def _report_stray(rd: Reading, stray: dict[int, list], extra: dict[int, str]) -> None:
    """Name the columns raci does not write, and the cells typed in them, as not read."""
    for c, (first, count) in sorted(stray.items()):
        if c in extra:
            rd.ignore(address(MATRIX_SHEET, 1, c), f"column {extra[c]!r} is not one raci writes: its {count} cells are not read "
                                                  "(put them in Notes)")
        else:
            rd.ignore(first, f"{count} cells in a column raci does not write are not read (put them in Notes)")
    for c in sorted(set(extra) - set(stray)):
        rd.ignore(address(MATRIX_SHEET, 1, c), f"column {extra[c]!r} is not one raci writes: it is not read")


def _rendered_after(rd: Reading, row: Row, pid: str) -> str | None:
    """What the workbook's after-hours cell of ``pid`` showed for ``row`` when it was rendered."""
    if rd.legacy_after:
        shown = shown_after_hours(row)
        return shown.get(pid) if shown else None
    return after_cell(row, pid)


def _other_row(rd: Reading, cells, r: int, label_cs: tuple[int, int], key, domain_names: set, claimed: set[int]) -> None:
    """A domain band (its name in the ID column before format 3, in the Activity column since), a blank row or text
    typed outside the activity rows: named, never read."""
    id_c, act_c = label_cs
    if key is not None and norm(key) != "" and norm(key) not in domain_names:
        rd.ignore(address(MATRIX_SHEET, r, id_c), f"{text(key)!r} is neither an activity nor a domain of the catalog: the row is not read")
        return
    for c, value in enumerate(cells, start=1):
        if c == act_c and rd.fmt >= 3 and norm(value) in domain_names:
            continue  # the band's own name
        if c != id_c and c in claimed and norm(value) != "":
            rd.ignore(address(MATRIX_SHEET, r, c), "edited, but it is not in an activity row: it is not read")
