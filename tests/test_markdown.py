"""The Markdown appendix: golden files, escaping, well-formed GFM tables, template overrides and template errors."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from paths import DATA, MINI

from raci import __version__
from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.engagement import load_engagement, resolve
from raci.errors import TemplateError
from raci.markdown import md_escape, render_markdown

RENDER = DATA / "render"
GOLDEN = Path(__file__).resolve().parent / "golden"
COMMAND = "raci render appendix.raci.yaml --md appendix.md"


def _markdown(catalog_dir: Path, engagement: Path, template_dir: Path | None = None) -> str:
    cat = load_catalog(catalog_dir)
    matrix = resolve(load_engagement(engagement, cat), cat)
    text = render_markdown(matrix, run_checks(matrix), command=COMMAND, template_dir=template_dir)
    return text.replace(f"raci {__version__},", "raci VERSION,")


def _tables(text: str) -> list[list[list[str]]]:
    """Each GFM table as rows of cells, splitting on pipes that are not escaped."""
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            current.append([c.strip() for c in cells])
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


@pytest.mark.parametrize("name,catalog_dir,engagement", [
    ("acme", MINI, RENDER / "acme.raci.yaml"),
    ("risky", RENDER / "risky-catalog", RENDER / "risky.raci.yaml"),
])
def test_rendered_markdown_matches_the_golden_file(name, catalog_dir, engagement):
    assert _markdown(catalog_dir, engagement) == (GOLDEN / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("catalog_dir,engagement", [(MINI, RENDER / "acme.raci.yaml"), (RENDER / "risky-catalog", RENDER / "risky.raci.yaml")])
def test_every_table_row_has_as_many_cells_as_its_header(catalog_dir, engagement):
    text = _markdown(catalog_dir, engagement)
    tables = _tables(text)
    assert len(tables) >= 6
    for table in tables:
        header, delimiter, *body = table
        assert all(re.fullmatch(r":?-+:?", d) for d in delimiter), delimiter
        assert len(delimiter) == len(header)
        for row in body:
            assert len(row) == len(header), row
    assert "<script>" not in text and "<b>" not in text


def test_user_text_is_escaped_for_tables_and_html():
    assert md_escape("Blue|Sky <b>MSP</b> & co") == "Blue\\|Sky &lt;b&gt;MSP&lt;/b&gt; &amp; co"
    assert md_escape("line one\nline two\r\nthree\rfour") == "line one<br>line two<br>three<br>four"
    assert md_escape("*bold* _it_ `code` [link] ~strike~ back\\slash") == (
        "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\] \\~strike\\~ back\\\\slash")
    assert md_escape(None) == ""
    assert md_escape(42) == "42"


def test_a_template_dir_overrides_one_template_and_keeps_the_rest():
    text = _markdown(MINI, RENDER / "acme.raci.yaml", RENDER / "templates-override")
    assert text.startswith("# Exhibit B: responsibility matrix for Acme &amp; Sons Manufacturing\n\nVersion 2.1.\n")
    assert "## Legend" in text and "### Service desk" in text  # bundled templates for the rest


def test_an_undefined_variable_names_the_template_and_line():
    with pytest.raises(TemplateError) as exc:
        _markdown(MINI, RENDER / "acme.raci.yaml", RENDER / "templates-undefined")
    path = RENDER / "templates-undefined" / "legend.md.j2"
    assert exc.value.lines() == [f"{path}:3: template error: 'legend_title' is undefined"]


def test_a_syntax_error_names_the_template_and_line():
    with pytest.raises(TemplateError) as exc:
        _markdown(MINI, RENDER / "acme.raci.yaml", RENDER / "templates-syntax")
    [line] = exc.value.lines()
    assert line.startswith(f"{RENDER / 'templates-syntax' / 'sla.md.j2'}:4: template syntax error: Unexpected end of template.")


def test_a_template_that_includes_itself_is_an_error_not_a_crash():
    with pytest.raises(TemplateError) as exc:
        _markdown(MINI, RENDER / "acme.raci.yaml", RENDER / "templates-recursive")
    assert exc.value.lines() == [f"{RENDER / 'templates-recursive' / 'title.md.j2'}:2: template error: "
                                 "templates include or call each other without end"]


def test_an_activity_nobody_covers_after_hours_is_listed_as_differing():
    text = _markdown(MINI, RENDER / "nobody-after-hours.raci.yaml")
    assert "| monitoring.alert-response | Alert response (after hours differ) |  | A/R |  |  |\n" in text
    assert "| monitoring.alert-response | Alert response | Acme IT: A/R | no roles |\n" in text
    assert "Roles are the same at all hours." not in text


def test_a_missing_template_dir_is_an_error(tmp_path):
    with pytest.raises(TemplateError) as exc:
        _markdown(MINI, RENDER / "acme.raci.yaml", tmp_path / "nope")
    assert exc.value.lines() == [f"{tmp_path / 'nope'}: template folder not found"]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_converts_the_appendix_to_word_with_one_table_per_section(tmp_path):
    md = tmp_path / "acme.md"
    md.write_text(_markdown(MINI, RENDER / "acme.raci.yaml"), encoding="utf-8")
    docx = tmp_path / "acme.docx"
    subprocess.run(["pandoc", "-f", "gfm", "-o", str(docx), str(md)], check=True, capture_output=True, timeout=60)
    with zipfile.ZipFile(docx) as zf:
        xml = zf.read("word/document.xml").decode()
    assert xml.count("<w:tbl>") == len(_tables(md.read_text(encoding="utf-8")))
    assert "Password resets | unlocks" in xml
    assert "Acme &amp; Sons Manufacturing" in xml
