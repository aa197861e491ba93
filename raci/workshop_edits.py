"""What a workshop changed in a rendered workbook: each edit applied or ignored, named by sheet and cell."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace

from raci.catalog import Catalog, Row
from raci.engagement import Engagement, Matrix, resolve
from raci.errors import Problem
from raci.excel_layout import FORMAT_VERSION, NOBODY_SPELLINGS, clean_text
from raci.roles import parse_role


@dataclass(frozen=True)
class Edit:
    """One edited cell that was applied to the engagement.

    ``key`` says which part of the engagement it changed and ``value`` what that part is after the import, so
    that another engagement can be asked whether it holds the same (see ``edits_not_in``):
    ("role", activity, party, "business-hours" | "after-hours"), ("note", activity), ("sla", activity),
    ("excluded", activity), ("client",), ("provider",), ("version",), ("effective",), ("party", party, attribute).
    """

    where: str  # "Matrix!D7"
    message: str
    key: tuple = ()
    value: object = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class WorkshopEdits:
    """What ``read_workshop`` found: edits applied, edits it could not apply (named, never dropped), and warnings
    about the workbook as a whole. ``original`` is the engagement the workbook was rendered from (None when its
    hidden _raci sheet was deleted)."""

    applied: list[Edit] = field(default_factory=list)
    ignored: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    original: Engagement | None = None

    def lines(self) -> list[str]:
        """The lines ``raci import`` prints as warnings: the workbook's warnings, then each ignored edit."""
        return [str(p) for p in (*self.warnings, *self.ignored)]

    def cells(self) -> list[str]:
        """The addresses of the applied edits, each once, in the order found."""
        return list(dict.fromkeys(e.where for e in self.applied))


def value_of(eng: Engagement, matrix: Matrix, key: tuple):
    """The part of ``eng`` an edit's key names (its matrix resolved)."""
    kind = key[0]
    if kind == "role":
        _, aid, pid, window = key
        return matrix.rows.get(aid, Row({})).window(window).get(pid)
    if kind == "note":
        return eng.notes.get(key[1])
    if kind == "sla":
        return eng.sla.get(key[1]) or {}
    if kind == "excluded":
        return key[1] in matrix.excluded
    if kind == "party":
        party = eng.parties.get(key[1])
        return getattr(party, key[2]) if party is not None else None
    return getattr(eng, kind)


def edits_not_in(edits: WorkshopEdits, engagement: Engagement, catalog: Catalog) -> list[Edit]:
    """The applied edits whose result ``engagement`` does not hold (not imported into it yet)."""
    matrix = resolve(engagement, catalog)
    return [e for e in edits.applied if e.key and value_of(engagement, matrix, e.key) != e.value]


# --------------------------------------------------------------------------- reading state shared by the sheet readers


@dataclass
class Reading:
    """A rendered workbook being read back: the engagement it came from, the one being edited, and what was found."""

    file: str
    catalog: Catalog
    original: Engagement
    matrix: Matrix  # the original, resolved: what the workbook showed
    eng: Engagement  # the original with the edits applied so far
    written: dict[str, dict[str, object]]  # sheet -> {cell: value} as rendered ({} for workbooks of format 1)
    legacy_after: bool = False  # format 1: a blank after-hours cell beside a filled one meant "no role"
    fmt: int = FORMAT_VERSION  # the workbook's format: where its Matrix columns are and how they are headed
    check: bool = True  # False for a client's workbook, which has no Check column
    problems: list[Problem] = field(default_factory=list)
    edits: WorkshopEdits = field(default_factory=WorkshopEdits)
    renames: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # party -> (rank, name, where)

    def error(self, where: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, message, where=where))

    def ignore(self, where: str, message: str) -> None:
        self.edits.ignored.append(Problem(self.file, message, where=where))

    def warn(self, message: str, where: str | None = None) -> None:
        self.edits.warnings.append(Problem(self.file, message, where=where))

    def apply(self, where: str, message: str, key: tuple) -> None:
        self.edits.applied.append(Edit(where, message, key))

    def rename(self, pid: str, name: str, where: str, rank: int) -> None:
        """A party name edited at ``where``; the lowest rank wins when two places disagree (Matrix, Cover, Sign-off)."""
        self.renames.setdefault(pid, []).append((rank, name, where))

    def settle_renames(self) -> None:
        for pid, cands in self.renames.items():
            cands.sort(key=lambda c: c[0])
            _, name, first = cands[0]
            party = self.eng.parties[pid]
            old = party.name
            party.name = name
            for _, other, where in cands:
                if other == name:
                    self.apply(where, f"party {pid} renamed from {old!r} to {name!r}", ("party", pid, "name"))
                else:
                    self.ignore(where, f"party name {other!r} conflicts with {name!r} at {first}, which is applied")

    def finish(self) -> WorkshopEdits:
        """The edits, each with the value its part of the engagement has after the import."""
        matrix = resolve(self.eng, self.catalog)
        applied = [replace(e, value=value_of(self.eng, matrix, e.key)) for e in self.edits.applied]
        self.edits.applied = sorted(applied, key=lambda e: place(e.where))
        self.edits.ignored.sort(key=lambda p: place(p.where or ""))
        self.edits.original = self.original
        return self.edits


# --------------------------------------------------------------------------- cell values


def lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def norm(value) -> object:
    """A cell value as compared with what raci wrote: line ends as XML stores them, no surrounding spaces,
    numbers as numbers whatever their type, an empty text as blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return lf(clean_text(str(value))).strip()


def text(value) -> str:
    """A cell's text as a user typed it (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return lf(str(value)).strip()


def cell_role(value, *, after: bool) -> tuple[str | None, bool]:
    """(role, readable) of a role cell: None for blank; '-' for no role (after hours; a business cell too)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, str) and value.strip() in NOBODY_SPELLINGS:
        return ("-" if after else None), True
    role = parse_role(value)
    return role, role is not None


SHEET_ORDER = ("Matrix", "Cover", "SLAs", "Exclusions", "Sign-off", "Legend", "Summary", "Findings")


def place(where: str) -> tuple[int, int, int]:
    """Where a cell is, for listing edits: the Matrix first, then the other sheets; by row, then column, in each."""
    from openpyxl.utils import column_index_from_string

    sheet, _, cell = where.partition("!")
    rank = SHEET_ORDER.index(sheet) if sheet in SHEET_ORDER else len(SHEET_ORDER)
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    return (rank, int(m[2]), column_index_from_string(m[1])) if m else (rank, 0, 0)


def address(sheet: str, row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(col)}{row}"
