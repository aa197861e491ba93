"""The Markdown appendix: golden files, escaping, well-formed and padded GFM tables, template overrides and errors."""

from __future__ import annotations

import json
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
from raci.markdown import align_tables, md_escape, render_markdown

RENDER = DATA / "render"
GOLDEN = Path(__file__).resolve().parent / "golden"
COMMAND = "raci render appendix.raci.yaml --md appendix.md --audience internal"


def _markdown(catalog_dir: Path, engagement: Path, template_dir: Path | None = None, **options) -> str:
    cat = load_catalog(catalog_dir)
    matrix = resolve(load_engagement(engagement, cat), cat)
    text = render_markdown(matrix, run_checks(matrix), command=COMMAND, template_dir=template_dir, **options)
    return text.replace(f"raci {__version__} from", "raci VERSION from")


def _squeezed(text: str) -> str:
    """Padded tables with their runs of spaces squeezed to one, to look for a row."""
    return re.sub(r" {2,}", " ", text)


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


GOLDENS = [
    # a client appendix with an open error: DRAFT, no preset ids, no command, no info finding
    ("acme", MINI, RENDER / "acme.raci.yaml", {}),
    # no finding at all: issued for signature; every user text starts like a formula
    ("risky", RENDER / "risky-catalog", RENDER / "risky.raci.yaml", {}),
    # internal: preset ids, the Check column, the info finding, the command and the internal notes
    ("acme-internal", MINI, RENDER / "acme-internal.raci.yaml", {"audience": "internal"}),
    # the open error accepted at signature
    ("acme-signed", MINI, RENDER / "acme.raci.yaml", {"allow_open_findings": True}),
]


@pytest.mark.parametrize("name,catalog_dir,engagement,options", GOLDENS, ids=[g[0] for g in GOLDENS])
def test_rendered_markdown_matches_the_golden_file(name, catalog_dir, engagement, options):
    assert _markdown(catalog_dir, engagement, **options) == (GOLDEN / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name,catalog_dir,engagement,options", GOLDENS, ids=[g[0] for g in GOLDENS])
def test_every_table_row_has_as_many_cells_as_its_header_and_is_padded(name, catalog_dir, engagement, options):
    text = _markdown(catalog_dir, engagement, **options)
    tables = _tables(text)
    assert len(tables) >= 7
    for table in tables:
        header, delimiter, *body = table
        assert all(re.fullmatch(r":?-+:?", d) for d in delimiter), delimiter
        assert len(delimiter) == len(header)
        for row in body:
            assert len(row) == len(header), row
    assert "<script>" not in text and "<b>" not in text
    for block in _table_lines(text):
        # every column starts at the same place on each line, but where a cell is longer than MAX_PAD
        short = [line for line in block if max(map(len, re.split(r"(?<!\\)\|", line))) <= 75]
        assert len({tuple(m.start() for m in re.finditer(r"(?<!\\)\|", line)) for line in short}) == 1, block


def _table_lines(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def test_aligning_a_table_keeps_its_cells_and_alignment_and_is_idempotent():
    raw = ("Text before.\n\n| A | Wide 株式 | Right |\n|:--|:-:|--:|\n| x \\| y | é | 1 |\n| long cell here |  | 22 |\n\n"
           "Text after | with a pipe.\n")
    aligned = align_tables(raw)
    assert aligned == ("Text before.\n\n"
                       "| A              | Wide 株式 | Right |\n"
                       "| :------------- | :-------: | ----: |\n"
                       "| x \\| y         |     é     |     1 |\n"
                       "| long cell here |           |    22 |\n\n"
                       "Text after | with a pipe.\n")
    assert _cells_and_alignment(aligned) == _cells_and_alignment(raw) == [[
        ["A", "Wide 株式", "Right"], ["left", "center", "right"], ["x \\| y", "é", "1"], ["long cell here", "", "22"]]]
    assert align_tables(aligned) == aligned


def _cells_and_alignment(text: str) -> list[list[list[str]]]:
    """The tables of ``text`` with each delimiter cell read as the alignment it sets."""
    def align(cell: str) -> str:
        return {(True, True): "center", (False, True): "right", (True, False): "left"}[(cell[0] == ":", cell[-1] == ":")]

    return [[header, [align(c) for c in delimiter], *body] for header, delimiter, *body in _tables(text)]


def test_a_table_whose_rows_do_not_match_its_header_is_left_as_written():
    raw = "| a | b |\n|---|---|\n| only one |\n| x | y | z |\n"
    assert align_tables(raw) == raw
    not_a_table = "| a | b |\n| c | d |\n"
    assert align_tables(not_a_table) == not_a_table


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
    text = _squeezed(_markdown(MINI, RENDER / "nobody-after-hours.raci.yaml"))
    assert "| monitoring.alert-response | Alert response (after hours differ) | | A/R | | |\n" in text
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


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("name,catalog_dir,engagement,options", GOLDENS, ids=[g[0] for g in GOLDENS])
def test_pandoc_reads_every_padded_table_as_a_table_with_its_columns_and_rows(name, catalog_dir, engagement, options):
    text = _markdown(catalog_dir, engagement, **options)
    out = subprocess.run(["pandoc", "-f", "gfm", "-t", "json"], input=text, check=True, capture_output=True, text=True,
                         timeout=60)
    tables = [block["c"] for block in json.loads(out.stdout)["blocks"] if block["t"] == "Table"]
    # pandoc's Table: attr, caption, column specs, head, bodies, foot
    shapes = [(len(t[2]), sum(len(body[3]) for body in t[4])) for t in tables]
    assert shapes == [(len(table[0]), len(table) - 2) for table in _tables(text)]
