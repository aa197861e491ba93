"""Reading one document: its tables, the best layout among them, and its rows, as one call."""

from __future__ import annotations

from pathlib import Path

from raci.contracts.columns import Readings
from raci.contracts.layout import Layout, Options, find_layouts
from raci.contracts.mapping import Matcher
from raci.contracts.model import Document
from raci.contracts.rows import read_rows
from raci.contracts.tables import fail, read_source

__all__ = ["Options", "read_document"]

SAMPLE = 40  # labels per candidate table compared with the catalog while scoring layouts


def _label_score(matcher: Matcher):
    def score(labels: list[str]) -> float:
        if not labels:
            return 0.0
        hits = sum(1 for label in labels[:SAMPLE] if matcher.match(label).confidence >= 0.75)
        return hits / min(len(labels), SAMPLE)

    return score


def _is_activity(matcher: Matcher):
    def is_activity(label: str) -> bool:
        if matcher.is_domain_name(label):
            return False
        if len(label.split()) >= 7:
            return True
        # a heading can resemble an activity ("Network and security"); only a sure match makes a bare label a row
        match = matcher.match(label)
        return match.activity is not None and (match.how in ("exact", "control") or match.confidence >= 0.9)

    return is_activity


def read_document(path: str | Path, matcher: Matcher, options: Options | None = None,
                  kinds: dict[str, str] | None = None) -> Document:
    """The best reading of one document; raise DocumentError (one line, naming the file) if it holds no matrix."""
    options = options or Options()
    src = read_source(path, options.sheet)
    layouts = find_layouts(src.sheets, _label_score(matcher), options)
    if not layouts:
        if all(not s.rows for s in src.sheets):
            if src.kind in ("xlsx", "csv"):
                what = f"sheet {options.sheet!r} is empty" if options.sheet is not None else "the document holds no data"
            else:
                what = "no table found: raci reads a responsibility matrix from the document's tables"
            raise fail(src.path, what)
        where = f"sheet {options.sheet!r}" if options.sheet is not None else ("any sheet" if src.kind == "xlsx" else "the file")
        if options.header_row is not None:
            where += f" at header row {options.header_row}"
        raise fail(src.path, f"no responsibility matrix found in {where}: expected a header row and columns of R/A/C/I "
                             "letters, X or check marks, or owner words (Provider/Customer/Shared)")
    best = layouts[0]
    readings = Readings()
    is_activity = _is_activity(matcher)
    together = [best] + [lay for lay in layouts[1:] if _same_table(best, lay)]
    together.sort(key=lambda lay: lay.header)
    doc = read_rows(together[0], kinds or {}, is_activity, readings)
    for lay in together[1:]:
        _append(doc, read_rows(lay, kinds or {}, is_activity, readings))
    if doc.client is None:  # a cover sheet's "Client | Acme" counts; nothing is guessed from titles or file names
        from raci.contracts.walk import client_name

        doc.client = next((name for sheet in src.sheets if sheet is not best.sheet
                           for name in [client_name(sheet, min(len(sheet.rows), 30))] if name), None)
    doc.kind = src.kind
    doc.notes = list(src.notes)
    if best.sheet.hidden:
        doc.notes.append(f"the matrix is on a hidden sheet ({best.sheet.name!r})")
    if len(together) > 1:
        doc.notes.append(f"{len(together)} tables of the same parties read as one (header rows "
                         f"{', '.join(str(lay.sheet.lines[lay.header]) for lay in together)})")
    doc.chosen = best.describe()
    runner = next((lay for lay in layouts[1:] if lay not in together and not _inside(best, lay)), None)
    if runner is not None:
        doc.runner_up = runner.describe()
    if not doc.rows:
        cell = f"{best.sheet.name}!{best.sheet.lines[best.header]}" if best.sheet.name else None
        raise fail(src.path, "a header row was found but no matrix rows under it", cell)
    return doc


def _inside(best: Layout, other: Layout) -> bool:
    """Another reading of the same rows (its header is one of the winner's rows): not a real alternative."""
    return other.sheet is best.sheet and (best.header <= other.header < best.end or other.header <= best.header < other.end)


def _same_table(best: Layout, other: Layout) -> bool:
    """Another table of the same sheet, shape and party headers: a section of the same matrix."""
    if other.sheet is not best.sheet or other.orientation != best.orientation or other.mode != best.mode:
        return False
    if other.score < 0.2 * best.score or best.start <= other.header < best.end or other.start <= best.header < other.end:
        return False
    heads = [[best.sheet.cell(lay.names_row, c).casefold() for c in lay.party_cols] for lay in (best, other)]
    return heads[0] == heads[1]


def _append(doc: Document, more: Document) -> None:
    ids = {p.header: p.id for p in doc.parties}
    rename = {}
    for p in more.parties:
        if p.header not in ids:
            doc.parties.append(p)
            ids[p.header] = p.id
        rename[p.id] = ids[p.header]
    for row in more.rows:
        row.roles = {rename.get(pid, pid): role for pid, role in row.roles.items()}
        doc.rows.append(row)
