"""A workbook raci rendered whose hidden _raci sheet was deleted, read back from its visible sheets."""

from __future__ import annotations

import datetime as _dt
import re

from raci.catalog import Catalog, Row
from raci.engagement import HOURS, KINDS, Engagement, Party, Profile, apply_presets, resolve
from raci.errors import DocumentError, EngagementError, Problem
from raci.excel_layout import (
    AFTER_PREFIX,
    HEADER_ACTIVITY,
    HEADER_ID,
    HEADER_NOTES,
    HEADER_SLA,
    MATRIX_SHEET,
    OLD_AFTER_PREFIX,
    PARTY_LINE,
)
from raci.workshop_edits import WorkshopEdits, address, text
from raci.workshop_matrix import RESERVED, after_roles, header_key, parse_sla, row_roles, sla_problem
from raci.workshop_sheets import exclusion_table, sla_table

NO_META = ("has no hidden _raci sheet (was it deleted?): it is read as a workbook raci rendered, with the parties "
           "and exclusions taken from the visible sheets (Matrix header, Cover, Exclusions); check them")
_SUFFIX = re.compile(r"^(?P<name>.*\S) \((?P<pid>[a-z0-9][a-z0-9-]*)\)$")


def looks_rendered(header: list) -> bool:
    """True for the header row raci writes on the Matrix sheet: Activity, the parties, ..., SLA, Notes, ID (format 3),
    or ID, Activity, the parties, ..., SLA, Notes (formats 1 and 2)."""
    keys = [header_key(v) for v in header]
    if len(keys) < 5 or HEADER_SLA not in keys or HEADER_NOTES not in keys or HEADER_ID not in keys:
        return False
    if keys[0] == HEADER_ACTIVITY:
        return 1 < keys.index(HEADER_SLA) < keys.index(HEADER_ID)
    return keys[0] == HEADER_ID and keys[1] == HEADER_ACTIVITY and keys.index(HEADER_SLA) > 2


def read_bare(wb, f: str, catalog: Catalog, kinds: dict[str, str]) -> tuple[Engagement, WorkshopEdits]:
    """The engagement a workbook without its _raci sheet shows: parties from the Matrix header, Cover and Summary."""
    edits = WorkshopEdits(warnings=[Problem(f, NO_META)])
    ws = wb[MATRIX_SHEET]
    cols, prefix, labels, after_of = _header(ws)
    cover = _cover(wb)
    parties = _parties(labels, cover, _summary(wb), {k.casefold(): v for k, v in kinds.items()}, edits, f, prefix)
    pid_of = {label: p.id for (label, _), p in zip(labels, parties)}
    party_cols = [(pid_of[label], c) for label, c in labels]
    after_cols = [(pid_of[label], c) for label, c in after_of.items()]
    rows, notes, sla, bad = _matrix_rows(ws, catalog, cols, party_cols, after_cols, [p.id for p in parties])
    problems = [Problem(f, message, where=where) for where, message in bad]
    exclusions = _other_sheets(wb, f, catalog, edits, problems, rows, sla)
    if problems:
        raise DocumentError(problems)
    eng = _engagement(f, catalog, cover, parties, rows, exclusions, notes, sla)
    if not eng.client:
        edits.warnings.append(Problem(f, "the Cover names no client: fill in 'client' in the engagement file"))
    try:
        resolve(eng, catalog)
    except EngagementError as exc:
        raise DocumentError([Problem(f, p.message) for p in exc.problems]) from None
    return eng, edits


def _header(ws) -> tuple[tuple[int, int, int], str, list[tuple[str, int]], dict[str, int]]:
    """The Matrix header: the SLA, Notes and ID columns, the after-hours prefix, each party's label and column, and
    the after-hours column of each label that has one."""
    header = [header_key(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1))]
    sla_c, notes_c, id_c = header.index(HEADER_SLA) + 1, header.index(HEADER_NOTES) + 1, header.index(HEADER_ID) + 1
    # format 3 starts with the activity and heads after-hours columns "AH: "; formats 1 and 2 start with the id
    first, prefix = (2, AFTER_PREFIX) if header[0] == HEADER_ACTIVITY else (3, OLD_AFTER_PREFIX)
    labels: list[tuple[str, int]] = []
    after_of: dict[str, int] = {}
    for c in range(first, sla_c):
        key = header[c - 1]
        if key.startswith(prefix) and key[len(prefix):] in {label for label, _ in labels}:
            after_of[key[len(prefix):]] = c
        elif key:
            labels.append((key, c))
    return (sla_c, notes_c, id_c), prefix, labels, after_of


