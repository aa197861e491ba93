"""Documents past raci's bounds end in one line with exit 2, quickly and in bounded memory; raci's own workbooks
are read within the same bounds; nothing raci writes passes Excel's limits. The large hostile documents are made
here, in tmp_path; bench/ measures how fast they end."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile

import pytest
import yaml
from openpyxl import load_workbook
from paths import DATA, MINI, SAMPLES

from raci import safety
from raci.catalog import load_catalog
from raci.contracts.mapping import Matcher
from raci.errors import OutputError
from raci.limits import EXCEL_CELL, MAX_LABEL

GOOD = DATA / "engagements" / "good.raci.yaml"
GRID = SAMPLES / "contracts" / "exhibit-b-grid.xlsx"  # sheets "Cover" and "Exhibit B"
LETTERS = bytes(range(97, 123)) * 9 + b"          "  # 244 bytes: a-z, spaces


def _words(n: int) -> str:
    """``n`` characters of random letters and spaces: text that compresses as little as prose does."""
    return os.urandom(n).translate(LETTERS + LETTERS[:12]).decode()


def _part(data: bytes, sheet: str) -> str:
    """The XML part of the sheet named ``sheet``."""
    z = zipfile.ZipFile(io.BytesIO(data))
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', z.read("xl/workbook.xml").decode())[1]
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"',
                       z.read("xl/_rels/workbook.xml.rels").decode())
    name = (target[1] or target[2]).lstrip("/")
    return name if name.startswith("xl/") else "xl/" + name


def _edit(src: bytes, dst, part: str, change) -> None:
    """``src`` written to ``dst`` with the XML of ``part`` passed through ``change``."""
    zin = zipfile.ZipFile(io.BytesIO(src))
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in zin.infolist():
            data = zin.read(info.filename)
            out.writestr(info.filename, change(data) if info.filename == part else data)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _with_rows(src: bytes, dst, sheet: str, rows: str):
    """``src`` with ``rows`` (row elements) added at the end of the cells of ``sheet``."""
    _edit(src, dst, _part(src, sheet), lambda xml: xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>"))
    return dst


@pytest.fixture
def rendered(run, tmp_path):
    """A workbook ``raci render`` made of the good engagement (mini catalog), as bytes."""
    path = tmp_path / "rendered.xlsx"
    assert run("render", GOOD, "--xlsx", path, catalog=MINI).exit_code == 0
    return path.read_bytes()


def _fails(res, line: str) -> None:
    assert res.exit_code == 2, res.stderr
    assert res.stderr == line + "\n"
    assert "Traceback" not in res.stdout + res.stderr


# --------------------------------------------------------------------------- raci's own workbooks


@pytest.mark.parametrize("cell", ["XFD1048576", "A1048576"])
def test_a_stray_matrix_cell_far_away_is_named_and_not_read(run, tmp_path, rendered, cell):
    row = re.sub(r"\D", "", cell)
    path = _with_rows(rendered, tmp_path / "stray.xlsx", "Matrix", f'<row r="{row}">{_inline(cell, "x")}</row>')
    out = tmp_path / "back.raci.yaml"
    res = run("import", path, "-o", out, catalog=MINI)
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[0] == (f"Warning: {path}:Matrix!{cell}: a value outside the 10,021 rows and 113 columns "
                                          "raci reads of this sheet: it is not read")
    assert "Traceback" not in res.stderr
    back = yaml.safe_load(out.read_text())
    assert back["internal_notes"] == {}  # every section is written, empty ones with an example
    assert {k: v for k, v in back.items() if k not in ("thresholds", "internal_notes")} == yaml.safe_load(GOOD.read_text())


def test_a_stray_cell_on_another_sheet_is_named_too(run, tmp_path, rendered):
    path = _with_rows(rendered, tmp_path / "stray.xlsx", "Legend", f'<row r="1048576">{_inline("XFD1048576", "x")}</row>')
    res = run("import", path, "-o", tmp_path / "back.raci.yaml", catalog=MINI)
    assert res.exit_code == 0, res.stderr
    assert (f"Warning: {path}:Legend!XFD1048576: a value outside the 10,021 rows and 102 columns raci reads of this sheet: "
            "it is not read") in res.stderr.splitlines()


def test_a_stray_cell_is_named_by_import_into(run, tmp_path, rendered):
    path = _with_rows(rendered, tmp_path / "stray.xlsx", "Matrix", f'<row r="1048576">{_inline("XFD1048576", "x")}</row>')
    target = tmp_path / "eng.raci.yaml"
    target.write_text(GOOD.read_text())
    res = run("import", path, "--into", target, catalog=MINI)
    assert res.exit_code == 0, res.stderr
    assert any(line.startswith(f"Warning: {path}:Matrix!XFD1048576: a value outside the ") for line in res.stderr.splitlines())


def test_render_over_a_workbook_with_a_stray_cell_keeps_it(run, tmp_path, rendered):
    """render reads the existing workbook to look for edits: the stray value is an edit it will not drop silently."""
    path = _with_rows(rendered, tmp_path / "stray.xlsx", "Matrix", f'<row r="1048576">{_inline("XFD1048576", "x")}</row>')
    before = path.read_bytes()
    res = run("render", GOOD, "--xlsx", path, catalog=MINI)
    assert res.exit_code == 2
    assert "Traceback" not in res.stderr
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("Error: ") and "Matrix!XFD1048576" in res.stderr
    assert path.read_bytes() == before


def test_a_cell_longer_than_excel_allows_in_our_workbook_is_refused(run, tmp_path, rendered):
    path = _with_rows(rendered, tmp_path / "long.xlsx", "Matrix", f'<row r="40">{_inline("I40", _words(5_000_000))}</row>')
    out = tmp_path / "back.raci.yaml"
    _fails(run("import", path, "-o", out, catalog=MINI),
           f"Error: {path}:Matrix!I40: holds 5,000,000 characters, more than the 32,767 an Excel cell can hold")
    assert not out.exists()


def test_a_forged_used_range_inside_the_bounds_is_refused_by_its_size(run, tmp_path, rendered, monkeypatch):
    import raci.workshop_grid

    monkeypatch.setattr(raci.workshop_grid, "MAX_GRID", 100_000)
    path = _with_rows(rendered, tmp_path / "wide.xlsx", "Matrix", f'<row r="9000">{_inline("CV9000", "x")}</row>')
    _fails(run("import", path, "-o", tmp_path / "back.raci.yaml", catalog=MINI),
           f"Error: {path}:Matrix: the sheet's used range reaches CV9000, 900,000 cells; raci reads at most 100,000 cells of a sheet")


# --------------------------------------------------------------------------- contract documents


def test_a_stray_cell_far_away_in_a_contract_workbook_is_refused(run, tmp_path):
    path = _with_rows(GRID.read_bytes(), tmp_path / "stray.xlsx", "Exhibit B", f'<row r="1048576">{_inline("XFD1048576", "x")}</row>')
    _fails(run("audit", path), f"Error: {path}:Exhibit B: the sheet's used range reaches XFD1048576; raci reads at most "
                               "10,000 rows and 100 columns of a sheet (pass --sheet to read another sheet of the workbook)")
    out = tmp_path / "out.raci.yaml"
    _fails(run("import", path, "-o", out, "--sheet", "Exhibit B"),
           f"Error: {path}:Exhibit B: the sheet's used range reaches XFD1048576; raci reads at most 10,000 rows and 100 "
           "columns of a sheet")
    assert not out.exists()


def test_values_past_the_hundredth_column_are_left_out_and_said(run, tmp_path):
    path = _with_rows(GRID.read_bytes(), tmp_path / "wide.xlsx", "Exhibit B", f'<row r="30">{_inline("XFD30", "x")}</row>')
    res = run("audit", path, "--format", "json")
    assert res.exit_code in (0, 1), res.stderr
    assert "sheet 'Exhibit B': 1 value past column 100 not read (raci reads 100 columns; the first is XFD30)" in res.stdout


def test_a_sheet_of_more_rows_than_raci_reads_is_refused(run, tmp_path):
    rows = "".join(f'<row r="{r}">{_inline(f"A{r}", f"Task {r}")}<c r="B{r}" t="inlineStr"><is><t>R</t></is></c></row>'
                   for r in range(100, 10_101))
    path = _with_rows(GRID.read_bytes(), tmp_path / "long.xlsx", "Exhibit B", rows)
    _fails(run("audit", path, "--sheet", "Exhibit B"),
           f"Error: {path}:Exhibit B: the sheet's used range reaches A10001; raci reads at most 10,000 rows and 100 columns "
           "of a sheet")


def test_two_cells_of_five_megabytes_are_refused(run, tmp_path):
    rows = f'<row r="30">{_inline("B30", _words(5_000_000))}</row><row r="31">{_inline("B31", _words(5_000_000))}</row>'
    path = _with_rows(GRID.read_bytes(), tmp_path / "cells.xlsx", "Exhibit B", rows)
    _fails(run("audit", path), f"Error: {path}:Exhibit B: cell B30 holds 5,000,000 characters; raci reads at most 32,767 "
                               "characters a cell (Excel's limit)")


def test_a_csv_of_49000_rows_by_100_columns_is_refused(run, tmp_path):
    path = tmp_path / "big.csv"
    line = ",".join(["R"] * 99)
    path.write_text("Activity," + ",".join(f"P{i}" for i in range(99)) + "\n" + "".join(f"Task {i},{line}\n" for i in range(49_000)))
    out = tmp_path / "out.raci.yaml"
    _fails(run("import", path, "-o", out), f"Error: {path}: more than 100,000 cells hold a value; raci reads at most 100,000 "
                                           "cells of a document")
    assert not out.exists()


def test_an_html_table_of_more_cells_than_raci_reads_is_refused(run, tmp_path):
    """Within the HTML reader's own bounds (5,000 rows of 100 columns), 100,000 distinct cells took minutes to lay out."""
    path = tmp_path / "dense.html"
    rows = "".join("<tr>" + "".join(f"<td>{r}x{c}</td>" for c in range(100)) + "</tr>" for r in range(1_001))
    path.write_text("<table><tr>" + "".join(f"<th>P{c}</th>" for c in range(100)) + "</tr>" + rows + "</table>")
    _fails(run("audit", path), f"Error: {path}: more than 100,000 cells hold a value; raci reads at most 100,000 cells of a "
                               "document")


