"""The catalog: domains, activities, frameworks and presets, loaded from YAML and validated as a whole."""

from __future__ import annotations

import bisect
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from raci.controls import check_controls, load_control_sets, read_activity_controls
from raci.errors import CatalogError, InputError, Problem
from raci.inputs import CATALOG_FILE_LIMIT
from raci.roles import Row
from raci.validate import Collector, as_str_list, find_cycle, is_glob, optional_text, parse_roles, shown, text_problem
from raci.yamlio import LDict, LList, gc_paused, line_of, load_yaml_file

COVERAGES = ("business-hours", "24x7")
WINDOWS = ("business-hours", "after-hours")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")
_ACTIVITY_KEYS = {
    "id", "name", "description", "aliases", "coverage", "depends_on", "escalates_to", "frameworks", "non_delegable", "controls",
}
_REQUIRED_ACTIVITY_KEYS = ("id", "name", "description")
_PRESET_KEYS = {"id", "name", "description", "extends", "rows"}


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


def _specificity(pattern: str) -> tuple[int, int]:
    """How specific a preset row's key is: exact ids beat globs, longer globs beat shorter ones."""
    if not is_glob(pattern):
        return (1, len(pattern))
    return (0, sum(1 for ch in pattern if ch not in "*?[]"))


class IdIndex:
    """Matches ids against exact ids and globs without scanning the whole catalog for each pattern."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        self.set = set(ids)
        self.order = {aid: i for i, aid in enumerate(ids)}
        self.sorted = sorted(ids)

    def match(self, pattern: str) -> list[str]:
        if not is_glob(pattern):
            return [pattern] if pattern in self.set else []
        stem = pattern.rstrip("*")
        if not any(ch in stem for ch in "*?["):  # "prefix*", the common case: a range of the sorted ids
            lo = bisect.bisect_left(self.sorted, stem)
            hi = lo
            while hi < len(self.sorted) and self.sorted[hi].startswith(stem):
                hi += 1
            return sorted(self.sorted[lo:hi], key=self.order.__getitem__)
        rx = re.compile(fnmatch.translate(pattern))
        return [i for i in self.ids if rx.match(i)]


def match_ids(pattern: str, ids: list[str] | IdIndex) -> list[str]:
    """Ids matched by ``pattern`` (an exact id, or an fnmatch glob), in catalog order."""
    index = ids if isinstance(ids, IdIndex) else IdIndex(ids)
    return index.match(pattern)


@dataclass
class PresetRow:
    pattern: str
    row: Row
    line: int


@dataclass
class Preset:
    id: str
    name: str
    description: str
    extends: str | None
    rows: list[PresetRow]
    file: str
    line: int = 1

    def own_rows(self, ids: list[str] | IdIndex) -> dict[str, tuple[Row, PresetRow]]:
        """For every activity this preset's own rows match, the most specific row (ties: later wins)."""
        best: dict[str, tuple[tuple[int, int], Row, PresetRow]] = {}
        ids = ids if isinstance(ids, IdIndex) else IdIndex(ids)
        for prow in self.rows:
            spec = _specificity(prow.pattern)
            for aid in match_ids(prow.pattern, ids):
                cur = best.get(aid)
                if cur is None or spec >= cur[0]:
                    best[aid] = (spec, prow.row, prow)
        return {aid: (row, prow) for aid, (_, row, prow) in best.items()}

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description, "extends": self.extends}


