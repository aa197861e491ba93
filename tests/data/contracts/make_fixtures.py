"""Write the small contract fixtures of this folder: one file per layout pattern real contract matrices use.

Run from anywhere: ``python tests/data/contracts/make_fixtures.py``. The output is deterministic (workbooks get
fixed timestamps), so the files in git are exactly what this script writes; tests/test_contract_patterns.py
checks that, and checks what a consultant reading each file expects the audit to say. All wording is invented.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
NBSP = "\u00a0"


# --------------------------------------------------------------------------- helpers


def _save(wb, path: Path) -> None:
    """Save a workbook with fixed timestamps, so that the bytes do not change between runs."""
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(zi, data)


def _csv(path: Path, lines: list[str]) -> None:
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def _sheet(wb, title: str, rows: list[tuple], first: bool = False):
    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    for r in rows:
        ws.append(list(r))
    return ws


def _workbook():
    from openpyxl import Workbook

    return Workbook()


# --------------------------------------------------------------------------- 1. summary sheet first


def summary_sheet_first(path: Path) -> None:
    """A Summary sheet of counts per party comes first; the matrix is on 'Responsibilities'."""
    wb = _workbook()
    _sheet(wb, "Summary", [
        ("Summary of responsibilities",),
        ("Area", "Customer", "Provider"),                       # 2
        ("Service desk", 0, 3),
        ("Security", 2, 4),
        ("Governance", 3, 0),
        ("Total", 5, 7),
    ], first=True)
    _sheet(wb, "Responsibilities", [
        ("Managed IT services - who does what",),               # 1
        (),                                                     # 2
        ("Activity", "Customer", "Provider", "Notes"),          # 3
        ("Tier 1 support", "I", "A/R", ""),                     # 4
        ("Server operating-system patching", "C", "A/R", "Monthly window"),  # 5
        ("Firewall administration", "I", "A/R", ""),            # 6
        ("Backup job monitoring", "I", "A/R", ""),              # 7
        ("Security awareness training", "A/R", "C", ""),        # 8
        ("IT budget approval", "A/R", "I", ""),                 # 9
        ("User onboarding (joiners)", "A", "R", ""),            # 10
    ])
    _save(wb, path)


# --------------------------------------------------------------------------- 2. hidden sheet


def hidden_sheet_matrix(path: Path) -> None:
    """A visible front sheet with a letter legend; the only matrix is on a hidden sheet."""
    wb = _workbook()
    _sheet(wb, "Front", [
        ("Harbour Dental - co-managed IT",),
        (),
        ("Client:", "Harbour Dental"),
        (),
        ("Letter", "Meaning"),
        ("R", "Does the work"),
        ("A", "Answers for the outcome"),
        ("C", "Asked before"),
        ("I", "Told after"),
    ], first=True)
    ws = _sheet(wb, "Matrix", [
        ("Service", "Client IT", "MSP"),                        # 1
        ("Tier 1 support", "I", "A/R"),                         # 2
        ("Workstation operating-system patching", "I", "A/R"),  # 3
        ("Restore testing", "A", "R"),                          # 4
        ("Policy approval", "A/R", "C"),                        # 5
        ("Hardware inventory", "C", "A/R"),                     # 6
    ])
    ws.sheet_state = "hidden"
    _save(wb, path)


# --------------------------------------------------------------------------- 3. stacked tables


def stacked_tables(path: Path) -> None:
    """Three tables in one csv, each under its own heading line, the same header repeated."""
    _csv(path, [
        "Managed services schedule,,,",                 # 1
        ",,,",                                          # 2
        "Service desk,,,",                              # 3
        "Activity,Customer,Provider,Notes",             # 4
        "Tier 1 support,I,A/R,",                        # 5
        "Tier 2 support,C,A/R,",                        # 6
        "After-hours emergency support,I,A/R,",         # 7
        ",,,",                                          # 8
        "Security,,,",                                  # 9
        "Activity,Customer,Provider,Notes",             # 10
        "EDR alert response,I,A/R,",                    # 11
        "Security alert triage,C,A/R,",                 # 12
        "Policy approval,A/R,C,",                       # 13
        ",,,",                                          # 14
        "Backup,,,",                                    # 15
        "Activity,Customer,Provider,Notes",             # 16
        "Backup job monitoring,I,A/R,",                 # 17
        "Restore testing,A,R,",                         # 18
        "User-requested restores,I,A/R,",               # 19
    ])


# --------------------------------------------------------------------------- 4. two-line header


def two_line_header(path: Path) -> None:
    """Party names on one line, a line describing each party's people and skills under it."""
    wb = _workbook()
    _sheet(wb, "RACI", [
        ("Co-managed IT responsibility matrix",),                                                      # 1
        ("Activity", "Harbor Dental IT", "Bluewater Managed Services", "Notes"),                        # 2
        ("", "Office manager and two part-time technicians", "24x7 NOC, service desk and a vCIO", ""),  # 3
        ("Tier 1 support", "I", "A/R", ""),                                                             # 4
        ("Workstation operating-system patching", "I", "A/R", ""),                                      # 5
        ("Line-of-business application support", "A/R", "C", "Practice software"),                      # 6
        ("Third-party vendor escalation", "C", "A/R", ""),                                              # 7
        ("Purchase approval", "A/R", "C", ""),                                                          # 8
        ("Hardware inventory", "I", "A/R", ""),                                                         # 9
    ], first=True)
    _save(wb, path)


