"""PDF documents: ruled tables of every page stacked in one grid, bullet lists kept in their cell, a table continued
on the next page read as one, places such as "pdf-crm.pdf: page 2, table 1, row 3", and hostile or unreadable
PDFs refused in one line. Fixtures are written by tests/data/formats/make_docx_pdf.py."""

from __future__ import annotations

import json
import sys
import time
import zlib

import pdfminer.pdftypes
import pytest
from paths import DATA

from raci.contracts.formats import pdf
from raci.contracts.tables import Sheet
from raci.errors import DocumentError

FIX = DATA / "formats"
sys.path.insert(0, str(FIX))
import make_docx_pdf as mk  # noqa: E402

CRM = FIX / "pdf-crm.pdf"
B = "\u25aa"


def test_fixtures_are_what_the_script_writes(tmp_path):
    for name, write in mk.FIXTURES.items():
        if name.startswith("pdf-"):
            assert write(tmp_path / name).read_bytes() == (FIX / name).read_bytes(), name


# --------------------------------------------------------------------------- the grid


def test_crm_grid_every_page_every_table():
    (sheet,) = pdf.read(str(CRM))
    assert sheet.name is None
    assert list(zip(sheet.tables, sheet.lines, sheet.rows)) == [
        ("page 1, table 1", 1, ["Activity", "Customer", "Provider", "Notes"]),
        ("page 1, table 1", 2, ["Server patching", "I", "A/R", f"Monthly window {B} Windows {B} Linux"]),
        ("page 1, table 1", 3, ["Endpoint protection", "C", "A/R"]),
        ("page 1, table 1", 4, [f"Backup job monitoring {B} File servers o Nightly o Weekly full {B} Databases", "I", "A/R"]),
        ("page 1, table 1", 5, ["Restore testing", "A", "R", "Quarterly"]),
        ("page 1, table 1", 6, ["Network and security"]),  # merged over the four columns
        ("page 1, table 1", 7, ["Firewall administration", "A", "A/R"]),
        ("page 1, table 1", 0, []),
        ("page 2, table 1", 1, ["Activity", "Customer", "Provider", "Notes"]),  # the header repeated
        ("page 2, table 1", 2, ["Security awareness training", "A/R", "C"]),
        ("page 2, table 1", 3, ["User onboarding (joiners)", "R", "C", f"{B} HR request first"]),
        ("page 2, table 1", 4, ["IT budget approval", "A/R", "I"]),
        ("page 2, table 1", 0, []),
    ]
    assert sheet.merged_right == {(5, 1), (5, 2), (5, 3)}
    assert sheet.merge_parent == {(6, c): ("Network and security", 0, 3) for c in range(4)}


class _Table:
    """What _add_table needs of a pdfplumber table: cell boxes and their text by row."""

    def __init__(self, cells, texts):
        self.cells, self.texts = cells, texts

    def extract(self):
        return self.texts


def test_cells_merged_down_are_filled_and_across_are_recorded():
    # | Domain  | Activity | MSP |       the domain cell spans rows 2-3; the legend spans all columns of row 4
    # | Backup  | Restores | A/R |
    # |         | Testing  | R   |
    # | Legend: R = responsible    |
    cells = [(0, 0, 50, 10), (50, 0, 100, 10), (100, 0, 130, 10),
             (0, 10, 50, 30), (50, 10, 100, 20), (100, 10, 130, 20),
             (50, 20, 100, 30), (100, 20, 130, 30),
             (0, 30, 130, 40)]
    texts = [["Domain", "Activity", "MSP"], ["Backup", "Restores", "A/R"], [None, "Testing", "R"],
             ["Legend: R = responsible", None, None]]
    sheet = Sheet("x.pdf", None, [["title"]], [0], tables=["page 1, table 1"])
    merges = []
    pdf._add_table("x.pdf", sheet, merges, _Table(cells, texts), "page 1, table 2")
    assert merges == [(3, 1, 4, 1), (5, 1, 5, 3)]  # 1-based sheet rows: the table starts on row 2
    from raci.contracts.tables import _apply_merges

    _apply_merges("x.pdf", "document", sheet, merges)
    assert sheet.rows[1:] == [["Domain", "Activity", "MSP"], ["Backup", "Restores", "A/R"], ["Backup", "Testing", "R"],
                              ["Legend: R = responsible"], []]
    assert sheet.lines == [0, 1, 2, 3, 4, 0]
    assert sheet.merged_right == {(4, 1), (4, 2)}


