"""``raci check ENGAGEMENT --upstream FILE``: what an upstream provider's matrix leaves to its customer must be owned."""

from __future__ import annotations

import json

from paths import DATA

from raci.checks import RULES, run_checks
from raci.engagement import load_engagement, resolve
from raci.exports import Rows
from raci.exports.oscal import oscal_id
from raci.exports.rows import CLIENT

UP = DATA / "upstream"
CRM = UP / "cloud-crm.csv"
GAPS = UP / "gaps.raci.yaml"
OWNED = UP / "owned.raci.yaml"

CP9 = ("upstream-unowned", "cloud-crm.csv:4 leaves 'CP-9' to its customer; it maps to Backup design, retention and "
                           "immutability (backup.design), but nobody in this engagement is accountable or responsible for it.")
AU11 = ("upstream-unowned", "cloud-crm.csv:5 leaves 'AU-11' to its customer; it maps to Security log retention "
                            "(security.log-retention), but this engagement excludes it.")
CP4 = ("upstream-shared", "cloud-crm.csv:8 shares 'CP-4' with its customer without saying who does what; ask for the split "
                          "and check that this engagement covers the customer's part of Disaster recovery test (continuity.dr-test).")


def _upstream(run, engagement, upstream, *args):
    res = run("check", engagement, "--upstream", upstream, "--format", "json", *args)
    data = json.loads(res.stdout)
    return res, [(f["rule"], f["message"]) for f in data["findings"] if f["rule"].startswith("upstream-")], data


def test_customer_responsibilities_excluded_or_unowned_here_are_errors(run):
    res, found, data = _upstream(run, GAPS, CRM)
    assert res.exit_code == 1
    assert found == [AU11, CP9, CP4]  # errors first, in catalog order; then warnings
    cp9 = next(f for f in data["findings"] if f["rule"] == "upstream-unowned" and f["activity"] == "backup.design")
    assert cp9["severity"] == "error"
    assert cp9["source"] == {"file": str(CRM), "sheet": None, "row": 4, "column": None, "label": "CP-9"}


def test_silent_where_the_engagement_owns_what_the_upstream_leaves(run):
    """RA-5 and SI-2 are inherited or split, AT-2, CP-9 and AU-11 are owned here: only the unsplit CP-4 is said."""
    res, found, _ = _upstream(run, OWNED, CRM)
    assert res.exit_code == 0
    assert found == [CP4]


def test_text_report_names_the_upstream_row_and_the_activity(run):
    res = run("check", GAPS, "--upstream", CRM)
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert f"  upstream-unowned      4 'CP-9': {CP9[1]}" in lines
    assert f"  upstream-unowned      5 'AU-11': {AU11[1]}" in lines
    assert f"  upstream-shared       8 'CP-4': {CP4[1]}" in lines
    assert lines[0] == f"{GAPS}: 4 errors, 2 warnings, 0 info"


def test_fail_on_never_still_reports(run):
    res = run("check", GAPS, "--upstream", CRM, "--fail-on", "never")
    assert res.exit_code == 0
    assert "upstream-unowned" in res.stdout


def test_a_row_that_maps_to_no_activity_is_a_warning_to_check_by_hand(run):
    res, found, _ = _upstream(run, OWNED, UP / "unmapped.csv")
    assert res.exit_code == 0
    # the Provider row is not the customer's; the patching row is owned by the fully-managed MSP
    assert found == [("upstream-unmapped", "unmapped.csv:3 leaves 'Tenant colour palette and logo for the login page' to "
                                           "its customer, and it maps to no catalog activity: check by hand that this "
                                           "engagement owns it.")]


def test_an_oscal_ssp_upstream_is_read_like_any_contract(run, tmp_path, bundled_catalog):
    """The upstream is an OSCAL SSP (here raci's own export of a client that keeps log retention and leavers): each of
    its export.responsibilities whose activity this engagement excludes is reported, by its control id."""
    ssp = tmp_path / "birch-ssp.json"
    assert run("export", DATA / "export" / "soc-vendor.raci.yaml", "--to", "oscal", "-o", ssp).exit_code == 0
    res, found, data = _upstream(run, GAPS, ssp)
    assert res.exit_code == 1
    upstream = resolve(load_engagement(DATA / "export" / "soc-vendor.raci.yaml", bundled_catalog), bundled_catalog)
    rows = Rows(upstream, "soc-vendor.raci.yaml")
    left = {oscal_id(r.control) for r in rows.control_rows("nist-800-53")
            if CLIENT in rows.sides(r) and r.activity in ("security.log-retention", "backup.design")}
    unowned = {f["source"]["label"] for f in data["findings"] if f["rule"] == "upstream-unowned"}
    assert unowned == left
    assert {"au-11", "cp-9"} <= unowned


def test_an_upstream_that_cannot_be_read_is_one_line_and_exit_2(run):
    res = run("check", OWNED, "--upstream", UP / "no-matrix.csv")
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == (f"Error: {UP / 'no-matrix.csv'}: no responsibility matrix found in the file: expected a header "
                          "row and columns of R/A/C/I letters, X or check marks, or owner words (Provider/Customer/Shared)\n")
    res = run("check", OWNED, "--upstream", UP / "missing.csv")
    assert (res.exit_code, res.stderr) == (2, f"Error: {UP / 'missing.csv'}: file not found\n")


def test_without_upstream_the_rules_say_nothing(bundled_catalog):
    matrix = resolve(load_engagement(GAPS, bundled_catalog), bundled_catalog)
    assert [f for f in run_checks(matrix) if f.rule.startswith("upstream-")] == []


def test_the_rules_are_registered_with_their_severities_and_explanations():
    assert {r: RULES[r].severity for r in RULES if r.startswith("upstream-")} == {
        "upstream-unowned": "error", "upstream-shared": "warning", "upstream-unmapped": "warning"}
    assert all(RULES[r].explain for r in RULES if r.startswith("upstream-"))


def _readme_block(first_line: str) -> list[str]:
    from paths import ROOT

    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(first_line)
    end = lines.index("```", start)
    return lines[start:end]


def test_the_readme_excerpt_is_word_for_word_true(run, tmp_path, monkeypatch):
    import shutil

    shutil.copy(GAPS, tmp_path / "acme.raci.yaml")
    shutil.copy(CRM, tmp_path / "cloud-crm.csv")
    monkeypatch.chdir(tmp_path)
    block = _readme_block("$ raci check acme.raci.yaml --upstream cloud-crm.csv")
    res = run("check", "acme.raci.yaml", "--upstream", "cloud-crm.csv")
    assert res.stdout.splitlines() == block[1:]
