"""Each rule of SPEC section 7 on small engagements of the mini catalog: what it finds, and what it leaves alone."""

from __future__ import annotations

import textwrap

from raci.checks import build_graph, run_checks
from raci.engagement import loads_engagement, resolve

BASE = """
client: Acme
provider: Contoso
effective: 2026-12-01
presets: [{presets}]
profile: {{employees: 120, it_staff: 2, compliance: [{compliance}]}}
parties:
  client-exec: {{name: Acme leadership, kind: client, staff: 3, hours: business-hours}}
  client-it: {{name: Acme IT, kind: client, staff: {it_staff}, hours: {it_hours}}}
  msp: {{name: Contoso, kind: msp, staff: 40, hours: 24x7}}
{extra}
"""


def findings(catalog, extra: str = "", presets: str = "co-managed-tier3-escalation, co-managed-after-hours",
             compliance: str = "", it_staff: int = 2, it_hours: str = "business-hours", rule: str | None = None):
    text = BASE.format(presets=presets, compliance=compliance, it_staff=it_staff, it_hours=it_hours,
                       extra=textwrap.dedent(extra))
    matrix = resolve(loads_engagement(text, catalog), catalog)
    found = run_checks(matrix)
    return [f for f in found if rule is None or f.rule == rule]


def brief(found):
    return [(f.rule, f.activity, f.parties, f.window, f.message) for f in found]


def test_clean_engagement_has_only_the_preset_override_info(mini_catalog):
    assert [(f.rule, f.severity) for f in findings(mini_catalog)] == [("preset-override", "info")]


def test_an_engagement_with_no_effective_date_is_warned_before_it_is_signed(mini_catalog):
    text = BASE.format(presets="in-house", compliance="", it_staff=2, it_hours="business-hours", extra="")
    undated = resolve(loads_engagement(text.replace("effective: 2026-12-01\n", "effective: null\n"), mini_catalog), mini_catalog)
    assert [(f.rule, f.severity, f.activity, f.message) for f in run_checks(undated, ["no-effective-date"])] == [
        ("no-effective-date", "warning", None,
         "The engagement has no effective date: set 'effective' (e.g. 2026-12-01) before it is signed."),
    ]
    dated = resolve(loads_engagement(text, mini_catalog), mini_catalog)
    assert run_checks(dated, ["no-effective-date"]) == []


def test_graph_holds_activities_parties_roles_and_dependencies(mini_catalog):
    text = BASE.format(presets="co-managed-after-hours", compliance="", it_staff=2, it_hours="business-hours", extra="")
    g = build_graph(resolve(loads_engagement(text, mini_catalog), mini_catalog))
    assert g.nodes[("activity", "monitoring.patching")]["kind"] == "activity"
    assert g.nodes[("party", "msp")]["kind"] == "party"
    assert g.edges[("party", "msp"), ("activity", "monitoring.alert-response")] == {"roles": {"after-hours": "R"}}
    assert g.edges[("party", "client-it"), ("activity", "monitoring.alert-response")] == {
        "roles": {"business-hours": "A/R", "after-hours": "I"}}
    assert g.edges[("activity", "monitoring.patching"), ("activity", "monitoring.rmm-agent")] == {"kinds": ["depends_on"]}
    assert g.edges[("activity", "servicedesk.tier1"), ("activity", "servicedesk.tier2")] == {"kinds": ["escalates_to"]}


def test_no_accountable(mini_catalog):
    found = findings(mini_catalog, "assignments: {monitoring.patching: {msp: R, client-it: C}}", rule="no-accountable")
    assert brief(found) == [("no-accountable", "monitoring.patching", (), None, "Nobody is accountable for Server patching.")]


def test_multiple_accountable_counts_both_windows(mini_catalog):
    extra = "assignments: {monitoring.alert-response: {client-it: A/R, after-hours: {msp: A/R}}}"
    found = findings(mini_catalog, extra, rule="multiple-accountable")
    assert brief(found) == [("multiple-accountable", "monitoring.alert-response", ("client-it", "msp"), None,
                             "Acme IT and Contoso are all accountable for Alert response; exactly one party must be.")]


def test_no_responsible(mini_catalog):
    found = findings(mini_catalog, "assignments: {servicedesk.tier2: {client-it: A, msp: C}}", rule="no-responsible")
    assert brief(found) == [("no-responsible", "servicedesk.tier2", (), "business-hours",
                             "Nobody is responsible for doing Tier 2 support during business hours.")]


def test_uncovered_window_business_hours_party(mini_catalog):
    found = findings(mini_catalog, presets="in-house", rule="uncovered-window")
    assert brief(found) == [("uncovered-window", "monitoring.alert-response", ("client-it",), "after-hours",
                             "Alert response must run around the clock, but Acme IT works business hours only.")]
    assert findings(mini_catalog, presets="in-house", it_hours="24x7", rule="uncovered-window") == []


def test_uncovered_window_nobody_after_hours(mini_catalog):
    extra = "assignments: {monitoring.alert-response: {client-it: A/R, after-hours: {client-it: I}}}"
    found = findings(mini_catalog, extra, rule="uncovered-window")
    assert brief(found) == [("uncovered-window", "monitoring.alert-response", (), "after-hours",
                             "Alert response must run around the clock, but nobody is responsible for it after hours.")]


