"""Control crosswalk: the control sets of ``controls.yaml``, each activity's ``controls:`` ids, and control ids read from row labels.

Four control sets are known, each with its own way of writing ids: NIST SP 800-53 Rev. 5 (``AC-2``, enhancement
``AC-2(3)``), the CSA Cloud Controls Matrix v4 (``TVM-01``), the CIS Controls v8 safeguards (``7.3``) and NIST SP 800-171
Rev. 2 (``3.1.1``; CMMC practice ids such as ``AC.L2-3.1.1`` carry the same numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from raci.errors import InputError
from raci.yamlio import line_of, load_yaml_file

if TYPE_CHECKING:
    from raci.catalog import Activity, Catalog

NIST_53 = "nist-800-53"
CCM = "csa-ccm"
CIS = "cis-v8"
NIST_171 = "nist-800-171"
SET_IDS = (NIST_53, CCM, CIS, NIST_171)
_SET_KEYS = ("id", "name", "version", "source")
_EXAMPLES = {NIST_53: "AC-2 or AC-2(3)", CCM: "TVM-01", CIS: '"7.3"', NIST_171: '"3.1.1"'}

# Highest base control number of each 800-53 Rev. 5 family, CCM v4 controls per domain, CIS v8 safeguards per
# control, 800-171 Rev. 2 requirements per family (with the family letters CMMC puts in front of them).
_53_MAX = {"AC": 25, "AT": 6, "AU": 16, "CA": 9, "CM": 14, "CP": 13, "IA": 13, "IR": 10, "MA": 7, "MP": 8, "PE": 23,
           "PL": 11, "PM": 32, "PS": 9, "PT": 8, "RA": 10, "SA": 23, "SC": 51, "SI": 23, "SR": 12}
_CCM_SIZE = {"A&A": 6, "AIS": 7, "BCR": 11, "CCC": 9, "CEK": 21, "DCS": 15, "DSP": 19, "GRC": 8, "HRS": 13, "IAM": 16,
             "IPY": 4, "IVS": 9, "LOG": 13, "SEF": 8, "STA": 14, "TVM": 10, "UEM": 14}
_CIS_SIZE = {1: 5, 2: 7, 3: 14, 4: 12, 5: 6, 6: 8, 7: 7, 8: 12, 9: 7, 10: 7, 11: 5, 12: 8, 13: 11, 14: 9, 15: 7, 16: 14,
             17: 9, 18: 5}
_171_SIZE = {1: 22, 2: 3, 3: 9, 4: 9, 5: 11, 6: 3, 7: 6, 8: 9, 9: 2, 10: 6, 11: 3, 12: 4, 13: 16, 14: 7}
_171_FAMILY = {1: "AC", 2: "AT", 3: "AU", 4: "CM", 5: "IA", 6: "IR", 7: "MA", 8: "MP", 9: "PS", 10: "PE", 11: "RA",
               12: "CA", 13: "SC", 14: "SI"}

_END = r"(?=$|[^0-9a-z.]|\.(?![0-9a-z]))"  # the id ends here: no letter or digit glued to it
_DASH = r"\s*[-\u2010-\u2013]\s*"
_LEAD = re.compile(r"^[\s\u2022\u00b7\u25aa*]+")
_CMMC_RE = re.compile(rf"(?P<fam>[a-z]{{2}})\.l[12]-3\.(?P<f>\d{{1,2}})\.(?P<r>\d{{1,2}})(?:\[(?P<o>[a-z])\])?{_END}", re.I)
_171_RE = re.compile(
    r"(?:(?:nist\s*)?(?:sp\s*)?800-171\s*(?:r(?:ev(?:ision)?)?\.?\s*2\b)?[\s:#-]*)?"
    rf"3\.(?P<f>\d{{1,2}})\.(?P<r>\d{{1,2}})(?:\[(?P<o>[a-z])\]|\((?P<o2>[a-z])\))?{_END}", re.I)
_CCM_RE = re.compile(rf"(?:(?:csa\s*)?ccm\s*(?:v?4(?:\.\d+)*\b)?[\s:#-]*)?(?P<dom>a\s*&\s*a|[a-z]{{3}}){_DASH}0*(?P<num>\d{{1,2}})"
                     rf"(?:\.(?P<q>\d{{1,2}}))?{_END}", re.I)
_53_RE = re.compile(
    r"(?:(?:nist\s*)?(?:sp\s*)?800-53\s*(?:r(?:ev(?:ision)?)?\.?\s*5\b)?[\s:#-]*)?"
    rf"(?P<fam>[a-z]{{2}}){_DASH}0*(?P<num>\d{{1,2}})"
    r"(?P<tail>(?:\s*\(\s*(?:\d{1,2}|[a-z])\s*\)|\.(?:\d{1,2}|[a-z])(?![0-9a-z])|_(?:smt|stmt|obj)(?:\.[0-9a-z]+(?:[.-][0-9a-z]+)*)?"
    rf"|(?<=\d)[a-z](?![a-z]))*){_END}", re.I)
_TAIL_TOKEN = re.compile(r"\(\s*(\d+|[a-z])\s*\)|\.(\d+|[a-z])|_(?:smt|stmt|obj)(?:\.([0-9a-z.-]+))?|([a-z])", re.I)
_CIS_PREFIX = r"(?:cis\b(?:[\s-]*(?:v\s*8(?:\.1)?|critical|security|controls?|safeguards?|sub-?controls?)\b)*|safeguards?\b|sub-?controls?\b|csc\b)"
_CIS_RE = re.compile(rf"(?P<pfx>{_CIS_PREFIX}[\s:#-]*)?(?P<c>\d{{1,2}})\.(?P<s>\d{{1,2}})(?![.\d]){_END}", re.I)
_CIS_HINT = re.compile(r"\bcis\b|critical security controls", re.I)


@dataclass(frozen=True)
class ControlSet:
    id: str
    name: str
    version: str
    source: str

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class ControlRef:
    """A control named in a label: its set, its canonical id (``AC-2(3)``, ``TVM-01``, ``7.3``, ``3.1.1``) and the part written, if any."""

    set: str
    id: str
    part: str | None = None

    @property
    def with_part(self) -> str | None:
        """The 800-53 statement part as a crosswalk lists it (``AC-2(h)``), when a single lettered part is written."""
        return f"{self.id}({self.part})" if self.part and len(self.part) == 1 and self.part.isalpha() else None

    @property
    def base(self) -> str | None:
        """The base control of an 800-53 enhancement (``AC-2`` for ``AC-2(3)``), else None."""
        return self.id.split("(", 1)[0] if "(" in self.id else None

    def to_dict(self) -> dict:
        return {"set": self.set, "id": self.id, "part": self.part, "base": self.base}


# --------------------------------------------------------------------------- reading ids in labels


def parse_control(text: str, hint: str | None = None) -> ControlRef | None:
    """The control a row label names or starts with, or None.

    ``hint`` is text around the table (its title or header): a bare two-part number such as ``7.3`` is read as a CIS
    safeguard only when the hint mentions CIS, or when the label itself says ``CIS 7.3`` or ``Safeguard 7.3``.
    """
    if not isinstance(text, str):
        return None
    label = _LEAD.sub("", text).rstrip()
    if not label:
        return None
    for reader in (_read_cmmc, _read_171, _read_ccm, _read_53):
        ref = reader(label)
        if ref is not None:
            return ref
    return _read_cis(label, bool(hint and _CIS_HINT.search(hint)))


def _read_cmmc(label: str) -> ControlRef | None:
    m = _CMMC_RE.match(label)
    if not m or _171_FAMILY.get(int(m["f"])) != m["fam"].upper():
        return None
    return _ref_171(m["f"], m["r"], m["o"])


def _read_171(label: str) -> ControlRef | None:
    m = _171_RE.match(label)
    return _ref_171(m["f"], m["r"], m["o"] or m["o2"]) if m else None


def _ref_171(family: str, number: str, part: str | None) -> ControlRef | None:
    f, r = int(family), int(number)
    if not 1 <= r <= _171_SIZE.get(f, 0):
        return None
    return ControlRef(NIST_171, f"3.{f}.{r}", part.lower() if part else None)


def _read_ccm(label: str) -> ControlRef | None:
    m = _CCM_RE.match(label)
    if not m:
        return None
    dom = re.sub(r"\s+", "", m["dom"]).upper()
    num = int(m["num"])
    if not 1 <= num <= _CCM_SIZE.get(dom, 0):
        return None
    return ControlRef(CCM, f"{dom}-{num:02d}", str(int(m["q"])) if m["q"] else None)


def _read_53(label: str) -> ControlRef | None:
    m = _53_RE.match(label)
    if not m:
        return None
    fam, num = m["fam"].upper(), int(m["num"])
    if not 1 <= num <= _53_MAX.get(fam, 0):
        return None
    enhancement: int | None = None
    parts: list[str] = []
    for paren, dotted, statement, glued in _TAIL_TOKEN.findall(m["tail"]):
        if statement or (not paren and not dotted and not glued):  # _smt.a.1 (or a bare _smt)
            parts += [p.lower() for p in re.split(r"[.-]", statement) if p]
            continue
        token = (paren or dotted or glued).lower()
        if token.isdigit() and enhancement is None and not parts:
            enhancement = int(token)
        else:
            parts.append(str(int(token)) if token.isdigit() else token)
    if enhancement == 0:
        return None
    cid = f"{fam}-{num}" + (f"({enhancement})" if enhancement else "")
    return ControlRef(NIST_53, cid, ".".join(parts) or None)


def _read_cis(label: str, hinted: bool) -> ControlRef | None:
    m = _CIS_RE.match(label)
    if not m or not (hinted or m["pfx"]):
        return None
    c, s = int(m["c"]), int(m["s"])
    if not 1 <= s <= _CIS_SIZE.get(c, 0):
        return None
    return ControlRef(CIS, f"{c}.{s}")


# --------------------------------------------------------------------------- catalog lookup


def control_index(catalog: Catalog) -> dict[tuple[str, str], str]:
    """(set, control id) -> the activity carrying it; built once per catalog."""
    if catalog._control_index is None:
        catalog._control_index = {(s, cid): a.id for a in catalog.activities.values() for s, ids in a.controls.items() for cid in ids}
    return catalog._control_index


def activities_for_control(catalog: Catalog, ref: ControlRef) -> list[str]:
    """Activities carrying ``ref``: its statement part first (``AC-2(h)``), then the exact id (an enhancement), then its
    base control; [] when none does."""
    index = control_index(catalog)
    out: list[str] = []
    for cid in (ref.with_part, ref.id, ref.base):
        aid = index.get((ref.set, cid)) if cid else None
        if aid is not None and aid not in out:
            out.append(aid)
    return out


def control_hits(catalog: Catalog, ref: ControlRef) -> list[tuple[str, str, str]]:
    """Everything the catalog links to ``ref``, for a person looking it up: (activity, id carried, how) with how one of
    ``part`` (the statement part asked for), ``exact``, ``whole`` (the control a part belongs to), ``base`` (the base
    control of an enhancement), ``part of it`` and ``enhancement``
    (the parts and enhancements of the control asked for). Best match first."""
    index = control_index(catalog)
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(aid: str, cid: str, how: str) -> None:
        if (aid, cid) not in seen:
            seen.add((aid, cid))
            out.append((aid, cid, how))

    for cid, how in ((ref.with_part, "part"), (ref.id, "whole" if ref.part else "exact"), (ref.base, "base")):
        if cid and (ref.set, cid) in index:
            add(index[(ref.set, cid)], cid, how)
    if ref.part is None:
        prefix = f"{ref.id}("
        for (sid, cid), aid in sorted(index.items(), key=lambda kv: kv[0][1]):
            if sid == ref.set and cid.startswith(prefix) and cid.count("(") == ref.id.count("(") + 1:
                add(aid, cid, "part of it" if cid[len(prefix)].isalpha() else "enhancement")
    return out


# --------------------------------------------------------------------------- loading and validating


def load_control_sets(root: Path, col) -> dict[str, ControlSet]:
    """Read ``controls.yaml`` (optional) into control sets; problems go to ``col`` (the catalog loader's collector)."""
    path = root / "controls.yaml"
    if not path.exists():
        return {}
    f = str(path)
    try:
        data = load_yaml_file(path)
    except InputError as exc:
        col.problems.extend(exc.problems)
        return {}
    items = data.get("control_sets") if isinstance(data, dict) else None
    if not isinstance(items, list):
        col.add(f, line_of(data, default=1), "expected a 'control_sets:' list")
        return {}
    for key in data:
        if key != "control_sets":
            col.add(f, line_of(data, key), f"unknown key {key!r} (expected 'control_sets')")
    out: dict[str, ControlSet] = {}
    for i, item in enumerate(items):
        line = line_of(items, i)
        if not isinstance(item, dict):
            col.add(f, line, f"each control set is a mapping of {', '.join(_SET_KEYS)}")
            continue
        for key in item:
            if key not in _SET_KEYS:
                col.add(f, line_of(item, key), f"unknown key {key!r} in control set (allowed: {', '.join(_SET_KEYS)})")
        missing = [k for k in _SET_KEYS if not isinstance(item.get(k), str) or not item[k].strip()]
        if missing:
            col.add(f, line, f"control set is missing {', '.join(missing)}")
            continue
        sid = item["id"]
        if sid not in SET_IDS:
            col.add(f, line_of(item, "id"), f"unknown control set {sid!r} (raci reads the ids of {', '.join(SET_IDS)})")
        elif sid in out:
            col.add(f, line_of(item, "id"), f"duplicate control set {sid!r}")
        else:
            out[sid] = ControlSet(sid, item["name"].strip(), str(item["version"]).strip(), " ".join(item["source"].split()))
    return out


def read_activity_controls(value, file: str, line: int | None, col) -> dict[str, tuple[str, ...]]:
    """The shape of an activity's ``controls:`` (set -> list of text ids); ids and sets are checked in check_controls."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        col.add(file, line, "controls must be a mapping of control set: [control ids]")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for sid, ids in value.items():
        sline = line_of(value, sid, line)
        if not isinstance(sid, str):
            col.add(file, sline, f"controls: {sid!r} is not a control set id")
            continue
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list):
            col.add(file, sline, f"controls {sid}: expected a list of control ids")
            continue
        good = []
        for i, cid in enumerate(ids):
            if not isinstance(cid, str) or not cid.strip():
                col.add(file, line_of(ids, i, sline), f"controls {sid}: {cid!r} is not text; quote numeric ids "
                        '("6.10", "3.1.1"), or YAML reads 6.10 as the number 6.1')
                continue
            good.append(cid.strip())
        out[sid] = tuple(good)
    return out


def check_controls(activities: dict[str, Activity], lines: dict, sets: dict[str, ControlSet], col) -> None:
    """Every set named is in controls.yaml, every id is written canonically, and no id sits on two activities."""
    first: dict[tuple[str, str], tuple[str, str, int | None]] = {}
    for aid, act in activities.items():
        if not act.controls:
            continue
        f, _, item = lines[aid]
        obj = item.get("controls")
        for sid, ids in act.controls.items():
            sline = line_of(obj, sid)
            if sid not in sets:
                known = ", ".join(sets) if sets else "none: the catalog has no controls.yaml"
                col.add(f, sline, f"{aid} names unknown control set {sid!r} (known: {known})")
                continue
            raw = obj[sid] if isinstance(obj[sid], list) else [obj[sid]]
            positions = [line_of(raw, i, sline) for i, v in enumerate(raw) if isinstance(v, str) and v.strip()]
            for cid, cline in zip(ids, positions):
                problem = _id_problem(sid, cid)
                if problem:
                    col.add(f, cline, f"{aid}: {problem}")
                    continue
                seen = first.get((sid, cid))
                if seen is None:
                    first[(sid, cid)] = (aid, f, cline)
                elif seen[0] == aid:
                    col.add(f, cline, f"{aid} lists {sid} {cid} twice")
                else:
                    col.add(f, cline, f"{sid} {cid} is on both {seen[0]} ({seen[1]}:{seen[2]}) and {aid}: "
                            "a control belongs to one activity (its enhancements may go elsewhere)")


def _id_problem(sid: str, cid: str) -> str | None:
    ref = parse_control(cid, hint="CIS" if sid == CIS else None)
    if ref is None or ref.set != sid:
        return f"{cid!r} is not a {sid} control id (written like {_EXAMPLES[sid]})"
    if ref.part is not None and not (ref.with_part == cid and sid == NIST_53):
        hint = f" or one lettered part ({ref.id}(a))" if sid == NIST_53 else ""
        return f"{cid!r} names a part of a control: list the control itself ({ref.id}){hint}"
    if ref.id != cid and ref.with_part != cid:
        return f"write {cid!r} as {ref.id!r}, the way {sid} writes it"
    return None
