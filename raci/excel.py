"""The SOW appendix as an Excel workbook: cover, live matrix with dropdowns and checks, legend, summary, sign-off.

The work is split by job: ``excel_layout`` (what goes where, shared with the importer), ``excel_style`` (looks and
print setup), ``excel_matrix`` (the Matrix sheet) and ``excel_sheets`` (the other sheets); their public names stay
importable from here.
"""

from __future__ import annotations

from pathlib import Path

from raci import __version__
from raci.appendix import build_signoff
from raci.engagement import Matrix
from raci.excel_layout import (  # noqa: F401  (re-exported: the importer, the Markdown appendix and benchmarks use them)
    AFTER_DROPDOWN,
    AFTER_HOURS_RULE,
    AFTER_PREFIX,
    AUDIENCES,
    CHUNK,
    DROPDOWN,
    FORMAT,
    FORMAT_VERSION,
    HEADER_ACTIVITY,
    HEADER_CHECK,
    HEADER_ID,
    HEADER_NOTES,
    HEADER_SLA,
    LETTER_COLOURS,
    MATRIX_SHEET,
    META_SHEET,
    NOBODY,
    RISKY_START,
    SEVERITY_COLOURS,
    SHEETS,
    Layout,
    after_cell,
    arrangement,
    clean_text,
    domain_groups,
    effective_text,
    escape_header_footer,
    exclusion_rows,
    layout_for,
    profile_text,
    shown_after_hours,
    sla_text,
    summary_text,
)
from raci.excel_limits import check_workbook
from raci.excel_matrix import LEGEND_AH, legend_header, write_matrix
from raci.excel_sheets import (
    write_commercial,
    write_cover,
    write_exclusions,
    write_findings,
    write_legend,
    write_meta,
    write_signoff,
    write_slas,
    write_summary,
)
from raci.excel_style import Recorded, base_font, define_styles, fast_rows, print_setup
from raci.findings import Finding, summarize


def write_workbook(matrix: Matrix, findings: list[Finding], path: str | Path, *, command: str, audience: str = "internal",
                   allow_open_findings: bool = False) -> None:
    """Write the appendix workbook to ``path`` (the caller makes the write atomic). A workbook past Excel's limits is
    refused by ``check_workbook`` before a cell is written; a caller writing several files calls it before any.

    ``audience``: "internal" (the default) or "client", whose copy leaves out the tool's internals: the Check column,
    the command line, preset ids and info-level findings. While ``findings`` hold errors the Sign-off is marked DRAFT
    and lists them, unless ``allow_open_findings``.
    """
    from openpyxl import Workbook

    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    signoff = build_signoff(matrix, findings, audience=audience, allow_open_findings=allow_open_findings)
    check_workbook(matrix, findings, command=command, audience=audience, signoff=signoff)

    wb = Workbook(write_only=True)
    base_font(wb)
    eng = matrix.engagement
    # document properties are XML too: a control character there would make the whole file unreadable
    wb.properties.title = clean_text(f"Responsibility matrix: {eng.client}")[:255]
    wb.properties.creator = f"raci {__version__}"
    wb.properties.subject = "Statement of work appendix"
    wb.properties.version = clean_text(str(eng.version))[:255]
    # every sheet but the Matrix remembers what it holds (the Matrix is read back against the engagement itself)
    sheets = {name: (wb.create_sheet(name) if name == MATRIX_SHEET else Recorded(wb.create_sheet(name))) for name in SHEETS}
    fast_rows(sheets[MATRIX_SHEET])
    meta = wb.create_sheet(META_SHEET)
    st = define_styles(sheets["Cover"].raw)
    layout = layout_for(matrix, check=audience != "client")
    title = escape_header_footer(f"Responsibility matrix: {eng.client}"[:100])
    in_scope = matrix.in_scope()

    for name, ws in sheets.items():
        # sheetPr (fit to page) is written with the first row in write-only mode: set it up before any row
        matrix_sheet = name == MATRIX_SHEET
        print_setup(ws, landscape=name in (MATRIX_SHEET, "Findings", "Commercial"), gridlines=matrix_sheet,
                    header_left=legend_header() if matrix_sheet else title, header_right=LEGEND_AH if matrix_sheet else "&A",
                    footer_left=f"Responsibility matrix: {eng.client}" if matrix_sheet else eng.client,
                    footer_right=f"Version {eng.version}", title_rows="1:1" if name not in ("Cover", "Sign-off") else None)
    write_cover(sheets["Cover"], st, matrix, summarize(findings), command, audience)
    last_row = write_matrix(sheets[MATRIX_SHEET], st, matrix, layout, in_scope)
    write_legend(sheets["Legend"], st)
    write_summary(sheets["Summary"], st, matrix, layout, last_row)
    write_findings(sheets["Findings"], st, matrix, findings, audience)
    write_slas(sheets["SLAs"], st, matrix)
    write_exclusions(sheets["Exclusions"], st, matrix)
    write_commercial(sheets["Commercial"], st, matrix, audience != "client")
    write_signoff(sheets["Sign-off"], st, signoff)
    write_meta(meta, st, matrix, {name: ws.cells for name, ws in sheets.items() if isinstance(ws, Recorded)}, audience)
    wb.save(str(path))
