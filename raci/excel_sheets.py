"""The workbook's small sheets: cover, legend, summary, findings, SLAs, exclusions, sign-off and the hidden _raci sheet."""

from __future__ import annotations

import json

from raci import __version__
from raci.appendix.model import SignOff
from raci.engagement import Matrix, dump_engagement
from raci.excel_layout import (
    CHUNK,
    COMMERCIAL_HEADERS,
    COVER_HOWTO,
    EXCLUSION_HEADERS,
    EXCLUSIONS_NOTE,
    FORMAT,
    FORMAT_VERSION,
    INTERNAL_HOWTO,
    LEGEND_RULES,
    MATRIX_SHEET,
    NO_EXCLUSIONS_NOTE,
    NO_SLA_NOTE,
    SLA_HEADERS,
    SLA_NOTE,
    Layout,
    catalog_name,
    commercial_rows,
    cover_rows,
    exclusion_rows,
    signoff_rows,
)
from raci.excel_style import TABLE, Styles, col, fit, height, page_width, squeeze, widths
from raci.findings import Finding, sort_findings
from raci.roles import MEANING


def note_row(ws, st: Styles, r: int, text: str, span: list[float], style: str = "note", size: float = TABLE) -> None:
    """Row ``r``: ``text`` across the table's columns (widths ``span``), merged and wrapped, as tall as it needs, so
    that it neither spills past the table nor is cut."""
    height(ws, r, (text, sum(span)), size=size)
    ws.append([st.cell(ws, text, style)])
    if len(span) > 1:
        ws.merged_cells.add(f"A{r}:{col(len(span))}{r}")


def write_cover(ws, st: Styles, matrix: Matrix, counts: dict[str, int], command: str, audience: str) -> None:
    eng = matrix.engagement
    ws.sheet_view.showGridLines = False
    rows = cover_rows(matrix, counts, command, audience)
    howto = [line for line in COVER_HOWTO if audience != "client" or line not in INTERNAL_HOWTO]
    label_w = 22.0
    wide = min(page_width(False) - label_w, fit([r[1] for r in rows], 60, 90))
    widths(ws, [label_w, wide])
    ws.row_dimensions[1].height = 30
    ws.append([st.cell(ws, "Responsibility matrix (RACI)", "title")])
    ws.merged_cells.add("A1:B1")
    note_row(ws, st, 2, f"Appendix to the statement of work: {eng.client} and {eng.provider or 'provider'}", [label_w, wide],
             "subtitle", 12)
    ws.append([])
    r = 3
    for label, value, style in rows:
        r += 1
        height(ws, r, (value, wide * (0.8 if style == "mono" else 1)))
        ws.append([st.cell(ws, label, "label"), st.cell(ws, value, style)])
    ws.append([])
    ws.append([st.cell(ws, "How to use this workbook", "section")])
    r += 2
    ws.merged_cells.add(f"A{r}:B{r}")
    for line in howto:
        r += 1
        height(ws, r, (line, wide))
        ws.append(["", st.cell(ws, line, "value")])


def write_legend(ws, st: Styles) -> None:
    widths(ws, [10, 72])
    ws.append([st.cell(ws, "Letter", "header"), st.cell(ws, "Meaning", "header-left")])
    for letter in ("R", "A", "C", "I", "A/R"):
        ws.append([st.cell(ws, letter, f"letter-{letter}"), st.cell(ws, MEANING[letter], "cell")])
    ws.append([])
    ws.append([st.cell(ws, "Rules", "section")])
    for r, line in enumerate(LEGEND_RULES, start=9):
        height(ws, r, (line, 72))
        ws.append(["", st.cell(ws, line, "value")])


def write_summary(ws, st: Styles, matrix: Matrix, layout: Layout, last: int) -> None:
    eng = matrix.engagement
    names = [eng.parties[p].name for p in layout.parties]
    span = [fit(names + ["Rows failing the live check"], 20, 40), 9, 8, 7, 7, 7, 7]
    widths(ws, span)
    ws.append([st.cell(ws, h, "header-left" if i == 0 else "header")
               for i, h in enumerate(["Party", "Kind", "Staff", "R", "A", "C", "I"])])
    for r, pid in enumerate(layout.parties, start=2):
        c = col(layout.party_col(pid))
        rng = f"{MATRIX_SHEET}!${c}$2:${c}${last}"
        party = eng.parties[pid]
        height(ws, r, (party.name, span[0]), size=TABLE)
        ws.append([st.cell(ws, party.name, "cell"), st.cell(ws, party.kind, "role"), st.cell(ws, party.staff, "role"),
                   *(st.formula(ws, f'=COUNTIF({rng},"{crit}")', "role") for crit in ("*R*", "*A*", "C", "I"))])
    ws.append([])
    ids = col(layout.id_col)
    ws.append([st.cell(ws, "Activities in scope", "label"),
               st.formula(ws, f'=COUNTIF({MATRIX_SHEET}!${ids}$2:${ids}${last},"?*")', "role")])
    r = len(layout.parties) + 3
    if layout.check_col:
        chk = col(layout.check_col)
        ref = f"{MATRIX_SHEET}!${chk}$2:${chk}${last}"
        ws.append([st.cell(ws, "Rows failing the live check", "label"), st.formula(ws, f'=COUNTIFS({ref},"<>OK",{ref},"?*")', "role")])
        r += 1
    ws.append([])
    note_row(ws, st, r + 2, "Counts are business-hours roles; R and A include A/R cells. They update as the Matrix is edited.", span)


