"""Stage 5, audit: map every row onto the catalog, check every row, then check what the contract means as a whole.

Row rules (no owner, two accountable, a shared owner without a split, unreadable cells, extra cost) run on
every row, mapped or not; two rows that mean one activity stay two rows, with ``conflicting-rows`` where they
disagree. The catalog rules that need the whole catalog (non-delegable decisions, dependencies,
escalations, idle parties) run on the engagement the mapped rows describe; catalog activities the document
never mentions are reported as ``not-in-contract``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from raci.catalog import Catalog
from raci.contracts.engagement import build_engagement
from raci.contracts.mapping import DEFAULT_THRESHOLD, IGNORE, Match, Matcher
from raci.contracts.maps import RowMap
from raci.contracts.model import ContractRow, Document
from raci.contracts.reader import Options, read_document
from raci.contracts.rules import check_rows, conflicting_rows, idle_parties
from raci.engagement import Engagement, resolve
from raci.errors import InputError, Problem
from raci.findings import SEVERITY_RANK, Finding, summarize

# The catalog rules an audit runs on the engagement the rows describe. Per-row ownership is checked on the
# rows themselves; headcounts, hours, presets and compliance profiles are not in a responsibility matrix.
CATALOG_RULES = ("non-delegable", "dependency-handoff", "excluded-dependency", "escalation-dead-end")


@dataclass
class RowResult:
    row: ContractRow
    match: Match

    def to_dict(self, doc: Document) -> dict:
        headers = {p.id: p.header for p in doc.parties}
        return {
            "source": self.row.source(),
            "section": self.row.section,
            "activity": self.match.activity,
            "confidence": self.match.confidence,
            "how": self.match.how,
            "suggestions": [{"activity": a, "confidence": c} for a, c in self.match.suggestions],
            "roles": {headers[pid]: role for pid, role in self.row.roles.items()},
            "cells": dict(self.row.cells),
            "note": self.row.note,
            "shared": self.row.shared,
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
    problems: list[Problem] = field(default_factory=list)  # documents that could not be read, with the reason

    @property
    def findings(self) -> list[Finding]:
        return [f for d in self.documents for f in d.findings]

    def coverage(self) -> dict:
        mentioned: set[str] = set()
        for d in self.documents:
            mentioned |= d.mentioned
        return coverage(self.catalog, mentioned)


def map_rows(doc: Document, matcher: Matcher, rowmap: RowMap | None = None) -> list[RowResult]:
    from raci.contracts.mapping import normalize
    from raci.contracts.vocabulary import guess_kind, is_org_name

    # the words of organisation names the document uses ("Cloud Temple", "Red Hat", a party called "AWS") are noise
    # in its labels: they say who, not what
    names = frozenset(w for p in doc.parties if not guess_kind(p.header)[1] or is_org_name(p.header)
                      for w in normalize(p.header).split())
    out = []
    for row in doc.rows:
        key = rowmap.find(row.label) if rowmap is not None else None
        target = rowmap.rows[key] if key is not None and rowmap is not None else None
        if target == IGNORE:
            out.append(RowResult(row, Match(None, 1.0, (), "ignore")))
        elif target is not None:
            out.append(RowResult(row, Match(target, 1.0, ((target, 1.0),), "map")))
        else:
            context = " ".join(x for x in (row.section, row.title) if x) or None
            label = matcher.without(row.label, names)
            match = matcher.match(label, context, row.ident or None, row.about)
            if match.activity is None and row.topic:
                # a long requirement statement that maps to nothing: its control or topic name may say it in brief
                by_topic = matcher.match(matcher.without(row.topic, names), context, None, row.about)
                if by_topic.activity is not None:
                    match = by_topic
            out.append(RowResult(row, match))
    return out


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


def audit_document(doc: Document, catalog: Catalog, matcher: Matcher, rowmap: RowMap | None = None) -> DocumentAudit:
    """Map, check and measure one document; every finding from a row carries that row's source."""
    from raci.checks import run_checks

    results = map_rows(doc, matcher, rowmap)
    names = {p.id: p.header for p in doc.parties}
    pairs = [(r.row, r.match.activity) for r in results]
    findings = check_rows(pairs, names.__getitem__)
    findings += conflicting_rows(pairs, names.__getitem__, lambda a: catalog.activities[a].name)
    eng = build_engagement(doc, results, catalog)
    mentioned = {r.match.activity for r in results if r.match.activity is not None}
    first_row: dict[str, ContractRow] = {}
    for res in results:
        aid = res.match.activity
        if aid is not None and (aid not in first_row or (first_row[aid].excluded and not res.row.excluded)):
            first_row[aid] = res.row
    header_source = {p.id: {"file": doc.path, "sheet": doc.sheet, "row": doc.header_row, "column": None, "label": p.header}
                     for p in doc.parties}
    doc_source = {"file": doc.path, "sheet": doc.sheet, "row": None, "column": None, "label": None}
    findings += idle_parties([(p.id, p.header, header_source[p.id]) for p in doc.parties], doc.rows)
    for f in run_checks(resolve(eng, catalog), list(CATALOG_RULES)):
        if f.related is not None and f.related in catalog.activities and f.related not in mentioned:
            continue  # a dependency "excluded" only because the document never names it says nothing
        if f.activity is not None and f.activity in first_row:
            src = first_row[f.activity].source()
        elif f.activity is None and len(f.parties) == 1 and f.parties[0] in header_source:
            src = header_source[f.parties[0]]
        else:
            src = doc_source
        findings.append(dataclasses.replace(f, source=src))
    for res in results:
        if res.match.activity is None and res.match.how != "ignore":
            findings.append(_unmapped(res, catalog))
    for aid, act in catalog.activities.items():
        if aid not in mentioned:
            findings.append(Finding("not-in-contract", "warning",
                                    f"The document never mentions {act.name} ({catalog.domain_names[act.domain]}).",
                                    aid, (), None, doc_source))
    order = catalog.order
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.rule == "not-in-contract", (f.source or {}).get("row") or 0,
                                 (f.source or {}).get("column") or "", order.get(f.activity or "", -1), f.rule))
    return DocumentAudit(doc, results, eng, findings, coverage(catalog, mentioned), mentioned)


