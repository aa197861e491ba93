"""The SOW appendix as Markdown, rendered from Jinja2 templates that a user may override."""

from __future__ import annotations

import re
from pathlib import Path

from raci import __version__
from raci.engagement import Matrix
from raci.errors import Problem, TemplateError
from raci.findings import Finding, sort_findings, summarize
from raci.resources import templates_dir
from raci.roles import MEANING

MAIN_TEMPLATE = "appendix.md.j2"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]~|])")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def md_escape(value: object) -> str:
    """User text as one safe Markdown table cell or inline span: no HTML, no stray emphasis, no cell breaks."""
    if value is None:
        return ""
    text = str(value).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _NEWLINES.sub("<br>", text)


def _after_text(roles: dict[str, str], names: dict[str, str]) -> str:
    return ", ".join(f"{names[p]}: {r}" for p, r in roles.items()) or "no roles"


def build_context(matrix: Matrix, findings: list[Finding], command: str) -> dict:
    """Everything the templates may use, as plain values (raw user text: templates escape it with |md)."""
    from raci.excel import arrangement, domain_groups, effective_text, exclusion_rows, profile_text, shown_after_hours, sla_text, summary_text

    eng = matrix.engagement
    cat = matrix.catalog
    acts = cat.activities
    names = {pid: p.name for pid, p in eng.parties.items()}
    in_scope = matrix.in_scope()
    domains = []
    after_rows = []
    for dom, ids in domain_groups(matrix, in_scope):
        rows = []
        for aid in ids:
            row = matrix.rows[aid]
            shown = shown_after_hours(row)
            rows.append({
                "id": aid,
                "name": acts[aid].name,
                "roles": [row.business.get(p, "") for p in eng.parties],
                # an empty after-hours row (nobody works nights) differs from business hours too
                "after_hours": shown is not None,
                "sla": sla_text(eng.sla.get(aid)),
                "note": eng.notes.get(aid, ""),
            })
            if shown is not None:
                after_rows.append({"id": aid, "name": acts[aid].name, "business": _after_text(row.business, names),
                                   "after_hours": _after_text(shown, names)})
        domains.append({"id": dom.id, "name": dom.name, "rows": rows})
    exclusions = [{"pattern": pattern, "id": aid, "name": name, "domain": domain}
                  for pattern, aid, name, domain in exclusion_rows(matrix)]
    ordered = sort_findings(findings, cat.order)
    summary = summarize(findings)
    return {
        "meta": {
            "client": eng.client,
            "provider": eng.provider,
            "version": str(eng.version),
            "effective": effective_text(matrix, ""),
            "arrangement": arrangement(matrix),
            "presets": [{"id": p, "name": cat.presets[p].name} for p in eng.presets],
            "profile": profile_text(matrix),
            "tool_version": __version__,
            "command": command,
            "in_scope": len(in_scope),
            "excluded": len(matrix.excluded),
        },
        "parties": [{"id": pid, "name": p.name, "kind": p.kind, "staff": p.staff, "hours": p.hours}
                    for pid, p in eng.parties.items()],
        "party_names": [p.name for p in eng.parties.values()],
        "legend": [{"letter": letter, "meaning": MEANING[letter]} for letter in ("R", "A", "C", "I", "A/R")],
        "domains": domains,
        "after_hours": after_rows,
        "sla": [{"id": aid, "name": acts[aid].name, "coverage": acts[aid].coverage, "response": t.get("response", ""),
                 "resolution": t.get("resolution", "")} for aid, t in eng.sla.items()],
        "exclusions": exclusions,
        "findings": [{"severity": f.severity, "rule": f.rule, "activity": f.activity or "",
                      "name": acts[f.activity].name if f.activity in acts else "", "message": f.message} for f in ordered],
        "summary": summary,
        "summary_text": summary_text(summary),
    }


def render_markdown(matrix: Matrix, findings: list[Finding], *, command: str, template_dir: str | Path | None = None) -> str:
    """The Markdown appendix; a template mistake raises TemplateError naming the template and line."""
    from raci.templating import environment, render

    folders: list[str | Path] = []
    if template_dir is not None:
        if not Path(template_dir).is_dir():
            raise TemplateError(Problem(str(template_dir), "template folder not found"))
        folders.append(template_dir)
    folders.append(templates_dir())  # the bundled templates, for every one the folder does not replace
    return render(environment(folders, {"md": md_escape}), MAIN_TEMPLATE, build_context(matrix, findings, command))
