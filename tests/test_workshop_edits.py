"""Every edit made to a rendered workbook is applied or named: sheets beyond the Matrix, renames, the after-hours
rule cell by cell, a workbook whose _raci sheet was deleted, and render refusing to overwrite edits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from paths import DATA, MINI
from sheets import matrix_cell as _cell

from raci.catalog import Row, load_catalog
from raci.checks import run_checks
from raci.engagement import dump_engagement, load_engagement, resolve
from raci.errors import DocumentError
from raci.excel import write_workbook
from raci.roundtrip import edits_not_in, import_document, is_raci_workbook, read_workshop, workbook_kind

RENDER = DATA / "render"
ACME = RENDER / "acme.raci.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_catalog(MINI)


@pytest.fixture
def acme_xlsx(tmp_path, mini) -> Path:
    return _render(mini, ACME, tmp_path / "acme.xlsx")


def _render(catalog, engagement: Path, out: Path) -> Path:
    matrix = resolve(load_engagement(engagement, catalog), catalog)
    write_workbook(matrix, run_checks(matrix), out, command="raci render")
    return out



def _edit(path: Path, **cells) -> None:
    """Set cells given as Sheet__A1=value (a sheet name's '-' written '_')."""
    wb = load_workbook(path)
    for key, value in cells.items():
        sheet, coord = key.split("__")
        wb[sheet.replace("_", "-")][coord].value = value
    wb.save(path)


def _lines(edits) -> list[str]:
    return [str(e) for e in edits.applied]


# --------------------------------------------------------------------------- untouched


def test_an_untouched_workbook_has_no_edits(acme_xlsx, mini):
    eng, edits = read_workshop(acme_xlsx, mini)
    assert (edits.applied, edits.ignored, edits.warnings) == ([], [], [])
    assert edits.original == dataclasses.replace(load_engagement(ACME, mini), path=edits.original.path)
    assert dump_engagement(eng) == dump_engagement(load_engagement(ACME, mini))


# --------------------------------------------------------------------------- Cover, Sign-off: metadata and names


def test_cover_version_effective_date_client_and_provider_are_applied(acme_xlsx, mini):
    _edit(acme_xlsx, Cover__B8="2.2", Cover__B9=dt.datetime(2027, 1, 15), Cover__B4="Acme Manufacturing", Cover__B5="not set")
    eng, edits = read_workshop(acme_xlsx, mini)
    assert (eng.version, eng.effective, eng.client, eng.provider) == ("2.2", dt.date(2027, 1, 15), "Acme Manufacturing", "")
    assert _lines(edits) == [
        "Cover!B4: client renamed from 'Acme & Sons Manufacturing' to 'Acme Manufacturing'",
        "Cover!B5: provider is now 'not set' (was 'Contoso Managed Services')",
        "Cover!B8: version is now 2.2 (was 2.1)",
        "Cover!B9: effective date is now 2027-01-15 (was 2026-12-01)",
    ]
    assert edits.ignored == []


def test_an_effective_date_typed_as_text_is_read_and_a_bad_one_named(acme_xlsx, mini):
    _edit(acme_xlsx, Cover__B9="2027-02-01")
    assert read_workshop(acme_xlsx, mini)[0].effective == dt.date(2027, 2, 1)
    _edit(acme_xlsx, Cover__B9="next spring")
    with pytest.raises(DocumentError) as exc:
        read_workshop(acme_xlsx, mini)
    assert exc.value.lines() == [f"{acme_xlsx}:Cover!B9: effective date 'next spring' is not a date like 2026-12-01 (or 'not set')"]


def test_a_party_renamed_in_the_matrix_header_keeps_its_id(acme_xlsx, mini):
    _edit(acme_xlsx, Matrix__D1="Contoso MSP")
    eng, edits = read_workshop(acme_xlsx, mini)
    assert eng.parties["msp"].name == "Contoso MSP"
    assert list(eng.parties) == ["client-exec", "client-it", "msp"]
    assert eng.assignments == load_engagement(ACME, mini).assignments
    assert _lines(edits) == ["Matrix!D1: party msp renamed from 'Contoso' to 'Contoso MSP'"]


def test_renames_on_the_cover_apply(acme_xlsx, mini):
    wb = load_workbook(acme_xlsx)
    parties = wb["Cover"]["B11"].value.split("\n")
    parties[1] = "Acme IT Services: client, 3 staff, 24x7"
    wb["Cover"]["B11"].value = "\n".join(parties)
    wb.save(acme_xlsx)
    eng, edits = read_workshop(acme_xlsx, mini)
    assert (eng.parties["client-it"].name, eng.parties["client-it"].staff, eng.parties["client-it"].hours) == ("Acme IT Services", 3, "24x7")
    assert _lines(edits) == [
        "Cover!B11: party client-it: staff is now 3 (was 2)",
        "Cover!B11: party client-it: hours is now 24x7 (was business-hours)",
        "Cover!B11: party client-it renamed from 'Acme IT' to 'Acme IT Services'",
    ]


def test_a_workbook_of_format_2_still_takes_renames_from_its_sign_off_rows(tmp_path, mini):
    # before format 3 the Sign-off listed every party, and a name edited there renamed it; the Cover wins a conflict
    path = tmp_path / "acme-format2.xlsx"
    shutil.copy(DATA / "render" / "acme-format2.xlsx", path)
    wb = load_workbook(path)
    parties = wb["Cover"]["B11"].value.split("\n")
    parties[1] = "Acme IT Services: client, 2 staff, business-hours"
    wb["Cover"]["B11"].value = "\n".join(parties)
    wb["Sign-off"]["A6"].value = "Acme board"
    wb["Sign-off"]["A7"].value = "Acme Ops"
    wb.save(path)
    eng, edits = read_workshop(path, mini)
    assert (eng.parties["client-exec"].name, eng.parties["client-it"].name) == ("Acme board", "Acme IT Services")
    assert _lines(edits) == [
        "Cover!B11: party client-it renamed from 'Acme IT' to 'Acme IT Services'",
        "Sign-off!A6: party client-exec renamed from 'Acme leadership' to 'Acme board'",
    ]
    assert [str(p) for p in edits.ignored] == [
        f"{path}:Sign-off!A7: party name 'Acme Ops' conflicts with 'Acme IT Services' at Cover!B11, which is applied",
    ]


def test_the_sign_off_names_the_contracting_entities_with_lines_to_sign_and_is_a_draft_while_errors_are_open(acme_xlsx):
    ws = load_workbook(acme_xlsx)["Sign-off"]
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert column_a[:3] == [
        "Acceptance — DRAFT, not for signature",
        "DRAFT: not for signature. The checks of this matrix found 1 error that is still open, listed below; resolve "
        "it and issue the appendix again. (raci render --allow-open-findings issues it for signature with the errors "
        "open.)",
        "The parties accept the responsibilities in this matrix, version 2.1, effective 2026-12-01.",
    ]
    assert [c.value for c in ws[8]] == ["compliance-gap", "Security policy authoring",
                                        "HIPAA Security Rule needs Security policy authoring, but it is excluded from this engagement."]
    assert ws["A10"].value.startswith("Each person signing below confirms that they have the authority to sign")
    assert [c.value for c in ws[12]] == ["Signed for", "Client: Acme & Sons Manufacturing", "Provider: Contoso Managed Services"]
    assert column_a[12:16] == ["Signature", "Name", "Title", "Date"]
    for r in range(13, 17):  # a line to write on under each entity
        assert all(ws.cell(r, c).border.bottom.style == "thin" and ws.cell(r, c).value is None for c in (2, 3))
    assert ws.row_dimensions[13].height >= 36


def test_with_open_findings_allowed_the_sign_off_accepts_the_errors_it_lists(run, acme_yaml, tmp_path):
    xlsx = tmp_path / "signed.xlsx"
    assert run("render", acme_yaml, "--xlsx", xlsx, "--allow-open-findings", catalog=MINI).exit_code == 0
    ws = load_workbook(xlsx)["Sign-off"]
    assert [ws.cell(r, 1).value for r in (1, 2, 5)] == [
        "Acceptance",
        "The parties accept the responsibilities in this matrix, version 2.1, effective 2026-12-01. They accept it "
        "with the 1 error listed below still open.",
        "Open errors the parties accept at signature:",
    ]


# --------------------------------------------------------------------------- Exclusions and SLAs


def test_rows_added_to_and_removed_from_the_exclusions_sheet(acme_xlsx, mini):
    wb = load_workbook(acme_xlsx)
    ws = wb["Exclusions"]
    ws.delete_rows(2)  # governance.policy-authoring back in scope
    ws["B5"] = "monitoring.rmm-agent"  # an id
    ws["C6"] = "server patching"  # a name the catalog knows (an alias, any case)
    ws["A7"] = "Printer fleet"  # nothing the catalog knows
    wb.save(acme_xlsx)
    eng, edits = read_workshop(acme_xlsx, mini)
    assert eng.exclusions == ["monitoring.rmm-agent", "monitoring.patching"]
    matrix = resolve(eng, mini)
    assert matrix.excluded == {"monitoring.rmm-agent", "monitoring.patching"}
    assert _lines(edits) == [
        "Exclusions!B2: governance.policy-authoring back in scope (its row was removed from the Exclusions sheet)",
        "Exclusions!A5: monitoring.rmm-agent excluded (out of scope)",
        "Exclusions!A6: monitoring.patching excluded (out of scope)",
    ]
    assert [str(p) for p in edits.ignored] == [
        f"{acme_xlsx}:Exclusions!A7: 'Printer fleet' is not an activity or a name the catalog knows: nothing is excluded",
    ]


def test_an_activity_brought_back_in_scope_takes_the_letters_typed_for_it(acme_xlsx, mini):
    wb = load_workbook(acme_xlsx)
    wb["Exclusions"].delete_rows(2)
    ws = wb["Matrix"]
    ws.append([None, "A/R", "C", None, None, None, None, None, "governance.policy-authoring"])  # the preset gives Acme leadership A, Acme IT R
    wb.save(acme_xlsx)
    row = ws.max_row
    eng, edits = read_workshop(acme_xlsx, mini)
    assert eng.exclusions == []
    assert eng.assignments["governance.policy-authoring"] == Row({"client-exec": "A/R", "client-it": "C"})
    assert _lines(edits) == [
        f"Matrix!B{row}: governance.policy-authoring: Acme leadership is now A/R (was A)",
        f"Matrix!C{row}: governance.policy-authoring: Acme IT is now C (was R)",
        "Exclusions!B2: governance.policy-authoring back in scope (its row was removed from the Exclusions sheet)",
    ]
    assert edits.ignored == []


def test_an_activity_still_excluded_cannot_get_letters_in_the_matrix(acme_xlsx, mini):
    wb = load_workbook(acme_xlsx)
    ws = wb["Matrix"]
    ws.append(["Security policy authoring", "A/R", None, None, None, None, None, None, "governance.policy-authoring"])
    wb.save(acme_xlsx)
    with pytest.raises(DocumentError) as exc:
        read_workshop(acme_xlsx, mini)
    assert exc.value.lines() == [f"{acme_xlsx}:Matrix!I{ws.max_row}: governance.policy-authoring is excluded in this engagement; "
                                 "remove it from the Exclusions sheet to bring it back in scope"]


def test_sla_sheet_targets_are_applied_and_a_conflict_with_the_matrix_is_named(acme_xlsx, mini):
    wb = load_workbook(acme_xlsx)
    sla = wb["SLAs"]
    sla["D3"] = "10 minutes"  # alert response: read as 10m
    sla["E2"] = "4h"  # tier 1: the Matrix cell says otherwise, and wins
    _cell(wb["Matrix"], "servicedesk.tier1", "SLA (response / resolution)").value = "30m / 6h"
    sla.insert_rows(4)
    sla["A4"], sla["D4"], sla["E4"] = "governance.risk-acceptance", "1bd", "5bd"
    wb.save(acme_xlsx)
    tier1 = _cell(load_workbook(acme_xlsx)["Matrix"], "servicedesk.tier1", "SLA (response / resolution)").coordinate
    eng, edits = read_workshop(acme_xlsx, mini)
    assert eng.sla == {"servicedesk.tier1": {"response": "30m", "resolution": "6h"}, "monitoring.alert-response": {"response": "10m"},
                       "governance.risk-acceptance": {"response": "1bd", "resolution": "5bd"}}
    assert _lines(edits) == [
        f"Matrix!{tier1}: servicedesk.tier1: SLA now 30m / 6h",
        "SLAs!D3: monitoring.alert-response: SLA now 10m / -",
        "SLAs!A4: governance.risk-acceptance: SLA now 1bd / 5bd",
    ]
    assert [str(p) for p in edits.ignored] == [
        f"{acme_xlsx}:SLAs!E2: SLA of servicedesk.tier1 30m / 4h conflicts with Matrix!{tier1} (30m / 6h), which is applied",
    ]


def test_a_row_removed_from_the_sla_sheet_removes_its_targets(acme_xlsx, mini):
    wb = load_workbook(acme_xlsx)
    wb["SLAs"].delete_rows(3)
    wb.save(acme_xlsx)
    eng, edits = read_workshop(acme_xlsx, mini)
    assert eng.sla == {"servicedesk.tier1": {"response": "30m", "resolution": "8h"}}
    assert _lines(edits) == ["SLAs!A3: monitoring.alert-response: SLA removed"]


# --------------------------------------------------------------------------- cells that are not read back


def test_edits_raci_does_not_read_back_are_named_by_sheet_and_cell(acme_xlsx, mini):
    wb = load_workbook(acme_xlsx)
    wb["Legend"]["B4"] = "Consulted: asked first, always"
    wb["Summary"]["B2"] = "vendor"
    wb["Summary"]["D2"] = 3  # a count formula typed over
    wb["Findings"]["G2"] = "Not a problem for us"
    wb["Cover"]["B7"] = "fully-managed"
    wb["Sign-off"]["B13"] = "Jane Doe"
    wb["Sign-off"]["A3"] = "The parties accept."
    _cell(wb["Matrix"], "servicedesk.tier1", "Activity").value = "Tier 1 help"
    wb.create_sheet("Workshop notes")["A1"] = "follow up"
    wb.save(acme_xlsx)
    tier1 = _cell(load_workbook(acme_xlsx)["Matrix"], "servicedesk.tier1", "Activity").coordinate
    eng, edits = read_workshop(acme_xlsx, mini)
    assert dump_engagement(eng) == dump_engagement(load_engagement(ACME, mini))
    assert edits.applied == []
    assert edits.lines() == [
        f"{acme_xlsx}:Matrix!{tier1}: edited, but activity names come from the catalog (add a note instead)",
        f"{acme_xlsx}:Cover!B7: edited, but this part of the Cover is not read back (change the engagement file instead)",
        f"{acme_xlsx}:Sign-off!A3: edited, but the Sign-off text is not read back (change the engagement file instead)",
        f"{acme_xlsx}:Sign-off!B13: edited, but signatures are not read back (they are not part of the engagement)",
        f"{acme_xlsx}:Legend!B4: edited, but the Legend is not read back (change the engagement file instead)",
        f"{acme_xlsx}:Summary!B2: edited, but the Summary is not read back (its counts follow the Matrix)",
        f"{acme_xlsx}:Summary!D2: edited, but the Summary is not read back (its counts follow the Matrix)",
        f"{acme_xlsx}:Findings!G2: edited, but the Findings are not read back (run raci check after importing)",
        f"{acme_xlsx}:Workshop notes: a sheet raci does not write: it is not read",
    ]


def test_a_column_added_to_the_matrix_is_named_with_its_cells(acme_xlsx, mini):
    wb = load_workbook(acme_xlsx)
    ws = wb["Matrix"]
    ws["K1"] = "Owner (name)"
    ws["K3"] = "Jane"
    ws["K4"] = "Raj"
    wb.save(acme_xlsx)
    _, edits = read_workshop(acme_xlsx, mini)
    assert edits.lines() == [f"{acme_xlsx}:Matrix!K1: column 'Owner (name)' is not one raci writes: its 2 cells are not read "
                             "(put them in Notes)"]


def test_raci_import_prints_each_ignored_edit_as_a_warning_and_exits_0(run, acme_xlsx, tmp_path):
    _edit(acme_xlsx, Legend__B4="Consulted: asked first", Matrix__C3="C")
    out = tmp_path / "back.raci.yaml"
    result = run("import", acme_xlsx, "-o", out, catalog=MINI)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (f"Warning: {acme_xlsx}:Legend!B4: edited, but the Legend is not read back "
                                             "(change the engagement file instead)")
    assert result.stderr.splitlines()[1].startswith(f"Wrote {out} ")
    assert "servicedesk.tier1: {client-exec: I, client-it: C}" in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the after-hours rule, cell by cell


def test_blank_after_hours_is_the_same_as_business_hours_and_dash_is_no_role(tmp_path, mini):
    path = _render(mini, RENDER / "nobody-after-hours.raci.yaml", tmp_path / "nobody.xlsx")
    ws = load_workbook(path)["Matrix"]
    assert _cell(ws, "monitoring.alert-response", "AH: Acme IT").value == "-"
    eng, _ = read_workshop(path, mini)
    assert eng.assignments["monitoring.alert-response"] == Row({"client-it": "A/R"}, {})
    # blank it: the same as business hours
    wb = load_workbook(path)
    _cell(wb["Matrix"], "monitoring.alert-response", "AH: Acme IT").value = None
    wb.save(path)
    eng, edits = read_workshop(path, mini)
    assert eng.assignments["monitoring.alert-response"] == Row({"client-it": "A/R"})
    assert resolve(eng, mini).rows["monitoring.alert-response"].window("after-hours") == {"client-it": "A/R"}
    assert [e.message for e in edits.applied] == ["monitoring.alert-response: Acme IT after hours is now as in business hours (was no role)"]
    # and '-' typed into a blank cell: nobody after hours for that party only
    wb = load_workbook(path)
    _cell(wb["Matrix"], "servicedesk.tier1", "AH: Acme IT").value = "-"
    wb.save(path)
    eng, _ = read_workshop(path, mini)
    assert eng.assignments["servicedesk.tier1"] == Row({"client-it": "A/R", "client-exec": "I"}, {"client-exec": "I"})


def test_render_then_import_is_exact_with_dashes_and_blanks_mixed(tmp_path, mini):
    eng = load_engagement(ACME, mini)
    eng.assignments["monitoring.rmm-agent"] = Row({"client-it": "A/R", "msp": "C", "client-exec": "I"},
                                                   {"client-it": "A", "msp": "R", "client-exec": "I"})
    eng.assignments["governance.risk-acceptance"] = Row({"client-exec": "A/R", "client-it": "C"}, {"client-exec": "A"})
    matrix = resolve(eng, mini)
    path = tmp_path / "mixed.xlsx"
    write_workbook(matrix, [], path, command="raci render")
    ws = load_workbook(path)["Matrix"]
    assert _cell(ws, "governance.risk-acceptance", "AH: Acme IT").value == "-"
    assert _cell(ws, "monitoring.rmm-agent", "AH: Contoso").value == "R"
    back, edits = read_workshop(path, mini)
    assert edits.applied == []
    assert dataclasses.replace(back, path="x") == dataclasses.replace(eng, path="x")


def test_a_workbook_of_format_1_reads_back_exactly_and_keeps_its_after_hours_meaning(tmp_path, mini):
    path = tmp_path / "acme-format1.xlsx"
    shutil.copy(DATA / "workshop" / "acme-format1.xlsx", path)
    eng, edits = read_workshop(path, mini)
    assert dump_engagement(eng) == dump_engagement(load_engagement(ACME, mini))
    assert (edits.applied, edits.lines()) == ([], [])
    # then, once one after-hours cell of a row was set, a blank one beside it meant no role
    wb = load_workbook(path)
    _cell(wb["Matrix"], "servicedesk.tier3", "After hours: Contoso").value = "R"
    wb.save(path)
    eng, _ = read_workshop(path, mini)
    assert eng.assignments["servicedesk.tier3"] == Row({"client-it": "A", "msp": "R"}, {"msp": "R"})


# --------------------------------------------------------------------------- a workbook without its _raci sheet


def test_a_workbook_without_its_raci_sheet_is_read_from_the_visible_sheets(acme_xlsx, mini):
    _edit(acme_xlsx, Matrix__C3="C")
    wb = load_workbook(acme_xlsx)
    del wb["_raci"]
    wb.save(acme_xlsx)
    assert workbook_kind(acme_xlsx) == "bare" and not is_raci_workbook(acme_xlsx)
    eng, edits = read_workshop(acme_xlsx, mini)
    assert [str(p) for p in edits.warnings] == [
        f"{acme_xlsx}: has no hidden _raci sheet (was it deleted?): it is read as a workbook raci rendered, with the parties "
        "and exclusions taken from the visible sheets (Matrix header, Cover, Exclusions); check them"]
    original = load_engagement(ACME, mini)
    assert eng.parties == original.parties  # the after-hours columns are not parties
    assert (eng.client, eng.provider, eng.version, eng.effective, eng.presets, eng.profile) == (
        original.client, original.provider, original.version, original.effective, original.presets, original.profile)
    assert eng.exclusions == ["governance.policy-authoring"]
    assert eng.notes == original.notes and eng.sla == original.sla
    expected = resolve(original, mini).rows
    rows = resolve(eng, mini).rows
    assert rows["servicedesk.tier1"] == Row({"client-exec": "I", "client-it": "C"})
    assert all(rows[a] == expected[a] or (rows[a].business == expected[a].business and
               rows[a].window("after-hours") == expected[a].window("after-hours"))
               for a in expected if a not in ("servicedesk.tier1", "governance.policy-authoring"))


def test_raci_import_reads_a_workbook_without_raci_sheet_as_ours_not_as_a_contract(run, acme_xlsx, tmp_path, mini):
    wb = load_workbook(acme_xlsx)
    del wb["_raci"]
    del wb["Cover"]  # no Cover: kinds come from the Summary
    wb.save(acme_xlsx)
    eng = import_document(acme_xlsx, mini, warn=lambda line: None)
    assert not eng.contract_rows
    assert {p.id: p.kind for p in eng.parties.values()} == {"client-exec": "client", "client-it": "client", "msp": "msp"}
    out = tmp_path / "back.raci.yaml"
    result = run("import", acme_xlsx, "-o", out, catalog=MINI)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Warning: {acme_xlsx}: has no hidden _raci sheet")
    assert "contract_rows" not in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- render does not overwrite edits


@pytest.fixture
def acme_yaml(tmp_path) -> Path:
    path = tmp_path / "acme.raci.yaml"
    shutil.copy(ACME, path)
    return path


def test_render_refuses_to_replace_a_workbook_with_edits_not_in_the_engagement(run, acme_yaml, tmp_path):
    xlsx = tmp_path / "acme.xlsx"
    assert run("render", acme_yaml, "--xlsx", xlsx, catalog=MINI).exit_code == 0
    wb = load_workbook(xlsx)
    wb["Matrix"]["C3"] = "C"
    wb["Cover"]["B8"] = "3.0"
    wb.save(xlsx)
    before = xlsx.read_bytes()
    result = run("render", acme_yaml, "--xlsx", xlsx, catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {xlsx} holds 2 edits not in {acme_yaml} (Matrix!C3, Cover!B8); "
                             "import them first, or pass --force to replace it\n")
    assert xlsx.read_bytes() == before
    result = run("render", acme_yaml, "--xlsx", xlsx, "--force", catalog=MINI)
    assert result.exit_code == 0, result.output
    assert load_workbook(xlsx)["Matrix"]["C3"].value == "A/R"


def test_render_refuses_to_replace_a_signed_workbook_whose_signatures_raci_does_not_read(run, acme_yaml, tmp_path):
    xlsx = tmp_path / "acme.xlsx"
    run("render", acme_yaml, "--xlsx", xlsx, catalog=MINI)
    _edit(xlsx, Sign_off__B13="Jane Smith", Sign_off__C16="2026-12-01")
    before = xlsx.read_bytes()
    result = run("render", acme_yaml, "--xlsx", xlsx, catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {xlsx} holds 2 cells edited by hand that raci does not read "
                                                    "back (Sign-off!B13, Sign-off!C16); keep a copy, or pass --force to replace it\n")
    assert xlsx.read_bytes() == before
    assert run("render", acme_yaml, "--xlsx", xlsx, "--force", catalog=MINI).exit_code == 0


def test_render_replaces_a_workbook_whose_edits_were_imported(run, acme_yaml, tmp_path):
    xlsx = tmp_path / "acme.xlsx"
    run("render", acme_yaml, "--xlsx", xlsx, catalog=MINI)
    _edit(xlsx, Matrix__C3="C")
    assert run("import", xlsx, "--into", acme_yaml, catalog=MINI).exit_code == 0
    result = run("render", acme_yaml, "--xlsx", xlsx, catalog=MINI)
    assert result.exit_code == 0, result.output
    # and a workbook with no edits is replaced by a render of a changed engagement
    acme_yaml.write_text(acme_yaml.read_text(encoding="utf-8").replace("version: '2.1'", "version: '2.2'"), encoding="utf-8")
    assert run("render", acme_yaml, "--xlsx", xlsx, catalog=MINI).exit_code == 0


def test_render_refuses_a_workbook_raci_did_not_render(run, acme_yaml, tmp_path):
    xlsx = tmp_path / "acme.xlsx"
    xlsx.write_bytes(b"a spreadsheet someone made")
    result = run("render", acme_yaml, "--xlsx", xlsx, catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {xlsx} exists and is not a workbook raci rendered from this engagement; "
                             "pass --force to replace it\n")
    assert xlsx.read_bytes() == b"a spreadsheet someone made"
    assert run("render", acme_yaml, "--xlsx", xlsx, "--force", catalog=MINI).exit_code == 0


def test_edits_not_in_tells_which_edits_an_engagement_lacks(acme_xlsx, mini):
    _edit(acme_xlsx, Matrix__C3="C", Cover__B8="3.0")
    eng, edits = read_workshop(acme_xlsx, mini)
    original = load_engagement(ACME, mini)
    assert [e.where for e in edits_not_in(edits, original, mini)] == ["Matrix!C3", "Cover!B8"]
    assert edits_not_in(edits, eng, mini) == []
    assert edits.original == dataclasses.replace(original, path=edits.original.path)
