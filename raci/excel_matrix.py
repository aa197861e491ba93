"""The Matrix sheet: one row per activity grouped by domain, letter dropdowns, colours, the live check column, and a
print layout that keeps the type at its size: one page wide at 100 %, the legend on every page, domains kept with
their first rows."""

from __future__ import annotations

from raci.catalog import Activity
from raci.engagement import Matrix, Party
from raci.excel_layout import (
    AFTER_DROPDOWN,
    AFTER_HOURS_RULE,
    DROPDOWN,
    LETTER_COLOURS,
    SEVERITY_COLOURS,
    Layout,
    after_cell,
    domain_groups,
    sla_text,
)
from raci.excel_style import (
    FACE,
    MATRIX,
    Styles,
    col,
    fit,
    line_height,
    lines,
    page_breaks,
    page_height,
    page_width,
    squeeze,
    widths,
)

# The rules of 'raci check' that a row's own cells decide, so the Check column shows them live. compliance-gap, for
# an activity in scope, is a row with no A or no R, which the Check shows as such; the other rules look at other rows
# (dependencies, escalations) or at a party's whole load.
ROW_RULES = ("no-accountable", "multiple-accountable", "non-delegable", "no-responsible", "uncovered-window",
             "no-capacity", "shared-responsible", "compliance-gap")
CHECK_OK = "OK"
CHECK_WARNINGS = ("Shared R: add a note",)  # shown amber: a warning of 'raci check', not an error
ROW = 12.75  # the height of a one-line Matrix row, in points
LEGEND_WORDS = {"R": "does the work", "A": "owns the outcome, one per row", "C": "consulted", "I": "informed",
                "A/R": "owns and does"}
LEGEND_AH = "AH: after hours; a blank AH cell is the same role as in business hours, - is no role"


def legend_header() -> str:
    """The left of the Matrix's page header: each letter in its colour (Excel's codes); LEGEND_AH goes on the right."""
    return "   ".join(f"&K{LETTER_COLOURS[letter][1]}{letter} {LEGEND_WORDS[letter]}" for letter in ("R", "A", "C", "I", "A/R"))


