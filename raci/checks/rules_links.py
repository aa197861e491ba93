"""Rules on the links between activities: dependencies handed from one party to another, and escalation chains
walked per time window."""

from __future__ import annotations

from raci.checks.context import Context
from raci.checks.graph import crossing_paths, first_breaks, works_after_hours
from raci.checks.registry import Found, rule
from raci.findings import Finding


@rule("dependency-handoff", "warning")
def dependency_handoff(ctx: Context, found: Found) -> list[Finding]:
    """X depends on Y, different parties are responsible for them, and neither is consulted or informed on the other.

    Work that waits on another party's work needs a hand-off both sides know about; making one party C or I
    on the other's activity records it.
    """
    out = []
    for a in ctx.in_scope:
        for dep in ctx.depends.successors(a):
            if dep in ctx.matrix.excluded:
                continue
            ra, rd = set(ctx.responsible(a)), set(ctx.responsible(dep))
            if not ra or not rd or ra & rd:
                continue
            involved_a, involved_d = ctx.all_roles(a), ctx.all_roles(dep)
            if any(p in involved_d for p in ra) or any(p in involved_a for p in rd):
                continue
            pa, pd = ctx.by_party_order(ra), ctx.by_party_order(rd)
            out.append(found(f"{ctx.name(a)} ({ctx.names(pa)}) depends on {ctx.name(dep)} ({ctx.names(pd)}), but neither is consulted "
                             "or informed on the other's work; agree the handoff.", a, tuple(pa + pd)))
    return out


@rule("excluded-dependency", "warning")
def excluded_dependency(ctx: Context, found: Found) -> list[Finding]:
    """An in-scope activity that depends on an excluded one.

    The engagement promises work whose prerequisite nobody has agreed to do.
    """
    return [found(f"{ctx.name(a)} is in scope but depends on {ctx.name(dep)}, which is excluded.", a, related=dep)
            for a in ctx.in_scope for dep in ctx.depends.successors(a) if dep in ctx.matrix.excluded]


@rule("escalation-dead-end", "warning")
def escalation_dead_end(ctx: Context, found: Found) -> list[Finding]:
    """A support tier that escalates to a tier nobody is responsible for, or to one that is excluded.

    Escalations stop there. Each link of a chain is checked at the tier that escalates, so a broken tier is
    reported once, where the hand-over fails, not again at every tier below it.
    """
    out = []
    for a in ctx.in_scope:
        for tier in ctx.escalates.successors(a):
            if tier in ctx.matrix.excluded:
                out.append(found(f"{ctx.name(a)} escalates to {ctx.name(tier)}, which is excluded, so escalations have nowhere to go.",
                                 a, related=tier))
            elif not ctx.responsible(tier):
                out.append(found(f"{ctx.name(a)} escalates to {ctx.name(tier)}, which nobody is responsible for.", a, related=tier))
    return out


@rule("escalation-unreachable-after-hours", "warning")
def escalation_unreachable_after_hours(ctx: Context, found: Found) -> list[Finding]:
    """A 24x7 activity whose escalation chain, walked tier by tier, reaches a tier nobody works after hours.

    A tier is worked after hours when a party whose hours are 24x7 holds R on it in the after-hours window
    (a 24x7 activity's, or an explicit after-hours row). Otherwise an incident escalated at night waits
    for the morning however well the first tier is covered. The walk stops at excluded tiers and at tiers
    nobody is responsible for at all: escalation-dead-end reports those. A warning, not an error: the
    activity itself is covered (uncovered-window checks that); what is missing is the escalation behind it.
    A break is reported once, from the lowest round-the-clock tier whose chain reaches it.
    """
    chains = ctx.in_scope_graph(ctx.escalates)
    worked: dict[str, bool] = {}  # tier -> worked after hours, asked once however many chains pass through it
    round_the_clock = {a for a in ctx.in_scope if ctx.catalog.activities[a].coverage == "24x7"}
    out = []
    for a in ctx.in_scope:
        if a not in round_the_clock or not ctx.escalates.succ[a]:
            continue
        if _worked_after_hours(ctx, a, worked) and any(p in round_the_clock for p in chains.pred[a]):
            continue  # the walk from the 24x7 tier below goes through this one and reports the same break
        for path in first_breaks(chains, a, lambda tier: not _worked_after_hours(ctx, tier, worked)):
            tier = path[-1]
            if not ctx.responsible(tier, "business-hours") and not ctx.responsible(tier, "after-hours"):
                continue  # a dead end: escalation-dead-end reports it
            night = ctx.responsible(tier, "after-hours")
            if night:
                who = f"{ctx.names(night)} {'works' if len(night) == 1 else 'work'} business hours only"
            else:
                who = "nobody is responsible for it after hours"
            out.append(found(f"{ctx.name(a)} must run around the clock, but its escalations reach {ctx.name(tier)}, where {who}: "
                             f"{' -> '.join(ctx.name(t) for t in path)}.", a, tuple(night), "after-hours", related=tier))
    return out


def _worked_after_hours(ctx: Context, tier: str, worked: dict[str, bool]) -> bool:
    if tier not in worked:
        worked[tier] = any(works_after_hours(ctx.g, p) for p in ctx.responsible(tier, "after-hours"))
    return worked[tier]


@rule("long-handoff-chain", "info")
def long_handoff_chain(ctx: Context, found: Found) -> list[Finding]:
    """A chain of dependencies along which the work changes hands across three or more organisations.

    X depends on Y, which depends on Z, each done by another organisation (the client, the MSP, a vendor): the
    work changes hands at every step, and a delay anywhere holds up everything after it. The client's own
    parties (leadership, IT) count as one organisation: they hand work over inside one company every day. The
    finding names the stretch of the chain that crosses three, from the first hand-off on (business-hours R;
    excluded activities are not walked). Information, not a fault: agree who chases the chain.
    """
    doers = {a: r for a in ctx.in_scope if (r := ctx.responsible(a, "business-hours"))}
    owners = {a: frozenset(_organisation(ctx, p) for p in r) for a, r in doers.items()}
    out = []
    for path in crossing_paths(ctx.depends, owners):
        parties = list(dict.fromkeys(p for a in path for p in doers[a]))
        count = len({o for a in path for o in owners[a]})
        steps = " -> ".join(f"{ctx.name(a)} ({ctx.names(doers[a])})" for a in path)
        out.append(found(f"{ctx.name(path[0])} waits on work that changes hands across {count} organisations: {steps}.",
                         path[0], tuple(parties), related=path[-1]))
    return out


def _organisation(ctx: Context, pid: str) -> str:
    """The client's parties are one organisation; every other party is its own."""
    return "client" if ctx.eng.parties[pid].kind == "client" else pid
