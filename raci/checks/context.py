"""What every rule reads: the engagement's graph, its link graphs for the walks, and fast role lookups."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from raci.catalog import WINDOWS
from raci.checks.graph import build_graph, link_graphs
from raci.engagement import Matrix
from raci.roles import has_r

WINDOW_WORDS = {"business-hours": "during business hours", "after-hours": "after hours"}


class Context:
    """The graph of the engagement (``g``), its depends_on and escalates_to graphs (``depends``, ``escalates``) for
    the rules that walk chains, and per-activity role lookups for the rules that ask one activity at a time."""

    def __init__(self, matrix: Matrix):
        self.matrix = matrix
        self.g = build_graph(matrix)
        self.eng = matrix.engagement
        self.catalog = matrix.catalog
        self.in_scope = [a for a in self.catalog.activities if a not in matrix.excluded]
        self.party_order = {p: i for i, p in enumerate(self.eng.parties)}
        links = link_graphs(self.g)
        self.depends, self.escalates = links["depends_on"], links["escalates_to"]
        # One pass over the role edges instead of one graph query per rule and activity (10,000+ activities).
        self._roles: dict[str, dict[str, dict[str, str]]] = {a: {} for a in self.catalog.activities}
        self.held: dict[str, list[tuple[str, str, str]]] = {p: [] for p in self.eng.parties}  # party -> (activity, window, role)
        for pid in self.eng.parties:
            held = self.held[pid]
            for v, data in self.g.succ[("party", pid)].items():
                by_window = self._roles[v[1]]
                for window, role in data["roles"].items():
                    by_window.setdefault(window, {})[pid] = role
                    held.append((v[1], window, role))
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

    def windows(self, aid: str) -> tuple[str, ...]:
        """The time windows ``aid`` is worked in: both for round-the-clock work, else business hours."""
        return WINDOWS if self.catalog.activities[aid].coverage == "24x7" else WINDOWS[:1]

    def in_scope_graph(self, links: nx.DiGraph) -> nx.DiGraph:
        """``links`` without the excluded activities: a chain stops where the scope does. A graph of its own, not a
        subgraph view: a walk on a view counts every node through the filter (10,000 activities: 0.9 s, not 0.01 s)."""
        excluded = self.matrix.excluded
        out = nx.DiGraph()
        out.add_nodes_from(a for a in links if a not in excluded)
        out.add_edges_from((u, v) for u, v in links.edges if u not in excluded and v not in excluded)
        return out

    def name(self, aid: str) -> str:
        return self.catalog.activities[aid].name

    def party(self, pid: str) -> str:
        return self.eng.parties[pid].name

    def names(self, pids: Iterable[str]) -> str:
        names = [self.party(p) for p in pids]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def by_party_order(self, pids: Iterable[str]) -> list[str]:
        return sorted(pids, key=self.party_order.__getitem__)

    def responsible(self, aid: str, window: str = "business-hours") -> list[str]:
        return [p for p, r in self.roles(aid, window).items() if has_r(r)]

    def accountable(self, aid: str) -> list[str]:
        """The parties accountable for ``aid`` in either window, in party order (``Row.accountable``)."""
        return self.matrix.rows[aid].accountable(self.party_order)
