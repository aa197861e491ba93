"""The rows of an imported contract, kept in the engagement file (``contract_rows:``) so nothing is dropped.

``raci import`` writes every row it read, mapped or not, with its label, where it was, its cells as written and
the roles read from them. ``raci check`` runs the same row rules on them as ``raci audit`` did; an activity whose
assignment still says what its first contract row said is checked on its rows, not twice.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field

from raci.contracts.rules import check_rows, conflicting_rows, owners
from raci.findings import Finding
from raci.validate import MAX_TEXT, kind_of, shown, text_problem

KEYS = ("label", "file", "sheet", "row", "column", "activity", "roles", "cells", "note", "shared", "out_of_scope",
        "unreadable", "extra_cost")
# activity-level rules that the row rules replace for an activity the contract's rows still describe
MAX_ROWS = 100_000  # rows of contract_rows
MAX_CELLS = 16_384  # cells of one row: the columns of an Excel sheet
ROW_CHECKED = ("no-accountable", "multiple-accountable", "no-responsible", "shared-responsible", "uncovered-window")


@dataclass
class KeptRow:
    label: str
    file: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    activity: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    note: str = ""
    shared: bool = False
    excluded: bool = False
    unclear: list[tuple[str, str]] = field(default_factory=list)
    costs: list[tuple[str, str]] = field(default_factory=list)

    def source(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column, "label": self.label}

    def to_yaml_obj(self) -> dict:
        out: dict = {"label": self.label, "file": self.file}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        out["row"] = self.row
        if self.column:
            out["column"] = self.column
        out["activity"] = self.activity
        out["roles"] = dict(self.roles)
        out["cells"] = dict(self.cells)
        for key, value in (("note", self.note), ("shared", self.shared), ("out_of_scope", self.excluded)):
            if value:
                out[key] = value
        if self.unclear:
            out["unreadable"] = [h for h, _t in self.unclear]
        if self.costs:
            out["extra_cost"] = [h for h, _t in self.costs]
        return out


def parse_kept_rows(value, f: str, line_of, add, activities: dict, parties: dict) -> list[KeptRow]:
    """Validate ``contract_rows`` (a list of mappings); ``add(file, line, message)`` collects problems."""
    if value is None:
        return []
    if not isinstance(value, list):
        add(f, line_of(value, default=None), f"contract_rows must be a list of rows, not {kind_of(value)}")
        return []
    if len(value) > MAX_ROWS:
        add(f, line_of(value, default=None), f"contract_rows holds {len(value):,} rows, more than the limit of {MAX_ROWS:,}")
        return []
    out = []
    for i, item in enumerate(value):
        line = line_of(value, i)
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            add(f, line, "each contract row needs at least a label")
            continue
        row = _kept_row(item, f, line, line_of, add, activities, parties)
        if row is not None:
            out.append(row)
    return out


def _kept_row(item: dict, f: str, line, line_of, add, activities: dict, parties: dict) -> KeptRow | None:
    """One row of ``contract_rows``, every value's type checked; None when it cannot be kept."""
    problems = []

    def bad(key, message: str) -> None:
        problems.append((line_of(item, key, line), message))

    label = item["label"]
    name = shown(label)
    for k in item:
        if k not in KEYS:
            bad(k, f"unknown key {shown(k)} in contract row (allowed: {', '.join(KEYS)})")
    if len(label) > MAX_TEXT:
        bad("label", text_problem(label, f"contract row {name}: label") or "")
    roles, cells = _mapping(item, "roles"), _mapping(item, "cells")
    if roles is None or cells is None or len(cells) > MAX_CELLS:
        add(f, line, "a contract row's roles and cells must be mappings" if roles is None or cells is None else
            f"contract row {name}: cells holds {len(cells):,} entries, more than the limit of {MAX_CELLS:,}")
        return None
    _check_roles_cells(roles, cells, name, parties, bad)
    activity = item.get("activity")
    if activity is not None and (not isinstance(activity, str) or activity not in activities):
        bad("activity", f"contract row {name}: unknown activity {shown(activity)}")
        activity = None
    texts = _kept_texts(item, name, bad)
    row_no = _kept_flags(item, name, bad)
    headers = _kept_headers(item, name, bad)
    for pline, message in problems:
        add(f, pline, message)
    if problems:
        return None
    return KeptRow(
        label, texts["file"] or "", texts["sheet"], row_no, texts["column"], activity, {str(k): str(v) for k, v in roles.items()},
        {str(k): "" if v is None else str(v) for k, v in cells.items()}, texts["note"] or "",
        bool(item.get("shared")), bool(item.get("out_of_scope")),
        [(h, str(cells.get(h, ""))) for h in headers["unreadable"]], [(h, str(cells.get(h, ""))) for h in headers["extra_cost"]])