# --------------------------------------------------------------------------- 5. transposed


def transposed_teams(path: Path) -> None:
    """Teams as rows, functions as columns, full role words."""
    wb = _workbook()
    _sheet(wb, "By team", [
        ("Who does what - by team",),                                                            # 1
        ("Team", "Server patching", "Backup job monitoring", "Firewall administration",
         "Security awareness training", "Disaster recovery plan"),                               # 2
        ("Client IT team", "Informed", "Responsible", "Informed", "Responsible", "Responsible"),  # 3
        ("Client leadership", "Informed", "Informed", "Informed", "Accountable", "Accountable"),   # 4
        ("MSP service desk", "Accountable", "Accountable", "Responsible", "Consulted", "Consulted"),  # 5
        ("MSP network team", "Responsible", "Responsible", "Accountable", "Informed", "Consulted"),  # 6
    ], first=True)
    _save(wb, path)


# --------------------------------------------------------------------------- 6. filler section rows


def filler_section_rows(path: Path) -> None:
    """A Markdown table exported to csv: a separator line, and section rows with --- or an em dash in every party cell."""
    _csv(path, [
        "Activity,Client,MSSP",                                     # 1
        "---,---,---",                                              # 2
        "**Detection**,---,---",                                    # 3
        "Security alert triage,I,A/R",                              # 4
        "Threat hunting and detection tuning,C,A/R",                # 5
        "SIEM platform and log sources,I,A/R",                      # 6
        "**Response**,\u2014,\u2014",                               # 7
        "Security incident triage and initial containment,C,A/R",   # 8
        "Breach notification and legal,A/R,C",                      # 9
        "Post-incident review,A,R",                                 # 10
        "Logging,---,---",                                          # 11
        "Security log retention,I,A/R",                             # 12
    ])


# --------------------------------------------------------------------------- 7. letter combinations


def letter_combinations(path: Path) -> None:
    """Role letters written every way people write them, with qualifiers, and French role words."""
    _csv(path, [
        "Service,Internal IT,Provider,Notes",                                                    # 1
        "Tier 1 support,I,A/R,",                                                                  # 2
        "Tier 2 support,C,R/A,",                                                                  # 3
        "Tier 3 support,I,RA,",                                                                   # 4
        'Workstation operating-system patching,I,"R,A",',                                         # 5
        'Firewall administration,C,"A & R (Config, Ops)",',                                       # 6
        'Security log retention,"R (OT log oversight) & C (reviews SIEM config)",A,',             # 7
        "Policy approval,Approuve,R\u00e9alise,",                                                 # 8
    ])


# --------------------------------------------------------------------------- 8. marks and negatives


def marks_and_negatives(path: Path) -> None:
    """Every check mark and cross people type; one mark owns, two marks share, negatives only own nothing."""
    wb = _workbook()
    _sheet(wb, "Scope", [
        ("Service scope",),                                                   # 1
        ("Function", "Customer", "Provider"),                                 # 2
        ("Tier 1 support", "\u2717", "\u2713"),                               # 3  ✗ ✓
        ("Tier 2 support", "\u2718", "\u2714"),                               # 4  ✘ ✔
        ("Tier 3 support", "\u2716", "\u2714\ufe0f"),                         # 5  ✖ ✔️
        ("Monitoring agent deployment", "No", "\u2611"),                      # 6  ☑
        ("Alert response and on-call", "N", "\u2705"),                        # 7  ✅
        ("Backup job monitoring", "\u274c", "X"),                             # 8  ❌ X
        ("Restore testing", "x", "No"),                                       # 9
        ("Hardware inventory", "\u2022", "\u2717"),                           # 10 •
        ("Secure disposal", "\u25cf", "N"),                                   # 11 ●
        ("Software inventory", "Yes", "\u274c"),                              # 12
        ("License tracking and true-ups", "Y", "\u2718"),                     # 13
        ("Server operating-system patching", "\u2713", "\u2713"),             # 14 two marks
        ("Disaster recovery plan", "\u274c", "No"),                           # 15 negatives only
    ], first=True)
    _save(wb, path)


