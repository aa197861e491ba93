"""The layout search alone, on grids built in the test: which header row, orientation and columns win, and why."""

from __future__ import annotations

from raci.contracts.columns import Readings, find_names_row, name_columns
from raci.contracts.layout import Options, find_layouts
from raci.contracts.tables import Sheet


def sheet(rows: list[list[str]], name: str | None = "Sheet1", hidden: bool = False, index: int = 0) -> Sheet:
    return Sheet("t.xlsx", name, [list(r) for r in rows], list(range(1, len(rows) + 1)), hidden=hidden, index=index)


def no_catalog(labels: list[str]) -> float:
    return 0.0


GRID = [
    ["Acme - who does what"],
    [],
    ["Activity", "Acme IT", "Contoso MSP", "Notes"],
    ["Password resets", "I", "A/R", ""],
    ["Server patching", "C", "A/R", "monthly"],
    ["Restore testing", "A/R", "I", ""],
]


def best(*sheets: Sheet, **options):
    layouts = find_layouts(list(sheets), no_catalog, Options(**options))
    return layouts[0], layouts


def test_grid_header_below_a_title():
    lay, _ = best(sheet(GRID))
    assert (lay.header, lay.orientation, lay.mode, lay.label_col, lay.party_cols, lay.note_col) == (2, "rows", "grid", 0, [1, 2], 3)
    assert lay.describe() == "sheet 'Sheet1', header row 3, label column A"


def test_a_summary_sheet_never_wins_over_a_matrix_sheet():
    summary = sheet([["Party", "Customer", "Provider"]] + [[f"Area {i}", "R", "A/R"] for i in range(40)], "Summary", index=0)
    matrix = sheet(GRID, "Responsibilities", index=1)
    lay, layouts = best(summary, matrix)
    assert lay.sheet.name == "Responsibilities"
    assert any(other.sheet.name == "Summary" for other in layouts)


def test_hidden_sheet_is_read_when_it_is_the_only_matrix():
    lay, _ = best(sheet([["Read me first"]], "Cover"), sheet(GRID, "Data", hidden=True, index=1))
    assert (lay.sheet.name, lay.sheet.hidden) == ("Data", True)
    assert lay.describe() == "sheet 'Data' (hidden), header row 3, label column A"


def test_filler_rows_are_never_headers():
    rows = [["Activity", "CIO", "MSP"], ["Strategy", "---", "---"], ["IT strategy", "A", "R"], ["Budget", "A", "C"]]
    lay, layouts = best(sheet(rows))
    assert lay.header == 0
    assert all(x.header != 1 for x in layouts)


def test_transposed_when_the_rows_are_teams():
    rows = [["", "Solution delivery", "Governance", "Platform operations"],
            ["Cloud adoption team", "Accountable", "Consulted", "Informed"],
            ["Cloud governance team", "Informed", "Accountable", "Accountable"]]
    lay, _ = best(sheet(rows))
    assert (lay.orientation, lay.label_col, lay.party_cols) == ("columns", 0, [1, 2, 3])
    assert best(sheet(rows), transpose=False)[0].orientation == "rows"


def test_options_fix_the_header_row_and_the_label_column():
    lay, _ = best(sheet(GRID), header_row=3, label_column=3)
    assert (lay.header, lay.label_col) == (2, 3)


def test_two_line_header_names_come_from_the_first_line():
    rows = [["Activity", "Internal IT", "Contoso MSP"],
            ["", "Servers, network and the help desk", "Security monitoring and the SOC"],
            ["Server patching", "R", "A"], ["Alert triage", "I", "A/R"]]
    lay, _ = best(sheet(rows))
    assert (lay.header, lay.names_row) == (1, 0)
    assert find_names_row(sheet(rows), 1) == 0


def test_a_new_header_ends_the_table_above():
    rows = GRID + [[], ["Security"], ["Control", "Customer", "Provider"], ["MFA", "A/R", "C"], ["EDR", "I", "A/R"]]
    layouts = find_layouts([sheet(rows)], no_catalog)
    by_header = {lay.header: lay for lay in layouts if lay.orientation == "rows"}
    assert by_header[2].end == 7  # the heading line "Security" goes with the next table
    assert by_header[8].end == len(rows)


def test_names_in_cells_need_an_owner_word_or_a_join():
    resources = sheet([["Resource", "Change", "Incident"],
                       ["VMs", "Northwind Cloud", "Northwind Cloud and Customer"],
                       ["Hosts", "Hyperscaler", "Hyperscaler"],
                       ["Data", "Customer", "Customer"]])
    assert name_columns(resources, Readings(), 0, 4, [1, 2]) == [1, 2]
    domains = sheet([["Domain", "Area"], ["Access", "Cloud Strategy"], ["Access", "Cloud Strategy"], ["Audit", "Finance"],
                     ["Audit", "Finance"]])
    assert name_columns(domains, Readings(), 0, 5, [0, 1]) == []
