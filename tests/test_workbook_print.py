"""The workbook as a client prints it and as LibreOffice computes it: type size and pages measured in the PDF,
and the live Check column agreeing with 'raci check' on every rule a row can show."""

from __future__ import annotations

import collections
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from paths import ROOT

from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.engagement import load_engagement, resolve
from raci.excel import write_workbook
from raci.excel_matrix import ROW_RULES
from raci.roundtrip import read_workshop

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
RIVERSIDE = ROOT / "samples" / "riverside-clinic.raci.yaml"


def _convert(src: Path, to: str, tmp_path: Path) -> Path:
    outdir = tmp_path / f"lo-{to}"
    outdir.mkdir(exist_ok=True)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", to, "--outdir",
                    str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    return outdir / f"{src.stem}.{to}"


def _render(tmp_path: Path, audience: str) -> tuple[Path, object]:
    cat = load_catalog()
    matrix = resolve(load_engagement(RIVERSIDE, cat), cat)
    out = tmp_path / f"riverside-{audience}.xlsx"
    write_workbook(matrix, run_checks(matrix), out, command="raci render", audience=audience)
    return out, matrix


@needs_soffice
@pytest.mark.parametrize("audience", ["client", "internal"])
def test_the_riverside_workbook_prints_at_8_points_or_more_with_the_legend_on_every_matrix_page(tmp_path, audience):
    import pdfplumber

    xlsx, _ = _render(tmp_path, audience)
    with pdfplumber.open(_convert(xlsx, "pdf", tmp_path)) as pdf:
        sizes = collections.Counter(round(ch["size"], 1) for page in pdf.pages for ch in page.chars)
        texts = [page.extract_text() or "" for page in pdf.pages]
        pages = len(pdf.pages)
    small = sum(n for size, n in sizes.items() if size < 8)
    assert small == 0, f"{small} of {sum(sizes.values())} characters print below 8 pt"
    assert pages <= 16
    matrix_pages = [t for t in texts if "Activity" in t and "Notes" in t and "Acceptance" not in t]
    assert len(matrix_pages) >= 5
    assert all(t.startswith("R does the work") for t in matrix_pages)  # the colour legend heads every matrix page
    # the tool's columns (ID, and Check in an internal workbook) print nowhere
    assert not any("Check" in t or "servicedesk.tier1" in t or "Needs one A" in t for t in matrix_pages)


def _flagged(xlsx: Path, tmp_path: Path) -> dict[str, str]:
    """{activity id: what its Check cell says} for every row LibreOffice computes as not OK."""
    ws = load_workbook(_convert(xlsx, "xlsx", tmp_path), data_only=True)["Matrix"]
    header = [c.value for c in ws[1]]
    key, check = header.index("ID"), header.index("Check")
    return {row[key].value: row[check].value for row in ws.iter_rows(min_row=2)
            if row[key].value and row[check].value not in (None, "OK")}


def _expected(matrix) -> set[str]:
    shown = set(matrix.in_scope())
    return {f.activity for f in run_checks(matrix) if f.rule in ROW_RULES and f.activity in shown}


@needs_soffice
def test_the_live_check_flags_every_row_raci_check_flags_on_riverside_and_after_a_workshop_edit(tmp_path):
    xlsx, matrix = _render(tmp_path, "internal")
    flagged = _flagged(xlsx, tmp_path)
    assert set(flagged) == _expected(matrix)
    assert flagged["compliance.attestation"] == "A must be the client"
    assert flagged["vendors.lob-support"] == "More than one A"

    # the workshop: a second A after hours, a decision handed to the MSP, a 24x7 activity whose after-hours R is a
    # business-hours team, and the two-A row put right
    wb = load_workbook(xlsx)
    ws = wb["Matrix"]
    header = [c.value for c in ws[1]]
    rows = {row[header.index("ID")].value: row[0].row for row in ws.iter_rows(min_row=2)}
    cell = {h: i + 1 for i, h in enumerate(header)}
    ws.cell(rows["servicedesk.tier1"], cell["AH: Cascade Managed IT"]).value = "R"
    ws.cell(rows["servicedesk.tier1"], cell["Cascade Managed IT"]).value = "A"
    ws.cell(rows["governance.risk-acceptance"], cell["Cascade Managed IT"]).value = "A"
    ws.cell(rows["governance.risk-acceptance"], cell["Riverside practice leadership"]).value = "C"
    ws.cell(rows["monitoring.alert-response"], cell["AH: Riverside IT"]).value = "R"
    ws.cell(rows["monitoring.alert-response"], cell["AH: Cascade Managed IT"]).value = "-"
    ws.cell(rows["vendors.lob-support"], cell["ChartWell EHR support"]).value = "R"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    eng, _ = read_workshop(edited, matrix.catalog)
    after = resolve(eng, matrix.catalog)
    flagged = _flagged(edited, tmp_path)
    assert set(flagged) == _expected(after)
    assert flagged["governance.risk-acceptance"] == "A must be the client"
    assert flagged["servicedesk.tier1"] == "More than one A"
    assert flagged["monitoring.alert-response"] == "After-hours R is business hours only"
    assert "vendors.lob-support" not in flagged