# --------------------------------------------------------------------------- 9. qualified marks and cost


def qualified_marks_and_cost(path: Path) -> None:
    """An MSP service-scope table: Y with a qualifier, N, and cells that say the work costs extra."""
    _csv(path, [
        "Service,Provider,Customer",                                          # 1
        "Tier 1 support,Y,N",                                                 # 2
        "Workstation operating-system patching,Y (basic),N",                  # 3
        "Third-party vendor escalation,Y (in consultation with customer),N",  # 4
        "On-site deskside support,\u00a3,Y",                                  # 5  £
        "Project management,chargeable,Y",                                    # 6
        "Phishing simulation,optional,N",                                     # 7
    ])


# --------------------------------------------------------------------------- 10. owner words


def owner_words(path: Path) -> None:
    """One Responsibility column of owner words."""
    _csv(path, [
        "Service,Responsibility,Notes",                                                                  # 1
        "Tier 1 support,Provider,",                                                                      # 2
        "Workstation operating-system patching,Customer,",                                               # 3
        "Restore testing,Client,",                                                                       # 4
        "Backup job monitoring,Shared,",                                                                 # 5
        "Security awareness training,Both,",                                                             # 6
        "Line-of-business application support,Vendor,Practice software maker",                          # 7
        "Penetration testing,N/A,",                                                                      # 8
        "Firewall administration,Shared,Provider runs the firewall; Customer approves every rule change",  # 9
    ])


# --------------------------------------------------------------------------- 11. CAIQ and FedRAMP


def caiq_ownership(path: Path) -> None:
    """A CSA CAIQ v4 sheet with the five SSRM Control Ownership values."""
    wb = _workbook()
    _sheet(wb, "CAIQv4", [
        ("Consensus Assessments Initiative Questionnaire v4 - Northwind Cloud",),   # 1
        ("Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership",
         "CSP Implementation Description (Optional/Recommended)", "CSC Responsibilities (Optional/Recommended)"),  # 2
        ("TVM-07.1", "Are the platform's hosts scanned for vulnerabilities on a schedule?", "Yes", "CSP-owned",
         "Authenticated scans every week.", ""),                                     # 3
        ("IAM-14.1", "Is multi-factor authentication required for every interactive login?", "Yes", "CSC-owned",
         "", "Turn on MFA for every tenant user."),                                  # 4
        ("LOG-05.1", "Are security logs kept for the agreed retention period?", "Yes", "3rd-party outsourced",
         "A log-management subcontractor stores the logs.", ""),                     # 5
        ("BCR-08.1", "Are backups of tenant data taken and checked?", "Yes", "Shared CSP and CSC", "", ""),   # 6
        ("DCS-09.1", "Is physical entry to the data halls restricted and logged?", "Yes", "Shared CSP and 3rd-party",
         "", ""),                                                                    # 7
        ("IAM-07.1", "Are user accounts created and removed through a managed process?", "Yes", "Shared CSP and CSC",
         "The CSP provides the identity service.", "The CSC creates and removes its own users."),   # 8
    ], first=True)
    _save(wb, path)


def fedramp_inheritance(path: Path) -> None:
    """A FedRAMP CRM: an instructions sheet first, then control ids with Yes/No/Partial inheritance."""
    wb = _workbook()
    _sheet(wb, "Instructions", [
        ("Customer Responsibility Matrix - how to read it",),
        (),
        ("Yes means the control is inherited from the CSP; Partial means both parties do part of it; No means the customer does it.",),
    ], first=True)
    _sheet(wb, "CRM", [
        ("Northwind Cloud - Customer Responsibility Matrix",),                        # 1
        (),                                                                           # 2
        ("Control ID", "Can Be Inherited from CSP", "Specific Inheritance and Customer Agency/CSP Responsibilities"),  # 3
        ("AC-2(a)", "No", "The agency manages its own user accounts."),               # 4
        ("CP-9", "Partial", ""),                                                      # 5 shared, no split
        ("SI-2", "Yes", ""),                                                          # 6
        ("RA-5", "Yes", ""),                                                          # 7
        ("AT-2", "No", "The agency trains its own users."),                           # 8
        ("IR-4", "Partial", "The CSP handles platform incidents; the agency handles incidents in its own workloads."),  # 9
    ])
    _save(wb, path)


# --------------------------------------------------------------------------- 12. party names in cells