class CheckFormula:
    """The live check of one row: the row-level rules of 'raci check' (ROW_RULES), the first one broken shown.

    A party's roles are read as the importer reads them: its business cell, and after hours its AH cell where that
    is not blank ('-' is no role), else its business cell again. The parties' kind, hours and staff are the
    engagement's when the workbook was made.
    """

    def __init__(self, layout: Layout, parties: dict[str, Party]):
        self.layout = layout
        self.parties = parties
        self._cache: dict[tuple[bool, bool], str] = {}

    def for_row(self, r: int, act: Activity) -> str:
        return self.template(act.coverage == "24x7", act.non_delegable).replace("\0", str(r))

    def longest(self, r: int) -> str:
        return self.template(True, True).replace("\0", str(r))

    def template(self, round_the_clock: bool, non_delegable: bool) -> str:
        """The formula with "\\0" where the row number goes (the same for every row of its kind: fast to write)."""
        key = (round_the_clock, non_delegable)
        if key not in self._cache:
            self._cache[key] = self._build(round_the_clock, non_delegable)
        return self._cache[key]

    def _build(self, round_the_clock: bool, non_delegable: bool) -> str:
        lay, r = self.layout, "\0"
        after = set(lay.after_parties)

        def bus(p: str) -> str:
            return f"{col(lay.party_col(p))}{r}"

        def ah(p: str) -> str:
            return f"{col(lay.after_col(p))}{r}"

        def has(cell: str, letter: str) -> str:
            return f'COUNTIF({cell},"*{letter}*")'

        def owns(p: str) -> str:  # 1 where the party holds A in either window
            return f'MAX({has(bus(p), "A")},{has(ah(p), "A")})' if p in after else has(bus(p), "A")

        def does_after(p: str) -> str:  # 1 where the party holds R after hours
            if p not in after:
                return has(bus(p), "R")
            return f'IF(TRIM({ah(p)})="",{has(bus(p), "R")},{has(ah(p), "R")})'

        def total(terms: list[str]) -> str:
            return "+".join(terms) or "0"

        business = f"{col(lay.party_col(lay.parties[0]))}{r}:{col(lay.party_col(lay.parties[-1]))}{r}"
        accountable = total([has(business, "A"), *(f'({has(ah(p), "A")}>{has(bus(p), "A")})' for p in lay.parties if p in after)])
        responsible = has(business, "R")
        checks: list[tuple[str, str]] = []
        outside = [p for p in lay.parties if self.parties[p].kind != "client"]
        if non_delegable and outside:
            checks.append((f"{total([owns(p) for p in outside])}>0", "A must be the client"))
        checks.append((f"{responsible}=0", "Needs an R"))
        after_r = total([does_after(p) for p in lay.parties])
        if round_the_clock:
            checks.append((f"{after_r}=0", "Needs an R after hours"))
            checks.append((f"{total([does_after(p) for p in lay.parties if self.parties[p].hours == '24x7'])}=0",
                           "After-hours R is business hours only"))
        idle = [p for p in lay.parties if self.parties[p].staff == 0]
        if idle:
            held = [f'{has(bus(p), "A")}+{has(bus(p), "R")}' + (f'+{has(ah(p), "A")}+{has(ah(p), "R")}' if p in after else "")
                    for p in idle]
            checks.append((f"{total(held)}>0", "R or A with no staff"))
        shared = f"{responsible}>1" + (f",{after_r}>1" if round_the_clock else "")
        checks.append((f'AND(TRIM({col(lay.notes_col)}{r})="",OR({shared}))', CHECK_WARNINGS[0]))
        rest = f'"{CHECK_OK}"'
        for cond, message in reversed(checks):
            rest = f'IF({cond},"{message}",{rest})'
        # the count of A is worked out once: none, one (the other checks), more than one
        return f'=CHOOSE(MIN({accountable},2)+1,"Needs one A",{rest},"More than one A")'


def column_widths(matrix: Matrix, layout: Layout, in_scope: list[str]) -> list[float]:
    """Widths in header order: the printed columns (Activity to Notes) fit a landscape page at 100 %, the Activity
    and Notes columns giving up width to the letter columns; ID and Check, which print nowhere, fit their text."""
    acts = matrix.catalog.activities
    notes = matrix.engagement.notes
    out: list[float] = []
    flexible: dict[int, float] = {}
    for i, h in enumerate(layout.headers):
        if i == layout.activity_col - 1:
            out.append(fit((acts[a].name for a in in_scope), 20, 40, MATRIX))
            flexible[i] = 22
        elif i == layout.notes_col - 1:
            out.append(fit((notes.get(a, "") for a in in_scope), 12, 40, MATRIX))
            flexible[i] = 16
        elif i == layout.sla_col - 1:
            out.append(max(10.0, _word_width(h)))
        elif i == layout.id_col - 1:
            out.append(fit(in_scope, 10, 40, MATRIX))
        elif i == (layout.check_col or 0) - 1:
            out.append(24.0)  # its longest message wraps to two lines
        else:  # a party: its header wraps at spaces, so the longest word sets the width
            out.append(min(12.0, max(6.5, _word_width(h))))
    printed = layout.notes_col
    # Notes, often blank, give up width before the activity names do
    flexible = dict(sorted(flexible.items(), key=lambda kv: kv[0] != layout.notes_col - 1))
    return squeeze(out[:printed], flexible, page_width(True), in_turn=True) + out[printed:]


def _word_width(header: str) -> float:
    longest = max((len(w) for w in header.split()), default=1)
    return (longest * MATRIX * 0.55 * 96 / 72 + 8) / 7  # bold Arial: 0.48 em a character, and a little to spare