@dataclass
class Catalog:
    path: str
    domains: list[Domain]
    activities: dict[str, Activity]
    frameworks: dict[str, str]
    presets: dict[str, Preset]
    order: dict[str, int] = field(default_factory=dict)
    _index: IdIndex | None = field(default=None, repr=False, compare=False)
    control_sets: dict = field(default_factory=dict)  # set id -> raci.controls.ControlSet, from controls.yaml
    _control_index: dict | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.order = {aid: i for i, aid in enumerate(self.activities)}
        self.domain_names = {d.id: d.name for d in self.domains}

    def ids(self) -> list[str]:
        return list(self.activities)

    @property
    def index(self) -> IdIndex:
        if self._index is None:
            self._index = IdIndex(list(self.activities))
        return self._index

    def preset_chain(self, preset_id: str) -> list[Preset]:
        """The preset and its ``extends`` ancestors, base first."""
        chain: list[Preset] = []
        cur: str | None = preset_id
        while cur is not None:
            chain.append(self.presets[cur])
            cur = self.presets[cur].extends
        return list(reversed(chain))

    def activities_in(self, domain_id: str) -> list[Activity]:
        return [a for a in self.activities.values() if a.domain == domain_id]


# --------------------------------------------------------------------------- loading


def _load_frameworks(root: Path, col: Collector) -> dict[str, str]:
    path = root / "frameworks.yaml"
    if not path.exists():
        col.add(str(path), None, "missing: the catalog needs a frameworks.yaml listing known frameworks")
        return {}
    data = _load(path, col)
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


def _load(path: Path, col: Collector):
    try:
        return load_yaml_file(path, CATALOG_FILE_LIMIT, "a catalog file")
    except InputError as exc:
        col.problems.extend(exc.problems)
        return None


def _load_domain_file(path: Path, col: Collector, domains, activities, lines) -> None:
    f = str(path)
    data = _load(path, col)
    if data is None:
        return
    if not isinstance(data, dict):
        col.add(f, line_of(data, default=1), "expected a mapping with 'domain' and 'activities'")
        return
    for key in data:
        if key not in ("domain", "activities"):
            col.add(f, line_of(data, key), f"unknown key {shown(key)} (expected 'domain' and 'activities')")
    dom = data.get("domain")
    if not isinstance(dom, dict) or not isinstance(dom.get("id"), str) or not isinstance(dom.get("name"), str):
        col.add(f, line_of(data, "domain", 1), "'domain' needs an 'id' and a 'name'")
        return
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
    acts = data.get("activities")
    if not isinstance(acts, list):
        col.add(f, line_of(data, "activities", 1), "'activities' must be a list")
        return
    for i, item in enumerate(acts):
        line = line_of(acts, i)
        if not isinstance(item, dict):
            col.add(f, line, "each activity must be a mapping")
            continue
        for key in item:
            if key not in _ACTIVITY_KEYS:
                col.add(f, line_of(item, key), f"unknown key {shown(key)} in activity (allowed: {', '.join(sorted(_ACTIVITY_KEYS))})")
        missing = [k for k in _REQUIRED_ACTIVITY_KEYS if not isinstance(item.get(k), str) or not item.get(k).strip()]
        if missing:
            col.add(f, line, f"activity is missing {', '.join(missing)}")
            continue
        too_long = [why for k in _REQUIRED_ACTIVITY_KEYS if (why := text_problem(item[k], f"activity {k}")) is not None]
        if too_long:
            col.add(f, line, too_long[0])
            continue
        aid = item["id"]
        if not _ID_RE.match(aid) or not aid.startswith(did + "."):
            col.add(f, line_of(item, "id"), f"activity id {shown(aid)} must start with its domain id '{did}.'")
        if aid in activities:
            col.add(f, line_of(item, "id"), f"duplicate activity id {aid!r} (first defined at {lines[aid][0]}:{lines[aid][1]})")
            continue
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


def _check_references(activities, lines, frameworks, col: Collector) -> None:
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


