"""The bundled catalog and presets: breadth, every SPEC 4 function present, every preset and pair checks clean."""

from __future__ import annotations

import itertools

import pytest

from raci.checks import run_checks
from raci.compose import compose
from raci.engagement import new_engagement, resolve

CO_MANAGED = [
    "co-managed-tools-only", "co-managed-tier3-escalation", "co-managed-after-hours",
    "co-managed-project-augmentation", "co-managed-hybrid-expertise", "co-managed-strategic-partnership",
    "co-managed-capacity",
]

# Every function SPEC section 4 names, and the catalog activity that covers it.
SPEC_FUNCTIONS = {
    "service desk tier 1": "servicedesk.tier1", "tier 2": "servicedesk.tier2", "tier 3": "servicedesk.tier3",
    "on-site support": "onsite.deskside", "24/7 monitoring and alerting": "monitoring.alert-response",
    "OS patching": "patching.os-servers", "third-party patching": "patching.third-party",
    "endpoint protection/EDR": "endpoint.edr-deployment", "SOC / SIEM / MDR": "security.alert-triage",
    "vulnerability management": "vulnerability.scanning", "incident response": "incident.triage",
    "joiners": "identity.joiners", "movers": "identity.movers", "leavers": "identity.leavers", "MFA": "identity.mfa",
    "privileged access": "identity.privileged-access", "email and Microsoft 365": "email.admin",
    "network and firewall": "network.firewall", "servers": "infrastructure.servers-directory",
    "cloud infrastructure": "infrastructure.cloud-operations", "backup": "backup.job-monitoring",
    "disaster recovery": "continuity.dr-plan", "restore testing": "backup.restore-testing",
    "business continuity": "continuity.bcp-tabletop", "hardware asset management": "assets.hardware-inventory",
    "software asset management": "assets.software-inventory", "procurement": "procurement.sourcing",
    "license management": "licensing.tracking", "ISP vendor management": "network.isp-carrier",
    "line-of-business apps": "vendors.lob-support", "SaaS vendors": "vendors.saas-admin",
    "documentation": "documentation.runbooks", "change management": "change.approval",
    "RMM/PSA tooling": "tooling.rmm-platform", "security awareness training": "awareness.training",
    "policy management": "governance.policy-authoring", "compliance evidence": "compliance.evidence",
    "compliance reporting": "compliance.reporting", "vCIO strategy and roadmap": "strategy.roadmap",
    "budget": "strategy.budget-planning", "quarterly business reviews": "strategy.business-reviews",
    "migrations": "projects.cloud-migration", "office moves": "projects.office-move",
    "risk acceptance": "governance.risk-acceptance", "budget approval": "strategy.budget-approval",
    "policy approval": "governance.policy-approval", "data ownership": "governance.data-ownership",
    "compliance attestation": "compliance.attestation",
    # issue 13: what the market articles name and the catalog lacked
    "onboarding and knowledge transfer": "documentation.onboarding-transfer",
    "monthly service review": "governance.service-review", "BYOD policy": "endpoint.byod",
    "help-desk overflow": "servicedesk.overflow", "absence and holiday cover": "servicedesk.absence-cover",
    "preventive maintenance": "monitoring.preventive-maintenance",
}


def test_breadth(bundled_catalog):
    assert len(bundled_catalog.activities) >= 70
    assert len(bundled_catalog.domains) >= 14
    assert len(bundled_catalog.presets) == 9


@pytest.mark.parametrize(("function", "activity"), sorted(SPEC_FUNCTIONS.items()))
def test_every_spec_function_is_in_the_catalog(bundled_catalog, function, activity):
    assert activity in bundled_catalog.activities, function


def test_activities_are_fully_described(bundled_catalog):
    aliases: dict[str, str] = {}
    for act in bundled_catalog.activities.values():
        assert len(act.description) > 30, act.id
        assert len(act.aliases) >= 3, act.id
        for alias in act.aliases:
            assert aliases.setdefault(alias.lower(), act.id) == act.id, f"alias {alias!r} used twice"
    tiers = [a for a in bundled_catalog.activities.values() if a.escalates_to]
    assert {a.id for a in tiers} >= {"servicedesk.tier1", "servicedesk.tier2"}


def test_decisions_the_client_cannot_hand_over_are_non_delegable(bundled_catalog):
    nd = {a.id for a in bundled_catalog.activities.values() if a.non_delegable}
    assert nd >= {"governance.risk-acceptance", "strategy.budget-approval", "governance.policy-approval",
                  "governance.data-ownership", "compliance.attestation", "compliance.agreements"}


def test_sec_and_finra_rules_are_a_framework_with_activities(bundled_catalog):
    assert bundled_catalog.frameworks["sec-finra"].startswith("SEC and FINRA")
    tagged = {a.id for a in bundled_catalog.activities.values() if "sec-finra" in a.frameworks}
    assert {"continuity.bcp-tabletop", "incident.breach-notification", "backup.design", "compliance.evidence"} <= tagged