FINDINGS_HEADERS = ("Severity", "Rule", "Activity", "Parties", "Window", "Message", "ID")


def write_findings(ws, st: Styles, matrix: Matrix, findings: list[Finding], audience: str) -> None:
    """The findings, errors first; a client's copy leaves out the info-level ones. The activity's id comes last,
    outside the print area, as on the Matrix."""
    acts = matrix.catalog.activities
    parties = matrix.engagement.parties
    ordered = [f for f in sort_findings(findings, matrix.catalog.order) if audience != "client" or f.severity != "info"]
    rows = [(f, acts[f.activity].name if f.activity in acts else "", ", ".join(parties[p].name if p in parties else p for p in f.parties),
             (f.window or "").replace("-", " ")) for f in ordered]
    span = squeeze([10, fit((f.rule for f in ordered), 10, 26, TABLE), fit((r[1] for r in rows), 14, 36, TABLE),
                    fit((r[2] for r in rows), 10, 26, TABLE), fit((r[3] for r in rows), 8, 16, TABLE), 64],
                   {1: 14, 2: 18, 3: 14, 4: 10, 5: 40}, page_width(True))
    widths(ws, [*span, fit((f.activity for f in ordered), 10, 40, TABLE)])
    ws.append([st.cell(ws, h, "header-left") for h in FINDINGS_HEADERS])
    r = 1
    for f, name, who, window in rows:
        r += 1
        height(ws, r, *zip((f.rule, name, who, window, f.message), span[1:]), size=TABLE)
        ws.append([st.cell(ws, f.severity, f"sev-{f.severity}"), st.cell(ws, f.rule, "cell"), st.cell(ws, name, "cell"),
                   st.cell(ws, who, "cell"), st.cell(ws, window, "cell"), st.cell(ws, f.message, "cell"),
                   st.cell(ws, f.activity or "", "id")])
    if not ordered:
        r += 1
        note_row(ws, st, r, "No findings: the matrix passes every check.", span)
    ws.append([])
    note_row(ws, st, r + 2, "Findings of 'raci check' when this workbook was made; re-run it after importing edits.", span)
    ws.print_area = f"A1:{col(len(span))}{r + 2}"


def write_slas(ws, st: Styles, matrix: Matrix) -> None:
    acts = matrix.catalog.activities
    sla = matrix.engagement.sla
    span = squeeze([fit(sla, 12, 30, TABLE), fit((acts[a].name for a in sla), 16, 40, TABLE),
                    fit(("business-hours",), 12, 20, TABLE), *[fit(("Resolution",), 10, 14, TABLE)] * 2],
                   {0: 14, 1: 18}, page_width(False))
    widths(ws, span)
    ws.append([st.cell(ws, h, "header-left" if i < 2 else "header") for i, h in enumerate(SLA_HEADERS)])
    r = 1
    for aid, targets in sla.items():
        act = acts[aid]
        r += 1
        height(ws, r, (aid, span[0]), (act.name, span[1]), size=TABLE)
        ws.append([st.cell(ws, aid, "id"), st.cell(ws, act.name, "cell"), st.cell(ws, act.coverage, "role"),
                   st.cell(ws, targets.get("response", ""), "role"), st.cell(ws, targets.get("resolution", ""), "role")])
    if not sla:
        r += 1
        note_row(ws, st, r, NO_SLA_NOTE, span)
    ws.append([])
    note_row(ws, st, r + 2, SLA_NOTE, span)


