"""The reports of a diff (raci.diff): plain text, JSON and the Markdown transition-plan appendix."""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

from raci.diff import (
    CLIENT_SECTIONS,
    DIRECTION_HELP,
    DIRECTION_TITLES,
    DIRECTION_WORDS,
    DIRECTIONS,
    SECTION_TITLES,
    SECTIONS,
    ActivityChange,
    Diff,
    PartyChange,
    md_escape,
)
from raci.mdtext import md_code

WINDOW_WORDS = {None: "all hours", "business-hours": "business hours", "after-hours": "after hours"}
TEXT_LIMIT = 60  # characters of a note, a name or a list of excluded activities in the text report, then an ellipsis
QUOTED = ("client", "provider", "name")  # free text, quoted in the text report


def _cell(role: str | None) -> str:
    return role or "-"


def _plain(value: object) -> str:
    """A value in words: - for none, lists joined by commas, dates as ISO, whole numbers without .0."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _short(text: str, limit: int = TEXT_LIMIT) -> str:
    """One line of at most ``limit`` characters, cut at a space where one is near the end."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;") + "…"


def _quoted(value: object) -> str:
    return "-" if value is None or value == "" else f"'{_short(str(value))}'"


def _text_value(field: str, value: object) -> str:
    return _quoted(value) if field in QUOTED else _plain(value)


def _party_words(p: object) -> str:
    assert isinstance(p, dict), "a whole party added or removed is its fields by name"
    return f"{p['kind']}, staff {p['staff']}, {p['hours']}"


def _by_key(changes: list, key: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in changes:
        out.setdefault(getattr(c, key), []).append(c)
    return out


def _party_change_words(c: PartyChange) -> tuple[str, str, str]:
    """(what, before, after) of one party change, for the Markdown table."""
    if c.field is None:
        return ("added", "-", _party_words(c.after)) if c.before is None else ("removed", _party_words(c.before), "-")
    return c.field, _plain(c.before), _plain(c.after)


# --------------------------------------------------------------------------- text


def _role_summary(d: Diff) -> str:
    counts = d.counts()
    n = len(d.items)
    parts = [f"{DIRECTION_WORDS[k]}: {counts[k]}" for k in DIRECTIONS if counts[k]]
    acts = len({i.activity for i in d.items})
    return (f"{acts} {'activity changes' if acts == 1 else 'activities change'} "
            f"({n} {'entry' if n == 1 else 'entries'}, {len(d.changes)} role {'change' if len(d.changes) == 1 else 'changes'}): "
            + "; ".join(parts))


def _summary_line(d: Diff) -> str:
    counts = d.section_counts()
    others = ", ".join(f"{SECTION_TITLES[k].lower()} {counts[k]}" for k in SECTIONS if counts[k])
    if not d.items:
        return f"Roles unchanged. Changed: {others}"
    return f"{_role_summary(d)}. Also changed: {others}" if others else _role_summary(d)


def _who(ident: str, name: str | None) -> str:
    return ident if not name or name == ident else f"{ident} ({_short(name)})"


def _section_lines(d: Diff) -> dict[str, list[str]]:
    """One line per changed detail, party, activity note, activity service level and exclusion."""
    lines: dict[str, list[str]] = {key: [] for key in SECTIONS}
    lines["engagement"] = [f"{c.field}: {_text_value(c.field, c.before)} -> {_text_value(c.field, c.after)}"
                           for c in d.metadata]
    for pid, changes in _by_key(d.party_changes, "party").items():
        parts = []
        for c in changes:
            if c.field is None:
                parts.append(f"{'added' if c.before is None else 'removed'} ({_party_words(c.after or c.before)})")
            else:
                parts.append(f"{c.field} {_text_value(c.field, c.before)} -> {_text_value(c.field, c.after)}")
        lines["parties"].append(f"{_who(pid, changes[0].name)}: {'; '.join(parts)}")
    for key, word in (("notes", "note"), ("internal_notes", "internal note")):
        for n in getattr(d, key):
            if n.before is None:
                what = f"{word} added: {_quoted(n.after)}"
            elif n.after is None:
                what = f"{word} removed: {_quoted(n.before)}"
            else:
                what = f"{word} changed: {_quoted(n.before)} -> {_quoted(n.after)}"
            lines[key].append(f"{_who(n.activity, n.name)}: {what}")
    for aid, changes in _by_key(d.sla, "activity").items():
        parts = [f"{c.field} {_plain(c.before)} -> {_plain(c.after)}" for c in changes]
        lines["sla"].append(f"{_who(aid, changes[0].name)}: {'; '.join(parts)}")
    for x in d.exclusions:
        if x.activities == (x.pattern,):
            covers = d.activity_names.get(x.pattern, "")
        else:
            n = len(x.activities)
            covers = f"covers {n} {'activity' if n == 1 else 'activities'}: {_short(', '.join(x.activities))}"
        lines["exclusions"].append(f"{x.change}: {x.pattern} ({covers})" if covers else f"{x.change}: {x.pattern}")
    lines["commercial"] = [c.text() for c in d.commercial]
    return lines


def diff_text(d: Diff) -> str:
    out = [f"From {d.a.label}", f"  to {d.b.label}"]
    if d.unchanged:
        out.append("No changes: every activity has the same roles for every party in both windows.")
        return "\n".join(out) + "\n"
    out.append(_summary_line(d))
    for direction, domains in d.grouped():
        count = sum(len(items) for _, items in domains)
        out.append("")
        helptext = DIRECTION_HELP[direction]
        out.append(f"{DIRECTION_TITLES[direction]} ({count}): {helptext[0].lower()}{helptext[1:]}")
        for dom, items in domains:
            out.append(f"  {d.domain_names.get(dom, dom)}")
            for item in items:
                extra = f", {item.scope}" if item.scope else ""
                out.append(f"    {item.activity} ({item.name}) [{WINDOW_WORDS[item.window]}{extra}]")
                for c in item.changes:
                    out.append(f"      {c.party}: {_cell(c.before)} -> {_cell(c.after)}")
    for key, lines in _section_lines(d).items():
        if lines:
            out += ["", f"{SECTION_TITLES[key]} ({len(lines)})", *(f"  {line}" for line in lines)]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- JSON


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, _dt.date) else value