def write_matrix(ws, st: Styles, matrix: Matrix, layout: Layout, in_scope: list[str]) -> int:
    """Write the Matrix sheet and return its last row."""
    column_w = column_widths(matrix, layout, in_scope)
    _header_row(ws, st, layout, column_w)
    groups = domain_groups(matrix, in_scope)
    heights = _row_heights(matrix, groups, column_w[layout.activity_col - 1], column_w[layout.notes_col - 1])
    _page_breaks(ws, heights)
    r, business_ranges, after_ranges = _write_rows(ws, st, matrix, layout, groups, heights)
    last = max(r, 2)
    _dropdowns(ws, business_ranges, after_ranges)
    _colours(ws, layout, last)
    ws.auto_filter.ref = f"A1:{col(len(layout.headers))}{last}"
    ws.print_area = f"A1:{col(layout.notes_col)}{last}"  # ID and Check are the tool's: they print nowhere
    return last


def _header_row(ws, st: Styles, layout: Layout, column_w: list[float]) -> None:
    """The column widths and styles, the frozen panes, and the header row, tall enough for its wrapped headers."""
    from openpyxl.styles import Alignment

    widths(ws, column_w)
    first_p = layout.party_col(layout.parties[0])
    for i in range(first_p, layout.sla_col + 1):
        # letters typed into never-written cells take the column's style: centred like the rest
        ws.column_dimensions[col(i)].alignment = Alignment(horizontal="center", vertical="top")
    ws.sheet_format.defaultRowHeight = ROW
    ws.sheet_format.customHeight = True
    ws.freeze_panes = "B2"  # the header row and the activity column stay in view
    header_h = max(lines(h, w, MATRIX, bold=True) for h, w in zip(layout.headers, column_w)) * line_height(MATRIX) + 6
    ws.row_dimensions[1].height = max(2 * ROW, header_h)
    ws.append([st.cell(ws, h, "m-header-left" if c == layout.activity_col else "m-header") for c, h in enumerate(layout.headers, 1)])


def _row_heights(matrix: Matrix, groups: list, act_w: float, notes_w: float) -> list[list[float]]:
    """Each domain's band height, then its rows' heights (a name or note that wraps makes its row taller)."""
    acts = matrix.catalog.activities
    notes = matrix.engagement.notes
    heights: list[list[float]] = []
    for _dom, ids in groups:
        block = [ROW]
        for aid in ids:
            name, note = acts[aid].name, notes.get(aid, "")
            n = max(lines(name, act_w, MATRIX), lines(note, notes_w, MATRIX)) if note or len(name) > act_w else 1
            block.append(ROW if n == 1 else round(n * line_height(MATRIX) + 3, 1))
        heights.append(block)
    return heights


def _page_breaks(ws, heights: list[list[float]]) -> None:
    """Page breaks that keep each domain's band with its first rows."""
    from openpyxl.worksheet.pagebreak import Break

    for r in page_breaks(heights, page_height(True) - ws.row_dimensions[1].height):
        ws.row_breaks.append(Break(id=r))


