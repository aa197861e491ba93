"""Domains and activities as the catalog holds them: the domain files and frameworks.yaml read and validated,
and the references between activities (depends_on, escalates_to, frameworks) checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from raci.controls import read_activity_controls
from raci.errors import InputError
from raci.inputs import CATALOG_FILE_LIMIT
from raci.validate import Collector, as_str_list, find_cycle, optional_text, shown, text_problem
from raci.yamlio import line_of, load_yaml_file

COVERAGES = ("business-hours", "24x7")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")
_ACTIVITY_KEYS = {
    "id", "name", "description", "aliases", "coverage", "depends_on", "escalates_to", "frameworks", "non_delegable", "controls",
}
_REQUIRED_ACTIVITY_KEYS = ("id", "name", "description")


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    domain: str
    description: str
    aliases: tuple[str, ...] = ()
    coverage: str = "business-hours"
    depends_on: tuple[str, ...] = ()
    escalates_to: str | None = None
    frameworks: tuple[str, ...] = ()
    non_delegable: bool = False
    controls: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)  # control set -> control ids

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "domain": self.domain,
            "description": self.description,
            "aliases": list(self.aliases),
            "coverage": self.coverage,
            "depends_on": list(self.depends_on),
            "escalates_to": self.escalates_to,
            "frameworks": list(self.frameworks),
            "non_delegable": self.non_delegable,
            "controls": {sid: list(ids) for sid, ids in self.controls.items()},
        }



def load_frameworks(root: Path, col: Collector) -> dict[str, str]:
    path = root / "frameworks.yaml"
    if not path.exists():
        col.add(str(path), None, "missing: the catalog needs a frameworks.yaml listing known frameworks")
        return {}
    data = load_file(path, col)
    out: dict[str, str] = {}
    if data is None:
        return out
    items = data.get("frameworks") if isinstance(data, dict) else None
    if not isinstance(items, list):
        col.add(str(path), line_of(data), "expected a 'frameworks:' list")
        return out
    for i, item in enumerate(items):
        line = line_of(items, i)
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            col.add(str(path), line, "each framework needs an 'id' and a 'name'")
            continue
        if item["id"] in out:
            col.add(str(path), line, f"duplicate framework id {item['id']!r}")
        out[item["id"]] = optional_text(item.get("name"), str(path), line_of(item, "name", line), "framework name", col) or item["id"]
    return out


def load_file(path: Path, col: Collector):
    try:
        return load_yaml_file(path, CATALOG_FILE_LIMIT, "a catalog file")
    except InputError as exc:
        col.problems.extend(exc.problems)
        return None


def load_domain_file(path: Path, col: Collector, domains, activities, lines) -> None:
    f = str(path)
    data = load_file(path, col)
    if data is None:
        return
    did = _read_domain(data, f, col, domains)
    if did is None:
        return
    acts = data.get("activities")
    if not isinstance(acts, list):
        col.add(f, line_of(data, "activities", 1), "'activities' must be a list")
        return
    for i, item in enumerate(acts):
        _read_activity(item, line_of(acts, i), f, did, col, activities, lines)


def _read_domain(data, f: str, col: Collector, domains) -> str | None:
    """The file's 'domain' mapping checked and added to ``domains``; its id, or None when the file cannot go on."""
    if not isinstance(data, dict):
        col.add(f, line_of(data, default=1), "expected a mapping with 'domain' and 'activities'")
        return None
    for key in data:
        if key not in ("domain", "activities"):
            col.add(f, line_of(data, key), f"unknown key {shown(key)} (expected 'domain' and 'activities')")
    dom = data.get("domain")
    if not isinstance(dom, dict) or not isinstance(dom.get("id"), str) or not isinstance(dom.get("name"), str):
        col.add(f, line_of(data, "domain", 1), "'domain' needs an 'id' and a 'name'")
        return None
    if (why := text_problem(dom["name"], "domain name")) is not None:
        col.add(f, line_of(dom, "name"), why)
    for key in dom:
        if key not in ("id", "name", "description"):
            col.add(f, line_of(dom, key), f"unknown key {shown(key)} in domain")
    did = dom["id"]
    if not _ID_RE.match(did) or "." in did:
        col.add(f, line_of(dom, "id"), f"domain id {shown(did)} must be lowercase letters, digits and hyphens")
    if any(d.id == did for d in domains):
        col.add(f, line_of(dom, "id"), f"duplicate domain id {did!r}")
    domains.append(Domain(did, dom["name"], optional_text(dom.get("description"), f, line_of(dom, "description"), "domain description", col)))
    return did


