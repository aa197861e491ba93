"""Reading a workbook made by ``raci render`` (after workshop edits) back into the same engagement.

Every edited cell is applied or named: ``read_workshop`` returns the engagement and a ``WorkshopEdits`` that lists
what it applied and what it did not read, each by sheet and cell. The sheets are read by ``workshop_matrix``
(the Matrix), ``workshop_sheets`` (Cover, Sign-off, SLAs, Exclusions and the rest) and ``workshop_bare`` (a
workbook whose hidden _raci sheet was deleted).
"""

from __future__ import annotations

import contextlib
import copy
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from raci.catalog import Catalog
from raci.engagement import Engagement, loads_engagement, resolve
from raci.errors import DocumentError, EngagementError, OutputError, Problem
from raci.excel_layout import FORMAT, MATRIX_SHEET, META_SHEET, SHEET_SINCE, SHEETS
from raci.workshop_edits import Edit, Reading, WorkshopEdits, edits_not_in, place

__all__ = ["Edit", "WorkshopEdits", "edits_not_in", "import_document", "is_raci_workbook", "read_raci_workbook",
           "read_workshop", "refuse_replacing_edits", "workbook_kind"]


def _check_package(path: Path) -> None:
    """Raise DocumentError unless ``path`` passes the checks every imported document gets and has no macros."""
    from raci.safety import inspect

    if inspect(path) != "xlsx":
        raise DocumentError(Problem(str(path), "not an Excel workbook"))
    with zipfile.ZipFile(path) as zf:
        if "xl/vbaProject.bin" in zf.namelist():
            raise DocumentError(Problem(str(path), "macro-enabled workbooks are not read"))


def _sheet_names(path: Path) -> list[str]:
    import defusedxml.ElementTree as ET

    _check_package(path)
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("xl/workbook.xml"))
    return [el.get("name") for el in root.iter() if el.tag.rpartition("}")[2] == "sheet"]


def is_raci_workbook(path: str | Path) -> bool:
    """True when ``path`` is an xlsx file that ``raci render`` made (it has the hidden _raci sheet)."""
    return workbook_kind(path) == "raci"


def workbook_kind(path: str | Path) -> str | None:
    """'raci' for a workbook raci rendered, 'bare' for one whose _raci sheet was deleted (recognised by the
    Matrix header raci writes), None for any other file."""
    p = Path(path)
    try:
        names = _sheet_names(p)
    except Exception:  # any malformed package is simply "not ours"; the general importer reports why
        return None
    if META_SHEET in names:
        return "raci"
    if MATRIX_SHEET not in names:
        return None
    try:
        from raci.contracts.formats.xlsx_package import open_package, sheet_cells
        from raci.workshop_bare import looks_rendered

        pkg = open_package(p, data_only=False)
        try:
            cells: dict[int, object] = {}
            with contextlib.closing(sheet_cells(pkg, pkg.sheet(MATRIX_SHEET).part or "")) as stream:
                for r, c, value in stream:  # the header row only
                    if r > 1:
                        break
                    if c <= 1_000:
                        cells[c] = value
        finally:
            pkg.close()
        header = [cells.get(c) for c in range(1, max(cells, default=0) + 1)]
    except Exception:
        return None
    return "bare" if looks_rendered(list(header)) else None


def _load(path: Path):
    """The workbook, read-only: its sheets are read when asked for, within bounds (``raci.workshop_grid``)."""
    from raci.workshop_grid import Book

    _check_package(path)
    try:
        return Book(path)
    except Exception as exc:  # openpyxl raises many types for broken packages; one clear line instead
        raise DocumentError(Problem(str(path), f"cannot read the workbook: {_first_line(exc)}")) from None


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:160]


def read_raci_workbook(path: str | Path, catalog: Catalog) -> Engagement:
    """The engagement a rendered workbook holds, with the workshop's edits applied (see ``read_workshop``)."""
    return read_workshop(path, catalog)[0]


def read_workshop(path: str | Path, catalog: Catalog, *, kinds: dict[str, str] | None = None) -> tuple[Engagement, WorkshopEdits]:
    """The engagement a rendered workbook holds with every readable edit applied, and the edits: applied, ignored
    (named by sheet and cell, with the reason) and warnings. Raises DocumentError for edits that cannot be read
    (a letter that is no role, an SLA that is no duration) and for workbooks raci did not render.

    ``kinds`` (party name -> kind) is used only for a workbook whose _raci sheet was deleted.
    """
    p = Path(path)
    f = str(path)
    wb = _load(p)
    try:
        eng, edits = _read(wb, f, catalog, kinds)
    except DocumentError:
        raise
    except Exception as exc:  # a part damaged past the package checks: one clear line
        raise DocumentError(Problem(f, f"cannot read the workbook: {_first_line(exc)}")) from None
    finally:
        wb.close()
    if wb.outside:  # values past what raci reads of a sheet: named, never read
        edits.ignored += [Problem(f, out.message(), where=f"{name}!{out.first}") for name, out in wb.outside.items()]
        edits.ignored.sort(key=lambda pr: place(pr.where or ""))
    return eng, edits


