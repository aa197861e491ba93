"""Engagement files (``*.raci.yaml``): load and validate one client's matrix, resolve it, and write it back."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from raci.catalog import AFTER_HOURS_KEY, Catalog, Row, _Collector, _parse_roles, _specificity, match_ids
from raci.errors import EngagementError, InputError, Problem
from raci.roles import has_r
from raci.yamlio import gc_paused, line_of, load_yaml_file, load_yaml_text

KINDS = ("client", "msp", "vendor")
HOURS = ("business-hours", "24x7")
TOP_KEYS = (
    "client", "provider", "version", "effective", "presets", "profile", "parties", "assignments",
    "exclusions", "notes", "sla", "thresholds", "contract_rows",
)
PARTY_KEYS = ("name", "kind", "staff", "hours")
PROFILE_KEYS = ("employees", "it_staff", "compliance")
SLA_KEYS = ("response", "resolution")
THRESHOLD_KEYS = {"r_per_staff": 30}
DURATION_RE = re.compile(r"^\d+(\.\d+)?\s*(m|min|h|d|bd)$")
STANDARD_PARTIES = ("client-exec", "client-it", "msp")


@dataclass
class Party:
    id: str
    name: str
    kind: str
    staff: int
    hours: str

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "staff": self.staff, "hours": self.hours}


@dataclass
class Profile:
    employees: int | None = None
    it_staff: int | None = None
    compliance: list[str] = field(default_factory=list)


@dataclass
class Engagement:
    client: str
    provider: str = ""
    version: str = "1.0"
    effective: _dt.date | None = None
    presets: list[str] = field(default_factory=list)
    profile: Profile = field(default_factory=Profile)
    parties: dict[str, Party] = field(default_factory=dict)
    assignments: dict[str, Row] = field(default_factory=dict)
    exclusions: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    sla: dict[str, dict[str, str]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(THRESHOLD_KEYS))
    contract_rows: list = field(default_factory=list)  # rows of an imported contract, as written (raci.contracts.kept)
    path: str = "<engagement>"
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # ("assignments", id) -> line, ...

    def line(self, *key) -> int | None:
        return self.lines.get(key)


@dataclass
class Matrix:
    """An engagement resolved against its catalog: the effective row of every catalog activity."""

    catalog: Catalog
    engagement: Engagement
    rows: dict[str, Row]
    origin: dict[str, str]
    excluded: set[str]
    overrides: list[tuple[str, str, str]]  # (activity, earlier preset, later preset that won)

    @property
    def parties(self) -> list[str]:
        return list(self.engagement.parties)

    def in_scope(self) -> list[str]:
        return [a for a in self.catalog.activities if a not in self.excluded]


# --------------------------------------------------------------------------- preset resolution


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
    for pattern in engagement.exclusions:
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


# --------------------------------------------------------------------------- loading


def _int(value, f, line, what, col: _Collector, minimum: int = 0) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        col.add(f, line, f"{what} must be a whole number of at least {minimum}, not {value!r}")
        return None
    return value


def _text(value, f, line, what, col: _Collector, required: bool = False) -> str:
    if value is None:
        if required:
            col.add(f, line, f"{what} is required")
        return ""
    if isinstance(value, (bool, float)):
        col.add(f, line, f"{what} must be quoted text such as \"1.0\" (unquoted, {value!r} is read as a number and may lose digits)")
        return str(value)
    if isinstance(value, (int, str, _dt.date)):
        return str(value).strip()
    col.add(f, line, f"{what} must be text")
    return ""


def _per_activity(data, section: str, what: str, f: str, catalog: Catalog, col: _Collector, lines: dict):
    """Entries of a section that maps activity ids to values, with their lines; reports the ids the catalog lacks."""
    entries = data.get(section) or {}
    if not isinstance(entries, dict):
        col.add(f, line_of(data, section), f"{section} must map activity ids to {what}")
        return
    for aid, value in entries.items():
        line = line_of(entries, aid)
        lines[(section, aid)] = line
        if aid not in catalog.activities:
            col.add(f, line, f"unknown activity {aid!r} in {section}")
            continue
        yield aid, value, line


def parse_engagement(data, path: str, catalog: Catalog) -> Engagement:
    """Validate a parsed engagement mapping against ``catalog``; raise EngagementError with every problem."""
    col = _Collector()
    f = path
    if not isinstance(data, dict):
        raise EngagementError(Problem(f, "expected a mapping (client, provider, presets, parties, ...)", line_of(data, default=1)))
    lines: dict = {}
    for key in data:
        lines[(key,)] = line_of(data, key)
        if key not in TOP_KEYS:
            col.add(f, line_of(data, key), f"unknown key {key!r} (allowed: {', '.join(TOP_KEYS)})")
    eng = Engagement(client="", path=f, lines=lines)
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

    presets = data.get("presets") or []
    if isinstance(presets, str):
        presets = [presets]
    if not isinstance(presets, list):
        col.add(f, line_of(data, "presets"), "presets must be a list of preset ids")
        presets = []
    for i, pid in enumerate(presets):
        if pid not in catalog.presets:
            col.add(f, line_of(presets, i, line_of(data, "presets")), f"unknown preset {pid!r} (known: {', '.join(sorted(catalog.presets))})")
        elif pid in eng.presets:
            col.add(f, line_of(presets, i, line_of(data, "presets")), f"preset {pid!r} is listed twice")
        else:
            eng.presets.append(pid)

    prof = data.get("profile") or {}
    if not isinstance(prof, dict):
        col.add(f, line_of(data, "profile"), "profile must be a mapping (employees, it_staff, compliance)")
        prof = {}
    for key in prof:
        if key not in PROFILE_KEYS:
            col.add(f, line_of(prof, key), f"unknown key {key!r} in profile (allowed: {', '.join(PROFILE_KEYS)})")
    comp = prof.get("compliance") or []
    if isinstance(comp, str):
        comp = [comp]
    compliance = []
    for i, fw in enumerate(comp if isinstance(comp, list) else []):
        if fw not in catalog.frameworks:
            col.add(f, line_of(comp, i, line_of(prof, "compliance")), f"unknown framework {fw!r} in profile (known: {', '.join(sorted(catalog.frameworks))})")
        else:
            compliance.append(fw)
    eng.profile = Profile(
        employees=_int(prof.get("employees"), f, line_of(prof, "employees"), "profile employees", col),
        it_staff=_int(prof.get("it_staff"), f, line_of(prof, "it_staff"), "profile it_staff", col),
        compliance=compliance,
    )

    parties = data.get("parties")
    if not isinstance(parties, dict) or not parties:
        col.add(f, line_of(data, "parties", 1), "parties must map party ids to {name, kind, staff, hours}")
        parties = {}
    for pid, spec in parties.items():
        pline = line_of(parties, pid)
        if not isinstance(pid, str) or not re.match(r"^[a-z0-9][a-z0-9-]*$", pid):
            col.add(f, pline, f"party id {pid!r} must be lowercase letters, digits and hyphens")
            continue
        if not isinstance(spec, dict):
            col.add(f, pline, f"party {pid}: expected {{name, kind, staff, hours}}")
            continue
        for key in spec:
            if key not in PARTY_KEYS:
                col.add(f, line_of(spec, key), f"unknown key {key!r} in party {pid} (allowed: {', '.join(PARTY_KEYS)})")
        kind = spec.get("kind")
        if kind not in KINDS:
            col.add(f, line_of(spec, "kind", pline), f"party {pid}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
        hours = spec.get("hours", "business-hours")
        if hours not in HOURS:
            col.add(f, line_of(spec, "hours", pline), f"party {pid}: hours must be business-hours or 24x7, not {hours!r}")
        staff = _int(spec.get("staff"), f, line_of(spec, "staff", pline), f"party {pid}: staff", col)
        if spec.get("staff") is None:
            col.add(f, pline, f"party {pid}: staff is required (0 for a party with no people)")
        eng.parties[pid] = Party(pid, _text(spec.get("name"), f, line_of(spec, "name", pline), f"party {pid}: name", col) or pid,
                                 kind if kind in KINDS else "client", staff or 0, hours if hours in HOURS else "business-hours")
        lines[("parties", pid)] = pline

    ids = catalog.index
    for aid, spec, aline in _per_activity(data, "assignments", "roles", f, catalog, col, lines):
        row = _parse_roles(spec, f, aline, col, aid, allow_after_hours=True)
        if row is None:
            continue
        for party in row.parties():
            if party not in eng.parties and parties:  # with no valid parties at all, that is reported once above
                col.add(f, line_of(spec, party, aline) if party in spec else line_of(spec.get(AFTER_HOURS_KEY), party, aline),
                        f"{aid}: unknown party {party!r} (known: {', '.join(eng.parties)})")
        eng.assignments[aid] = row

    excl = data.get("exclusions") or []
    if isinstance(excl, str):
        excl = [excl]
    if not isinstance(excl, list):
        col.add(f, line_of(data, "exclusions"), "exclusions must be a list of activity ids")
        excl = []
    for i, pattern in enumerate(excl):
        eline = line_of(excl, i, line_of(data, "exclusions"))
        if not isinstance(pattern, str) or not match_ids(pattern, ids):
            what = "matches no activity" if isinstance(pattern, str) and _specificity(pattern)[0] == 0 else "is not a catalog activity"
            col.add(f, eline, f"exclusion {pattern!r} {what}")
            continue
        eng.exclusions.append(pattern)
        lines[("exclusions", pattern)] = eline

    for aid, text, nline in _per_activity(data, "notes", "text", f, catalog, col, lines):
        if not isinstance(text, (str, int, float)) or isinstance(text, bool):
            col.add(f, nline, f"note for {aid} must be text")
            continue
        eng.notes[aid] = str(text)

    for aid, spec, sline in _per_activity(data, "sla", "{response, resolution}", f, catalog, col, lines):
        if not isinstance(spec, dict) or not spec:
            col.add(f, sline, f"sla for {aid} must be a mapping like {{response: 30m, resolution: 8h}}")
            continue
        targets = {}
        for key, value in spec.items():
            kline = line_of(spec, key, sline)
            if key not in SLA_KEYS:
                col.add(f, kline, f"unknown key {key!r} in sla for {aid} (allowed: {', '.join(SLA_KEYS)})")
                continue
            if not isinstance(value, str) or not DURATION_RE.match(value.strip()):
                col.add(f, kline, f"sla {key} for {aid} must be a duration such as 15m, 4h, 2d or 3bd, not {value!r}")
                continue
            targets[key] = value.strip()
        eng.sla[aid] = targets

    thr = data.get("thresholds") or {}
    if not isinstance(thr, dict):
        col.add(f, line_of(data, "thresholds"), "thresholds must be a mapping")
        thr = {}
    for key, value in thr.items():
        tline = line_of(thr, key)
        if key not in THRESHOLD_KEYS:
            col.add(f, tline, f"unknown threshold {key!r} (allowed: {', '.join(THRESHOLD_KEYS)})")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            col.add(f, tline, f"threshold {key} must be a positive number, not {value!r}")
        else:
            eng.thresholds[key] = value
    if data.get("contract_rows") is not None:
        from raci.contracts.kept import parse_kept_rows

        eng.contract_rows = parse_kept_rows(data.get("contract_rows"), f, line_of, col.add, catalog.activities, eng.parties)
    if col.problems:
        raise EngagementError(sorted(col.problems, key=lambda p: p.line or 0))
    return eng


def load_engagement(path: str | Path, catalog: Catalog) -> Engagement:
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


# --------------------------------------------------------------------------- writing


def yaml_scalar(value) -> str:
    """One YAML scalar, quoted only where YAML needs it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = _dump_scalar(str(value), None)
    if text[:1] not in ("'", '"') and any(ch in text for ch in ",[]{}"):
        # plain in a block, but inside a flow mapping a comma or bracket ends the value: quote it
        text = _dump_scalar(str(value), '"')
    return text