def test_text_without_tables_gives_no_rows(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(mk.pdf_bytes([mk._text(50, 800, "Dear customer, no table here.")]))
    (sheet,) = pdf.read(str(path))
    assert sheet.rows == []


# --------------------------------------------------------------------------- the audit


@pytest.fixture(scope="module")
def crm_report():
    from click.testing import CliRunner

    from raci.cli import cli

    res = CliRunner().invoke(cli, ["audit", str(CRM), "--format", "json", "--fail-on", "never"], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def test_crm_layout_parties_and_roles(crm_report):
    (doc,) = crm_report["documents"]
    assert {k: doc[k] for k in ("sheet", "layout", "header_row", "label_column", "orientation")} == {
        "sheet": "page 1, table 1", "layout": "grid", "header_row": 1, "label_column": "A", "orientation": "rows"}
    assert [(p["header"], p["kind"]) for p in doc["parties"]] == [("Customer", "client"), ("Provider", "msp")]
    rows = {(r["source"]["sheet"], r["source"]["row"]): r for r in crm_report["rows"]}
    assert {k: (r["roles"], r["activity"], r["section"]) for k, r in rows.items()} == {
        ("page 1, table 1", 2): ({"Customer": "I", "Provider": "A/R"}, "patching.os-servers", None),
        ("page 1, table 1", 3): ({"Customer": "C", "Provider": "A/R"}, "endpoint.edr-deployment", None),
        ("page 1, table 1", 4): ({"Customer": "I", "Provider": "A/R"}, "backup.job-monitoring", None),
        ("page 1, table 1", 5): ({"Customer": "A", "Provider": "R"}, "backup.restore-testing", None),
        ("page 1, table 1", 7): ({"Customer": "A", "Provider": "A/R"}, "network.firewall", "Network and security"),
        # page 2: the repeated header is skipped and the rows read under page 1's header
        ("page 2, table 1", 2): ({"Customer": "A/R", "Provider": "C"}, "awareness.training", "Network and security"),
        ("page 2, table 1", 3): ({"Customer": "R", "Provider": "C"}, "identity.joiners", "Network and security"),
        ("page 2, table 1", 4): ({"Customer": "A/R", "Provider": "I"}, "strategy.budget-approval", "Network and security"),
    }
    assert rows[("page 1, table 1", 2)]["note"] == f"Monthly window {B} Windows {B} Linux"


def test_crm_findings_name_page_table_and_row(crm_report, run):
    found = {(f["source"]["sheet"], f["source"]["row"], f["rule"]) for f in crm_report["findings"] if f["source"]["row"]}
    assert found == {("page 1, table 1", 7, "multiple-accountable"), ("page 2, table 1", 3, "no-accountable")}
    res = run("audit", CRM, "--fail-on", "never")
    assert res.exit_code == 0 and res.stderr == ""
    assert ("pdf-crm.pdf: page 2, table 1, row 3 'User onboarding (joiners)': Customer is responsible for "
            "'User onboarding (joiners)', but nobody is accountable for it. [no-accountable]") in res.stdout
    assert "pdf-crm.pdf: page 1, table 1, row 7 'Firewall administration'" in res.stdout
    assert "layout: page 1, table 1, header row 1, label column A (grid)" in res.stdout


# --------------------------------------------------------------------------- refused PDFs


def _audit_refused(run, path, message: str) -> float:
    start = time.perf_counter()
    res = run("audit", path)
    elapsed = time.perf_counter() - start
    assert (res.exit_code, res.stdout, res.stderr) == (2, "", f"Error: {path}: {message}\n")
    assert elapsed < 20
    return elapsed


def test_encrypted_with_an_empty_user_password_refused(run):
    _audit_refused(run, FIX / "pdf-encrypted.pdf", "encrypted PDF: remove the password and save it again")


def test_encrypted_with_a_user_password_refused(run, tmp_path):
    path = mk.write_encrypted(tmp_path / "locked.pdf", b"secret")
    _audit_refused(run, path, "encrypted PDF: remove the password and save it again")


def test_declared_ten_thousand_pages_refused(run):
    _audit_refused(run, FIX / "pdf-10000-pages.pdf", "the PDF has 10,000 pages, more than the 500 a responsibility matrix can need")


def test_page_tree_that_understates_its_count_refused(run, tmp_path):
    path = tmp_path / "lying.pdf"
    path.write_bytes(mk.pdf_bytes([b""] * 600, count=1))
    _audit_refused(run, path, "the PDF has 600 pages, more than the 500 a responsibility matrix can need")


def test_scan_without_text_refused(run):
    _audit_refused(run, FIX / "pdf-scan.pdf", "no text layer: run OCR first (the PDF is a scan)")


def test_pages_without_any_text_object_refused(run, tmp_path):
    path = tmp_path / "lines.pdf"
    path.write_bytes(mk.pdf_bytes([mk.ruled_table(50, 700, [100, 100], [["", ""], ["", ""]])] * 3))
    _audit_refused(run, path, "no text layer: run OCR first (the PDF is a scan)")


def test_no_pages_refused(run, tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(mk.pdf_bytes([], count=0))
    _audit_refused(run, path, "the PDF has no pages")


def test_damaged_pdfs_refused(run, tmp_path):
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(CRM.read_bytes()[: CRM.stat().st_size // 2])
    _audit_refused(run, cut, "damaged PDF, cannot be read (PSEOF: Unexpected EOF)")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    _audit_refused(run, junk, "damaged PDF, cannot be read (PDFSyntaxError: No /Root object! - Is this really a PDF?)")


def test_refusals_are_document_errors_for_the_library(tmp_path):
    with pytest.raises(DocumentError) as exc:
        pdf.read(str(FIX / "pdf-scan.pdf"))
    assert exc.value.lines() == [f"{FIX / 'pdf-scan.pdf'}: no text layer: run OCR first (the PDF is a scan)"]


def _flate_pdf(path, content: bytes):
    w = mk.PdfWriter()
    catalog, tree, font = w.reserve(), w.reserve(), w.reserve()
    w.add(mk.FONT, font)
    stream = w.stream(zlib.compress(content, 9), b"/Filter /FlateDecode ")
    page = w.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                 b"/Contents %d 0 R >>" % (tree, font, stream))
    w.add(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page, tree)
    w.add(b"<< /Type /Catalog /Pages %d 0 R >>" % tree, catalog)
    path.write_bytes(w.build(catalog))
    return path


def test_stream_that_inflates_too_far_is_refused(run, tmp_path, monkeypatch):
    # the real limit is 50 MB (a 300 MB stream in 300 KB is refused in 0.6 s); 1 MB keeps the test small
    monkeypatch.setattr(pdf, "MAX_STREAM", 1024 * 1024)
    path = _flate_pdf(tmp_path / "bomb.pdf", mk._text(50, 800, "hello") + b" " * (3 * 1024 * 1024))
    _audit_refused(run, path, "a stream in the PDF inflates to more than 1 MB (a decompression bomb?); refusing to open it")
    small = _flate_pdf(tmp_path / "fine.pdf", mk.ruled_table(50, 760, mk.CRM_WIDTHS, [mk.CRM_HEADER, ["Server patching", "I", "A/R"]]))
    assert pdf.read(str(small))[0].rows[1] == ["Server patching", "I", "A/R"]
    assert pdfminer.pdftypes.zlib is zlib  # put back after reading


def test_pdfminer_warnings_do_not_reach_the_terminal(run, tmp_path):
    odd = b"/NoSuchColor cs 0.5 sc 9 9 9 9 9 rg /Missing gs /Nope Do BT /F9 9 Tf 50 820 Td (x) Tj ET "
    path = tmp_path / "odd.pdf"
    path.write_bytes(mk.pdf_bytes([odd + mk.ruled_table(50, 760, mk.CRM_WIDTHS, [
        mk.CRM_HEADER, ["Server patching", "I", "A/R", ""], ["Restore testing", "A", "R", ""]])]))
    res = run("audit", path, "--fail-on", "never")
    assert (res.exit_code, res.stderr) == (0, "")
    assert "layout: page 1, table 1, header row 1, label column A (grid)" in res.stdout