def _matrix_rows(ws, catalog: Catalog, cols: tuple[int, int, int], party_cols: list[tuple[str, int]],
                 after_cols: list[tuple[str, int]], pids: list[str]
                 ) -> tuple[dict[str, Row], dict[str, str], dict[str, dict[str, str]], list[tuple[str, str]]]:
    """Each activity row's roles, note and SLA targets, and the cells that cannot be read (address, message)."""
    sla_c, notes_c, id_c = cols
    acts = catalog.activities
    rows: dict[str, Row] = {}
    notes: dict[str, str] = {}
    sla: dict[str, dict[str, str]] = {}
    bad: list[tuple[str, str]] = []
    for r, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        key = cells[id_c - 1] if id_c - 1 < len(cells) else None
        key = key.strip() if isinstance(key, str) else key
        business, after_cells = row_roles(bad, cells, r, party_cols, after_cols)
        if key not in acts:
            if business or any(after_cells.values()):
                bad.append((address(MATRIX_SHEET, r, id_c), "role letters in a row without an activity id" if key is None
                            else f"{key!r} is not an activity of the catalog"))
            continue
        if key in rows:
            bad.append((address(MATRIX_SHEET, r, id_c), f"{key} appears twice"))
            continue
        after = after_roles(pids, business, after_cells)
        rows[key] = Row(business, None if after == business else after)
        note = cells[notes_c - 1] if notes_c - 1 < len(cells) else None
        if note is not None and str(note).strip():
            notes[key] = str(note)
        targets = parse_sla(text(cells[sla_c - 1] if sla_c - 1 < len(cells) else None))
        if targets is None:
            bad.append((address(MATRIX_SHEET, r, sla_c), sla_problem(text(cells[sla_c - 1]))))
        elif targets:
            sla[key] = targets
    return rows, notes, sla, bad


def _other_sheets(wb, f: str, catalog: Catalog, edits: WorkshopEdits, problems: list[Problem], rows: dict[str, Row],
                  sla: dict[str, dict[str, str]]) -> list[str]:
    """The exclusions (the Exclusions sheet's, then every activity in no sheet, with a warning); the SLAs sheet's
    targets of activities not in the Matrix go into ``sla``, its bad cells into ``problems``."""

    def ignore(where: str, message: str) -> None:
        edits.ignored.append(Problem(f, message, where=where))

    def error(where: str, message: str) -> None:
        problems.append(Problem(f, message, where=where))

    exclusions: list[str] = []
    excluded: set[str] = set()
    if "Exclusions" in wb.sheetnames:
        for _, ids, pattern in exclusion_table(wb["Exclusions"], catalog, ignore):
            for item in [pattern] if pattern else ids:
                if item not in exclusions:
                    exclusions.append(item)
            excluded.update(ids)
    if "SLAs" in wb.sheetnames:
        for aid, (targets, _) in sla_table(wb["SLAs"], catalog, ignore, error).items():
            if aid not in rows and targets:
                sla[aid] = targets
    unlisted = [aid for aid in catalog.activities if aid not in rows and aid not in excluded]
    if unlisted:
        exclusions += unlisted
        shown = ", ".join(unlisted[:5]) + (", ..." if len(unlisted) > 5 else "")
        edits.warnings.append(Problem(f, f"{len(unlisted)} catalog activities are in neither the Matrix nor the Exclusions sheet: "
                                         f"they are excluded ({shown})"))
    return exclusions


def _engagement(f: str, catalog: Catalog, cover: dict[str, object], parties: list[Party], rows: dict[str, Row],
                exclusions: list[str], notes: dict[str, str], sla: dict[str, dict[str, str]]) -> Engagement:
    """The engagement: the Cover's fields, and only the rows the Cover's presets do not already give."""
    pids = [p.id for p in parties]
    presets = [p.strip() for p in text(cover.get("Presets")).split(",") if p.strip() in catalog.presets]
    preset_rows = apply_presets(catalog, presets)[0]
    if any(party not in pids for row in preset_rows.values() for party in row.parties()):
        presets, preset_rows = [], {}  # the presets need parties this workbook does not name: every row is written out
    return Engagement(
        client=text(cover.get("Client")),
        provider="" if text(cover.get("Provider")).casefold() in ("", "not set") else text(cover.get("Provider")),
        version=text(cover.get("Version")) or "1.0",
        effective=_date(cover.get("Effective date")),
        presets=presets,
        profile=_profile(text(cover.get("Client profile")), catalog),
        parties={p.id: p for p in parties},
        assignments={aid: row for aid, row in rows.items() if row != preset_rows.get(aid, Row({}))},
        exclusions=exclusions,
        notes=notes,
        sla={aid: sla[aid] for aid in catalog.activities if aid in sla},
        path=f,
    )


