"""An extract of the appendix for one party (``raci render --for PARTY``): the rows it has a role in, and nothing
another party keeps to itself.

A third party or a team reads only what concerns it: every activity in which it is R, A, C or I in either window
(the rows it must be told of included), with all parties' letters on those rows so it sees who owns each, the
service levels and findings of those rows, and the findings that name it. An extract is not for signature: its
acceptance section is left out and its title says whose extract it is. Internal notes reach only the provider's own
extract, and only an internal one.
"""

from __future__ import annotations

from dataclasses import replace

from raci.appendix.build import summary_text
from raci.appendix.model import Appendix, MatrixRow
from raci.errors import InputError, Problem


def find_party(appendix: Appendix, party: str, where: str) -> int:
    """The index of ``party`` (an id, or a name in any case) among the appendix's parties; InputError if none."""
    for i, p in enumerate(appendix.parties):
        if party == p.id or party.strip().casefold() == p.name.strip().casefold():
            return i
    known = ", ".join(f"{p.id} ({p.name})" for p in appendix.parties)
    raise InputError(Problem(where, f"--for {party!r} is not a party of this engagement; parties: {known}"))


def _involved(row: MatrixRow, i: int) -> bool:
    return bool(row.roles[i]) or bool(row.after_roles is not None and row.after_roles[i])


def extract_for(appendix: Appendix, party: str, where: str = "") -> Appendix:
    """The appendix as ``party`` (id or name) needs it; ``where`` names the engagement in an error."""
    i = find_party(appendix, party, where)
    view = appendix.parties[i]
    keep_notes = appendix.internal and view.kind == "msp"
    domains = []
    for dom in appendix.domains:
        rows = tuple(row if keep_notes else replace(row, internal_note="") for row in dom.rows if _involved(row, i))
        if rows:
            domains.append(replace(dom, rows=rows))
    ids = {row.id for dom in domains for row in dom.rows}
    found = tuple(f for f in appendix.findings.rows if f.activity in ids or view.name in f.parties)
    counts = {k: sum(1 for f in found if f.severity == k) for k in appendix.findings.counts}
    findings = replace(appendix.findings, counts=counts, text=summary_text(counts), rows=found,
                       open_errors=tuple(f for f in found if f.severity == "error"))
    title = f"{appendix.meta.title} — for {view.name}"
    meta = replace(appendix.meta, title=title, heading=appendix.meta.heading.replace(appendix.meta.title, title),
                   for_party=view.name, shown=len(ids))
    signoff = appendix.signoff
    if signoff.draft:
        n = len(appendix.findings.open_errors)
        signoff = replace(signoff, draft_notice=f"DRAFT: the checks of this matrix found {n} {'error' if n == 1 else 'errors'} "
                                                "still open; the full appendix lists them.")
    note = (f"Extract for {view.name}: the {len(ids)} of {appendix.meta.in_scope} activities in scope in which it has a "
            "role, with every party's letters on those rows. It is not for signature: the parties sign the full appendix.")
    return replace(
        appendix,
        texts={**appendix.texts, "extract": note},
        signoff=signoff,
        sections=tuple(s for s in appendix.sections if s != "signoff" and (s != "internal_notes" or keep_notes)),
        meta=meta,
        domains=tuple(domains),
        sla=tuple(s for s in appendix.sla if s.id in ids),
        commercial=tuple(c for c in appendix.commercial if c.id in ids),
        findings=findings,
        internal_notes=tuple(n for n in appendix.internal_notes if n.id in ids) if keep_notes else (),
    )