def party_names_in_cells(path: Path) -> None:
    """A cloud provider's resource x process table whose cells name the owner."""
    nw, hs, cu = "Northwind Cloud", "Hyperscaler", "Customer"
    both = "Northwind Cloud and Customer"
    wb = _workbook()
    _sheet(wb, "Shared responsibility", [
        ("Northwind Cloud - shared responsibility by resource",),   # 1
        ("Resource", "Provisioning", "Patching", "Backup", "Monitoring"),  # 2
        ("Virtual machines", cu, cu, cu, nw),                       # 3
        ("Managed databases", nw, nw, both, nw),                    # 4
        ("Physical hosts", hs, hs, "N/A", hs),                      # 5
        ("Object storage", cu, hs, cu, nw),                         # 6
        ("Firewall rules", cu, nw, "N/A", both),                    # 7
    ], first=True)
    _save(wb, path)


# --------------------------------------------------------------------------- 13. footnotes and nbsp


def footnotes_and_nbsp(path: Path) -> None:
    """Footnote markers, bold markup and cells holding only non-breaking spaces; footnotes listed under the table."""
    _csv(path, [
        "Activity,Client IT,MSP,Notes",                              # 1
        "Tier 1 support,I,A/R[1],",                                  # 2
        "Server operating-system patching,C\u00b9,A/R,",             # 3  C¹
        "Firewall administration,I (2),A/R,",                        # 4
        "Backup job monitoring,I,A/R^[3]^,",                         # 5
        "Restore testing,**RA**,I,",                                 # 6
        f"Hardware inventory,{NBSP},A/R,",                           # 7
        f"Vulnerability scanning,{NBSP}{NBSP},**A/R**,",             # 8
        ",,,",                                                       # 9
        "[1] Password resets included.,,,",                          # 10
        "\u00b9 Only for servers in the main office.,,,",            # 11
    ])


# --------------------------------------------------------------------------- 14. party kind words


def party_kind_words(path: Path) -> None:
    """Party headers a consultant places without a glossary."""
    _csv(path, [
        "Activity,Your responsibility,Our responsibility,Support,Professional Services,Infrastructure Director,CIO,Ridgeline Telecom",  # 1
        "Tier 1 support,I,A,R,,,,",                                          # 2
        "Server and infrastructure migrations,C,A,,R,C,I,",                  # 3
        "ISP circuits and carrier liaison,I,A,,,,I,R",                       # 4
        "IT budget approval,C,C,,,R,A,",                                     # 5
        "Technology roadmap,R,C,,,C,A,",                                     # 6
        "Virtualisation and storage,I,A,R,,C,I,",                            # 7
    ])


# --------------------------------------------------------------------------- 15. two rows, one activity


def two_rows_one_activity(path: Path) -> None:
    """Two rows that mean one catalog activity, with different owners."""
    _csv(path, [
        "Activity,Client,Provider",         # 1
        "Tier 1 support,I,A/R",             # 2
        "Server patching,A,R",              # 3
        "Backup job monitoring,I,A/R",      # 4
        "Patch servers monthly,R,A/R",      # 5
        "Restore testing,A/R,C",            # 6
    ])


# --------------------------------------------------------------------------- 16. unmapped rows checked too


def no_owner_and_two_accountable(path: Path) -> None:
    """Rows the catalog does not know still get the row checks."""
    _csv(path, [
        "Activity,Client,Provider",         # 1
        "Tier 1 support,I,A/R",             # 2
        "Coffee machine descaling,A,A",     # 3 unmapped, two A
        "Lobby plant watering,I,I",         # 4 unmapped, nobody
        "Restore testing,A/R,C",            # 5
    ])


# --------------------------------------------------------------------------- 17. several documents, one broken


def good(path: Path) -> None:
    _csv(path, [
        "Activity,Internal IT,Provider",    # 1
        "Tier 1 support,I,A/R",             # 2
        "Restore testing,A/R,C",            # 3
    ])


def broken(path: Path) -> None:
    path.write_bytes(b"This is a text file that was given an .xlsx name by mistake.\n")


# --------------------------------------------------------------------------- overrides


def two_sheets_two_years(path: Path) -> None:
    """Last year's matrix and this year's, on two sheets: --sheet chooses."""
    wb = _workbook()
    _sheet(wb, "FY2025", [
        ("Activity", "Client", "Provider"),  # 1
        ("Tier 1 support", "A/R", "C"),      # 2
        ("Restore testing", "A/R", "I"),     # 3
    ], first=True)
    _sheet(wb, "FY2026", [
        ("Activity", "Client", "Provider"),  # 1
        ("Tier 1 support", "I", "A/R"),      # 2
        ("Tier 2 support", "I", "A/R"),      # 3
        ("Restore testing", "A", "R"),       # 4
        ("Hardware inventory", "C", "A/R"),  # 5
        ("Policy approval", "A/R", "C"),     # 6
    ])
    _save(wb, path)


