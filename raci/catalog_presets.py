"""Presets as the catalog holds them: rows by activity id or glob, each setting one or both windows, and the
commercial status of the work (in the fee, a project, passed through, excluded); read and validated here."""

from __future__ import annotations

import bisect
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from raci.roles import AFTER_HOURS_KEY, Row
from raci.validate import Collector, is_glob, optional_text, parse_roles, shown
from raci.yamlio import line_of

WINDOWS = ("business-hours", "after-hours")
BUSINESS_HOURS_KEY = "business-hours"  # a preset row's business-hours roles, where it sets them apart
# What the client pays for an activity the MSP works on: in the recurring fee, quoted as a project, bought from a
# third party and billed on at cost, or outside the agreement (billed by the hour if asked for).
COMMERCIAL = ("included", "project", "pass-through", "excluded")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")
_PRESET_KEYS = {"id", "name", "description", "extends", "rows", "commercial"}


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
    windows: tuple[str, ...] = WINDOWS  # the windows this row sets; the others keep what earlier presets set

    def roles(self, window: str) -> dict[str, str]:
        return self.row.window(window)


@dataclass
class Preset:
    id: str
    name: str
    description: str
    extends: str | None
    rows: list[PresetRow]
    file: str
    line: int = 1
    commercial: dict[str, str] = field(default_factory=dict)  # activity id or glob -> status

    def own_windows(self, ids: list[str] | IdIndex) -> dict[str, dict[str, PresetRow]]:
        """For every activity this preset's own rows match, the most specific row setting each window
        (ties: the later row wins)."""
        best: dict[str, dict[str, tuple[tuple[int, int], PresetRow]]] = {}
        ids = ids if isinstance(ids, IdIndex) else IdIndex(ids)
        for prow in self.rows:
            spec = _specificity(prow.pattern)
            for aid in match_ids(prow.pattern, ids):
                by_window = best.setdefault(aid, {})
                for window in prow.windows:
                    cur = by_window.get(window)
                    if cur is None or spec >= cur[0]:
                        by_window[window] = (spec, prow)
        return {aid: {w: prow for w, (_, prow) in ws.items()} for aid, ws in best.items()}

    def own_rows(self, ids: list[str] | IdIndex) -> dict[str, tuple[Row, PresetRow]]:
        """For every activity this preset's own rows match, the row it sets (both windows) and the row behind
        its business hours (or, for a row setting only after hours, behind that)."""
        out: dict[str, tuple[Row, PresetRow]] = {}
        for aid, ws in self.own_windows(ids).items():
            day, night = ws.get("business-hours"), ws.get("after-hours")
            business = day.roles("business-hours") if day else {}
            after = night.roles("after-hours") if night else None
            out[aid] = (Row(business, None if after == business else after), day or ws["after-hours"])
        return out

    def own_commercial(self, ids: list[str] | IdIndex) -> dict[str, str]:
        """The commercial status this preset sets for each activity its ``commercial:`` keys match (most specific)."""
        best: dict[str, tuple[tuple[int, int], str]] = {}
        for pattern, status in self.commercial.items():
            spec = _specificity(pattern)
            for aid in match_ids(pattern, ids):
                if aid not in best or spec >= best[aid][0]:
                    best[aid] = (spec, status)
        return {aid: status for aid, (_, status) in best.items()}

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description, "extends": self.extends}


def _windowed_row(value, f: str, pline: int | None, col: Collector, pattern: str) -> tuple[Row, tuple[str, ...]] | None:
    """A preset row: ``{party: letter, after-hours: {...}}`` sets both windows; ``{after-hours: {...}}`` alone, or
    ``{business-hours: {...}}``, sets only that window, leaving the other to the presets before it."""
    if isinstance(value, dict) and BUSINESS_HOURS_KEY in value:
        others = [k for k in value if k not in (BUSINESS_HOURS_KEY, AFTER_HOURS_KEY)]
        if others:
            col.add(f, line_of(value, others[0], pline),
                    f"row {pattern!r}: with 'business-hours:' put every party under 'business-hours' or 'after-hours'")
            return None
        day = parse_roles(value[BUSINESS_HOURS_KEY], f, line_of(value, BUSINESS_HOURS_KEY, pline), col,
                          f"row {pattern!r} business-hours", allow_after_hours=False)
        night = None
        if AFTER_HOURS_KEY in value:
            night = parse_roles(value[AFTER_HOURS_KEY], f, line_of(value, AFTER_HOURS_KEY, pline), col,
                                f"row {pattern!r} after-hours", allow_after_hours=False)
            if night is None:
                return None
        if day is None:
            return None
        return Row(day.business, night.business if night else None), WINDOWS if night else ("business-hours",)
    row = parse_roles(value, f, pline, col, f"row {pattern!r}", allow_after_hours=True)
    if row is None:
        return None
    if isinstance(value, dict) and list(value) == [AFTER_HOURS_KEY]:
        return Row({}, row.after_hours), ("after-hours",)
    return row, WINDOWS


def _read_rows(data: dict, f: str, col: Collector, ids: IdIndex) -> list[PresetRow]:
    rows_obj = data.get("rows")
    rows: list[PresetRow] = []
    if not isinstance(rows_obj, dict) or not rows_obj:
        col.add(f, line_of(data, "rows", 1), "preset needs a non-empty 'rows' mapping")
        return rows
    for pattern, value in rows_obj.items():
        pline = line_of(rows_obj, pattern)
        if not isinstance(pattern, str):
            col.add(f, pline, f"row key {shown(pattern)} must be an activity id or a glob")
            continue
        if not match_ids(pattern, ids):
            what = "glob matches no activity" if is_glob(pattern) else "unknown activity id"
            col.add(f, pline, f"row {shown(pattern)}: {what}")
            continue
        parsed = _windowed_row(value, f, pline, col, pattern)
        if parsed is not None:
            rows.append(PresetRow(pattern, parsed[0], pline or 1, parsed[1]))
    return rows


def read_commercial(obj, f: str, line: int | None, col: Collector, ids: IdIndex, globs: bool = True) -> dict[str, str]:
    """A ``commercial:`` mapping of activity id (or glob) -> status, every problem reported."""
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        col.add(f, line, "'commercial' must be a mapping of activity: status (included, project, pass-through, excluded)")
        return {}
    out: dict[str, str] = {}
    for pattern, status in obj.items():
        pline = line_of(obj, pattern, line)
        if not isinstance(pattern, str) or not (match_ids(pattern, ids) if globs or not is_glob(pattern) else []):
            col.add(f, pline, f"commercial: {shown(pattern)} is not a catalog activity{' or a glob matching one' if globs else ''}")
            continue
        if status not in COMMERCIAL:
            col.add(f, pline, f"commercial: {shown(status)} for {pattern} must be one of {', '.join(COMMERCIAL)}")
            continue
        out[pattern] = status
    return out


def load_preset_file(path: Path, col: Collector, ids: IdIndex, presets: dict[str, Preset], load) -> None:
    """Read one preset file into ``presets``; ``load`` reads the YAML (problems go to ``col``)."""
    f = str(path)
    data = load(path, col)
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
    rows = _read_rows(data, f, col, ids)
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
        line=line_of(data, "id", 1) or 1,
        commercial=read_commercial(data.get("commercial"), f, line_of(data, "commercial", 1), col, ids),
    )


def check_extends(presets: dict[str, Preset], col: Collector) -> None:
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
