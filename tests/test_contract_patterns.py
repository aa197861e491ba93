"""raci audit on one small fixture per layout pattern real contract matrices use, asserting what a careful consultant
reading each document expects: the table chosen, its parties and their kinds, every row's roles, notes and
sections, and the findings at each row. The fixtures are written by tests/data/contracts/make_fixtures.py.
"""

from __future__ import annotations

import json
import sys

import pytest
from paths import DATA

FIX = DATA / "contracts"
sys.path.insert(0, str(FIX))
from make_fixtures import main as make_fixtures  # noqa: E402

# The rules a pattern's rows are judged by; catalog-wide advice (dependencies, idle parties, coverage) is left to
# tests/test_audit.py.
SEVERITY = {
    "no-accountable": "error", "multiple-accountable": "error", "shared-owner": "error", "non-delegable": "error",
    "shared-responsible": "warning", "unreadable-cell": "warning", "conflicting-rows": "warning", "unmapped-row": "warning",
    "extra-cost": "info",
}

_cache: dict[tuple[str, ...], dict] = {}


def audit(run, name: str, *args: str) -> dict:
    """The JSON report of ``raci audit FIX/name args``, read once per module."""
    key = (name, *args)
    if key not in _cache:
        res = run("audit", FIX / name, *args, "--format", "json", "--fail-on", "never")
        assert res.exit_code == 0, f"exit {res.exit_code}: {res.stderr}"
        _cache[key] = json.loads(res.stdout)
    return _cache[key]


def doc(data: dict) -> dict:
    assert len(data["documents"]) == 1
    return data["documents"][0]


def layout(data: dict) -> dict:
    d = doc(data)
    return {k: d[k] for k in ("sheet", "hidden", "layout", "header_row", "label_column", "orientation")}


def parties(data: dict) -> list[tuple[str, str, bool]]:
    return [(p["header"], p["kind"], p["kind_guessed"]) for p in doc(data)["parties"]]


def by_line(data: dict) -> dict:
    """Rows by the line a person sees (csv line or Excel row); (line, column) for a responsibility read from a column."""
    out = {}
    for r in data["rows"]:
        src = r["source"]
        key = src["row"] if src["column"] is None else (src["row"], src["column"])
        assert key not in out, f"two rows at {key}"
        out[key] = r
    return out


def roles(data: dict) -> dict:
    return {k: r["roles"] for k, r in by_line(data).items()}


def found(data: dict, rules=tuple(SEVERITY)) -> set[tuple]:
    """(line, column, rule, severity) of the findings at rows, for the rules asked."""
    out = set()
    for f in data["findings"]:
        if f["rule"] in rules:
            src = f["source"]
            out.add((src["row"], src["column"], f["rule"], f["severity"]))
    return out


def at(line: int, rule: str, column: str | None = None) -> tuple:
    return (line, column, rule, SEVERITY[rule])


# --------------------------------------------------------------------------- the fixtures themselves


def test_fixtures_are_what_the_script_writes(tmp_path):
    for made in make_fixtures(tmp_path):
        assert made.read_bytes() == (FIX / made.name).read_bytes(), made.name


# --------------------------------------------------------------------------- 1. a summary sheet before the matrix


def test_summary_sheet_first_matrix_sheet_wins(run):
    data = audit(run, "summary-sheet-first.xlsx")
    assert layout(data) == {"sheet": "Responsibilities", "hidden": False, "layout": "grid", "header_row": 3, "label_column": "A",
                            "orientation": "rows"}
    assert doc(data)["title"] == "Managed IT services - who does what"
    assert parties(data) == [("Customer", "client", True), ("Provider", "msp", True)]
    runner = doc(data)["runner_up"]
    assert runner is None or "Summary" in runner
    assert roles(data) == {
        4: {"Customer": "I", "Provider": "A/R"},
        5: {"Customer": "C", "Provider": "A/R"},
        6: {"Customer": "I", "Provider": "A/R"},
        7: {"Customer": "I", "Provider": "A/R"},
        8: {"Customer": "A/R", "Provider": "C"},
        9: {"Customer": "A/R", "Provider": "I"},
        10: {"Customer": "A", "Provider": "R"},
    }
    rows = by_line(data)
    assert {r["source"]["sheet"] for r in rows.values()} == {"Responsibilities"}
    assert rows[5]["note"] == "Monthly window"
    assert [rows[n]["activity"] for n in (4, 5, 9, 10)] == ["servicedesk.tier1", "patching.os-servers", "strategy.budget-approval",
                                                             "identity.joiners"]
    assert found(data) == set()


