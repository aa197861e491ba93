"""Rules on an upstream provider's matrix (``raci check ENGAGEMENT --upstream FILE``): what it leaves to its customer.

The upstream is whoever sits under this engagement (the cloud platform under the MSP, a SaaS vendor): its matrix
(a FedRAMP CRM, a CAIQ, an OSCAL SSP, any contract ``raci audit`` reads) says what it does and what it leaves to its
customer. That customer is this engagement, client and MSP together, so every responsibility left to it must have
an owner here. The file is read as ``raci audit`` reads it (layout search, mapping onto the catalog through names
and the control crosswalk); a row leaves something to the customer when a party of kind ``client`` is responsible
or accountable for it, alone or shared. The rules run only when an upstream file is given.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from raci.checks.context import Context
from raci.checks.registry import RULES, Found, rule
from raci.engagement import Matrix
from raci.findings import Finding, sort_findings
from raci.roles import has_a, has_r

UPSTREAM_RULES = ("upstream-unowned", "upstream-shared", "upstream-unmapped")


@dataclass(frozen=True)
class UpstreamRow:
    """A row of the upstream matrix that leaves something to its customer."""

    label: str
    where: str  # sheet and row (or file and line) as a person looks for it
    activity: str | None
    shared: bool  # shared with the customer without a split written down
    source: dict[str, Any]


class UpstreamContext(Context):
    """The engagement's context, with the upstream file and the rows of it that leave work to the customer."""

    def __init__(self, matrix: Matrix, file: str, rows: list[UpstreamRow]):
        super().__init__(matrix)
        self.upstream_file = file
        self.upstream = rows


def _rows(ctx: Context) -> list[UpstreamRow]:
    return ctx.upstream if isinstance(ctx, UpstreamContext) else []


def _owner(ctx: Context, aid: str) -> bool:
    """Someone in this engagement is accountable or responsible for ``aid`` (in either window)."""
    return aid not in ctx.matrix.excluded and any(has_a(r) or has_r(r) for roles in ctx.all_roles(aid).values() for r in roles)


@rule("upstream-unowned", "error")
def upstream_unowned(ctx: Context, found: Found) -> list[Finding]:
    """A responsibility the upstream provider's matrix leaves to its customer, on an activity this engagement
    excludes or gives nobody.

    The upstream provider (the cloud platform or vendor under the MSP) does not do it, and neither the client nor the
    MSP has taken it on: it falls between the three contracts, and an auditor of the upstream's customer finds it
    undone.
    """
    out = []
    for row in _rows(ctx):
        if row.activity is None or _owner(ctx, row.activity):
            continue
        why = "this engagement excludes it" if row.activity in ctx.matrix.excluded else \
            "nobody in this engagement is accountable or responsible for it"
        out.append(_located(found(
            f"{_at(ctx, row)} leaves {row.label!r} to its customer; it maps to "
            f"{ctx.name(row.activity)} ({row.activity}), but {why}.", row.activity), row))
    return out


@rule("upstream-shared", "warning")
def upstream_shared(ctx: Context, found: Found) -> list[Finding]:
    """A responsibility the upstream provider's matrix shares with its customer without saying who does what.

    Nobody can tell which part this engagement must cover: ask the upstream provider for the split, then check
    that the client or the MSP owns the customer's part.
    """
    return [_located(found(
        f"{_at(ctx, row)} shares {row.label!r} with its customer without saying who does "
        f"what; ask for the split and check that this engagement covers the customer's part"
        + (f" of {ctx.name(row.activity)} ({row.activity})." if row.activity else "."), row.activity), row)
        for row in _rows(ctx) if row.shared]


@rule("upstream-unmapped", "warning")
def upstream_unmapped(ctx: Context, found: Found) -> list[Finding]:
    """A responsibility the upstream provider's matrix leaves to its customer that maps to no catalog activity.

    raci cannot tell whether this engagement owns it: name the activity that covers it (or add one to the catalog).
    """
    return [_located(found(
        f"{_at(ctx, row)} leaves {row.label!r} to its customer, and it maps to no catalog "
        "activity: check by hand that this engagement owns it."), row) for row in _rows(ctx) if row.activity is None]


def _located(f: Finding, row: UpstreamRow) -> Finding:
    return dataclasses.replace(f, source=row.source)


def _at(ctx: Context, row: UpstreamRow) -> str:
    """Where the row is, naming the upstream file once: ``crm.xlsx (CRM!6)``, ``crm.csv:6``."""
    name = Path(ctx.upstream_file).name if isinstance(ctx, UpstreamContext) else ""
    return row.where if row.where.startswith(name) else f"{name} ({row.where})"


def read_upstream(path: str, matrix: Matrix) -> list[UpstreamRow]:
    """The rows of the upstream matrix at ``path`` that leave something to its customer (DocumentError if it holds
    no matrix)."""
    from raci.contracts.audit import map_rows
    from raci.contracts.mapping import Matcher
    from raci.contracts.reader import read_document

    matcher = Matcher(matrix.catalog)
    doc = read_document(path, matcher)
    client = {p.id for p in doc.parties if p.kind == "client"}
    out = []
    for res in map_rows(doc, matcher):
        row = res.row
        if row.excluded or res.match.how == "ignore":
            continue
        customer = [pid for pid, role in row.roles.items() if pid in client and (has_a(role) or has_r(role))]
        if not customer:
            continue
        split_unsaid = row.shared and not row.note and not any(has_a(r) for r in row.roles.values())
        out.append(UpstreamRow(row.label, row.where(), res.match.activity, split_unsaid, row.source()))
    return out


def check_with_upstream(matrix: Matrix, upstream: str | None) -> list[Finding]:
    """Every check of the engagement, and, with an upstream file, the upstream rules on what it leaves to its
    customer; errors first, in catalog order."""
    from raci.checks import run_checks

    findings = run_checks(matrix)
    if upstream is None:
        return findings
    ctx = UpstreamContext(matrix, upstream, read_upstream(upstream, matrix))
    for rule_id in UPSTREAM_RULES:
        findings.extend(RULES[rule_id].run(ctx))
    return sort_findings(findings, matrix.catalog.order, list(RULES))
