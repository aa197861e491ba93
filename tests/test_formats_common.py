"""What every document format shares: the format chosen by content and name, and a document with no table."""

from __future__ import annotations

import zipfile

import pytest

from raci.safety import inspect

NO_TABLE = "no table found: raci reads a responsibility matrix from the document's tables"


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("scope.md", "# Scope\n\n|===\n| a | b\n|===\n", "markdown"),        # the name says Markdown: a stray |=== is text
    ("scope.txt", "Activity,Client,MSP\nServer patching,I,A/R\n", "csv"),
    ("matrix", "| Activity | Client | MSP |\n|---|---|---|\n| Patching | I | A/R |\n", "markdown"),
    ("matrix", "= Scope\n\n|===\n| Activity | Client\n| Patching | A/R\n|===\n", "asciidoc"),
    ("matrix", "<!DOCTYPE html><html><body><table><tr><td>x</td></tr></table></body></html>", "html"),
    ("ssp", '{"system-security-plan": {"uuid": "x"}}', "oscal"),
    ("ssp.yaml", "system-security-plan:\n  uuid: x\n", "oscal"),
])
def test_the_format_is_chosen_by_name_then_content(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_text(content)
    assert inspect(path) == kind


@pytest.mark.parametrize(("name", "content"), [
    ("notes.md", "# Scope\n\nThe provider patches servers monthly.\n"),
    ("notes.html", "<html><body><p>The provider patches servers.</p></body></html>"),
    ("notes.adoc", "= Scope\n\nThe provider patches servers.\n"),
])
def test_a_text_document_without_a_table_says_so(run, tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    res = run("audit", path)
    assert (res.exit_code, res.stdout, res.stderr) == (2, "", f"Error: {path}: {NO_TABLE}\n")


def test_a_word_document_without_a_table_says_so(run, tmp_path):
    path = tmp_path / "letter.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                                        "<w:body><w:p><w:r><w:t>Dear customer</w:t></w:r></w:p></w:body></w:document>")
    res = run("audit", path)
    assert (res.exit_code, res.stderr) == (2, f"Error: {path}: {NO_TABLE}\n")
