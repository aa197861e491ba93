"""raci import keeps every contract row in the engagement, and raci check reports the row problems the audit did."""

from __future__ import annotations

import json

import pytest
from paths import SAMPLES

from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.engagement import dump_engagement, load_engagement, loads_engagement, resolve
from raci.errors import EngagementError

CONTRACTS = SAMPLES / "contracts"
ROW_LEVEL = {"no-accountable", "multiple-accountable", "shared-owner", "shared-responsible", "unreadable-cell", "extra-cost",
             "conflicting-rows", "unmapped-row"}


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _rows(findings) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["source"]["sheet"], f["source"]["row"]) for f in findings
            if f["rule"] in ROW_LEVEL and f["source"] and f["source"].get("row") is not None}


@pytest.mark.parametrize("name", ["exhibit-b-grid.xlsx", "owner-column-semicolon-cp1252.csv", "marks-tab-bom.csv"])
def test_check_of_an_imported_contract_reports_the_row_problems_of_the_audit(run, tmp_path, name):
    out = tmp_path / "imported.raci.yaml"
    res = run("import", CONTRACTS / name, "-o", out)
    assert res.exit_code == 0, res.stderr
    audited = json.loads(run("audit", CONTRACTS / name, "--format", "json", "--fail-on", "never").stdout)
    checked = json.loads(run("check", out, "--format", "json", "--fail-on", "never").stdout)
    assert _rows(checked["findings"]) == _rows(audited["findings"])
    assert _rows(audited["findings"])


def test_import_keeps_every_row_and_says_how_many(run, tmp_path):
    out = tmp_path / "exhibit-b.raci.yaml"
    res = run("import", CONTRACTS / "exhibit-b-grid.xlsx", "-o", out)
    assert res.stderr == (f"Wrote {out} (2 parties, 15 assignments; 17 contract rows kept: 1 unmapped, 1 with unreadable "
                          "cells).\n")
    text = out.read_text()
    assert "client: Acme Manufacturing\n" in text  # from the cover sheet's labelled cell, nothing guessed
    assert ("  - {label: Coffee machine restocking, file: exhibit-b-grid.xlsx, sheet: Exhibit B, row: 17, activity: null, "
            "roles: {acme-it: A/R}, cells: {Acme IT: A/R}}\n") in text
    assert ("  - {label: Project management, file: exhibit-b-grid.xlsx, sheet: Exhibit B, row: 18, activity: projects.management, "
            "roles: {acme-it: A/R}, cells: {Acme IT: A/R, Contoso MSP: Overflow only}, unreadable: [Contoso MSP]}\n") in text


def test_a_document_with_no_labelled_client_leaves_the_name_to_the_user(run, tmp_path):
    out = tmp_path / "marks.raci.yaml"
    assert run("import", CONTRACTS / "marks-tab-bom.csv", "-o", out).exit_code == 0
    text = out.read_text()
    assert "# The document names no client in a labelled cell: fill in 'client' below.\n" in text
    assert 'client: ""\n' in text


def test_kept_rows_load_and_dump_unchanged(cat, tmp_path, run):
    out = tmp_path / "exhibit-b.raci.yaml"
    run("import", CONTRACTS / "exhibit-b-grid.xlsx", "-o", out)
    eng = load_engagement(out, cat)
    again = loads_engagement(dump_engagement(eng), cat, "again.raci.yaml")
    assert again.contract_rows == eng.contract_rows
    assert len(eng.contract_rows) == 17


def test_a_changed_assignment_is_checked_as_the_engagement_now_says(cat, tmp_path, run):
    out = tmp_path / "exhibit-b.raci.yaml"
    run("import", CONTRACTS / "exhibit-b-grid.xlsx", "-o", out)
    text = out.read_text().replace("  patching.os-servers: {contoso-msp: R}", "  patching.os-servers: {contoso-msp: A/R}")
    eng = loads_engagement(text, cat, "edited.raci.yaml")
    rules = {(f.rule, (f.source or {}).get("row"), f.activity) for f in run_checks(resolve(eng, cat))}
    # the workshop gave server patching an owner: the contract row's old gap is history, and the activity is clean
    assert not {r for r in rules if r[2] == "patching.os-servers" and r[0] in ("no-accountable", "no-responsible")}
    assert ("multiple-accountable", 12, "network.firewall") in rules  # untouched rows still report


@pytest.mark.parametrize(("row", "message"), [
    ("{label: X, roles: {nobody: R}}", "contract row 'X': unknown party 'nobody'"),
    ("{label: X, roles: {msp: Q}}", "contract row 'X': 'Q' is not a role letter"),
    ("{label: X, activity: patching.nope}", "contract row 'X': unknown activity 'patching.nope'"),
    ("{label: X, colour: red}", "unknown key 'colour' in contract row (allowed: label, file, sheet, row, column, activity, roles, "
                                "cells, note, shared, out_of_scope, unreadable, extra_cost)"),
    ("{roles: {msp: R}}", "each contract row needs at least a label"),
])
def test_bad_contract_rows_name_the_line(cat, row, message):
    text = ("client: Acme\nparties:\n  msp: {name: Contoso, kind: msp, staff: 3, hours: 24x7}\n"
            f"contract_rows:\n  - {row}\n")
    with pytest.raises(EngagementError) as exc:
        loads_engagement(text, cat, "bad.raci.yaml")
    assert exc.value.lines() == [f"bad.raci.yaml:5: {message}"]


@pytest.mark.parametrize("name", ["docx-sow.docx", "pdf-crm.pdf", "text-md-several-tables.md", "oscal-ssp.json"])
def test_import_reads_every_format_into_an_engagement(cat, run, tmp_path, name):
    from paths import DATA

    out = tmp_path / "imported.raci.yaml"
    res = run("import", DATA / "formats" / name, "-o", out)
    assert res.exit_code == 0, res.stderr
    eng = load_engagement(out, cat)
    audited = json.loads(run("audit", DATA / "formats" / name, "--format", "json", "--fail-on", "never").stdout)
    assert len(eng.contract_rows) == len(audited["rows"]) > 0
    assert {r.label for r in eng.contract_rows} == {r["source"]["label"] for r in audited["rows"]}
