"""What the workbook shows and where: the layout the writer lays out and the importer finds again."""

from __future__ import annotations

import re
from dataclasses import dataclass

from raci.appendix.build import arrangement, profile_text, windows_text
from raci.appendix.build import domain_groups as domain_groups
from raci.appendix.build import effective_text as appendix_effective
from raci.appendix.build import exclusion_rows as exclusion_rows  # the Exclusions sheet lists the same rows
from raci.appendix.build import shown_after_hours as shown_after_hours  # the workshop readers and writers use these too
from raci.appendix.build import sla_text as sla_text
from raci.appendix.build import summary_text as summary_text
from raci.appendix.model import AFTER_HOURS_RULE, COMMERCIAL_MEANING, NOBODY
from raci.appendix.model import LETTER_COLOURS as LETTER_COLOURS  # the writers take the colours from here too
from raci.appendix.model import SEVERITY_COLOURS as SEVERITY_COLOURS
from raci.catalog import Row
from raci.engagement import Matrix, Party

# What the hidden _raci sheet holds; bump when its layout changes.
# 2: after-hours cells are read one by one (blank = as in business hours, "-" = no role), and the sheets'
#    written values are kept so that an import can name every edited cell.
# 3: the Matrix starts with the activity and ends with the ID and Check columns (outside the print area);
#    after-hours columns are headed "AH: <party>"; the _raci sheet names the catalog ("bundled" or its folder's name,
#    never a path) and the audience (a "client" workbook has no Check column).
FORMAT = "raci-workbook"
FORMAT_VERSION = 3
META_SHEET = "_raci"
MATRIX_SHEET = "Matrix"
SHEETS = ("Cover", MATRIX_SHEET, "Legend", "Summary", "Findings", "SLAs", "Exclusions", "Commercial", "Sign-off")
SHEET_SINCE = {"Commercial": 3}  # a workbook of an older format never had these: their absence is no deletion
AUDIENCES = ("internal", "client")
DROPDOWN = ("R", "A", "C", "I", "A/R")
AFTER_DROPDOWN = ("R", "C", "I", NOBODY)  # accountability does not change after hours
NOBODY_SPELLINGS = (NOBODY, "\u2013", "\u2014")  # Excel's autocorrect may turn a lone hyphen into a dash
CHUNK = 30_000  # an Excel cell holds at most 32,767 characters
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
# what XML 1.0 (and so a worksheet) cannot hold: C0 controls but tab, newline and return; U+FFFE and U+FFFF
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
HEADER_ID, HEADER_ACTIVITY = "ID", "Activity"
HEADER_SLA, HEADER_NOTES, HEADER_CHECK = "SLA (response / resolution)", "Notes", "Check"
AFTER_PREFIX = "AH: "  # an after-hours column is headed "AH: " and the party's header
OLD_AFTER_PREFIX = "After hours: "  # the same, in workbooks of formats 1 and 2
AFTER_MEANING = "AH = after hours: a blank AH cell means the same role as in business hours; - means no role after hours."