def _unmapped(res: RowResult, catalog: Catalog) -> Finding:
    row = res.row
    # only candidates worth a look are named in the sentence; the JSON keeps every suggestion
    close = ", ".join(f"{catalog.activities[a].name} ({a}, {c:.2f})" for a, c in res.match.suggestions if c >= 0.5)
    if res.match.how == "ambiguous":
        msg = f"{row.label!r} fits more than one catalog activity about equally: {close}"
    elif res.match.how == "control":
        msg = f"{row.label!r} is a control the catalog's crosswalk does not link to any activity"
    else:
        msg = f"{row.label!r} matches no catalog activity" + (f"; closest: {close}" if close else "")
    return Finding("unmapped-row", "warning", msg + ". Map it with --map (an activity id, or ignore).", None, (), None,
                   row.source())


def audit(paths: list[str], catalog: Catalog, *, options: Options | None = None, rowmap: RowMap | None = None,
          kinds: dict[str, str] | None = None, threshold: float = DEFAULT_THRESHOLD,
          progress: Callable[[str], None] | None = None) -> AuditReport:
    """Read and audit every document. A document that cannot be read is named in ``problems`` with its reason;
    the others are still audited."""
    matcher = Matcher(catalog, threshold)
    kinds = {**(rowmap.parties if rowmap else {}), **(kinds or {})}
    report = AuditReport(catalog, [])
    for path in paths:
        try:
            doc = read_document(path, matcher, options, kinds)
            report.documents.append(audit_document(doc, catalog, matcher, rowmap))
        except InputError as exc:
            report.problems.extend(exc.problems)
        if progress is not None:
            progress(path)
    return report