# --------------------------------------------------------------------------- mapping: wording of real matrices


def readiness_wording(path: Path) -> None:
    """Keeping a thing running (MCO) and keeping it secure (MCS), in English and in French."""
    _csv(path, [
        "Activity,Client,Provider",                                                  # 1
        "Operational readiness of the backup servers,I,A/R",                         # 2
        "Security readiness of the backup servers,I,A/R",                            # 3
        "Maintien en condition opérationnelle des serveurs de sauvegarde,I,A/R",     # 4
        "Maintien en condition de sécurité des serveurs de sauvegarde,I,A/R",        # 5
    ])


def provider_name_in_labels(path: Path) -> None:
    """A cloud provider is a party, and its name recurs in the labels: it says who, not what."""
    _csv(path, [
        "Activity,Customer,AWS",                                            # 1
        "Share AWS good practice with the customer architects,I,A/R",      # 2
        "Server patching,A/R,I",                                            # 3
    ])


def category_prefix(path: Path) -> None:
    """A domain name set off by a dash or a colon is a category; the rest of the label is the topic."""
    _csv(path, [
        "Activity,Client,Provider",                                        # 1
        "IAM \u2013 Ongoing review of access rights,A,R",                  # 2
        "Identity: periodic access recertification,A,R",                   # 3
    ])


def examples_in_parentheses(path: Path) -> None:
    """A parenthesis that lists examples gives detail; the words outside it say what the row is."""
    _csv(path, [
        "Activity,Client,Provider",                                                 # 1
        '"Platform sizing (compute, storage, network, backup)",A/R,C',  # 2
        "Incident response (triage & remediation),I,A/R",                           # 3
    ])


def verb_list(path: Path) -> None:
    """Several verbs, one object: the label names one thing."""
    _csv(path, [
        "Activity,Client,Provider",                                  # 1
        '"Create, configure and delete virtual machines",A/R,I',    # 2
    ])


def tie_by_first_words(path: Path) -> None:
    """Two activities fit equally; the first thing the label names decides."""
    _csv(path, [
        "Activity,Client,Provider",                                              # 1
        '"Monitor the performance of compute, storage and network resources",I,A/R',  # 2
    ])


def hyphenated_words(path: Path) -> None:
    """A word written with or without its hyphen is one word."""
    _csv(path, [
        "Activity,Client,Provider",                  # 1
        "Plan the migration cut-over,A,R",          # 2
    ])


FIXTURES: dict[str, Callable[[Path], None]] = {
    "summary-sheet-first.xlsx": summary_sheet_first,
    "hidden-sheet-matrix.xlsx": hidden_sheet_matrix,
    "stacked-tables.csv": stacked_tables,
    "two-line-header.xlsx": two_line_header,
    "transposed-teams.xlsx": transposed_teams,
    "filler-section-rows.csv": filler_section_rows,
    "letter-combinations.csv": letter_combinations,
    "marks-and-negatives.xlsx": marks_and_negatives,
    "qualified-marks-and-cost.csv": qualified_marks_and_cost,
    "owner-words.csv": owner_words,
    "caiq-ownership.xlsx": caiq_ownership,
    "fedramp-inheritance.xlsx": fedramp_inheritance,
    "party-names-in-cells.xlsx": party_names_in_cells,
    "footnotes-and-nbsp.csv": footnotes_and_nbsp,
    "party-kind-words.csv": party_kind_words,
    "two-rows-one-activity.csv": two_rows_one_activity,
    "no-owner-and-two-accountable.csv": no_owner_and_two_accountable,
    "good.csv": good,
    "broken.xlsx": broken,
    "two-sheets-two-years.xlsx": two_sheets_two_years,
    "readiness-wording.csv": readiness_wording,
    "provider-name-in-labels.csv": provider_name_in_labels,
    "category-prefix.csv": category_prefix,
    "examples-in-parentheses.csv": examples_in_parentheses,
    "verb-list.csv": verb_list,
    "tie-by-first-words.csv": tie_by_first_words,
    "hyphenated-words.csv": hyphenated_words,
}


def main(folder: Path = HERE) -> list[Path]:
    made = []
    for name, write in FIXTURES.items():
        path = folder / name
        write(path)
        made.append(path)
    return made


if __name__ == "__main__":
    for p in main():
        print(f"wrote {p.name}")
