"""raci render --for PARTY: an extract of the Markdown appendix with the rows a party has a role in."""

from __future__ import annotations

import re

import pytest
from paths import DATA, MINI

from raci.catalog import load_catalog
from raci.engagement import load_engagement, resolve

ACME = DATA / "render" / "acme-internal.raci.yaml"


def _matrix_names(md: str) -> list[str]:
    """The activity names of the matrix tables (the first cell of each row under a domain heading)."""
    names = []
    in_matrix = False
    for line in md.splitlines():
        if line.startswith("## "):
            in_matrix = line == "## Responsibility matrix"
        elif in_matrix and line.startswith("| ") and not line.startswith(("| ID ", "| :")):
            name = re.split(r"\s+\|", line[2:])[1].strip()  # ID, then Activity
            names.append(name.removesuffix(" (after hours differ)"))
    return names


def _involving(party: str) -> list[str]:
    cat = load_catalog(MINI)
    matrix = resolve(load_engagement(ACME, cat), cat)
    acts = cat.activities
    return [acts[a].name for a in matrix.in_scope()
            if matrix.rows[a].business.get(party) or (matrix.rows[a].after_hours or {}).get(party)]


@pytest.mark.parametrize("party, name", [("client-exec", "Acme leadership"), ("Contoso", "Contoso")])
def test_an_extract_holds_the_rows_the_party_has_a_role_in_and_is_not_for_signature(run, tmp_path, party, name):
    out = tmp_path / "extract.md"
    result = run("render", ACME, "--md", out, "--for", party, catalog=MINI)
    assert (result.exit_code, result.stderr) == (0, f"Wrote {out}\n")
    md = out.read_text(encoding="utf-8")
    assert md.startswith(f"# DRAFT — Responsibility matrix: Acme &amp; Sons Manufacturing — for {name}\n")
    pid = "client-exec" if party == "client-exec" else "msp"
    assert _matrix_names(md) == _involving(pid)
    assert f"> Extract for {name}: the {len(_involving(pid))} of 7 activities in scope in which it has a role" in md
    assert "## Acceptance" not in md and "Signature" not in md
    assert "the full appendix lists them." in md


def test_the_leadership_extract_is_the_rows_it_is_accountable_for_or_told_of(run, tmp_path):
    out = tmp_path / "extract.md"
    run("render", ACME, "--md", out, "--for", "Acme leadership", catalog=MINI)
    assert _matrix_names(out.read_text(encoding="utf-8")) == ["Tier 1 support", "RMM agent deployment", "Risk acceptance"]


def test_internal_notes_reach_only_the_providers_own_internal_extract(run, tmp_path):
    notes = "Margin is thin here"
    for party, audience, shown in [("msp", "internal", True), ("client-it", "internal", False), ("msp", "client", False)]:
        out = tmp_path / f"{party}-{audience}.md"
        assert run("render", ACME, "--md", out, "--for", party, "--audience", audience, catalog=MINI).exit_code == 0
        assert (notes in out.read_text(encoding="utf-8")) is shown, (party, audience)


def test_an_unknown_party_is_one_line_naming_the_parties(run, tmp_path):
    out = tmp_path / "extract.md"
    result = run("render", ACME, "--md", out, "--for", "backup-co", catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {ACME}: --for 'backup-co' is not a party of this engagement; "
                                                    "parties: client-exec (Acme leadership), client-it (Acme IT), msp (Contoso)\n")
    assert not out.exists()


def test_the_workbook_is_always_the_whole_matrix(run, tmp_path):
    result = run("render", ACME, "--xlsx", tmp_path / "a.xlsx", "--for", "msp", catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == ("Error: --for makes an extract of the Markdown and Word appendix; the "
                                              "workbook is always the whole matrix")
    assert not (tmp_path / "a.xlsx").exists()


def test_a_word_extract_has_the_same_rows_and_no_sign_off(run, tmp_path):
    import zipfile

    out = tmp_path / "extract.docx"
    assert run("render", ACME, "--docx", out, "--for", "client-exec", catalog=MINI).exit_code == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "Extract for Acme leadership: the 3 of 7 activities in scope in which it has a role" in xml
    assert "Risk acceptance" in xml and "Alert response" not in xml
    assert "Signature" not in xml
