"""The checks of SPEC section 7: rules run over one networkx graph of the engagement.

``graph`` builds the graph and holds the walks on it (chains, paths), ``context`` what every rule reads,
``registry`` each rule's id, severity and explanation, and ``rules_activity``, ``rules_links`` and ``rules_parties``
the rules themselves, registered in the order their findings are listed.
"""

from __future__ import annotations

from raci.checks import rules_activity, rules_links, rules_parties, upstream  # noqa: F401  (registers the rules, in this order)
from raci.checks.context import Context
from raci.checks.graph import build_graph
from raci.checks.registry import RULES, CheckRule, explain, rule
from raci.engagement import Matrix
from raci.findings import Finding, sort_findings
from raci.gcpause import gc_paused

__all__ = ["RULES", "CheckRule", "Context", "build_graph", "explain", "rule", "run_checks"]
from raci.checks import rules_commercial  # noqa: E402, F401  (registers sla-on-client-row, after the rules above)


def run_checks(matrix: Matrix, rules: list[str] | None = None) -> list[Finding]:
    """Run every rule (or the named ones) and return all findings, errors first, in catalog order."""
    with gc_paused():  # only where the process allows it: see raci.yamlio.allow_gc_pauses
        ctx = Context(matrix)
        findings: list[Finding] = []
        for rule_id, check in RULES.items():
            if rules is None or rule_id in rules:
                findings.extend(check.run(ctx))
        if rules is None and matrix.engagement.contract_rows:
            from raci.contracts.kept import check_kept_rows

            findings = check_kept_rows(matrix, findings)
        return sort_findings(findings, matrix.catalog.order, list(RULES))
