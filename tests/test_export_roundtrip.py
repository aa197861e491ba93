"""Every export is read back by ``raci audit`` with the same owners: the Riverside sample, and an engagement whose
MSP subcontracts its SOC (third-party rows), in every format."""

from __future__ import annotations

import json

import pytest
from paths import DATA, SAMPLES

from raci.contracts.audit import audit
from raci.engagement import load_engagement, resolve
from raci.exports import SUFFIXES, Rows
from raci.exports.cmmc_md import practice_id
from raci.exports.oscal import oscal_id
from raci.exports.rows import CLIENT, PROVIDER, THIRD

RIVERSIDE = SAMPLES / "riverside-clinic.raci.yaml"
SOC = DATA / "export" / "soc-vendor.raci.yaml"
CONTROL_FORMATS = {"oscal": "nist-800-53", "fedramp-crm": "nist-800-53", "caiq": "csa-ccm", "cmmc-md": "nist-800-171"}
# a third party is on the provider's side in the formats that know only CSP and customer; CAIQ names it, unless it
# shares the row with the client (CAIQ has no "Shared CSC and 3rd-party")
THIRD_READ_AS = {"oscal": PROVIDER, "fedramp-crm": PROVIDER, "caiq": THIRD, "cmmc-md": PROVIDER}
SIDE_OF_KIND = {"msp": PROVIDER, "client": CLIENT, "vendor": THIRD}


def _label(fmt: str, control: str) -> str:
    """The row label the audit reads for a control, as each format writes the control."""
    if fmt == "cmmc-md":
        return practice_id(control)
    if fmt == "oscal":
        base, _, part = control.partition("(")
        if part[:1].isalpha():  # a statement part: AC-2(g) -> ac-2_smt.g
            return f"{oscal_id(base)}_smt.{part[0]}"
        return oscal_id(control)
    return control


def _exported(run, tmp_path, engagement, fmt):
    out = tmp_path / f"export{SUFFIXES[fmt]}"
    res = run("export", engagement, "--to", fmt, "-o", out)
    assert res.exit_code == 0, res.stderr
    return out


def _doers(roles: dict[str, str]) -> list[str]:
    return [p for p, r in roles.items() if "R" in r] or [p for p, r in roles.items() if "A" in r]


@pytest.mark.parametrize("engagement", [RIVERSIDE, SOC], ids=["riverside", "soc-vendor"])
@pytest.mark.parametrize("fmt", sorted(CONTROL_FORMATS))
def test_control_exports_are_audited_with_the_same_owners(run, tmp_path, bundled_catalog, engagement, fmt):
    matrix = resolve(load_engagement(engagement, bundled_catalog), bundled_catalog)
    rows = Rows(matrix, str(engagement))
    expected = {}
    for row in rows.control_rows(CONTROL_FORMATS[fmt]):
        sides = rows.sides(row)
        third = PROVIDER if CLIENT in sides else THIRD_READ_AS[fmt]
        sides = {third if s == THIRD else s for s in sides}
        expected[_label(fmt, row.control)] = (row.activity, sides)
    report = audit([str(_exported(run, tmp_path, engagement, fmt))], bundled_catalog)
    assert report.problems == []
    (doc,) = report.documents
    kinds = {p.id: SIDE_OF_KIND[p.kind] for p in doc.document.parties}
    read = {r.row.label: (r.match.activity, {kinds[p] for p in _doers(r.row.roles)}) for r in doc.rows}
    assert read == expected
    assert len(expected) > 80


def test_the_soc_vendor_fixture_uses_every_ownership_value(run, tmp_path, bundled_catalog):
    """The round trip above is only worth something if the fixture reaches every side: provider, client, third party,
    each pair, and an excluded activity."""
    matrix = resolve(load_engagement(SOC, bundled_catalog), bundled_catalog)
    rows = Rows(matrix, str(SOC))
    seen = {frozenset(rows.sides(r)) for r in rows.control_rows("csa-ccm")}
    assert seen >= {frozenset({PROVIDER}), frozenset({CLIENT}), frozenset({THIRD}), frozenset({PROVIDER, THIRD}),
                    frozenset({CLIENT, THIRD}), frozenset({PROVIDER, CLIENT})}
    assert any(r.excluded for r in rows.control_rows("nist-800-53"))


@pytest.mark.parametrize("engagement", [RIVERSIDE, SOC], ids=["riverside", "soc-vendor"])
def test_the_long_csv_is_audited_with_the_same_letters_per_party(run, tmp_path, bundled_catalog, engagement):
    """The long form (one row a role) is read back as the grid it stands for: every in-scope activity, every party's
    business-hours letter, and after-hours roles in the row's notes."""
    matrix = resolve(load_engagement(engagement, bundled_catalog), bundled_catalog)
    names = {pid: p.name for pid, p in matrix.engagement.parties.items()}
    expected = {aid: {names[p]: r for p, r in matrix.rows[aid].business.items()} for aid in matrix.in_scope()}
    expected = {aid: roles for aid, roles in expected.items() if roles}
    report = audit([str(_exported(run, tmp_path, engagement, "csv"))], bundled_catalog)
    (doc,) = report.documents
    headers = {p.id: p.header for p in doc.document.parties}
    read = {r.match.activity: {headers[p]: role for p, role in r.row.roles.items()} for r in doc.rows}
    assert read == expected
    leavers = next(r for r in doc.rows if r.match.activity == "identity.leavers")
    if engagement == RIVERSIDE:
        assert leavers.row.note == "after hours: Riverside IT I, Cascade Managed IT R"


def test_the_riverside_gaps_survive_every_export(run, tmp_path, bundled_catalog):
    """What the engagement gets wrong, the audit of its export still finds: the MSP signing the HIPAA attestation
    (non-delegable) in every control format, and the two accountable parties of EHR support in the long CSV."""
    for fmt in ("oscal", "fedramp-crm"):  # the attestation is NIST SP 800-53 CA-6; CCM and 800-171 do not name it
        folder = tmp_path / fmt
        folder.mkdir()
        res = run("audit", _exported(run, folder, RIVERSIDE, fmt), "--format", "json")
        rules = {(f["rule"], f["activity"]) for f in json.loads(res.stdout)["findings"]}
        assert ("non-delegable", "compliance.attestation") in rules, fmt
    res = run("audit", _exported(run, tmp_path, RIVERSIDE, "csv"), "--format", "json")
    rules = {(f["rule"], f["activity"]) for f in json.loads(res.stdout)["findings"]}
    assert {("multiple-accountable", "vendors.lob-support"), ("non-delegable", "compliance.attestation"),
            ("no-accountable", "backup.restore-testing")} <= rules


def test_any_long_form_table_is_read_as_the_grid_it_stands_for(run):
    """Not only raci's own CSV: a PSA's task list (Task | Team | RACI | Window | Comments) is audited row by activity,
    each finding at the line of the activity's first row, after-hours roles in the notes."""
    res = run("audit", DATA / "export" / "psa-long.csv", "--format", "json")
    report = json.loads(res.stdout)
    assert [(r["source"]["row"], r["activity"], r["roles"], r["note"]) for r in report["rows"]] == [
        (2, "patching.os-servers", {"Acme IT": "A", "Contoso": "R"}, "Second Tuesday of the month"),
        (4, "monitoring.alert-response", {"Acme IT": "A/R", "Contoso": "C"}, "after hours: Contoso R"),
        (7, "vulnerability.scanning", {"Contoso": "A/R"}, ""),
    ]
    assert report["documents"][0]["notes"] == ["long form (one row a role) read as a grid: 6 rows, 3 activities, 2 parties"]
