"""The rules that walk the engagement's graph, each on a fixture built to show it (tests/data/checks/), and
silent on the bundled samples."""

from __future__ import annotations

import pytest
from paths import DATA, SAMPLES

from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.engagement import load_engagement, loads_engagement, resolve

CHECKS = DATA / "checks"
GRAPH_RULES = ("escalation-unreachable-after-hours", "long-handoff-chain", "single-point-of-failure")


@pytest.fixture(scope="module")
def graph_catalog():
    return load_catalog(CHECKS / "catalog")


def check(catalog, text: str):
    return run_checks(resolve(loads_engagement(text, catalog), catalog))


def fixture_text(name: str) -> str:
    return (CHECKS / f"{name}.raci.yaml").read_text(encoding="utf-8")


def brief(found):
    return [(f.rule, f.severity, f.activity, f.parties, f.window, f.message) for f in found]


@pytest.mark.parametrize("name", GRAPH_RULES)
def test_each_fixture_draws_its_rule_and_no_other_graph_rule(graph_catalog, name):
    found = check(graph_catalog, fixture_text(name))
    assert [f.rule for f in found] == [name]


def test_escalation_walked_to_a_tier_nobody_works_at_night(graph_catalog):
    found = check(graph_catalog, fixture_text("escalation-unreachable-after-hours"))
    assert brief(found) == [(
        "escalation-unreachable-after-hours", "warning", "ops.alerts", (), "after-hours",
        "Alert response must run around the clock, but its escalations reach Platform engineering, where nobody is "
        "responsible for it after hours: Alert response -> Incident triage -> Platform engineering.")]


def test_escalation_to_a_business_hours_party_names_it(graph_catalog):
    text = fixture_text("escalation-unreachable-after-hours").replace(
        "ops.engineering: {client-it: A/R, msp: C}", "ops.engineering: {client-it: A/R, after-hours: {client-it: R}}")
    found = [f for f in check(graph_catalog, text) if f.rule == "escalation-unreachable-after-hours"]
    assert [(f.parties, f.message) for f in found] == [(
        ("client-it",),
        "Alert response must run around the clock, but its escalations reach Platform engineering, where Acme IT works "
        "business hours only: Alert response -> Incident triage -> Platform engineering.")]


def test_escalation_reaching_a_night_shift_is_silent(graph_catalog):
    text = fixture_text("escalation-unreachable-after-hours").replace(
        "ops.engineering: {client-it: A/R, msp: C}", "ops.engineering: {client-it: A/R, after-hours: {msp: R}}")
    assert check(graph_catalog, text) == []


def test_escalation_break_at_an_uncovered_middle_tier_is_reported_from_each_side(graph_catalog):
    # triage has nobody at night: the walk from alerts stops there (uncovered-window reports triage itself)
    text = fixture_text("escalation-unreachable-after-hours") + "  ops.triage: {msp: A/R, after-hours: {client-it: R}}\n"
    found = [(f.rule, f.activity, f.related) for f in check(graph_catalog, text) if f.rule != "uncovered-window"]
    assert found == [("escalation-unreachable-after-hours", "ops.alerts", "ops.triage"),
                     ("escalation-unreachable-after-hours", "ops.triage", "ops.engineering")]


def test_long_handoff_chain_names_the_path_and_its_organisations(graph_catalog):
    found = check(graph_catalog, fixture_text("long-handoff-chain"))
    assert brief(found) == [(
        "long-handoff-chain", "info", "ops.reporting", ("client-it", "msp", "agent-vendor"), None,
        "Patch reporting waits on work that changes hands across 3 organisations: Patch reporting (Acme IT) -> "
        "Server patching (Contoso) -> Agent deployment (AgentCo).")]


def test_the_clients_own_parties_count_as_one_organisation(graph_catalog):
    text = fixture_text("long-handoff-chain").replace("kind: vendor", "kind: client")
    assert check(graph_catalog, text) == []


def test_single_point_of_failure_lists_the_activities(graph_catalog):
    found = check(graph_catalog, fixture_text("single-point-of-failure"))
    assert brief(found) == [(
        "single-point-of-failure", "warning", None, ("client-it",), "after-hours",
        "Acme IT (2 people) is the only party responsible after hours for 5 round-the-clock activities: Alert response, "
        "Incident triage, Backup job monitoring, Endpoint threat response, Network monitoring; one absence leaves them all "
        "uncovered.")]


@pytest.mark.parametrize(("change", "to"), [
    ("staff: 2, hours: 24x7}", "staff: 3, hours: 24x7}"),  # three people can hold a rota
    ("  ops.network: {msp: A/R, after-hours: {client-it: R, msp: I}}\n", ""),  # four activities, not five
    ("ops.edr: {msp: A/R, after-hours: {client-it: R, msp: I}}", "ops.edr: {msp: A/R, after-hours: {client-it: R, msp: R}}"),
])
def test_single_point_of_failure_needs_a_small_party_alone_on_five(graph_catalog, change, to):
    text = fixture_text("single-point-of-failure")
    assert change in text
    found = check(graph_catalog, text.replace(change, to))
    assert [f for f in found if f.rule == "single-point-of-failure"] == []


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.raci.yaml")))
def test_bundled_samples_draw_no_graph_rule(bundled_catalog, sample):
    matrix = resolve(load_engagement(SAMPLES / sample, bundled_catalog), bundled_catalog)
    assert [f.message for f in run_checks(matrix) if f.rule in GRAPH_RULES] == []


def test_a_chain_whose_first_activity_carries_two_organisations_keeps_it_in_the_path():
    # found by hypothesis: a4 (IT and the MSP) -> a3 (IT) -> a1 (leadership's vendor) crosses three organisations only
    # with a4's second owner, so cutting the path at the first hand-off reported two
    import networkx as nx

    from raci.checks.graph import crossing_paths

    links = nx.DiGraph([("a4", "a3"), ("a3", "a1")])
    owners = {"a4": frozenset({"it", "msp"}), "a3": frozenset({"it"}), "a1": frozenset({"vendor"})}
    assert crossing_paths(links, owners) == [["a4", "a3", "a1"]]
    # where the first hand-off comes after a stretch of one owner, the path starts just before it
    links.add_edge("a5", "a4")
    owners["a5"] = frozenset({"it"})
    owners["a4"] = frozenset({"it"})
    owners["a3"] = frozenset({"msp"})
    assert crossing_paths(links, owners) == [["a4", "a3", "a1"]]