def test_capacity_preset_adds_hands_and_leaves_the_desk_accountable_inside(bundled_catalog):
    from raci.compose import compose

    rows = compose(bundled_catalog, ["co-managed-capacity"]).rows
    for aid in ("servicedesk.overflow", "servicedesk.absence-cover", "monitoring.preventive-maintenance"):
        assert rows[aid].business == {"client-it": "A", "msp": "R"}, aid
    assert rows["servicedesk.tier1"].business == {"client-it": "A/R", "client-exec": "I"}


def test_every_co_managed_preset_onboards_the_provider_and_reviews_the_service(bundled_catalog):
    from raci.compose import compose

    for pid in CO_MANAGED:
        rows = compose(bundled_catalog, [pid]).rows
        assert rows["documentation.onboarding-transfer"].business.get("msp") == "R", pid
        assert rows["governance.service-review"].business.get("msp") == "R", pid


def test_co_managed_presets_extend_in_house(bundled_catalog):
    for pid in CO_MANAGED:
        assert bundled_catalog.presets[pid].extends == "in-house"
    assert bundled_catalog.presets["fully-managed"].extends is None


def errors_of(catalog, presets, it_hours="24x7"):
    eng = new_engagement(catalog, presets, "Acme", "Contoso", it_hours=it_hours)
    return [f for f in run_checks(resolve(eng, catalog)) if f.severity == "error"]


# SPEC 4: every preset alone and every pair is free of errors when the client's people work the hours the
# arrangement needs (an internal team on call at night where the preset leaves nights to it).
@pytest.mark.parametrize("preset", ["fully-managed", "in-house", *CO_MANAGED])
def test_every_preset_alone_checks_without_error(bundled_catalog, preset):
    assert errors_of(bundled_catalog, [preset]) == []


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(CO_MANAGED, 2)))
def test_every_pair_of_co_managed_presets_checks_without_error(bundled_catalog, first, second):
    assert errors_of(bundled_catalog, [first, second]) == []


NIGHT_COVER = ("fully-managed", "co-managed-after-hours")


@pytest.mark.parametrize("preset", ["fully-managed", "in-house", *CO_MANAGED])
def test_with_a_business_hours_team_the_only_errors_are_the_nights_nobody_covers(bundled_catalog, preset):
    found = errors_of(bundled_catalog, [preset], "business-hours")
    assert {f.rule for f in found} <= {"uncovered-window"}
    assert all(bundled_catalog.activities[f.activity].coverage == "24x7" for f in found)
    assert (found == []) == (preset in NIGHT_COVER)


def test_a_business_hours_in_house_team_leaves_six_round_the_clock_activities_uncovered(bundled_catalog):
    found = errors_of(bundled_catalog, ["in-house"], "business-hours")
    assert [f.activity for f in found] == [
        "servicedesk.after-hours", "monitoring.alert-response", "endpoint.edr-response", "security.alert-triage",
        "security.containment", "incident.triage",
    ]


@pytest.mark.parametrize("first", [p for p in CO_MANAGED if p != "co-managed-after-hours"])
def test_after_hours_cover_closes_the_night_gap_of_every_co_managed_preset(bundled_catalog, first):
    assert errors_of(bundled_catalog, [first, "co-managed-after-hours"], "business-hours") == []
    assert errors_of(bundled_catalog, ["co-managed-after-hours", first], "business-hours") == []


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(CO_MANAGED, 2)))
def test_bundled_co_managed_presets_never_contradict_each_other(bundled_catalog, first, second):
    # where two set the same window of an activity they agree, so their order does not matter
    assert compose(bundled_catalog, [first, second]).overrides == []
    assert compose(bundled_catalog, [first, second]).rows == compose(bundled_catalog, [second, first]).rows


def test_presets_that_agree_on_a_window_report_no_override(bundled_catalog):
    # tier 3 already has the MSP on alerts at night; the after-hours preset says the same, so nothing is overridden
    eng = new_engagement(bundled_catalog, ["co-managed-tier3-escalation", "co-managed-after-hours"], "Acme", "Contoso")
    assert [f for f in run_checks(resolve(eng, bundled_catalog)) if f.rule == "preset-override"] == []


def test_after_hours_preset_hands_nights_to_the_msp(bundled_catalog):
    eng = new_engagement(bundled_catalog, ["co-managed-after-hours"], "Acme", "Contoso")
    matrix = resolve(eng, bundled_catalog)
    for aid, act in bundled_catalog.activities.items():
        if act.coverage == "24x7":
            assert matrix.rows[aid].window("after-hours").get("msp") == "R", aid
            assert matrix.rows[aid].business.get("client-it") == "A/R", aid
    assert eng.parties["client-it"].hours == "business-hours"