# --------------------------------------------------------------------------- 2. the matrix on a hidden sheet


def test_hidden_sheet_matrix_is_read_and_noted(run):
    data = audit(run, "hidden-sheet-matrix.xlsx")
    assert layout(data) == {"sheet": "Matrix", "hidden": True, "layout": "grid", "header_row": 1, "label_column": "A",
                            "orientation": "rows"}
    assert any("hidden" in n and "Matrix" in n for n in doc(data)["notes"])
    assert parties(data) == [("Client IT", "client", True), ("MSP", "msp", True)]
    assert roles(data) == {
        2: {"Client IT": "I", "MSP": "A/R"},
        3: {"Client IT": "I", "MSP": "A/R"},
        4: {"Client IT": "A", "MSP": "R"},
        5: {"Client IT": "A/R", "MSP": "C"},
        6: {"Client IT": "C", "MSP": "A/R"},
    }
    assert found(data) == set()


# --------------------------------------------------------------------------- 3. stacked tables in one csv


def test_stacked_tables_read_as_one_document(run):
    data = audit(run, "stacked-tables.csv")
    assert layout(data) == {"sheet": None, "hidden": False, "layout": "grid", "header_row": 4, "label_column": "A",
                            "orientation": "rows"}
    assert doc(data)["title"] == "Managed services schedule"
    assert parties(data) == [("Customer", "client", True), ("Provider", "msp", True)]
    assert found(data) == set()


def test_stacked_tables_rows_carry_their_heading_as_section(run):
    data = audit(run, "stacked-tables.csv")
    rows = by_line(data)
    assert {n: r["section"] for n, r in rows.items()} == {
        5: "Service desk", 6: "Service desk", 7: "Service desk",
        11: "Security", 12: "Security", 13: "Security",
        17: "Backup", 18: "Backup", 19: "Backup",
    }
    assert rows[18]["roles"] == {"Customer": "A", "Provider": "R"}
    assert rows[13]["roles"] == {"Customer": "A/R", "Provider": "C"}
    assert [rows[n]["activity"] for n in (5, 11, 17)] == ["servicedesk.tier1", "endpoint.edr-response", "backup.job-monitoring"]


# --------------------------------------------------------------------------- 4. a two-line header


def test_two_line_header_names_parties_from_the_first_line(run):
    data = audit(run, "two-line-header.xlsx")
    assert layout(data) == {"sheet": "RACI", "hidden": False, "layout": "grid", "header_row": 3, "label_column": "A",
                            "orientation": "rows"}
    assert parties(data) == [("Harbor Dental IT", "client", True), ("Bluewater Managed Services", "msp", True)]
    c, m = "Harbor Dental IT", "Bluewater Managed Services"
    assert roles(data) == {
        4: {c: "I", m: "A/R"},
        5: {c: "I", m: "A/R"},
        6: {c: "A/R", m: "C"},
        7: {c: "C", m: "A/R"},
        8: {c: "A/R", m: "C"},
        9: {c: "I", m: "A/R"},
    }
    assert by_line(data)[6]["note"] == "Practice software"
    assert found(data) == set()


# --------------------------------------------------------------------------- 5. transposed: teams as rows


