"""Preset resolution: lay the presets, then the engagement's assignments and exclusions, onto the catalog."""

from __future__ import annotations

from raci.catalog import Catalog, match_ids
from raci.engagement.model import Engagement, Matrix
from raci.errors import EngagementError, Problem
from raci.roles import Row
from raci.yamlio import gc_paused


def apply_presets(catalog: Catalog, preset_ids: list[str]) -> tuple[dict[str, Row], dict[str, str], list[tuple[str, str, str]]]:
    """Lay presets on top of each other in order.

    The first preset brings its whole ``extends`` chain; a later preset brings the part of its
    chain not applied yet, except a second root (a preset with no ``extends``), so that
    ``[co-managed-tier3-escalation, co-managed-after-hours]`` is in-house once with both on top.
    """
    ids = catalog.index
    rows: dict[str, Row] = {}
    origin: dict[str, str] = {}
    overrides: list[tuple[str, str, str]] = []
    listed = set(preset_ids)
    applied: set[str] = set()
    root_applied = False
    for pid in preset_ids:
        for preset in catalog.preset_chain(pid):
            if preset.id in applied:
                continue
            if preset.extends is None and root_applied and preset.id != pid:
                continue
            for aid, (row, _prow) in preset.own_rows(ids).items():
                prev = origin.get(aid)
                if prev is not None and prev in listed and prev != preset.id and preset.id in listed:
                    overrides.append((aid, prev, preset.id))
                rows[aid] = row
                origin[aid] = preset.id
            applied.add(preset.id)
            if preset.extends is None:
                root_applied = True
    return rows, origin, overrides


def resolve(engagement: Engagement, catalog: Catalog) -> Matrix:
    """Apply presets, then assignments, then exclusions. Raise EngagementError for unknown parties."""
    with gc_paused():
        return _resolve(engagement, catalog)


def _resolve(engagement: Engagement, catalog: Catalog) -> Matrix:
    rows, origin, overrides = apply_presets(catalog, engagement.presets)
    for aid, row in engagement.assignments.items():
        rows[aid] = row
        origin[aid] = "assignment"
    excluded: set[str] = set()
    for pattern in dict.fromkeys(engagement.exclusions):  # each distinct pattern matched once
        excluded.update(match_ids(pattern, catalog.index))
    # Roles given to parties the engagement does not define would be silently dropped: refuse them.
    unknown: dict[str, set[str]] = {}
    for aid, row in rows.items():
        for party in row.parties():
            if party not in engagement.parties:
                unknown.setdefault(origin[aid], set()).add(party)
    if unknown:
        problems = []
        for src, parties in unknown.items():
            names = ", ".join(sorted(parties))
            if src == "assignment":
                continue  # already reported when the file was loaded
            problems.append(Problem(engagement.path, f"preset {src!r} gives roles to {names}, which 'parties' does not define", engagement.line("presets")))
        if problems:
            raise EngagementError(problems)
    empty = Row({})
    full = {aid: rows.get(aid, empty) for aid in catalog.activities}
    return Matrix(catalog, engagement, full, origin, excluded, overrides)
