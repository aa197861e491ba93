"""Auditing imported contracts: map rows onto the catalog, run the checks, report gaps, overlaps and coverage."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from raci.catalog import Catalog, Row
from raci.diff import md_escape
from raci.engagement import Engagement, Matrix, Party, resolve
from raci.errors import DocumentError, InputError
from raci.findings import SEVERITY_RANK, Finding, summarize
from raci.importer import Document, ImportedRow, canonical, place, read_document
from raci.mapping import DEFAULT_THRESHOLD, IGNORE, Match, Matcher, RowMap
from raci.reports import SEVERITY_TITLES, _plural

# Headcounts and working hours are not in a responsibility matrix, so the checks that need them say nothing useful.
SKIPPED_RULES = ("no-capacity", "overloaded-party", "compliance-gap", "preset-override")
AUDIT_RULES = ("not-in-contract", "unmapped-row", "unreadable-cell")


@dataclass
class RowResult:
    row: ImportedRow
    match: Match

    def to_dict(self, doc: Document) -> dict:
        headers = {p.id: p.header for p in doc.parties}
        return {
            "source": self.row.source(),
            "domain": self.row.domain,
            "activity": self.match.activity,
            "confidence": self.match.confidence,
            "how": self.match.how,
            "suggestions": [{"activity": a, "confidence": c} for a, c in self.match.suggestions],
            "roles": {headers[pid]: role for pid, role in self.row.roles.items()},
            "cells": dict(self.row.cells),
            "out_of_scope": self.row.excluded,
        }


@dataclass
class DocumentAudit:
    document: Document
    rows: list[RowResult]
    engagement: Engagement
    findings: list[Finding]
    coverage: dict
    mentioned: set[str] = field(default_factory=set)

    def summary(self) -> dict[str, int]:
        return summarize(self.findings)


@dataclass
class AuditReport:
    catalog: Catalog
    documents: list[DocumentAudit]

    @property
    def findings(self) -> list[Finding]:
        return [f for d in self.documents for f in d.findings]

    def coverage(self) -> dict:
        mentioned: set[str] = set()
        for d in self.documents:
            mentioned |= d.mentioned
        return coverage(self.catalog, mentioned)


# --------------------------------------------------------------------------- mapping and engagement


def map_rows(doc: Document, matcher: Matcher, rowmap: RowMap | None = None) -> list[RowResult]:
    out = []
    for row in doc.rows:
        key = rowmap.find(row.label) if rowmap is not None else None
        target = rowmap.rows[key] if key is not None and rowmap is not None else None
        if target == IGNORE:
            out.append(RowResult(row, Match(None, 1.0, (), "ignore")))
        elif target is not None:
            out.append(RowResult(row, Match(target, 1.0, ((target, 1.0),), "map")))
        else:
            out.append(RowResult(row, matcher.match(row.label, row.domain)))
    return out


def _merge(a: str, b: str) -> str:
    return canonical(set(a.replace("/", "")) | set(b.replace("/", "")))


def build_engagement(doc: Document, results: list[RowResult], catalog: Catalog, exclude_unmentioned: bool = True) -> Engagement:
    """The engagement a document describes: one assignment per mapped activity; rows marked N/A are exclusions.

    Several rows mapped to one activity are merged, so two owners become two accountable parties and are
    reported, not chosen between. Activities the document never mentions are excluded (and reported as
    not-in-contract by the audit) unless ``exclude_unmentioned`` is False.
    """
    parties = {p.id: Party(p.id, p.header, p.kind, 1, "business-hours" if p.kind == "client" else "24x7") for p in doc.parties}
    rank = {pid: i for i, pid in enumerate(parties)}
    assignments: dict[str, dict[str, str]] = {}
    out_of_scope: list[str] = []
    notes: dict[str, str] = {}
    for res in results:
        aid = res.match.activity
        if aid is None:
            continue
        if res.row.excluded:
            if aid not in out_of_scope:
                out_of_scope.append(aid)
            continue
        roles = assignments.setdefault(aid, {})
        for pid, role in res.row.roles.items():
            roles[pid] = _merge(roles[pid], role) if pid in roles else role
        if res.row.note:
            notes[aid] = f"{notes[aid]}; {res.row.note}" if aid in notes else res.row.note
    exclusions = [a for a in out_of_scope if a not in assignments]
    if exclude_unmentioned:
        mentioned = set(assignments) | set(exclusions)
        for d in catalog.domains:
            ids = [a.id for a in catalog.activities_in(d.id)]
            missing = [a for a in ids if a not in mentioned]
            if missing and len(missing) == len(ids):
                exclusions.append(f"{d.id}.*")
            else:
                exclusions.extend(missing)
    provider = next((p.header for p in doc.parties if p.kind == "msp"), "")
    client = next((p.header for p in doc.parties if p.kind == "client"), "") or Path(doc.path).stem
    return Engagement(
        client=doc.title or client,
        provider=provider,
        presets=[],
        parties=parties,
        assignments={aid: Row(dict(sorted(r.items(), key=lambda kv: rank[kv[0]]))) for aid, r in assignments.items()},
        exclusions=exclusions,
        notes=notes,
        path=doc.path,
    )


def coverage(catalog: Catalog, mentioned: set[str]) -> dict:
    domains = []
    for d in catalog.domains:
        ids = [a.id for a in catalog.activities_in(d.id)]
        hit = [a for a in ids if a in mentioned]
        domains.append({
            "id": d.id, "name": d.name, "mentioned": len(hit), "activities": len(ids),
            "percent": round(100 * len(hit) / len(ids), 1) if ids else 100.0,
            "missing": [a for a in ids if a not in mentioned],
        })
    total = len(catalog.activities)
    n = sum(1 for a in catalog.activities if a in mentioned)
    return {"mentioned": n, "activities": total, "percent": round(100 * n / total, 1) if total else 100.0, "domains": domains}


# --------------------------------------------------------------------------- the audit of one document


def audit_document(doc: Document, catalog: Catalog, matcher: Matcher, rowmap: RowMap | None = None) -> DocumentAudit:
    """Map, check and measure one imported document; every finding from a row carries that row's source."""
    from raci.checks import RULES, run_checks

    results = map_rows(doc, matcher, rowmap)
    eng = build_engagement(doc, results, catalog)
    matrix: Matrix = resolve(eng, catalog)
    mentioned = {r.match.activity for r in results if r.match.activity is not None}
    rules = [r for r in RULES if r not in SKIPPED_RULES]
    findings = run_checks(matrix, rules)
    findings = [f for f in findings if not _about_unmentioned(f, catalog, mentioned)]
    # a finding about an activity points at its first in-scope row, else at its first row
    first_row: dict[str, ImportedRow] = {}
    for res in results:
        aid = res.match.activity
        if aid is not None and (aid not in first_row or (first_row[aid].excluded and not res.row.excluded)):
            first_row[aid] = res.row
    header_source = {p.id: {"file": doc.path, "sheet": doc.sheet, "row": doc.header_row, "label": p.header} for p in doc.parties}
    doc_source = {"file": doc.path, "sheet": doc.sheet, "row": None, "label": None}
    sourced = []
    for f in findings:
        if f.activity is not None and f.activity in first_row:
            src = first_row[f.activity].source()
        elif f.activity is None and len(f.parties) == 1 and f.parties[0] in header_source:
            src = header_source[f.parties[0]]
        else:
            src = doc_source
        sourced.append(dataclasses.replace(f, source=src))
    for res in results:
        row = res.row
        for header, text in row.unclear:
            sourced.append(Finding("unreadable-cell", "warning",
                                   f"The cell under {header} says {text!r}, which is not a role letter, mark or owner word; "
                                   "it was read as no role.", res.match.activity, (), None, row.source()))
        if res.match.activity is None and res.match.how != "ignore":
            close = ", ".join(f"{catalog.activities[a].name} ({a}, {c:.2f})" for a, c in res.match.suggestions)
            if res.match.how == "ambiguous":
                msg = f"{row.label!r} fits more than one catalog activity about equally: {close}"
            else:
                msg = f"{row.label!r} matches no catalog activity" + (f"; closest: {close}" if close else "")
            msg += ". Map it with --map (an activity id, or ignore)."
            sourced.append(Finding("unmapped-row", "warning", msg, None, (), None, row.source()))
    for aid, act in catalog.activities.items():
        if aid not in mentioned:
            sourced.append(Finding("not-in-contract", "warning",
                                   f"The document never mentions {act.name} ({catalog.domain_names[act.domain]}).",
                                   aid, (), None, doc_source))
    # within a severity, findings follow the document (row order), then the catalog
    order = catalog.order
    sourced.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.rule == "not-in-contract", (f.source or {}).get("row") or 0,
                                order.get(f.activity or "", -1), f.rule))
    return DocumentAudit(doc, results, eng, sourced, coverage(catalog, mentioned), mentioned)


