"""Findings: what a check reports, with its location, in the shape of SPEC section 2."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 2, "warning": 1, "info": 0}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    activity: str | None = None
    parties: tuple[str, ...] = ()
    window: str | None = None
    source: dict[str, Any] | None = field(default=None, compare=False)
    # the other activity a finding is about (the excluded dependency, the dead-end tier); not part of the JSON shape
    related: str | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "activity": self.activity,
            "parties": list(self.parties),
            "window": self.window,
            "message": self.message,
            "source": self.source,
        }


def summarize(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def sort_findings(findings: list[Finding], order: dict[str, int] | None = None, rules: list[str] | None = None) -> list[Finding]:
    """Errors first, then by catalog order of the activity (``order``), then by rule in the order given."""
    order = order or {}
    rule_rank = {r: i for i, r in enumerate(rules or [])}
    return sorted(
        findings,
        key=lambda f: (-SEVERITY_RANK[f.severity], order.get(f.activity or "", -1), rule_rank.get(f.rule, len(rule_rank)), f.rule),
    )
