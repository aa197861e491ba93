"""Reading a workbook made by ``raci render`` (after workshop edits) back into the same engagement."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from raci.catalog import Catalog, Row
from raci.durations import DURATION_RE
from raci.engagement import Engagement, apply_presets, loads_engagement, resolve
from raci.errors import DocumentError, EngagementError, Problem
from raci.roles import parse_role


def _check_package(path: Path) -> None:
    """Raise DocumentError unless ``path`` passes the checks every imported document gets and has no macros."""
    from raci.safety import inspect

    if inspect(path) != "xlsx":
        raise DocumentError(Problem(str(path), "not an Excel workbook"))
    with zipfile.ZipFile(path) as zf:
        if "xl/vbaProject.bin" in zf.namelist():
            raise DocumentError(Problem(str(path), "macro-enabled workbooks are not read"))


def is_raci_workbook(path: str | Path) -> bool:
    """True when ``path`` is an xlsx file that ``raci render`` made (it has the hidden _raci sheet)."""
    import defusedxml.ElementTree as ET

    from raci.excel import META_SHEET

    p = Path(path)
    try:
        _check_package(p)
        with zipfile.ZipFile(p) as zf:
            root = ET.fromstring(zf.read("xl/workbook.xml"))
    except Exception:  # any malformed package is simply "not ours"; the general importer reports why
        return False
    return any(el.get("name") == META_SHEET for el in root.iter() if el.tag.rpartition("}")[2] == "sheet")


def _load(path: Path):
    import warnings

    from openpyxl import load_workbook

    _check_package(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # extensions openpyxl drops do not matter for reading values
            return load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many types for broken packages; one clear line instead
        raise DocumentError(Problem(str(path), f"cannot read the workbook: {exc}")) from None


def read_raci_workbook(path: str | Path, catalog: Catalog) -> Engagement:
    """The engagement a rendered workbook holds, with the Matrix edits (letters, notes, SLA) applied."""
    from raci.excel import FORMAT, HEADER_ID, HEADER_NOTES, HEADER_SLA, MATRIX_SHEET, META_SHEET, clean_text, layout_for, shown_after_hours, sla_text

    p = Path(path)
    f = str(path)
    wb = _load(p)
    if META_SHEET not in wb.sheetnames or wb[META_SHEET]["A1"].value != FORMAT:
        raise DocumentError(Problem(f, "is not a workbook made by raci render (no _raci sheet)"))
    meta = wb[META_SHEET]
    chunks = []
    cat_path = ""
    for key, value, *_ in meta.iter_rows(min_row=2, max_col=2, values_only=True):
        if key == "engagement":
            chunks.append(value or "")
        elif key == "catalog":
            cat_path = value or ""
    try:
        original = loads_engagement("".join(chunks), catalog, path=f"{f}:{META_SHEET}")
    except EngagementError as exc:
        hint = f" (the workbook was rendered with the catalog {cat_path}; pass it with --catalog)" if cat_path else ""
        raise DocumentError([Problem(f, f"{META_SHEET} sheet: {pr.message}{hint}", where=META_SHEET) for pr in exc.problems]) from None
    matrix = resolve(original, catalog)
    layout = layout_for(matrix)
    if MATRIX_SHEET not in wb.sheetnames:
        raise DocumentError(Problem(f, "the Matrix sheet is missing", where=MATRIX_SHEET))
    ws = wb[MATRIX_SHEET]
    problems: list[Problem] = []

    header = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        if isinstance(cell.value, str) and cell.value.strip():
            header.setdefault(_header_key(cell.value), cell.column)
    cols: dict[str, int] = {}
    for h in layout.headers:
        if _header_key(h) in header:
            cols[h] = header[_header_key(h)]
        else:
            problems.append(Problem(f, f"column {h!r} is missing from the header row", where=f"{MATRIX_SHEET}!1:1"))
    if problems:
        raise DocumentError(problems)
    party_cols = [(pid, cols[h]) for pid, h in zip(layout.parties, layout.headers[2:])]
    after_heads = layout.headers[2 + len(layout.parties):2 + len(layout.parties) + len(layout.after_parties)]
    after_cols = [(pid, cols[h]) for pid, h in zip(layout.after_parties, after_heads)]
    id_col, sla_col, notes_col = cols[HEADER_ID], cols[HEADER_SLA], cols[HEADER_NOTES]

    in_scope = matrix.in_scope()
    in_scope_set = set(in_scope)
    preset_rows = apply_presets(catalog, original.presets)[0]
    eng = copy.deepcopy(original)
    eng.path = f
    seen: dict[str, int] = {}

    def where(row: int, col: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{MATRIX_SHEET}!{get_column_letter(col)}{row}"

    def roles(values: list[tuple[str, int]], cells, r: int) -> dict[str, str]:
        out = {}
        for pid, col in values:
            v = cells[col - 1] if col - 1 < len(cells) else None
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            role = parse_role(v) if isinstance(v, str) else None
            if role is None:
                problems.append(Problem(f, f"{v!r} is not a role letter (use R, A, C, I or A/R)", where=where(r, col)))
                continue
            out[pid] = role
        return out

    for r, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        key = cells[id_col - 1] if id_col - 1 < len(cells) else None
        key = key.strip() if isinstance(key, str) else key
        business = roles(party_cols, cells, r)
        after = roles(after_cols, cells, r)
        if key not in in_scope_set:
            if key in catalog.activities:
                problems.append(Problem(f, f"{key} is excluded in this engagement; change exclusions in the engagement file",
                                        where=where(r, id_col)))
            elif (business or after) and key is None:
                problems.append(Problem(f, "role letters in a row without an activity id", where=where(r, id_col)))
            elif business or after:
                problems.append(Problem(f, f"{key!r} is not an activity of the catalog", where=where(r, id_col)))
            continue  # domain band rows and blank rows
        if key in seen:
            problems.append(Problem(f, f"{key} appears twice (first on row {seen[key]})", where=where(r, id_col)))
            continue
        seen[key] = r
        shown = matrix.rows[key]
        # blank after-hours cells show "same as business hours", or an after-hours row with nobody in it
        if business != shown.business or after != (shown_after_hours(shown) or {}):
            new = Row(business, after or None)
            if new == preset_rows.get(key, Row({})):
                eng.assignments.pop(key, None)
            else:
                eng.assignments[key] = new
        note = cells[notes_col - 1] if notes_col - 1 < len(cells) else None
        note = "" if note is None else str(note)
        # The sheet holds the note without control characters, and XML stores a bare carriage return as a
        # line feed: an untouched note must still compare equal and keep its text.
        if _lf(note) != _lf(clean_text(original.notes.get(key, ""))):
            if note.strip():
                eng.notes[key] = note
            else:
                eng.notes.pop(key, None)
        sla = cells[sla_col - 1] if sla_col - 1 < len(cells) else None
        sla = "" if sla is None else str(sla).strip()
        if sla != sla_text(original.sla.get(key)):
            targets = _parse_sla(sla)
            if targets is None:
                problems.append(Problem(f, f"SLA {sla!r} is not 'response / resolution' with durations such as 30m / 8h "
                                           "(use - for none)", where=where(r, sla_col)))
            elif targets:
                eng.sla[key] = targets
            else:
                eng.sla.pop(key, None)
    missing = [a for a in in_scope if a not in seen]
    for aid in missing[:20]:
        problems.append(Problem(f, f"activity {aid} is missing from the Matrix sheet (was its row deleted?)", where=MATRIX_SHEET))
    if len(missing) > 20:
        problems.append(Problem(f, f"... and {len(missing) - 20} more activities are missing", where=MATRIX_SHEET))
    if problems:
        raise DocumentError(problems)
    return eng


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header_key(text: str) -> str:
    """A header as the importer compares it: line ends as XML stores them, no surrounding spaces."""
    return _lf(text).strip()


def _parse_sla(text: str) -> dict[str, str] | None:
    """'30m / 8h' -> {response, resolution}; '' -> {}; None when it cannot be read."""
    if not text:
        return {}
    parts = [p.strip() for p in text.split("/")]
    if len(parts) != 2:
        return None
    out = {}
    for key, value in zip(("response", "resolution"), parts):
        if value in ("", "-", "\u2013", "\u2014"):
            continue
        if not DURATION_RE.match(value):
            return None
        out[key] = value
    return out


def import_document(path: str | Path, catalog: Catalog, *, options=None, map_path: str | None = None,
                    kinds: dict[str, str] | None = None) -> Engagement:
    """Turn a matrix document into an engagement: the one place that decides which reader reads it.

    Workbooks made by ``raci render`` come back exactly; other documents go to the contract reader.
    """
    if is_raci_workbook(path):
        return read_raci_workbook(path, catalog)
    from raci.contracts.engagement import import_contract

    return import_contract(path, catalog, options=options, map_path=map_path, kinds=kinds)