def _cover(wb) -> dict[str, object]:
    if "Cover" not in wb.sheetnames:
        return {}
    out: dict[str, object] = {}
    for a, b, *_ in wb["Cover"].iter_rows(min_col=1, max_col=2, values_only=True):
        if isinstance(a, str) and a.strip():
            out.setdefault(a.strip(), b)
    return out


def _summary(wb) -> dict[str, tuple[str, object]]:
    """Party name -> (kind, staff) from the Summary sheet's table."""
    if "Summary" not in wb.sheetnames:
        return {}
    out = {}
    for a, b, c, *_ in wb["Summary"].iter_rows(min_row=2, max_col=3, values_only=True):
        if not text(a):
            break
        out[text(a)] = (text(b), c)
    return out


def _parties(labels, cover: dict, summary: dict, kinds: dict[str, str], edits: WorkshopEdits, f: str, prefix: str) -> list[Party]:
    """A party for each header: its id from the header's '(id)' where raci added one, else the standard id its name
    suggests, else one made from the name; kind, staff and hours from the Cover, the Summary, or a guess."""
    from raci.contracts.parties import slug
    from raci.contracts.vocabulary import guess_kind

    lines: dict[str, tuple[str, int, str]] = {}  # name -> kind, staff, hours, as the Cover lists them
    for line in text(cover.get("Parties")).split("\n"):
        m = PARTY_LINE.match(line.strip())
        if m:
            lines.setdefault(m["name"].strip(), (m["kind"], int(m["staff"]), m["hours"]))
    split = [_SUFFIX.match(label) for label, _ in labels]
    names = [m["name"] if m else label for m, (label, _) in zip(split, labels)]
    client, provider = text(cover.get("Client")), text(cover.get("Provider"))
    standard = {f"{client} leadership": "client-exec", f"{client} IT": "client-it", provider: "msp"}
    out: list[Party] = []
    used: set[str] = set()
    for (label, c), m, name in zip(labels, split, names):
        # raci adds the id where the name alone would be ambiguous: the same name twice, a reserved header, the prefix
        suffixed = (m is not None and (names.count(name) > 1 or name in RESERVED or name.startswith((prefix, OLD_AFTER_PREFIX)))
                    and label not in lines)
        if not suffixed:
            name = label
        kind, staff, hours = lines.get(name, (None, None, None))
        if kind is None and name in summary:
            kind, staff = summary[name][0], summary[name][1]
        if name.casefold() in kinds:
            kind = kinds[name.casefold()]
        if kind not in KINDS:
            kind = guess_kind(name)[0]
            edits.warnings.append(Problem(f, f"party {name!r}: kind guessed as {kind} (neither the Cover nor the Summary says it); "
                                             f"pass --party '{name}=KIND' to set it", where=address(MATRIX_SHEET, 1, c)))
        pid = m["pid"] if suffixed and m is not None else standard.get(name) or _standard_id(name, kind, used) or slug(name)
        base, n = pid, 2
        while pid in used:
            pid, n = f"{base}-{n}", n + 1
        used.add(pid)
        staff = staff if isinstance(staff, int) and staff >= 0 else 1
        hours = hours if hours in HOURS else "24x7" if kind == "msp" else "business-hours"
        out.append(Party(pid, name, kind, staff, hours))
    return out


def _standard_id(name: str, kind: str, used: set[str]) -> str | None:
    """The id ``raci new`` gives a party of this kind and name (client-exec, client-it, msp), while it is free."""
    if kind == "msp":
        pid = "msp"
    elif kind == "client" and re.search(r"\b(leadership|executives?|management|board|owners?)\b", name, re.IGNORECASE):
        pid = "client-exec"
    elif kind == "client" and re.search(r"\bIT\b", name):
        pid = "client-it"
    else:
        return None
    return pid if pid not in used else None


def _date(value) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(text(value))
    except ValueError:
        return None


def _profile(value: str, catalog: Catalog) -> Profile:
    """'120 employees; 2 internal IT staff; compliance: HIPAA' as the Cover writes it, back into a profile."""
    profile = Profile()
    by_name = {name.casefold(): fid for fid, name in catalog.frameworks.items()}
    for part in value.split("; "):
        if m := re.fullmatch(r"(\d+) employees", part.strip()):
            profile.employees = int(m[1])
        elif m := re.fullmatch(r"(\d+) internal IT staff", part.strip()):
            profile.it_staff = int(m[1])
        elif part.strip().startswith("compliance: "):
            rest = part.strip()[len("compliance: "):].casefold()
            found = sorted((rest.find(name), fid) for name, fid in by_name.items() if name in rest)
            profile.compliance = [fid for _, fid in found]
    return profile