def test_a_csv_of_more_rows_than_raci_reads_is_refused(run, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Activity,Client,MSP\n" + "".join(f"Task {i},R,A\n" for i in range(10_000)))
    _fails(run("audit", path), f"Error: {path}: more than 10,000 rows; raci reads at most 10,000 rows of a csv file")


def test_a_csv_field_longer_than_a_cell_is_refused(run, tmp_path):
    path = tmp_path / "field.csv"
    path.write_text("Activity,Client,MSP\nBackups,R,A\n" + '"' + "x" * 40_000 + '",R,A\n')
    _fails(run("audit", path), f"Error: {path}: line 3 holds a field of more than 32,767 characters; raci reads at most "
                               "32,767 characters a cell (Excel's limit)")


def test_1700_labels_of_32k_characters_are_read_and_audited(run, tmp_path):
    rows = "".join(f'<row r="{r}">{_inline(f"A{r}", f"{r} " + _words(32_000))}'
                   f'<c r="B{r}" t="inlineStr"><is><t>R</t></is></c><c r="C{r}" t="inlineStr"><is><t>A</t></is></c></row>'
                   for r in range(2, 1702))
    header = f'<row r="1">{_inline("A1", "Activity")}{_inline("B1", "Client")}{_inline("C1", "MSP")}</row>'
    src = GRID.read_bytes()
    path = tmp_path / "labels.xlsx"
    sheet_data = re.compile(rb"<sheetData>.*</sheetData>(<mergeCells.*</mergeCells>)?", re.S)
    _edit(src, path, _part(src, "Exhibit B"), lambda xml: sheet_data.sub(f"<sheetData>{header}{rows}</sheetData>".encode(), xml))
    res = run("audit", path, "--sheet", "Exhibit B", "--format", "json")
    assert res.exit_code in (0, 1), res.stderr
    assert res.stderr == ""
    rows = json.loads(res.stdout)["rows"]
    assert len(rows) == 1700
    # the report keeps the label as read (the first 4,000 characters of the cell, spaces collapsed), not the 300 compared
    assert all(len(row["source"]["label"]) > 3_000 for row in rows)


def test_a_flipped_byte_in_a_sheets_compressed_data_is_a_damaged_workbook(run, tmp_path):
    data = bytearray(GRID.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet2.xml")
    head = info.header_offset
    start = head + 30 + int.from_bytes(data[head + 26:head + 28], "little") + int.from_bytes(data[head + 28:head + 30], "little")
    data[start + info.compress_size // 2] ^= 0xFF
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    line = f"Error: {path}: damaged or truncated workbook (the zip package cannot be read: "
    for args in (("audit", path), ("import", path, "-o", tmp_path / "out.raci.yaml")):
        res = run(*args)
        assert res.exit_code == 2 and "Traceback" not in res.stderr
        assert res.stderr.startswith(line) and res.stderr.count("\n") == 1, res.stderr
    assert not (tmp_path / "out.raci.yaml").exists()


def test_the_rows_and_cells_of_a_package_are_counted_before_parsing(run, tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_XML_ELEMENTS", 50)
    _fails(run("audit", GRID), f"Error: {GRID}: the workbook's sheets hold more than 50 rows, cells and shared strings; "
                               "raci reads at most 50")


def test_long_labels_are_compared_on_their_first_characters():
    m = Matcher(load_catalog(None))
    label = "Patch management of servers " + _words(32_000)
    assert m.match(label) == m.match(label[:MAX_LABEL])
    assert m.without(label, frozenset({"contoso"})) == label[:MAX_LABEL]
    assert not m.is_domain_name("Patch management " + "x" * 32_000)


# --------------------------------------------------------------------------- what raci writes


def _long_names(tmp_path):
    text = GOOD.read_text().replace("{name: Acme leadership,", "{name: " + "L" * 20_000 + ",")
    path = tmp_path / "names.raci.yaml"
    path.write_text(text.replace("{name: Acme IT,", "{name: " + "I" * 20_000 + ","))
    return path


def test_a_cell_past_excels_limit_is_refused_before_anything_is_written(run, tmp_path):
    eng = _long_names(tmp_path)
    xlsx, md = tmp_path / "out.xlsx", tmp_path / "out.md"
    res = run("render", eng, "--xlsx", xlsx, "--md", md, catalog=MINI)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1].endswith("Cover!B11 (the parties) would hold 40,096 characters, more than the 32,767 "
                                                 "Excel allows in a cell; shorten it in the engagement (nothing was written)")
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("Error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["names.raci.yaml"]


def test_check_workbook_names_the_cell_and_the_file(tmp_path):
    from raci.checks import run_checks
    from raci.engagement import load_engagement, resolve
    from raci.excel import check_workbook

    cat = load_catalog(MINI)
    matrix = resolve(load_engagement(_long_names(tmp_path), cat), cat)
    with pytest.raises(OutputError) as exc:
        check_workbook(matrix, run_checks(matrix), command="raci render", path="out.xlsx")
    assert exc.value.lines() == ["out.xlsx: Cover!B11 (the parties) would hold 40,096 characters, more than the 32,767 Excel "
                                 "allows in a cell; shorten it in the engagement (nothing was written)"]
    assert EXCEL_CELL == 32_767


def test_a_sheet_past_excels_rows_is_refused(run, tmp_path, monkeypatch):
    import raci.excel_limits

    monkeypatch.setattr(raci.excel_limits, "EXCEL_ROWS", 10)
    xlsx, md = tmp_path / "out.xlsx", tmp_path / "out.md"
    res = run("render", GOOD, "--xlsx", xlsx, "--md", md, catalog=MINI)
    assert res.exit_code == 2
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("Error: ")
    assert res.stderr.rstrip().endswith("the Matrix sheet would have 12 rows, more than the 10 Excel allows in a sheet; "
                                        "nothing was written")
    assert list(tmp_path.iterdir()) == []


def test_each_excluded_activity_is_listed_once(run, tmp_path):
    text = GOOD.read_text().replace("exclusions: []", "exclusions: [" + ", ".join(['"*"'] * 9_999) + ", servicedesk.*]")
    eng = tmp_path / "star.raci.yaml"
    eng.write_text(text.replace("assignments:\n  monitoring.patching: {msp: A/R, client-it: I}", "assignments: {}")
                   .replace('notes: {monitoring.patching: "Second Tuesday of the month, 22:00-02:00"}', "notes: {}")
                   .replace("sla: {servicedesk.tier3: {response: 30m, resolution: 8h}}", "sla: {}"))
    xlsx, md = tmp_path / "out.xlsx", tmp_path / "out.md"
    res = run("render", eng, "--xlsx", xlsx, "--md", md, catalog=MINI)
    assert res.exit_code in (0, 1), res.stderr
    n = len(load_catalog(MINI).activities)
    ws = load_workbook(xlsx, read_only=True)["Exclusions"]
    listed = [r[1] for r in ws.iter_rows(min_row=2, values_only=True) if len(r) > 1 and r[1]]
    assert len(listed) == len(set(listed)) == n
    assert all(r[0] == "*" for r in ws.iter_rows(min_row=2, max_row=n + 1, values_only=True))
    back = tmp_path / "back.raci.yaml"
    assert run("import", xlsx, "-o", back, catalog=MINI).exit_code == 0
    assert yaml.safe_load(back.read_text())["exclusions"] == ["*", "servicedesk.*"]  # the same exclusions, each once
