"""Plain-text and JSON reports for the terminal: catalog listings, preset matrices, check findings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from raci.catalog import Catalog, Row
from raci.engagement import STANDARD_PARTIES, apply_presets
from raci.findings import SEVERITIES, Finding, summarize

if TYPE_CHECKING:
    from raci.controls import ControlRef

SEVERITY_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Info"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [(indent + "  ".join(c.ljust(w) for c, w in zip(r, widths))).rstrip() for r in rows]


def catalog_text(catalog: Catalog, domain: str | None = None, controls: bool = False) -> str:
    """Domains and their activities; with ``controls``, each activity's control ids on indented lines under it."""
    out: list[str] = []
    domains = [d for d in catalog.domains if domain in (None, d.id)]
    total = 0
    for d in domains:
        acts = catalog.activities_in(d.id)
        total += len(acts)
        out.append(f"{d.name} ({d.id}): {_plural(len(acts), 'activity').replace('activitys', 'activities')}")
        rows = []
        for a in acts:
            flags = []
            if a.coverage == "24x7":
                flags.append("24x7")
            if a.non_delegable:
                flags.append("non-delegable")
            rows.append([a.id, a.name, ", ".join(flags)])
        if rows:
            for a, line in zip(acts, _table(rows)):
                out.append(line)
                if controls:
                    out += _control_lines(a.controls, pad=max(map(len, catalog.control_sets), default=0) + 2)
        out.append("")
    out.append(f"{_plural(len(domains), 'domain')}, {total} activities.")
    return "\n".join(out) + "\n"


def _control_lines(controls: dict[str, tuple[str, ...]], pad: int, indent: str = "      ", width: int = 110) -> list[str]:
    """One line per control set (``nist-800-53   AC-2, AC-2(3)``), wrapped under its ids when long."""
    import textwrap

    out: list[str] = []
    for sid, ids in controls.items():
        out += textwrap.wrap(", ".join(ids), width, initial_indent=indent + sid.ljust(pad), subsequent_indent=indent + " " * pad,
                             break_long_words=False, break_on_hyphens=False)
    return out


def catalog_json(catalog: Catalog, domain: str | None = None) -> str:
    return json.dumps({
        "domains": [{"id": d.id, "name": d.name} for d in catalog.domains if domain in (None, d.id)],
        "activities": [a.to_dict() for a in catalog.activities.values() if domain in (None, a.domain)],
    }, indent=2, ensure_ascii=False)


def _control_hits(catalog: Catalog, ref: ControlRef, domain: str | None) -> list[tuple[str, str, str]]:
    """(activity id, the id it carries, how it relates) for every activity linked to ``ref``, best match first."""
    from raci.controls import control_hits

    return [(aid, cid, how) for aid, cid, how in control_hits(catalog, ref) if domain in (None, catalog.activities[aid].domain)]


_HOW = {"part": "{cid}", "exact": "{cid}", "whole": "{cid}, the control it is part of", "base": "{cid}, its base control",
        "part of it": "{cid}, a part of it",
        "enhancement": "{cid}, an enhancement"}


def _control_title(catalog: Catalog, ref: ControlRef) -> str:
    cset = catalog.control_sets.get(ref.set)
    part = f" part {ref.part}" if ref.part else ""
    return f"{ref.id}{part} in {cset.label if cset else ref.set}"


def catalog_control_text(catalog: Catalog, ref: ControlRef, domain: str | None = None) -> str:
    """The activities that carry one control: the exact id (an enhancement) first, then its base control."""
    hits = _control_hits(catalog, ref, domain)
    title = _control_title(catalog, ref)
    if not hits:
        where = f"in domain {domain} " if domain else "in the catalog "
        return f"No activity {where}carries {title}.\n"
    rows = [[aid, catalog.activities[aid].name, _HOW[how].format(cid=cid)] for aid, cid, how in hits]
    count = len({aid for aid, _cid, _how in hits})
    return "\n".join([f"{title}: {_plural(count, 'activity').replace('activitys', 'activities')}", *_table(rows)]) + "\n"


def catalog_control_json(catalog: Catalog, ref: ControlRef, domain: str | None = None) -> str:
    return json.dumps({
        "control": ref.to_dict(),
        "activities": [{**catalog.activities[aid].to_dict(), "matched": cid, "how": how}
                       for aid, cid, how in _control_hits(catalog, ref, domain)],
    }, indent=2, ensure_ascii=False)


def presets_text(catalog: Catalog) -> str:
    rows = [[p.id, f"(extends {p.extends})" if p.extends else "", p.name] for p in catalog.presets.values()]
    out = _table(rows, indent="")
    out.append("")
    for p in catalog.presets.values():
        out.append(f"{p.id}: {p.description}")
    return "\n".join(out) + "\n"


def presets_json(catalog: Catalog) -> str:
    return json.dumps({"presets": [p.to_dict() for p in catalog.presets.values()]}, indent=2, ensure_ascii=False)


