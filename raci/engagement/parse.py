"""Reading an engagement file: every problem of the file reported together, each with its line."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from raci.catalog import Catalog, match_ids
from raci.durations import HINT, parse_duration
from raci.engagement.model import HOURS, KINDS, PARTY_KEYS, PROFILE_KEYS, SLA_KEYS, THRESHOLD_KEYS, TOP_KEYS, Engagement, Party, Profile
from raci.errors import EngagementError, InputError, Problem
from raci.inputs import YAML_LIMIT, read_input_bytes
from raci.validate import Collector, did_you_mean, expect_list, expect_mapping, is_glob, kind_of, parse_roles, shown, text_problem
from raci.yamlio import gc_paused, line_of, load_yaml_bytes, load_yaml_text

_PARTY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Bounds on what an engagement may hold: each is far past any real engagement, and keeps a hostile file's cost small.
MAX_IDS = 1_000  # presets, profile.compliance, parties
MAX_EXCLUSIONS = 10_000  # entries of exclusions
MAX_EXCLUDED_ROWS = 1_000_000  # (exclusion, activity) pairs: the matches of all exclusions together
PER_ACTIVITY = 10  # assignments, notes and sla: at most this many entries per catalog activity (and at least MIN_SECTION)
MIN_SECTION = 1_000


def _int(value, f, line, what, col: Collector, minimum: int = 0) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        col.add(f, line, f"{what} must be a whole number of at least {minimum}, not {shown(value)}")
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
    if isinstance(value, (int, _dt.date)):
        return str(value)
    why = text_problem(value, what)
    if why is not None:
        col.add(f, line, why)
        return ""
    return value


def _unknown_key(key, allowed, where: str = "", what: str = "key"):
    """The message for an unknown key, built only when it is shown (a file may hold a million of them)."""

    def message() -> str:
        hint = did_you_mean(key, allowed)
        return f"unknown {what} {shown(key)}{where} ({hint if hint.startswith('did') else 'allowed: ' + ', '.join(allowed)})"

    return message


# Messages built only when a problem is kept (Collector.add calls them): the hints search the catalog.
def _unknown_activity(aid: object, section: str, catalog: Catalog) -> str:
    return f"unknown activity {shown(aid)} in {section}{_activity_hint(aid, catalog)}"


def _not_an_activity(pattern: object, catalog: Catalog) -> str:
    return f"exclusion {shown(pattern)} is not a catalog activity{_activity_hint(pattern, catalog)}"


def _unknown_id(what: str, value: object, where: str, choices: Iterable[str]) -> str:
    return f"unknown {what} {shown(value)}{where} ({did_you_mean(value, choices)})"


def _activity_hint(aid, catalog: Catalog) -> str:
    """`` (did you mean 'x'?)`` for a mistyped activity id, looking in its own domain first (catalogs can be large)."""
    ids = list(catalog.activities)
    if isinstance(aid, str) and "." in aid:
        ids = [i for i in ids if i.startswith(aid.split(".", 1)[0] + ".")] or ids
    hint = did_you_mean(aid, ids) if len(ids) <= 2000 else ""
    return f" ({hint})" if hint.startswith("did you mean") else ""


def _per_activity(data, section: str, what: str, f: str, catalog: Catalog, col: Collector, lines: dict):
    """Entries of a section that maps activity ids to values, with their lines; reports the ids the catalog lacks."""
    limit = max(MIN_SECTION, PER_ACTIVITY * len(catalog.activities))
    entries = expect_mapping(data.get(section), f, line_of(data, section), section, col, limit, f"a mapping of activity ids to {what}")
    for aid, value in (entries or {}).items():
        line = line_of(entries, aid)
        lines[(section, aid)] = line
        if aid not in catalog.activities:
            col.add(f, line, partial(_unknown_activity, aid, section, catalog))
            continue
        yield aid, value, line


def _id_list(data, key: str, what: str, f: str, col: Collector, limit: int = MAX_IDS) -> list[tuple[str, int | None]]:
    """The text items of a list of ids with their lines; an item that is not text is a problem."""
    line = line_of(data, key)
    items = expect_list(data.get(key), f, line, key, col, limit, f"a list of {what}") or []
    out = []
    for i, item in enumerate(items):
        iline = line_of(items, i, line)
        if isinstance(item, str):
            out.append((item, iline))
        else:
            col.add(f, iline, f"{key} holds {shown(item)}, which is {kind_of(item)}, not one of the {what}")
    return out


def _header(data, eng: Engagement, f: str, col: Collector) -> None:
    for key in data:
        eng.lines[(key,)] = line_of(data, key)
        if key not in TOP_KEYS:
            col.add(f, line_of(data, key), _unknown_key(key, TOP_KEYS))
    eng.client = _text(data.get("client"), f, line_of(data, "client", 1), "client", col, required=True)
    eng.provider = _text(data.get("provider"), f, line_of(data, "provider", 1), "provider", col)
    eng.version = _text(data.get("version", "1.0"), f, line_of(data, "version", 1), "version", col) or "1.0"
    eff = data.get("effective")
    if isinstance(eff, _dt.datetime):
        eff = eff.date()
    elif eff is not None and not isinstance(eff, _dt.date):
        try:
            eff = _dt.date.fromisoformat(eff) if isinstance(eff, str) else None
        except ValueError:
            eff = None
        if eff is None:
            col.add(f, line_of(data, "effective"), f"effective must be a date like 2026-12-01, not {shown(data.get('effective'))}")
    eng.effective = eff


def _presets(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    for pid, line in _id_list(data, "presets", "preset ids", f, col):
        if pid not in catalog.presets:
            col.add(f, line, partial(_unknown_id, "preset", pid, "", catalog.presets))
        elif pid in eng.presets:
            col.add(f, line, f"preset {pid!r} is listed twice")
        else:
            eng.presets.append(pid)


def _profile(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    prof = expect_mapping(data.get("profile"), f, line_of(data, "profile"), "profile", col, shape="a mapping (employees, it_staff, compliance)") or {}
    for key in prof:
        if key not in PROFILE_KEYS:
            col.add(f, line_of(prof, key), _unknown_key(key, PROFILE_KEYS, " in profile"))
    compliance: list[str] = []
    for fw, line in _id_list(prof, "compliance", "framework ids", f, col):
        if fw not in catalog.frameworks:
            col.add(f, line, partial(_unknown_id, "framework", fw, " in profile", catalog.frameworks))
        elif fw not in compliance:
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
    if expect_mapping(parties, f, line_of(data, "parties", 1), "parties", col, MAX_IDS) is None:
        return
    for pid, spec in parties.items():
        pline = line_of(parties, pid)
        eng.lines[("parties", pid)] = pline
        if not isinstance(pid, str) or not _PARTY_ID.match(pid):
            col.add(f, pline, f"party id {shown(pid)} must be lowercase letters, digits and hyphens")
            continue
        if not isinstance(spec, dict):
            col.add(f, pline, f"party {pid}: expected {{name, kind, staff, hours}}")
            continue
        for key in spec:
            if key not in PARTY_KEYS:
                col.add(f, line_of(spec, key), _unknown_key(key, PARTY_KEYS, f" in party {pid}"))
        kind = spec.get("kind")
        if kind not in KINDS:
            col.add(f, line_of(spec, "kind", pline), f"party {pid}: kind must be one of {', '.join(KINDS)}, not {shown(kind)}")
        hours = spec.get("hours", "business-hours")
        if hours not in HOURS:
            col.add(f, line_of(spec, "hours", pline), f"party {pid}: hours must be business-hours or 24x7, not {shown(hours)}")
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
    """Exclusions as written, each once (a repeat adds nothing), each matched once; the matches of all patterns
    together are bounded, so that the work of matching them is too."""
    covered = 0
    for pattern, eline in _id_list(data, "exclusions", "activity ids", f, col, MAX_EXCLUSIONS):
        if ("exclusions", pattern) in eng.lines:
            continue
        matched = len(match_ids(pattern, catalog.index))
        if not matched:
            if is_glob(pattern):
                col.add(f, eline, f"exclusion {shown(pattern)} matches no activity")
            else:
                col.add(f, eline, partial(_not_an_activity, pattern, catalog))
            continue
        covered += matched
        if covered > MAX_EXCLUDED_ROWS:
            col.add(f, line_of(data, "exclusions"), f"exclusions match more than the limit of {MAX_EXCLUDED_ROWS:,} activities "
                                                    "in all (each pattern's matches counted)")
            return
        eng.exclusions.append(pattern)
        eng.lines[("exclusions", pattern)] = eline


def _notes(data, eng: Engagement, catalog: Catalog, f: str, col: Collector, section: str = "notes") -> None:
    """``notes`` or ``internal_notes``: activity id -> text, into the engagement's mapping of that name."""
    what = "internal note" if section == "internal_notes" else "note"
    out = getattr(eng, section)
    for aid, text, nline in _per_activity(data, section, "text", f, catalog, col, eng.lines):
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        why = text_problem(text, f"{what} for {aid}")
        if why is not None:
            col.add(f, nline, why)
            continue
        out[aid] = text


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
                col.add(f, kline, f"sla {key} for {aid} must be {HINT}, not {shown(value)}")
                continue
            targets[key] = duration
        eng.sla[aid] = targets


