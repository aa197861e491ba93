"""The rows of an imported contract, kept in the engagement file (``contract_rows:``) so nothing is dropped.

``raci import`` writes every row it read, mapped or not, with its label, where it was, its cells as written and
the roles read from them. ``raci check`` runs the same row rules on them as ``raci audit`` did; an activity whose
assignment still says what its first contract row said is checked on its rows, not twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from raci.contracts.rules import check_rows, conflicting_rows, owners
from raci.findings import Finding

KEYS = ("label", "file", "sheet", "row", "column", "activity", "roles", "cells", "note", "shared", "out_of_scope",
        "unreadable", "extra_cost")
# activity-level rules that the row rules replace for an activity the contract's rows still describe
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
        add(f, line_of(value, default=None), "contract_rows must be a list of rows")
        return []
    out = []
    for i, item in enumerate(value):
        line = line_of(value, i)
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            add(f, line, "each contract row needs at least a label")
            continue
        bad = [k for k in item if k not in KEYS]
        for k in bad:
            add(f, line_of(item, k, line), f"unknown key {k!r} in contract row (allowed: {', '.join(KEYS)})")
        roles = item.get("roles") or {}
        cells = item.get("cells") or {}
        if not isinstance(roles, dict) or not isinstance(cells, dict):
            add(f, line, "a contract row's roles and cells must be mappings")
            continue
        for pid, role in roles.items():
            if pid not in parties:
                add(f, line_of(roles, pid, line), f"contract row {item['label']!r}: unknown party {pid!r}")
            if role not in ("A/R", "A", "R", "C", "I"):
                add(f, line_of(roles, pid, line), f"contract row {item['label']!r}: {role!r} is not a role letter")
        activity = item.get("activity")
        if activity is not None and activity not in activities:
            add(f, line_of(item, "activity", line), f"contract row {item['label']!r}: unknown activity {activity!r}")
            activity = None
        row_no = item.get("row")
        unread = [str(h) for h in item.get("unreadable") or []]
        costs = [str(h) for h in item.get("extra_cost") or []]
        out.append(KeptRow(
            item["label"], str(item.get("file") or ""), item.get("sheet"), row_no if isinstance(row_no, int) else None,
            item.get("column"), activity, {str(k): str(v) for k, v in roles.items()},
            {str(k): "" if v is None else str(v) for k, v in cells.items()}, str(item.get("note") or ""),
            bool(item.get("shared")), bool(item.get("out_of_scope")),
            [(h, str(cells.get(h, ""))) for h in unread], [(h, str(cells.get(h, ""))) for h in costs]))
    return out


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