def _about_unmentioned(f: Finding, catalog: Catalog, mentioned: set[str]) -> bool:
    """Dependency findings that only say a target is 'excluded' because the document never names it."""
    return (f.rule in ("excluded-dependency", "escalation-dead-end") and f.related is not None
            and f.related in catalog.activities and f.related not in mentioned)


def audit(paths: list[str], catalog: Catalog, *, sheet: str | None = None, rowmap: RowMap | None = None,
          kinds: dict[str, str] | None = None, threshold: float = DEFAULT_THRESHOLD,
          progress: Callable[[str], None] | None = None) -> AuditReport:
    """Import and audit every document; raise one DocumentError listing every document that could not be read."""
    matcher = Matcher(catalog, threshold)
    kinds = _kinds(rowmap, kinds)
    audits: list[DocumentAudit] = []
    problems = []
    for path in paths:
        try:
            doc = read_document(path, sheet, kinds)
            audits.append(audit_document(doc, catalog, matcher, rowmap))
        except InputError as exc:
            problems.extend(exc.problems)
        if progress is not None:
            progress(path)
    if problems:
        raise DocumentError(problems)
    return AuditReport(catalog, audits)


def import_engagement(path: str | Path, catalog: Catalog, *, sheet: str | None = None, map_path: str | Path | None = None,
                      kinds: dict[str, str] | None = None, threshold: float = DEFAULT_THRESHOLD) -> Engagement:
    """Turn a document into an engagement (for ``raci import``): mapped rows become assignments."""
    from raci.mapping import load_map

    rowmap = load_map(map_path, catalog) if map_path else None
    doc = read_document(str(path), sheet, _kinds(rowmap, kinds))
    return build_engagement(doc, map_rows(doc, Matcher(catalog, threshold), rowmap), catalog)


