"""Word documents: every table stacked in one grid with its headings, merged cells resolved, and the audit of a
statement of work's RACI table placed as "docx-sow.docx: table 1, row 7". Fixtures are written by
tests/data/formats/make_docx_pdf.py; small documents for single cases are built here with its helpers."""

from __future__ import annotations

import json
import sys
import time

import pytest
from paths import DATA

from raci.contracts.formats import docx
from raci.errors import DocumentError

FIX = DATA / "formats"
sys.path.insert(0, str(FIX))
import make_docx_pdf as mk  # noqa: E402

SOW = FIX / "docx-sow.docx"


def _write(tmp_path, *blocks: str, name: str = "doc.docx", styles: str | None = mk.STYLES):
    path = tmp_path / name
    path.write_bytes(mk.docx_bytes(mk.document(*blocks), styles))
    return path


def _grid(path) -> list[tuple[str | None, int, list[str]]]:
    (sheet,) = docx.read(str(path))
    assert sheet.name is None and len(sheet.rows) == len(sheet.lines) == len(sheet.tables)
    return list(zip(sheet.tables, sheet.lines, sheet.rows))


def test_fixtures_are_what_the_script_writes(tmp_path):
    for name, write in mk.FIXTURES.items():
        if name.startswith("docx-"):
            assert write(tmp_path / name).read_bytes() == (FIX / name).read_bytes(), name


# --------------------------------------------------------------------------- the grid


def test_sow_grid_stacks_every_table_with_its_headings():
    assert _grid(SOW) == [
        ("table 1", 0, ["Statement of Work - Managed IT Services"]),   # Title (style name, German style id)
        ("table 1", 0, ["Schedule B - Roles and responsibilities"]),   # heading 1
        ("table 1", 0, ["Table 1: Responsibility matrix"]),            # caption
        ("table 1", 1, ["Domain", "Activity", "Acme IT", "Contoso"]),  # "Contoso" spans two columns
        ("table 1", 2, ["Domain", "Activity", "Acme IT", "NOC", "Service desk"]),  # vMerge header cells filled down
        ("table 1", 3, ["Service desk", "Password resets and account unlocks", "I", "C", "R,A"]),
        ("table 1", 4, ["Service desk", "Tier 1 support", "C,I", "I", "R,A"]),  # tab as a space, footnote mark dropped
        ("table 1", 5, ["Service desk", "Incident escalation (response times below)", "I", "R,A", "C"]),
        ("table 1", 6, ["Security and network"]),                      # a section row over all five columns
        ("table 1", 7, ["Security", "Firewall administration", "A", "R,A"]),  # NBSP-only cell: blank
        ("table 1", 8, ["Security", "Endpoint detection and response", "", "R,A", "I"]),
        ("table 1", 9, ["Security", "Security awareness training", "R,A", "", "C,I"]),
        ("table 1", 0, []),
        ("table 2", 1, ["Severity", "Response"]),                      # nested in row 5, read after its parent
        ("table 2", 2, ["P1", "15 minutes"]),
        ("table 2", 3, ["P2", "1 hour"]),
        ("table 2", 0, []),
        ("table 3", 0, ["Backup and recovery"]),                       # heading 2
        ("table 3", 0, ["Table 1 (continued)"]),                       # bold only, by character style
        ("table 3", 1, ["Domain", "Activity", "Acme IT", "NOC", "Service desk"]),  # inside a content control
        ("table 3", 2, ["Backup", "Backup job monitoring", "I", "R,A", "I"]),
        ("table 3", 3, ["Backup", "Restore testing", "R", "C"]),
        ("table 3", 4, ["Backup", "Disaster recovery plan", "R,A", "C", "I"]),  # two paragraphs, one space
        ("table 3", 0, []),
    ]


