"""The appendix view-model built from a resolved engagement and its findings, for one audience."""

from __future__ import annotations

import datetime as _dt
import os
import shlex
from pathlib import Path

from raci import __version__
from raci.appendix.model import (
    AFTER_HOURS_RULE,
    APPENDIX_STATEMENT,
    AUDIENCES,
    AUTHORITY,
    CHANGE_ORDER,
    CLIENT_SECTIONS,
    COMMERCIAL_MEANING,
    COMMERCIAL_NOTE,
    DOCUMENT_TITLE,
    DRAFT_MARK,
    EXCLUSIONS_NOTE,
    HOURS_WORDS,
    INTERNAL,
    LEGEND_RULES,
    LETTER_COLOURS,
    LETTERS,
    NO_COMMERCIAL_NOTE,
    NO_EXCLUSIONS_NOTE,
    NO_SLA_NOTE,
    NOBODY,
    SECTIONS,
    SIDE_ORDER,
    SIDES,
    SIGNATURE_LINE,
    SLA_NOTE,
    Appendix,
    CommercialRow,
    DomainView,
    ExclusionRow,
    FindingRow,
    Findings,
    Legend,
    LegendEntry,
    MatrixRow,
    Meta,
    NoteRow,
    PartyGroup,
    PartyView,
    PresetRef,
    Provenance,
    Signatory,
    SignOff,
    SlaRow,
    VersionRow,
)
from raci.catalog import Domain, Row, match_ids
from raci.engagement import Matrix
from raci.findings import Finding, sort_findings, summarize
from raci.roles import MEANING, has_a, has_r

# Options whose value is an output file: provenance leaves them out, so rendering again to another name changes nothing.
OUTPUT_OPTIONS = ("--xlsx", "--md", "--docx", "--pdf", "-o", "--output")
# Headers a party column may not take (the matrix's own columns): such a name gets its party id added.
RESERVED_HEADERS = ("ID", "Activity", "SLA", "Notes", "Check")
_SEVERITY_WORDS = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("note", "notes")}


def build_appendix(matrix: Matrix, findings: list[Finding], *, audience: str = "client", command: str = "",
                   allow_open_findings: bool = False, for_party: str | None = None) -> Appendix:
    """What the appendix says for ``audience`` (client or internal), in order.

    ``command`` is the command that made it (shown to an internal audience only, file names only, output paths
    left out). While ``findings`` hold errors the appendix is a DRAFT, not for signature, unless
    ``allow_open_findings``. ``for_party`` (a party's id or name) makes it that party's extract (raci.appendix.extract);
    an unknown party is an InputError naming the engagement."""
    whole = _whole_appendix(matrix, findings, audience, command, allow_open_findings)
    if for_party is None:
        return whole
    from raci.appendix.extract import extract_for  # it builds on this module

    return extract_for(whole, for_party, str(matrix.engagement.path or ""))