def _kinds(rowmap: RowMap | None, kinds: dict[str, str] | None) -> dict[str, str]:
    """Party kinds given on the command line win over those in the map file."""
    return {**(rowmap.parties if rowmap else {}), **(kinds or {})}


def proposed_map_text(report: AuditReport, header: list[str] | None = None) -> str:
    from raci.mapping import proposed_map

    entries = [(r.row.label, r.row.where(), r.match) for d in report.documents for r in d.rows]
    return proposed_map(entries, report.catalog, header)


# --------------------------------------------------------------------------- reports


def where(src: dict | None) -> str:
    if not src:
        return ""
    if src.get("row") is None:
        return Path(src["file"]).name
    at = place(src["file"], src.get("sheet"), src["row"])
    return f"{at} {src['label']!r}" if src.get("label") is not None else at


def _counts(summary: dict[str, int]) -> str:
    return f"{_plural(summary['error'], 'error')}, {_plural(summary['warning'], 'warning')}, {summary['info']} info"


def _parties_text(doc: Document) -> str:
    parts = []
    for p in doc.parties:
        kind = f"{p.kind}, guessed" if p.kind_guessed else p.kind
        parts.append(f"{p.header} ({kind})")
    return ", ".join(parts)


def _row_counts(d: DocumentAudit) -> str:
    mapped = sum(1 for r in d.rows if r.match.activity is not None)
    ignored = sum(1 for r in d.rows if r.match.how == "ignore")
    unmapped = len(d.rows) - mapped - ignored
    text = f"{_plural(len(d.rows), 'row')}: {mapped} mapped, {unmapped} unmapped"
    return text + (f", {ignored} ignored" if ignored else "")


def report_text(report: AuditReport) -> str:
    out: list[str] = []
    cat = report.catalog
    for d in report.documents:
        doc = d.document
        sheet = f", sheet {doc.sheet!r}" if doc.sheet else ""
        cov = d.coverage
        out.append(f"{doc.path}{sheet}: {_counts(d.summary())}")
        out.append(f"  layout: {doc.layout}, header row {doc.header_row}; parties: {_parties_text(doc)}")
        out.append(f"  {_row_counts(d)}; mentions {cov['mentioned']} of {cov['activities']} catalog activities ({cov['percent']:g}%)")
        for note in doc.notes:
            out.append(f"  note: {note}")
        for sev, title in SEVERITY_TITLES.items():
            group = [f for f in d.findings if f.severity == sev and f.rule != "not-in-contract"]
            if not group:
                continue
            out.append("")
            out.append(f"  {title} ({len(group)})")
            for f in group:
                loc = where(f.source)
                out.append(f"    {loc}: {f.message} [{f.rule}]")
        missing = [f for f in d.findings if f.rule == "not-in-contract"]
        if missing:
            out.append("")
            out.append(f"  Not in the contract ({len(missing)} of {cov['activities']} catalog activities), by domain:")
            for dom in cov["domains"]:
                if not dom["missing"]:
                    continue
                names = ", ".join(cat.activities[a].name for a in dom["missing"])
                out.append(f"    {dom['name']}: {dom['mentioned']} of {dom['activities']} mentioned ({dom['percent']:g}%); missing: {names}")
        out.append("")
    if len(report.documents) > 1:
        total = summarize(report.findings)
        cov = report.coverage()
        rows = sum(len(d.rows) for d in report.documents)
        out.append(f"Total: {_plural(len(report.documents), 'document')}, {_plural(rows, 'row')}: {_counts(total)}; "
                   f"together they mention {cov['mentioned']} of {cov['activities']} catalog activities ({cov['percent']:g}%)")
        width = max(len(d.document.path) for d in report.documents)
        for d in report.documents:
            s = d.summary()
            out.append(f"  {d.document.path.ljust(width)}  {_plural(s['error'], 'error'):>10}  {_plural(s['warning'], 'warning'):>14}  "
                       f"coverage {d.coverage['percent']:g}%")
    return "\n".join(out).rstrip("\n") + "\n"


