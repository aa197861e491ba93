"""Stage 2, layout: where the matrix is, found by a scored search over every interpretation of every sheet.

A candidate is a header row (one line, or two: party names over a line of descriptions), an orientation
(activities as rows, or transposed with parties as rows), a label column and the columns that hold
parties. Party columns are either a grid (one column per party, cells of letters or marks), an owner
column (cells name the owner: Customer, Shared, CSP-owned, FedRAMP Yes/Partial), or process columns whose
cells name parties (resource x process tables). Each candidate is scored by how much of it reads as role
vocabulary and how much of its label column maps to the catalog; the best wins, the runner-up is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from raci.contracts.columns import (
    LABEL_WORDS,
    NOTE_WORDS,
    Readings,
    column_kinds,
    domain_column,
    find_names_row,
    header_like,
    header_match,
    is_not_party,
    label_column,
    name_columns,
    names_a_column,
    norm,
    pick,
    topic_columns,
)
from raci.contracts.tables import Sheet, col_letter
from raci.contracts.vocabulary import guess_kind

MAX_CANDIDATES = 200  # header rows tried per sheet
LabelScore = Callable[[list[str]], float]  # fraction of labels that map onto the catalog

_SUMMARY_SHEETS = re.compile(r"summary|instruction|read ?me|cover|introduc|guidance|\bkey\b|legend|change ?log|revision|"
                             r"record of change|contents|\btoc\b|about|overview|definition|glossary|disclaimer|lists?\b|"
                             r"values|lookup|dropdown|validation|averages|sample", re.IGNORECASE)


@dataclass
class Layout:
    """One interpretation of a table in a sheet. Indexes are 0-based positions in ``sheet.rows``."""

    sheet: Sheet
    header: int  # the (last) header line
    names_row: int  # the line holding party names (the header, or the line above it)
    end: int  # one past the last data row
    orientation: str  # rows | columns
    mode: str  # grid | owner | names
    label_col: int  # rows: the activity label column; columns: the column holding party names
    party_cols: list[int]  # rows: party (or owner/process) columns; columns: the activity columns
    vocabulary: str = "any"  # any | fedramp | caiq
    domain_col: int | None = None
    note_col: int | None = None
    id_col: int | None = None
    topic_cols: list[int] = field(default_factory=list)  # short descriptors beside long labels ("09.j Malicious Code")
    score: float = 0.0
    why: list[str] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.header + 1

    def describe(self) -> str:
        where = ""
        if self.sheet.name is not None:
            where = f"sheet {self.sheet.name!r}" + (" (hidden)" if self.sheet.hidden else "") + ", "
        elif self.sheet.table_of(self.header):
            where = f"{self.sheet.table_of(self.header)}, "  # "table 2, header row 1" in a Word or PDF document
        turn = ", transposed (parties as rows)" if self.orientation == "columns" else ""
        return f"{where}header row {self.sheet.lines[self.header]}, label column {col_letter(self.label_col)}{turn}"

    def signature(self) -> tuple:
        """Readings of one table (a data row tried as its header) share this; stacked tables end apart."""
        return (self.sheet.index, self.orientation, self.mode, tuple(self.party_cols), self.end)


@dataclass
class Options:
    """What the user fixed on the command line; everything left None is searched for."""

    sheet: str | None = None
    header_row: int | None = None  # 1-based, as the user sees it
    label_column: int | None = None  # 0-based
    transpose: bool | None = None


def find_layouts(sheets: list[Sheet], label_score: LabelScore, options: Options | None = None) -> list[Layout]:
    """Every interpretation worth considering, best first."""
    options = options or Options()
    readings = Readings()
    found: list[Layout] = []
    for sheet in sheets:
        if not sheet.rows:
            continue
        for layout in _sheet_layouts(sheet, readings, label_score, options):
            factor = 1.0
            if sheet.name and _SUMMARY_SHEETS.search(sheet.name):
                factor *= 0.15
                layout.why.append("summary/instructions sheet")
            if sheet.hidden:
                factor *= 0.5
            layout.score *= factor
            if layout.score > 0:
                found.append(layout)
    # a summary or instructions sheet never wins over a matrix sheet, however large its table
    found.sort(key=lambda lay: ("summary/instructions sheet" in lay.why, -lay.score, lay.sheet.index, lay.header))
    # one candidate per table: the best interpretation of each (sheet, party columns)
    seen: set[tuple] = set()
    out = []
    for lay in found:
        sig = lay.signature()
        if sig in seen:
            continue
        seen.add(sig)
        out.append(lay)
    return out


def _candidate_headers(sheet: Sheet, rd: Readings, options: Options) -> list[int]:
    rows = sheet.rows
    if options.header_row is not None:
        idx = [i for i, line in enumerate(sheet.lines) if line == options.header_row]
        return idx[:1]
    out = []
    for r, row in enumerate(rows):
        cells = [(c, v) for c, v in enumerate(row) if v and (r, c) not in sheet.merged_right and c not in sheet.hidden_cols]
        if len(cells) < 2:
            continue
        if any(rd(v).kind == "blank" for _c, v in cells):
            continue  # "---" filler: a section row written as a table row, never a header
        if any(not names_a_column(rd(v), v) for _c, v in cells):
            continue  # a header names columns; a role letter or mark in a row makes it data
        if not header_like(cells):
            continue
        # the rows below must hold role vocabulary (or owner words) in a column this row names
        named = {c for c, _v in cells}
        vocab = _special_vocabulary(sheet, r)
        below = 0
        for r2 in range(r + 1, min(r + 6, len(rows))):
            row2 = rows[r2]
            below += sum(1 for c in named if c < len(row2) and row2[c] and rd(row2[c], vocab).strong)
        if below:
            out.append(r)
        if len(out) >= MAX_CANDIDATES:
            break
    return out


def _sheet_layouts(sheet: Sheet, rd: Readings, label_score: LabelScore, options: Options) -> list[Layout]:
    heads = _candidate_headers(sheet, rd, options)
    out: list[Layout] = []
    for h in heads:
        vocab = _special_vocabulary(sheet, h)
        end = _table_end(sheet, rd, h, heads, vocab)
        if options.transpose is not True:
            lay = _rows_layout(sheet, rd, h, end, vocab, label_score, options)
            if lay is not None:
                out.append(lay)
        if options.transpose is not False and vocab == "any":
            lay = _columns_layout(sheet, rd, h, end, label_score, options)
            if lay is not None:
                out.append(lay)
    return out


PROVISIONAL = 300  # rows below a header looked at to find its party columns before its end is known


def _table_end(sheet: Sheet, rd: Readings, h: int, heads: list[int], vocab: str) -> int:
    """One past the last row of the table under header ``h``: the next row that heads another table.

    Another table's header is a header-like row (no roles or marks) with a name over every party column of
    this one, names that differ from each other and from this header, and that are not shared-owner words
    ("Joint | Joint" is a data row) nor, over an owner column, owner words ("Provider" is a data row).
    """
    stats = column_kinds(sheet, rd, h + 1, min(len(sheet.rows), h + 1 + PROVISIONAL), range(sheet.width), vocab)
    parties = [c for c, st in stats.items() if st["strong"] >= 1 and st["strong"] + st["na"] >= 0.6 * st["filled"]]
    if not parties:
        return len(sheet.rows)
    owner_mode = sum(stats[c]["owner"] for c in parties) > sum(stats[c]["letters"] + stats[c]["mark"] for c in parties)
    sig = [norm(sheet.cell(h, c)) for c in parties]
    seen: dict[str, int] = {}
    for r in range(h + 1, min(len(sheet.rows), h + 1 + PROVISIONAL)):
        for v in sheet.rows[r]:
            if v:
                seen[norm(v)] = seen.get(norm(v), 0) + 1
    for r in heads:
        if r <= h + 1:
            continue
        cells = [sheet.cell(r, c) for c in parties]
        if not all(cells) or [norm(v) for v in cells] == sig or len({norm(v) for v in cells}) < len(cells):
            continue
        if any(seen.get(norm(v), 0) > 1 for v in cells):
            continue  # a value the table repeats is data; a header names its column once
        readings = [rd(v, vocab) for v in cells]
        if any(x.shared for x in readings) or (vocab != "any" or owner_mode) and any(x.kind != "text" for x in readings):
            continue
        if len(parties) == 1 and not all(len(v.split()) <= 6 for v in sheet.rows[r] if v):
            continue  # one owner column: a cell it cannot read is a data row unless the whole row reads as names
        end = r
        # a heading line just above the next header belongs to the next table
        while end - 1 > h and sum(1 for v in sheet.rows[end - 1] if v) == 1:
            end -= 1
        return end
    return len(sheet.rows)


def _special_vocabulary(sheet: Sheet, h: int) -> str:
    for text in sheet.rows[h]:
        low = norm(text)
        if "ssrm control ownership" in low or ("control ownership" in low and "ssrm" in low):
            return "caiq"
        if "can be inherited" in low or low.startswith("inherited from csp") or low == "inheritance":
            return "fedramp"
    return "any"


def _party_columns(sheet: Sheet, rd: Readings, stats: dict[int, dict[str, int]], head: list[str], vocab: str,
                   options: Options) -> tuple[list[int], list[int]]:
    """The columns under a party-like header whose cells read as roles (grid) or as owner words (owner)."""
    cols = range(sheet.width)
    grid, owner = [], []
    for c in cols:
        st = stats[c]
        if c in sheet.hidden_cols or not head[c] or is_not_party(head[c]) or c == options.label_column \
                or not names_a_column(rd(head[c]), head[c]):
            continue
        if vocab != "any":
            if st["owner"] >= 1 and st["owner"] >= 0.5 * max(1, st["filled"] - st["na"]):
                owner.append(c)
            continue
        vocab_cells = st["strong"] + st["na"]
        if st["strong"] >= 1 and vocab_cells >= 0.6 * st["filled"]:
            if st["owner"] > st["letters"] + st["mark"]:
                owner.append(c)
            else:
                grid.append(c)
    # a party column with no role at all (a party named but never given work) beside other party columns
    if grid:
        for c in cols:
            st = stats[c]
            if c in grid or c in owner or c in sheet.hidden_cols or not head[c] or is_not_party(head[c]):
                continue
            if st["strong"] == st["text"] == 0 and min(abs(c - g) for g in grid) == 1 and guess_kind(head[c])[1]:
                grid.append(c)
        grid.sort()
    return grid, owner


def _choose_parties(sheet: Sheet, rd: Readings, h: int, end: int, stats: dict[int, dict[str, int]], head: list[str], grid: list[int],
                    owner: list[int], vocab: str) -> tuple[str, list[int], bool] | None:
    """The mode and party columns that win: a grid, columns naming parties, or owner columns; and whether
    the columns name parties (their cells then count as role vocabulary)."""
    cols = range(sheet.width)
    named = name_columns(sheet, rd, h, end, [c for c in cols if head[c] and c not in sheet.hidden_cols and c not in grid]) \
        if vocab == "any" and not (grid and len(grid) >= len(owner)) else []
    if grid and len(grid) >= len(owner):
        return "grid", grid, False
    if named and len(named) >= len(owner):
        for c in named:  # cells that name owners read as role vocabulary for this table
            stats[c]["strong"], stats[c]["text"] = stats[c]["filled"] - stats[c]["blank"] - stats[c]["na"], 0
        return ("owner" if len(named) == 1 else "names"), named, True
    if owner:
        return ("owner" if len(owner) == 1 else "names"), owner, False
    return None


def _score_rows(lay: Layout, rd: Readings, stats: dict[int, dict[str, int]], label_score: LabelScore, from_names: bool) -> None:
    """A rows layout's score: rows with roles, weighed by purity, labels mapped and parties kept apart."""
    sheet, h, end, label_col, party_cols = lay.sheet, lay.header, lay.end, lay.label_col, lay.party_cols
    labels = [sheet.cell(r, label_col) for r in range(h + 1, end) if sheet.cell(r, label_col)]
    strong = sum(stats[c]["strong"] for c in party_cols)
    text = sum(stats[c]["text"] for c in party_cols)
    purity = strong / max(1, strong + text)
    rows_with = _rows_with_roles(sheet, rd, h + 1, end, party_cols, lay.vocabulary, named=from_names)
    mapped = label_score(labels[:40]) if labels else 0.0
    headerish = 0.3 if header_match(sheet.cell(h, label_col), LABEL_WORDS) is not None else 0.0
    # of two readings that fit equally well, the one that keeps more parties apart tells more (a CIS worksheet's
    # origination columns over the same controls' Yes/Partial/No)
    parties = len(party_cols) if lay.mode == "grid" else 2
    lay.score = rows_with * purity * (1.0 + mapped + headerish) * (1.0 + 0.03 * min(6, max(0, parties - 2)))
    lay.why.append(f"{rows_with} rows with roles, purity {purity:.2f}, labels mapped {mapped:.2f}")


