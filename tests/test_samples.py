"""The bundled sample engagements: the clean ones check clean, the co-managed clinic shows its planted gaps."""

from __future__ import annotations

import pytest
from paths import SAMPLES

from raci.checks import run_checks
from raci.engagement import load_engagement, resolve


def check(catalog, name):
    return run_checks(resolve(load_engagement(SAMPLES / name, catalog), catalog))


@pytest.mark.parametrize("name", ["harbor-dental-fully-managed.raci.yaml", "northwind-in-house.raci.yaml",
                                  "alder-co-managed.raci.yaml"])
def test_preset_family_samples_check_clean(bundled_catalog, name):
    assert [f for f in check(bundled_catalog, name) if f.severity != "info"] == []


def test_clinic_sample_shows_every_planted_gap(bundled_catalog):
    found = {(f.rule, f.activity) for f in check(bundled_catalog, "riverside-clinic.raci.yaml") if f.severity != "info"}
    assert found == {
        ("uncovered-window", "monitoring.alert-response"),
        ("compliance-gap", "security.log-retention"),
        ("no-accountable", "identity.leavers"),
        ("compliance-gap", "identity.leavers"),
        ("shared-responsible", "identity.leavers"),
        ("no-accountable", "backup.restore-testing"),
        ("compliance-gap", "backup.restore-testing"),
        ("shared-responsible", "backup.restore-testing"),
        ("multiple-accountable", "vendors.lob-support"),
        ("non-delegable", "compliance.attestation"),
        ("overloaded-party", None),
        ("sla-on-client-row", "servicedesk.tier1"),
        ("sla-on-client-row", "monitoring.alert-response"),
        ("sla-on-client-row", "backup.user-restores"),
    }


def test_clinic_sample_has_what_a_real_client_has(bundled_catalog):
    eng = load_engagement(SAMPLES / "riverside-clinic.raci.yaml", bundled_catalog)
    assert len(eng.parties) >= 3 and any(p.kind == "vendor" for p in eng.parties.values())
    assert any(row.after_hours for row in eng.assignments.values())
    assert eng.exclusions and eng.sla and eng.notes
    assert "hipaa" in eng.profile.compliance