def _activity_shape_ok(item: dict, f: str, line, col: Collector) -> bool:
    """Reports unknown keys; False (reported) when a required text is missing or too long."""
    for key in item:
        if key not in _ACTIVITY_KEYS:
            col.add(f, line_of(item, key), f"unknown key {shown(key)} in activity (allowed: {', '.join(sorted(_ACTIVITY_KEYS))})")
    missing = [k for k in _REQUIRED_ACTIVITY_KEYS if not isinstance(item.get(k), str) or not str(item.get(k)).strip()]
    if missing:
        col.add(f, line, f"activity is missing {', '.join(missing)}")
        return False
    too_long = [why for k in _REQUIRED_ACTIVITY_KEYS if (why := text_problem(item[k], f"activity {k}")) is not None]
    if too_long:
        col.add(f, line, too_long[0])
        return False
    return True


def _activity_flags(item: dict, f: str, col: Collector) -> tuple:
    """An activity's coverage, escalation target and non-delegable flag, each reported when malformed."""
    coverage = item.get("coverage", "business-hours")
    if coverage not in COVERAGES:
        col.add(f, line_of(item, "coverage"), f"coverage {shown(coverage)} must be business-hours or 24x7")
    esc = item.get("escalates_to")
    if esc is not None and not isinstance(esc, str):
        col.add(f, line_of(item, "escalates_to"), "escalates_to must be an activity id or null")
        esc = None
    nd = item.get("non_delegable", False)
    if not isinstance(nd, bool):
        col.add(f, line_of(item, "non_delegable"), "non_delegable must be true or false")
        nd = False
    return coverage, esc, nd


def _read_activity(item, line, f: str, did: str, col: Collector, activities, lines) -> None:
    """One activity checked and, unless a duplicate or malformed, added to ``activities`` and ``lines``."""
    if not isinstance(item, dict):
        col.add(f, line, "each activity must be a mapping")
        return
    if not _activity_shape_ok(item, f, line, col):
        return
    aid = item["id"]
    if not _ID_RE.match(aid) or not aid.startswith(did + "."):
        col.add(f, line_of(item, "id"), f"activity id {shown(aid)} must start with its domain id '{did}.'")
    if aid in activities:
        col.add(f, line_of(item, "id"), f"duplicate activity id {aid!r} (first defined at {lines[aid][0]}:{lines[aid][1]})")
        return
    coverage, esc, nd = _activity_flags(item, f, col)
    activities[aid] = Activity(
        id=aid,
        name=item["name"].strip(),
        domain=did,
        description=" ".join(item["description"].split()),
        aliases=as_str_list(item.get("aliases"), f, line_of(item, "aliases"), "aliases", col),
        coverage=coverage,
        depends_on=as_str_list(item.get("depends_on"), f, line_of(item, "depends_on"), "depends_on", col),
        escalates_to=esc,
        frameworks=as_str_list(item.get("frameworks"), f, line_of(item, "frameworks"), "frameworks", col),
        non_delegable=nd,
        controls=read_activity_controls(item.get("controls"), f, line_of(item, "controls"), col),
    )
    lines[aid] = (f, line_of(item, "id"), item)


def check_references(activities, lines, frameworks, col: Collector) -> None:
    for aid, act in activities.items():
        f, _, item = lines[aid]
        for dep in act.depends_on:
            if dep not in activities:
                col.add(f, line_of(item, "depends_on"), f"{aid} depends on unknown activity {shown(dep)}")
            elif dep == aid:
                col.add(f, line_of(item, "depends_on"), f"{aid} depends on itself")
        if act.escalates_to is not None and act.escalates_to not in activities:
            col.add(f, line_of(item, "escalates_to"), f"{aid} escalates to unknown activity {shown(act.escalates_to)}")
        for fw in act.frameworks:
            if fw not in frameworks:
                col.add(f, line_of(item, "frameworks"), f"{aid} names unknown framework {shown(fw)} (known: {', '.join(sorted(frameworks))})")
    for key, label in (("depends_on", "dependency"), ("escalates_to", "escalation")):
        if key == "depends_on":
            edges = {a: tuple(d for d in act.depends_on if d in activities and d != a) for a, act in activities.items()}
        else:
            edges = {a: ((act.escalates_to,) if act.escalates_to in activities else ()) for a, act in activities.items()}
        reported: set[str] = set()
        while True:
            cycle = find_cycle(edges)
            if cycle is None:
                break
            first = cycle[0]
            f, _, item = lines[first]
            col.add(f, line_of(item, key), f"{label} cycle: {' -> '.join(cycle)}")
            reported.update(cycle)
            edges = {a: tuple(t for t in ts if t not in reported) for a, ts in edges.items() if a not in reported}