def write_exclusions(ws, st: Styles, matrix: Matrix) -> None:
    rows = exclusion_rows(matrix)
    span = squeeze([fit((r[0] for r in rows), 14, 34, TABLE), fit((r[1] for r in rows), 12, 34, TABLE),
                    fit((r[2] for r in rows), 18, 50, TABLE), fit((r[3] for r in rows), 14, 30, TABLE)],
                   {0: 14, 1: 14, 2: 18, 3: 14}, page_width(False))
    widths(ws, span)
    ws.append([st.cell(ws, h, "header-left") for h in EXCLUSION_HEADERS])
    r = 1
    for pattern, aid, name, dom in rows:
        r += 1
        height(ws, r, *zip((pattern, aid, name, dom), span), size=TABLE)
        ws.append([st.cell(ws, pattern, "cell"), st.cell(ws, aid, "id"), st.cell(ws, name, "cell"), st.cell(ws, dom, "cell")])
    if not rows:
        r += 1
        note_row(ws, st, r, NO_EXCLUSIONS_NOTE, span)
    ws.append([])
    note_row(ws, st, r + 2, EXCLUSIONS_NOTE, span)


def write_commercial(ws, st: Styles, matrix: Matrix, internal: bool) -> None:
    """What the provider's work costs the client: in the recurring fee, a project, passed through at cost, or not
    provided; the provider's team also sees which preset set each window. Read-only: the engagement file decides."""
    rows = commercial_rows(matrix, internal)
    headers = [*COMMERCIAL_HEADERS, *(("Windows set by",) if internal else ()), "ID"]
    cols = list(zip(*rows)) if rows else [() for _ in headers]
    span = squeeze([fit(cols[0], 24, 44, TABLE), 12, fit(cols[2], 20, 46, TABLE),
                    *((fit(cols[3], 16, 40, TABLE),) if internal else ()), fit(cols[-1], 12, 30, TABLE)],
                   {0: 20, 2: 24, **({3: 16} if internal else {})}, page_width(True))
    widths(ws, span)
    ws.append([st.cell(ws, h, "header-left") for h in headers])
    for r, row in enumerate(rows, start=2):
        height(ws, r, *zip(row, span), size=TABLE)
        ws.append([*(st.cell(ws, v, "cell") for v in row[:-1]), st.cell(ws, row[-1], "id")])
    ws.append([])
    note = ("The provider's other work in this matrix is in the recurring fee. Change a status in the engagement file's "
            "commercial: section; this sheet is not read back.")
    note_row(ws, st, len(rows) + 3, note, span)


def write_signoff(ws, st: Styles, signoff: SignOff) -> None:
    """The acceptance of the two contracting entities: what they accept, DRAFT while errors are open (listed), the
    statement of authority, and per entity a line to sign on and lines for name, title and date."""
    ws.sheet_view.showGridLines = False
    n = len(signoff.signatories)
    span = squeeze([16, *([38] * n)], dict.fromkeys(range(1, n + 1), 24), page_width(False))
    widths(ws, span)
    for r, (kind, cells) in enumerate(signoff_rows(signoff), start=1):
        if kind == "title":
            ws.row_dimensions[r].height = 24
            ws.append([st.cell(ws, cells[0], "section")])
            ws.merged_cells.add(f"A{r}:{col(len(span))}{r}")
        elif kind in ("draft", "text", "label"):
            note_row(ws, st, r, cells[0], span, {"draft": "draft", "text": "wrap", "label": "label"}[kind], 11)
        elif kind == "header":
            ws.append([st.cell(ws, c, "header-left") for c in cells])
        elif kind == "error":
            height(ws, r, *zip(cells, span), size=TABLE)
            ws.append([st.cell(ws, c, "cell") for c in cells])
        elif kind == "sign":
            ws.row_dimensions[r].height = 40 if cells[0] == "Signature" else 26
            ws.append([st.cell(ws, cells[0], "sign-label"), *(st.cell(ws, "", "sign-line") for _ in range(n))])
        else:
            ws.append([])


def write_meta(ws, st: Styles, matrix: Matrix, written: dict[str, dict[str, object]], audience: str) -> None:
    """Machine-readable copy of the engagement, so an import gives back exactly the same engagement, and the values
    written on the other sheets, so an import can tell which cells the workshop edited."""
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    text = dump_engagement(matrix.engagement, comments=False)
    ws.append([FORMAT, FORMAT_VERSION, __version__])
    ws.append(["catalog", st.cell(ws, catalog_name(matrix))])
    ws.append(["audience", audience])
    ws.append(["activities", len(matrix.in_scope())])
    for i in range(0, len(text), CHUNK):
        ws.append(["engagement", st.cell(ws, text[i:i + CHUNK])])
    cells = json.dumps(written, ensure_ascii=False, separators=(",", ":"))
    for i in range(0, len(cells), CHUNK):
        ws.append(["sheets", st.cell(ws, cells[i:i + CHUNK])])