def _load_preset_file(path: Path, col: Collector, ids: IdIndex, presets: dict[str, Preset]) -> None:
    f = str(path)
    data = _load(path, col)
    if data is None:
        return
    if not isinstance(data, dict):
        col.add(f, line_of(data, default=1), "expected a preset mapping with id, name, description, extends and rows")
        return
    for key in data:
        if key not in _PRESET_KEYS:
            col.add(f, line_of(data, key), f"unknown key {shown(key)} in preset (allowed: {', '.join(sorted(_PRESET_KEYS))})")
    pid = data.get("id")
    if not isinstance(pid, str) or not _ID_RE.match(pid):
        col.add(f, line_of(data, "id", 1), "preset needs an 'id' of lowercase letters, digits and hyphens")
        return
    if pid in presets:
        col.add(f, line_of(data, "id"), f"duplicate preset id {pid!r} (also in {presets[pid].file})")
        return
    rows_obj = data.get("rows")
    rows: list[PresetRow] = []
    if not isinstance(rows_obj, dict) or not rows_obj:
        col.add(f, line_of(data, "rows", 1), "preset needs a non-empty 'rows' mapping")
    else:
        for pattern, value in rows_obj.items():
            pline = line_of(rows_obj, pattern)
            if not isinstance(pattern, str):
                col.add(f, pline, f"row key {shown(pattern)} must be an activity id or a glob")
                continue
            if not match_ids(pattern, ids):
                what = "glob matches no activity" if is_glob(pattern) else "unknown activity id"
                col.add(f, pline, f"row {shown(pattern)}: {what}")
                continue
            row = parse_roles(value, f, pline, col, f"row {pattern!r}", allow_after_hours=True)
            if row is not None:
                rows.append(PresetRow(pattern, row, pline))
    extends = data.get("extends")
    if extends is not None and not isinstance(extends, str):
        col.add(f, line_of(data, "extends"), "extends must be a preset id or null")
        extends = None
    presets[pid] = Preset(
        id=pid,
        name=optional_text(data.get("name"), f, line_of(data, "name", 1), "preset name", col) or pid,
        description=" ".join(optional_text(data.get("description"), f, line_of(data, "description", 1), "preset description", col).split()),
        extends=extends,
        rows=rows,
        file=f,
        line=line_of(data, "id", 1),
    )


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalog folder; raise CatalogError listing every problem found."""
    with gc_paused():
        return _load_catalog(path)


def _load_catalog(path: str | Path | None) -> Catalog:
    from raci.resources import catalog_dir

    root = Path(path) if path is not None else catalog_dir()
    col = Collector()
    if not root.is_dir():
        raise CatalogError(Problem(str(root), "catalog folder not found"))
    frameworks = _load_frameworks(root, col)
    control_sets = load_control_sets(root, col)
    domains: list[Domain] = []
    activities: dict[str, Activity] = {}
    lines: dict = {}
    domain_files = sorted((root / "domains").glob("*.yaml")) if (root / "domains").is_dir() else []
    if not domain_files:
        col.add(str(root / "domains"), None, "no domain files (*.yaml) found")
    for p in domain_files:
        _load_domain_file(p, col, domains, activities, lines)
    _check_references(activities, lines, frameworks, col)
    check_controls(activities, lines, control_sets, col)
    presets: dict[str, Preset] = {}
    ids = IdIndex(list(activities))
    for p in sorted((root / "presets").glob("*.yaml")) if (root / "presets").is_dir() else []:
        _load_preset_file(p, col, ids, presets)
    for preset in presets.values():
        seen = {preset.id}
        cur = preset.extends
        while cur is not None:
            if cur not in presets:
                col.add(preset.file, preset.line, f"preset {preset.id!r} extends unknown preset {shown(cur)}")
                break
            if cur in seen:
                col.add(preset.file, preset.line, f"preset {preset.id!r} extends itself through {cur!r}")
                break
            seen.add(cur)
            cur = presets[cur].extends
    if col.problems:
        raise CatalogError(col.problems, col.omitted)
    return Catalog(str(root), domains, activities, frameworks, presets, control_sets=control_sets)


__all__ = [
    "Activity", "Catalog", "Domain", "Preset", "PresetRow", "Row", "WINDOWS", "COVERAGES", "load_catalog", "match_ids",
    "LDict", "LList",
]