def diff_json(d: Diff) -> str:
    return json.dumps({
        "a": d.a.label,
        "b": d.b.label,
        "changes": [c.to_dict() for c in d.changes],
        "activities": [
            {"activity": i.activity, "domain": i.domain, "window": i.window, "direction": i.direction, "scope": i.scope}
            for i in d.items
        ],
        "summary": d.counts(),
        "metadata": [{"field": c.field, "before": _json_value(c.before), "after": _json_value(c.after)} for c in d.metadata],
        "parties": [{"party": c.party, "field": c.field, "before": c.before, "after": c.after} for c in d.party_changes],
        "notes": [{"activity": c.activity, "before": c.before, "after": c.after} for c in d.notes],
        "internal_notes": [{"activity": c.activity, "before": c.before, "after": c.after} for c in d.internal_notes],
        "sla": [{"activity": c.activity, "field": c.field, "before": c.before, "after": c.after} for c in d.sla],
        "exclusions": {change: [{"pattern": x.pattern, "activities": list(x.activities)}
                                for x in d.exclusions if x.change == change] for change in ("added", "removed")},
        "commercial": [c.to_dict() for c in d.commercial],
    }, indent=2, ensure_ascii=False)


# --------------------------------------------------------------------------- Markdown


def _markdown_sections(d: Diff) -> dict[str, list[dict]]:
    """The rows of each section's table; the template escapes every value. The transition plan is an appendix a client
    reads, so it has no internal notes (the text and JSON reports list them)."""
    names = d.activity_names
    parties = []
    for c in d.party_changes:
        what, before, after = _party_change_words(c)
        parties.append({"party": c.party, "name": c.name, "change": what, "before": before, "after": after})
    return {
        "engagement": [{"field": c.field, "before": _plain(c.before), "after": _plain(c.after)} for c in d.metadata],
        "parties": parties,
        "notes": [{"activity": c.activity, "name": c.name, "before": _plain(c.before), "after": _plain(c.after)}
                  for c in d.notes],
        "sla": [{"activity": c.activity, "name": c.name, "field": c.field, "before": _plain(c.before),
                 "after": _plain(c.after)} for c in d.sla],
        "exclusions": [{"change": x.change, "pattern": x.pattern,
                        "activities": [{"activity": aid, "name": names.get(aid, aid)} for aid in x.activities]}
                       for x in d.exclusions],
        "commercial": [{"activity": c.activity, "name": c.name, "before": c.before or "", "after": c.after or ""}
                       for c in d.commercial],
    }


def diff_markdown(d: Diff, template_dir: str | Path | None = None) -> str:
    """The transition-plan appendix, rendered from ``diff.md.j2`` (bundled, or from ``template_dir``)."""
    from raci.resources import templates_dir
    from raci.templating import environment, render

    env = environment([template_dir or templates_dir()], {"md": md_escape, "code": md_code, "role": _cell})
    parties = d.parties()
    headers = []
    for p in parties:
        name = d.b.names.get(p) or d.a.names.get(p)
        headers.append(f"{name} ({p})" if name and name != p else p)

    def rows(items: list[ActivityChange]) -> list[dict]:
        out = []
        for item in items:
            moves = {c.party: f"{_cell(c.before)} → {_cell(c.after)}" for c in item.changes}
            out.append({"activity": item.activity, "name": item.name, "window": WINDOW_WORDS[item.window],
                        "scope": item.scope, "cells": [moves.get(p, "") for p in parties]})
        return out

    groups = [
        {"direction": direction, "title": DIRECTION_TITLES[direction], "help": DIRECTION_HELP[direction],
         "domains": [{"id": dom, "name": d.domain_names.get(dom, dom), "rows": rows(items)} for dom, items in domains]}
        for direction, domains in d.grouped()
    ]
    counts = {k: v for k, v in d.section_counts().items() if k in CLIENT_SECTIONS}
    # a document a client may read names the files, never the folders of the machine that made it
    context = {"a": os.path.basename(d.a.label), "b": os.path.basename(d.b.label), "groups": groups, "counts": d.counts(), "titles": DIRECTION_TITLES,
               "directions": DIRECTIONS, "parties": headers, "total": len(d.items),
               "unchanged": not d.items and not any(counts.values()),  # as the client sees it: internal notes aside
               "sections": _markdown_sections(d), "section_titles": SECTION_TITLES, "section_counts": counts}
    return render(env, "diff.md.j2", context).rstrip("\n") + "\n"
