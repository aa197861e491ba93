"""The Matrix sheet: one row per activity grouped by domain, letter dropdowns, colours and the live check column."""

from __future__ import annotations

from raci.engagement import Matrix
from raci.excel_layout import AFTER_DROPDOWN, AFTER_HOURS_RULE, DROPDOWN, LETTER_COLOURS, SEVERITY_COLOURS, Layout, after_cell, domain_groups, sla_text
from raci.excel_style import Styles, col, fit, height, widths, word_lines


def check_formula(layout: Layout, r: int | str) -> str:
    """The live check of row ``r``: exactly one A and at least one R, and an R after hours where the row differs then.

    After hours a blank cell means the party's business-hours role, so its business cell counts for the R.
    """
    first_p, last_p = col(layout.first_party), col(layout.first_party + len(layout.parties) - 1)
    f = (f'=IF(COUNTIF({first_p}{r}:{last_p}{r},"*A*")=0,"Needs one A",'
         f'IF(COUNTIF({first_p}{r}:{last_p}{r},"*A*")>1,"More than one A",'
         f'IF(COUNTIF({first_p}{r}:{last_p}{r},"*R*")=0,"Needs an R",')
    if not layout.after_parties:
        return f + '"OK")))'
    first_a, last_a = col(layout.after_col(layout.after_parties[0])), col(layout.after_col(layout.after_parties[-1]))
    terms = [f'COUNTIF({first_a}{r}:{last_a}{r},"*R*")']
    for pid in layout.parties:
        business = f'COUNTIF({col(layout.party_col(pid))}{r},"*R*")'
        if pid in layout.after_parties:
            terms.append(f'({col(layout.after_col(pid))}{r}="")*{business}')
        else:
            terms.append(business)
    return f + (f'IF(AND(COUNTA({first_a}{r}:{last_a}{r})>0,{"+".join(terms)}=0),'
                '"Needs an R after hours","OK"))))')


def write_matrix(ws, st: Styles, matrix: Matrix, layout: Layout, in_scope: list[str]) -> int:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill

    eng = matrix.engagement
    acts = matrix.catalog.activities
    notes = eng.notes
    sla = eng.sla
    n_cols = len(layout.headers)
    party_w = [max(7.0, min(16.0, max((len(w) for w in h.split()), default=0) + 2)) for h in layout.headers[2:layout.sla_col - 1]]
    act_w = fit((acts[a].name for a in in_scope), 24, 55)
    notes_w = fit((notes.get(a, "") for a in in_scope), 16, 45)
    column_widths = [fit(in_scope, 10, 34), act_w, *party_w, 14.0, notes_w, 18.0]
    widths(ws, column_widths)
    for i in range(layout.first_party, layout.sla_col + 1):
        # letters typed into never-written cells take the column's style: centred like the rest
        ws.column_dimensions[col(i)].alignment = Alignment(horizontal="center", vertical="top")
    ws.freeze_panes = "C2"  # header row and the id/activity columns stay in view
    # tall enough for the longest wrapped header ("After hours: Cascade Managed IT" in a narrow column)
    header_lines = max(word_lines(h, w) for h, w in zip(layout.headers, column_widths))
    ws.row_dimensions[1].height = max(30, 13 * header_lines + 6)
    ws.append([st.cell(ws, h, "header-left" if i < 2 else "header") for i, h in enumerate(layout.headers)])

    first_p = col(layout.first_party)
    last_p = col(layout.first_party + len(layout.parties) - 1)
    after = bool(layout.after_parties)
    first_a = col(layout.after_col(layout.after_parties[0])) if after else ""
    last_a = col(layout.after_col(layout.after_parties[-1])) if after else ""
    check_col = col(layout.check_col)
    check = check_formula(layout, "\0")  # the same for every row but its number
    business_ranges: list[str] = []
    after_ranges: list[str] = []
    r = 1
    n_roles = len(layout.parties) + len(layout.after_parties)
    for dom, ids in domain_groups(matrix, in_scope):
        r += 1
        ws.append([st.cell(ws, dom.name, "band"), *(st.cell(ws, "", "band") for _ in range(n_cols - 1))])
        start = r + 1
        for aid in ids:
            r += 1
            row = matrix.rows[aid]
            note = notes.get(aid, "")
            if note or len(acts[aid].name) > act_w - 2:
                height(ws, r, (acts[aid].name, act_w), (note, notes_w))
            cells = [st.cell(ws, aid, "m-id"), st.cell(ws, acts[aid].name, "m-cell")]
            bus = row.business
            cells += [st.role(ws, bus[p]) if p in bus else None for p in layout.parties]
            if after:
                shown = [after_cell(row, p) for p in layout.after_parties]
                cells += [st.role(ws, v) if v else None for v in shown]
            cells.append(st.cell(ws, sla_text(sla[aid]), "m-role") if aid in sla else None)
            cells.append(st.cell(ws, note, "m-cell") if note else None)
            cells.append(st.formula(ws, check.replace("\0", str(r)), "check"))
            ws.append(cells)
        business_ranges.append(f"{first_p}{start}:{last_p}{r}")
        if after:
            after_ranges.append(f"{first_a}{start}:{last_a}{r}")
    last = max(r, 2)
    _dropdowns(ws, business_ranges, after_ranges)

    roles_ref = f"{first_p}2:{col(layout.first_party + n_roles - 1)}{last}"
    for letter in ("A/R", "A", "R", "C", "I"):
        fill, font = LETTER_COLOURS[letter]
        ws.conditional_formatting.add(roles_ref, FormulaRule(
            formula=[f'TRIM({first_p}2)="{letter}"'], stopIfTrue=True,
            fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(name="Calibri", bold=True, color=font)))
    check_ref = f"{check_col}2:{check_col}{last}"
    bad_fill, bad_font = SEVERITY_COLOURS["error"]
    ws.conditional_formatting.add(check_ref, FormulaRule(
        formula=[f'AND({check_col}2<>"",{check_col}2<>"OK")'], stopIfTrue=True,
        fill=PatternFill("solid", fgColor=bad_fill, bgColor=bad_fill), font=Font(name="Calibri", bold=True, color=bad_font)))
    ws.conditional_formatting.add(check_ref, FormulaRule(formula=[f'{check_col}2="OK"'], font=Font(name="Calibri", color="375623")))
    ws.auto_filter.ref = f"A1:{col(n_cols)}{last}"
    return last


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
