"""What the workbook shows and where: the layout the writer lays out and the importer finds again."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from raci.catalog import Domain, Row, match_ids
from raci.engagement import Matrix, Party

# What the hidden _raci sheet holds; bump when its layout changes.
# 2: after-hours cells are read one by one (blank = as in business hours, "-" = no role), and the sheets'
#    written values are kept so that an import can name every edited cell.
FORMAT = "raci-workbook"
FORMAT_VERSION = 2
META_SHEET = "_raci"
MATRIX_SHEET = "Matrix"
SHEETS = ("Cover", MATRIX_SHEET, "Legend", "Summary", "Findings", "SLAs", "Exclusions", "Sign-off")
DROPDOWN = ("R", "A", "C", "I", "A/R")
NOBODY = "-"  # an after-hours cell: this party has no role after hours
AFTER_DROPDOWN = ("R", "C", "I", NOBODY)  # accountability does not change after hours
NOBODY_SPELLINGS = (NOBODY, "\u2013", "\u2014")  # Excel's autocorrect may turn a lone hyphen into a dash
CHUNK = 30_000  # an Excel cell holds at most 32,767 characters
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
# what XML 1.0 (and so a worksheet) cannot hold: C0 controls but tab, newline and return; U+FFFE and U+FFFF
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
HEADER_ID, HEADER_ACTIVITY = "ID", "Activity"
HEADER_SLA, HEADER_NOTES, HEADER_CHECK = "SLA (response / resolution)", "Notes", "Check"
AFTER_PREFIX = "After hours: "

# The one after-hours rule: the Legend, the Cover and the README state it in these words, and the importer applies it.
AFTER_HOURS_RULE = "After-hours columns: a blank cell means the same role as in business hours; - means no role after hours."
COVER_HOWTO = (
    "Matrix: one row per activity, grouped by domain. Pick a letter from each cell's dropdown: R, A, C, I or A/R.",
    "The Check column turns red when a row breaks a rule: exactly one A, at least one R.",
    AFTER_HOURS_RULE,
    "Accountability does not change after hours: the after-hours dropdowns offer R, C, I and - only.",
    "SLA targets are written 'response / resolution', for example 30m / 8h. Notes are free text.",
    "Import the edited workbook back with: raci import <this file> -o <engagement>.raci.yaml",
)
LEGEND_RULES = (
    "Every activity in scope has exactly one A: one answerable owner.",
    "Every activity in scope has at least one R: someone does the work.",
    "A/R means the same party owns the outcome and does the work.",
    "Accountability does not change after hours; only who does the work may.",
    AFTER_HOURS_RULE,
    "Decisions the client cannot hand over (risk acceptance, budget, policy, data ownership,",
    "compliance attestation) stay accountable to the client whatever the arrangement.",
    "A blank business-hours cell means no role. This matrix is not a commitment of resources beyond the statement of work.",
)
NO_SLA_NOTE = "No service-level targets are set in this engagement."
SLA_NOTE = ("Durations: m minutes, h hours, d days, bd business days. Edit targets here or in the Matrix SLA column "
            "(where the two disagree, the Matrix is read).")
NO_EXCLUSIONS_NOTE = "Nothing is excluded: every catalog activity is in scope."
EXCLUSIONS_NOTE = ("Excluded activities are out of scope of this statement of work and are not in the Matrix. "
                   "Add a row (an activity id or name) to exclude one; delete its row to bring it back in scope.")
# the notes under those tables, as workbooks of format 1 wrote them: an import skips them too
OLD_NOTES = ("Durations: m minutes, h hours, d days, bd business days. Edit targets in the Matrix SLA column.",
             "Excluded activities are out of scope of this statement of work and are not in the Matrix.")
SLA_HEADERS = ("ID", "Activity", "Coverage", "Response", "Resolution")
EXCLUSION_HEADERS = ("Excluded as", "ID", "Activity", "Domain")
SIGNOFF_FIRST_PARTY_ROW = 6  # title, two lines of text, a blank row and the header come first

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


def shown_after_hours(row: Row) -> dict[str, str] | None:
    """The after-hours roles where they differ from business hours (an empty dict: nobody after hours)."""
    if row.after_hours is None or row.after_hours == row.business:
        return None
    return row.after_hours


def after_cell(row: Row, pid: str) -> str | None:
    """What a party's after-hours cell shows: blank where its role is as in business hours, '-' for no role."""
    shown = shown_after_hours(row)
    if shown is None:
        return None
    after, business = shown.get(pid), row.business.get(pid)
    if after == business:
        return None
    return NOBODY if after is None else after


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
    labels: dict[str, str]  # party id -> its business-hours header

    first_party = 3  # after ID and Activity

    def party_col(self, pid: str) -> int:
        return self.first_party + self.parties.index(pid)

    def after_col(self, pid: str) -> int:
        return self.first_party + len(self.parties) + self.after_parties.index(pid)

    def after_header(self, pid: str) -> str:
        return AFTER_PREFIX + self.labels[pid]

    @property
    def sla_col(self) -> int:
        return self.first_party + len(self.parties) + len(self.after_parties)

    @property
    def notes_col(self) -> int:
        return self.sla_col + 1

    @property
    def check_col(self) -> int:
        return self.sla_col + 2