def test_transposed_teams_each_function_is_a_row(run):
    data = audit(run, "transposed-teams.xlsx")
    assert layout(data) == {"sheet": "By team", "hidden": False, "layout": "grid", "header_row": 2, "label_column": "A",
                            "orientation": "columns"}
    assert parties(data) == [("Client IT team", "client", True), ("Client leadership", "client", True),
                             ("MSP service desk", "msp", True), ("MSP network team", "msp", True)]
    it, lead, desk, net = "Client IT team", "Client leadership", "MSP service desk", "MSP network team"
    assert roles(data) == {
        (2, "B"): {it: "I", lead: "I", desk: "A", net: "R"},
        (2, "C"): {it: "R", lead: "I", desk: "A", net: "R"},
        (2, "D"): {it: "I", lead: "I", desk: "R", net: "A"},
        (2, "E"): {it: "R", lead: "A", desk: "C", net: "I"},
        (2, "F"): {it: "R", lead: "A", desk: "C", net: "C"},
    }
    rows = by_line(data)
    assert {k: (r["source"]["label"], r["activity"]) for k, r in rows.items()} == {
        (2, "B"): ("Server patching", "patching.os-servers"),
        (2, "C"): ("Backup job monitoring", "backup.job-monitoring"),
        (2, "D"): ("Firewall administration", "network.firewall"),
        (2, "E"): ("Security awareness training", "awareness.training"),
        (2, "F"): ("Disaster recovery plan", "continuity.dr-plan"),
    }
    assert rows[(2, "C")]["cells"] == {it: "Responsible", lead: "Informed", desk: "Accountable", net: "Responsible"}
    assert found(data) == {at(2, "shared-responsible", "C")}


# --------------------------------------------------------------------------- 6. filler rows are sections


def test_filler_rows_are_sections_never_headers_or_rows(run):
    data = audit(run, "filler-section-rows.csv")
    assert layout(data) == {"sheet": None, "hidden": False, "layout": "grid", "header_row": 1, "label_column": "A",
                            "orientation": "rows"}
    assert parties(data) == [("Client", "client", True), ("MSSP", "msp", True)]
    rows = by_line(data)
    assert {n: r["section"] for n, r in rows.items()} == {
        4: "Detection", 5: "Detection", 6: "Detection", 8: "Response", 9: "Response", 10: "Response", 12: "Logging",
    }
    assert rows[9]["roles"] == {"Client": "A/R", "MSSP": "C"}
    assert rows[10]["roles"] == {"Client": "A", "MSSP": "R"}
    assert rows[12]["roles"] == {"Client": "I", "MSSP": "A/R"}
    assert found(data) == set()


# --------------------------------------------------------------------------- 7. letters in every combination


def test_letter_combinations_read_as_roles_with_qualifiers_kept(run):
    data = audit(run, "letter-combinations.csv")
    assert parties(data) == [("Internal IT", "client", True), ("Provider", "msp", True)]
    assert roles(data) == {
        2: {"Internal IT": "I", "Provider": "A/R"},
        3: {"Internal IT": "C", "Provider": "A/R"},   # R/A
        4: {"Internal IT": "I", "Provider": "A/R"},   # RA
        5: {"Internal IT": "I", "Provider": "A/R"},   # R,A
        6: {"Internal IT": "C", "Provider": "A/R"},   # A & R (Config, Ops)
        7: {"Internal IT": "R", "Provider": "A"},     # R (...) & C (...)
        8: {"Internal IT": "A", "Provider": "R"},     # Approuve / Réalise
    }
    rows = by_line(data)
    assert "Config, Ops" in rows[6]["note"]
    assert "OT log oversight" in rows[7]["note"] and "reviews SIEM config" in rows[7]["note"]
    assert rows[6]["cells"]["Provider"] == "A & R (Config, Ops)"
    assert rows[8]["cells"] == {"Internal IT": "Approuve", "Provider": "R\u00e9alise"}
    assert found(data) == set()


# --------------------------------------------------------------------------- 8. marks and negatives


