"""Stage 6, report: an audit as text for the terminal, JSON for scripts, Markdown for a client file."""

from __future__ import annotations

import json
from pathlib import Path

from raci.contracts.audit import AuditReport, DocumentAudit
from raci.contracts.model import Document, place
from raci.diff import md_escape
from raci.findings import summarize
from raci.reports import SEVERITY_TITLES, _plural


def where(src: dict | None) -> str:
    if not src:
        return ""
    if src.get("row") is None:
        return Path(src["file"]).name
    at = place(src["file"], src.get("sheet"), src["row"], src.get("column"))
    return f"{at} {src['label']!r}" if src.get("label") is not None else at


def _counts(summary: dict[str, int]) -> str:
    return f"{_plural(summary['error'], 'error')}, {_plural(summary['warning'], 'warning')}, {summary['info']} info"


def parties_text(doc: Document) -> str:
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


def layout_text(doc: Document) -> str:
    """What was chosen and the runner-up, in the words of the issue that asked for it."""
    text = f"{doc.chosen} ({doc.layout}); parties: {parties_text(doc)}"
    if doc.runner_up:
        text += f"; runner-up: {doc.runner_up}"
    return text


def report_text(report: AuditReport) -> str:
    out: list[str] = []
    cat = report.catalog
    for d in report.documents:
        doc = d.document
        sheet = f", sheet {doc.sheet!r}" if doc.sheet else ""
        cov = d.coverage
        out.append(f"{doc.path}{sheet}: {_counts(d.summary())}")
        out.append(f"  layout: {layout_text(doc)}")
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
                out.append(f"    {where(f.source)}: {f.message} [{f.rule}]")
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
    if len(report.documents) + len(report.problems) > 1:
        total = summarize(report.findings)
        cov = report.coverage()
        rows = sum(len(d.rows) for d in report.documents)
        out.append(f"Total: {_plural(len(report.documents), 'document')}, {_plural(rows, 'row')}: {_counts(total)}; "
                   f"together they mention {cov['mentioned']} of {cov['activities']} catalog activities ({cov['percent']:g}%)")
        width = max([len(d.document.path) for d in report.documents] + [len(p.file) for p in report.problems])
        for d in report.documents:
            s = d.summary()
            out.append(f"  {d.document.path.ljust(width)}  {_plural(s['error'], 'error'):>10}  {_plural(s['warning'], 'warning'):>14}  "
                       f"coverage {d.coverage['percent']:g}%")
        for p in report.problems:
            out.append(f"  {p.file.ljust(width)}  not read: {p.message}")
    return "\n".join(out).rstrip("\n") + "\n"


def document_json(d: DocumentAudit) -> dict:
    doc = d.document
    return {
        "file": doc.path,
        "sheet": doc.sheet,
        "hidden": doc.hidden,
        "layout": doc.mode,
        "header_row": doc.header_row,
        "label_column": doc.label_column,
        "orientation": doc.orientation,
        "title": doc.title,
        "parties": [{"header": p.header, "id": p.id, "kind": p.kind, "kind_guessed": p.kind_guessed} for p in doc.parties],
        "runner_up": doc.runner_up,
        "notes": doc.notes,
        "summary": d.summary(),
        "coverage": d.coverage,
    }


def report_json(report: AuditReport) -> str:
    findings = report.findings
    data = {
        "findings": [f.to_dict() for f in findings],
        "summary": summarize(findings),
        "rows": [r.to_dict(d.document) for d in report.documents for r in d.rows],
        "coverage": report.coverage(),
        "documents": [document_json(d) for d in report.documents],
        "errors": [{"file": p.file, "message": p.message, "where": p.where} for p in report.problems],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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
    for p in report.problems:
        out.append(f"| {md_escape(p.file)} | | not read: {md_escape(p.message)} | | | | |")
    for d in report.documents:
        out += _document_markdown(d, cat)
    return "\n".join(out) + "\n"


def _document_markdown(d: DocumentAudit, cat) -> list[str]:
    doc = d.document
    out = ["", f"## {md_escape(doc.path)}", ""]
    out.append(f"Layout: {md_escape(layout_text(doc))}. {md_escape(_row_counts(d))}.")
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
        at = f"{r.row.column}{r.row.row}" if r.row.column else str(r.row.row)
        out.append(f"| {at} | {md_escape(r.row.label)} | {md_escape(act)} | {r.match.confidence:.2f} | {cells} |")
    return out


def render_report(report: AuditReport, fmt: str) -> str:
    if fmt == "json":
        return report_json(report)
    if fmt == "md":
        return report_markdown(report)
    return report_text(report)


def proposed_map_text(report: AuditReport, header: list[str] | None = None) -> str:
    from raci.contracts.maps import proposed_map

    entries = [(r.row.label, r.row.where(), r.match) for d in report.documents for r in d.rows]
    return proposed_map(entries, report.catalog, header)
