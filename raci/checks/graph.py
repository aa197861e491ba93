"""The engagement as one networkx graph, and the walks the graph rules make on it.

Nodes are ``("activity", id)`` and ``("party", id)``. A role edge runs party -> activity with the party's role in
each time window (``{"roles": {"business-hours": "A/R", "after-hours": "R"}}``); a link edge runs activity ->
activity with its kinds (``{"kinds": ["depends_on"]}``). ``link_graph`` takes the depends_on or escalates_to edges
out as a graph of their own, over activity ids, for the walks: escalation chains, hand-off chains, cycles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx

from raci.engagement import Matrix

LINK_KINDS = ("depends_on", "escalates_to")


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
    edges: list[tuple[tuple[str, str], tuple[str, str], dict[str, Any]]] = []
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


def link_graphs(g: nx.DiGraph) -> dict[str, nx.DiGraph]:
    """The depends_on and escalates_to edges of ``g``, each kind as a graph of its own over activity ids (every
    activity a node), read in one pass over the graph."""
    activities = [n[1] for n in g if n[0] == "activity"]
    edges: dict[str, list[tuple[str, str]]] = {kind: [] for kind in LINK_KINDS}
    for u, targets in g.adjacency():
        if u[0] == "activity":
            for v, data in targets.items():
                for kind in data["kinds"]:
                    edges[kind].append((u[1], v[1]))
    out = {}
    for kind in LINK_KINDS:
        out[kind] = nx.DiGraph()
        out[kind].add_nodes_from(activities)
        out[kind].add_edges_from(edges[kind])
    return out


def works_after_hours(g: nx.DiGraph, pid: str) -> bool:
    return bool(g.nodes[("party", pid)]["party"].hours == "24x7")


def first_breaks(links: nx.DiGraph, start: str, broken: Callable[[str], bool]) -> Iterator[list[str]]:
    """Walk ``links`` from ``start`` (breadth first) and yield the path to each node where ``broken`` holds; the walk
    goes no further along a path than its first broken node."""
    stopped: set[str] = set()
    for node, path in nx.single_source_shortest_path(links, start).items():
        if node == start or any(n in stopped for n in path[1:-1]):
            continue
        if broken(node):
            stopped.add(node)
            yield path


State = tuple[str, frozenset[str]]  # (activity, the owners seen on the way to it)
Step = tuple[int, State]  # (steps to the nearest node that brings the owners to count, the next state)


def crossing_paths(links: nx.DiGraph, owners: dict[str, frozenset[str]], count: int = 3) -> list[list[str]]:
    """Paths along ``links`` on which the owners of the activities number ``count`` or more.

    Walked from every node of ``owners`` that no other node of ``owners`` links to; nodes outside ``owners`` are not
    walked. Each path is the shortest stretch that shows it: from the last node before the owners first change to
    the node that brings them to ``count``. A (node, owners seen) pair is walked once and the owners seen are kept
    below ``count``, so the walk costs nodes x small owner sets, never the number of paths (exponential in a DAG).
    """
    best: dict[State, Step | None] = {}
    out: dict[tuple[str, ...], list[str]] = {}
    for start in owners:
        if len(owners[start]) >= count or any(p in owners for p in links.pred[start]):
            continue
        root = (start, owners[start])
        _walk(links, owners, count, root, best)
        path, seen = [start], [owners[start]]
        first = best[root]
        state = first[1] if first else None
        while state is not None:
            path.append(state[0])
            seen.append(state[1])
            nxt = best.get(state) if len(state[1]) < count else None
            state = nxt[1] if nxt else None
        if len(path) > 1 and len(seen[-1]) >= count:  # a walk that never reaches ``count`` shows nothing
            first_change = next(i for i, s in enumerate(seen) if s != seen[0])
            cut = path[first_change - 1:]
            if len(frozenset().union(*(owners[node] for node in cut))) < count:
                cut = path  # the first node's own owners are part of the crossing: keep it
            out.setdefault(tuple(cut), cut)
    return list(out.values())


def _walk(links: nx.DiGraph, owners: dict[str, frozenset[str]], count: int, root: State,
          best: dict[State, Step | None]) -> None:
    """Fill ``best[state]`` (steps to the nearest node that brings the owners to ``count``, and the next state) for
    ``root`` and every state it reaches; iterative, so a chain of any length fits."""
    if root in best:
        return
    stack = [(root, iter(links.succ[root[0]]))]
    choice: dict[State, Step | None] = {root: None}
    while stack:
        state, successors = stack[-1]
        for nxt in successors:
            if nxt not in owners:
                continue
            child = (nxt, state[1] | owners[nxt])
            if len(child[1]) >= count:
                choice[state] = _shorter(choice[state], (1, child))
            elif child in best:
                known = best[child]
                if known is not None:
                    choice[state] = _shorter(choice[state], (known[0] + 1, child))
            elif child not in choice:  # not on the current path (a cycle adds no owner; catalogs refuse them anyway)
                choice[child] = None
                stack.append((child, iter(links.succ[nxt])))
                break
        else:
            stack.pop()
            done = best[state] = choice.pop(state)
            if stack and done is not None:
                parent = stack[-1][0]
                choice[parent] = _shorter(choice[parent], (done[0] + 1, state))


def _shorter(current: Step | None, candidate: Step) -> Step:
    return candidate if current is None or candidate[0] < current[0] else current
