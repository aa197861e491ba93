"""The SOW appendix as an Excel workbook: cover, live matrix with dropdowns and checks, legend, summary, sign-off."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

from raci import __version__
from raci.catalog import Domain, Row, match_ids
from raci.engagement import Matrix, dump_engagement
from raci.findings import Finding, sort_findings, summarize
from raci.roles import MEANING

# What the hidden _raci sheet holds; bump when its layout changes.
FORMAT = "raci-workbook"
FORMAT_VERSION = 1
META_SHEET = "_raci"
MATRIX_SHEET = "Matrix"
SHEETS = ("Cover", MATRIX_SHEET, "Legend", "Summary", "Findings", "SLAs", "Exclusions", "Sign-off")
DROPDOWN = ("R", "A", "C", "I", "A/R")
CHUNK = 30_000  # an Excel cell holds at most 32,767 characters
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
HEADER_ID, HEADER_ACTIVITY = "ID", "Activity"
HEADER_SLA, HEADER_NOTES, HEADER_CHECK = "SLA (response / resolution)", "Notes", "Check"
AFTER_PREFIX = "After hours: "

# Fill and font colour per letter; the Legend shows the same colours the conditional formats apply.
LETTER_COLOURS = {
    "A/R": ("FFD966", "7F6000"),
    "A": ("F8CBAD", "843C0C"),
    "R": ("C6E0B4", "375623"),
    "C": ("BDD7EE", "1F4E78"),
    "I": ("E7E6E6", "3A3838"),
}
SEVERITY_COLOURS = {"error": ("FFC7CE", "9C0006"), "warning": ("FFEB9C", "7F6000"), "info": ("DDEBF7", "1F4E78")}
NAVY, BAND, GRID = "1F3864", "D9E1F2", "B4B4B4"


# --------------------------------------------------------------------------- layout shared with the importer


def shown_after_hours(row: Row) -> dict[str, str] | None:
    """The after-hours roles the matrix shows: only where they differ from business hours."""
    if row.after_hours is None or row.after_hours == row.business:
        return None
    return row.after_hours


def sla_text(targets: dict[str, str] | None) -> str:
    """'30m / 8h' as the SLA column shows it; '-' where one of the two is not set."""
    if not targets:
        return ""
    return f"{targets.get('response') or '-'} / {targets.get('resolution') or '-'}"


@dataclass
class Layout:
    """Which column holds what on the Matrix sheet (1-based column numbers)."""

    parties: list[str]
    after_parties: list[str]
    headers: list[str]

    first_party = 3  # after ID and Activity

    def party_col(self, pid: str) -> int:
        return self.first_party + self.parties.index(pid)

    def after_col(self, pid: str) -> int:
        return self.first_party + len(self.parties) + self.after_parties.index(pid)

    @property
    def sla_col(self) -> int:
        return self.first_party + len(self.parties) + len(self.after_parties)

    @property
    def notes_col(self) -> int:
        return self.sla_col + 1

    @property
    def check_col(self) -> int:
        return self.sla_col + 2


def layout_for(matrix: Matrix) -> Layout:
    """The Matrix sheet's columns; the importer finds them again by these header texts."""
    eng = matrix.engagement
    parties = list(eng.parties)
    after_used: set[str] = set()
    for aid in matrix.in_scope():
        shown = shown_after_hours(matrix.rows[aid])
        if shown:
            after_used.update(shown)
    after_parties = [p for p in parties if p in after_used]
    # the header as the sheet holds it: control characters cannot be stored, and the importer strips spaces
    names = [clean_text(eng.parties[p].name).strip() for p in parties]
    # Headers locate columns on import, so a name another header also uses gets the party id added.
    reserved = (HEADER_ID, HEADER_ACTIVITY, HEADER_SLA, HEADER_NOTES, HEADER_CHECK)
    dup = {n for n in names if names.count(n) > 1 or n in reserved or n.startswith(AFTER_PREFIX)}
    labels = [f"{n} ({p})" if n in dup else n for n, p in zip(names, parties)]
    label = dict(zip(parties, labels))
    headers = [HEADER_ID, HEADER_ACTIVITY, *labels, *(AFTER_PREFIX + label[p] for p in after_parties),
               HEADER_SLA, HEADER_NOTES, HEADER_CHECK]
    return Layout(parties, after_parties, headers)