def _read(wb, f: str, catalog: Catalog, kinds: dict[str, str] | None) -> tuple[Engagement, WorkshopEdits]:
    # a sheet is never read past the rows a catalog this size can fill, and MAX_ROWS more
    wb.extents = {name: (len(catalog.activities) + len(catalog.domains) + 10, 0) for name in wb.sheetnames}
    if META_SHEET in wb.sheetnames and wb[META_SHEET]["A1"].value == FORMAT:
        return _read_rendered(wb, f, catalog)
    if MATRIX_SHEET in wb.sheetnames:
        from raci.workshop_bare import looks_rendered, read_bare

        header = next(wb[MATRIX_SHEET].iter_rows(min_row=1, max_row=1, values_only=True), ())
        if looks_rendered(list(header)):
            return read_bare(wb, f, catalog, kinds or {})
    raise DocumentError(Problem(f, "is not a workbook made by raci render (no _raci sheet)"))


def _read_rendered(wb, f: str, catalog: Catalog) -> tuple[Engagement, WorkshopEdits]:
    from raci.workshop_matrix import read_matrix
    from raci.workshop_sheets import NOT_READ, compare_written, merge_slas, read_cover, read_exclusions, read_signoff, read_slas

    meta = wb[META_SHEET]
    version = meta["B1"].value
    chunks, written, cat_path, audience = [], [], "", "internal"
    for key, value, *_ in meta.iter_rows(min_row=2, max_col=2, values_only=True):
        if key == "engagement":
            chunks.append(value or "")
        elif key == "sheets":
            written.append(value or "")
        elif key == "catalog":
            cat_path = str(value or "")
        elif key == "audience":
            audience = str(value or "")
    try:
        original = loads_engagement("".join(chunks), catalog, path=f"{f}:{META_SHEET}")
    except EngagementError as exc:
        # the _raci sheet names the catalog ("bundled" or its folder's name; a full path before format 3)
        hint = (" (the workbook was rendered with the bundled catalog; leave out --catalog)" if cat_path == "bundled" else
                f" (the workbook was rendered with the catalog folder {cat_path!r}; pass that folder with --catalog)"
                if cat_path else "")
        raise DocumentError([Problem(f, f"{META_SHEET} sheet: {pr.message}{hint}", where=META_SHEET) for pr in exc.problems]) from None
    try:
        cells = json.loads("".join(written)) if written else {}
    except ValueError:
        cells = {}
    matrix = resolve(original, catalog)
    _written_extents(wb, matrix, cells)
    eng = copy.deepcopy(original)
    eng.path = f
    fmt = version if isinstance(version, int) else 1
    rd = Reading(f, catalog, original, matrix, eng, cells, legacy_after=fmt < 2, fmt=fmt, check=audience != "client")
    if MATRIX_SHEET not in wb.sheetnames:
        raise DocumentError(Problem(f, "the Matrix sheet is missing", where=MATRIX_SHEET))
    excluded = read_exclusions(rd, wb["Exclusions"]) if "Exclusions" in wb.sheetnames else set(matrix.excluded)
    sheet_sla = read_slas(rd, wb["SLAs"]) if "SLAs" in wb.sheetnames else {}
    merge_slas(rd, read_matrix(rd, wb[MATRIX_SHEET], excluded), sheet_sla)
    handled = {}
    if "Cover" in wb.sheetnames:
        handled["Cover"] = read_cover(rd, wb["Cover"])
    if "Sign-off" in wb.sheetnames:
        handled["Sign-off"] = read_signoff(rd, wb["Sign-off"])
    rd.settle_renames()
    for name in NOT_READ:
        if name in wb.sheetnames:
            compare_written(rd, wb[name], name, handled.get(name, set()))
    for name in SHEETS:
        if name not in wb.sheetnames and rd.fmt >= SHEET_SINCE.get(name, 1):
            rd.warn("the sheet was deleted: nothing on it is read, and the engagement keeps what it said", where=name)
    for name in wb.sheetnames:
        if name not in SHEETS and name != META_SHEET:
            rd.ignore(name, "a sheet raci does not write: it is not read")
    if rd.problems:
        raise DocumentError(rd.problems)
    return rd.eng, rd.finish()