def test_no_capacity(mini_catalog):
    found = findings(mini_catalog, presets="co-managed-after-hours", it_staff=0, rule="no-capacity")
    assert [f.activity for f in found] == [
        "servicedesk.tier1", "servicedesk.tier2", "servicedesk.tier3", "monitoring.rmm-agent",
        "monitoring.alert-response", "monitoring.patching", "governance.risk-acceptance", "governance.policy-authoring"]
    assert found[0].message == "Acme IT has no staff but holds A/R for Tier 1 support."
    assert found[0].parties == ("client-it",)


def test_non_delegable(mini_catalog):
    found = findings(mini_catalog, "assignments: {governance.risk-acceptance: {msp: A/R, client-exec: I}}", rule="non-delegable")
    assert brief(found) == [("non-delegable", "governance.risk-acceptance", ("msp",), None,
                             "Risk acceptance is a decision the client cannot hand over, but Contoso is accountable for it.")]


def test_shared_responsible_unless_a_note_splits_the_work(mini_catalog):
    extra = "assignments: {monitoring.patching: {msp: A/R, client-it: R}}"
    found = findings(mini_catalog, extra, rule="shared-responsible")
    assert brief(found) == [("shared-responsible", "monitoring.patching", ("client-it", "msp"), "business-hours",
                             "Acme IT and Contoso are both responsible for Server patching during business hours and no note says "
                             "how the work is split, so expect it to be done (and billed) twice.")]
    noted = extra + "\nnotes: {monitoring.patching: \"Contoso patches servers; Acme IT patches the lab.\"}"
    assert findings(mini_catalog, noted, rule="shared-responsible") == []


def test_dependency_handoff(mini_catalog):
    extra = "assignments: {monitoring.patching: {msp: A/R}}"
    found = findings(mini_catalog, extra, rule="dependency-handoff")
    assert brief(found) == [("dependency-handoff", "monitoring.patching", ("msp", "client-it"), None,
                             "Server patching (Contoso) depends on RMM agent deployment (Acme IT), but neither is consulted or "
                             "informed on the other's work; agree the handoff.")]
    informed = "assignments: {monitoring.patching: {msp: A/R, client-it: I}}"
    assert findings(mini_catalog, informed, rule="dependency-handoff") == []


def test_excluded_dependency(mini_catalog):
    found = findings(mini_catalog, "exclusions: [monitoring.rmm-agent]", rule="excluded-dependency")
    assert brief(found) == [
        ("excluded-dependency", "monitoring.alert-response", (), None,
         "Alert response is in scope but depends on RMM agent deployment, which is excluded."),
        ("excluded-dependency", "monitoring.patching", (), None,
         "Server patching is in scope but depends on RMM agent deployment, which is excluded."),
    ]


def test_escalation_dead_end(mini_catalog):
    found = findings(mini_catalog, "assignments: {servicedesk.tier3: {client-it: A, msp: I}}", rule="escalation-dead-end")
    assert brief(found) == [("escalation-dead-end", "servicedesk.tier2", (), None,
                             "Tier 2 support escalates to Tier 3 support, which nobody is responsible for.")]
    excluded = findings(mini_catalog, "exclusions: [servicedesk.tier3]", rule="escalation-dead-end")
    assert [f.message for f in excluded] == [
        "Tier 2 support escalates to Tier 3 support, which is excluded, so escalations have nowhere to go."]


def test_compliance_gap(mini_catalog):
    extra = "exclusions: [governance.policy-authoring]\nassignments: {monitoring.patching: {msp: R, client-it: I}}"
    found = findings(mini_catalog, extra, compliance="hipaa, pci", rule="compliance-gap")
    assert brief(found) == [
        ("compliance-gap", "monitoring.patching", (), None, "HIPAA Security Rule needs Server patching, but nobody owns it."),
        ("compliance-gap", "monitoring.patching", (), None, "PCI DSS needs Server patching, but nobody owns it."),
        ("compliance-gap", "governance.policy-authoring", (), None,
         "HIPAA Security Rule needs Security policy authoring, but it is excluded from this engagement."),
        ("compliance-gap", "governance.policy-authoring", (), None,
         "PCI DSS needs Security policy authoring, but it is excluded from this engagement."),
    ]
    assert findings(mini_catalog, extra, rule="compliance-gap") == []


def test_idle_party(mini_catalog):
    found = findings(mini_catalog, presets="in-house", it_hours="24x7", rule="idle-party")
    assert brief(found) == [("idle-party", None, ("msp",), None,
                             "Contoso is not responsible or accountable for anything; remove it or give it work.")]


def test_overloaded_party_threshold_is_configurable(mini_catalog):
    found = findings(mini_catalog, "thresholds: {r_per_staff: 2}", it_staff=2, rule="overloaded-party")
    assert brief(found) == [("overloaded-party", None, ("client-it",), None,
                             "Acme IT is responsible for 7 activities with 2 people, more than the 2 per person this engagement "
                             "allows.")]
    assert findings(mini_catalog, "thresholds: {r_per_staff: 4}", rule="overloaded-party") == []
    assert findings(mini_catalog, rule="overloaded-party") == []  # default: 30 per person


def test_preset_override_is_info(mini_catalog):
    found = findings(mini_catalog, rule="preset-override")
    assert brief(found) == [("preset-override", "monitoring.alert-response", (), None,
                             "Both co-managed-tier3-escalation and co-managed-after-hours set Alert response; "
                             "co-managed-after-hours comes later and wins.")]
    assert found[0].severity == "info"


def test_excluded_activities_draw_no_ownership_findings(mini_catalog):
    extra = "assignments: {monitoring.patching: {msp: R, client-it: R}}\nexclusions: [monitoring.patching]"
    assert [f for f in findings(mini_catalog, extra) if f.activity == "monitoring.patching"] == []
