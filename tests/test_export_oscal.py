"""``raci export --to oscal``: an OSCAL system security plan that OSCAL's own models (compliance-trestle) accept, with
the provider's side exported as ``provided`` and the client's as ``responsibilities``."""

from __future__ import annotations

import copy
import json

import pytest
from paths import DATA, SAMPLES

ssp_model = pytest.importorskip("trestle.oscal.ssp", reason="compliance-trestle is in the test extra: pip install -e '.[test]'")

RIVERSIDE = SAMPLES / "riverside-clinic.raci.yaml"
SOC = DATA / "export" / "soc-vendor.raci.yaml"
HOSTILE = DATA / "export" / "hostile.raci.yaml"


def _ssp(run, tmp_path, engagement, name="ssp.json"):
    out = tmp_path / name
    res = run("export", engagement, "--to", "oscal", "-o", out)
    assert res.exit_code == 0, res.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def _validate(doc: dict) -> None:
    ssp_model.SystemSecurityPlan.model_validate(doc["system-security-plan"])


@pytest.mark.parametrize("engagement", [RIVERSIDE, SOC, HOSTILE], ids=["riverside", "soc-vendor", "hostile"])
def test_the_ssp_is_valid_against_oscal_models(run, tmp_path, engagement):
    _validate(_ssp(run, tmp_path, engagement))


def test_the_validator_would_catch_a_broken_plan(run, tmp_path):
    """The models are strict enough to matter: a requirement without a control id, an unknown field, a bad UUID."""
    doc = _ssp(run, tmp_path, RIVERSIDE)
    for damage in (lambda p: p["control-implementation"]["implemented-requirements"][0].pop("control-id"),
                   lambda p: p["metadata"].__setitem__("owner", "raci"),
                   lambda p: p.__setitem__("uuid", "not-a-uuid")):
        broken = copy.deepcopy(doc)
        damage(broken["system-security-plan"])
        with pytest.raises(ValueError):
            _validate(broken)


def _requirement(doc, control_id):
    reqs = doc["system-security-plan"]["control-implementation"]["implemented-requirements"]
    return next(r for r in reqs if r["control-id"] == control_id)


def test_provider_side_is_provided_and_client_side_is_responsibilities(run, tmp_path):
    doc = _ssp(run, tmp_path, SOC)
    meta = doc["system-security-plan"]["metadata"]
    parties = {p["uuid"]: p["name"] for p in meta["parties"]}
    assert sorted(parties.values()) == ["Birch IT", "Birch leadership", "Contoso", "Sentinel SOC"]
    assert [r["id"] for r in meta["roles"]] == ["responsible", "accountable", "consulted", "informed"]
    assert meta["remarks"].startswith("Made by raci 0.1.0 from soc-vendor.raci.yaml (engagement version 3.0")
    assert meta["version"] == "3.0"

    def roles(item):
        return {r["role-id"]: sorted(parties[u] for u in r["party-uuids"]) for r in item.get("responsible-roles", [])}

    (shared,) = _requirement(doc, "au-11")["by-components"]
    (provided,) = shared["export"]["provided"]
    (resp,) = shared["export"]["responsibilities"]
    assert roles(provided) == {"responsible": ["Sentinel SOC"]}
    assert roles(resp) == {"responsible": ["Birch IT"], "accountable": ["Birch IT"]}
    assert resp["provided-uuid"] == provided["uuid"]
    assert resp["description"] == ("Security log retention: Birch IT accountable and responsible (A/R). Note: Birch IT sets "
                                   "the retention period; Sentinel keeps the logs.")
    (siem,) = _requirement(doc, "au-2")["by-components"]
    assert list(siem["export"]) == ["provided"]
    assert roles(siem["export"]["provided"][0]) == {"responsible": ["Sentinel SOC"], "accountable": ["Sentinel SOC"],
                                                    "informed": ["Contoso"]}
    (excluded,) = _requirement(doc, "cp-9.1")["by-components"]  # restore testing is out of scope: the client's
    assert list(excluded["export"]) == ["responsibilities"]
    assert excluded["implementation-status"] == {"state": "planned"}
    assert excluded["export"]["responsibilities"][0]["description"] == (
        "Restore testing: out of scope of this engagement (excluded); Birch Logistics must arrange it.")


def test_statement_parts_become_statements_of_their_control(run, tmp_path):
    """AC-2(g) sits on security alert triage in the crosswalk: a statement ac-2_smt.g of control ac-2."""
    doc = _ssp(run, tmp_path, SOC)
    statements = {s["statement-id"]: s for s in _requirement(doc, "ac-2").get("statements", [])}
    (bc,) = statements["ac-2_smt.g"]["by-components"]
    assert bc["props"] == [{"name": "raci-activity", "ns": "https://raci.invalid/ns/oscal", "value": "security.alert-triage"}]


def test_the_same_engagement_gives_the_same_document(run, tmp_path, monkeypatch):
    """UUIDs come from the engagement, and SOURCE_DATE_EPOCH fixes last-modified: two runs are byte-identical."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")
    a = _ssp(run, tmp_path, RIVERSIDE, "a.json")
    b = _ssp(run, tmp_path, RIVERSIDE, "b.json")
    assert a == b
    assert a["system-security-plan"]["metadata"]["last-modified"] == "2026-12-01T00:00:00+00:00"
    uuids = [r["uuid"] for r in a["system-security-plan"]["control-implementation"]["implemented-requirements"]]
    assert len(set(uuids)) == len(uuids)