def _rows_layout(sheet: Sheet, rd: Readings, h: int, end: int, vocab: str, label_score: LabelScore,
                 options: Options) -> Layout | None:
    cols = range(sheet.width)
    stats = column_kinds(sheet, rd, h + 1, end, cols, vocab)
    names_row = find_names_row(sheet, h)
    head = [sheet.cell(names_row, c) or sheet.cell(h, c) for c in cols]
    grid, owner = _party_columns(sheet, rd, stats, head, vocab, options)
    chosen = _choose_parties(sheet, rd, h, end, stats, head, grid, owner, vocab)
    if chosen is None:
        return None
    mode, party_cols, from_names = chosen
    label_col = label_column(sheet, rd, h, end, [c for c in cols if c not in party_cols and c not in sheet.hidden_cols], options.label_column)
    if label_col is None:
        return None
    rest = [c for c in cols if c not in party_cols and c != label_col and c not in sheet.hidden_cols]
    domain_col = domain_column(sheet, h, end, rest, label_col, head)
    # notes may sit in hidden columns (a consultant unhides them); parties and labels never do
    note_col = pick(head, [c for c in cols if c not in party_cols and c not in (label_col, domain_col)], NOTE_WORDS)
    id_col = pick(head, [c for c in rest if c not in (domain_col, note_col) and c < label_col], ("id", "identifier", "ref", "#", "no"))
    topics = topic_columns(sheet, rd, h, end, [c for c in rest if c not in (domain_col, note_col, id_col)], label_col)
    lay = Layout(sheet, h, names_row, end, "rows", mode, label_col, party_cols, vocab, domain_col, note_col, id_col, topics)
    _score_rows(lay, rd, stats, label_score, from_names)
    return lay


