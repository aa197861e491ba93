"""raci audit / raci import on contract documents: planted defects found at their rows, reports, maps, exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from paths import DATA, SAMPLES

sys.path.insert(0, str(SAMPLES / "contracts"))
from make_samples import PLANTED  # noqa: E402

from raci.catalog import load_catalog  # noqa: E402
from raci.checks import run_checks  # noqa: E402
from raci.engagement import load_engagement, resolve  # noqa: E402

CONTRACTS = SAMPLES / "contracts"
IMPORT = DATA / "import"
CATALOG = IMPORT / "catalog"
AUDIT_RULES = {"not-in-contract", "unmapped-row", "unreadable-cell"}


def _json(run, *args, catalog=None):
    res = run("audit", *args, "--format", "json", "--fail-on", "never", catalog=catalog)
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_defects_found_at_their_rows_and_no_clean_row_errs(run, name):
    args = [CONTRACTS / name]
    if name == "fedramp-crm.xlsx":
        args += ["--map", CONTRACTS / "fedramp-crm.map.yaml"]
    data = _json(run, *args)
    found = {(f["source"]["row"], f["rule"]) for f in data["findings"] if f["source"]["row"] is not None}
    planted = set(PLANTED[name])
    assert planted <= found
    planted_rows = {row for row, _ in planted}
    errors = {(f["source"]["row"], f["rule"]) for f in data["findings"] if f["severity"] == "error"}
    assert errors <= planted, f"errors on clean rows: {errors - planted}"
    # the audit-only warnings appear only where planted
    audit_only = {(r, rule) for r, rule in found if rule in AUDIT_RULES - {"not-in-contract"}}
    assert audit_only <= planted
    for f in data["findings"]:
        assert f["source"]["file"] == str(CONTRACTS / name)
        if f["source"]["row"] in planted_rows and f["rule"] in {rule for _, rule in planted}:
            assert f["source"]["label"]


def test_text_report_names_sheet_row_and_label(run, bundled_catalog):
    res = run("audit", CONTRACTS / "exhibit-b-grid.xlsx")
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    # warnings: the three planted (shared-responsible, unmapped-row, unreadable-cell), and not-in-contract for every
    # catalog activity but the 16 the exhibit's 17 rows name (all but the coffee machine)
    warnings = 3 + len(bundled_catalog.activities) - 16
    assert lines[0] == f"{CONTRACTS / 'exhibit-b-grid.xlsx'}, sheet 'Exhibit B': 3 errors, {warnings} warnings, 0 info"
    assert lines[1] == ("  layout: sheet 'Exhibit B', header row 4, label column B (grid); "
                        "parties: Acme IT (client, guessed), Contoso MSP (msp, guessed)")
    assert ("    Exhibit B!9 'Server patching': Contoso MSP is responsible for 'Server patching', but nobody is accountable "
            "for it. [no-accountable]") in lines
    assert ("    Exhibit B!12 'Firewall administration': Acme IT and Contoso MSP are all accountable for 'Firewall administration'; "
            "exactly one party must be. [multiple-accountable]") in lines
    assert ("    Exhibit B!18 'Project management': The cell under Contoso MSP says 'Overflow only', which is not a role letter, "
            "mark or owner word; it was read as no role. [unreadable-cell]") in lines
    unmapped = [line for line in lines if "[unmapped-row]" in line]
    assert len(unmapped) == 1
    # a candidate sharing one word of its description is not worth naming in the sentence (the JSON lists it)
    assert unmapped[0] == ("    Exhibit B!17 'Coffee machine restocking': 'Coffee machine restocking' matches no catalog activity. "
                           "Map it with --map (an activity id, or ignore). [unmapped-row]")
    assert any(line.startswith("  Not in the contract (") and line.endswith("catalog activities), by domain:") for line in lines)


def test_csv_findings_name_file_and_line(run):
    res = run("audit", CONTRACTS / "marks-tab-bom.csv")
    assert "    marks-tab-bom.csv:7 'Disaster recovery plan': Nobody is responsible or accountable for 'Disaster recovery plan'. " \
           "[no-accountable]" in res.stdout.splitlines()


def test_json_shape_rows_and_coverage(run):
    data = _json(run, IMPORT / "small.csv", catalog=CATALOG)
    assert set(data) == {"findings", "summary", "rows", "coverage", "documents", "errors"}
    assert data["errors"] == []
    assert data["summary"] == {"error": 2, "warning": 5, "info": 0}
    path = str(IMPORT / "small.csv")
    first = dict(data["rows"][0])
    suggestions = first.pop("suggestions")
    # the chosen activity first, then weaker candidates, best first, each a different activity
    assert suggestions[0] == {"activity": "servicedesk.tier1", "confidence": 1.0}
    assert all(0 <= s["confidence"] < 1.0 for s in suggestions[1:])
    assert [s["confidence"] for s in suggestions] == sorted((s["confidence"] for s in suggestions), reverse=True)
    assert len({s["activity"] for s in suggestions}) == len(suggestions)
    assert first == {
        "source": {"file": path, "sheet": None, "row": 4, "column": None, "label": "Password resets"},
        "section": "Service desk",
        "activity": "servicedesk.tier1",
        "confidence": 1.0,
        "how": "exact",
        "roles": {"Client IT": "I", "MSP": "A/R"},
        "cells": {"Client IT": "I", "MSP": "A/R"},
        "note": "",
        "shared": False,
        "out_of_scope": False,
    }
    assert [(r["source"]["row"], r["activity"]) for r in data["rows"]] == [
        (4, "servicedesk.tier1"), (5, "patching.os-servers"), (6, "backup.job-monitoring"), (7, None), (8, "governance.risk-acceptance"),
    ]
    rules = sorted((f["rule"], f["activity"], f["source"]["row"]) for f in data["findings"])
    assert rules == [
        ("no-accountable", "patching.os-servers", 5),
        ("non-delegable", "governance.risk-acceptance", 8),
        ("not-in-contract", "backup.restore-testing", None),
        ("not-in-contract", "patching.os-workstations", None),
        ("not-in-contract", "servicedesk.onsite", None),
        ("not-in-contract", "servicedesk.tier2", None),
        ("unmapped-row", None, 7),
    ]
    assert data["coverage"]["mentioned"] == 4 and data["coverage"]["activities"] == 8 and data["coverage"]["percent"] == 50.0
    assert data["coverage"]["domains"][1] == {"id": "patching", "name": "Patch management", "mentioned": 1, "activities": 2,
                                             "percent": 50.0, "missing": ["patching.os-workstations"]}
    unmapped = next(f for f in data["findings"] if f["rule"] == "unmapped-row")
    assert unmapped["message"] == "'Coffee machine' matches no catalog activity. Map it with --map (an activity id, or ignore)."


def test_markdown_report_matches_golden(run):
    res = run("audit", IMPORT / "small.csv", "--format", "md", catalog=CATALOG)
    assert res.exit_code == 1
    golden = (IMPORT / "small.audit.md").read_text()
    assert res.stdout == golden.replace("{path}", str(IMPORT / "small.csv"))


def test_many_documents_per_document_and_total(run):
    docs = [CONTRACTS / "marks-tab-bom.csv", CONTRACTS / "co-managed-macro.xlsm"]
    res = run("audit", *docs)
    assert res.exit_code == 1
    assert "Auditing" not in res.stderr  # no progress bar when standard error is not a terminal
    total = [line for line in res.stdout.splitlines() if line.startswith("Total: ")]
    assert len(total) == 1
    assert total[0].startswith("Total: 2 documents, 10 rows: 4 errors, ")
    data = _json(run, *docs)
    assert [d["file"] for d in data["documents"]] == [str(p) for p in docs]
    assert data["summary"]["error"] == sum(d["summary"]["error"] for d in data["documents"]) == 4
    assert {f["source"]["file"] for f in data["findings"]} == {str(p) for p in docs}


def test_fail_on_levels(run):
    doc = CONTRACTS / "caiq-ssrm.xlsx"
    assert run("audit", doc).exit_code == 1
    assert run("audit", doc, "--fail-on", "never").exit_code == 0
    clean = IMPORT / "clean.csv"
    assert run("audit", clean, catalog=CATALOG).exit_code == 0
    assert run("audit", clean, "--fail-on", "warning", catalog=CATALOG).exit_code == 1


def test_output_file_and_refusing_to_overwrite_inputs(run, tmp_path):
    out = tmp_path / "audit.md"
    res = run("audit", IMPORT / "small.csv", "--format", "md", "-o", out, catalog=CATALOG)
    assert res.exit_code == 1 and res.stdout == ""
    assert out.read_text().startswith("# Contract audit\n")
    copy = tmp_path / "small.csv"
    copy.write_bytes((IMPORT / "small.csv").read_bytes())
    res = run("audit", copy, "-o", copy, catalog=CATALOG)
    assert res.exit_code == 2
    assert res.stderr == f"Error: {copy}: refusing to write over the input file {copy}\n"
    assert copy.read_bytes() == (IMPORT / "small.csv").read_bytes()


def test_write_map_then_map_fixes_rows(run, tmp_path):
    proposed = tmp_path / "proposed.yaml"
    res = run("audit", IMPORT / "small.csv", "--write-map", proposed, "--fail-on", "never", catalog=CATALOG)
    assert res.exit_code == 0
    text = proposed.read_text()
    assert "  Password resets: servicedesk.tier1  # Tier 1 support; confidence 1.00 (small.csv:4)\n" in text
    line = next(x for x in text.splitlines() if x.startswith("  Coffee machine:"))
    assert line == "  Coffee machine: null  # no match above the threshold (small.csv:7); closest: none"
    edited = text.replace("  Coffee machine: null", "  Coffee machine: ignore").replace(
        "Backup monitoring: backup.job-monitoring", "Backup monitoring: backup.restore-testing")
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(edited)
    data = _json(run, IMPORT / "small.csv", "--map", fixed, catalog=CATALOG)
    assert not [f for f in data["findings"] if f["rule"] == "unmapped-row"]
    rows = {r["source"]["row"]: r for r in data["rows"]}
    assert (rows[7]["activity"], rows[7]["how"]) == (None, "ignore")
    assert (rows[6]["activity"], rows[6]["how"], rows[6]["confidence"]) == ("backup.restore-testing", "map", 1.0)


def test_bad_map_file_names_its_line(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rows:\n  Password resets: servicedesk.tier9\n  Coffee machine: ignore\nparties:\n  MSP: reseller\n")
    res = run("audit", IMPORT / "small.csv", "--map", bad, catalog=CATALOG)
    assert res.exit_code == 2
    assert res.stderr == (f"Error: {bad}:2: 'Password resets': unknown activity 'servicedesk.tier9' (use an id from 'raci catalog', "
                          f"or ignore)\nError: {bad}:5: party 'MSP': kind must be one of client, msp, vendor, not 'reseller'\n")


def test_party_option_sets_kind(run):
    data = _json(run, IMPORT / "small.csv", "--party", "MSP=client", catalog=CATALOG)
    assert data["documents"][0]["parties"][1] == {"header": "MSP", "id": "msp", "kind": "client", "kind_guessed": False}
    assert not [f for f in data["findings"] if f["rule"] == "non-delegable"]
    res = run("audit", IMPORT / "small.csv", "--party", "MSP", catalog=CATALOG)
    assert res.exit_code == 2
    assert "'MSP': expected HEADER=KIND with KIND client, msp or vendor" in res.stderr


def test_import_writes_an_engagement_that_checks_the_same(run, tmp_path):
    out = tmp_path / "small.raci.yaml"
    res = run("import", IMPORT / "small.csv", "-o", out, catalog=CATALOG)
    assert res.exit_code == 0, res.stderr
    cat = load_catalog(CATALOG)
    eng = load_engagement(out, cat)
    assert {p.id: (p.name, p.kind) for p in eng.parties.values()} == {"client-it": ("Client IT", "client"), "msp": ("MSP", "msp")}
    assert {a: r.business for a, r in eng.assignments.items()} == {
        "servicedesk.tier1": {"client-it": "I", "msp": "A/R"},
        "patching.os-servers": {"msp": "R"},
        "backup.job-monitoring": {"client-it": "A/R", "msp": "C"},
        "governance.risk-acceptance": {"client-it": "C", "msp": "A/R"},
    }
    assert eng.exclusions == ["servicedesk.tier2", "servicedesk.onsite", "patching.os-workstations", "backup.restore-testing"]
    errors = {(f.rule, f.activity) for f in run_checks(resolve(eng, cat)) if f.severity == "error"}
    assert errors == {("no-accountable", "patching.os-servers"), ("non-delegable", "governance.risk-acceptance")}


def test_import_of_bad_document_writes_nothing(run, tmp_path):
    out = tmp_path / "x.raci.yaml"
    res = run("import", IMPORT / "no-matrix.csv", "-o", out, catalog=CATALOG)
    assert res.exit_code == 2
    assert res.stderr.startswith(f"Error: {IMPORT / 'no-matrix.csv'}: no responsibility matrix found")
    assert not out.exists()


def test_help_has_an_example(run):
    res = run("audit", "--help")
    assert res.exit_code == 0
    assert "raci audit samples/contracts/exhibit-b-grid.xlsx" in res.stdout


def test_samples_are_what_the_script_writes(tmp_path):
    from make_samples import main

    for made in main(tmp_path):
        assert made.read_bytes() == (CONTRACTS / made.name).read_bytes(), made.name


def test_samples_cover_every_layout(run):
    seen = {}
    for name in PLANTED:
        args = [CONTRACTS / name] + (["--map", CONTRACTS / "fedramp-crm.map.yaml"] if name.startswith("fedramp") else [])
        data = _json(run, *args)
        cells = {text for r in data["rows"] for text in r["cells"].values() if text}
        seen[name] = (data["documents"][0]["layout"], cells)
    assert {mode for mode, _ in seen.values()} == {"grid", "owner"}
    assert {"a/r", "i"} <= seen["co-managed-macro.xlsm"][1]                       # letters in any case
    assert "\u2713" in seen["marks-tab-bom.csv"][1]                               # check marks
    assert {"Shared", "Provider"} <= seen["owner-column-semicolon-cp1252.csv"][1]  # owner words
    assert "Shared CSP and CSC" in seen["caiq-ssrm.xlsx"][1]                      # CSA CAIQ SSRM ownership
    assert {"Yes", "Partial", "No"} <= seen["fedramp-crm.xlsx"][1]                # FedRAMP CRM inheritance
    assert {Path(n).suffix for n in PLANTED} == {".xlsx", ".xlsm", ".csv"}