def test_marks_and_negatives(run):
    data = audit(run, "marks-and-negatives.xlsx")
    assert layout(data) == {"sheet": "Scope", "hidden": False, "layout": "grid", "header_row": 2, "label_column": "A",
                            "orientation": "rows"}
    assert parties(data) == [("Customer", "client", True), ("Provider", "msp", True)]
    provider, customer = {"Provider": "A/R"}, {"Customer": "A/R"}
    assert roles(data) == {
        3: provider, 4: provider, 5: provider, 6: provider, 7: provider, 8: provider,
        9: customer, 10: customer, 11: customer, 12: customer, 13: customer,
        14: {"Customer": "R", "Provider": "R"},
        15: {},
    }
    rows = by_line(data)
    assert rows[5]["cells"]["Provider"] == "\u2714\ufe0f"
    assert rows[14]["shared"] is True
    assert not any(rows[n]["shared"] for n in range(3, 14))
    assert found(data) == {at(14, "shared-owner"), at(15, "no-accountable")}


# --------------------------------------------------------------------------- 9. qualified marks and cost cells


def test_qualified_marks_keep_their_qualifier_and_cost_cells_own_nothing(run):
    data = audit(run, "qualified-marks-and-cost.csv")
    assert parties(data) == [("Provider", "msp", True), ("Customer", "client", True)]
    assert roles(data) == {
        2: {"Provider": "A/R"},
        3: {"Provider": "A/R"},
        4: {"Provider": "A/R"},
        5: {"Customer": "A/R"},
        6: {"Customer": "A/R"},
        7: {},
    }
    rows = by_line(data)
    assert "basic" in rows[3]["note"]
    assert "in consultation with customer" in rows[4]["note"]
    assert rows[5]["cells"] == {"Provider": "\u00a3", "Customer": "Y"}
    assert found(data) == {at(5, "extra-cost"), at(6, "extra-cost"), at(7, "extra-cost"), at(7, "no-accountable")}
    for f in data["findings"]:
        if f["rule"] == "extra-cost":
            assert "Provider" in f["message"]


# --------------------------------------------------------------------------- 10. owner words


def test_owner_words_in_one_column(run):
    data = audit(run, "owner-words.csv")
    assert layout(data) == {"sheet": None, "hidden": False, "layout": "owner", "header_row": 1, "label_column": "A",
                            "orientation": "rows"}
    kinds = {p["header"]: p["kind"] for p in doc(data)["parties"]}
    assert kinds["Provider"] == "msp" and kinds["Customer"] == "client"
    rows = by_line(data)
    assert rows[2]["roles"] == {"Provider": "A/R"}
    assert rows[3]["roles"] == {"Customer": "A/R"}
    assert rows[4]["roles"] == {"Customer": "A/R"}  # Client and Customer are one party
    for n in (5, 6, 9):
        assert rows[n]["roles"] == {"Provider": "R", "Customer": "R"} and rows[n]["shared"] is True
    assert rows[9]["note"] == "Provider runs the firewall; Customer approves every rule change"
    assert (rows[8]["roles"], rows[8]["out_of_scope"]) == ({}, True)
    assert rows[5]["cells"] == {"Responsibility": "Shared"}
    assert found(data) == {at(5, "shared-owner"), at(6, "shared-owner")}


def test_owner_word_vendor_beside_provider_is_a_third_party(run):
    data = audit(run, "owner-words.csv")
    kinds = {p["header"]: p["kind"] for p in doc(data)["parties"]}
    owner = by_line(data)[7]["roles"]
    assert list(owner.values()) == ["A/R"]
    (who,) = owner
    assert who != "Provider" and kinds[who] == "vendor"


# --------------------------------------------------------------------------- 11. CAIQ and FedRAMP vocabularies


