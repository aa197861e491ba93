"""What the signable appendix says, and in which order: plain values every writer (workbook, Word, Markdown) lays out.

Nothing here knows a file format. The builder (``raci.appendix.build``) decides what an audience may read, so a
writer cannot show a client what the view-model does not hold: a client appendix has no preset ids, no Check
texts, no info-level findings, no command line and no internal notes in it at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AUDIENCES = ("client", "internal")
CLIENT, INTERNAL = AUDIENCES

# The sections of the appendix, in the order every writer shows them. The internal-notes section is in an internal
# appendix only.
SECTIONS = ("title", "parties", "legend", "matrix", "after_hours", "sla", "exclusions", "commercial", "findings",
            "internal_notes", "versions", "signoff")
CLIENT_SECTIONS = tuple(s for s in SECTIONS if s != "internal_notes")

DOCUMENT_TITLE = "Responsibility matrix"
DRAFT_MARK = "DRAFT"
SIGNATURE_LINE = "_" * 30  # where a signatory writes by hand: a line in every format

# Sides of the appendix, from a party's kind: the Word matrix groups its party columns under these.
SIDES = {"client": "Client", "msp": "Provider", "vendor": "Third party"}
SIDE_ORDER = ("Client", "Provider", "Third party")
HOURS_WORDS = {"business-hours": "Business hours", "24x7": "24x7"}

LETTERS = ("R", "A", "C", "I", "A/R")
NOBODY = "-"  # an after-hours cell: this party has no role after hours
# Fill and font colour per letter (RGB hex): the workbook's conditional formats and the legend of every format.
LETTER_COLOURS = {
    "A/R": ("FFD966", "7F6000"),
    "A": ("F8CBAD", "843C0C"),
    "R": ("C6E0B4", "375623"),
    "C": ("BDD7EE", "1F4E78"),
    "I": ("E7E6E6", "3A3838"),
}
SEVERITY_COLOURS = {"error": ("FFC7CE", "9C0006"), "warning": ("FFEB9C", "7F6000"), "info": ("DDEBF7", "1F4E78")}

# The one after-hours rule: every format that shows after-hours columns states it in these words, and the
# importer applies it (raci.excel_layout holds the same text until the workbook is built from this view-model).
AFTER_HOURS_RULE = "After-hours columns: a blank cell means the same role as in business hours; - means no role after hours."
LEGEND_RULES = (
    "Every activity in scope has exactly one A: one answerable owner.",
    "Every activity in scope has at least one R: someone does the work.",
    "A/R means the same party owns the outcome and does the work.",
    "Accountability does not change after hours; only who does the work may.",
    "Decisions the client cannot hand over (risk acceptance, budget, policy, data ownership, compliance attestation) "
    "stay accountable to the client whatever the arrangement.",
    "A blank business-hours cell means no role. This matrix is not a commitment of resources beyond the statement of work.",
)
APPENDIX_STATEMENT = ("This appendix forms part of the statement of work; where the two conflict, the body of the "
                      "statement of work prevails.")
NO_SLA_NOTE = "No service-level targets are set in this engagement."
SLA_NOTE = "Durations: m minutes, h hours, d days, bd business days."
NO_EXCLUSIONS_NOTE = "Nothing is excluded: every catalog activity is in scope."
EXCLUSIONS_NOTE = "Out of scope of this statement of work:"
CHANGE_ORDER = "Changes take effect only through a signed change order."
AUTHORITY = ("Each person signing below confirms that they have the authority to sign this appendix on behalf of "
             "the entity they sign for.")


@dataclass(frozen=True)
class PresetRef:
    id: str
    name: str


@dataclass(frozen=True)
class Meta:
    """The document's details, for its title block, header and footer."""

    title: str  # "Responsibility matrix: Riverside Family Clinic"
    heading: str  # the title as shown: marked DRAFT while errors are open
    client: str
    provider: str  # "" when the engagement does not name one
    version: str
    effective: str  # ISO date, "" when not set
    arrangement: str  # the presets' human names: what a client reads
    presets: tuple[PresetRef, ...]  # the preset ids behind it: internal appendix only (empty for a client)
    profile: str
    in_scope: int
    excluded: int
    draft: bool
    for_party: str = ""  # an extract for one party (raci render --for): its name; "" for the whole appendix
    shown: int = 0  # in an extract, the activities shown: those in which the party has a role


@dataclass(frozen=True)
class PartyView:
    id: str
    name: str
    label: str  # its column header: the name, with the id added where two names (or a reserved word) clash
    kind: str  # client, msp or vendor
    side: str  # Client, Provider or Third party
    staff: int
    hours: str  # business-hours or 24x7
    hours_text: str  # Business hours or 24x7
    counts: dict[str, int]  # business-hours R, A, C and I in scope (R and A include A/R), as the Summary sheet counts


@dataclass(frozen=True)
class PartyGroup:
    side: str
    parties: tuple[PartyView, ...]


@dataclass(frozen=True)
class MatrixRow:
    id: str
    name: str
    roles: tuple[str, ...]  # business hours, one per party in ``Appendix.parties`` order ("" no role)
    # After hours, where the row differs then (None: the same at all hours); one per party, as a cell shows it:
    # "" the same role as in business hours, "-" no role after hours, else the letter.
    after_hours: tuple[str, ...] | None
    after_roles: tuple[str, ...] | None  # the whole after-hours row, one per party ("" no role), where it differs
    sla: str  # "30m / 8h", "15m / -" or ""
    note: str
    internal_note: str  # "" in a client appendix
    check: str  # internal: "OK" or the rules `raci check` breaks on this row; "" in a client appendix
    after_hours_text: str  # "Riverside IT: A/R, Cascade Managed IT: C" after hours ("no roles"); "" when the same
    business_text: str  # the same for business hours, where the row differs after hours; "" when the same


