"""The checks of SPEC section 7, each a small rule run over one networkx graph of the engagement."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from raci.engagement import Matrix
from raci.findings import Finding, sort_findings
from raci.roles import has_a, has_r
from raci.yamlio import gc_paused

WINDOW_WORDS = {"business-hours": "during business hours", "after-hours": "after hours"}


def build_graph(matrix: Matrix) -> nx.DiGraph:
    """Activity and party nodes; role edges party -> activity (roles per window); depends_on / escalates_to edges.

    A plain DiGraph with the windows as an edge attribute: at 100,000 activities a MultiDiGraph's
    per-key dictionaries cost more than the checks themselves.
    """
    g = nx.DiGraph()
    eng = matrix.engagement
    g.add_nodes_from((("party", pid), {"kind": "party", "party": party}) for pid, party in eng.parties.items())
    g.add_nodes_from(
        (("activity", aid), {"kind": "activity", "activity": act, "excluded": aid in matrix.excluded})
        for aid, act in matrix.catalog.activities.items()
    )
    edges = []
    for aid, act in matrix.catalog.activities.items():
        row = matrix.rows[aid]
        node = ("activity", aid)
        roles: dict[str, dict[str, str]] = {pid: {"business-hours": role} for pid, role in row.business.items()}
        # the after-hours window exists for round-the-clock work, or where a row says so explicitly
        if act.coverage == "24x7" or row.after_hours is not None:
            for pid, role in row.window("after-hours").items():
                roles.setdefault(pid, {})["after-hours"] = role
        edges.extend((("party", pid), node, {"roles": r}) for pid, r in roles.items())
        links: dict[str, list[str]] = {}
        for dep in act.depends_on:
            links.setdefault(dep, []).append("depends_on")
        if act.escalates_to:
            links.setdefault(act.escalates_to, []).append("escalates_to")
        edges.extend((node, ("activity", target), {"kinds": kinds}) for target, kinds in links.items())
    g.add_edges_from(edges)
    return g


class Context:
    """What every rule needs: the graph, and the role and link lookups read from it once."""

    def __init__(self, matrix: Matrix):
        self.matrix = matrix
        self.g = build_graph(matrix)
        self.eng = matrix.engagement
        self.catalog = matrix.catalog
        self.in_scope = [a for a in self.catalog.activities if a not in matrix.excluded]
        self.party_order = {p: i for i, p in enumerate(self.eng.parties)}
        # One pass over the edges instead of one graph query per rule and activity (10,000+ activities).
        self._roles: dict[str, dict[str, dict[str, str]]] = {a: {} for a in self.catalog.activities}
        self.links: dict[str, dict[str, list[str]]] = {"depends_on": {}, "escalates_to": {}}
        self.held: dict[str, list[tuple[str, str, str]]] = {p: [] for p in self.eng.parties}  # party -> (activity, window, role)
        for u, targets in self.g.adjacency():  # plain dict iteration: much cheaper than an edge view at 100,000 nodes
            if u[0] == "party":
                held = self.held[u[1]]
                for v, data in targets.items():
                    by_window = self._roles[v[1]]
                    for window, role in data["roles"].items():
                        by_window.setdefault(window, {})[u[1]] = role
                        held.append((v[1], window, role))
            else:
                for v, data in targets.items():
                    for kind in data["kinds"]:
                        self.links[kind].setdefault(u[1], []).append(v[1])
        for roles in self._roles.values():
            for window, parties in roles.items():
                if len(parties) > 1:
                    roles[window] = dict(sorted(parties.items(), key=lambda kv: self.party_order[kv[0]]))

    def roles(self, aid: str, window: str = "business-hours") -> dict[str, str]:
        """party -> role in ``window``."""
        return self._roles[aid].get(window, {})

    def all_roles(self, aid: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for roles in self._roles[aid].values():
            for p, r in roles.items():
                out.setdefault(p, set()).add(r)
        return out

    def windows(self, aid: str) -> list[str]:
        act = self.catalog.activities[aid]
        return ["business-hours", "after-hours"] if act.coverage == "24x7" else ["business-hours"]

    def name(self, aid: str) -> str:
        return self.catalog.activities[aid].name

    def party(self, pid: str) -> str:
        return self.eng.parties[pid].name

    def names(self, pids) -> str:
        names = [self.party(p) for p in pids]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def responsible(self, aid: str, window: str = "business-hours") -> list[str]:
        return [p for p, r in self.roles(aid, window).items() if has_r(r)]

    def accountable(self, aid: str) -> list[str]:
        seen: list[str] = []
        for roles in self._roles[aid].values():
            for p, r in roles.items():
                if has_a(r) and p not in seen:
                    seen.append(p)
        return sorted(seen, key=self.party_order.__getitem__)


Rule = Callable[[Context], list[Finding]]
RULES: dict[str, tuple[str, Rule]] = {}


def rule(rule_id: str, severity: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[rule_id] = (severity, fn)
        fn.rule_id = rule_id  # type: ignore[attr-defined]
        fn.severity = severity  # type: ignore[attr-defined]
        return fn

    return register


@rule("no-accountable", "error")
def no_accountable(ctx: Context) -> list[Finding]:
    return [
        Finding("no-accountable", "error", f"Nobody is accountable for {ctx.name(a)}.", a)
        for a in ctx.in_scope
        if not ctx.accountable(a)
    ]


@rule("multiple-accountable", "error")
def multiple_accountable(ctx: Context) -> list[Finding]:
    out = []
    for a in ctx.in_scope:
        acc = ctx.accountable(a)
        if len(acc) > 1:
            out.append(Finding("multiple-accountable", "error",
                               f"{ctx.names(acc)} are all accountable for {ctx.name(a)}; exactly one party must be.", a, tuple(acc)))
    return out


@rule("no-responsible", "error")
def no_responsible(ctx: Context) -> list[Finding]:
    return [
        Finding("no-responsible", "error", f"Nobody is responsible for doing {ctx.name(a)} during business hours.", a, (), "business-hours")
        for a in ctx.in_scope
        if not ctx.responsible(a, "business-hours")
    ]


@rule("uncovered-window", "error")
def uncovered_window(ctx: Context) -> list[Finding]:
    out = []
    for a in ctx.in_scope:
        if ctx.catalog.activities[a].coverage != "24x7":
            continue
        resp = ctx.responsible(a, "after-hours")
        if not resp:
            out.append(Finding("uncovered-window", "error",
                               f"{ctx.name(a)} must run around the clock, but nobody is responsible for it after hours.", a, (), "after-hours"))
        elif all(ctx.eng.parties[p].hours != "24x7" for p in resp):
            who = ctx.names(resp)
            verb = "works" if len(resp) == 1 else "work"
            out.append(Finding("uncovered-window", "error",
                               f"{ctx.name(a)} must run around the clock, but {who} {verb} business hours only.", a, tuple(resp), "after-hours"))
    return out


@rule("no-capacity", "error")
def no_capacity(ctx: Context) -> list[Finding]:
    out = []
    empty = [p for p, party in ctx.eng.parties.items() if party.staff == 0]
    for pid in empty:
        held = []
        for aid, _window, role in ctx.held[pid]:
            if aid in ctx.matrix.excluded or aid in held:
                continue
            if has_r(role) or has_a(role):
                held.append(aid)
        for aid in sorted(held, key=ctx.catalog.order.__getitem__):
            out.append(Finding("no-capacity", "error",
                               f"{ctx.party(pid)} has no staff but holds {ctx.matrix.rows[aid].business.get(pid) or 'R'} for {ctx.name(aid)}.",
                               aid, (pid,)))
    return out


@rule("non-delegable", "error")
def non_delegable(ctx: Context) -> list[Finding]:
    out = []
    for a in ctx.in_scope:
        if not ctx.catalog.activities[a].non_delegable:
            continue
        outside = [p for p in ctx.accountable(a) if ctx.eng.parties[p].kind != "client"]
        if outside:
            out.append(Finding("non-delegable", "error",
                               f"{ctx.name(a)} is a decision the client cannot hand over, but {ctx.names(outside)} is accountable for it.",
                               a, tuple(outside)))
    return out


@rule("shared-responsible", "warning")
def shared_responsible(ctx: Context) -> list[Finding]:
    out = []
    for a in ctx.in_scope:
        if ctx.eng.notes.get(a):
            continue  # a note records how the work is split
        for window in ctx.windows(a):
            resp = ctx.responsible(a, window)
            if len(resp) > 1:
                out.append(Finding("shared-responsible", "warning",
                                   f"{ctx.names(resp)} are both responsible for {ctx.name(a)} {WINDOW_WORDS[window]} and no note says how the work "
                                   "is split, so expect it to be done (and billed) twice.", a, tuple(resp), window))
    return out


@rule("dependency-handoff", "warning")
def dependency_handoff(ctx: Context) -> list[Finding]:
    out = []
    for a in ctx.in_scope:
        for dep in ctx.links["depends_on"].get(a, ()):
            if dep in ctx.matrix.excluded:
                continue
            ra, rd = set(ctx.responsible(a)), set(ctx.responsible(dep))
            if not ra or not rd or ra & rd:
                continue
            involved_a, involved_d = ctx.all_roles(a), ctx.all_roles(dep)
            if any(p in involved_d for p in ra) or any(p in involved_a for p in rd):
                continue
            pa, pd = sorted(ra, key=ctx.party_order.__getitem__), sorted(rd, key=ctx.party_order.__getitem__)
            out.append(Finding("dependency-handoff", "warning",
                               f"{ctx.name(a)} ({ctx.names(pa)}) depends on {ctx.name(dep)} ({ctx.names(pd)}), but neither is consulted "
                               "or informed on the other's work; agree the handoff.", a, tuple(pa + pd)))
    return out


@rule("excluded-dependency", "warning")
def excluded_dependency(ctx: Context) -> list[Finding]:
    out = []
    for a in ctx.in_scope:
        for dep in ctx.links["depends_on"].get(a, ()):
            if dep in ctx.matrix.excluded:
                out.append(Finding("excluded-dependency", "warning",
                                   f"{ctx.name(a)} is in scope but depends on {ctx.name(dep)}, which is excluded.", a, related=dep))
    return out


@rule("escalation-dead-end", "warning")
def escalation_dead_end(ctx: Context) -> list[Finding]:
    out = []
    for a in ctx.in_scope:
        for tier in ctx.links["escalates_to"].get(a, ()):
            if tier in ctx.matrix.excluded:
                out.append(Finding("escalation-dead-end", "warning",
                                   f"{ctx.name(a)} escalates to {ctx.name(tier)}, which is excluded, so escalations have nowhere to go.", a,
                                   related=tier))
            elif not ctx.responsible(tier):
                out.append(Finding("escalation-dead-end", "warning",
                                   f"{ctx.name(a)} escalates to {ctx.name(tier)}, which nobody is responsible for.", a, related=tier))
    return out


@rule("compliance-gap", "error")
def compliance_gap(ctx: Context) -> list[Finding]:
    out = []
    frameworks = ctx.eng.profile.compliance
    for aid, act in ctx.catalog.activities.items():
        for fw in frameworks:
            if fw not in act.frameworks:
                continue
            label = ctx.catalog.frameworks.get(fw, fw)
            if aid in ctx.matrix.excluded:
                out.append(Finding("compliance-gap", "error", f"{label} needs {act.name}, but it is excluded from this engagement.", aid))
            elif not ctx.accountable(aid) or not ctx.responsible(aid):
                out.append(Finding("compliance-gap", "error", f"{label} needs {act.name}, but nobody owns it.", aid))
    return out


@rule("idle-party", "warning")
def idle_party(ctx: Context) -> list[Finding]:
    out = []
    for pid in ctx.eng.parties:
        busy = any((has_r(role) or has_a(role)) and aid not in ctx.matrix.excluded for aid, _w, role in ctx.held[pid])
        if not busy:
            out.append(Finding("idle-party", "warning",
                               f"{ctx.party(pid)} is not responsible or accountable for anything; remove it or give it work.", None, (pid,)))
    return out


@rule("overloaded-party", "warning")
def overloaded_party(ctx: Context) -> list[Finding]:
    out = []
    per_staff = ctx.eng.thresholds.get("r_per_staff", 30)
    for pid, party in ctx.eng.parties.items():
        if party.staff == 0:
            continue  # no-capacity reports these
        count = len({aid for aid, _w, role in ctx.held[pid] if has_r(role) and aid not in ctx.matrix.excluded})
        limit = party.staff * per_staff
        if count > limit:
            people = "person" if party.staff == 1 else "people"
            out.append(Finding("overloaded-party", "warning",
                               f"{party.name} is responsible for {count} activities with {party.staff} {people}, more than the "
                               f"{per_staff:g} per person this engagement allows.", None, (pid,)))
    return out


@rule("no-effective-date", "warning")
def no_effective_date(ctx: Context) -> list[Finding]:
    if ctx.eng.effective is not None:
        return []
    return [Finding("no-effective-date", "warning",
                    "The engagement has no effective date: set 'effective' (e.g. 2026-12-01) before it is signed.", None)]


@rule("preset-override", "info")
def preset_override(ctx: Context) -> list[Finding]:
    out = []
    for aid, earlier, later in ctx.matrix.overrides:
        if aid in ctx.matrix.excluded or ctx.matrix.origin.get(aid) == "assignment":
            continue
        out.append(Finding("preset-override", "info",
                           f"Both {earlier} and {later} set {ctx.name(aid)}; {later} comes later and wins.", aid))
    return out


def run_checks(matrix: Matrix, rules: list[str] | None = None) -> list[Finding]:
    """Run every rule (or the named ones) and return all findings, errors first, in catalog order."""
    with gc_paused():
        ctx = Context(matrix)
        findings: list[Finding] = []
        for rule_id, (_sev, fn) in RULES.items():
            if rules is None or rule_id in rules:
                findings.extend(fn(ctx))
        if rules is None and matrix.engagement.contract_rows:
            from raci.contracts.kept import check_kept_rows

            findings = check_kept_rows(matrix, findings)
        return sort_findings(findings, matrix.catalog.order, list(RULES))