def _whole_appendix(matrix: Matrix, findings: list[Finding], audience: str, command: str,
                    allow_open_findings: bool) -> Appendix:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    internal = audience == INTERNAL
    eng = matrix.engagement
    cat = matrix.catalog
    in_scope = matrix.in_scope()
    parties = _parties(matrix, in_scope)
    order = [p.id for p in parties]
    names = {p.id: p.name for p in parties}
    all_counts = summarize(findings)
    draft = all_counts["error"] > 0 and not allow_open_findings
    shown = _findings(matrix, findings, all_counts, names, internal)
    effective = effective_text(eng.effective)
    checks = _row_checks(findings) if internal else {}
    return Appendix(
        audience=audience,
        sections=SECTIONS if internal else CLIENT_SECTIONS,
        meta=_meta(matrix, len(in_scope), effective, draft, internal),
        parties=parties,
        party_groups=tuple(PartyGroup(side, tuple(p for p in parties if p.side == side))
                           for side in SIDE_ORDER if any(p.side == side for p in parties)),
        legend=Legend(tuple(LegendEntry(letter, MEANING[letter], *LETTER_COLOURS[letter]) for letter in LETTERS),
                      LEGEND_RULES, AFTER_HOURS_RULE),
        domains=_domains(matrix, in_scope, order, names, checks, internal),
        sla=tuple(SlaRow(aid, cat.activities[aid].name, cat.activities[aid].coverage, t.get("response", ""),
                         t.get("resolution", "")) for aid, t in eng.sla.items()),
        exclusions=tuple(ExclusionRow(*row) for row in exclusion_rows(matrix)),
        findings=shown,
        internal_notes=tuple(NoteRow(aid, cat.activities[aid].name, eng.internal_notes[aid])
                             for aid in cat.activities if aid in eng.internal_notes) if internal else (),
        versions=(VersionRow(str(eng.version), effective, "Draft" if draft else "For signature"),),
        signoff=_signoff(matrix, effective, shown.open_errors, draft, internal),
        provenance=Provenance(__version__, Path(eng.path).name, _catalog_name(cat.path),
                              provenance_command(command) if internal else ""),
        texts={"appendix": APPENDIX_STATEMENT, "sla": SLA_NOTE, "no_sla": NO_SLA_NOTE, "exclusions": EXCLUSIONS_NOTE,
               "no_exclusions": NO_EXCLUSIONS_NOTE, "commercial": COMMERCIAL_NOTE, "no_commercial": NO_COMMERCIAL_NOTE},
        commercial=_commercial(matrix, in_scope, internal),
    )


def _meta(matrix: Matrix, in_scope: int, effective: str, draft: bool, internal: bool) -> Meta:
    """The title block: the parties to the contract, version, dates, arrangement and scope."""
    eng = matrix.engagement
    title = f"{DOCUMENT_TITLE}: {eng.client}"
    return Meta(
        title=title,
        heading=f"{DRAFT_MARK} — {title}" if draft else title,
        client=eng.client,
        provider=eng.provider,
        version=str(eng.version),
        effective=effective,
        arrangement=arrangement(matrix),
        presets=tuple(PresetRef(p, matrix.catalog.presets[p].name) for p in eng.presets) if internal else (),
        profile=profile_text(matrix),
        in_scope=in_scope,
        excluded=len(matrix.excluded),
        draft=draft,
    )


def _findings(matrix: Matrix, findings: list[Finding], all_counts: dict[str, int], names: dict[str, str],
              internal: bool) -> Findings:
    """The findings the audience sees (notes internally only), their counts, and the errors still open."""
    shown = [f for f in sort_findings(findings, matrix.catalog.order) if internal or f.severity != "info"]
    rows = tuple(_finding_row(f, matrix, names) for f in shown)
    open_errors = tuple(r for r in rows if r.severity == "error")
    counts = {k: v for k, v in all_counts.items() if internal or k != "info"}
    return Findings(counts, summary_text(counts), rows, open_errors)


def _commercial(matrix: Matrix, in_scope: list[str], internal: bool) -> tuple[CommercialRow, ...]:
    """The activities in scope whose work is not in the recurring fee (with who set each window, internally)."""
    cat = matrix.catalog
    return tuple(CommercialRow(aid, cat.activities[aid].name, status, COMMERCIAL_MEANING.get(status, status),
                               windows_text(matrix, aid) if internal else "")
                 for aid in in_scope if (status := matrix.commercial.get(aid, "included")) != "included")


# --------------------------------------------------------------------------- what the workbook shows too


def windows_text(matrix: Matrix, aid: str) -> str:
    """Which preset set each window of an activity ("business hours: a; after hours: b", or "a" where it set both),
    or "" where none did."""
    origin = matrix.window_origin.get(aid, {})
    if len(set(origin.values())) == 1 and len(origin) > 1:
        return next(iter(origin.values()))  # one preset set both windows
    return "; ".join(f"{window.replace('-', ' ')}: {preset}" for window, preset in origin.items())


def effective_text(effective: object, default: str = "") -> str:
    return effective.isoformat() if isinstance(effective, _dt.date) else default


def arrangement(matrix: Matrix) -> str:
    """The presets' human names, joined: a client reads these, never the preset ids."""
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


def summary_text(counts: dict[str, int]) -> str:
    """'1 error, 2 warnings, 1 note': the counts given, as a reader says them."""
    return ", ".join(f"{n} {_SEVERITY_WORDS[k][0] if n == 1 else _SEVERITY_WORDS[k][1]}" for k, n in counts.items())