@dataclass(frozen=True)
class DomainView:
    id: str
    name: str
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class SlaRow:
    id: str
    name: str
    coverage: str
    response: str
    resolution: str


@dataclass(frozen=True)
class ExclusionRow:
    pattern: str  # as written: an activity id or a glob
    id: str
    name: str
    domain: str


@dataclass(frozen=True)
class LegendEntry:
    letter: str
    meaning: str
    fill: str  # RGB hex
    font: str


@dataclass(frozen=True)
class Legend:
    entries: tuple[LegendEntry, ...]
    rules: tuple[str, ...]
    after_hours_rule: str  # for a format with after-hours columns


@dataclass(frozen=True)
class FindingRow:
    severity: str
    rule: str
    activity: str  # id, "" for a finding about the whole engagement
    name: str  # the activity's name, ""
    parties: tuple[str, ...]  # party names
    window: str
    message: str


@dataclass(frozen=True)
class Findings:
    counts: dict[str, int]  # per severity shown: error and warning for a client, info too internally
    text: str  # "8 errors, 3 warnings" (", 12 notes" internally)
    rows: tuple[FindingRow, ...]  # errors first, then catalog order
    open_errors: tuple[FindingRow, ...]


@dataclass(frozen=True)
class NoteRow:
    id: str
    name: str
    note: str


@dataclass(frozen=True)
class VersionRow:
    version: str
    effective: str  # ISO date or ""
    status: str  # "Draft" while errors are open, else "For signature"


# What each commercial status of the provider's work means to the client who pays for it.
COMMERCIAL_MEANING = {
    "included": "in the recurring fee",
    "project": "quoted and billed as a project, outside the recurring fee",
    "pass-through": "billed at cost as the supplier charges it, outside the recurring fee",
    "excluded": "not provided under this statement of work",
}
COMMERCIAL_NOTE = "The provider's work in this matrix is in the recurring fee, except:"
NO_COMMERCIAL_NOTE = "All of the provider's work in this matrix is in the recurring fee."


@dataclass(frozen=True)
class CommercialRow:
    id: str
    name: str
    status: str  # project, pass-through or excluded
    meaning: str
    windows: str  # internal only: which preset set each window ("business hours: a; after hours: b"); "" for a client


@dataclass(frozen=True)
class Signatory:
    """A contracting entity's signature block: the person's name, title, signature and date are written by hand."""

    side: str  # Client or Provider
    entity: str  # the legal name: the engagement's client or provider ("" when the provider is not named)
    name: str = ""
    title: str = ""
    date: str = ""


@dataclass(frozen=True)
class SignOff:
    title: str  # "Acceptance", or marked DRAFT
    draft: bool
    draft_notice: str  # why it may not be signed yet; "" when it may
    statement: str  # what the parties accept
    change_order: str
    authority: str
    signatories: tuple[Signatory, ...]  # the client, then the provider: the contracting entities, not the teams
    signature_line: str
    open_errors: tuple[FindingRow, ...]  # listed with the sign-off whenever errors remain
    open_errors_text: str  # the words above that list ("" when there are none)


@dataclass(frozen=True)
class Provenance:
    """What made the document: the raci version and file names only, never a folder of the machine that ran it."""

    tool_version: str
    engagement: str  # file name
    catalog: str  # "bundled", or the catalog folder's name
    command: str  # internal appendix only ("" for a client): the command, file names only, output paths left out


@dataclass(frozen=True)
class Appendix:
    audience: str
    sections: tuple[str, ...]  # the sections this audience gets, in order
    meta: Meta
    parties: tuple[PartyView, ...]  # grouped Client, Provider, Third party: the matrix's column order
    party_groups: tuple[PartyGroup, ...]
    legend: Legend
    domains: tuple[DomainView, ...]
    sla: tuple[SlaRow, ...]
    exclusions: tuple[ExclusionRow, ...]
    findings: Findings
    internal_notes: tuple[NoteRow, ...]  # empty in a client appendix
    versions: tuple[VersionRow, ...]
    signoff: SignOff
    provenance: Provenance
    texts: dict[str, str] = field(default_factory=dict)  # the fixed sentences of the sections (notes under tables)
    # the provider's work outside the recurring fee (project, pass-through, excluded), in matrix order
    commercial: tuple[CommercialRow, ...] = ()

    @property
    def internal(self) -> bool:
        return self.audience == INTERNAL

    @property
    def draft(self) -> bool:
        return self.meta.draft

    @property
    def after_hours_parties(self) -> list[PartyView]:
        """The parties whose after-hours role differs on some row: the after-hours columns of a matrix."""
        return [p for i, p in enumerate(self.parties)
                if any(row.after_hours is not None and row.after_hours[i] for dom in self.domains for row in dom.rows)]

    @property
    def after_hours_rows(self) -> list[MatrixRow]:
        """The rows whose roles differ after hours, in matrix order."""
        return [row for dom in self.domains for row in dom.rows if row.after_hours is not None]