def _mapping(item: dict, key: str) -> dict | None:
    """A row's ``roles`` or ``cells``: {} when absent or null, None when it is not a mapping."""
    value = item.get(key)
    if value is None:
        return {}
    return value if isinstance(value, dict) else None


def _check_roles_cells(roles: dict, cells: dict, name: str, parties: dict, bad: Callable[[object, str], None]) -> None:
    """Roles must name known parties with role letters; cells must hold text within the limits (or numbers, dates)."""
    for pid, role in roles.items():
        if pid not in parties:
            bad(pid, f"contract row {name}: unknown party {shown(pid)}")
        if role not in ("A/R", "A", "R", "C", "I"):
            bad(pid, f"contract row {name}: {shown(role)} is not a role letter")
    for header, cell in cells.items():
        why = None if cell is None or isinstance(cell, (int, float, _dt.date)) else text_problem(cell, f"contract row {name}: cell {shown(header)}")
        if why is not None:
            bad(header, why)


def _kept_texts(item: dict, name: str, bad: Callable[[object, str], None]) -> dict:
    """The row's file, sheet, column and note as text (numbers written as text), each within the limits."""
    texts = {}
    for key in ("file", "sheet", "column", "note"):
        v = item.get(key)
        texts[key] = str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
        why = None if texts[key] is None else text_problem(texts[key], f"contract row {name}: {key}")
        if why is not None:
            bad(key, why)
    return texts


def _kept_flags(item: dict, name: str, bad: Callable[[object, str], None]):
    """The row number (a whole number or None) and the shared / out_of_scope flags checked; the row number."""
    row_no = item.get("row")
    if row_no is not None and (isinstance(row_no, bool) or not isinstance(row_no, int)):
        bad("row", f"contract row {name}: row must be a whole number, not {shown(row_no)}")
    for key in ("shared", "out_of_scope"):
        if item.get(key) is not None and not isinstance(item.get(key), bool):
            bad(key, f"contract row {name}: {key} must be true or false, not {shown(item.get(key))}")
    return row_no


def _kept_headers(item: dict, name: str, bad: Callable[[object, str], None]) -> dict[str, list[str]]:
    """The unreadable and extra_cost column headers, each a list of headers (empty when absent or malformed)."""
    headers = {}
    for key in ("unreadable", "extra_cost"):
        v = item.get(key)
        ok = v is None or isinstance(v, list) and len(v) <= MAX_CELLS and all(isinstance(h, (str, int, float)) for h in v)
        if not ok:
            bad(key, f"contract row {name}: {key} must be a list of column headers, not {shown(v)}")
        headers[key] = [str(h) for h in v] if ok and v else []
    return headers


def check_kept_rows(matrix, findings: list[Finding]) -> list[Finding]:
    """``findings`` of an engagement with contract rows: row rules on every kept row, and the activity-level
    ownership rules only where the assignment no longer says what the contract's first row said."""
    eng = matrix.engagement
    rows: list[KeptRow] = eng.contract_rows
    if not rows:
        return findings
    first: dict[str, KeptRow] = {}
    for row in rows:
        if row.activity is not None and (row.activity not in first or (first[row.activity].excluded and not row.excluded)):
            first[row.activity] = row
    backed = set()
    for aid, row in first.items():
        assigned = eng.assignments.get(aid)
        if row.excluded and aid in matrix.excluded or assigned is None and not row.roles and not row.excluded or \
                assigned is not None and assigned.after_hours is None and dict(assigned.business) == row.roles:
            backed.add(aid)
    names = {pid: p.name for pid, p in eng.parties.items()}
    kept = [f for f in findings if not (f.rule in ROW_CHECKED and f.activity in backed)]
    pairs = [(r, r.activity) for r in rows]
    # a first row whose assignment the engagement has since changed is history: its own problems are not reported
    current = [(r, a) for r, a in pairs if a is None or a in backed or first.get(a) is not r]
    kept += check_rows(current, lambda p: names.get(p, p))
    kept += conflicting_rows(pairs, lambda p: names.get(p, p), lambda a: matrix.catalog.activities[a].name)
    kept += [Finding("unmapped-row", "warning", f"{r.label!r} matches no catalog activity; set its activity in contract_rows "
                                                "(an activity id) to check it against the catalog.", None, (), None, r.source())
             for r in rows if r.activity is None]
    return kept


__all__ = ["KeptRow", "check_kept_rows", "owners", "parse_kept_rows"]