def header_name(name: str) -> str:
    """A party name as a header cell holds it: control characters cannot be stored, and the importer strips spaces."""
    return clean_text(name).strip()


def layout_for(matrix: Matrix, *, legacy: bool = False) -> Layout:
    """The Matrix sheet's columns; the importer finds them again by these header texts.

    ``legacy``: the columns of format 1, which had one for every party named in a differing after-hours row.
    """
    eng = matrix.engagement
    parties = list(eng.parties)
    after_used: set[str] = set()
    for aid in matrix.in_scope():
        row = matrix.rows[aid]
        shown = shown_after_hours(row)
        if shown is not None and legacy:
            after_used.update(shown)
        elif shown is not None:
            after_used.update(p for p in (*shown, *row.business) if shown.get(p) != row.business.get(p))
    after_parties = [p for p in parties if p in after_used]
    # a name with nothing printable left (blank, or only spaces) is headed by its party id
    names = [header_name(eng.parties[p].name) or p for p in parties]
    # Headers locate columns on import, so a name another header also uses gets the party id added.
    reserved = (HEADER_ID, HEADER_ACTIVITY, HEADER_SLA, HEADER_NOTES, HEADER_CHECK)
    dup = {n for n in names if names.count(n) > 1 or n in reserved or n.startswith(AFTER_PREFIX)}
    labels = [f"{n} ({p})" if n in dup else n for n, p in zip(names, parties)]
    label = dict(zip(parties, labels))
    headers = [HEADER_ID, HEADER_ACTIVITY, *labels, *(AFTER_PREFIX + label[p] for p in after_parties),
               HEADER_SLA, HEADER_NOTES, HEADER_CHECK]
    return Layout(parties, after_parties, headers, label)


def domain_groups(matrix: Matrix, in_scope: list[str]) -> list[tuple[Domain, list[str]]]:
    """The in-scope activities grouped by domain, in catalog order; domains with none are left out."""
    acts = matrix.catalog.activities
    by_domain: dict[str, list[str]] = {}
    for aid in in_scope:
        by_domain.setdefault(acts[aid].domain, []).append(aid)
    return [(dom, by_domain[dom.id]) for dom in matrix.catalog.domains if dom.id in by_domain]


def exclusion_rows(matrix: Matrix) -> list[tuple[str, str, str, str]]:
    """(pattern, activity id, activity name, domain name) for every excluded activity, once, under the first
    exclusion that takes it out: 20,000 exclusions of ``*`` list each activity once, not 20,000 times."""
    cat = matrix.catalog
    rows: dict[str, tuple[str, str, str, str]] = {}
    for pattern in dict.fromkeys(matrix.engagement.exclusions):
        for aid in match_ids(pattern, cat.index):
            if aid not in rows:
                act = cat.activities[aid]
                rows[aid] = (pattern, aid, act.name, cat.domain_names.get(act.domain, ""))
    return list(rows.values())


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


def party_line(party: Party) -> str:
    """One line of the Cover's Parties cell; the importer reads name, kind, staff and hours back from it."""
    return f"{party.name}: {party.kind}, {party.staff} staff, {party.hours}"


PARTY_LINE = re.compile(r"^(?P<name>.*\S):\s+(?P<kind>[\w-]+),\s*(?P<staff>\d+)\s+staff,\s*(?P<hours>[\w-]+)$")


def summary_text(counts: dict[str, int]) -> str:
    """'1 error, 2 warnings, 1 note': the counts as a client reads them."""
    words = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("note", "notes")}
    return ", ".join(f"{counts[k]} {words[k][0] if counts[k] == 1 else words[k][1]}" for k in ("error", "warning", "info"))


def clean_text(text: str) -> str:
    """Drop the control characters a worksheet cannot hold (tab, newline and carriage return stay)."""
    return _ILLEGAL.sub("", text)


def escape_header_footer(text: str) -> str:
    """A literal '&' in an Excel header or footer must be written '&&', or '&T' prints the time."""
    return clean_text(text).replace("&", "&&")
