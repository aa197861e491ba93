"""Excel's limits, checked before a workbook is written: a cell over 32,767 characters, a sheet over 1,048,576 rows,
a row over 16,384 columns or a formula over 8,192 characters is refused with one line naming it, never cut.

openpyxl cuts a longer text silently, and Excel stops reading a sheet at its last row: either would lose part of the
engagement without a word (and an import would read the cut text back). ``check_workbook`` walks the cells the
writers (``excel_matrix``, ``excel_sheets``) fill with text that comes from the engagement, the catalog or the
command line, in the same order, and says which would not fit; the renderer calls it before any file is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from raci.appendix import build_signoff
from raci.appendix.model import SignOff
from raci.engagement import Matrix
from raci.errors import OutputError, Problem
from raci.excel_layout import (
    MATRIX_SHEET,
    META_SHEET,
    catalog_name,
    clean_text,
    cover_rows,
    domain_groups,
    exclusion_rows,
    layout_for,
    signoff_rows,
    sla_text,
)
from raci.findings import Finding, sort_findings
from raci.limits import EXCEL_CELL, EXCEL_COLS, EXCEL_FORMULA, EXCEL_ROWS, cell_name


def check_workbook(matrix: Matrix, findings: list[Finding], *, command: str = "", path: str | Path | None = None,
                   audience: str = "internal", signoff: SignOff | None = None) -> None:
    """Raise OutputError (one line) when the workbook for ``matrix`` would pass one of Excel's limits."""
    where = "" if path is None else str(path)
    if signoff is None:
        signoff = build_signoff(matrix, findings, audience=audience)
    for sheet, rows in sheet_rows(matrix, findings, signoff).items():
        if rows > EXCEL_ROWS:
            raise OutputError(Problem(where, f"the {sheet} sheet would have {rows:,} rows, more than the {EXCEL_ROWS:,} "
                                             "Excel allows in a sheet; nothing was written"))
    layout = layout_for(matrix, check=audience != "client")
    if len(layout.headers) > EXCEL_COLS:
        raise OutputError(Problem(where, f"the {MATRIX_SHEET} sheet would have {len(layout.headers):,} columns, more than "
                                         f"the {EXCEL_COLS:,} Excel allows in a sheet; nothing was written"))
    from raci.excel_matrix import CheckFormula

    formula = CheckFormula(layout, matrix.engagement.parties).longest(EXCEL_ROWS) if layout.check_col else ""
    if len(formula) > EXCEL_FORMULA:
        raise OutputError(Problem(where, f"the Check formula of the {MATRIX_SHEET} sheet would be {len(formula):,} characters "
                                         f"long, more than the {EXCEL_FORMULA:,} Excel allows ({len(layout.parties)} parties "
                                         "are too many for one row); nothing was written"))
    for text, sheet, row, col, what in texts(matrix, findings, command, audience, signoff):
        n = len(clean_text(text)) if len(text) > EXCEL_CELL else 0
        if n > EXCEL_CELL:
            raise OutputError(Problem(where, f"{sheet}!{cell_name(row, col)} ({' '.join(what)}) would hold {n:,} characters, "
                                             f"more than the {EXCEL_CELL:,} Excel allows in a cell; shorten it in the "
                                             "engagement (nothing was written)"))


def sheet_rows(matrix: Matrix, findings: list[Finding], signoff: SignOff) -> dict[str, int]:
    """How many rows each sheet of the workbook gets whose size depends on the engagement."""
    in_scope = matrix.in_scope()
    return {
        MATRIX_SHEET: 1 + len(domain_groups(matrix, in_scope)) + len(in_scope),
        "Findings": 3 + max(1, len(findings)),
        "SLAs": 3 + max(1, len(matrix.engagement.sla)),
        "Exclusions": 3 + max(1, len(exclusion_rows(matrix))),
        "Commercial": 3 + len(matrix.commercial),  # at most: only some are listed
        "Sign-off": len(signoff_rows(signoff)),
    }


def texts(matrix: Matrix, findings: list[Finding], command: str, audience: str,
          signoff: SignOff) -> Iterator[tuple[str, str, int, int, tuple[str, ...]]]:
    """(text, sheet, row, column, what it is) for every cell whose text comes from the engagement, the catalog or the
    command line; ``what`` is joined with spaces when a cell is named ("the note of", "backup.restore-test")."""
    eng = matrix.engagement
    acts = matrix.catalog.activities
    yield f"Appendix to the statement of work: {eng.client} and {eng.provider or 'provider'}", "Cover", 2, 1, ("the subtitle",)
    for r, (label, text, _) in enumerate(cover_rows(matrix, {"error": 0, "warning": 0, "info": 0}, command, audience), start=4):
        if text:
            yield text, "Cover", r, 2, ("the", label.lower())
    layout = layout_for(matrix, check=audience != "client")
    for c, header in enumerate(layout.headers, start=1):
        yield header, MATRIX_SHEET, 1, c, ("a party's name",)
    act_c, sla_c, notes_c = layout.activity_col, layout.sla_col, layout.notes_col
    r = 1
    for dom, ids in domain_groups(matrix, matrix.in_scope()):
        r += 1
        yield dom.name, MATRIX_SHEET, r, act_c, ("the name of domain", dom.id)
        for aid in ids:
            r += 1
            yield acts[aid].name, MATRIX_SHEET, r, act_c, ("the name of activity", aid)
            if aid in eng.sla:
                yield sla_text(eng.sla[aid]), MATRIX_SHEET, r, sla_c, ("the SLA of", aid)
            if aid in eng.notes:
                yield eng.notes[aid], MATRIX_SHEET, r, notes_c, ("the note of", aid)
    for r, party in enumerate(eng.parties.values(), start=2):
        yield party.name, "Summary", r, 1, ("the name of party", party.id)
    for r, (_, cells) in enumerate(signoff_rows(signoff), start=1):
        for c, text in enumerate(cells, start=1):
            yield text, "Sign-off", r, c, ("the sign-off's text",)
    parties = eng.parties
    shown = [f for f in sort_findings(findings, matrix.catalog.order) if audience != "client" or f.severity != "info"]
    for r, f in enumerate(shown, start=2):
        yield ", ".join(parties[p].name if p in parties else p for p in f.parties), "Findings", r, 4, ("the parties of a finding",)
        yield f.message, "Findings", r, 6, ("a finding's message",)
    for r, aid in enumerate(eng.sla, start=2):
        targets = eng.sla[aid] or {}
        yield acts[aid].name if aid in acts else "", "SLAs", r, 2, ("the name of activity", aid)
        yield str(targets.get("response", "")), "SLAs", r, 4, ("the SLA response of", aid)
        yield str(targets.get("resolution", "")), "SLAs", r, 5, ("the SLA resolution of", aid)
    for r, (pattern, aid, name, domain) in enumerate(exclusion_rows(matrix), start=2):
        yield pattern, "Exclusions", r, 1, ("an exclusion",)
        yield name, "Exclusions", r, 3, ("the name of activity", aid)
        yield domain, "Exclusions", r, 4, ("a domain's name",)
    yield catalog_name(matrix), META_SHEET, 2, 2, ("the catalog's name",)