def test_caiq_ssrm_control_ownership(run):
    data = audit(run, "caiq-ownership.xlsx")
    assert layout(data) == {"sheet": "CAIQv4", "hidden": False, "layout": "owner", "header_row": 2, "label_column": "B",
                            "orientation": "rows"}
    kinds = {p["header"]: p["kind"] for p in doc(data)["parties"]}
    assert len(kinds) == 3 and kinds["CSP"] == "msp" and kinds["CSC"] == "client"
    (third,) = [h for h, k in kinds.items() if k == "vendor"]
    assert roles(data) == {
        3: {"CSP": "A/R"},
        4: {"CSC": "A/R"},
        5: {"CSP": "A", third: "R"},
        6: {"CSP": "R", "CSC": "R"},
        7: {"CSP": "R", third: "R"},
        8: {"CSP": "R", "CSC": "R"},
    }
    rows = by_line(data)
    assert [rows[n]["shared"] for n in range(3, 9)] == [False, False, False, True, True, True]
    assert [rows[n]["activity"] for n in (3, 4, 6)] == ["vulnerability.scanning", "identity.mfa", "backup.design"]
    assert found(data, ("shared-owner", "no-accountable", "multiple-accountable", "shared-responsible", "unreadable-cell")) == {
        at(6, "shared-owner"), at(7, "shared-owner"),
    }


def test_fedramp_inheritance_maps_control_ids_through_the_crosswalk(run):
    data = audit(run, "fedramp-inheritance.xlsx")
    assert layout(data) == {"sheet": "CRM", "hidden": False, "layout": "owner", "header_row": 3, "label_column": "A",
                            "orientation": "rows"}
    # the client is named as the table's headers name it ("Customer Agency/CSP Responsibilities")
    assert {p["header"]: p["kind"] for p in doc(data)["parties"]} == {"CSP": "msp", "Customer Agency": "client"}
    assert roles(data) == {
        4: {"Customer Agency": "A/R"},
        5: {"CSP": "R", "Customer Agency": "R"},
        6: {"CSP": "A/R"},
        7: {"CSP": "A/R"},
        8: {"Customer Agency": "A/R"},
        9: {"CSP": "R", "Customer Agency": "R"},
    }
    rows = by_line(data)
    assert {n: (r["source"]["label"], r["activity"], r["how"]) for n, r in rows.items()} == {
        4: ("AC-2(a)", "identity.joiners", "control"),
        5: ("CP-9", "backup.design", "control"),
        6: ("SI-2", "patching.policy", "control"),
        7: ("RA-5", "vulnerability.scanning", "control"),
        8: ("AT-2", "awareness.training", "control"),
        9: ("IR-4", "incident.triage", "control"),
    }
    assert rows[5]["shared"] is True and rows[9]["shared"] is True
    assert rows[9]["note"].startswith("The CSP handles platform incidents")
    assert found(data) == {at(5, "shared-owner")}


# --------------------------------------------------------------------------- 12. party names in cells


def test_party_names_in_cells_each_process_cell_is_a_row(run):
    data = audit(run, "party-names-in-cells.xlsx")
    assert layout(data) == {"sheet": "Shared responsibility", "hidden": False, "layout": "names", "header_row": 2,
                            "label_column": "A", "orientation": "rows"}
    assert sorted(parties(data)) == [("Customer", "client", True), ("Hyperscaler", "vendor", True), ("Northwind Cloud", "msp", True)]
    nw, hs, cu = {"Northwind Cloud": "A/R"}, {"Hyperscaler": "A/R"}, {"Customer": "A/R"}
    both = {"Northwind Cloud": "R", "Customer": "R"}
    assert roles(data) == {
        (3, "B"): cu, (3, "C"): cu, (3, "D"): cu, (3, "E"): nw,
        (4, "B"): nw, (4, "C"): nw, (4, "D"): both, (4, "E"): nw,
        (5, "B"): hs, (5, "C"): hs, (5, "D"): {}, (5, "E"): hs,
        (6, "B"): cu, (6, "C"): hs, (6, "D"): cu, (6, "E"): nw,
        (7, "B"): cu, (7, "C"): nw, (7, "D"): {}, (7, "E"): both,
    }
    rows = by_line(data)
    assert rows[(3, "B")]["source"]["label"] == "Virtual machines: Provisioning"
    assert rows[(7, "E")]["source"]["label"] == "Firewall rules: Monitoring"
    assert [k for k, r in rows.items() if r["out_of_scope"]] == [(5, "D"), (7, "D")]
    assert [k for k, r in rows.items() if r["shared"]] == [(4, "D"), (7, "E")]
    errors = {f for f in found(data) if f[3] == "error"}
    assert errors == {at(4, "shared-owner", "D"), at(7, "shared-owner", "E")}