def _parties_of(rows: dict[str, Row]) -> list[str]:
    order = STANDARD_PARTIES
    seen: list[str] = []
    for row in rows.values():
        for p in row.parties():
            if p not in seen:
                seen.append(p)
    return sorted(seen, key=lambda p: (order.index(p) if p in order else len(order), p))


def cell_text(row: Row, party: str) -> str:
    """A party's letters: business hours, with the after-hours role in brackets where it differs."""
    day = row.business.get(party, "")
    if row.after_hours is None:
        return day
    night = row.after_hours.get(party, "")
    if night == day:
        return day
    return f"{day or '-'} (after hours: {night or '-'})"


def _preset_notes(catalog: Catalog, preset_ids: list[str]) -> list[str]:
    """Which preset set which window where two presets share an activity, and the MSP work outside the recurring fee
    (the rest of the MSP's work is included in it)."""
    from raci.compose import commercial_status, compose

    comp = compose(catalog, preset_ids)
    out = [f"Windows: {aid}: {comp.window_text(aid)}." for aid in catalog.activities
           if len(set(comp.windows.get(aid, {}).values())) > 1]
    status = commercial_status(comp.commercial, comp.rows, ["msp"])
    for kind in ("project", "pass-through", "excluded"):
        ids = [aid for aid, st in status.items() if st == kind]
        if ids:
            out.append(f"Commercial status {kind} (outside the recurring fee): {', '.join(ids)}.")
    return out


def preset_matrix_text(catalog: Catalog, preset_ids: list[str]) -> str:
    rows, origin, overrides = apply_presets(catalog, preset_ids)
    parties = _parties_of(rows)
    title = " + ".join(catalog.presets[p].name for p in preset_ids)
    out = [f"{title} ({', '.join(preset_ids)})", ""]
    for d in catalog.domains:
        acts = catalog.activities_in(d.id)
        table = [["", "activity", *parties]]
        for a in acts:
            row = rows.get(a.id, Row({}))
            table.append([a.id, a.name, *[cell_text(row, p) for p in parties]])
        out.append(d.name)
        out += _table(table)
        out.append("")
    for aid, earlier, later in overrides:
        out.append(f"Note: {later} overrides {earlier} for {aid}.")
    out += _preset_notes(catalog, preset_ids)
    return "\n".join(out).rstrip("\n") + "\n"


def _preset_row(aid: str, catalog: Catalog, row: Row | None, preset: str | None, windows: dict[str, str],
                commercial: str | None) -> dict[str, object]:
    """One activity of ``raci presets --format json``: its roles, the preset that set each window, its commercial status."""
    after = row.after_hours if row is not None else None
    return {"activity": aid, "domain": catalog.activities[aid].domain, "roles": dict(row.business) if row is not None else {},
            "after_hours": dict(after) if after is not None else None, "preset": preset, "windows": windows,
            "commercial": commercial}


def preset_matrix_json(catalog: Catalog, preset_ids: list[str]) -> str:
    from raci.compose import commercial_status, compose

    comp = compose(catalog, preset_ids)
    rows, origin, overrides = comp.rows, comp.origin, comp.overrides
    status = commercial_status(comp.commercial, rows, ["msp"])
    return json.dumps({
        "presets": [catalog.presets[p].to_dict() for p in preset_ids],
        "parties": _parties_of(rows),
        "rows": [_preset_row(aid, catalog, rows.get(aid), origin.get(aid), dict(comp.windows.get(aid, {})), status.get(aid))
                 for aid in catalog.activities],
        "overrides": [{"activity": a, "earlier": e, "later": lt} for a, e, lt in overrides],
    }, indent=2, ensure_ascii=False)


def findings_json(findings: list[Finding]) -> str:
    """``raci check --format json``: ``{"findings": [...], "summary": {"error": n, "warning": n, "info": n}}``."""
    return json.dumps({"findings": [f.to_dict() for f in findings], "summary": summarize(findings)},
                      indent=2, ensure_ascii=False, default=str) + "\n"


def findings_text(findings: list[Finding], label: str) -> str:
    """``raci check``: a count line, then the findings grouped by severity (``label`` names the file checked)."""
    counts = summarize(findings)
    head = ", ".join(_plural(counts[s], s) if s != "info" else f"{counts[s]} info" for s in SEVERITIES)
    out = [f"{label}: {head}"]
    for sev in SEVERITIES:
        group = [f for f in findings if f.severity == sev]
        if not group:
            continue
        out.append("")
        out.append(f"{SEVERITY_TITLES[sev]} ({len(group)})")
        for f in group:
            where = f.activity or ", ".join(f.parties) or "engagement"
            if f.source:
                src = f.source
                where = f"{str(src['sheet']) + '!' if src.get('sheet') else ''}{src.get('row')} {src.get('label')!r}"
            out.append(f"  {f.rule:<21} {where}: {f.message}")
    if not findings:
        out.append("No findings: every in-scope activity has one accountable party and is covered.")
    return "\n".join(out) + "\n"
