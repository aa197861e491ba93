"""The engagement a contract describes: one assignment per mapped activity, and every row kept as written."""

from __future__ import annotations

from pathlib import Path

from raci.catalog import Catalog, Row
from raci.contracts.kept import KeptRow
from raci.contracts.model import Document
from raci.engagement import Engagement, Party


def build_engagement(doc: Document, results, catalog: Catalog, exclude_unmentioned: bool = True) -> Engagement:
    """Assignments from the first in-scope row of each mapped activity (a later row that disagrees is a
    ``conflicting-rows`` finding, never merged into a false overlap); rows marked N/A become exclusions;
    activities the document never mentions are excluded unless ``exclude_unmentioned`` is False. Every row,
    mapped or not, is kept in ``contract_rows``. The client's name comes only from a clearly labelled cell."""
    parties = {p.id: Party(p.id, p.header, p.kind, 1, "business-hours" if p.kind == "client" else "24x7") for p in doc.parties}
    rank = {pid: i for i, pid in enumerate(parties)}
    assignments: dict[str, Row] = {}
    out_of_scope: list[str] = []
    notes: dict[str, str] = {}
    kept: list[KeptRow] = []
    for res in results:
        row, aid = res.row, res.match.activity
        kept.append(KeptRow(row.label, Path(row.file).name, row.sheet, row.row, row.column, aid, dict(row.roles),
                            dict(row.cells), row.note, row.shared, row.excluded, list(row.unclear), list(row.costs)))
        if aid is None:
            continue
        if row.excluded:
            if aid not in out_of_scope:
                out_of_scope.append(aid)
            continue
        if aid in assignments or not row.roles:
            continue
        assignments[aid] = Row(dict(sorted(row.roles.items(), key=lambda kv: rank[kv[0]])))
        if row.note:
            notes[aid] = row.note
    exclusions = [a for a in out_of_scope if a not in assignments]
    if exclude_unmentioned:
        mentioned = {r.match.activity for r in results if r.match.activity is not None}
        for d in catalog.domains:
            ids = [a.id for a in catalog.activities_in(d.id)]
            missing = [a for a in ids if a not in mentioned]
            if missing and len(missing) == len(ids):
                exclusions.append(f"{d.id}.*")
            else:
                exclusions.extend(a for a in missing if a not in exclusions)
    provider = next((p.header for p in doc.parties if p.kind == "msp"), "")
    eng = Engagement(client=doc.client or "", provider=provider, presets=[], parties=parties, assignments=assignments,
                     exclusions=exclusions, notes=notes, path=doc.path)
    eng.contract_rows = kept
    return eng


def import_contract(path: str | Path, catalog: Catalog, *, options=None, map_path: str | Path | None = None,
                    kinds: dict[str, str] | None = None, threshold: float | None = None) -> Engagement:
    """Turn a contract document into an engagement (for ``raci import``): mapped rows become assignments, and
    every row is kept in ``contract_rows``."""
    from raci.contracts.audit import map_rows
    from raci.contracts.mapping import DEFAULT_THRESHOLD, Matcher
    from raci.contracts.maps import load_map
    from raci.contracts.reader import read_document

    rowmap = load_map(map_path, catalog) if map_path else None
    matcher = Matcher(catalog, DEFAULT_THRESHOLD if threshold is None else threshold)
    doc = read_document(str(path), matcher, options, {**(rowmap.parties if rowmap else {}), **(kinds or {})})
    return build_engagement(doc, map_rows(doc, matcher, rowmap), catalog)
