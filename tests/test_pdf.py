"""raci render --pdf: the Word appendix converted by LibreOffice, readable (8 pt or more) and short enough to sign;
without LibreOffice, one line saying how to install it and nothing written."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from paths import DATA, MINI, ROOT, SAMPLES

import raci.word.pdf as word_pdf

ACME = DATA / "render" / "acme-internal.raci.yaml"
MISSING = "Error: --pdf needs LibreOffice (soffice); install it, e.g. apt-get install libreoffice-writer\n"


def test_without_libreoffice_pdf_is_one_line_and_nothing_is_written(run, tmp_path, monkeypatch):
    monkeypatch.setattr(word_pdf.shutil, "which", lambda name: None)
    pdf, docx, md = tmp_path / "a.pdf", tmp_path / "a.docx", tmp_path / "a.md"
    result = run("render", ACME, "--md", md, "--docx", docx, "--pdf", pdf, catalog=MINI)
    assert (result.exit_code, result.stderr, result.stdout) == (2, MISSING, "")
    assert list(tmp_path.iterdir()) == []


def test_without_soffice_on_the_path_the_command_says_so(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "raci", "--catalog", str(MINI), "render", str(ACME), "--pdf",
                           str(tmp_path / "a.pdf")], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": str(empty), "PYTHONPATH": str(ROOT)}, timeout=60)
    assert (done.returncode, done.stderr) == (2, MISSING)
    assert not (tmp_path / "a.pdf").exists()


def test_a_conversion_that_makes_no_pdf_is_one_line_and_nothing_is_written(run, tmp_path, monkeypatch):
    monkeypatch.setattr(word_pdf.shutil, "which", lambda name: "/usr/bin/soffice")
    monkeypatch.setattr(word_pdf.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a[0], 1, b"", b"Error: source file could not be loaded\n"))
    docx = tmp_path / "a.docx"
    result = run("render", ACME, "--docx", docx, "--pdf", tmp_path / "a.pdf", catalog=MINI)
    assert (result.exit_code, result.stderr) == (
        2, "Error: LibreOffice could not convert the appendix to PDF: Error: source file could not be loaded\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_riverside_pdf_is_readable_and_short_enough_to_sign(run, tmp_path):
    import pdfplumber

    pdf, docx = tmp_path / "riverside.pdf", tmp_path / "riverside.docx"
    result = run("render", SAMPLES / "riverside-clinic.raci.yaml", "--docx", docx, "--pdf", pdf)
    assert (result.exit_code, result.stderr) == (0, f"Wrote {docx}\nWrote {pdf}\n")
    with pdfplumber.open(pdf) as doc:
        pages = doc.pages
        chars = [c for page in pages for c in page.chars if c["text"].strip()]
        small = [c for c in chars if c["size"] < 7.95]
        assert len(pages) <= 16
        assert chars and len(small) / len(chars) < 0.02
        first, last = pages[0].extract_text(), pages[-1].extract_text()
    assert "DRAFT" in first and "Riverside Family Clinic" in first
    assert f"Page 1 of {len(pages)}" in first  # the footer's fields were filled in
    assert "For the client: Riverside Family Clinic" in last and "For the provider: Cascade Managed IT" in last
    assert str(tmp_path).encode() not in pdf.read_bytes()
