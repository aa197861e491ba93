"""Property tests of the checks, on engagements drawn as YAML text and read by the real loaders.

A drawn case is a catalog folder (one domain: activities with coverage, dependencies on earlier activities and
escalations to later ones; two presets) and an engagement (parties of any kind, staff and hours, presets, exclusions,
assignments with after-hours letters). Each test states one invariant a user relies on, and computes what it expects
from the drawn facts, never from the checks' output.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raci.catalog import load_catalog
from raci.checks import RULES, run_checks
from raci.engagement import loads_engagement, resolve
from raci.validate import find_cycle

PARTIES = ("client-exec", "client-it", "msp", "vendor")
OWNERSHIP = {"no-accountable", "multiple-accountable", "no-responsible", "uncovered-window", "no-capacity"}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Case:
    """What was drawn: the facts the expectations are computed from, and the YAML texts the loaders read."""

    coverage: dict[str, str]
    depends: dict[str, list[str]]
    escalates: dict[str, str | None]
    parties: dict[str, dict]  # id -> kind, staff, hours
    rows: dict[str, tuple[dict[str, str], dict[str, str] | None]]  # activity -> (business, after-hours or None)
    excluded: list[str]
    preset_rows: set[str] = field(default_factory=set)  # activities whose row comes from the second preset

    def files(self) -> dict[str, str]:
        acts = []
        for aid in self.coverage:
            deps = ", ".join(self.depends[aid])
            esc = self.escalates[aid] or "null"
            acts.append(f"  - {{id: {aid}, name: Work {aid[3:]}, description: Drawn., coverage: {self.coverage[aid]}, "
                        f"depends_on: [{deps}], escalates_to: {esc}}}")
        default = next(p for p in PARTIES if self.parties[p]["hours"] == "24x7")
        special = "\n".join(f"  {aid}: {_row(*self.rows[aid])}" for aid in sorted(self.preset_rows))
        files = {
            "frameworks.yaml": "frameworks: []\n",
            "domains/01-d.yaml": "domain: {id: d, name: Drawn}\nactivities:\n" + "\n".join(acts) + "\n",
            "presets/base.yaml": f"id: base\nname: Base\ndescription: One party does everything.\nextends: null\n"
                                 f"rows:\n  \"*\": {{{default}: A/R}}\n",
        }
        if special:
            files["presets/special.yaml"] = "id: special\nname: Special\ndescription: Drawn rows.\nextends: null\nrows:\n" + special + "\n"
        return files

    def engagement(self) -> str:
        parties = "\n".join(f"  {p}: {{name: Party {p}, kind: {a['kind']}, staff: {a['staff']}, hours: {a['hours']}}}"
                            for p, a in self.parties.items())
        assigned = [a for a in self.rows if a not in self.preset_rows]
        assignments = "\n".join(f"  {a}: {_row(*self.rows[a])}" for a in assigned) or "  {}"
        presets = "base, special" if self.preset_rows else "base"
        return (f"client: Drawn\nprovider: Drawn MSP\neffective: 2026-12-01\npresets: [{presets}]\nparties:\n{parties}\n"
                f"assignments:\n{assignments}\nexclusions: [{', '.join(self.excluded)}]\n")

    def in_scope(self) -> list[str]:
        return [a for a in self.coverage if a not in self.excluded]

    def doers(self, aid: str, window: str) -> list[str]:
        """The R of ``aid`` in ``window`` as the checks must see it: after hours only for 24x7 work or an explicit row."""
        business, after = self.rows.get(aid, ({self.default(): "A/R"}, None))
        if window == "after-hours":
            if self.coverage[aid] != "24x7" and after is None:
                return []
            business = after if after is not None else business
        return [p for p, r in business.items() if "R" in r]

    def default(self) -> str:
        return next(p for p in PARTIES if self.parties[p]["hours"] == "24x7")


def _row(business: dict[str, str], after: dict[str, str] | None) -> str:
    cells = [f"{p}: {r}" for p, r in business.items()]
    if after is not None:
        cells.append("after-hours: {" + ", ".join(f"{p}: {r}" for p, r in after.items()) + "}")
    return "{" + ", ".join(cells) + "}"


@st.composite
def cases(draw, staffed: bool = True) -> Case:
    """A well-formed engagement: every row has one A and an R in each window it is worked in, every night R of 24x7
    work is a party working 24x7, and (``staffed``) nobody holding work has no staff."""
    n = draw(st.integers(min_value=2, max_value=9))
    ids = [f"d.a{i}" for i in range(n)]
    coverage = {a: draw(st.sampled_from(["business-hours", "24x7"])) for a in ids}
    depends = {a: draw(st.lists(st.sampled_from(ids[:i]), unique=True, max_size=2)) if i else [] for i, a in enumerate(ids)}
    escalates = {a: draw(st.sampled_from([None, *ids[i + 1:]])) for i, a in enumerate(ids)}
    parties = {p: {"kind": draw(st.sampled_from(["client", "msp", "vendor"])),
                   "staff": draw(st.integers(min_value=1 if staffed else 0, max_value=4)),
                   "hours": draw(st.sampled_from(["business-hours", "24x7"]))} for p in PARTIES}
    if all(a["hours"] != "24x7" for a in parties.values()):
        parties[draw(st.sampled_from(PARTIES))]["hours"] = "24x7"
    night_workers = [p for p in PARTIES if parties[p]["hours"] == "24x7"]
    rows = {}
    for aid in draw(st.lists(st.sampled_from(ids), unique=True)):
        owner = draw(st.sampled_from(PARTIES))
        doers = draw(st.lists(st.sampled_from(PARTIES), min_size=1, max_size=3, unique=True))
        business = {p: ("A/R" if p == owner and p in doers else "A" if p == owner else "R" if p in doers else
                        draw(st.sampled_from(["C", "I", None]))) for p in PARTIES}
        business = {p: r for p, r in business.items() if r}
        after = None
        if coverage[aid] == "24x7" and (draw(st.booleans()) or not any(p in night_workers for p in doers)):
            night = draw(st.lists(st.sampled_from(night_workers), min_size=1, max_size=2, unique=True))
            after = {p: "R" if p in night else draw(st.sampled_from(["C", "I"])) for p in PARTIES if p in night or p in business}
        elif coverage[aid] == "business-hours" and draw(st.booleans()):
            after = {p: draw(st.sampled_from(["R", "C", "I"])) for p in draw(st.lists(st.sampled_from(PARTIES), min_size=1,
                                                                                         max_size=2, unique=True))}
        rows[aid] = (business, after)
    preset_rows = set(draw(st.lists(st.sampled_from(sorted(rows)), unique=True))) if rows else set()
    excluded = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n - 1))
    return Case(coverage, depends, escalates, parties, rows, excluded, preset_rows)


def findings(case: Case):
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in case.files().items():
            path = Path(tmp, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        catalog = load_catalog(tmp)
    return run_checks(resolve(loads_engagement(case.engagement(), catalog), catalog))


@SETTINGS
@given(cases())
def test_a_well_formed_matrix_draws_no_ownership_error(case):
    assert [f for f in findings(case) if f.rule in OWNERSHIP] == []


@SETTINGS
@given(cases(staffed=False))
def test_every_finding_carries_its_rules_severity_and_no_excluded_activity(case):
    for f in findings(case):
        assert f.severity == RULES[f.rule].severity
        assert f.activity is None or f.activity not in case.excluded


@SETTINGS
@given(cases(), st.data())
def test_a_planted_ownership_error_is_found_at_its_activity(case, data):
    aid = data.draw(st.sampled_from(case.in_scope()))
    kind = data.draw(st.sampled_from(["no-accountable", "multiple-accountable", "no-responsible"]))
    business, after = case.rows.get(aid, ({case.default(): "A/R"}, None))
    if kind == "no-accountable":
        business = {p: ("R" if r == "A/R" else r) for p, r in business.items() if r != "A"} or {"client-it": "R"}
        after = {p: r for p, r in (after or {}).items() if "A" not in r} or None
    elif kind == "multiple-accountable":
        other = next(p for p in PARTIES if "A" not in business.get(p, ""))
        business = {**business, other: "A"}
    else:
        business = {p: ("A" if r == "A/R" else "C" if r == "R" else r) for p, r in business.items()}
    case.rows[aid] = (business, after)
    case.preset_rows.discard(aid)
    found = [f for f in findings(case) if f.rule in OWNERSHIP]
    assert (kind, aid) in {(f.rule, f.activity) for f in found}
    assert {f.activity for f in found if f.rule != "uncovered-window"} == {aid}


def works_at_night(case: Case, tier: str) -> bool:
    return any(case.parties[p]["hours"] == "24x7" for p in case.doers(tier, "after-hours"))


@SETTINGS
@given(cases())
def test_an_unreachable_escalation_names_a_tier_up_the_chain_nobody_works_at_night(case):
    chains = nx.DiGraph((a, t) for a, t in case.escalates.items() if t and a not in case.excluded and t not in case.excluded)
    for f in findings(case):
        if f.rule != "escalation-unreachable-after-hours":
            continue
        assert case.coverage[f.activity] == "24x7"
        path = nx.shortest_path(chains, f.activity, f.related)
        assert not works_at_night(case, f.related)
        assert all(works_at_night(case, t) for t in path[1:-1])


@SETTINGS
@given(cases())
def test_escalations_from_24x7_work_that_only_reach_night_shifts_are_silent(case):
    chains = nx.DiGraph((a, t) for a, t in case.escalates.items() if t)
    chains.add_nodes_from(case.coverage)
    for aid in [a for a in case.coverage if case.coverage[a] == "24x7"]:
        for tier in nx.descendants(chains, aid):  # every tier up the chain gets a night shift
            case.rows[tier] = ({case.default(): "A/R"}, {case.default(): "R"})
            case.preset_rows.discard(tier)
    assert [f for f in findings(case) if f.rule == "escalation-unreachable-after-hours"] == []


def organisation(case: Case, pid: str) -> str:
    return "client" if case.parties[pid]["kind"] == "client" else pid


@SETTINGS
@given(cases())
def test_a_long_handoff_chain_follows_dependencies_across_three_organisations(case):
    depends = nx.DiGraph((a, d) for a, ds in case.depends.items() for d in ds
                         if a not in case.excluded and d not in case.excluded)
    for f in findings(case):
        if f.rule != "long-handoff-chain":
            continue
        # the finding names the ends of the chain; some dependency path between them crosses three organisations
        paths = nx.all_simple_paths(depends, f.activity, f.related) if f.activity in depends else []
        crossing = [p for p in paths if len({organisation(case, d) for a in p for d in case.doers(a, "business-hours")}) >= 3]
        assert crossing, f.message
        assert set(f.parties) == {d for a in crossing[0] for d in case.doers(a, "business-hours")} or len(crossing) > 1


@SETTINGS
@given(cases())
def test_single_point_of_failure_is_exactly_a_small_night_party_alone_on_five(case):
    expected = set()
    for pid, attrs in case.parties.items():
        alone = [a for a in case.in_scope() if case.coverage[a] == "24x7" and case.doers(a, "after-hours") == [pid]]
        if 0 < attrs["staff"] <= 2 and attrs["hours"] == "24x7" and len(alone) >= 5:
            expected.add(pid)
    assert {f.parties[0] for f in findings(case) if f.rule == "single-point-of-failure"} == expected


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.lists(st.sampled_from("abcdefgh"), max_size=3, unique=True), min_size=1))
def test_find_cycle_finds_a_real_cycle_exactly_when_there_is_one(edges):
    edges = {a: tuple(ts) for a, ts in edges.items()}
    g = nx.DiGraph()
    g.add_nodes_from(edges)
    g.add_edges_from((a, t) for a, ts in edges.items() for t in ts if t in edges)
    cycle = find_cycle(edges)
    if nx.is_directed_acyclic_graph(g):
        assert cycle is None
    else:
        assert cycle is not None and cycle[0] == cycle[-1]
        assert all(b in edges[a] for a, b in zip(cycle, cycle[1:]))
        order = list(edges)
        assert order.index(cycle[0]) == min(order.index(n) for n in cycle)