# --------------------------------------------------------------------------- 13. footnotes, markup, non-breaking spaces


def test_footnote_markers_markup_and_nbsp_cells(run):
    data = audit(run, "footnotes-and-nbsp.csv")
    assert parties(data) == [("Client IT", "client", True), ("MSP", "msp", True)]
    assert roles(data) == {
        2: {"Client IT": "I", "MSP": "A/R"},
        3: {"Client IT": "C", "MSP": "A/R"},
        4: {"Client IT": "I", "MSP": "A/R"},
        5: {"Client IT": "I", "MSP": "A/R"},
        6: {"Client IT": "A/R", "MSP": "I"},
        7: {"MSP": "A/R"},
        8: {"MSP": "A/R"},
    }
    rows = by_line(data)
    assert rows[2]["cells"]["MSP"] == "A/R[1]"  # cells keep the text as written
    assert rows[6]["cells"]["Client IT"] == "**RA**"
    assert rows[7]["cells"].get("Client IT", "") == "" and rows[8]["cells"].get("Client IT", "") == ""
    assert found(data) == set()


# --------------------------------------------------------------------------- 14. party kinds from header words


KIND_WORDS = [("Your responsibility", "client"), ("Our responsibility", "msp"), ("Support", "msp"), ("Professional Services", "msp"),
              ("Infrastructure Director", "client"), ("CIO", "client"), ("Ridgeline Telecom", "vendor")]


def test_party_kinds_guessed_as_a_consultant_would(run):
    data = audit(run, "party-kind-words.csv")
    assert parties(data) == [(h, k, True) for h, k in KIND_WORDS]
    assert by_line(data)[4]["roles"] == {"Your responsibility": "I", "Our responsibility": "A", "CIO": "I", "Ridgeline Telecom": "R"}
    assert found(data, ("non-delegable",)) == set()


def test_party_option_overrides_a_guessed_kind(run):
    data = audit(run, "party-kind-words.csv", "--party", "CIO=msp")
    assert parties(data) == [(h, "msp", False) if h == "CIO" else (h, k, True) for h, k in KIND_WORDS]
    # the budget is now approved by the provider: a decision the client cannot hand over
    assert at(5, "non-delegable") in found(data)


# --------------------------------------------------------------------------- 15. two rows, one activity


def test_two_rows_meaning_one_activity_stay_two_rows(run):
    data = audit(run, "two-rows-one-activity.csv")
    rows = by_line(data)
    assert sorted(rows) == [2, 3, 4, 5, 6]
    assert (rows[3]["activity"], rows[5]["activity"]) == ("patching.os-servers", "patching.os-servers")
    assert rows[3]["roles"] == {"Client": "A", "Provider": "R"}
    assert rows[5]["roles"] == {"Client": "R", "Provider": "A/R"}
    assert found(data) == {at(5, "conflicting-rows"), at(5, "shared-responsible")}
    conflict = next(f for f in data["findings"] if f["rule"] == "conflicting-rows")
    assert conflict["activity"] == "patching.os-servers" and "row 3" in conflict["message"]


# --------------------------------------------------------------------------- 16. row checks on unmapped rows


def test_unmapped_rows_get_the_row_checks_too(run):
    data = audit(run, "no-owner-and-two-accountable.csv")
    rows = by_line(data)
    assert (rows[3]["activity"], rows[4]["activity"]) == (None, None)
    assert rows[3]["roles"] == {"Client": "A", "Provider": "A"}
    assert rows[4]["roles"] == {"Client": "I", "Provider": "I"}
    assert found(data) == {at(3, "multiple-accountable"), at(3, "unmapped-row"), at(4, "no-accountable"), at(4, "unmapped-row")}


