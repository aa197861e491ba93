"""Ownership checks on every row of a contract, mapped or not, each a registered rule with its id and severity.

A row is one responsibility as the document states it. Row rules see only the row (its roles, note and
cells); ``conflicting-rows`` compares the rows that map to one catalog activity. ``raci audit`` runs them on
what it reads, and ``raci check`` runs them again on the rows an imported engagement keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from raci.findings import Finding


class RowLike(Protocol):
    """What a row rule reads (``raci.contracts.model.ContractRow`` and the engagement's kept rows have it)."""

    label: str
    roles: dict[str, str]
    note: str
    shared: bool
    excluded: bool
    unclear: list[tuple[str, str]]
    costs: list[tuple[str, str]]

    def source(self) -> dict: ...


@dataclass(frozen=True)
class RowRule:
    id: str
    severity: str
    explain: str
    check: Callable[[RowLike, Callable[[str], str], str | None], str | None]


ROW_RULES: dict[str, RowRule] = {}


def row_rule(rule_id: str, severity: str, explain: str):
    """Register ``fn(row, party_name, activity) -> message or None`` as a row rule."""

    def register(fn):
        ROW_RULES[rule_id] = RowRule(rule_id, severity, explain, fn)
        return fn

    return register


def _names(ids: list[str], name: Callable[[str], str]) -> str:
    names = [name(p) for p in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _accountable(row: RowLike) -> list[str]:
    return [p for p, r in row.roles.items() if "A" in r]


def _responsible(row: RowLike) -> list[str]:
    return [p for p, r in row.roles.items() if "R" in r]


@row_rule("no-accountable", "error", "A row that names nobody who answers for it: no A, and no single owner.")
def no_accountable(row: RowLike, name: Callable[[str], str], activity: str | None) -> str | None:
    if row.excluded or _accountable(row) or row.shared or row.unclear:
        return None
    resp = _responsible(row)
    if not resp:
        return f"Nobody is responsible or accountable for {row.label!r}."
    if len(resp) == 1:
        return f"{name(resp[0])} is responsible for {row.label!r}, but nobody is accountable for it."
    return f"{_names(resp, name)} are responsible for {row.label!r}, but nobody is accountable for it."


@row_rule("multiple-accountable", "error", "Two or more parties accountable on one row: an overlap.")
def multiple_accountable(row: RowLike, name: Callable[[str], str], activity: str | None) -> str | None:
    acc = _accountable(row)
    if row.excluded or len(acc) < 2:
        return None
    return f"{_names(acc, name)} are all accountable for {row.label!r}; exactly one party must be."


@row_rule("shared-owner", "error",
          "A row owned jointly (Shared, Both, 'X and Y', several marks) with no note naming who does what.")
def shared_owner(row: RowLike, name: Callable[[str], str], activity: str | None) -> str | None:
    if row.excluded or not row.shared or row.note or _accountable(row):
        return None
    owners = _responsible(row)
    who = _names(owners, name) if owners else "several parties"
    return (f"{row.label!r} is shared between {who} with no split written down: say who does what and who answers "
            "for it, or expect it done twice or not at all.")


@row_rule("shared-responsible", "warning", "Two or more parties responsible beside one accountable party, with no note on the split.")
def shared_responsible(row: RowLike, name: Callable[[str], str], activity: str | None) -> str | None:
    resp = _responsible(row)
    if row.excluded or row.shared or row.note or len(resp) < 2 or len(_accountable(row)) != 1:
        return None
    return f"{_names(resp, name)} are both responsible for {row.label!r} and no note says how the work is split."


@row_rule("unreadable-cell", "warning", "A party cell that reads as no role letter, mark or owner word.")
def unreadable_cell(row: RowLike, name: Callable[[str], str], activity: str | None) -> str | None:
    if not row.unclear:
        return None
    said = "; ".join(f"the cell under {header} says {text!r}" for header, text in row.unclear)
    if len(row.unclear) == 1:
        return f"{said[0].upper()}{said[1:]}, which is not a role letter, mark or owner word; it was read as no role."
    return f"{said[0].upper()}{said[1:]}: none is a role letter, mark or owner word; they were read as no role."


@row_rule("extra-cost", "info", "A cell marking work as available at extra cost (£, chargeable, optional), not included.")
def extra_cost(row: RowLike, name: Callable[[str], str], activity: str | None) -> str | None:
    if not row.costs:
        return None
    cells = "; ".join(f"{header} ({text})" for header, text in row.costs)
    return f"{row.label!r} is available at extra cost from {cells}: not included in the fee, so not owned by this contract."


def check_rows(rows: Iterable[tuple[RowLike, str | None]], name: Callable[[str], str], rules: Iterable[str] | None = None) -> list[Finding]:
    """Every row rule over ``rows`` ((row, mapped activity or None)), in row order."""
    chosen = [ROW_RULES[r] for r in (rules or ROW_RULES)]
    out: list[Finding] = []
    for row, activity in rows:
        for rule in chosen:
            message = rule.check(row, name, activity)
            if message is not None:
                parties = tuple(_accountable(row) or _responsible(row)) if rule.id != "unreadable-cell" else ()
                out.append(Finding(rule.id, rule.severity, message, activity, parties, None, row.source()))
    return out


CONFLICTING_ROWS = RowRule("conflicting-rows", "warning",
                           "Two rows that mean one catalog activity give it different owners.", lambda *_: None)


def owners(row: RowLike) -> frozenset[str]:
    """Who owns a row: its accountable parties, else its responsible ones; nobody for an out-of-scope row."""
    if row.excluded:
        return frozenset({"(out of scope)"})
    return frozenset(_accountable(row) or _responsible(row))


def conflicting_rows(rows: Iterable[tuple[RowLike, str | None]], name: Callable[[str], str],
                     activity_name: Callable[[str], str]) -> list[Finding]:
    """One finding at each later row that gives an activity other owners than its first row did."""
    first: dict[str, RowLike] = {}
    out = []
    for row, activity in rows:
        if activity is None:
            continue
        if activity not in first:
            first[activity] = row
            continue
        a, b = owners(first[activity]), owners(row)
        if a == b:
            continue
        before = first[activity]

        def who(ids: frozenset[str]) -> str:
            if "(out of scope)" in ids:
                return "out of scope"
            return _names(sorted(ids), name) if ids else "nobody"

        where = before.source()
        at = f"row {where['row']}" if where.get("row") is not None else "an earlier row"
        out.append(Finding(CONFLICTING_ROWS.id, CONFLICTING_ROWS.severity,
                           f"{row.label!r} and {before.label!r} ({at}) both mean {activity_name(activity)}, but give it "
                           f"different owners: {who(b)} here, {who(a)} there.", activity, tuple(sorted(b - {'(out of scope)'})),
                           None, row.source()))
    return out


IDLE_PARTY = RowRule("idle-party", "warning", "A party the document names that holds no R and no A on any row.", lambda *_: None)


def idle_parties(parties: Iterable[tuple[str, str, dict]], rows: Iterable[RowLike]) -> list[Finding]:
    """``parties``: (id, name, source of its header). A party is idle when no in-scope row, mapped or not,
    gives it R or A."""
    busy = {p for row in rows if not row.excluded for p, role in row.roles.items() if "R" in role or "A" in role}
    return [Finding(IDLE_PARTY.id, IDLE_PARTY.severity,
                    f"{name} is not responsible or accountable for anything; remove it or give it work.", None, (pid,), None, source)
            for pid, name, source in parties if pid not in busy]
