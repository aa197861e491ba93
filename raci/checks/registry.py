"""The registry of checks: each rule's id, default severity and explanation in one place.

A rule is a function ``fn(ctx, found) -> list[Finding]`` registered with ``@rule(id, severity)``. It never spells
its id or severity again: ``found(message, activity, parties, window, related=...)`` makes a finding of the rule
that is running. The rule's docstring is what ``raci check --explain RULE`` prints: what it finds, then why.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from raci.errors import RaciError
from raci.findings import SEVERITIES, Finding

if TYPE_CHECKING:
    from raci.checks.context import Context

Found = Callable[..., Finding]  # found(message, activity=None, parties=(), window=None, related=None)
Check = Callable[["Context", Found], list[Finding]]


@dataclass(frozen=True)
class CheckRule:
    id: str
    severity: str
    check: Check

    @property
    def explain(self) -> str:
        """What the rule finds and why it matters: its docstring."""
        return inspect.cleandoc(self.check.__doc__ or "")

    def run(self, ctx: Context) -> list[Finding]:
        return self.check(ctx, partial(Finding, self.id, self.severity))


RULES: dict[str, CheckRule] = {}


def rule(rule_id: str, severity: str) -> Callable[[Check], Check]:
    """Register a check under ``rule_id`` with its default ``severity``; its docstring explains it."""

    def register(fn: Check) -> Check:
        if severity not in SEVERITIES:
            raise ValueError(f"rule {rule_id}: severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} is registered twice")
        if not (fn.__doc__ or "").strip():
            raise ValueError(f"rule {rule_id} has no docstring to explain it")
        RULES[rule_id] = CheckRule(rule_id, severity, fn)
        return fn

    return register


def explain(rule_id: str) -> str:
    """``raci check --explain RULE``: the rule's id and severity, then what it finds and why (its docstring)."""
    from raci.validate import did_you_mean

    found = RULES.get(rule_id)
    if found is None:
        raise RaciError(f"unknown rule {rule_id!r}: {did_you_mean(rule_id, RULES)}")
    return f"{found.id} ({found.severity})\n\n{found.explain}\n"