COVER_HOWTO = (
    "Matrix: one row per activity, grouped by domain. Pick a letter from each cell's dropdown: R, A, C, I or A/R.",
    "The Check column (beside the ID column, outside the printed page) turns red when a row breaks a rule 'raci check' "
    "applies to a row: exactly one A across both windows, the client accountable for decisions it cannot hand over, "
    "an R, a round-the-clock R after hours for 24x7 activities, and a note where two parties share the R.",
    "After-hours (AH) columns are headed AH: and the party's name; they appear for parties whose role changes after hours.",
    AFTER_HOURS_RULE,
    "Accountability does not change after hours: the after-hours dropdowns offer R, C, I and - only.",
    "SLA targets are written 'response / resolution', for example 30m / 8h. Notes are free text.",
    "Import the edited workbook back with: raci import <this file> -o <engagement>.raci.yaml",
)
# what a client's copy leaves out of the Cover's how-to: the tool's own column and command
INTERNAL_HOWTO = (COVER_HOWTO[1], COVER_HOWTO[-1])
LEGEND_RULES = (
    "Every activity in scope has exactly one A: one answerable owner.",
    "Every activity in scope has at least one R: someone does the work.",
    "A/R means the same party owns the outcome and does the work.",
    "Accountability does not change after hours; only who does the work may.",
    "AH columns (AH: and a party's name) hold that party's role after hours.",
    AFTER_HOURS_RULE,
    "Decisions the client cannot hand over (risk acceptance, budget, policy, data ownership, compliance attestation) "
    "stay accountable to the client whatever the arrangement.",
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
SIGNOFF_FIRST_PARTY_ROW = 6  # formats 1 and 2: a row per party from here (title, two lines, a blank row, the header)
SIGNED_FOR = "Signed for"  # format 3: the header of the signature block, whose rows are SIGN_FIELDS
SIGN_FIELDS = ("Signature", "Name", "Title", "Date")

NAVY, BAND, GRID = "1F3864", "D9E1F2", "B4B4B4"



def after_cell(row: Row, pid: str) -> str | None:
    """What a party's after-hours cell shows: blank where its role is as in business hours, '-' for no role."""
    shown = shown_after_hours(row)
    if shown is None:
        return None
    after, business = shown.get(pid), row.business.get(pid)
    if after == business:
        return None
    return NOBODY if after is None else after



@dataclass
class Layout:
    """Which column holds what on the Matrix sheet (1-based column numbers), found by header text."""

    parties: list[str]
    after_parties: list[str]
    headers: list[str]
    labels: dict[str, str]  # party id -> its business-hours header
    prefix: str = AFTER_PREFIX  # of the after-hours headers

    def __post_init__(self) -> None:
        self.cols = {h: c for c, h in enumerate(self.headers, start=1)}

    def party_col(self, pid: str) -> int:
        return self.cols[self.labels[pid]]

    def after_col(self, pid: str) -> int:
        return self.cols[self.after_header(pid)]

    def after_header(self, pid: str) -> str:
        return self.prefix + self.labels[pid]

    @property
    def first_party(self) -> int:
        return self.party_col(self.parties[0])

    @property
    def activity_col(self) -> int:
        return self.cols[HEADER_ACTIVITY]

    @property
    def id_col(self) -> int:
        return self.cols[HEADER_ID]

    @property
    def sla_col(self) -> int:
        return self.cols[HEADER_SLA]

    @property
    def notes_col(self) -> int:
        return self.cols[HEADER_NOTES]

    @property
    def check_col(self) -> int | None:
        """None in a client's workbook, which has no Check column."""
        return self.cols.get(HEADER_CHECK)


def header_name(name: str) -> str:
    """A party name as a header cell holds it: control characters cannot be stored, and the importer strips spaces."""
    return clean_text(name).strip()


def layout_for(matrix: Matrix, *, fmt: int = FORMAT_VERSION, check: bool = True) -> Layout:
    """The Matrix sheet's columns in workbook format ``fmt``; the importer finds them again by these header texts.

    Format 3: Activity, the parties, their after-hours (AH) columns, SLA, Notes, then ID and Check, which print
    nowhere. Formats 1 and 2: ID, Activity, the parties, "After hours: " columns, SLA, Notes, Check; format 1 had an
    after-hours column for every party named in a differing after-hours row. ``check``: a client's workbook has none.
    """
    eng = matrix.engagement
    parties = list(eng.parties)
    after_used: set[str] = set()
    for aid in matrix.in_scope():
        row = matrix.rows[aid]
        shown = shown_after_hours(row)
        if shown is not None and fmt < 2:
            after_used.update(shown)
        elif shown is not None:
            after_used.update(p for p in (*shown, *row.business) if shown.get(p) != row.business.get(p))
    after_parties = [p for p in parties if p in after_used]
    # a name with nothing printable left (blank, or only spaces) is headed by its party id
    names = [header_name(eng.parties[p].name) or p for p in parties]
    # Headers locate columns on import, so a name another header also uses gets the party id added.
    prefix = AFTER_PREFIX if fmt >= 3 else OLD_AFTER_PREFIX
    prefixes = (AFTER_PREFIX, OLD_AFTER_PREFIX) if fmt >= 3 else (OLD_AFTER_PREFIX,)
    reserved = (HEADER_ID, HEADER_ACTIVITY, HEADER_SLA, HEADER_NOTES, HEADER_CHECK)
    dup = {n for n in names if names.count(n) > 1 or n in reserved or n.startswith(prefixes)}
    labels = [f"{n} ({p})" if n in dup else n for n, p in zip(names, parties)]
    label = dict(zip(parties, labels))
    roles = [*labels, *(prefix + label[p] for p in after_parties)]
    if fmt >= 3:
        headers = [HEADER_ACTIVITY, *roles, HEADER_SLA, HEADER_NOTES, HEADER_ID, *([HEADER_CHECK] if check else [])]
    else:
        headers = [HEADER_ID, HEADER_ACTIVITY, *roles, HEADER_SLA, HEADER_NOTES, HEADER_CHECK]
    return Layout(parties, after_parties, headers, label, prefix)



def effective_text(matrix: Matrix, default: str) -> str:
    return appendix_effective(matrix.engagement.effective, default)


def party_line(party: Party) -> str:
    """One line of the Cover's Parties cell; the importer reads name, kind, staff and hours back from it."""
    return f"{party.name}: {party.kind}, {party.staff} staff, {party.hours}"


PARTY_LINE = re.compile(r"^(?P<name>.*\S):\s+(?P<kind>[\w-]+),\s*(?P<staff>\d+)\s+staff,\s*(?P<hours>[\w-]+)$")



def cover_rows(matrix: Matrix, counts: dict[str, int], command: str, audience: str) -> list[tuple[str, str, str]]:
    """(label, value, style) of the Cover's table. A client's copy leaves out the tool's internals: preset ids,
    info-level findings and the command line."""
    from raci import __version__

    eng = matrix.engagement
    client = audience == "client"
    checks = summary_text({k: counts[k] for k in (("error", "warning") if client else ("error", "warning", "info"))})
    rows = [
        ("Client", eng.client, "value"),
        ("Provider", eng.provider or "not set", "value"),
        ("Arrangement", arrangement(matrix), "value"),
        ("Presets", ", ".join(eng.presets) or "none", "value"),
        ("Version", str(eng.version), "value"),
        ("Effective date", effective_text(matrix, "not set"), "value"),
        ("Client profile", profile_text(matrix), "value"),
        ("Parties", "\n".join(party_line(p) for p in eng.parties.values()), "value"),
        ("Activities", f"{len(matrix.in_scope())} in scope, {len(matrix.excluded)} excluded", "value"),
        ("Checks at render time", f"{checks} (see the Findings sheet)", "value"),
        ("Generated by", f"raci {__version__}", "value"),
        ("Command", command, "mono"),
    ]
    return [r for r in rows if not (client and r[0] in ("Presets", "Command"))]


def catalog_name(matrix: Matrix) -> str:
    """How the _raci sheet names the catalog: "bundled", or its folder's name (never a path of this machine)."""
    from pathlib import Path

    from raci.resources import catalog_dir

    path = Path(matrix.catalog.path)
    try:
        if path.resolve() == catalog_dir().resolve():
            return "bundled"
    except (OSError, FileNotFoundError):
        pass
    return clean_text(path.name)


def clean_text(text: str) -> str:
    """Drop the control characters a worksheet cannot hold (tab, newline and carriage return stay)."""
    return _ILLEGAL.sub("", text)


def escape_header_footer(text: str) -> str:
    """A literal '&' in an Excel header or footer must be written '&&', or '&T' prints the time."""
    return clean_text(text).replace("&", "&&")


def signoff_rows(signoff) -> list[tuple[str, tuple[str, ...]]]:
    """The Sign-off sheet, row by row: (kind, cells). The writer lays these out and the limits and the importer
    find their cells again. ``signoff`` is raci.appendix's SignOff, which every format words the same."""
    rows: list[tuple[str, tuple[str, ...]]] = [("title", (signoff.title,))]
    if signoff.draft:
        rows.append(("draft", (signoff.draft_notice,)))
    rows += [("text", (signoff.statement,)), ("text", (signoff.change_order,))]
    if signoff.open_errors:
        rows += [("blank", ()), ("label", (signoff.open_errors_text,)), ("header", ("Rule", "Activity", "Finding"))]
        rows += [("error", (f.rule, f.name or "-", f.message)) for f in signoff.open_errors]
    rows += [("blank", ()), ("text", (signoff.authority,)), ("blank", ())]
    rows.append(("header", (SIGNED_FOR, *(f"{s.side}: {s.entity or '(name not set)'}" for s in signoff.signatories))))
    rows += [("sign", (label,)) for label in SIGN_FIELDS]
    return rows


COMMERCIAL_HEADERS = ("Activity", "Status", "Meaning")


def commercial_rows(matrix: Matrix, internal: bool) -> list[tuple[str, ...]]:
    """The Commercial sheet: the provider's work outside the recurring fee, in matrix order, with what its status means
    to the client; for the provider's team also every activity whose two windows two presets set, with which set
    which. The ID last."""
    acts = matrix.catalog.activities
    out = []
    for aid in matrix.in_scope():
        status = matrix.commercial.get(aid)
        mixed = internal and len(set(matrix.window_origin.get(aid, {}).values())) > 1
        if status is not None and (status != "included" or mixed):
            out.append((acts[aid].name, status, COMMERCIAL_MEANING.get(status, status),
                        *((windows_text(matrix, aid),) if internal else ()), aid))
    return out