def domain_groups(matrix: Matrix, in_scope: list[str]) -> list[tuple[Domain, list[str]]]:
    """The in-scope activities grouped by domain, in catalog order; domains with none are left out."""
    acts = matrix.catalog.activities
    by_domain: dict[str, list[str]] = {}
    for aid in in_scope:
        by_domain.setdefault(acts[aid].domain, []).append(aid)
    return [(dom, by_domain[dom.id]) for dom in matrix.catalog.domains if dom.id in by_domain]


def exclusion_rows(matrix: Matrix) -> list[tuple[str, str, str, str]]:
    """(pattern, activity id, activity name, domain name) for every activity each exclusion takes out."""
    cat = matrix.catalog
    return [(pattern, aid, cat.activities[aid].name, cat.domain_names.get(cat.activities[aid].domain, ""))
            for pattern in matrix.engagement.exclusions for aid in match_ids(pattern, cat.index)]


def effective_text(matrix: Matrix, default: str) -> str:
    effective = matrix.engagement.effective
    return effective.isoformat() if isinstance(effective, _dt.date) else default


def arrangement(matrix: Matrix) -> str:
    presets = matrix.catalog.presets
    return " + ".join(presets[p].name for p in matrix.engagement.presets) or "No preset (assignments only)"


def profile_text(matrix: Matrix) -> str:
    p = matrix.engagement.profile
    parts = []
    if p.employees is not None:
        parts.append(f"{p.employees} employees")
    if p.it_staff is not None:
        parts.append(f"{p.it_staff} internal IT staff")
    if p.compliance:
        fws = matrix.catalog.frameworks
        parts.append("compliance: " + ", ".join(fws.get(f, f) for f in p.compliance))
    return "; ".join(parts) or "not given"


def clean_text(text: str) -> str:
    """Drop the control characters a worksheet cannot hold (tab, newline and carriage return stay)."""
    return _ILLEGAL.sub("", text)


def escape_header_footer(text: str) -> str:
    """A literal '&' in an Excel header or footer must be written '&&', or '&T' prints the time."""
    return clean_text(text).replace("&", "&&")


# --------------------------------------------------------------------------- writer


class _Styles:
    """Prototype cells whose style arrays are shared by every cell of that look (fast in write-only mode)."""

    def __init__(self, ws_factory):
        from openpyxl.cell import WriteOnlyCell

        self._cell = WriteOnlyCell
        self._ws = ws_factory
        self._protos: dict[str, object] = {}

    def define(self, name: str, **attrs) -> None:
        """A named look, and its twin with a quote prefix for text that would otherwise read as a formula."""
        for key, quoted in ((name, False), (name + "+q", True)):
            proto = self._cell(self._ws)
            for attr, value in attrs.items():
                setattr(proto, attr, value)
            proto.quotePrefix = quoted
            self._protos[key] = proto

    def cell(self, ws, value, style: str | None = None):
        """A cell for ``value``; user text that looks like a formula is stored as text with a quote prefix."""
        risky = False
        if isinstance(value, str):
            value = clean_text(value)
            risky = value.startswith(RISKY_START)
        if style is None and not risky:
            return value
        c = self._cell(ws, value)
        if risky:
            c.data_type = "s"  # never a formula, whatever the text starts with
            style = (style or "plain") + "+q"
        c._style = self._protos[style]._style
        return c

    def formula(self, ws, text: str, style: str):
        """A live formula cell: only raci's own formulas come here, never user text."""
        c = self._cell(ws, text)
        c._style = self._protos[style]._style
        return c


