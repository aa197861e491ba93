"""Preset resolution: lay the presets, then the engagement's assignments and exclusions, onto the catalog."""

from __future__ import annotations

from raci.catalog import Catalog, match_ids
from raci.compose import commercial_status, compose
from raci.engagement.model import Engagement, Matrix
from raci.errors import EngagementError, Problem
from raci.roles import Row
from raci.yamlio import gc_paused


def apply_presets(catalog: Catalog, preset_ids: list[str]) -> tuple[dict[str, Row], dict[str, str], list[tuple[str, str, str]]]:
    """Lay presets on top of each other in order, window by window (raci.compose): rows, the preset applied last
    to each activity, and the (activity, earlier, later) pairs where a later listed preset changed a window."""
    comp = compose(catalog, preset_ids)
    return comp.rows, comp.origin, comp.overrides


def resolve(engagement: Engagement, catalog: Catalog) -> Matrix:
    """Apply presets, then assignments, then exclusions. Raise EngagementError for unknown parties."""
    with gc_paused():
        return _resolve(engagement, catalog)


def _resolve(engagement: Engagement, catalog: Catalog) -> Matrix:
    comp = compose(catalog, engagement.presets)
    rows, origin, overrides = comp.rows, comp.origin, comp.overrides
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
    msp = [pid for pid, party in engagement.parties.items() if party.kind == "msp"]
    scope = [a for a in catalog.activities if a not in excluded]
    commercial = commercial_status(comp.commercial, full, msp, engagement.commercial, scope)
    return Matrix(catalog, engagement, full, origin, excluded, overrides, window_origin=comp.windows, commercial=commercial)