def report_json(report: AuditReport) -> dict:
    findings = report.findings
    return {
        "findings": [f.to_dict() for f in findings],
        "summary": summarize(findings),
        "rows": [r.to_dict(d.document) for d in report.documents for r in d.rows],
        "coverage": report.coverage(),
        "documents": [
            {
                "file": d.document.path,
                "sheet": d.document.sheet,
                "layout": d.document.layout,
                "header_row": d.document.header_row,
                "parties": [{"header": p.header, "id": p.id, "kind": p.kind, "kind_guessed": p.kind_guessed} for p in d.document.parties],
                "notes": d.document.notes,
                "summary": d.summary(),
                "coverage": d.coverage,
            }
            for d in report.documents
        ],
    }


def report_json_text(report: AuditReport) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"


def report_markdown(report: AuditReport) -> str:
    cat = report.catalog
    out = ["# Contract audit", ""]
    total = summarize(report.findings)
    cov = report.coverage()
    out.append(f"{_plural(len(report.documents), 'document')} checked against the catalog "
               f"({len(cat.activities)} activities in {len(cat.domains)} domains): {_counts(total)}. "
               f"Together they mention {cov['mentioned']} of {cov['activities']} catalog activities ({cov['percent']:g}%).")
    out.append("")
    out.append("| Document | Sheet | Layout | Rows | Errors | Warnings | Coverage |")
    out.append("|---|---|---|---:|---:|---:|---:|")
    for d in report.documents:
        s = d.summary()
        out.append(f"| {md_escape(d.document.path)} | {md_escape(d.document.sheet or '')} | {d.document.layout} | {len(d.rows)} | "
                   f"{s['error']} | {s['warning']} | {d.coverage['percent']:g}% |")
    for d in report.documents:
        doc = d.document
        out += ["", f"## {md_escape(doc.path)}", ""]
        out.append(f"Sheet: {md_escape(doc.sheet or '(csv)')}; layout: {doc.layout}; header row {doc.header_row}. "
                   f"Parties: {md_escape(_parties_text(doc))}. {md_escape(_row_counts(d))}.")
        for note in doc.notes:
            out += ["", f"Note: {md_escape(note)}"]
        found = [f for f in d.findings if f.rule != "not-in-contract"]
        out += ["", "### Findings", ""]
        if found:
            out.append("| Where | Severity | Rule | Finding |")
            out.append("|---|---|---|---|")
            for f in found:
                out.append(f"| {md_escape(where(f.source))} | {f.severity} | {f.rule} | {md_escape(f.message)} |")
        else:
            out.append("No gaps or overlaps in the rows the document has.")
        out += ["", "### Not in the contract, by domain", ""]
        out.append("| Domain | Mentioned | Coverage | Missing activities |")
        out.append("|---|---:|---:|---|")
        for dom in d.coverage["domains"]:
            names = ", ".join(cat.activities[a].name for a in dom["missing"]) or "-"
            out.append(f"| {md_escape(dom['name'])} | {dom['mentioned']} of {dom['activities']} | {dom['percent']:g}% | {md_escape(names)} |")
        out += ["", "### Rows", ""]
        out.append("| Row | Label | Activity | Confidence | " + " | ".join(md_escape(p.header) for p in doc.parties) + " |")
        out.append("|---:|---|---|---:|" + "---|" * len(doc.parties))
        for r in d.rows:
            act = r.match.activity or ("(ignored)" if r.match.how == "ignore" else "(unmapped)")
            cells = " | ".join(r.row.roles.get(p.id, "N/A" if r.row.excluded else "") for p in doc.parties)
            out.append(f"| {r.row.row} | {md_escape(r.row.label)} | {md_escape(act)} | {r.match.confidence:.2f} | {cells} |")
    return "\n".join(out) + "\n"


def render(report: AuditReport, fmt: str) -> str:
    if fmt == "json":
        return report_json_text(report)
    if fmt == "md":
        return report_markdown(report)
    return report_text(report)
