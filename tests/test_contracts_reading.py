"""Reading contract matrices: cell vocabularies, csv dialects and encodings, layouts, sheets, merged cells."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from paths import DATA, SAMPLES

from raci.catalog import load_catalog
from raci.contracts.layout import Options
from raci.contracts.mapping import Matcher
from raci.contracts.reader import read_document as _read
from raci.contracts.vocabulary import canonical, guess_kind, owner_slots, parse_letters, read_cell
from raci.errors import DocumentError

CONTRACTS = SAMPLES / "contracts"
IMPORT = DATA / "import"
MATCHER = Matcher(load_catalog(None))


def read_document(path, sheet=None, kinds=None, **options):
    return _read(path, MATCHER, Options(sheet=sheet, **options), kinds)


@pytest.mark.parametrize("text", ["A/R", "R/A", "RA", "ar", "R, A", "A R", "A+R", "a,r", "Accountable/Responsible", "A & R",
                                  "**RA**", "R,A", "Réalise / Approuve"])
def test_combined_letters_read_as_a_and_r(text):
    assert canonical(parse_letters(text)[0]) == "A/R"


@pytest.mark.parametrize(("text", "role"), [("r", "R"), (" i ", "I"), ("C", "C"), ("Responsible", "R"), ("A", "A"),
                                           ("\u0410", "A"), ("\u0421,I", "C"), ("R ^[1]^", "R"), ("RA(1)", "A/R"),
                                           ("R\u00b9", "R"), ("Informé", "I"), ("S", "C")])
def test_single_letters_any_case_homoglyphs_and_footnotes(text, role):
    assert canonical(parse_letters(text)[0]) == role


@pytest.mark.parametrize(("text", "letters", "note"), [
    ("A & R (Config, Ops)", {"A", "R"}, "Config, Ops"),
    ("R (OT log oversight) & C (reviews SIEM config)", {"R", "C"}, "R: OT log oversight; C: reviews SIEM config"),
    ("Responsible for budget decisions", {"R"}, "for budget decisions"),
])
def test_letters_keep_their_qualifiers_as_notes(text, letters, note):
    assert parse_letters(text) == (frozenset(letters), note)


@pytest.mark.parametrize(("text", "kind"), [
    ("", "blank"), ("-", "blank"), ("---", "blank"), ("\u2014", "blank"), ("N/A", "na"), ("n/a", "na"), ("out of scope", "na"),
    ("X", "mark"), ("x", "mark"), ("\u2713", "mark"), ("\u2714", "mark"), ("\u2714\ufe0f", "mark"), ("\u2611", "mark"),
    ("\u2705", "mark"), ("\u2022", "mark"), ("\u25cf", "mark"), ("Yes", "mark"), ("Y", "mark"),
    ("\u274c", "negative"), ("\u2717", "negative"), ("\u2718", "negative"), ("\u2716", "negative"), ("No", "negative"),
    ("N", "negative"), ("\u00a3", "cost"), ("chargeable", "cost"), ("Optional", "cost"), ("on request", "cost"),
    ("at extra cost", "cost"), ("Joint", "owner"), ("Shared", "owner"), ("Both", "owner"), ("Overflow only", "text"),
    ("RAX", "text"),
])
def test_cell_kinds(text, kind):
    assert read_cell(text).kind == kind


@pytest.mark.parametrize(("text", "note"), [("Y (basic)", "basic"), ("Y (in consultation with customer)", "in consultation with customer")])
def test_qualified_marks_keep_the_qualifier(text, note):
    assert (read_cell(text).kind, read_cell(text).note) == ("mark", note)


@pytest.mark.parametrize(("text", "roles"), [
    ("Provider", {"provider": "A/R"}), ("MSP", {"provider": "A/R"}), ("Vendor", {"provider": "A/R"}),
    ("Contractor", {"provider": "A/R"}), ("Supplier", {"provider": "A/R"}), ("Customer", {"client": "A/R"}),
    ("Client", {"client": "A/R"}), ("Company", {"client": "A/R"}), ("Shared", {"provider": "R", "client": "R"}),
    ("Both", {"provider": "R", "client": "R"}), ("Joint", {"provider": "R", "client": "R"}),
    ("Provider and Customer", {"provider": "R", "client": "R"}),
])
def test_owner_words(text, roles):
    assert dict(owner_slots(text).slots) == roles


def test_a_sentence_mentioning_the_customer_is_not_an_owner_word():
    assert owner_slots("The customer must configure the firewall") is None


@pytest.mark.parametrize(("text", "roles", "shared"), [
    ("CSP-owned", {"provider": "A/R"}, False), ("CSC-owned", {"client": "A/R"}, False),
    ("3rd-party outsourced", {"provider": "A", "third": "R"}, False), ("Third-party outsourced", {"provider": "A", "third": "R"}, False),
    ("Shared CSP and CSC", {"provider": "R", "client": "R"}, True), ("Shared CSP and 3rd-party", {"provider": "R", "third": "R"}, True),
])
def test_caiq_ssrm_ownership(text, roles, shared):
    reading = owner_slots(text, "caiq")
    assert (dict(reading.slots), reading.shared) == (roles, shared)


@pytest.mark.parametrize(("text", "roles"), [
    ("Yes", {"provider": "A/R"}), ("No", {"client": "A/R"}), ("Partial", {"provider": "R", "client": "R"}),
])
def test_fedramp_can_be_inherited(text, roles):
    assert dict(owner_slots(text, "fedramp").slots) == roles


@pytest.mark.parametrize(("header", "kind"), [
    ("Acme IT", "client"), ("Internal IT", "client"), ("Customer", "client"), ("Contoso MSP", "msp"),
    ("Service Provider", "msp"), ("ISP", "vendor"), ("Third-party vendor", "vendor"), ("Your responsibility", "client"),
    ("Infrastructure Director", "client"), ("CIO", "client"), ("CSP", "msp"), ("Support", "msp"),
    ("Professional Services", "msp"), ("Hyperscaler", "vendor"),
])
def test_party_kind_from_header_words(header, kind):
    assert guess_kind(header)[0] == kind


# --------------------------------------------------------------------------- csv dialects and encodings

ROWS = [
    "Who does what",
    "",
    "Activity{d}Client IT{d}MSP",
    "Service desk",
    "Password resets{d}I{d}A/R",
    "Caf\u00e9 \u2019kiosk\u2019 support{d}A/R{d}C",
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])  # utf-16: Excel's "Unicode Text"
def test_csv_delimiters_and_encodings(tmp_path, delimiter, encoding):
    path = tmp_path / "m.csv"
    path.write_bytes("\r\n".join(r.format(d=delimiter) for r in ROWS).encode(encoding))
    doc = read_document(path)
    assert doc.mode == "grid"
    assert doc.header_row == 3
    assert [p.header for p in doc.parties] == ["Client IT", "MSP"]
    assert [(r.row, r.label, r.section, r.roles) for r in doc.rows] == [
        (5, "Password resets", "Service desk", {"client-it": "I", "msp": "A/R"}),
        (6, "Caf\u00e9 \u2019kiosk\u2019 support", "Service desk", {"client-it": "A/R", "msp": "C"}),
    ]


def test_csv_with_a_utf8_mark_but_windows_code_page_text(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(b"\xef\xbb\xbfActivity,Client,MSP\r\nCaf\xe9 kiosk support,A/R,C\r\nServer patching,I,A/R\r\n")
    assert [(r.row, r.label) for r in read_document(path).rows] == [(2, "Caf\u00e9 kiosk support"), (3, "Server patching")]


def test_csv_line_numbers_count_quoted_line_breaks(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('Activity,Client,MSP\n"Server patching\n(monthly)",I,A/R\nRestore testing,A/R,C\n')
    doc = read_document(path)
    assert [(r.row, r.label) for r in doc.rows] == [(2, "Server patching (monthly)"), (4, "Restore testing")]


# --------------------------------------------------------------------------- sample layouts


def test_grid_sample_skips_cover_sheet_and_fills_merged_domains():
    doc = read_document(CONTRACTS / "exhibit-b-grid.xlsx")
    assert doc.sheet == "Exhibit B"
    assert doc.header_row == 4
    assert [(p.header, p.kind) for p in doc.parties] == [("Acme IT", "client"), ("Contoso MSP", "msp")]
    rows = {r.row: r for r in doc.rows}
    assert rows[6].section == "Service desk"  # covered by the merged A5:A7 cell
    assert rows[10].section == "Patching"
    assert rows[6].roles == {"acme-it": "C", "contoso-msp": "A/R"}           # "c", "ra"
    assert rows[7].roles["contoso-msp"] == "A/R"                             # "R, A"
    assert rows[8].roles["contoso-msp"] == "A/R"                             # "A R"
    assert rows[10].roles["contoso-msp"] == "A/R"                            # "A+R"
    assert rows[9].roles == {"contoso-msp": "R"}                             # "-" and "R"
    assert rows[19].excluded and rows[19].roles == {}                        # N/A in every party column
    assert rows[18].unclear == [("Contoso MSP", "Overflow only")]


def test_sheet_option_overrides_and_names_unknown_sheets():
    with pytest.raises(DocumentError) as exc:
        read_document(CONTRACTS / "exhibit-b-grid.xlsx", sheet="Cover")
    assert exc.value.lines() == [f"{CONTRACTS / 'exhibit-b-grid.xlsx'}: no responsibility matrix found in sheet 'Cover': expected a "
                                 "header row and columns of R/A/C/I letters, X or check marks, or owner words (Provider/Customer/Shared)"]
    with pytest.raises(DocumentError) as exc:
        read_document(CONTRACTS / "exhibit-b-grid.xlsx", sheet="Nope")
    assert exc.value.lines() == [f"{CONTRACTS / 'exhibit-b-grid.xlsx'}: no sheet named 'Nope' (sheets: Cover, Exhibit B)"]
    assert read_document(CONTRACTS / "exhibit-b-grid.xlsx", sheet="exhibit b").sheet == "Exhibit B"


def test_owner_column_sample_in_cp1252_with_semicolons():
    doc = read_document(CONTRACTS / "owner-column-semicolon-cp1252.csv")
    assert doc.mode == "owner"
    # "Vendor" and "Supplier" in a column that also says "Provider" name third parties, not the provider
    assert [(p.header, p.kind) for p in doc.parties] == [("Provider", "msp"), ("Vendor", "vendor"), ("Customer", "client"),
                                                         ("Supplier", "vendor")]
    rows = {r.row: r for r in doc.rows}
    assert rows[5].note == "Contoso\u2019s service desk"
    assert rows[6].roles == {"provider": "A/R"}          # MSP
    assert rows[7].roles == {"vendor": "A/R"}
    assert rows[8].roles == {"provider": "R", "customer": "R"}  # Shared: nobody accountable
    assert rows[9].roles == {"customer": "A/R"}
    assert rows[13].excluded and rows[17].excluded     # out of scope, N/A


def test_marks_sample_one_mark_owns_two_marks_share():
    doc = read_document(CONTRACTS / "marks-tab-bom.csv")
    assert doc.mode == "grid"
    rows = {r.row: r for r in doc.rows}
    assert rows[3].label == "Tier 1 helpdesk" and rows[3].roles == {"internal-it": "A/R"}
    assert rows[4].roles == {"internal-it": "R", "msp": "R"}
    assert rows[5].roles == {"msp": "A/R"}
    assert rows[6].roles == {"internal-it": "A/R"}  # a bullet
    assert rows[7].roles == {}                       # no mark at all: a gap, not a section heading
    assert rows[8].roles == {"msp": "A/R"}           # Yes


def test_caiq_and_fedramp_samples():
    caiq = read_document(CONTRACTS / "caiq-ssrm.xlsx")
    assert (caiq.mode, caiq.header_row) == ("owner", 2)
    assert [p.header for p in caiq.parties] == ["CSP", "CSC", "3rd party"]
    rows = {r.row: r for r in caiq.rows}
    assert rows[3].label == "Vulnerability scanning"
    assert rows[5].roles == {"csp": "R", "csc": "R"}
    assert rows[6].roles == {"csp": "A", "3rd-party": "R"}
    assert rows[7].excluded
    fed = read_document(CONTRACTS / "fedramp-crm.xlsx")
    assert (fed.sheet, fed.mode, fed.header_row) == ("CRM Moderate", "owner", 4)
    assert [(r.label, r.roles, r.excluded) for r in fed.rows] == [
        ("RA-5", {"csp": "A/R"}, False), ("CP-9", {"csp": "R", "customer-agency": "R"}, False),
        ("AT-2", {"customer-agency": "A/R"}, False), ("SI-2", {"csp": "A/R"}, False), ("PE-3", {}, True),
        ("CP-4", {"csp": "R", "customer-agency": "R"}, False),
    ]


def test_macro_workbook_read_without_macros_and_sections():
    doc = read_document(CONTRACTS / "co-managed-macro.xlsm")
    assert doc.notes == ["the workbook contains macros; they were not run"]
    assert doc.header_row == 4
    assert [(r.row, r.section, r.roles) for r in doc.rows] == [
        (6, "Service desk", {"internal-it": "R", "msp": "R"}),
        (7, "Service desk", {"internal-it": "A/R", "msp": "I"}),
        (9, "Network", {"internal-it": "A", "msp": "A/R"}),
        (10, "Network", {"internal-it": "I", "msp": "A/R"}),
    ]


def test_explicit_party_kind_overrides_the_guess():
    doc = read_document(CONTRACTS / "exhibit-b-grid.xlsx", kinds={"Contoso MSP": "vendor"})
    assert [(p.kind, p.kind_guessed) for p in doc.parties] == [("client", True), ("vendor", False)]


def _save(wb: Workbook, path):
    wb.save(path)
    return path


def test_group_header_merged_over_two_columns(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["", "", "Contoso"])
    ws.merge_cells("C1:D1")
    ws.append(["Activity", "Acme IT", "NOC", "Service desk"])
    ws.append(["Server patching", "I", "A/R", "C"])
    ws.append(["Password resets", "I", "C", "A/R"])
    doc = read_document(_save(wb, tmp_path / "g.xlsx"))
    assert [p.header for p in doc.parties] == ["Acme IT", "Contoso NOC", "Contoso Service desk"]


def test_title_banner_merged_above_the_header_is_not_a_group_header(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Exhibit B - Roles and responsibilities"])
    ws.merge_cells("A1:C1")
    ws.append(["Activity", "Acme IT", "Contoso MSP"])
    ws.append(["Server patching", "I", "A/R"])
    ws.append(["Restore testing", "A/R", "C"])
    doc = read_document(_save(wb, tmp_path / "t.xlsx"))
    assert [(p.header, p.id) for p in doc.parties] == [("Acme IT", "acme-it"), ("Contoso MSP", "contoso-msp")]


def test_wrong_dimension_record_still_reads_every_row(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Activity", "Client", "MSP"])
    for i in range(30):
        ws.append([f"Task {i}", "I", "A/R"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    path = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="A1:C31"\s*/>', b'<dimension ref="A1"/>', data)
                assert n == 1
            out.writestr(info, data)
    assert len(read_document(path).rows) == 30


def test_formulas_give_their_cached_values_and_booleans_are_marks(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Activity", "Client", "MSP"])
    ws.append(["Server patching", False, True])
    ws.append(["Restore testing", True, False])
    ws.append(["Password resets", False, True])
    ws.append(["Risk acceptance", True, "=IF(1>2,TRUE,FALSE)"])
    doc = read_document(_save(wb, tmp_path / "b.xlsx"))
    assert [r.roles for r in doc.rows] == [{"msp": "A/R"}, {"client": "A/R"}, {"msp": "A/R"}, {"client": "A/R"}]


def test_header_repeated_after_a_page_break_and_legend_rows_are_skipped(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Activity,Client,MSP\nServer patching,I,A/R\nActivity,Client,MSP\nRestore testing,A/R,I\n\nR,Responsible,\n")
    doc = read_document(path)
    assert [r.label for r in doc.rows] == ["Server patching", "Restore testing"]