def _rows_with_roles(sheet: Sheet, rd: Readings, start: int, end: int, cols: list[int], vocab: str, named: bool = False) -> int:
    n = 0
    for r in range(start, end):
        row = sheet.rows[r]
        if any(c < len(row) and row[c] and (named or rd(row[c], vocab).strong) for c in cols):
            n += 1
    return n


def _columns_layout(sheet: Sheet, rd: Readings, h: int, end: int, label_score: LabelScore, options: Options) -> Layout | None:
    """Transposed: parties as rows (a column of team names), activities as columns named in the header."""
    width = sheet.width
    head = sheet.rows[h]
    # the party rows sit together under the header; a blank row ends them (a trailer or legend may follow)
    first = next((r for r in range(h + 1, end) if any(sheet.rows[r])), end)
    end = next((r for r in range(first, end) if not any(sheet.rows[r])), end)
    stats = column_kinds(sheet, rd, h + 1, end, range(width), "any")
    acts = [c for c in range(width) if c < len(head) and head[c] and c not in sheet.hidden_cols
            and stats[c]["letters"] + stats[c]["mark"] >= 1 and stats[c]["strong"] + stats[c]["na"] >= 0.6 * stats[c]["filled"]]
    if len(acts) < 2:
        return None
    others = [c for c in range(width) if c not in acts and c not in sheet.hidden_cols]
    with_roles = [r for r in range(h + 1, end) if sum(1 for c in acts if rd(sheet.cell(r, c)).strong) * 2 >= len(acts)]
    party_col = options.label_column
    if party_col is None:
        for c in others:
            vals = [sheet.cell(r, c) for r in with_roles if sheet.cell(r, c)]
            if vals and all(rd(v).kind in ("text", "owner") for v in vals):
                party_col = c
                break
    if party_col is None:
        return None
    parties = [sheet.cell(r, party_col) for r in with_roles if sheet.cell(r, party_col)]
    if not parties or len(parties) > 30:
        return None
    lay = Layout(sheet, h, h, end, "columns", "grid", party_col, acts)
    act_labels = [head[c] for c in acts]
    partyish = sum(1 for p in parties if guess_kind(p)[1] or re.search(r"\bteams?\b|\bgroup\b|\bboard\b|\boffice\b", p, re.I))
    party_frac = partyish / max(1, len(parties))
    head_party = sum(1 for a in act_labels if guess_kind(a)[1]) / max(1, len(act_labels))
    mapped = label_score(act_labels[:40])
    filled = sum(stats[c]["strong"] for c in acts)
    text = sum(stats[c]["text"] for c in acts)
    purity = filled / max(1, filled + text)
    # comparable with a rows layout of the same table: the activities it reads, weighed by how party-like the rows are
    lay.score = len(acts) * purity * (1.0 + mapped) * (0.4 + party_frac - 0.5 * head_party) * 1.2
    lay.why.append(f"{len(acts)} activity columns, {len(with_roles)} party rows ({party_frac:.2f} party-like), labels mapped {mapped:.2f}")
    return lay