def _define_styles(ws0) -> _Styles:
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.styles import Font as _Font

    def Font(**kw):  # every font names Calibri, or viewers fall back to a serif face
        kw.setdefault("name", "Calibri")
        kw.setdefault("size", 11)
        return _Font(**kw)

    thin = Side(style="thin", color=GRID)
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    st = _Styles(ws0)
    st.define("plain")
    st.define("wrap", alignment=Alignment(wrap_text=True, vertical="top"))
    st.define("title", font=Font(size=18, bold=True, color=NAVY))
    st.define("subtitle", font=Font(size=12, italic=True, color="595959"))
    st.define("section", font=Font(size=12, bold=True, color=NAVY))
    st.define("label", font=Font(bold=True), alignment=Alignment(vertical="top"))
    st.define("value", alignment=Alignment(wrap_text=True, vertical="top"))
    st.define("mono", font=Font(name="Consolas", size=9), alignment=Alignment(wrap_text=True, vertical="top"))
    st.define("header", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor=NAVY),
              alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"), border=box)
    st.define("header-left", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor=NAVY),
              alignment=Alignment(wrap_text=True, vertical="center"), border=box)
    st.define("band", font=Font(bold=True, color=NAVY), fill=PatternFill("solid", fgColor=BAND),
              border=Border(top=thin, bottom=thin))
    # Data cells carry no borders: printed gridlines draw the grid, and blank cells need not be written at all
    # (10,000-activity matrices stay fast to write).
    st.define("m-id", font=Font(color="595959", size=10), alignment=Alignment(vertical="top"))
    st.define("m-cell", alignment=Alignment(wrap_text=True, vertical="top"))
    st.define("m-role", alignment=Alignment(horizontal="center", vertical="top"))
    st.define("check", alignment=Alignment(horizontal="center", vertical="top"), font=Font(bold=True))
    # the small sheets draw their own cell borders, so only their tables are boxed in print
    st.define("id", font=Font(color="595959", size=10), alignment=Alignment(vertical="top"), border=box)
    st.define("cell", alignment=Alignment(wrap_text=True, vertical="top"), border=box)
    st.define("role", alignment=Alignment(horizontal="center", vertical="top"), border=box)
    st.define("signature", border=box, alignment=Alignment(vertical="center", wrap_text=True))
    st.define("note", font=Font(italic=True, color="595959"), alignment=Alignment(wrap_text=False))
    for letter, (fill, font) in LETTER_COLOURS.items():
        st.define(f"letter-{letter}", fill=PatternFill("solid", fgColor=fill), font=Font(bold=True, color=font),
                  alignment=Alignment(horizontal="center", vertical="top"), border=box)
    for sev, (fill, font) in SEVERITY_COLOURS.items():
        st.define(f"sev-{sev}", fill=PatternFill("solid", fgColor=fill), font=Font(bold=True, color=font), border=box,
                  alignment=Alignment(vertical="top"))
    return st


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _widths(ws, widths: list[float]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[_col(i)].width = round(w, 1)


def _fit(texts, lo: float, hi: float) -> float:
    """A column width that fits the longest line of ``texts``, within [lo, hi]."""
    longest = 0
    for t in texts:
        if t:
            longest = max(longest, max(len(line) for line in str(t).split("\n")))
    return max(lo, min(hi, longest + 2))


def _lines(text, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (an estimate, on the safe side)."""
    if not text:
        return 1
    per = max(1, int(width) - 2)
    return sum(max(1, -(-len(line) // per)) for line in str(text).split("\n"))


def _word_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in a column ``width`` characters wide."""
    per = max(1, int(width) - 1)
    lines, current = 1, 0
    for word in str(text).split():
        need = len(word) if current == 0 else current + 1 + len(word)
        if need <= per:
            current = need
        else:
            if current:
                lines += 1
            lines += (len(word) - 1) // per  # a word longer than the column breaks too
            current = (len(word) - 1) % per + 1
    return lines


def _height(ws, row: int, *cells: tuple[object, float]) -> None:
    """Give a row the height its wrapped text needs; viewers do not grow rows written without one."""
    n = max((_lines(t, w) for t, w in cells), default=1)
    if n > 1:
        ws.row_dimensions[row].height = 15 * n + 2


def _print_setup(ws, *, landscape: bool, gridlines: bool, header: str, footer_left: str, footer_right: str, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.85
    ws.page_margins.header = ws.page_margins.footer = 0.35
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = gridlines
    if title_rows:
        ws.print_title_rows = title_rows
    # each header/footer string is limited to 255 characters, after escaping
    ws.oddHeader.left.text = escape_header_footer(header[:100])
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.left.text = escape_header_footer(footer_left[:100])
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.right.text = escape_header_footer(footer_right[:60])


def write_workbook(matrix: Matrix, findings: list[Finding], path: str | Path, *, command: str) -> None:
    """Write the appendix workbook to ``path`` (the caller makes the write atomic)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    eng = matrix.engagement
    # document properties are XML too: a control character there would make the whole file unreadable
    wb.properties.title = clean_text(f"Responsibility matrix: {eng.client}")[:255]
    wb.properties.creator = f"raci {__version__}"
    wb.properties.subject = "Statement of work appendix"
    wb.properties.version = clean_text(str(eng.version))[:255]
    sheets = {name: wb.create_sheet(name) for name in SHEETS}
    meta = wb.create_sheet(META_SHEET)
    st = _define_styles(sheets["Cover"])
    layout = layout_for(matrix)
    footer_left = eng.client
    footer_right = f"Version {eng.version}"
    header = f"Responsibility matrix: {eng.client}"
    counts = summarize(findings)
    in_scope = matrix.in_scope()

    for name, ws in sheets.items():
        # sheetPr (fit to page) is written with the first row in write-only mode: set it up before any row
        _print_setup(ws, landscape=name in (MATRIX_SHEET, "Findings"), gridlines=name == MATRIX_SHEET,
                     header=header, footer_left=footer_left,
                     footer_right=footer_right, title_rows="1:1" if name not in ("Cover", "Sign-off") else None)
    _write_cover(sheets["Cover"], st, matrix, counts, command)
    last_row = _write_matrix(sheets[MATRIX_SHEET], st, matrix, layout, in_scope)
    _write_legend(sheets["Legend"], st)
    _write_summary(sheets["Summary"], st, matrix, layout, last_row)
    _write_findings(sheets["Findings"], st, matrix, findings)
    _write_slas(sheets["SLAs"], st, matrix)
    _write_exclusions(sheets["Exclusions"], st, matrix)
    _write_signoff(sheets["Sign-off"], st, matrix)
    _write_meta(meta, st, matrix)
    wb.save(str(path))


def summary_text(counts: dict[str, int]) -> str:
    """'1 error, 2 warnings, 1 note': the counts as a client reads them."""
    words = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("note", "notes")}
    return ", ".join(f"{counts[k]} {words[k][0] if counts[k] == 1 else words[k][1]}" for k in ("error", "warning", "info"))


def _write_cover(ws, st: _Styles, matrix: Matrix, counts: dict[str, int], command: str) -> None:
    eng = matrix.engagement
    ws.sheet_view.showGridLines = False
    eff = effective_text(matrix, "not set")
    party_lines = [f"{p.name}: {p.kind}, {p.staff} staff, {p.hours}" for p in eng.parties.values()]
    rows: list[tuple[str, str, str]] = [
        ("Client", eng.client, "value"),
        ("Provider", eng.provider or "not set", "value"),
        ("Arrangement", arrangement(matrix), "value"),
        ("Presets", ", ".join(eng.presets) or "none", "value"),
        ("Version", str(eng.version), "value"),
        ("Effective date", eff, "value"),
        ("Client profile", profile_text(matrix), "value"),
        ("Parties", "\n".join(party_lines), "value"),
        ("Activities", f"{len(matrix.in_scope())} in scope, {len(matrix.excluded)} excluded", "value"),
        ("Checks at render time", f"{summary_text(counts)} (see the Findings sheet)", "value"),
        ("Generated by", f"raci {__version__}", "value"),
        ("Command", command, "mono"),
    ]
    wide = _fit([r[1] for r in rows], 60, 90)
    _widths(ws, [24, wide])
    ws.row_dimensions[1].height = 30
    ws.append([st.cell(ws, "Responsibility matrix (RACI)", "title")])
    ws.append([st.cell(ws, f"Appendix to the statement of work: {eng.client} and {eng.provider or 'provider'}", "subtitle")])
    ws.append([])
    r = 3
    for label, value, style in rows:
        r += 1
        _height(ws, r, (value, wide * (0.85 if style == "mono" else 1)))
        ws.append([st.cell(ws, label, "label"), st.cell(ws, value, style)])
    ws.append([])
    ws.append([st.cell(ws, "How to use this workbook", "section")])
    r += 2
    for line in (
        "Matrix: one row per activity, grouped by domain. Pick a letter from each cell's dropdown: R, A, C, I or A/R.",
        "The Check column turns red when a row breaks a rule: exactly one A, at least one R.",
        "After-hours columns show roles only where nights and weekends differ from business hours; blank means the same.",
        "SLA targets are written 'response / resolution', for example 30m / 8h. Notes are free text.",
        "Import the edited workbook back with: raci import <this file> -o <engagement>.raci.yaml",
    ):
        r += 1
        _height(ws, r, (line, wide))
        ws.append(["", st.cell(ws, line, "value")])


def _write_matrix(ws, st: _Styles, matrix: Matrix, layout: Layout, in_scope: list[str]) -> int:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    eng = matrix.engagement
    acts = matrix.catalog.activities
    notes = eng.notes
    sla = eng.sla
    n_cols = len(layout.headers)
    party_w = [max(7.0, min(16.0, max(len(w) for w in h.split()) + 2)) for h in layout.headers[2:layout.sla_col - 1]]
    act_w = _fit((acts[a].name for a in in_scope), 24, 55)
    notes_w = _fit((notes.get(a, "") for a in in_scope), 16, 45)
    widths = [_fit(in_scope, 10, 34), act_w, *party_w, 14.0, notes_w, 18.0]
    _widths(ws, widths)
    for i in range(layout.first_party, layout.sla_col + 1):
        # letters typed into never-written cells take the column's style: centred like the rest
        ws.column_dimensions[_col(i)].alignment = Alignment(horizontal="center", vertical="top")
    ws.freeze_panes = "C2"  # header row and the id/activity columns stay in view
    # tall enough for the longest wrapped header ("After hours: Cascade Managed IT" in a narrow column)
    header_lines = max(_word_lines(h, w) for h, w in zip(layout.headers, widths))
    ws.row_dimensions[1].height = max(30, 13 * header_lines + 6)
    ws.append([st.cell(ws, h, "header-left" if i < 2 else "header") for i, h in enumerate(layout.headers)])

    first_p, last_p = _col(layout.first_party), _col(layout.first_party + len(layout.parties) - 1)
    after = bool(layout.after_parties)
    first_a = _col(layout.after_col(layout.after_parties[0])) if after else ""
    last_a = _col(layout.after_col(layout.after_parties[-1])) if after else ""
    check_col = _col(layout.check_col)
    role_ranges: list[str] = []
    r = 1
    n_roles = len(layout.parties) + len(layout.after_parties)
    for dom, ids in domain_groups(matrix, in_scope):
        r += 1
        ws.append([st.cell(ws, dom.name, "band"), *(st.cell(ws, "", "band") for _ in range(n_cols - 1))])
        start = r + 1
        for aid in ids:
            r += 1
            row = matrix.rows[aid]
            shown = shown_after_hours(row)
            note = notes.get(aid, "")
            if note or len(acts[aid].name) > act_w - 2:
                _height(ws, r, (acts[aid].name, act_w), (note, notes_w))
            cells = [st.cell(ws, aid, "m-id"), st.cell(ws, acts[aid].name, "m-cell")]
            bus = row.business
            cells += [st.cell(ws, bus[p], "m-role") if p in bus else None for p in layout.parties]
            if after:
                cells += [st.cell(ws, shown[p], "m-role") if shown and p in shown else None for p in layout.after_parties]
            cells.append(st.cell(ws, sla_text(sla[aid]), "m-role") if aid in sla else None)
            cells.append(st.cell(ws, note, "m-cell") if note else None)
            f = (f'=IF(COUNTIF({first_p}{r}:{last_p}{r},"*A*")=0,"Needs one A",'
                 f'IF(COUNTIF({first_p}{r}:{last_p}{r},"*A*")>1,"More than one A",'
                 f'IF(COUNTIF({first_p}{r}:{last_p}{r},"*R*")=0,"Needs an R",')
            if after:
                f += (f'IF(AND(COUNTA({first_a}{r}:{last_a}{r})>0,COUNTIF({first_a}{r}:{last_a}{r},"*R*")=0),'
                      '"Needs an R after hours","OK"))))')
            else:
                f += '"OK")))'
            cells.append(st.formula(ws, f, "check"))
            ws.append(cells)
        role_ranges.append(f"{first_p}{start}:{_col(layout.first_party + n_roles - 1)}{r}")
    last = max(r, 2)

    dv = DataValidation(type="list", formula1='"' + ",".join(DROPDOWN) + '"', allow_blank=True,
                        showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                        errorTitle="Not a RACI letter", error="Pick R, A, C, I or A/R from the list, or leave the cell blank.",
                        promptTitle="Role", prompt="R does the work, A owns it (one per row), C is consulted, I is informed.")
    dv.showDropDown = False  # in the file format "showDropDown" hides the arrow: keep it off
    if role_ranges:
        dv.sqref = " ".join(role_ranges)
        ws.data_validations.append(dv)

    roles_ref = f"{first_p}2:{_col(layout.first_party + n_roles - 1)}{last}"
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
    ws.auto_filter.ref = f"A1:{_col(n_cols)}{last}"
    return last


def _write_legend(ws, st: _Styles) -> None:
    _widths(ws, [10, 70])
    ws.append([st.cell(ws, "Letter", "header"), st.cell(ws, "Meaning", "header-left")])
    for letter in ("R", "A", "C", "I", "A/R"):
        ws.append([st.cell(ws, letter, f"letter-{letter}"), st.cell(ws, MEANING[letter], "cell")])
    ws.append([])
    ws.append([st.cell(ws, "Rules", "section")])
    for line in (
        "Every activity in scope has exactly one A: one answerable owner.",
        "Every activity in scope has at least one R: someone does the work.",
        "A/R means the same party owns the outcome and does the work.",
        "Accountability does not change after hours; only who does the work may.",
        "Decisions the client cannot hand over (risk acceptance, budget, policy, data ownership,",
        "compliance attestation) stay accountable to the client whatever the arrangement.",
        "Blank cells mean no role. This matrix is not a commitment of resources beyond the statement of work.",
    ):
        ws.append(["", st.cell(ws, line, "value")])


def _write_summary(ws, st: _Styles, matrix: Matrix, layout: Layout, last: int) -> None:
    eng = matrix.engagement
    names = [eng.parties[p].name for p in layout.parties]
    _widths(ws, [_fit(names + ["Rows failing the live check"], 20, 40), 10, 8, 8, 8, 8, 8])
    ws.append([st.cell(ws, h, "header-left" if i == 0 else "header")
               for i, h in enumerate(["Party", "Kind", "Staff", "R", "A", "C", "I"])])
    for pid in layout.parties:
        col = _col(layout.party_col(pid))
        rng = f"{MATRIX_SHEET}!${col}$2:${col}${last}"
        party = eng.parties[pid]
        ws.append([st.cell(ws, party.name, "cell"), st.cell(ws, party.kind, "role"), st.cell(ws, party.staff, "role"),
                   *(st.formula(ws, f'=COUNTIF({rng},"{crit}")', "role") for crit in ("*R*", "*A*", "C", "I"))])
    ws.append([])
    chk = _col(layout.check_col)
    ref = f"{MATRIX_SHEET}!${chk}$2:${chk}${last}"
    ws.append([st.cell(ws, "Activities in scope", "label"), st.formula(ws, f'=COUNTIF({ref},"?*")', "role")])
    ws.append([st.cell(ws, "Rows failing the live check", "label"), st.formula(ws, f'=COUNTIFS({ref},"<>OK",{ref},"?*")', "role")])
    ws.append([])
    ws.append([st.cell(ws, "Counts are business-hours roles; R and A include A/R cells. They update as the Matrix is edited.",
                       "note")])


def _write_findings(ws, st: _Styles, matrix: Matrix, findings: list[Finding]) -> None:
    acts = matrix.catalog.activities
    parties = matrix.engagement.parties
    ordered = sort_findings(findings, matrix.catalog.order)
    _widths(ws, [10, 22, _fit((f.activity for f in ordered), 12, 34), _fit((acts[f.activity].name for f in ordered
            if f.activity in acts), 16, 40), 22, 14, 80])
    ws.append([st.cell(ws, h, "header-left") for h in
               ("Severity", "Rule", "Activity", "Activity name", "Parties", "Window", "Message")])
    for r, f in enumerate(ordered, start=2):
        name = acts[f.activity].name if f.activity in acts else ""
        _height(ws, r, (f.message, 80), (name, 40))
        who = ", ".join(parties[p].name if p in parties else p for p in f.parties)
        ws.append([st.cell(ws, f.severity, f"sev-{f.severity}"), st.cell(ws, f.rule, "cell"), st.cell(ws, f.activity or "", "cell"),
                   st.cell(ws, name, "cell"), st.cell(ws, who, "cell"), st.cell(ws, f.window or "", "cell"),
                   st.cell(ws, f.message, "cell")])
    if not ordered:
        ws.append([st.cell(ws, "No findings: the matrix passes every check.", "note")])
    ws.append([])
    ws.append([st.cell(ws, "Findings of 'raci check' when this workbook was made; re-run it after importing edits.", "note")])


def _write_slas(ws, st: _Styles, matrix: Matrix) -> None:
    acts = matrix.catalog.activities
    sla = matrix.engagement.sla
    _widths(ws, [_fit(sla, 12, 34), _fit((acts[a].name for a in sla), 20, 50), 16, 12, 12])
    ws.append([st.cell(ws, h, "header-left" if i < 2 else "header")
               for i, h in enumerate(("ID", "Activity", "Coverage", "Response", "Resolution"))])
    for aid, targets in sla.items():
        act = acts[aid]
        ws.append([st.cell(ws, aid, "id"), st.cell(ws, act.name, "cell"), st.cell(ws, act.coverage, "role"),
                   st.cell(ws, targets.get("response", ""), "role"), st.cell(ws, targets.get("resolution", ""), "role")])
    if not sla:
        ws.append([st.cell(ws, "No service-level targets are set in this engagement.", "note")])
    ws.append([])
    ws.append([st.cell(ws, "Durations: m minutes, h hours, d days, bd business days. Edit targets in the Matrix SLA column.",
                       "note")])


def _write_exclusions(ws, st: _Styles, matrix: Matrix) -> None:
    rows = exclusion_rows(matrix)
    _widths(ws, [_fit((r[0] for r in rows), 16, 34), _fit((r[1] for r in rows), 12, 34), _fit((r[2] for r in rows), 20, 50),
                 _fit((r[3] for r in rows), 14, 30)])
    ws.append([st.cell(ws, h, "header-left") for h in ("Excluded as", "ID", "Activity", "Domain")])
    for pattern, aid, name, dom in rows:
        ws.append([st.cell(ws, pattern, "cell"), st.cell(ws, aid, "id"), st.cell(ws, name, "cell"), st.cell(ws, dom, "cell")])
    if not rows:
        ws.append([st.cell(ws, "Nothing is excluded: every catalog activity is in scope.", "note")])
    ws.append([])
    ws.append([st.cell(ws, "Excluded activities are out of scope of this statement of work and are not in the Matrix.", "note")])


def _write_signoff(ws, st: _Styles, matrix: Matrix) -> None:
    eng = matrix.engagement
    ws.sheet_view.showGridLines = False
    _widths(ws, [_fit((p.name for p in eng.parties.values()), 20, 32), 22, 18, 24, 11])
    eff = effective_text(matrix, "the date of the last signature")
    ws.row_dimensions[1].height = 24
    ws.append([st.cell(ws, "Acceptance", "section")])
    ws.append([st.cell(ws, f"The parties accept the responsibilities in this matrix, version {eng.version}, effective {eff}.",
                       "plain")])
    ws.append([st.cell(ws, "Changes take effect only through a signed change order.", "plain")])
    ws.append([])
    ws.append([st.cell(ws, h, "header-left") for h in ("Party", "Name", "Title", "Signature", "Date")])
    for i, party in enumerate(eng.parties.values()):
        ws.row_dimensions[6 + i].height = 36
        ws.append([st.cell(ws, party.name, "signature"), *(st.cell(ws, "", "signature") for _ in range(4))])


def _write_meta(ws, st: _Styles, matrix: Matrix) -> None:
    """Machine-readable copy of the engagement, so an import gives back exactly the same engagement."""
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    text = dump_engagement(matrix.engagement, comments=False)
    ws.append([FORMAT, FORMAT_VERSION, __version__])
    ws.append(["catalog", st.cell(ws, str(matrix.catalog.path))])
    ws.append(["activities", len(matrix.in_scope())])
    for i in range(0, len(text), CHUNK):
        ws.append(["engagement", st.cell(ws, text[i:i + CHUNK])])
