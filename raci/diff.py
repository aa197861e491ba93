"""What changes between two arrangements (engagement files or presets): roles per activity, party and window, grouped
for a transition plan, and the rest of what an engagement says (details, parties, notes, service levels, exclusions, commercial status).

The text, JSON and Markdown reports live in ``raci.diff_report``; ``diff_text``, ``diff_json`` and ``diff_markdown``
are importable from here too."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from raci.catalog import WINDOWS, Catalog, Row, match_ids
from raci.compose import commercial_status, compose
from raci.diff_commercial import CommercialChange, compare_commercial
from raci.engagement import PARTY_KEYS, SLA_KEYS, STANDARD_PARTIES, load_engagement, resolve
from raci.errors import InputError, Problem
from raci.mdtext import md_escape as md_escape  # the one escaping (the Markdown reports import it from here too)
from raci.roles import has_r

if TYPE_CHECKING:
    from raci.engagement import Engagement

# Directions, in the order a transition plan lists them.
DIRECTIONS = ("to-msp", "to-client", "shared", "unowned", "other")
DIRECTION_TITLES = {
    "to-msp": "Moves to the MSP",
    "to-client": "Moves to the client",
    "shared": "Newly shared",
    "unowned": "Newly unowned",
    "other": "Other role changes",
}
DIRECTION_HELP = {
    "to-msp": "The MSP takes on work or accountability the client held",
    "to-client": "The client takes on work or accountability the MSP held",
    "shared": "Two or more parties now do the same work: agree how it is split",
    "unowned": "Nobody is accountable or nobody does the work any more, or the activity leaves the scope",
    "other": "Consulted or informed parties change, or work moves to or from a vendor",
}
DIRECTION_WORDS = {
    "to-msp": "moves to the MSP",
    "to-client": "moves to the client",
    "shared": "newly shared",
    "unowned": "newly unowned",
    "other": "other role changes",
}
# The sections of what an engagement says besides roles, in report order, with their titles.
SECTIONS = ("engagement", "parties", "notes", "internal_notes", "sla", "exclusions", "commercial")
SECTION_TITLES = {"engagement": "Engagement", "parties": "Parties", "notes": "Notes", "internal_notes": "Internal notes",
                  "sla": "Service levels", "exclusions": "Exclusions", "commercial": "Commercial status"}
# Sections a client may read: the Markdown transition plan is an appendix, and internal notes never reach one.
CLIENT_SECTIONS = tuple(s for s in SECTIONS if s != "internal_notes")
PARTY_FIELDS = PARTY_KEYS
SLA_FIELDS = SLA_KEYS
PARTY_ORDER = STANDARD_PARTIES
STANDARD_SIDES = {"client-exec": "client", "client-it": "client", "msp": "msp"}


@dataclass
class Arrangement:
    """One side of a diff: an engagement file or a preset combination, resolved against the catalog."""

    label: str
    rows: dict[str, Row]
    excluded: set[str]
    sides: dict[str, str]  # party -> "client", "msp" or "vendor"
    path: str | None = None  # the file it came from, when it is one
    names: dict[str, str] = field(default_factory=dict)  # party -> display name, for engagements
    engagement: Engagement | None = None  # the file's terms; None for a preset combination
    commercial: dict[str, str] = field(default_factory=dict)  # activity the MSP works on -> commercial status

    def accountable(self, aid: str) -> list[str]:
        if aid in self.excluded or aid not in self.rows:
            return []
        return self.rows[aid].accountable()

    def roles(self, aid: str, window: str) -> dict[str, str]:
        if aid in self.excluded or aid not in self.rows:
            return {}
        return dict(self.rows[aid].window(window))


@dataclass(frozen=True)
class Change:
    activity: str
    party: str
    window: str | None  # None: the same change in both windows
    before: str | None
    after: str | None
    domain: str
    direction: str

    def to_dict(self) -> dict:
        return {"activity": self.activity, "party": self.party, "window": self.window, "before": self.before,
                "after": self.after, "domain": self.domain, "direction": self.direction}


@dataclass
class ActivityChange:
    """The changes of one activity in one window (or both), with the direction they move the work."""

    activity: str
    name: str
    domain: str
    window: str | None
    direction: str
    changes: list[Change]
    scope: str | None = None  # "leaves the scope" / "enters the scope" when an exclusion changes


@dataclass(frozen=True)
class FieldChange:
    """An engagement detail (client, version, profile.employees, thresholds.r_per_staff, ...) that changes."""

    field: str
    before: object
    after: object


@dataclass(frozen=True)
class PartyChange:
    """One field of a party that changes; ``field`` None: the whole party is added (before None) or removed."""

    party: str
    name: str  # its name before (after, when added)
    field: str | None
    before: object
    after: object


@dataclass(frozen=True)
class NoteChange:
    activity: str
    name: str
    before: str | None  # None: the note is added
    after: str | None  # None: the note is removed


@dataclass(frozen=True)
class SlaChange:
    activity: str
    name: str
    field: str  # response or resolution
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ExclusionChange:
    change: str  # "added" or "removed"
    pattern: str  # as written: an activity id or a glob
    activities: tuple[str, ...]  # the activities it covers, in catalog order


@dataclass
class Diff:
    a: Arrangement
    b: Arrangement
    items: list[ActivityChange] = field(default_factory=list)
    domain_names: dict[str, str] = field(default_factory=dict)
    metadata: list[FieldChange] = field(default_factory=list)
    party_changes: list[PartyChange] = field(default_factory=list)
    notes: list[NoteChange] = field(default_factory=list)
    internal_notes: list[NoteChange] = field(default_factory=list)
    sla: list[SlaChange] = field(default_factory=list)
    exclusions: list[ExclusionChange] = field(default_factory=list)
    activity_names: dict[str, str] = field(default_factory=dict)
    commercial: list[CommercialChange] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return [c for item in self.items for c in item.changes]

    def section_counts(self) -> dict[str, int]:
        """Lines per section of the text report: details, parties, notes, internal notes, activities with SLA changes,
        exclusions."""
        return {"engagement": len(self.metadata), "parties": len({c.party for c in self.party_changes}),
                "notes": len(self.notes), "internal_notes": len(self.internal_notes),
                "sla": len({c.activity for c in self.sla}), "exclusions": len(self.exclusions),
                "commercial": len(self.commercial)}

    @property
    def unchanged(self) -> bool:
        """Nothing at all differs: no role, detail, party, note, service level or exclusion."""
        return not self.items and not any(self.section_counts().values())

    def grouped(self) -> list[tuple[str, list[tuple[str, list[ActivityChange]]]]]:
        """[(direction, [(domain id, [items])])] in direction order, then catalog domain order."""
        out = []
        for direction in DIRECTIONS:
            items = [i for i in self.items if i.direction == direction]
            if not items:
                continue
            domains: dict[str, list[ActivityChange]] = {}
            for item in items:
                domains.setdefault(item.domain, []).append(item)
            out.append((direction, list(domains.items())))
        return out

    def parties(self) -> list[str]:
        """Every party with a change, standard parties first."""
        return sorted({c.party for c in self.changes}, key=_party_key)

    def counts(self) -> dict[str, int]:
        return {d: sum(1 for i in self.items if i.direction == d) for d in DIRECTIONS}


# --------------------------------------------------------------------------- loading either side


def load_arrangement(spec: str, catalog: Catalog) -> Arrangement:
    """An existing file is an engagement; otherwise ``spec`` must be preset ids joined by commas."""
    path = Path(spec)
    if path.exists() and not path.is_dir():  # a regular file, or a pipe or device that the reader refuses by name
        eng = load_engagement(path, catalog)
        matrix = resolve(eng, catalog)
        sides = {pid: ("msp" if p.kind == "msp" else "client" if p.kind == "client" else "vendor")
                 for pid, p in eng.parties.items()}
        names = {pid: p.name for pid, p in eng.parties.items()}
        return Arrangement(spec, matrix.rows, set(matrix.excluded), sides, spec, names, eng, dict(matrix.commercial))
    ids = [p.strip() for p in spec.split(",")]
    unknown = [p for p in ids if p not in catalog.presets]
    if not spec.strip() or unknown:
        looks_like_file = any(ch in spec for ch in "/\\") or spec.endswith((".yaml", ".yml"))
        if looks_like_file or path.exists():
            why = "is a folder, not an engagement file" if path.exists() else "no such file"
            raise InputError(Problem(spec, why))
        listed = ", ".join(repr(p) for p in unknown) or repr(spec)
        raise InputError(Problem("", f"{listed}: neither an engagement file nor a preset "
                                     f"(known presets: {', '.join(sorted(catalog.presets))})"))
    dup = [p for p in dict.fromkeys(ids) if ids.count(p) > 1]
    if dup:
        raise InputError(Problem("", f"preset {dup[0]!r} is listed twice in {spec!r}"))
    comp = compose(catalog, ids)
    rows = comp.rows
    sides = {}
    for row in rows.values():
        for party in row.parties():
            sides.setdefault(party, STANDARD_SIDES.get(party, "vendor"))
    msp = [p for p, side in sides.items() if side == "msp"]
    return Arrangement(f"presets {' + '.join(ids)}", rows, set(), sides, commercial=commercial_status(comp.commercial, rows, msp))


# --------------------------------------------------------------------------- comparing


def _side(arr_a: Arrangement, arr_b: Arrangement, party: str) -> str:
    return arr_b.sides.get(party) or arr_a.sides.get(party) or STANDARD_SIDES.get(party, "vendor")


def _direction(before: dict[str, str], after: dict[str, str], acc_before: list[str], acc_after: list[str], side,
               needs_r: bool, left_scope: bool) -> str:
    """Classify one activity's change in one window. Accountability does not change by window, so A is
    read from the whole row (``acc_*``), while R is read from the window itself."""
    def owned(roles: dict[str, str], acc: list[str]) -> bool:
        return bool(acc) and (not needs_r or any(has_r(r) for r in roles.values()))

    if left_scope or (owned(before, acc_before) and not owned(after, acc_after)):
        return "unowned"
    doers_before = [p for p, r in before.items() if has_r(r)]
    doers_after = [p for p, r in after.items() if has_r(r)]
    if len(doers_after) >= 2 and len(doers_after) > len(doers_before):
        return "shared"
    r_before = {side(p) for p in doers_before}
    r_after = {side(p) for p in doers_after}
    a_before = {side(p) for p in acc_before}
    a_after = {side(p) for p in acc_after}
    gained = (r_after - r_before) | (a_after - a_before)
    lost = (r_before - r_after) | (a_before - a_after)
    if "msp" in gained and "client" not in gained:
        return "to-msp"
    if "client" in gained and "msp" not in gained:
        return "to-client"
    # The MSP dropping work it shared (or the client dropping its share) still moves the work one way.
    if not gained and "client" in lost and "msp" not in lost and "msp" in r_after:
        return "to-msp"
    if not gained and "msp" in lost and "client" not in lost and "client" in r_after:
        return "to-client"
    return "other"


def _party_key(party: str) -> tuple[int, str]:
    return (PARTY_ORDER.index(party) if party in PARTY_ORDER else len(PARTY_ORDER), party)


def diff(catalog: Catalog, a: Arrangement, b: Arrangement) -> Diff:
    """Every activity whose roles change from ``a`` to ``b``, per party and window, in catalog order."""
    result = Diff(a, b, domain_names=dict(catalog.domain_names),
                  activity_names={aid: act.name for aid, act in catalog.activities.items()})
    for aid, act in catalog.activities.items():
        per_window: dict[str, list[tuple[str, str | None, str | None]]] = {}
        roles = {}
        for w in WINDOWS:
            before, after = a.roles(aid, w), b.roles(aid, w)
            roles[w] = (before, after)
            parties = sorted(dict.fromkeys([*before, *after]), key=_party_key)
            per_window[w] = [(p, before.get(p), after.get(p)) for p in parties if before.get(p) != after.get(p)]
        scope = None
        if (aid in a.excluded) != (aid in b.excluded):
            scope = "leaves the scope" if aid in b.excluded else "enters the scope"
        windows: list[str | None]
        if per_window["business-hours"] == per_window["after-hours"]:
            windows = [None] if per_window["business-hours"] or scope else []
        else:
            windows = [w for w in WINDOWS if per_window[w]]
        for window in windows:
            key = window or "business-hours"
            before, after = roles[key]
            needs_r = key == "business-hours" or act.coverage == "24x7"
            direction = _direction(before, after, a.accountable(aid), b.accountable(aid), lambda p: _side(a, b, p),
                                   needs_r, scope == "leaves the scope")
            changes = [Change(aid, p, window, x, y, act.domain, direction) for p, x, y in per_window[key]]
            result.items.append(ActivityChange(aid, act.name, act.domain, window, direction, changes, scope))
    _compare_terms(catalog, result)
    result.commercial = compare_commercial(catalog, a.commercial, b.commercial)
    return result


def _metadata(eng: Engagement) -> dict[str, object]:
    p = eng.profile
    out: dict[str, object] = {"client": eng.client, "provider": eng.provider, "version": eng.version,
                              "effective": eng.effective, "presets": list(eng.presets),
                              "profile.employees": p.employees, "profile.it_staff": p.it_staff,
                              "profile.compliance": list(p.compliance)}
    out.update({f"thresholds.{k}": v for k, v in eng.thresholds.items()})
    return out


def _compare_terms(catalog: Catalog, result: Diff) -> None:
    """Exclusions as written (a preset combination has none); the rest only when both sides are engagement files."""
    a, b = result.a.engagement, result.b.engagement
    before, after = (a.exclusions if a else []), (b.exclusions if b else [])
    for change, patterns, other in (("added", after, before), ("removed", before, after)):
        result.exclusions += [ExclusionChange(change, p, tuple(match_ids(p, catalog.index))) for p in patterns
                              if p not in other]
    if a is None or b is None:
        return
    meta_a, meta_b = _metadata(a), _metadata(b)
    for key in dict.fromkeys([*meta_a, *meta_b]):
        x, y = meta_a.get(key), meta_b.get(key)
        if key == "profile.compliance" and isinstance(x, list) and isinstance(y, list):
            same = sorted(x) == sorted(y)  # frameworks have no order
        else:
            same = x == y
        if not same:
            result.metadata.append(FieldChange(key, x, y))
    for pid in dict.fromkeys([*a.parties, *b.parties]):
        pa, pb = a.parties.get(pid), b.parties.get(pid)
        if pa is None or pb is None:
            party = pa or pb
            assert party is not None, "pid is a party of a or of b"
            whole = {k: getattr(party, k) for k in PARTY_FIELDS}
            result.party_changes.append(PartyChange(pid, party.name, None, None if pa is None else whole,
                                                    whole if pa is None else None))
            continue
        result.party_changes += [PartyChange(pid, pa.name, k, getattr(pa, k), getattr(pb, k)) for k in PARTY_FIELDS
                                 if getattr(pa, k) != getattr(pb, k)]
    for aid, act in catalog.activities.items():
        if a.notes.get(aid) != b.notes.get(aid):
            result.notes.append(NoteChange(aid, act.name, a.notes.get(aid), b.notes.get(aid)))
        if a.internal_notes.get(aid) != b.internal_notes.get(aid):
            result.internal_notes.append(NoteChange(aid, act.name, a.internal_notes.get(aid), b.internal_notes.get(aid)))
        sla_a, sla_b = a.sla.get(aid, {}), b.sla.get(aid, {})
        result.sla += [SlaChange(aid, act.name, k, sla_a.get(k), sla_b.get(k))
                       for k in dict.fromkeys([*SLA_FIELDS, *sla_a, *sla_b]) if sla_a.get(k) != sla_b.get(k)]


def diff_specs(catalog: Catalog, spec_a: str, spec_b: str) -> Diff:
    """Load both sides (reporting the problems of both at once) and compare them."""
    problems: list[Problem] = []
    sides = []
    for spec in (spec_a, spec_b):
        try:
            sides.append(load_arrangement(spec, catalog))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return diff(catalog, sides[0], sides[1])


# --------------------------------------------------------------------------- reports (in raci.diff_report)


def diff_text(d: Diff) -> str:
    """The plain-text report: role changes by direction and domain, then the other sections."""
    from raci.diff_report import diff_text as report

    return report(d)


def diff_json(d: Diff) -> str:
    """The JSON report (see the README's diff section for its shape)."""
    from raci.diff_report import diff_json as report

    return report(d)


def diff_markdown(d: Diff, template_dir: str | Path | None = None) -> str:
    """The transition-plan appendix, rendered from ``diff.md.j2`` (bundled, or from ``template_dir``)."""
    from raci.diff_report import diff_markdown as report

    return report(d, template_dir)
