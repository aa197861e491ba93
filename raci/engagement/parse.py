"""Reading an engagement file: every problem of the file reported together, each with its line."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from raci.catalog import Catalog, match_ids
from raci.durations import HINT, parse_duration
from raci.engagement.model import HOURS, KINDS, PARTY_KEYS, PROFILE_KEYS, SLA_KEYS, THRESHOLD_KEYS, TOP_KEYS, Engagement, Party, Profile
from raci.errors import EngagementError, InputError, Problem
from raci.validate import Collector, did_you_mean, is_glob, parse_roles
from raci.yamlio import gc_paused, line_of, load_yaml_file, load_yaml_text

_PARTY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _int(value, f, line, what, col: Collector, minimum: int = 0) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        col.add(f, line, f"{what} must be a whole number of at least {minimum}, not {value!r}")
        return None
    return value


def _text(value, f, line, what, col: Collector, required: bool = False) -> str:
    """A text value exactly as written (quoted spaces and all); numbers and dates people leave unquoted are read as text."""
    if value is None:
        if required:
            col.add(f, line, f"{what} is required")
        return ""
    if isinstance(value, (bool, float)):
        col.add(f, line, f"{what} must be quoted text such as \"1.0\" (unquoted, {value!r} is read as a number and may lose digits)")
        return str(value)
    if isinstance(value, (int, str, _dt.date)):
        return str(value)
    col.add(f, line, f"{what} must be text")
    return ""


def _unknown_key(key, allowed, where: str = "", what: str = "key") -> str:
    hint = did_you_mean(key, allowed)
    return f"unknown {what} {key!r}{where} ({hint if hint.startswith('did') else 'allowed: ' + ', '.join(allowed)})"


def _activity_hint(aid, catalog: Catalog) -> str:
    """`` (did you mean 'x'?)`` for a mistyped activity id, looking in its own domain first (catalogs can be large)."""
    ids = list(catalog.activities)
    if isinstance(aid, str) and "." in aid:
        ids = [i for i in ids if i.startswith(aid.split(".", 1)[0] + ".")] or ids
    hint = did_you_mean(aid, ids) if len(ids) <= 2000 else ""
    return f" ({hint})" if hint.startswith("did you mean") else ""


def _per_activity(data, section: str, what: str, f: str, catalog: Catalog, col: Collector, lines: dict):
    """Entries of a section that maps activity ids to values, with their lines; reports the ids the catalog lacks."""
    entries = data.get(section) or {}
    if not isinstance(entries, dict):
        col.add(f, line_of(data, section), f"{section} must map activity ids to {what}")
        return
    for aid, value in entries.items():
        line = line_of(entries, aid)
        lines[(section, aid)] = line
        if aid not in catalog.activities:
            col.add(f, line, f"unknown activity {aid!r} in {section}{_activity_hint(aid, catalog)}")
            continue
        yield aid, value, line


def _id_list(data, key: str, what: str, f: str, col: Collector) -> list:
    items = data.get(key) or []
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list):
        col.add(f, line_of(data, key), f"{key} must be a list of {what}")
        return []
    return items


def _header(data, eng: Engagement, f: str, col: Collector) -> None:
    for key in data:
        eng.lines[(key,)] = line_of(data, key)
        if key not in TOP_KEYS:
            col.add(f, line_of(data, key), _unknown_key(key, TOP_KEYS))
    eng.client = _text(data.get("client"), f, line_of(data, "client", 1), "client", col, required=True)
    eng.provider = _text(data.get("provider"), f, line_of(data, "provider", 1), "provider", col)
    eng.version = _text(data.get("version", "1.0"), f, line_of(data, "version", 1), "version", col) or "1.0"
    eff = data.get("effective")
    if eff is not None and not isinstance(eff, _dt.date):
        try:
            eff = _dt.date.fromisoformat(str(eff))
        except ValueError:
            col.add(f, line_of(data, "effective"), f"effective must be a date like 2026-12-01, not {eff!r}")
            eff = None
    eng.effective = eff


def _presets(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    presets = _id_list(data, "presets", "preset ids", f, col)
    for i, pid in enumerate(presets):
        line = line_of(presets, i, line_of(data, "presets"))
        if pid not in catalog.presets:
            col.add(f, line, f"unknown preset {pid!r} ({did_you_mean(pid, catalog.presets)})")
        elif pid in eng.presets:
            col.add(f, line, f"preset {pid!r} is listed twice")
        else:
            eng.presets.append(pid)


def _profile(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    prof = data.get("profile") or {}
    if not isinstance(prof, dict):
        col.add(f, line_of(data, "profile"), "profile must be a mapping (employees, it_staff, compliance)")
        prof = {}
    for key in prof:
        if key not in PROFILE_KEYS:
            col.add(f, line_of(prof, key), _unknown_key(key, PROFILE_KEYS, " in profile"))
    comp = _id_list(prof, "compliance", "framework ids", f, col)
    compliance = []
    for i, fw in enumerate(comp):
        if fw not in catalog.frameworks:
            col.add(f, line_of(comp, i, line_of(prof, "compliance")), f"unknown framework {fw!r} in profile ({did_you_mean(fw, catalog.frameworks)})")
        else:
            compliance.append(fw)
    eng.profile = Profile(
        employees=_int(prof.get("employees"), f, line_of(prof, "employees"), "profile employees", col),
        it_staff=_int(prof.get("it_staff"), f, line_of(prof, "it_staff"), "profile it_staff", col),
        compliance=compliance,
    )


def _parties(data, eng: Engagement, f: str, col: Collector) -> None:
    parties = data.get("parties")
    if not isinstance(parties, dict) or not parties:
        col.add(f, line_of(data, "parties", 1), "parties must map party ids to {name, kind, staff, hours}")
        return
    for pid, spec in parties.items():
        pline = line_of(parties, pid)
        eng.lines[("parties", pid)] = pline
        if not isinstance(pid, str) or not _PARTY_ID.match(pid):
            col.add(f, pline, f"party id {pid!r} must be lowercase letters, digits and hyphens")
            continue
        if not isinstance(spec, dict):
            col.add(f, pline, f"party {pid}: expected {{name, kind, staff, hours}}")
            continue
        for key in spec:
            if key not in PARTY_KEYS:
                col.add(f, line_of(spec, key), _unknown_key(key, PARTY_KEYS, f" in party {pid}"))
        kind = spec.get("kind")
        if kind not in KINDS:
            col.add(f, line_of(spec, "kind", pline), f"party {pid}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
        hours = spec.get("hours", "business-hours")
        if hours not in HOURS:
            col.add(f, line_of(spec, "hours", pline), f"party {pid}: hours must be business-hours or 24x7, not {hours!r}")
        staff = _int(spec.get("staff"), f, line_of(spec, "staff", pline), f"party {pid}: staff", col)
        if spec.get("staff") is None:
            col.add(f, pline, f"party {pid}: staff is required (0 for a party with no people)")
        name = _text(spec.get("name"), f, line_of(spec, "name", pline), f"party {pid}: name", col) or pid
        eng.parties[pid] = Party(pid, name, kind if kind in KINDS else "client", staff or 0, hours if hours in HOURS else "business-hours")


def _assignments(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    # With no valid parties at all, that is reported once under 'parties' rather than on every row.
    known = eng.parties if eng.parties else None
    for aid, spec, aline in _per_activity(data, "assignments", "roles", f, catalog, col, eng.lines):
        row = parse_roles(spec, f, aline, col, aid, allow_after_hours=True, parties=known)
        if row is not None:
            eng.assignments[aid] = row


def _exclusions(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    excl = _id_list(data, "exclusions", "activity ids", f, col)
    for i, pattern in enumerate(excl):
        eline = line_of(excl, i, line_of(data, "exclusions"))
        if not isinstance(pattern, str) or not match_ids(pattern, catalog.index):
            if isinstance(pattern, str) and is_glob(pattern):
                col.add(f, eline, f"exclusion {pattern!r} matches no activity")
            else:
                col.add(f, eline, f"exclusion {pattern!r} is not a catalog activity{_activity_hint(pattern, catalog)}")
            continue
        eng.exclusions.append(pattern)
        eng.lines[("exclusions", pattern)] = eline


def _notes(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    for aid, text, nline in _per_activity(data, "notes", "text", f, catalog, col, eng.lines):
        if not isinstance(text, (str, int, float)) or isinstance(text, bool):
            col.add(f, nline, f"note for {aid} must be text")
            continue
        eng.notes[aid] = str(text)


def _sla(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    for aid, spec, sline in _per_activity(data, "sla", "{response, resolution}", f, catalog, col, eng.lines):
        if not isinstance(spec, dict) or not spec:
            col.add(f, sline, f"sla for {aid} must be a mapping like {{response: 30m, resolution: 8h}}")
            continue
        targets = {}
        for key, value in spec.items():
            kline = line_of(spec, key, sline)
            if key not in SLA_KEYS:
                col.add(f, kline, _unknown_key(key, SLA_KEYS, f" in sla for {aid}"))
                continue
            duration = parse_duration(value)
            if duration is None:
                col.add(f, kline, f"sla {key} for {aid} must be {HINT}, not {value!r}")
                continue
            targets[key] = duration
        eng.sla[aid] = targets


def _thresholds(data, eng: Engagement, f: str, col: Collector) -> None:
    thr = data.get("thresholds") or {}
    if not isinstance(thr, dict):
        col.add(f, line_of(data, "thresholds"), "thresholds must be a mapping")
        return
    for key, value in thr.items():
        tline = line_of(thr, key)
        if key not in THRESHOLD_KEYS:
            col.add(f, tline, _unknown_key(key, tuple(THRESHOLD_KEYS), what="threshold"))
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            col.add(f, tline, f"threshold {key} must be a positive number, not {value!r}")
        else:
            eng.thresholds[key] = value


def parse_engagement(data, path: str, catalog: Catalog) -> Engagement:
    """Validate a parsed engagement mapping against ``catalog``; raise EngagementError with every problem."""
    col = Collector()
    f = path
    if not isinstance(data, dict):
        raise EngagementError(Problem(f, "expected a mapping (client, provider, presets, parties, ...)", line_of(data, default=1)))
    eng = Engagement(client="", path=f, lines={})
    _header(data, eng, f, col)
    _presets(data, eng, catalog, f, col)
    _profile(data, eng, catalog, f, col)
    _parties(data, eng, f, col)
    _assignments(data, eng, catalog, f, col)
    _exclusions(data, eng, catalog, f, col)
    _notes(data, eng, catalog, f, col)
    _sla(data, eng, catalog, f, col)
    _thresholds(data, eng, f, col)
    if data.get("contract_rows") is not None:
        from raci.contracts.kept import parse_kept_rows

        eng.contract_rows = parse_kept_rows(data.get("contract_rows"), f, line_of, col.add, catalog.activities, eng.parties)
    if col.problems:
        raise EngagementError(sorted(col.problems, key=lambda p: p.line or 0))
    return eng


# Documents people pass where an engagement file belongs, told by their first bytes.
_NOT_YAML = ((b"PK\x03\x04", "a workbook or Word document"), (b"%PDF", "a PDF"), (b"\xd0\xcf\x11\xe0", "an old Office file"))


def load_engagement(path: str | Path, catalog: Catalog) -> Engagement:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        head = b""  # load_yaml_file names the reason
    for magic, what in _NOT_YAML:
        if head.startswith(magic):
            raise EngagementError(Problem(str(path), f"is {what}, not an engagement file (*.raci.yaml); to read a matrix from "
                                                     f"it: raci import {Path(path).name} -o NEW.raci.yaml"))
    try:
        with gc_paused():
            data = load_yaml_file(path)
    except InputError as exc:
        raise EngagementError(exc.problems) from None
    if data is None:
        raise EngagementError(Problem(str(path), "the file is empty"))
    return parse_engagement(data, str(path), catalog)


def loads_engagement(text: str, catalog: Catalog, path: str = "<engagement>") -> Engagement:
    try:
        data = load_yaml_text(text, path)
    except InputError as exc:
        raise EngagementError(exc.problems) from None
    return parse_engagement(data, path, catalog)