def _commercial(data, eng: Engagement, catalog: Catalog, f: str, col: Collector) -> None:
    from raci.catalog import COMMERCIAL

    for aid, status, cline in _per_activity(data, "commercial", "a status", f, catalog, col, eng.lines):
        if status not in COMMERCIAL:
            col.add(f, cline, f"commercial status for {aid} must be one of {', '.join(COMMERCIAL)}, not {shown(status)}")
            continue
        eng.commercial[aid] = status


def _thresholds(data, eng: Engagement, f: str, col: Collector) -> None:
    thr = expect_mapping(data.get("thresholds"), f, line_of(data, "thresholds"), "thresholds", col) or {}
    for key, value in thr.items():
        tline = line_of(thr, key)
        if key not in THRESHOLD_KEYS:
            col.add(f, tline, _unknown_key(key, tuple(THRESHOLD_KEYS), what="threshold"))
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
            col.add(f, tline, f"threshold {key} must be a positive number, not {shown(value)}")
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
    _notes(data, eng, catalog, f, col, "internal_notes")
    _sla(data, eng, catalog, f, col)
    _thresholds(data, eng, f, col)
    _commercial(data, eng, catalog, f, col)
    kept = data.get("contract_rows")
    if kept is not None and not isinstance(kept, list):
        col.add(f, line_of(data, "contract_rows"), f"contract_rows must be a list of rows, not {kind_of(kept)}")
    elif kept is not None:
        from raci.contracts.kept import parse_kept_rows

        eng.contract_rows = parse_kept_rows(kept, f, line_of, col.add, catalog.activities, eng.parties)
    if col.problems:
        raise EngagementError(sorted(col.problems, key=lambda p: p.line or 0), col.omitted)
    return eng


# Documents people pass where an engagement file belongs, told by their first bytes.
_NOT_YAML = ((b"PK\x03\x04", "a workbook or Word document"), (b"%PDF", "a PDF"), (b"\xd0\xcf\x11\xe0", "an old Office file"))


def load_engagement(path: str | Path, catalog: Catalog) -> Engagement:
    """Read and validate an engagement file: a regular file of at most 20 MB (raci.inputs), UTF-8 YAML."""
    try:
        raw = read_input_bytes(path, YAML_LIMIT, "an engagement file")
    except InputError as exc:
        raise EngagementError(exc.problems) from None
    for magic, what in _NOT_YAML:
        if raw.startswith(magic):
            raise EngagementError(Problem(str(path), f"is {what}, not an engagement file (*.raci.yaml); to read a matrix from "
                                                     f"it: raci import {Path(path).name} -o NEW.raci.yaml"))
    try:
        with gc_paused():
            data = load_yaml_bytes(raw, str(path))
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
