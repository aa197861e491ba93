"""`sla-on-client-row`: a provider's service level on a row it holds no R or A for binds nobody in the contract."""

from __future__ import annotations

import json

from paths import DATA, MINI

from raci.checks import RULES, run_checks
from raci.engagement import load_engagement, resolve

D = DATA / "checks_commercial"


def found(catalog, name):
    matrix = resolve(load_engagement(D / name, catalog), catalog)
    return [f for f in run_checks(matrix) if f.rule == "sla-on-client-row"]


def test_an_sla_on_work_the_client_or_a_vendor_does_is_a_warning(mini_catalog):
    assert [(f.activity, f.severity, f.parties, f.message) for f in found(mini_catalog, "sla-client-row.raci.yaml")] == [
        ("servicedesk.tier1", "warning", ("msp",),
         "The service level on Tier 1 support binds Contoso to work it holds no R or A for; the work belongs to Acme IT."),
        ("servicedesk.tier2", "warning", ("msp",),
         "The service level on Tier 2 support binds Contoso to work it holds no R or A for; the work belongs to ChartWell."),
    ]
    # tier 3 (R) and patching (A) are the MSP's; the excluded row is out of scope


def test_without_a_provider_the_targets_are_internal_standards(mini_catalog):
    assert found(mini_catalog, "in-house-standards.raci.yaml") == []


def test_the_rule_is_registered_as_a_warning_and_explains_itself():
    rule = RULES["sla-on-client-row"]
    assert rule.severity == "warning"
    assert rule.explain.startswith("A service level on an activity the MSP holds no R or A for, in either window.")


def test_check_reports_it_and_fails_on_warning(run):
    result = run("check", D / "sla-client-row.raci.yaml", "--format", "json", "--fail-on", "warning", catalog=MINI)
    assert result.exit_code == 1
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert rules == ["sla-on-client-row", "sla-on-client-row"]
