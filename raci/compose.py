"""Composing presets: each preset lays its rows window by window on the ones before it.

A preset row sets business hours, after hours or both. A later preset replaces an earlier one only in the
windows it sets, so the after-hours structure laid on tier-3 escalation changes nights and weekends and leaves
the day as tier 3 made it. The composition remembers which preset set each window of each activity (for
``raci presets``, the workbook's preset notes and the ``preset-override`` finding) and the commercial status
the presets give each activity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from raci.catalog import COMMERCIAL, WINDOWS, Catalog
from raci.roles import Row, has_a, has_r

DEFAULT_COMMERCIAL = COMMERCIAL[0]  # work the MSP holds R or A for is in the recurring fee unless a preset says otherwise


@dataclass
class Composition:
    rows: dict[str, Row]
    origin: dict[str, str]  # activity -> the preset applied last to it (any window)
    overrides: list[tuple[str, str, str]]  # (activity, earlier listed preset, later listed preset that changed a window it set)
    windows: dict[str, dict[str, str]] = field(default_factory=dict)  # activity -> window -> preset that set it
    commercial: dict[str, str] = field(default_factory=dict)  # activity -> status a preset set
    commercial_origin: dict[str, str] = field(default_factory=dict)  # activity -> preset that set its status

    def window_text(self, aid: str) -> str:
        """Which preset set which window: ``co-managed-tier3-escalation`` when one set both, else
        ``business hours: in-house; after hours: co-managed-after-hours``."""
        ws = self.windows.get(aid, {})
        if len(set(ws.values())) <= 1:
            return next(iter(ws.values()), "")
        return "; ".join(f"{w.replace('-', ' ')}: {ws[w]}" for w in WINDOWS if w in ws)


def _applied_chain(catalog: Catalog, preset_ids: list[str]):
    """The presets in the order they are laid: the first brings its whole ``extends`` chain; a later one the part
    not applied yet, except a second root, so ``[tier3, after-hours]`` is in-house once with both on top."""
    applied: set[str] = set()
    root_applied = False
    for pid in preset_ids:
        for preset in catalog.preset_chain(pid):
            if preset.id in applied:
                continue
            if preset.extends is None and root_applied and preset.id != pid:
                continue
            yield preset
            applied.add(preset.id)
            if preset.extends is None:
                root_applied = True


def compose(catalog: Catalog, preset_ids: list[str]) -> Composition:
    """Lay the presets on each other in order, window by window."""
    ids = catalog.index
    listed = set(preset_ids)
    roles: dict[str, dict[str, dict[str, str]]] = {}  # activity -> window -> party -> role
    comp = Composition({}, {}, [])
    seen_overrides: set[tuple[str, str, str]] = set()
    for preset in _applied_chain(catalog, preset_ids):
        for aid, by_window in preset.own_windows(ids).items():
            cur = roles.setdefault(aid, {})
            set_by = comp.windows.setdefault(aid, {})
            for window, prow in by_window.items():
                new = dict(prow.roles(window))
                prev = set_by.get(window)
                key = (aid, prev or "", preset.id)
                if (prev in listed and prev != preset.id and preset.id in listed and cur.get(window) != new
                        and key not in seen_overrides):
                    seen_overrides.add(key)
                    comp.overrides.append(key)
                cur[window] = new
                set_by[window] = preset.id
            comp.origin[aid] = preset.id
        for aid, status in preset.own_commercial(ids).items():
            comp.commercial[aid] = status
            comp.commercial_origin[aid] = preset.id
    for aid, by_window in roles.items():
        day = by_window.get("business-hours", {})
        night = by_window.get("after-hours")
        comp.rows[aid] = Row(day, None if night is None or night == day else night)
    return comp


def commercial_status(comp_status: dict[str, str], rows: dict[str, Row], msp_parties: list[str],
                      overrides: dict[str, str] | None = None, scope: list[str] | None = None) -> dict[str, str]:
    """The commercial status of every activity the MSP works on (R or A in any window): the engagement's own
    ``commercial:`` entry, else the presets', else ``included``. An entry of the engagement counts even where the
    MSP does no work (it may say ``excluded`` to make the point)."""
    overrides = overrides or {}
    out: dict[str, str] = {}
    for aid in scope if scope is not None else list(rows):
        row = rows.get(aid)
        works = row is not None and any(
            has_r(role) or has_a(role)
            for window in WINDOWS for p, role in row.window(window).items() if p in msp_parties
        )
        if aid in overrides:
            out[aid] = overrides[aid]
        elif works:
            out[aid] = comp_status.get(aid, DEFAULT_COMMERCIAL)
    return out