def sla_text(targets: dict[str, str] | None) -> str:
    """'30m / 8h' as the matrix's SLA column shows it; '-' where one of the two is not set."""
    if not targets:
        return ""
    return f"{targets.get('response') or '-'} / {targets.get('resolution') or '-'}"


def domain_groups(matrix: Matrix, in_scope: list[str]) -> list[tuple[Domain, list[str]]]:
    """The in-scope activities grouped by domain, in catalog order; domains with none are left out."""
    acts = matrix.catalog.activities
    by_domain: dict[str, list[str]] = {}
    for aid in in_scope:
        by_domain.setdefault(acts[aid].domain, []).append(aid)
    return [(dom, by_domain[dom.id]) for dom in matrix.catalog.domains if dom.id in by_domain]


def shown_after_hours(row: Row) -> dict[str, str] | None:
    """The after-hours roles where they differ from business hours (an empty dict: nobody after hours)."""
    if row.after_hours is None or row.after_hours == row.business:
        return None
    return row.after_hours


def exclusion_rows(matrix: Matrix) -> list[tuple[str, str, str, str]]:
    """(pattern, activity id, activity name, domain name) for every excluded activity, once, under the first
    exclusion that takes it out."""
    cat = matrix.catalog
    rows: dict[str, tuple[str, str, str, str]] = {}
    for pattern in dict.fromkeys(matrix.engagement.exclusions):
        for aid in match_ids(pattern, cat.index):
            if aid not in rows:
                act = cat.activities[aid]
                rows[aid] = (pattern, aid, act.name, cat.domain_names.get(act.domain, ""))
    return list(rows.values())


def provenance_command(command: str) -> str:
    """``command`` with file names only and its output files left out: the same appendix rendered to another name,
    or on another machine, names the same command."""
    try:
        args = shlex.split(command)
    except ValueError:
        return ""
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        option = arg.partition("=")[0]
        if arg in OUTPUT_OPTIONS:
            skip = True
            continue
        if option in OUTPUT_OPTIONS and arg.startswith("--"):
            continue
        kept.append(_file_name(arg))
    return shlex.join(kept)


def _file_name(arg: str) -> str:
    option, eq, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
    if "/" not in value and os.sep not in value:
        return arg
    return f"{option}{eq}{os.path.basename(value.rstrip('/' + os.sep)) or value}"


def _catalog_name(path: str) -> str:
    from raci.resources import catalog_dir

    try:
        if Path(path).resolve() == catalog_dir().resolve():
            return "bundled"
    except OSError:  # the bundled catalog missing, or a path that cannot be resolved
        pass
    return Path(path).name or "catalog"


# --------------------------------------------------------------------------- the parts


def _parties(matrix: Matrix, in_scope: list[str]) -> tuple[PartyView, ...]:
    eng = matrix.engagement
    counts = {pid: dict.fromkeys(("R", "A", "C", "I"), 0) for pid in eng.parties}
    for aid in in_scope:
        for pid, role in matrix.rows[aid].business.items():
            if pid in counts:
                c = counts[pid]
                c["R"] += has_r(role)
                c["A"] += has_a(role)
                c["C"] += role == "C"
                c["I"] += role == "I"
    names = [" ".join(p.name.split()) or pid for pid, p in eng.parties.items()]
    clash = {n for n in names if names.count(n) > 1 or n in RESERVED_HEADERS}
    views = [PartyView(pid, p.name, f"{n} ({pid})" if n in clash else n, p.kind, SIDES.get(p.kind, "Third party"),
                       p.staff, p.hours, HOURS_WORDS.get(p.hours, p.hours), counts[pid])
             for (pid, p), n in zip(eng.parties.items(), names)]
    return tuple(sorted(views, key=lambda v: SIDE_ORDER.index(v.side)))  # stable: file order within a side


def _roles_text(roles: dict[str, str], order: list[str], names: dict[str, str]) -> str:
    return ", ".join(f"{names[p]}: {roles[p]}" for p in order if p in roles) or "no roles"