def _write_rows(ws, st: Styles, matrix: Matrix, layout: Layout, groups: list, heights: list[list[float]]
                ) -> tuple[int, list[str], list[str]]:
    """Each domain's band and activity rows; returns the last row and the business- and after-hours letter ranges."""
    eng = matrix.engagement
    acts, notes, sla = matrix.catalog.activities, eng.notes, eng.sla
    n_cols = len(layout.headers)
    first_p, last_p = layout.party_col(layout.parties[0]), layout.party_col(layout.parties[-1])
    last_role = last_p + len(layout.after_parties)
    id_c, act_c, sla_c, notes_c, check_c = (layout.id_col - 1, layout.activity_col - 1, layout.sla_col - 1,
                                            layout.notes_col - 1, (layout.check_col or 0) - 1)
    party_cs = [layout.party_col(p) - 1 for p in layout.parties]
    after_cs = [layout.after_col(p) - 1 for p in layout.after_parties]
    check = CheckFormula(layout, eng.parties) if layout.check_col else None
    letters = {v: st.role(ws, v) for v in (*DROPDOWN, *AFTER_DROPDOWN)}  # one cell per letter, written again and again
    business_ranges: list[str] = []
    after_ranges: list[str] = []
    r = 1
    for (dom, ids), block in zip(groups, heights):
        r += 1
        ws.append([st.cell(ws, dom.name, "band"), *(st.cell(ws, "", "band") for _ in range(n_cols - 1))])
        start = r + 1
        for aid, h in zip(ids, block[1:]):
            r += 1
            if h != ROW:
                ws.row_dimensions[r].height = h
            row = matrix.rows[aid]
            cells: list = [None] * n_cols
            cells[act_c] = st.cell(ws, acts[aid].name, "m-cell")
            cells[id_c] = st.cell(ws, aid, "m-id")
            bus = row.business
            for p, c in zip(layout.parties, party_cs):
                if p in bus:
                    cells[c] = letters[bus[p]]
            for p, c in zip(layout.after_parties, after_cs):
                v = after_cell(row, p)
                if v:
                    cells[c] = letters[v]
            if aid in sla:
                cells[sla_c] = st.cell(ws, sla_text(sla[aid]), "m-role")
            note = notes.get(aid, "")
            if note:
                cells[notes_c] = st.cell(ws, note, "m-cell")
            if check is not None:
                cells[check_c] = st.formula(ws, check.for_row(r, acts[aid]), "check")
            ws.append(cells)
        business_ranges.append(f"{col(first_p)}{start}:{col(last_p)}{r}")
        if layout.after_parties:
            after_ranges.append(f"{col(last_p + 1)}{start}:{col(last_role)}{r}")
    return r, business_ranges, after_ranges


def _colours(ws, layout: Layout, last: int) -> None:
    """Conditional colours: each role letter in its colour, and the Check column's message by its severity."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    first_p = layout.party_col(layout.parties[0])
    last_role = layout.party_col(layout.parties[-1]) + len(layout.after_parties)
    roles_ref = f"{col(first_p)}2:{col(last_role)}{last}"
    for letter in ("A/R", "A", "R", "C", "I"):
        fill, font = LETTER_COLOURS[letter]
        ws.conditional_formatting.add(roles_ref, FormulaRule(
            formula=[f'TRIM({col(first_p)}2)="{letter}"'], stopIfTrue=True,
            fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(name=FACE, bold=True, color=font)))
    if layout.check_col:
        cc = col(layout.check_col)
        ref = f"{cc}2:{cc}{last}"
        for sev, formula in (("warning", f'{cc}2="{CHECK_WARNINGS[0]}"'), ("error", f'AND({cc}2<>"",{cc}2<>"{CHECK_OK}")')):
            fill, font = SEVERITY_COLOURS[sev]
            ws.conditional_formatting.add(ref, FormulaRule(formula=[formula], stopIfTrue=True, font=Font(name=FACE, bold=True, color=font),
                                                           fill=PatternFill("solid", fgColor=fill, bgColor=fill)))
        ws.conditional_formatting.add(ref, FormulaRule(formula=[f'{cc}2="{CHECK_OK}"'], font=Font(name=FACE, color="375623")))


def _dropdowns(ws, business_ranges: list[str], after_ranges: list[str]) -> None:
    """Business-hours cells offer every letter; after-hours cells R, C, I and '-' (accountability does not change)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for ranges, letters, error, title, prompt in (
        (business_ranges, DROPDOWN, "Pick R, A, C, I or A/R from the list, or leave the cell blank.", "Role",
         "R does the work, A owns it (one per row), C is consulted, I is informed."),
        (after_ranges, AFTER_DROPDOWN, "Pick R, C, I or - from the list, or leave the cell blank (the same as business hours).",
         "After hours", AFTER_HOURS_RULE),
    ):
        if not ranges:
            continue
        dv = DataValidation(type="list", formula1='"' + ",".join(letters) + '"', allow_blank=True,
                            showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                            errorTitle="Not a RACI letter", error=error, promptTitle=title, prompt=prompt)
        dv.showDropDown = False  # in the file format "showDropDown" hides the arrow: keep it off
        dv.sqref = " ".join(ranges)
        ws.data_validations.append(dv)