def test_sow_merged_cells_recorded_as_the_workbook_reader_does():
    (sheet,) = docx.read(str(SOW))
    # the group header (grid row 3) covers column 4; the section row (grid row 8) covers columns 1-4
    assert sheet.merged_right == {(3, 4), (8, 1), (8, 2), (8, 3), (8, 4)}
    assert sheet.merge_parent == {
        (4, 3): ("Contoso", 3, 4), (4, 4): ("Contoso", 3, 4),
        **{(9, c): ("Security and network", 0, 4) for c in range(5)},
    }
    assert sheet.table_of(9) == "table 1" and sheet.table_of(21) == "table 3"


def test_document_without_tables_has_no_rows(tmp_path):
    path = _write(tmp_path, mk.para("Heading without a table", style="berschrift1"), mk.para("Just text."))
    assert _grid(path) == []


# --------------------------------------------------------------------------- the audit


@pytest.fixture(scope="module")
def sow_report():
    from click.testing import CliRunner

    from raci.cli import cli

    res = CliRunner().invoke(cli, ["audit", str(SOW), "--format", "json", "--fail-on", "never"], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def test_sow_layout_and_parties(sow_report):
    (doc,) = sow_report["documents"]
    assert {k: doc[k] for k in ("sheet", "layout", "header_row", "label_column", "orientation")} == {
        "sheet": "table 1", "layout": "grid", "header_row": 2, "label_column": "B", "orientation": "rows"}
    # the gridSpan group header names the two sub-columns
    assert [(p["header"], p["kind"]) for p in doc["parties"]] == [
        ("Acme IT", "client"), ("Contoso NOC", "msp"), ("Contoso Service desk", "msp")]


def test_sow_roles_sections_and_places_per_row(sow_report):
    acme, noc, desk = "Acme IT", "Contoso NOC", "Contoso Service desk"
    rows = {(r["source"]["sheet"], r["source"]["row"]): r for r in sow_report["rows"]}
    assert {k: r["roles"] for k, r in rows.items()} == {
        ("table 1", 3): {acme: "I", noc: "C", desk: "A/R"},
        ("table 1", 4): {acme: "C", noc: "I", desk: "A/R"},
        ("table 1", 5): {acme: "I", noc: "A/R", desk: "C"},
        ("table 1", 7): {acme: "A", noc: "A/R"},
        ("table 1", 8): {noc: "A/R", desk: "I"},
        ("table 1", 9): {acme: "A/R", desk: "C"},
        ("table 3", 2): {acme: "I", noc: "A/R", desk: "I"},   # the continuing table, under the first one's header
        ("table 3", 3): {acme: "R", noc: "C"},
        ("table 3", 4): {acme: "A/R", noc: "C", desk: "I"},
    }
    assert {k: r["section"] for k, r in rows.items()} == {
        ("table 1", 3): "Service desk", ("table 1", 4): "Service desk", ("table 1", 5): "Service desk",
        ("table 1", 7): "Security", ("table 1", 8): "Security", ("table 1", 9): "Security",
        ("table 3", 2): "Backup", ("table 3", 3): "Backup", ("table 3", 4): "Backup",
    }
    assert rows[("table 1", 4)]["cells"] == {acme: "C,I", noc: "I", desk: "R,A"}
    assert rows[("table 3", 2)]["activity"] == "backup.job-monitoring"
    assert rows[("table 1", 7)]["activity"] == "network.firewall"


def test_sow_findings_name_table_and_row(sow_report, run):
    found = {(f["source"]["sheet"], f["source"]["row"], f["rule"]) for f in sow_report["findings"] if f["source"]["row"]}
    assert found == {("table 1", 7, "multiple-accountable"), ("table 3", 3, "no-accountable")}
    res = run("audit", SOW, "--fail-on", "never")
    assert res.exit_code == 0
    assert "docx-sow.docx: table 1, row 7 'Firewall administration': Acme IT and Contoso NOC are all accountable" in res.stdout
    assert "docx-sow.docx: table 3, row 3 'Restore testing'" in res.stdout
    assert "layout: table 1, header row 2, label column B (grid)" in res.stdout


# --------------------------------------------------------------------------- text of cells


def test_cell_text_runs_tracked_changes_hidden_text_and_symbols(tmp_path):
    tracked = ('<w:p><w:r><w:t>Patch</w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:delText>ing old</w:delText></w:r></w:del>'
               '<w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve"> servers</w:t></w:r></w:ins>'
               '<w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r><w:r><w:br/><w:t>monthly</w:t></w:r></w:p>')
    tick = '<w:p><w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r></w:p>'
    wing = '<w:p><w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>\u00fc</w:t></w:r></w:p>'
    link = (f'<w:p><w:hyperlink xmlns:r="{mk.R_NS}" r:id="rId9"><w:r><w:t>Runbook</w:t></w:r></w:hyperlink>'
            '<w:fldSimple w:instr=" PAGE "><w:r><w:t>3</w:t></w:r></w:fldSimple></w:p>')
    path = _write(tmp_path, mk.table(
        mk.row("Activity", "MSP", "Client"),
        mk.row(mk.cell(tracked), mk.cell(tick), mk.cell(wing)),
        mk.row(mk.cell(link), mk.cell("\u00a0\u00a0"), mk.cell("a", "", "b")),
        cols=3))
    assert [r for _t, _n, r in _grid(path)] == [
        ["Activity", "MSP", "Client"],
        ["Patch servers monthly", "\u2714", "\u2714"],
        ["Runbook3", "", "a b"],
        [],
    ]


def test_headings_at_most_two_and_the_caption_nearest_the_table(tmp_path):
    blocks = [
        mk.para("Title of the agreement", style="Titel"),
        mk.para("1. Services", style="berschrift1"),
        mk.para("1.1 Responsibilities", style="berschrift2"),
        mk.para(mk.run("Bold but far too long to be a heading because it is a sentence of body text that runs on", bold=True)),
        mk.para(mk.run("Matrix", bold=True), " of roles"),  # not bold throughout: body text
        mk.para("Table 4: Roles", style="Beschriftung"),
        mk.table(mk.row("Activity", "MSP"), mk.row("Patching", "A/R"), cols=2),
        mk.para("Table 4 ends here", style="Beschriftung"),  # a caption under its table belongs to it
        mk.para("More text."),
        mk.table(mk.row("Activity", "Client"), mk.row("Budget", "A/R"), cols=2),
        mk.para("Caption of the third table", style="Beschriftung"),  # alone between two tables: the next one's
        mk.table(mk.row("Activity", "Client"), cols=2),
    ]
    assert _grid(_write(tmp_path, *blocks)) == [
        ("table 1", 0, ["1. Services"]),
        ("table 1", 0, ["1.1 Responsibilities"]),
        ("table 1", 0, ["Table 4: Roles"]),
        ("table 1", 1, ["Activity", "MSP"]),
        ("table 1", 2, ["Patching", "A/R"]),
        ("table 1", 0, []),
        ("table 2", 1, ["Activity", "Client"]),
        ("table 2", 2, ["Budget", "A/R"]),
        ("table 2", 0, []),
        ("table 3", 0, ["Caption of the third table"]),
        ("table 3", 1, ["Activity", "Client"]),
        ("table 3", 0, []),
    ]


def test_headings_without_a_styles_part_go_by_style_id(tmp_path):
    path = _write(tmp_path, mk.para("Roles", style="Heading1"), mk.para("Table 1", style="Caption"),
                  mk.para("Plain", style="Normal"), mk.table(mk.row("Activity", "MSP"), cols=2), styles=None)
    assert [r for _t, _n, r in _grid(path)] == [["Roles"], ["Table 1"], ["Activity", "MSP"], []]


def test_nested_tables_numbered_after_their_parent_depth_first(tmp_path):
    inner2 = mk.table(mk.row("deep"), cols=1)
    inner = mk.table(mk.row(mk.cell("inner", inner2)), cols=1)
    path = _write(tmp_path, mk.table(mk.row(mk.cell("outer", inner), "x"), cols=2), mk.table(mk.row("next"), cols=1))
    assert _grid(path) == [
        ("table 1", 1, ["outer", "x"]), ("table 1", 0, []),
        ("table 2", 1, ["inner"]), ("table 2", 0, []),
        ("table 3", 1, ["deep"]), ("table 3", 0, []),
        ("table 4", 1, ["next"]), ("table 4", 0, []),
    ]


def test_vertical_merge_over_two_columns_is_a_block_not_filled(tmp_path):
    path = _write(tmp_path, mk.table(
        mk.row(mk.cell("Legend", span=2, vmerge="restart"), "c"),
        mk.row(mk.cell(span=2, vmerge="continue"), "d"),
        mk.row("e", mk.cell("f", vmerge="restart"), "g"),
        mk.row("h", mk.cell(vmerge="continue"), "i"),
        cols=3))
    (sheet,) = docx.read(str(path))
    assert sheet.rows == [["Legend", "", "c"], ["", "", "d"], ["e", "f", "g"], ["h", "f", "i"], []]
    assert sheet.merged_right == {(0, 1), (1, 1)}
    assert sheet.merge_parent == {}


# --------------------------------------------------------------------------- limits and damage


def _fails(path, message: str):
    start = time.perf_counter()
    with pytest.raises(DocumentError) as exc:
        docx.read(str(path))
    assert time.perf_counter() - start < 5
    assert exc.value.lines() == [f"{path}: {message}"]


def test_too_many_tables(tmp_path):
    path = _write(tmp_path, *[mk.table(mk.row("a", "b"), cols=2) for _ in range(201)])
    _fails(path, "the document holds more than 200 tables: not a responsibility matrix this tool can audit")


def test_too_many_rows(tmp_path):
    rows = [mk.row("Patching", "A/R")] * 2600
    path = _write(tmp_path, mk.table(*rows, cols=2), mk.table(*rows, cols=2))
    _fails(path, "the document's tables hold more than 5,000 rows: not a responsibility matrix this tool can audit")


def test_too_many_columns_even_by_one_wide_span(tmp_path):
    path = _write(tmp_path, mk.table(mk.row("a", mk.cell("b", span=1_000_000)), cols=2))
    _fails(path, "table 1 is more than 100 columns wide: not a responsibility matrix this tool can audit")


def test_malformed_document_xml(tmp_path):
    path = tmp_path / "bad.docx"
    path.write_bytes(mk.docx_bytes(b"<w:document xmlns:w='x'><w:body><w:p>"))
    with pytest.raises(DocumentError) as exc:
        docx.read(str(path))
    assert exc.value.lines()[0].startswith(f"{path}: damaged Word document, cannot be read (ParseError: ")


# --------------------------------------------------------------------------- hostile documents through the CLI


def _audit_refused(run, path, message: str):
    start = time.perf_counter()
    res = run("audit", path)
    elapsed = time.perf_counter() - start
    assert (res.exit_code, res.stdout, res.stderr) == (2, "", f"Error: {path}: {message}\n")
    assert elapsed < 20
    return elapsed


def test_zip_bomb_refused(run):
    path = FIX / "docx-bomb.docx"
    res = run("audit", path)
    assert (res.exit_code, res.stdout) == (2, "")
    assert res.stderr.startswith(f"Error: {path}: part word/document.xml inflates ")
    assert res.stderr.endswith(" times to 20 MB (a decompression bomb?); refusing to open it\n")
    assert res.stderr.count("\n") == 1


def test_xml_entities_refused(run):
    _audit_refused(run, FIX / "docx-entities.docx",
                   "part word/document.xml declares a DTD or XML entities (an entity-expansion attack?); refusing to open it")


def test_xml_entities_refused_by_the_parser_too(monkeypatch, tmp_path):
    from raci import safety

    monkeypatch.setattr(safety, "_check_prolog", lambda *a: None)
    path = FIX / "docx-entities.docx"
    with pytest.raises(DocumentError) as exc:
        docx.read(str(path))
    assert exc.value.lines() == [f"{path}: damaged Word document, cannot be read (it declares XML entities, which are refused)"]
