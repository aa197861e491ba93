"""What changes between two arrangements (engagement files or presets): per activity, party and window, grouped for a transition plan."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from raci.catalog import Catalog, Row
from raci.engagement import apply_presets, load_engagement, resolve
from raci.errors import InputError, Problem
from raci.roles import has_r

WINDOWS = ("business-hours", "after-hours")
# Directions, in the order a transition plan lists them.
DIRECTIONS = ("to-msp", "to-client", "shared", "unowned", "other")
DIRECTION_TITLES = {
    "to-msp": "Moves to the MSP",
    "to-client": "Moves to the client",
    "shared": "Newly shared",
    "unowned": "Newly unowned",
    "other": "Other role changes",
}
DIRECTION_HELP = {
    "to-msp": "The MSP takes on work or accountability the client held",
    "to-client": "The client takes on work or accountability the MSP held",
    "shared": "Two or more parties now do the same work: agree how it is split",
    "unowned": "Nobody is accountable or nobody does the work any more, or the activity leaves the scope",
    "other": "Consulted or informed parties change, or work moves to or from a vendor",
}
DIRECTION_WORDS = {
    "to-msp": "moves to the MSP",
    "to-client": "moves to the client",
    "shared": "newly shared",
    "unowned": "newly unowned",
    "other": "other role changes",
}
PARTY_ORDER = ("client-exec", "client-it", "msp")
STANDARD_SIDES = {"client-exec": "client", "client-it": "client", "msp": "msp"}


@dataclass
class Arrangement:
    """One side of a diff: an engagement file or a preset combination, resolved against the catalog."""

    label: str
    rows: dict[str, Row]
    excluded: set[str]
    sides: dict[str, str]  # party -> "client", "msp" or "vendor"
    path: str | None = None  # the file it came from, when it is one
    names: dict[str, str] = field(default_factory=dict)  # party -> display name, for engagements

    def accountable(self, aid: str) -> list[str]:
        if aid in self.excluded or aid not in self.rows:
            return []
        return self.rows[aid].accountable()

    def roles(self, aid: str, window: str) -> dict[str, str]:
        if aid in self.excluded or aid not in self.rows:
            return {}
        return dict(self.rows[aid].window(window))


@dataclass(frozen=True)
class Change:
    activity: str
    party: str
    window: str | None  # None: the same change in both windows
    before: str | None
    after: str | None
    domain: str
    direction: str

    def to_dict(self) -> dict:
        return {"activity": self.activity, "party": self.party, "window": self.window, "before": self.before,
                "after": self.after, "domain": self.domain, "direction": self.direction}


@dataclass
class ActivityChange:
    """The changes of one activity in one window (or both), with the direction they move the work."""

    activity: str
    name: str
    domain: str
    window: str | None
    direction: str
    changes: list[Change]
    scope: str | None = None  # "leaves the scope" / "enters the scope" when an exclusion changes


@dataclass
class Diff:
    a: Arrangement
    b: Arrangement
    items: list[ActivityChange] = field(default_factory=list)
    domain_names: dict[str, str] = field(default_factory=dict)

    @property
    def changes(self) -> list[Change]:
        return [c for item in self.items for c in item.changes]

    def grouped(self) -> list[tuple[str, list[tuple[str, list[ActivityChange]]]]]:
        """[(direction, [(domain id, [items])])] in direction order, then catalog domain order."""
        out = []
        for direction in DIRECTIONS:
            items = [i for i in self.items if i.direction == direction]
            if not items:
                continue
            domains: dict[str, list[ActivityChange]] = {}
            for item in items:
                domains.setdefault(item.domain, []).append(item)
            out.append((direction, list(domains.items())))
        return out

    def parties(self) -> list[str]:
        """Every party with a change, standard parties first."""
        return sorted({c.party for c in self.changes}, key=_party_key)

    def counts(self) -> dict[str, int]:
        return {d: sum(1 for i in self.items if i.direction == d) for d in DIRECTIONS}


# --------------------------------------------------------------------------- loading either side


def load_arrangement(spec: str, catalog: Catalog) -> Arrangement:
    """An existing file is an engagement; otherwise ``spec`` must be preset ids joined by commas."""
    path = Path(spec)
    if path.is_file():
        eng = load_engagement(path, catalog)
        matrix = resolve(eng, catalog)
        sides = {pid: ("msp" if p.kind == "msp" else "client" if p.kind == "client" else "vendor")
                 for pid, p in eng.parties.items()}
        names = {pid: p.name for pid, p in eng.parties.items()}
        return Arrangement(spec, matrix.rows, set(matrix.excluded), sides, spec, names)
    ids = [p.strip() for p in spec.split(",")]
    unknown = [p for p in ids if p not in catalog.presets]
    if not spec.strip() or unknown:
        looks_like_file = any(ch in spec for ch in "/\\") or spec.endswith((".yaml", ".yml"))
        if looks_like_file or path.exists():
            why = "is a folder, not an engagement file" if path.exists() else "no such file"
            raise InputError(Problem(spec, why))
        names = ", ".join(repr(p) for p in unknown) or repr(spec)
        raise InputError(Problem("", f"{names}: neither an engagement file nor a preset "
                                     f"(known presets: {', '.join(sorted(catalog.presets))})"))
    dup = [p for p in dict.fromkeys(ids) if ids.count(p) > 1]
    if dup:
        raise InputError(Problem("", f"preset {dup[0]!r} is listed twice in {spec!r}"))
    rows, _, _ = apply_presets(catalog, ids)
    sides: dict[str, str] = {}
    for row in rows.values():
        for party in row.parties():
            sides.setdefault(party, STANDARD_SIDES.get(party, "vendor"))
    return Arrangement(f"presets {' + '.join(ids)}", rows, set(), sides)


# --------------------------------------------------------------------------- comparing


def _side(arr_a: Arrangement, arr_b: Arrangement, party: str) -> str:
    return arr_b.sides.get(party) or arr_a.sides.get(party) or STANDARD_SIDES.get(party, "vendor")


def _direction(before: dict[str, str], after: dict[str, str], acc_before: list[str], acc_after: list[str], side,
               needs_r: bool, left_scope: bool) -> str:
    """Classify one activity's change in one window. Accountability does not change by window, so A is
    read from the whole row (``acc_*``), while R is read from the window itself."""
    def owned(roles: dict[str, str], acc: list[str]) -> bool:
        return bool(acc) and (not needs_r or any(has_r(r) for r in roles.values()))

    if left_scope or (owned(before, acc_before) and not owned(after, acc_after)):
        return "unowned"
    doers_before = [p for p, r in before.items() if has_r(r)]
    doers_after = [p for p, r in after.items() if has_r(r)]
    if len(doers_after) >= 2 and len(doers_after) > len(doers_before):
        return "shared"
    r_before = {side(p) for p in doers_before}
    r_after = {side(p) for p in doers_after}
    a_before = {side(p) for p in acc_before}
    a_after = {side(p) for p in acc_after}
    gained = (r_after - r_before) | (a_after - a_before)
    lost = (r_before - r_after) | (a_before - a_after)
    if "msp" in gained and "client" not in gained:
        return "to-msp"
    if "client" in gained and "msp" not in gained:
        return "to-client"
    # The MSP dropping work it shared (or the client dropping its share) still moves the work one way.
    if not gained and "client" in lost and "msp" not in lost and "msp" in r_after:
        return "to-msp"
    if not gained and "msp" in lost and "client" not in lost and "client" in r_after:
        return "to-client"
    return "other"


def _party_key(party: str) -> tuple[int, str]:
    return (PARTY_ORDER.index(party) if party in PARTY_ORDER else len(PARTY_ORDER), party)


def diff(catalog: Catalog, a: Arrangement, b: Arrangement) -> Diff:
    """Every activity whose roles change from ``a`` to ``b``, per party and window, in catalog order."""
    result = Diff(a, b, domain_names=dict(catalog.domain_names))
    for aid, act in catalog.activities.items():
        per_window: dict[str, list[tuple[str, str | None, str | None]]] = {}
        roles = {}
        for window in WINDOWS:
            before, after = a.roles(aid, window), b.roles(aid, window)
            roles[window] = (before, after)
            parties = sorted(dict.fromkeys([*before, *after]), key=_party_key)
            per_window[window] = [(p, before.get(p), after.get(p)) for p in parties if before.get(p) != after.get(p)]
        scope = None
        if (aid in a.excluded) != (aid in b.excluded):
            scope = "leaves the scope" if aid in b.excluded else "enters the scope"
        windows: list[str | None]
        if per_window["business-hours"] == per_window["after-hours"]:
            windows = [None] if per_window["business-hours"] or scope else []
        else:
            windows = [w for w in WINDOWS if per_window[w]]
        for window in windows:
            key = window or "business-hours"
            before, after = roles[key]
            needs_r = key == "business-hours" or act.coverage == "24x7"
            direction = _direction(before, after, a.accountable(aid), b.accountable(aid), lambda p: _side(a, b, p),
                                   needs_r, scope == "leaves the scope")
            changes = [Change(aid, p, window, x, y, act.domain, direction) for p, x, y in per_window[key]]
            result.items.append(ActivityChange(aid, act.name, act.domain, window, direction, changes, scope))
    return result


def diff_specs(catalog: Catalog, spec_a: str, spec_b: str) -> Diff:
    """Load both sides (reporting the problems of both at once) and compare them."""
    problems: list[Problem] = []
    sides = []
    for spec in (spec_a, spec_b):
        try:
            sides.append(load_arrangement(spec, catalog))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return diff(catalog, sides[0], sides[1])


# --------------------------------------------------------------------------- formatting

WINDOW_WORDS = {None: "all hours", "business-hours": "business hours", "after-hours": "after hours"}


def _cell(role: str | None) -> str:
    return role or "-"


def _summary_line(d: Diff) -> str:
    counts = d.counts()
    n = len(d.items)
    parts = [f"{DIRECTION_WORDS[k]}: {counts[k]}" for k in DIRECTIONS if counts[k]]
    acts = len({i.activity for i in d.items})
    return (f"{acts} {'activity changes' if acts == 1 else 'activities change'} "
            f"({n} {'entry' if n == 1 else 'entries'}, {len(d.changes)} role {'change' if len(d.changes) == 1 else 'changes'}): "
            + "; ".join(parts))


def diff_text(d: Diff) -> str:
    out = [f"From {d.a.label}", f"  to {d.b.label}"]
    if not d.items:
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
    return "\n".join(out) + "\n"


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
    }, indent=2, ensure_ascii=False)


def md_escape(value: object) -> str:
    """Make text safe in a Markdown table cell: HTML is escaped, pipes are escaped, line breaks become spaces."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return " ".join(text.split())


def diff_markdown(d: Diff, template_dir: str | Path | None = None) -> str:
    """The transition-plan appendix, rendered from ``diff.md.j2`` (bundled, or from ``template_dir``)."""
    import jinja2

    from raci.errors import TemplateError
    from raci.resources import templates_dir

    folder = Path(template_dir) if template_dir else templates_dir()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = md_escape
    env.filters["role"] = _cell
    try:
        template = env.get_template("diff.md.j2")
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
        return template.render(a=d.a.label, b=d.b.label, groups=groups, counts=d.counts(), titles=DIRECTION_TITLES,
                               directions=DIRECTIONS, parties=headers, total=len(d.items)).rstrip("\n") + "\n"
    except jinja2.TemplateNotFound:
        raise TemplateError(Problem(str(folder / "diff.md.j2"), "template not found")) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(Problem(exc.filename or "diff.md.j2", exc.message or "syntax error", exc.lineno)) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(Problem(str(folder / "diff.md.j2"), str(exc))) from None