def _domains(matrix: Matrix, in_scope: list[str], order: list[str], names: dict[str, str], checks: dict[str, str],
             internal: bool) -> tuple[DomainView, ...]:
    eng = matrix.engagement
    acts = matrix.catalog.activities
    out = []
    for dom, ids in domain_groups(matrix, in_scope):
        rows = []
        for aid in ids:
            row = matrix.rows[aid]
            after = shown_after_hours(row)
            cells = None
            if after is not None:
                cells = tuple("" if after.get(p) == row.business.get(p) else after.get(p) or NOBODY for p in order)
            rows.append(MatrixRow(
                id=aid,
                name=acts[aid].name,
                roles=tuple(row.business.get(p, "") for p in order),
                after_hours=cells,
                after_roles=tuple(after.get(p, "") for p in order) if after is not None else None,
                sla=sla_text(eng.sla.get(aid)),
                note=eng.notes.get(aid, ""),
                internal_note=eng.internal_notes.get(aid, "") if internal else "",
                check=checks.get(aid, "OK") if internal else "",
                after_hours_text=_roles_text(after, order, names) if after is not None else "",
                business_text=_roles_text(row.business, order, names) if after is not None else "",
            ))
        out.append(DomainView(dom.id, dom.name, tuple(rows)))
    return tuple(out)


def _row_checks(findings: list[Finding]) -> dict[str, str]:
    """activity -> the rules its errors and warnings break, errors first (what a Check column says at render time)."""
    rules: dict[str, list[str]] = {}
    for f in sorted(findings, key=lambda f: f.severity != "error"):
        if f.activity and f.severity in ("error", "warning") and f.rule not in rules.setdefault(f.activity, []):
            rules[f.activity].append(f.rule)
    return {aid: ", ".join(r) for aid, r in rules.items()}


def _finding_row(f: Finding, matrix: Matrix, names: dict[str, str]) -> FindingRow:
    acts = matrix.catalog.activities
    return FindingRow(f.severity, f.rule, f.activity or "", acts[f.activity].name if f.activity in acts else "",
                      tuple(names.get(p, p) for p in f.parties), f.window or "", f.message)


def build_signoff(matrix: Matrix, findings: list[Finding], *, audience: str = "client",
                  allow_open_findings: bool = False) -> SignOff:
    """The acceptance alone, as build_appendix words it: for a writer that lays out the rest itself (the workbook)."""
    names = {pid: p.name for pid, p in matrix.engagement.parties.items()}
    errors = _findings(matrix, findings, summarize(findings), names, audience == INTERNAL).open_errors
    return _signoff(matrix, effective_text(matrix.engagement.effective), errors, bool(errors) and not allow_open_findings,
                    audience == INTERNAL)


def _signoff(matrix: Matrix, effective: str, open_errors: tuple[FindingRow, ...], draft: bool, internal: bool) -> SignOff:
    eng = matrix.engagement
    n = len(open_errors)
    errors = f"{n} {'error' if n == 1 else 'errors'}"
    statement = (f"The parties accept the responsibilities in this matrix, version {eng.version}, effective "
                 f"{effective or 'on the date of the last signature'}.")
    notice = ""
    if draft:
        notice = (f"{DRAFT_MARK}: not for signature. The checks of this matrix found {errors} that "
                  f"{'is' if n == 1 else 'are'} still open, listed below; resolve {'it' if n == 1 else 'them'} and issue "
                  "the appendix again.")
        if internal:
            notice += " (raci render --allow-open-findings issues it for signature with the errors open.)"
        heading = f"Acceptance — {DRAFT_MARK}, not for signature"
        listed = "Open errors:"
    else:
        heading = "Acceptance"
        listed = ""
        if n:
            statement += f" They accept it with the {errors} listed below still open."
            listed = "Open errors the parties accept at signature:"
    return SignOff(
        title=heading,
        draft=draft,
        draft_notice=notice,
        statement=statement,
        change_order=CHANGE_ORDER,
        authority=AUTHORITY,
        signatories=(Signatory("Client", eng.client), Signatory("Provider", eng.provider)),
        signature_line=SIGNATURE_LINE,
        open_errors=open_errors,
        open_errors_text=listed,
    )