def _dump_scalar(value: str, style: str | None) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, default_style=style, width=1 << 30, allow_unicode=True).strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    elif text.endswith("..."):
        text = text[:-3].rstrip()
    return text


def _flow(mapping: dict) -> str:
    parts = []
    for k, v in mapping.items():
        text = _flow(v) if isinstance(v, dict) else _flow_list(v) if isinstance(v, list) else yaml_scalar(v)
        parts.append(f"{yaml_scalar(k)}: {text}")
    return "{" + ", ".join(parts) + "}"


def _flow_list(items: list) -> str:
    return "[" + ", ".join(yaml_scalar(i) for i in items) + "]"


def dump_engagement(eng: Engagement, header: list[str] | None = None, comments: bool = True) -> str:
    """Serialise an engagement as a readable, commented YAML file that loads back to the same engagement."""
    out: list[str] = [f"# {line}" if line else "#" for line in (header or [])]
    c = (lambda text: out.append(f"# {text}")) if comments else (lambda text: None)
    out.append(f"client: {yaml_scalar(eng.client)}")
    out.append(f"provider: {yaml_scalar(eng.provider)}")
    out.append(f"version: {yaml_scalar(str(eng.version))}")
    out.append(f"effective: {yaml_scalar(eng.effective)}")
    out.append("")
    c("Presets are applied in order; a later preset wins where two set the same activity.")
    out.append(f"presets: {_flow_list(eng.presets)}")
    p = eng.profile
    out.append(f"profile: {_flow({'employees': p.employees, 'it_staff': p.it_staff})[:-1]}, compliance: {_flow_list(p.compliance)}}}")
    out.append("")
    c("kind: client, msp or vendor; staff: headcount that can take on work; hours: business-hours or 24x7.")
    out.append("parties:")
    for pid, party in eng.parties.items():
        out.append(f"  {pid}: {_flow(party.to_dict())}")
    out.append("")
    c("Overrides: each entry replaces the preset's whole row for that activity.")
    c("Letters: R, A, C, I or A/R. Add 'after-hours: {party: letter}' where nights and weekends differ.")
    if eng.assignments:
        out.append("assignments:")
        for aid, row in eng.assignments.items():
            out.append(f"  {aid}: {_flow(row.to_yaml_obj())}")
    else:
        c("Example:")
        c("  patching.os-servers: {msp: A/R, client-it: I}")
        c("  monitoring.alert-response: {client-it: A/R, after-hours: {msp: R, client-it: I}}")
        out.append("assignments: {}")
    out.append("")
    c("Out of scope for this engagement (activity ids or globs such as projects.*).")
    if eng.exclusions:
        out.append("exclusions:")
        out += [f"  - {yaml_scalar(x)}" for x in eng.exclusions]
    else:
        c("Example: exclusions: [projects.office-move]")
        out.append("exclusions: []")
    out.append("")
    c("Notes per activity; a note also records how shared work is split.")
    if eng.notes:
        out.append("notes:")
        out += [f"  {aid}: {yaml_scalar(text)}" for aid, text in eng.notes.items()]
    else:
        c('Example: notes: {patching.os-servers: "Second Tuesday of the month, 22:00-02:00"}')
        out.append("notes: {}")
    out.append("")
    c("Service levels: durations such as 15m, 4h, 2d or 3bd (business days).")
    if eng.sla:
        out.append("sla:")
        out += [f"  {aid}: {_flow(targets)}" for aid, targets in eng.sla.items()]
    else:
        c("Example: sla: {servicedesk.tier1: {response: 30m, resolution: 8h}}")
        out.append("sla: {}")
    if eng.thresholds != THRESHOLD_KEYS:
        out.append("")
        out.append(f"thresholds: {_flow(eng.thresholds)}")
    else:
        out.append("")
        c("Check thresholds: overloaded-party warns past this many R per staff member.")
        out.append(f"thresholds: {_flow(THRESHOLD_KEYS)}")
    if eng.contract_rows:
        out.append("")
        c("Every row of the imported contract as written (where, cells, roles read, activity mapped or null).")
        c("raci check reports their problems; map a row by setting its activity, or by an assignment above.")
        out.append("contract_rows:")
        out += [f"  - {_flow(row.to_yaml_obj())}" for row in eng.contract_rows]
    return "\n".join(out) + "\n"


