"""A workbook made by raci render, edited in a workshop (openpyxl, LibreOffice), imports back as the same engagement."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from paths import DATA, MINI
from sheets import matrix_cell as _cell

from raci.catalog import Row, load_catalog
from raci.checks import run_checks
from raci.engagement import dump_engagement, load_engagement, resolve
from raci.errors import DocumentError
from raci.excel import write_workbook
from raci.roundtrip import import_document, is_raci_workbook, read_raci_workbook, read_workshop

RENDER = DATA / "render"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def mini():
    return load_catalog(MINI)


def _render(catalog, engagement: Path, out: Path) -> Path:
    eng = load_engagement(engagement, catalog)
    matrix = resolve(eng, catalog)
    write_workbook(matrix, run_checks(matrix), out, command="raci render")
    return out


def _same(a, b) -> None:
    """Same engagement: every field, and the same engagement file text."""
    assert dataclasses.replace(a, path="x") == dataclasses.replace(b, path="x")
    assert dump_engagement(a) == dump_engagement(b)



def _libreoffice_roundtrip(src: Path, tmp_path: Path) -> Path:
    outdir = tmp_path / "lo"
    outdir.mkdir()
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir",
                    str(outdir), str(src)], check=True, capture_output=True, timeout=120)
    return outdir / src.name


@pytest.mark.parametrize("catalog_dir,engagement", [
    (MINI, RENDER / "acme.raci.yaml"),
    (MINI, DATA / "engagements" / "good.raci.yaml"),
    (RENDER / "risky-catalog", RENDER / "risky.raci.yaml"),
    (MINI, RENDER / "control-chars.raci.yaml"),
    (MINI, RENDER / "after-hours-name.raci.yaml"),
    (MINI, RENDER / "nobody-after-hours.raci.yaml"),
])
def test_an_untouched_workbook_imports_as_exactly_the_same_engagement(tmp_path, catalog_dir, engagement):
    cat = load_catalog(catalog_dir)
    path = _render(cat, engagement, tmp_path / "appendix.xlsx")
    assert is_raci_workbook(path)
    _same(read_raci_workbook(path, cat), load_engagement(engagement, cat))


def test_workshop_edits_through_openpyxl_become_assignments_notes_and_slas(tmp_path, mini):
    path = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    wb = load_workbook(path)
    ws = wb["Matrix"]
    allowed = ws.data_validations.dataValidation[0].formula1.strip('"').split(",")
    # tier 1 moves to the MSP: a letter changed through the dropdown's values, and one typed in lower case
    _cell(ws, "servicedesk.tier1", "Acme IT").value = allowed[allowed.index("C")]
    _cell(ws, "servicedesk.tier1", "Contoso").value = "a/r"
    _cell(ws, "monitoring.rmm-agent", "Notes").value = "Agent on every laptop | server"
    _cell(ws, "monitoring.patching", "Notes").value = None
    _cell(ws, "servicedesk.tier3", "SLA (response / resolution)").value = "1h / 2bd"
    _cell(ws, "servicedesk.tier1", "SLA (response / resolution)").value = ""
    wb.save(path)

    eng = read_raci_workbook(path, mini)
    original = load_engagement(RENDER / "acme.raci.yaml", mini)
    assert eng.assignments["servicedesk.tier1"] == Row({"client-exec": "I", "client-it": "C", "msp": "A/R"})
    assert list(eng.assignments) == ["monitoring.patching", "servicedesk.tier2", "servicedesk.tier1"]
    assert eng.assignments["servicedesk.tier2"] == original.assignments["servicedesk.tier2"]
    assert eng.notes == {"servicedesk.tier1": "Password resets | unlocks", "monitoring.rmm-agent": "Agent on every laptop | server"}
    assert eng.sla == {"monitoring.alert-response": {"response": "15m"}, "servicedesk.tier3": {"response": "1h", "resolution": "2bd"}}
    # everything not edited is exactly as it was
    for field in ("client", "provider", "version", "effective", "presets", "profile", "parties", "exclusions", "thresholds"):
        assert getattr(eng, field) == getattr(original, field)
    matrix = resolve(eng, mini)
    assert matrix.rows["servicedesk.tier1"].business["msp"] == "A/R"


def test_a_row_edited_back_to_what_the_presets_give_drops_its_assignment(tmp_path, mini):
    path = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    wb = load_workbook(path)
    ws = wb["Matrix"]
    # monitoring.patching is an assignment {msp: A/R, client-it: I}; in-house gives {client-it: A/R, client-exec: I}
    _cell(ws, "monitoring.patching", "Acme IT").value = "A/R"
    _cell(ws, "monitoring.patching", "Contoso").value = None
    _cell(ws, "monitoring.patching", "Acme leadership").value = "I"
    wb.save(path)
    eng = read_raci_workbook(path, mini)
    assert "monitoring.patching" not in eng.assignments
    assert resolve(eng, mini).rows["monitoring.patching"] == Row({"client-it": "A/R", "client-exec": "I"})


def test_after_hours_cells_edit_the_after_hours_row_cell_by_cell(tmp_path, mini):
    path = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    wb = load_workbook(path)
    ws = wb["Matrix"]
    # blank after-hours cells are the business-hours roles: the row is the same at all hours again
    _cell(ws, "servicedesk.tier2", "AH: Acme IT").value = None
    _cell(ws, "servicedesk.tier2", "AH: Contoso").value = None
    # '-' is no role after hours; the blank cell beside it still means "as in business hours"
    _cell(ws, "servicedesk.tier3", "AH: Contoso").value = "-"
    # one cell set, the other left blank: the blank party keeps its business-hours role (A/R), not none
    _cell(ws, "servicedesk.tier1", "AH: Contoso").value = "R"
    # R after hours where the business role is R already changes nothing
    _cell(ws, "monitoring.rmm-agent", "AH: Acme IT").value = "a/r"
    wb.save(path)
    eng = read_raci_workbook(path, mini)
    assert eng.assignments["servicedesk.tier2"] == Row({"client-it": "A/R", "msp": "C"})
    assert eng.assignments["servicedesk.tier3"] == Row({"client-it": "A", "msp": "R"}, {"client-it": "A"})
    assert eng.assignments["servicedesk.tier1"] == Row({"client-exec": "I", "client-it": "A/R"},
                                                       {"client-exec": "I", "client-it": "A/R", "msp": "R"})
    assert "monitoring.rmm-agent" not in eng.assignments


def test_sorting_the_matrix_does_not_change_what_is_imported(tmp_path, mini):
    path = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    wb = load_workbook(path)
    ws = wb["Matrix"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for r, values in enumerate(reversed(rows), start=2):
        for c, v in enumerate(values, start=1):
            ws.cell(r, c).value = v
    wb.save(path)
    _same(read_raci_workbook(path, mini), load_engagement(RENDER / "acme.raci.yaml", mini))


def test_bad_edits_name_the_sheet_and_cell(tmp_path, mini):
    path = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    wb = load_workbook(path)
    ws = wb["Matrix"]
    bad = _cell(ws, "servicedesk.tier1", "Acme IT")
    bad.value = "X"
    sla = _cell(ws, "servicedesk.tier2", "SLA (response / resolution)")
    sla.value = "soon"
    ws.delete_rows(_cell(ws, "governance.risk-acceptance", "ID").row)
    wb.save(path)
    with pytest.raises(DocumentError) as exc:
        read_raci_workbook(path, mini)
    assert exc.value.lines() == [
        f"{path}:Matrix!{bad.coordinate}: 'X' is not a role letter (use R, A, C, I or A/R)",
        f"{path}:Matrix!{sla.coordinate}: SLA 'soon' is not 'response / resolution' with durations such as 30m / 8h (use - for none)",
        f"{path}:Matrix: activity governance.risk-acceptance is missing from the Matrix sheet (was its row deleted?)",
    ]


def test_letters_in_a_row_without_an_activity_id_are_reported(tmp_path, mini):
    path = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    wb = load_workbook(path)
    ws = wb["Matrix"]
    row = ws.max_row + 1
    ws.cell(row, 3).value = "R"
    wb.save(path)
    with pytest.raises(DocumentError) as exc:
        read_raci_workbook(path, mini)
    assert exc.value.lines() == [f"{path}:Matrix!I{row}: role letters in a row without an activity id"]  # the ID column


def test_a_deleted_party_header_is_reported(tmp_path, mini):
    path = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    wb = load_workbook(path)
    wb["Matrix"]["D1"].value = None
    wb.save(path)
    with pytest.raises(DocumentError) as exc:
        read_raci_workbook(path, mini)
    assert exc.value.lines() == [f"{path}:Matrix!1:1: column 'Contoso' is missing from the header row"]


def test_other_files_are_not_raci_workbooks(tmp_path, mini):
    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active["A1"] = "Function"
    wb.save(plain)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    truncated = tmp_path / "truncated.xlsx"
    good = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    truncated.write_bytes(good.read_bytes()[:2000])
    macro = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\0" * 10)
    for path in (plain, text, truncated, macro, tmp_path / "missing.xlsx"):
        assert not is_raci_workbook(path)
    with pytest.raises(DocumentError):  # the general importer's business, not the round trip's
        import_document(plain, mini)


def test_a_workbook_rendered_with_another_catalog_says_which(tmp_path, mini):
    risky_cat = load_catalog(RENDER / "risky-catalog")
    path = _render(risky_cat, RENDER / "risky.raci.yaml", tmp_path / "risky.xlsx")
    with pytest.raises(DocumentError) as exc:
        read_raci_workbook(path, mini)
    assert any("rendered with the catalog" in line and "risky-catalog" in line for line in exc.value.lines())


@needs_soffice
def test_libreoffice_round_trip_of_an_edited_workbook(tmp_path, mini):
    path = _render(mini, RENDER / "acme.raci.yaml", tmp_path / "acme.xlsx")
    wb = load_workbook(path)
    ws = wb["Matrix"]
    _cell(ws, "servicedesk.tier1", "Contoso").value = "C"
    note = _cell(ws, "governance.risk-acceptance", "Notes")
    note.value = "=Board minutes, Q1"
    note.data_type = "s"  # typed as text, as Excel does for '=Board minutes
    two_a = _cell(ws, "servicedesk.tier3", "Contoso")
    two_a.value = "A"
    wb.save(path)
    saved = _libreoffice_roundtrip(path, tmp_path)
    assert is_raci_workbook(saved)
    eng = read_raci_workbook(saved, mini)
    assert eng.assignments["servicedesk.tier1"] == Row({"client-exec": "I", "client-it": "A/R", "msp": "C"})
    assert eng.assignments["servicedesk.tier3"] == Row({"client-it": "A", "msp": "A"})
    assert eng.notes["governance.risk-acceptance"] == "=Board minutes, Q1"
    # LibreOffice computed the live check: the row with two A turned into a failing check
    values = load_workbook(saved, data_only=True)["Matrix"]
    assert _cell(values, "servicedesk.tier3", "Check").value == "More than one A"
    assert _cell(values, "servicedesk.tier1", "Check").value == "OK"
    summary = load_workbook(saved, data_only=True)["Summary"]
    assert [c.value for c in summary[4]][:7] == ["Contoso", "msp", 40, 1, 2, 2, 0]


@needs_soffice
def test_libreoffice_round_trip_of_an_untouched_workbook_is_exact(tmp_path):
    cat = load_catalog(RENDER / "risky-catalog")
    path = _render(cat, RENDER / "risky.raci.yaml", tmp_path / "risky.xlsx")
    saved = _libreoffice_roundtrip(path, tmp_path)
    _same(read_raci_workbook(saved, cat), load_engagement(RENDER / "risky.raci.yaml", cat))
    # LibreOffice's way of saving (numbers, formulas, quote prefixes) is not mistaken for an edit
    _, edits = read_workshop(saved, cat)
    assert (edits.applied, edits.lines()) == ([], [])
