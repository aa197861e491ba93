"""The catalog: domains, activities, frameworks and presets, loaded from YAML and validated as a whole.

``catalog_domains`` reads the domain files and frameworks, ``catalog_presets`` the presets; this module holds the
catalog they make and loads a folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from raci.catalog_domains import COVERAGES, Activity, Domain, check_references, load_domain_file, load_file, load_frameworks
from raci.catalog_presets import COMMERCIAL, WINDOWS, IdIndex, Preset, PresetRow, check_extends, load_preset_file, match_ids
from raci.controls import check_controls, load_control_sets
from raci.errors import CatalogError, Problem
from raci.roles import Row
from raci.validate import Collector
from raci.yamlio import LDict, LList, gc_paused


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
    frameworks = load_frameworks(root, col)
    control_sets = load_control_sets(root, col)
    domains: list[Domain] = []
    activities: dict[str, Activity] = {}
    lines: dict = {}
    domain_files = sorted((root / "domains").glob("*.yaml")) if (root / "domains").is_dir() else []
    if not domain_files:
        col.add(str(root / "domains"), None, "no domain files (*.yaml) found")
    for p in domain_files:
        load_domain_file(p, col, domains, activities, lines)
    check_references(activities, lines, frameworks, col)
    check_controls(activities, lines, control_sets, col)
    presets: dict[str, Preset] = {}
    ids = IdIndex(list(activities))
    for p in sorted((root / "presets").glob("*.yaml")) if (root / "presets").is_dir() else []:
        load_preset_file(p, col, ids, presets, load_file)
    check_extends(presets, col)
    if col.problems:
        raise CatalogError(col.problems, col.omitted)
    return Catalog(str(root), domains, activities, frameworks, presets, control_sets=control_sets)


__all__ = [
    "Activity", "Catalog", "COMMERCIAL", "Domain", "IdIndex", "Preset", "PresetRow", "Row", "WINDOWS", "COVERAGES",
    "load_catalog", "match_ids", "LDict", "LList",
]