def new_engagement(
    catalog: Catalog,
    presets: list[str],
    client: str,
    provider: str = "",
    *,
    employees: int | None = None,
    it_staff: int | None = None,
    compliance: list[str] | None = None,
    version: str = "1.0",
    effective: _dt.date | None = None,
) -> Engagement:
    """A new engagement with the standard parties the presets use, staffed and timed for the arrangement."""
    unknown = [p for p in presets if p not in catalog.presets]
    if unknown:
        raise EngagementError([Problem("", f"unknown preset {p!r} (known: {', '.join(sorted(catalog.presets))})") for p in unknown])
    bad = [fw for fw in compliance or [] if fw not in catalog.frameworks]
    if bad:
        raise EngagementError([Problem("", f"unknown framework {fw!r} (known: {', '.join(sorted(catalog.frameworks))})") for fw in bad])
    rows, _, _ = apply_presets(catalog, presets)
    used: list[str] = []
    for row in rows.values():
        for party in row.parties():
            if party not in used:
                used.append(party)
    # A client IT team that holds R after hours on a round-the-clock activity runs an on-call rota.
    on_call = any(
        has_r(rows[aid].window("after-hours").get("client-it"))
        for aid, act in catalog.activities.items()
        if act.coverage == "24x7" and aid in rows
    )
    in_house_only = "msp" not in used
    if it_staff is None:
        it_staff = 4 if in_house_only else 2
    defaults = {
        "client-exec": Party("client-exec", f"{client} leadership", "client", 2, "business-hours"),
        "client-it": Party("client-it", f"{client} IT", "client", it_staff, "24x7" if on_call else "business-hours"),
        "msp": Party("msp", provider or "Managed service provider", "msp", 25, "24x7"),
    }
    parties: dict[str, Party] = {}
    for pid in (*STANDARD_PARTIES, *used):
        if pid in used and pid not in parties:
            parties[pid] = defaults.get(pid) or Party(pid, pid, "vendor", 1, "business-hours")
    return Engagement(
        client=client,
        provider=provider,
        version=version,
        effective=effective,
        presets=list(presets),
        profile=Profile(employees=employees, it_staff=it_staff if "client-it" in parties else 0, compliance=list(compliance or [])),
        parties=parties,
    )