# --------------------------------------------------------------------------- 17. several documents, one broken


def test_broken_document_is_named_and_the_good_one_still_reported(run):
    good, broken = FIX / "good.csv", FIX / "broken.xlsx"
    res = run("audit", good, broken, "--format", "json", "--fail-on", "never")
    assert res.exit_code == 2
    data = json.loads(res.stdout)
    assert [d["file"] for d in data["documents"]] == [str(good)]
    assert [r["source"]["label"] for r in data["rows"]] == ["Tier 1 support", "Restore testing"]
    assert [e["file"] for e in data["errors"]] == [str(broken)]
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {broken}: ")
    text = run("audit", good, broken, "--fail-on", "never")
    assert text.exit_code == 2
    assert text.stdout.startswith(f"{good}: ")
    assert text.stderr.splitlines() == lines


# --------------------------------------------------------------------------- overrides


def test_sheet_option_reads_the_named_sheet(run):
    assert doc(audit(run, "two-sheets-two-years.xlsx"))["sheet"] == "FY2026"
    data = audit(run, "two-sheets-two-years.xlsx", "--sheet", "FY2025")
    assert doc(data)["sheet"] == "FY2025"
    assert roles(data) == {2: {"Client": "A/R", "Provider": "C"}, 3: {"Client": "A/R", "Provider": "I"}}
    assert {r["source"]["sheet"] for r in data["rows"]} == {"FY2025"}


def test_header_row_option_starts_the_table_there(run):
    data = audit(run, "stacked-tables.csv", "--header-row", "10")
    assert doc(data)["header_row"] == 10
    rows = by_line(data)
    assert sorted(rows) == [11, 12, 13, 17, 18, 19]
    assert rows[11]["source"]["label"] == "EDR alert response"


def test_label_column_option_takes_labels_from_that_column(run):
    data = audit(run, "caiq-ownership.xlsx", "--label-column", "A")
    assert doc(data)["label_column"] == "A"
    rows = by_line(data)
    assert [rows[n]["source"]["label"] for n in range(3, 9)] == ["TVM-07.1", "IAM-14.1", "LOG-05.1", "BCR-08.1", "DCS-09.1", "IAM-07.1"]
    assert rows[3]["activity"] == "vulnerability.scanning"
    assert rows[3]["roles"] == {"CSP": "A/R"}


def test_no_transpose_reads_teams_as_rows(run):
    data = audit(run, "transposed-teams.xlsx", "--no-transpose")
    assert doc(data)["orientation"] == "rows"
    assert [r["source"]["label"] for r in data["rows"]] == ["Client IT team", "Client leadership", "MSP service desk", "MSP network team"]
    assert [p["header"] for p in doc(data)["parties"]] == ["Server patching", "Backup job monitoring", "Firewall administration",
                                                          "Security awareness training", "Disaster recovery plan"]


def test_transpose_reads_columns_as_responsibilities(run):
    data = audit(run, "good.csv", "--transpose")
    assert doc(data)["orientation"] == "columns"
    assert [(r["source"]["row"], r["source"]["column"], r["source"]["label"]) for r in data["rows"]] == [
        (1, "B", "Internal IT"), (1, "C", "Provider"),
    ]
    assert [p["header"] for p in doc(data)["parties"]] == ["Tier 1 support", "Restore testing"]


def test_every_fixture_reads_without_error(run):
    for name in sorted(p.name for p in FIX.iterdir() if p.suffix in (".csv", ".xlsx") and p.name != "broken.xlsx"):
        res = run("audit", FIX / name, "--format", "json", "--fail-on", "never")
        assert res.exit_code == 0, f"{name}: {res.stderr}"


@pytest.mark.parametrize("name", ["marks-and-negatives.xlsx", "qualified-marks-and-cost.csv", "owner-words.csv"])
def test_findings_fail_the_run_but_never_as_bad_input(run, name):
    res = run("audit", FIX / name)
    assert res.exit_code == 1, res.stderr
