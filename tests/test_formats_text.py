"""Markdown, HTML and AsciiDoc documents: each pattern a small fixture (tests/data/formats/text-*), asserting the grid
the format module gives (rows and the file line of each) and what ``raci audit`` makes of it; the same matrix written
in every format reads the same; hostile files end quickly with one line.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from paths import DATA

from raci.contracts.formats import asciidoc, html, markdown
from raci.contracts.tables import read_source
from raci.errors import DocumentError

FIX = DATA / "formats"

_cache: dict[str, dict] = {}


def audit(run, name: str) -> dict:
    """The JSON report of ``raci audit FIX/name``, read once per module."""
    if name not in _cache:
        res = run("audit", FIX / name, "--format", "json", "--fail-on", "never")
        assert res.exit_code == 0, f"exit {res.exit_code}: {res.stderr}"
        _cache[name] = json.loads(res.stdout)
    return _cache[name]


def doc(data: dict) -> dict:
    assert len(data["documents"]) == 1
    return data["documents"][0]


def layout(data: dict) -> dict:
    d = doc(data)
    return {k: d[k] for k in ("sheet", "layout", "header_row", "label_column", "orientation")}


def parties(data: dict) -> list[str]:
    return [p["header"] for p in doc(data)["parties"]]


def rows(data: dict) -> dict[int, dict]:
    out = {}
    for r in data["rows"]:
        assert r["source"]["sheet"] is None and r["source"]["column"] is None
        assert r["source"]["row"] not in out
        out[r["source"]["row"]] = r
    return out


def roles(data: dict) -> dict[int, dict]:
    return {n: r["roles"] for n, r in rows(data).items()}


def found(data: dict) -> set[tuple[int, str]]:
    """(line, rule) of the findings at rows; each names the file, no sheet, the line."""
    out = set()
    for f in data["findings"]:
        src = f["source"]
        if src["row"] is not None:
            assert src["sheet"] is None and Path(src["file"]).parent == FIX
            out.add((src["row"], f["rule"]))
    return out


def grid(module, name: str) -> list[tuple[int, list[str]]]:
    sheets = module.read(str(FIX / name))
    assert len(sheets) == 1
    sheet = sheets[0]
    assert (sheet.name, sheet.tables, sheet.file) == (None, None, str(FIX / name))
    assert len(sheet.rows) == len(sheet.lines)
    return list(zip(sheet.lines, sheet.rows))


# --------------------------------------------------------------------------- Markdown


def test_md_several_tables_stack_under_their_headings():
    assert grid(markdown, "text-md-several-tables.md") == [
        (1, ["Harbourside Clinics managed services"]),
        (5, ["Service desk"]),
        (7, ["Activity", "Clinic", "Provider"]),
        (9, ["Tier 1 support", "I", "A/R"]),
        (10, ["After-hours emergency support", "I", "A/R"]),
        (11, []),
        (12, ["Security"]),
        (14, ["Activity", "Clinic", "Provider"]),
        (16, ["Security alert triage", "C", "A/R"]),
        (17, ["Restore testing", "A", "R"]),
        (18, ["Courier run to the lab", "A", "A"]),
        (19, []),
    ]


def test_md_several_tables_audit(run):
    data = audit(run, "text-md-several-tables.md")
    assert layout(data) == {"sheet": None, "layout": "grid", "header_row": 7, "label_column": "A", "orientation": "rows"}
    assert doc(data)["title"] == "Harbourside Clinics managed services"
    assert parties(data) == ["Clinic", "Provider"]
    assert roles(data) == {
        9: {"Clinic": "I", "Provider": "A/R"},
        10: {"Clinic": "I", "Provider": "A/R"},
        16: {"Clinic": "C", "Provider": "A/R"},
        17: {"Clinic": "A", "Provider": "R"},
        18: {"Clinic": "A", "Provider": "A"},
    }
    assert {n: r["section"] for n, r in rows(data).items()} == {9: "Service desk", 10: "Service desk", 16: "Security",
                                                                17: "Security", 18: "Security"}
    assert [rows(data)[n]["activity"] for n in (9, 16, 17, 18)] == ["servicedesk.tier1", "security.alert-triage",
                                                                   "backup.restore-testing", None]
    assert found(data) == {(18, "multiple-accountable"), (18, "unmapped-row")}
    text = run("audit", FIX / "text-md-several-tables.md", "--fail-on", "never")
    assert "text-md-several-tables.md:18 'Courier run to the lab'" in text.stdout
    assert "layout: header row 7, label column A (grid)" in text.stdout


def test_md_inline_markup_reduced_to_text_footnote_markers_kept():
    assert grid(markdown, "text-md-inline-markup.md") == [
        (1, ["Riverbend Works support schedule"]),
        (3, ["Activity", "Client", "Provider"]),
        (5, ["Tier 1 support", "I", "A/R"]),
        (6, ["Security alert triage (1)", "C", "A/R"]),
        (7, ["Restore testing [^2]", "A", "R ^3^"]),
        (8, ["Firewall | VPN changes", "A", "R (weekly)"]),
        (9, []),
    ]


def test_md_inline_markup_audit(run):
    data = audit(run, "text-md-inline-markup.md")
    assert layout(data)["header_row"] == 3
    assert parties(data) == ["Client", "Provider"]
    assert roles(data) == {
        5: {"Client": "I", "Provider": "A/R"},
        6: {"Client": "C", "Provider": "A/R"},
        7: {"Client": "A", "Provider": "R"},
        8: {"Client": "A", "Provider": "R"},
    }
    # an escaped pipe joins two things as "&" or "/" does: the first one named decides
    assert [rows(data)[n]["activity"] for n in (5, 6, 7, 8)] == ["servicedesk.tier1", "security.alert-triage",
                                                                "backup.restore-testing", "network.firewall"]
    assert rows(data)[8]["source"]["label"] == "Firewall | VPN changes"
    assert found(data) == set()


def test_md_front_matter_toc_and_empty_table_skipped():
    assert grid(markdown, "text-md-front-matter.md") == [
        (13, ["Lakeside Foods services"]),
        (16, ["Backups"]),
        (19, ["Activity", "Lakeside IT", "Provider"]),
        (21, ["Backup job monitoring", "I", "A/R"]),
        (22, ["User-requested restores", "R", "A"]),
        (23, []),
    ]


def test_md_front_matter_audit(run):
    data = audit(run, "text-md-front-matter.md")
    assert layout(data)["header_row"] == 19
    assert doc(data)["title"] == "Lakeside Foods services"
    assert roles(data) == {21: {"Lakeside IT": "I", "Provider": "A/R"}, 22: {"Lakeside IT": "R", "Provider": "A"}}
    assert {r["section"] for r in rows(data).values()} == {"Backups"}
    assert found(data) == set()


def test_md_html_table_read_at_its_lines_in_the_file():
    assert grid(markdown, "text-md-html-table.md") == [
        (1, ["Orchard Hill Council"]),
        (3, ["Workplace services"]),
        (7, ["Activity", "Council", "Provider"]),
        (11, ["Tier 1 support", "I", "A/R"]),
        (12, ["Deskside support & repairs", "C", "A/R"]),
        (15, []),
        (16, ["Network"]),
        (18, ["Activity", "Council", "Provider"]),
        (20, ["Firewall rule changes", "A", "R"]),
        (21, []),
    ]


def test_md_html_table_audit(run):
    data = audit(run, "text-md-html-table.md")
    assert layout(data)["header_row"] == 7
    assert roles(data) == {
        11: {"Council": "I", "Provider": "A/R"},
        12: {"Council": "C", "Provider": "A/R"},
        20: {"Council": "A", "Provider": "R"},
    }
    assert {n: r["section"] for n, r in rows(data).items()} == {11: "Workplace services", 12: "Workplace services", 20: "Network"}
    assert found(data) == set()


def test_md_at_most_three_headings_the_innermost():
    assert grid(markdown, "text-md-heading-depth.md") == [
        (5, ["Level three"]),
        (7, ["Level four"]),
        (9, ["Level five"]),
        (11, ["Activity", "Client", "Provider"]),
        (13, ["Tier 1 support", "I", "A/R"]),
        (14, []),
        (15, ["Another level three"]),
        (17, ["Activity", "Client", "Provider"]),
        (19, ["Restore testing", "A", "R"]),
        (20, []),
    ]


def test_md_heading_depth_audit(run):
    data = audit(run, "text-md-heading-depth.md")
    assert doc(data)["title"] == "Level three"
    assert {n: (r["section"], r["roles"]) for n, r in rows(data).items()} == {
        13: ("Level five", {"Client": "I", "Provider": "A/R"}),
        19: ("Another level three", {"Client": "A", "Provider": "R"}),
    }


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_md_encodings_and_line_ends_give_the_same_grid(tmp_path, encoding):
    text = (FIX / "text-md-several-tables.md").read_text(encoding="utf-8").replace("Clinic |", "Clinique é |")
    path = tmp_path / "matrix.md"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    sheet = markdown.read(str(path))[0]
    assert sheet.rows[2] == ["Activity", "Clinique é", "Provider"]
    assert sheet.lines == [1, 5, 7, 9, 10, 11, 12, 14, 16, 17, 18, 19]


def test_md_file_with_no_table_holds_no_grid_rows(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nNo table here.\n\n```\n| a | b |\n|---|---|\n| c | d |\n```\n", encoding="utf-8")
    assert markdown.read(str(path))[0].rows == []


# --------------------------------------------------------------------------- HTML


def test_html_headings_caption_and_cell_text():
    assert grid(html, "text-html-sections.html") == [
        (10, ["Saltmarsh Veterinary managed services"]),
        (12, ["Service desk"]),
        (14, ["Desk & support"]),
        (16, ["Activity", "Practice", "Provider"]),
        (19, ["Tier 1 support", "I", "A/R^1^"]),  # a <sup> footnote marker as the vocabulary knows it
        (20, ["After-hours emergency support", "I", "A/R"]),
        (23, []),
        (24, ["Backup"]),
        (26, ["Activity", "Practice", "Provider"]),
        (27, ["Restore testing", "A", "R"]),
        (28, ["Kennel camera upkeep", "A", "A"]),
        (30, []),
    ]


def test_html_sections_audit(run):
    data = audit(run, "text-html-sections.html")
    assert layout(data) == {"sheet": None, "layout": "grid", "header_row": 16, "label_column": "A", "orientation": "rows"}
    assert doc(data)["title"] == "Saltmarsh Veterinary managed services"
    assert parties(data) == ["Practice", "Provider"]
    assert {n: (r["section"], r["roles"]) for n, r in rows(data).items()} == {
        19: ("Desk & support", {"Practice": "I", "Provider": "A/R"}),
        20: ("Desk & support", {"Practice": "I", "Provider": "A/R"}),
        27: ("Backup", {"Practice": "A", "Provider": "R"}),
        28: ("Backup", {"Practice": "A", "Provider": "A"}),
    }
    assert rows(data)[19]["cells"]["Provider"] == "A/R^1^"
    assert found(data) == {(28, "multiple-accountable"), (28, "unmapped-row")}
    text = run("audit", FIX / "text-html-sections.html", "--fail-on", "never")
    assert "text-html-sections.html:28 'Kennel camera upkeep'" in text.stdout


def test_html_colspan_recorded_as_merge_rowspan_filled_down():
    sheet = html.read(str(FIX / "text-html-colspan.html"))[0]
    assert list(zip(sheet.lines, sheet.rows)) == [
        (2, ["Quayside Dental: responsibilities"]),
        (4, ["Activity", "Provider", "", "Dental IT"]),
        (5, ["Activity", "NOC", "Service desk", "Dental IT"]),
        (6, ["Monitoring"]),
        (7, ["Alert response", "A/R", "I", "I"]),
        (8, ["Tier 1 support", "C", "A/R", "I"]),
        (9, ["Restore testing", "R", "", "A"]),
        (10, ["Restore testing", "R", "C", "A"]),
        (12, []),
    ]
    # as a workbook's merged cells: the covered cells, and the group over the row below a one-row span
    assert sheet.merged_right == {(1, 2), (3, 1), (3, 2), (3, 3)}
    assert sheet.merge_parent == {(2, 1): ("Provider", 1, 2), (2, 2): ("Provider", 1, 2),
                                  **{(4, c): ("Monitoring", 0, 3) for c in range(4)}}


def test_html_colspan_audit(run):
    data = audit(run, "text-html-colspan.html")
    assert layout(data)["header_row"] == 5
    assert parties(data) == ["Provider NOC", "Provider Service desk", "Dental IT"]
    noc, desk, it = parties(data)
    assert {n: (r["section"], r["roles"]) for n, r in rows(data).items()} == {
        7: ("Monitoring", {noc: "A/R", desk: "I", it: "I"}),
        8: ("Monitoring", {noc: "C", desk: "A/R", it: "I"}),
        9: ("Monitoring", {noc: "R", it: "A"}),
        10: ("Monitoring", {noc: "R", desk: "C", it: "A"}),
    }
    assert found(data) == set()


def test_html_nested_table_after_its_parent_implied_end_tags():
    assert grid(html, "text-html-nested.html") == [
        (2, ["Millpond Bakery schedule"]),
        (4, ["Activity", "Bakery", "Provider"]),
        (5, ["Tier 1 support", "I", "A/R"]),
        (6, ["Firewall rule changes", "A", "R"]),
        (7, ["Restore testing", "A", "R"]),
        (8, ["Key:"]),
        (14, []),
        (10, ["R", "Responsible"]),
        (11, ["A", "Accountable"]),
        (13, []),
    ]


def test_html_nested_audit(run):
    data = audit(run, "text-html-nested.html")
    assert layout(data)["header_row"] == 4
    assert roles(data) == {
        5: {"Bakery": "I", "Provider": "A/R"},
        6: {"Bakery": "A", "Provider": "R"},
        7: {"Bakery": "A", "Provider": "R"},
    }
    assert found(data) == set()


# --------------------------------------------------------------------------- AsciiDoc


def test_adoc_cols_header_multiline_cells_attributes_entities():
    assert grid(asciidoc, "text-adoc-cols-header.adoc") == [
        (1, ["Fernhill Library managed services, {contract-year}"]),
        (13, ["Service desk"]),
        (19, ["Desk and support"]),
        (22, ["Activity", "Library IT", "Provider"]),
        (24, ["Tier 1 support", "I", "A/R"]),
        (28, ["After-hours emergency support", "I", "A/R ^[1]^"]),
        (33, ["Deskside support & repairs", "C", "A/R"]),
        (34, ["Security alert triage", "\u2713", "A/R"]),  # {nbsp} is a space once read
        (36, []),
    ]


def test_adoc_cols_header_audit(run):
    data = audit(run, "text-adoc-cols-header.adoc")
    assert layout(data) == {"sheet": None, "layout": "grid", "header_row": 22, "label_column": "A", "orientation": "rows"}
    assert doc(data)["title"] == "Fernhill Library managed services, {contract-year}"
    assert parties(data) == ["Library IT", "Provider"]
    lib, prov = parties(data)
    assert {n: (r["section"], r["roles"]) for n, r in rows(data).items()} == {
        24: ("Desk and support", {lib: "I", prov: "A/R"}),
        28: ("Desk and support", {lib: "I", prov: "A/R"}),
        33: ("Desk and support", {lib: "C", prov: "A/R"}),
        34: ("Desk and support", {lib: "R", prov: "A/R"}),
    }
    assert rows(data)[28]["cells"][prov] == "A/R ^[1]^"
    assert found(data) == {(34, "shared-responsible")}
    text = run("audit", FIX / "text-adoc-cols-header.adoc", "--fail-on", "never")
    assert "text-adoc-cols-header.adoc:34 'Security alert triage'" in text.stdout


def test_adoc_implicit_header_column_and_row_spans():
    sheet = asciidoc.read(str(FIX / "text-adoc-implicit-header.adoc"))[0]
    assert list(zip(sheet.lines, sheet.rows)) == [
        (1, ["Copperfield Farms schedule"]),
        (3, ["Responsibilities"]),
        (7, ["Activity", "Farm office", "Provider"]),
        (9, ["Activity", "Farm office", "NOC", "Service desk"]),
        (10, ["Monitoring"]),
        (11, ["Alert response", "I", "A/R", "I"]),
        (12, ["Restore testing", "A", "R"]),
        (13, ["Restore testing", "A", "R", "C"]),
        (14, ["Tier 1 support", "I", "C", "A/R"]),
        (16, []),
    ]
    assert sheet.merged_right == {(2, 3), (4, 1), (4, 2), (4, 3)}
    assert sheet.merge_parent[(3, 2)] == ("Provider", 2, 3)


def test_adoc_implicit_header_audit(run):
    data = audit(run, "text-adoc-implicit-header.adoc")
    assert layout(data)["header_row"] == 9
    assert parties(data) == ["Farm office", "Provider NOC", "Provider Service desk"]
    farm, noc, desk = parties(data)
    assert {n: (r["section"], r["roles"]) for n, r in rows(data).items()} == {
        11: ("Monitoring", {farm: "I", noc: "A/R", desk: "I"}),
        12: ("Monitoring", {farm: "A", noc: "R"}),
        13: ("Monitoring", {farm: "A", noc: "R", desk: "C"}),
        14: ("Monitoring", {farm: "I", noc: "C", desk: "A/R"}),
    }
    assert found(data) == set()


def test_adoc_tables_in_tabs_under_their_tab_titles():
    assert grid(asciidoc, "text-adoc-tabs.adoc") == [
        (1, ["Birchwood School services"]),
        (3, ["By service"]),
        (7, ["Service desk"]),
        (10, ["Activity", "School", "Provider"]),
        (12, ["Tier 1 support", "I", "A/R"]),
        (13, ["After-hours emergency support", "I", "A/R"]),
        (15, []),
        (16, ["Backup"]),
        (20, ["Activity", "School", "Provider"]),
        (22, ["Restore testing", "A", "R"]),
        (23, ["Backup job monitoring", "I", "A/R"]),
        (25, []),
    ]


def test_adoc_tabs_audit(run):
    data = audit(run, "text-adoc-tabs.adoc")
    assert layout(data)["header_row"] == 10
    assert {n: (r["section"], r["activity"]) for n, r in rows(data).items()} == {
        12: ("Service desk", "servicedesk.tier1"),
        13: ("Service desk", "servicedesk.after-hours"),
        22: ("Backup", "backup.restore-testing"),
        23: ("Backup", "backup.job-monitoring"),
    }
    assert found(data) == set()


def test_adoc_inline_markup_reduced():
    assert asciidoc.inline("*Tier 1* support, _weekly_ `A/R` link:https://x.invalid[the portal] <<sla,SLA>> R{nbsp}&amp;{sp}A") \
        == "Tier 1 support, weekly A/R the portal SLA R\u00a0& A"
    assert asciidoc.inline("Red Hat ^[1]^ {product-title} snake_case_name 2*3*4") == \
        "Red Hat ^[1]^ {product-title} snake_case_name 2*3*4"


# --------------------------------------------------------------------------- one matrix, five formats

TITLE = "Oakridge Transport services"
MATRIX = [
    ["Activity", "Client", "Provider"],
    ["Service desk", "", ""],
    ["Tier 1 support", "I", "A/R"],
    ["Security alert triage", "C", "A/R"],
    ["Restore testing", "A", "R"],
    ["Courier run to the depot", "A", "A"],
    ["Lobby plant watering", "I", "I"],
]


def _write(fmt: str, path):
    if fmt == "csv":
        path.write_text(f"{TITLE},,\n,,\n" + "".join(",".join(r) + "\n" for r in MATRIX), encoding="utf-8")
    elif fmt == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append([TITLE])
        ws.append([])
        for r in MATRIX:
            ws.append([v or None for v in r])
        wb.save(path)
    elif fmt == "md":
        lines = [f"# {TITLE}", "", "| " + " | ".join(MATRIX[0]) + " |", "| --- | --- | --- |"]
        lines += ["| " + " | ".join(r) + " |" for r in MATRIX[1:]]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "html":
        body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>\n" for r in MATRIX[1:])
        head = "<tr>" + "".join(f"<th>{v}</th>" for v in MATRIX[0]) + "</tr>\n"
        path.write_text(f"<!DOCTYPE html>\n<h1>{TITLE}</h1>\n<table>\n<thead>{head}</thead>\n<tbody>\n{body}</tbody>\n</table>\n",
                        encoding="utf-8")
    else:
        rows = "".join("|" + " |".join(r) + "\n" for r in MATRIX[1:])
        path.write_text(f"= {TITLE}\n\n|===\n|{' |'.join(MATRIX[0])}\n\n{rows}|===\n", encoding="utf-8")
    return path


def _reading(run, path):
    res = run("audit", path, "--format", "json", "--fail-on", "never")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    d = doc(data)
    by_label = [(r["source"]["label"], r["roles"], r["activity"], r["section"]) for r in data["rows"]]
    rules = sorted((f["source"]["label"] or "", f["rule"]) for f in data["findings"])
    return d["title"], d["layout"], parties(data), by_label, rules


@pytest.mark.parametrize("fmt", ["xlsx", "md", "html", "adoc"])
def test_same_matrix_in_every_format_reads_the_same(run, tmp_path, fmt):
    expected = _reading(run, _write("csv", tmp_path / "matrix.csv"))
    assert expected[3][-1] == ("Lobby plant watering", {"Client": "I", "Provider": "I"}, None, "Service desk")
    assert ("Courier run to the depot", "multiple-accountable") in expected[4]
    assert _reading(run, _write(fmt, tmp_path / f"matrix.{fmt}")) == expected


# --------------------------------------------------------------------------- hostile and broken files


def _quick(run, path, limit=10.0):
    start = time.perf_counter()
    res = run("audit", path)
    assert time.perf_counter() - start < limit
    assert res.exit_code in (0, 1, 2)
    assert "Traceback" not in res.stderr
    return res


def test_two_megabytes_of_pipes_end_quickly(run, tmp_path):
    shapes = {
        "line.md": "|" * 2_000_000,
        "lines.md": "|\n" * 1_000_000,
        "table.md": "| a | b |\n|---|---|\n" + "| x | R |\n" * 200_000,
        "escaped.md": "| a | b |\n|---|---|\n| " + "\\|" * 1_000_000 + " | R |\n",
        "wide.md": "|" + "a|" * 500_000 + "\n|" + "-|" * 500_000 + "\n",
    }
    for name, text in shapes.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        res = _quick(run, path, 5.0)
        assert res.exit_code == 2 and len(res.stderr.splitlines()) == 1, (name, res.stderr)


def test_deeply_nested_html_ends_quickly(run, tmp_path):
    for name, text in {
        "divs.html": "<div>" * 10_000 + "<table><tr><th>Activity<th>Client<th>Provider<tr><td>Tier 1 support<td>I<td>A/R</table>"
                     + "</div>" * 10_000,
        "tables.html": "<table><tr><td>" * 10_000 + "x",
        "comment.html": "<table><tr><td>" + "<!--" * 500_000,
    }.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        res = _quick(run, path, 5.0)
        if name == "divs.html":
            assert res.exit_code == 0 and "Tier 1 support" not in res.stderr
        else:
            assert res.exit_code == 2 and len(res.stderr.splitlines()) == 1
    assert "more than 200 tables" in _quick(run, tmp_path / "tables.html").stderr


@pytest.mark.parametrize(("cell", "limit"), [
    ('<td colspan="1000000">x</td>', "spans 1,000,000 columns, more than the 100"),
    ('<td rowspan="5000">x</td>', "spans 5,000 rows, more than the 100"),
    ("<td>x</td>" * 101, "more than 100 columns"),
])
def test_html_spans_and_widths_beyond_the_bounds_are_refused(run, tmp_path, cell, limit):
    path = tmp_path / "span.html"
    path.write_text(f"<table><tr>{cell}</tr><tr><td>Tier 1 support</td><td>R</td></tr></table>", encoding="utf-8")
    res = run("audit", path)
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.startswith(f"Error: {path}: ") and limit in res.stderr and len(res.stderr.splitlines()) == 1


def test_too_many_rows_refused_in_each_format(tmp_path):
    big = {
        "rows.md": "| a | b |\n|---|---|\n" + "| x | R |\n" * 5_001,
        "rows.html": "<table>" + "<tr><td>x</td><td>R</td></tr>" * 5_001 + "</table>",
        "rows.adoc": "|===\n|a |b\n\n" + "|x |R\n" * 5_001 + "|===\n",
    }
    for name, text in big.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DocumentError, match="more than 5,000 table rows"):
            read_source(path)


def test_text_formats_are_read_through_read_source():
    for name, kind in (("text-md-several-tables.md", "markdown"), ("text-html-colspan.html", "html"),
                       ("text-adoc-tabs.adoc", "asciidoc")):
        src = read_source(FIX / name)
        assert src.kind == kind and len(src.sheets) == 1 and src.sheets[0].rows
