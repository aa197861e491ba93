"""Hostile and broken documents: each gets exit 2 and one clear line, quickly, and nothing is written."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from paths import DATA, SAMPLES

from raci import safety
from raci.catalog import load_catalog
from raci.contracts.mapping import Matcher
from raci.contracts.reader import read_document as _read_document
from raci.errors import DocumentError
from raci.mdtext import md_escape

IMPORT = DATA / "import"
GRID = SAMPLES / "contracts" / "exhibit-b-grid.xlsx"



def read_document(path):
    return _read_document(path, Matcher(load_catalog(None)))


def _audit_fails(run, path, tmp_path, expected: str):
    out = tmp_path / "report.txt"
    res = run("audit", path, "-o", out)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == f"Error: {path}: {expected}\n"
    assert "Traceback" not in res.stderr
    assert not out.exists()


def _rezip(src: bytes, path, change=None, extra: dict[str, bytes] | None = None):
    zin = zipfile.ZipFile(io.BytesIO(src))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if change is not None:
                data = change(info.filename, data)
            out.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return path


def test_missing_and_empty_files(run, tmp_path):
    _audit_fails(run, tmp_path / "nope.xlsx", tmp_path, "file not found")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    _audit_fails(run, empty, tmp_path, "the file is empty")
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"\r\n\r\n  \n")
    _audit_fails(run, blank, tmp_path, "the file is empty")


SUPPORTED = "xlsx, xlsm, csv, docx, pdf, md, html, adoc, or an OSCAL SSP or component definition in JSON or YAML"


def test_not_a_document_raci_reads(run, tmp_path):
    png = tmp_path / "logo.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    _audit_fails(run, png, tmp_path, f"not a document raci reads: the file is a PNG image (raci reads {SUPPORTED})")
    binary = tmp_path / "blob.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    _audit_fails(run, binary, tmp_path, f"not a document raci reads: the file holds binary data (raci reads {SUPPORTED})")
    text = tmp_path / "fake.xlsx"
    text.write_text("Activity,Client,MSP\n")
    _audit_fails(run, text, tmp_path, "not a workbook: a .xlsx file must be a zip package, but this one is text")
    slides = tmp_path / "deck.pptx"
    slides.write_text("not really a deck")
    _audit_fails(run, slides, tmp_path, "a .pptx file is not a document raci reads (a PowerPoint presentation); save it as xlsx, "
                                        "docx, pdf or csv")


def test_zip_that_is_neither_a_workbook_nor_a_word_document(run, tmp_path):
    deck = tmp_path / "deck.pptx"
    with zipfile.ZipFile(deck, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<presentation/>")
    _audit_fails(run, deck, tmp_path, "a .pptx is not a document raci reads (a PowerPoint presentation); save the table as xlsx or docx")
    plain = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("a.txt", "hello")
    _audit_fails(run, plain, tmp_path, "not a document raci reads: a zip archive that is neither a workbook nor a Word document")


def test_encrypted_workbook_is_password_protected(run, tmp_path):
    # An encrypted xlsx is an OLE compound file whose directory names the EncryptedPackage stream.
    ole = safety.OLE_MAGIC + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + \
        "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000
    path = tmp_path / "locked.xlsx"
    path.write_bytes(ole)
    _audit_fails(run, path, tmp_path, "password-protected (encrypted) workbook: remove the password in Excel "
                                      "(File > Info > Protect Workbook) and save again")


def test_legacy_xls_is_named(run, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(safety.OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 1000)
    _audit_fails(run, path, tmp_path, "legacy Excel 97-2003 (.xls) workbook: open it in Excel and save it as .xlsx")


def test_truncated_workbook(run, tmp_path):
    data = GRID.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _audit_fails(run, path, tmp_path, "damaged or truncated workbook (the zip package cannot be read: File is not a zip file)")


def test_corrupt_part_inside_a_valid_zip(run, tmp_path):
    path = _rezip(GRID.read_bytes(), tmp_path / "bad.xlsx",
                  lambda name, data: b"<worksheet><sheetData><row" if name == "xl/worksheets/sheet2.xml" else data)
    res = run("audit", path)
    assert res.exit_code == 2
    assert res.stderr.startswith(f"Error: {path}: damaged workbook, cannot be read (")
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


def test_zip_bomb_refused_by_ratio_quickly_and_in_bounded_memory(run, tmp_path):
    path = _rezip(GRID.read_bytes(), tmp_path / "bomb.xlsx", extra={"xl/media/image1.png": b"\x00" * (20 * 1024 * 1024)})
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(DocumentError) as exc:
        read_document(path)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert exc.value.lines()[0].startswith(f"{path}: part xl/media/image1.png inflates ")
    assert exc.value.lines()[0].endswith(" times to 20 MB (a decompression bomb?); refusing to open it")
    assert elapsed < 10  # seconds, not the minutes inflating it would take (loose: CI machines are shared)
    assert peak < 5 * 1024 * 1024  # nothing was inflated


def test_total_uncompressed_size_bound(monkeypatch, tmp_path):
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", 20_000)
    with pytest.raises(DocumentError) as exc:
        read_document(GRID)
    assert exc.value.lines()[0].startswith(f"{GRID}: the workbook inflates to ")
    assert exc.value.lines()[0].endswith("MB, more than the 0 MB limit")


def test_entry_count_bound(monkeypatch, tmp_path):
    monkeypatch.setattr(safety, "MAX_ENTRIES", 5)
    with pytest.raises(DocumentError) as exc:
        read_document(GRID)
    assert exc.value.lines() == [f"{GRID}: the package holds 10 parts, more than the 5 a workbook can need"]


def _merged(path, rows: int, merges: list[str]):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Activity", "Client", "MSP"])
    for i in range(rows):
        ws.append([f"Task {i}", "I", "A/R"])
    buf = io.BytesIO()
    wb.save(buf)
    tags = "".join(f'<mergeCell ref="{m}"/>' for m in merges).encode()
    return _rezip(buf.getvalue(), path, lambda name, data: data.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="%d">%s</mergeCells>' % (len(merges), tags))
        if name == "xl/worksheets/sheet1.xml" else data)


def test_merge_as_wide_as_the_sheet_is_clipped_to_the_cells_read(tmp_path):
    # a 40 KB workbook whose one merged range covers every column of every row: 16,384 x 2,000 cells if not clipped
    path = _merged(tmp_path / "wide.xlsx", 2000, ["E1:XFD1048576"])
    start = time.perf_counter()
    doc = read_document(path)
    assert time.perf_counter() - start < 10  # unclipped, it takes minutes; loose for a shared CI machine
    assert len(doc.rows) == 2000 and doc.rows[0].roles == {"client": "I", "msp": "A/R"}


def test_overlapping_merges_are_refused(run, tmp_path):
    path = _merged(tmp_path / "overlap.xlsx", 50, ["A1:CV51"] * 3)
    _audit_fails(run, path, tmp_path, "sheet 'Sheet' has overlapping merged cells, which Excel never writes; refusing to read it")


def test_quote_heavy_csv_is_refused_quickly(run, tmp_path):
    # csv.Sniffer is quadratic on text like this: 64 KB of it took 11 s
    path = tmp_path / "quotes.csv"
    path.write_text(',"a' * 22000)
    start = time.perf_counter()
    _audit_fails(run, path, tmp_path, "no responsibility matrix found in the file: expected a header row and columns of "
                                      "R/A/C/I letters, X or check marks, or owner words (Provider/Customer/Shared)")
    assert time.perf_counter() - start < 10  # the sniffer's quadratic time is minutes; loose for a shared CI machine


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')


def _with_entities(name: str, data: bytes) -> bytes:
    if name == "xl/worksheets/sheet2.xml":
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return BILLION_LAUGHS + body.replace(b"<t>Activity</t>", b"<t>&lol3;</t>", 1)
    return data


def test_xml_entity_expansion_refused(run, tmp_path):
    path = _rezip(GRID.read_bytes(), tmp_path / "lol.xlsx", _with_entities)
    _audit_fails(run, path, tmp_path, "part xl/worksheets/sheet2.xml declares a DTD or XML entities (an entity-expansion attack?); "
                                      "refusing to open it")


def test_xml_entities_blocked_by_defusedxml_even_past_the_scan(monkeypatch, tmp_path):
    # the second wall: openpyxl parses through defusedxml, which refuses entity declarations
    monkeypatch.setattr(safety, "_check_prolog", lambda *a: None)
    path = _rezip(GRID.read_bytes(), tmp_path / "lol.xlsx", _with_entities)
    with pytest.raises(DocumentError) as exc:
        read_document(path)
    assert exc.value.lines() == [f"{path}: damaged workbook, cannot be read (it declares XML entities, which are refused)"]


def test_no_recognisable_matrix(run, tmp_path):
    path = IMPORT / "no-matrix.csv"
    _audit_fails(run, path, tmp_path, "no responsibility matrix found in the file: expected a header row and columns of "
                                      "R/A/C/I letters, X or check marks, or owner words (Provider/Customer/Shared)")


def test_header_without_rows(run, tmp_path):
    path = IMPORT / "header-only.csv"
    _audit_fails(run, path, tmp_path, "no responsibility matrix found in the file: expected a header row and columns of "
                                      "R/A/C/I letters, X or check marks, or owner words (Provider/Customer/Shared)")


def test_every_bad_document_is_named_and_the_others_still_reported(run, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    out = tmp_path / "audit.md"
    res = run("audit", SAMPLES / "contracts" / "marks-tab-bom.csv", empty, tmp_path / "gone.csv", "--format", "md", "-o", out)
    assert res.exit_code == 2
    assert res.stderr == (f"Wrote {out}\nError: {empty}: the file is empty\nError: {tmp_path / 'gone.csv'}: file not found\n")
    text = out.read_text()
    assert f"| {md_escape(empty)} | | not read: the file is empty | | | | |" in text
    assert f"## {md_escape(SAMPLES / 'contracts' / 'marks-tab-bom.csv')}" in text


def test_nothing_written_when_no_document_can_be_read(run, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    out = tmp_path / "audit.md"
    res = run("audit", empty, "--format", "md", "-o", out)
    assert (res.exit_code, res.stderr) == (2, f"Error: {empty}: the file is empty\n")
    assert not out.exists()