def _written_extents(wb, matrix, written: dict) -> None:
    """The rows and columns raci wrote on each sheet, from the engagement (Matrix) and the cells it recorded."""
    from openpyxl.utils.cell import coordinate_to_tuple

    from raci.excel_layout import domain_groups, layout_for

    in_scope = matrix.in_scope()
    rows = 1 + len(domain_groups(matrix, in_scope)) + len(in_scope)
    if MATRIX_SHEET in wb.extents:
        cols = len(layout_for(matrix).headers) + len(matrix.engagement.parties)  # and the columns of format 1
        wb.extents[MATRIX_SHEET] = (max(rows, wb.extents[MATRIX_SHEET][0]), cols)
    for name, cells in written.items() if isinstance(written, dict) else ():
        if name in wb.extents and isinstance(cells, dict):
            for coord in cells:
                try:
                    r, c = coordinate_to_tuple(str(coord))
                except (ValueError, TypeError):
                    continue
                wb.extents[name] = (max(wb.extents[name][0], r), max(wb.extents[name][1], c))


def refuse_replacing_edits(xlsx: str | Path, engagement: Engagement, catalog: Catalog, source: str) -> None:
    """Raise OutputError when the existing workbook ``xlsx`` holds workshop edits that ``engagement`` (read from
    ``source``) does not, or is not a workbook raci rendered: rendering over it would lose them."""
    name = str(xlsx)
    foreign = OutputError(Problem("", f"{name} exists and is not a workbook raci rendered from this engagement; "
                                      "pass --force to replace it"))
    if workbook_kind(xlsx) != "raci":
        raise foreign
    try:
        _, edits = read_workshop(xlsx, catalog)
    except DocumentError as exc:  # edits that cannot be read are edits all the same
        cells = list(dict.fromkeys(p.where for p in exc.problems if p.where and "!" in p.where))
        if not cells:
            raise foreign from None
        by_hand: list[str] = []
    else:
        cells = list(dict.fromkeys(e.where for e in edits_not_in(edits, engagement, catalog)))
        # signatures, dates and other hand edits raci never reads back would be lost all the same
        by_hand = list(dict.fromkeys(p.where for p in edits.ignored if p.where and "!" in p.where and p.where not in cells))
    parts = []
    if cells:
        parts.append(f"{_count(cells, 'edit')} not in {source} ({_first(cells)})")
    if by_hand:
        parts.append(f"{_count(by_hand, 'cell')} edited by hand that raci does not read back ({_first(by_hand)})")
    if parts:
        them = "it" if len(cells) == 1 else "them"
        advice = f"import {them} first, or pass --force to replace it" if cells else "keep a copy, or pass --force to replace it"
        raise OutputError(Problem("", f"{name} holds {' and '.join(parts)}; {advice}"))


def _count(items: list, word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _first(cells: list[str]) -> str:
    return ", ".join(cells[:5]) + (", ..." if len(cells) > 5 else "")


def _warn_stderr(line: str) -> None:
    sys.stderr.write(f"Warning: {line}\n")


def _is_engagement_file(path: str | Path) -> bool:
    """A YAML file with the top-level keys of an engagement (not an OSCAL document, which import reads)."""
    if Path(path).suffix.lower() not in (".yaml", ".yml"):
        return False
    from raci.yamlio import load_yaml_file

    try:
        data = load_yaml_file(path)
    except Exception:  # the contract reader names what is wrong with it
        return False
    return isinstance(data, dict) and "parties" in data and ("presets" in data or "assignments" in data)


def import_document(path: str | Path, catalog: Catalog, *, options=None, map_path: str | None = None,
                    kinds: dict[str, str] | None = None, warn: Callable[[str], None] | None = None) -> Engagement:
    """Turn a matrix document into an engagement: the one place that decides which reader reads it.

    Workbooks made by ``raci render`` come back exactly, with the workshop's edits; each edit that is not read
    back (and each warning about the workbook) is passed to ``warn`` as one line (default: 'Warning: ...' on
    standard error). Other documents go to the contract reader.
    """
    if workbook_kind(path):
        eng, edits = read_workshop(path, catalog, kinds=kinds)
        for line in edits.lines():
            (warn or _warn_stderr)(line)
        return eng
    if _is_engagement_file(path):
        raise DocumentError(Problem(str(path), "is an engagement file already: 'raci check' and 'raci render' read it as it "
                                               "is; import reads contract matrices and workbooks"))
    from raci.contracts.engagement import import_contract

    return import_contract(path, catalog, options=options, map_path=map_path, kinds=kinds)
