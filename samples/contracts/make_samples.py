"""Write the sample contracts of this folder, each a layout real contracts use, with planted gaps and overlaps.

Run from anywhere: ``python samples/contracts/make_samples.py``. The output is deterministic, so the
files in git are exactly what this script writes. What each file plants (and where) is listed in
PLANTED below; tests/test_audit.py checks that every planted defect is found at its row and that no
other row draws an error.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

# file -> [(row as shown, rule)]: the defects planted on purpose.
PLANTED: dict[str, list[tuple[int, str]]] = {
    "exhibit-b-grid.xlsx": [
        (9, "no-accountable"),            # Server patching: nobody holds A
        (12, "multiple-accountable"),     # Firewall administration: A for both parties
        (15, "shared-responsible"),       # Backup job monitoring: both R
        (17, "unmapped-row"),             # Coffee machine restocking
        (18, "unreadable-cell"),          # "Overflow only"
        (20, "non-delegable"),            # Risk acceptance given to the MSP
    ],
    "owner-column-semicolon-cp1252.csv": [
        (8, "shared-owner"),              # Shared: R to both, A to nobody, no split written
        (11, "shared-owner"),             # Both
        (14, "unmapped-row"),             # Plant watering
        (15, "non-delegable"),            # IT budget approval owned by the provider
    ],
    "marks-tab-bom.csv": [
        (4, "shared-owner"),              # two check marks
        (7, "no-accountable"),            # no mark at all
    ],
    "caiq-ssrm.xlsx": [
        (9, "shared-owner"),              # Shared CSP and CSC with neither party's part described
    ],
    "fedramp-crm.xlsx": [
        (10, "shared-owner"),             # Partial with no text on who does what
    ],
    "co-managed-macro.xlsm": [
        (6, "shared-owner"),              # Joint in both columns
        (9, "multiple-accountable"),      # A in both columns
    ],
}


def _style_header(ws, row: int, ncols: int) -> None:
    from openpyxl.styles import Font, PatternFill

    for c in range(1, ncols + 1):
        cell = ws.cell(row=row, column=c)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")


def exhibit_b(path: Path) -> None:
    """A cover sheet first; the matrix on 'Exhibit B' under a merged title banner, domain cells merged down."""
    from openpyxl import Workbook

    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Master Services Agreement - Exhibit B"
    cover["A3"] = "Client"
    cover["B3"] = "Acme Manufacturing"
    cover["A4"] = "Provider"
    cover["B4"] = "Contoso Managed Services"
    cover["A5"] = "Version"
    cover["B5"] = "2.1"
    ws = wb.create_sheet("Exhibit B")
    ws["A1"] = "Exhibit B - Roles and responsibilities"
    ws.merge_cells("A1:E1")
    ws["A2"] = "Prepared for Acme Manufacturing by Contoso, March 2026"
    ws.append([])
    ws.append(["Domain", "Activity", "Acme IT", "Contoso MSP", "Notes"])  # row 4
    _style_header(ws, 4, 5)
    rows = [
        ("Service desk", "Password resets and account unlocks", "I", "A/R", ""),        # 5
        ("Service desk", "Level 2 desktop support", "c", "ra", ""),                      # 6
        ("Service desk", "Tier 3 escalations", "I", "R, A", ""),                         # 7
        ("Patching", "Workstation patching", "i", "A R", ""),                            # 8
        ("Patching", "Server patching", "-", "R", "Second Tuesday"),                     # 9  no A
        ("Patching", "Third-party application patching", "I", "A+R", ""),                # 10
        ("Network", "VPN and remote access", "C", "A/R", ""),                            # 11
        ("Network", "Firewall administration", "A", "A/R", ""),                          # 12 two A
        ("Monitoring", "Monitoring agent deployment", "I", "A/R", ""),                   # 13
        ("Monitoring", "Alert response and on-call", "I", "A/R", ""),                    # 14
        ("Backup", "Backup job monitoring", "A/R", "R", ""),                             # 15 both R
        ("Backup", "Restore testing", "A/R", "C", ""),                                   # 16
        ("Facilities", "Coffee machine restocking", "A/R", "", ""),                      # 17 unmapped
        ("Projects", "Project management", "A/R", "Overflow only", ""),                  # 18 unreadable cell
        ("Projects", "Office moves and new sites", "N/A", "N/A", "Not in this contract"),  # 19 out of scope
        ("Governance", "Risk acceptance", "C", "A/R", ""),                               # 20 non-delegable
        ("Governance", "IT budget approval", "A/R", "C", ""),                            # 21
    ]
    for r in rows:
        ws.append(list(r))
    # the domain column as people build it: one merged cell per domain
    first = 5
    for i in range(len(rows)):
        last_of_group = i + 1 == len(rows) or rows[i + 1][0] != rows[i][0]
        if last_of_group:
            if 5 + i > first:
                ws.merge_cells(start_row=first, start_column=1, end_row=5 + i, end_column=1)
            first = 5 + i + 1
    ws.column_dimensions["B"].width = 40
    _save(wb, path)


def owner_csv(path: Path) -> None:
    """An owner column of words, semicolons, Windows code page (Excel's plain 'CSV' export in Europe)."""
    lines = [
        "Statement of Work - responsibility split",
        "Client: Acme GmbH",
        "",
        "Service;Responsibility;Notes",                                   # 4
        "Help desk (tier 1);Provider;Contoso\u2019s service desk",        # 5
        "Server patching;MSP;",                                           # 6
        "Workstation patching;Vendor;",                                   # 7
        "Backup job monitoring;Shared;",                                  # 8  Shared: no A
        "Restore testing;Customer;",                                      # 9
        "Firewall administration;Contractor;",                            # 10
        "Security awareness training;Both;",                              # 11 Both: no A
        "Hardware inventory;Supplier;",                                   # 12
        "Office moves and new sites;out of scope;",                       # 13
        "Plant watering;Client;",                                         # 14 unmapped
        "IT budget approval;Provider;",                                   # 15 non-delegable to provider
        "Policy approval;Company;",                                       # 16
        "Penetration testing;N/A;",                                       # 17
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def marks_csv(path: Path) -> None:
    """Marks in party columns, tab separated, UTF-8 with a byte-order mark (Excel's 'CSV UTF-8')."""
    lines = [
        "Co-managed IT: who does what",
        "#\tFunction\tInternal IT\tMSP",                      # 2
        "1\tTier 1 helpdesk\t\u2713\t",                       # 3
        "2\tPatch management for servers\t\u2713\t\u2713",    # 4 two marks
        "3\tEDR management and response\t\tX",                # 5
        "4\tVendor management\t\u2022\t",                     # 6
        "5\tDisaster recovery plan\t\t",                      # 7 nobody
        "6\tvCIO / IT strategy\t\tYes",                       # 8
    ]
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))


def caiq(path: Path) -> None:
    """A CSA CAIQ v4 sheet: title row, header on row 2, 'SSRM Control Ownership' values."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "CAIQv4.0.3"
    ws["A1"] = "Consensus Assessments Initiative Questionnaire v4.0.3"
    ws.append(["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership",
               "CSP Implementation Description (Optional/Recommended)", "CSC Responsibilities (Optional/Recommended)"])
    _style_header(ws, 2, 6)
    rows = [
        ("TVM-07.1", "Vulnerability scanning", "Yes", "CSP-owned", "Weekly authenticated scans.", ""),            # 3
        ("IAM-14.1", "MFA and conditional access", "Yes", "CSC-owned", "", "Enforce MFA for all users."),         # 4
        ("BCR-08.1", "Backup job monitoring", "Yes", "Shared CSP and CSC", "", "Review failed jobs."),            # 5 shared
        ("LOG-05.1", "Security log retention", "Yes", "3rd-party outsourced", "SIEM run by a subcontractor.", ""),  # 6
        ("DCS-09.1", "Server room physical access", "NA", "N/A", "", ""),                                          # 7
        ("SEF-05.1", "Post-incident review", "Yes", "CSP-owned", "", ""),                                          # 8
        ("BCR-04.1", "Disaster recovery test", "Yes", "Shared CSP and CSC", "", ""),                               # 9 shared, no split
    ]
    for r in rows:
        ws.append(list(r))
    _save(wb, path)


def fedramp(path: Path) -> None:
    """A FedRAMP CRM workbook: an instructions sheet first, then the CRM worksheet with Yes/Partial/No."""
    from openpyxl import Workbook

    wb = Workbook()
    ins = wb.active
    ins.title = "Instructions"
    ins["A1"] = "Customer Responsibility Matrix (CRM) Worksheet - instructions"
    ins["A3"] = "Yes: the control can be inherited from the CSP. Partial: shared. No: customer responsibility."
    ws = wb.create_sheet("CRM Moderate")
    ws["A1"] = "FedRAMP Moderate Customer Responsibility Matrix (CRM) Worksheet"
    ws["A2"] = "CSP: Contoso Cloud"
    ws.append([])
    ws.append(["Control ID", "Can Be Inherited from CSP", "Specific Inheritance and Customer Agency/CSP Responsibilities"])  # 4
    _style_header(ws, 4, 3)
    rows = [
        ("RA-5", "Yes", ""),                                                              # 5
        ("CP-9", "Partial", "The CSP backs up the platform; the customer backs up its data."),  # 6 shared
        ("AT-2", "No", "The customer trains its own users."),                             # 7
        ("SI-2", "Yes", ""),                                                              # 8
        ("PE-3", "N/A", "Physical access is inherited from the IaaS."),                   # 9
        ("CP-4", "Partial", ""),                                                          # 10 shared, no split
    ]
    for r in rows:
        ws.append(list(r))
    _save(wb, path)


def macro_workbook(path: Path) -> None:
    """A macro-enabled workbook (.xlsm, with a VBA part that must never run) holding a lower-case grid."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "RACI"
    ws["A1"] = "Acme co-managed IT - RACI"
    ws.append(["Prepared by", "IT manager"])
    ws.append([])
    ws.append(["Responsibility area", "Internal IT", "MSP"])  # 4
    ws.append(["Service desk"])                               # 5 section row
    ws.append(["After-hours emergency support", "Joint", "Joint"])  # 6 joint
    ws.append(["Tier 1 support", "a/r", "i"])                 # 7
    ws.append(["Network"])                                    # 8 section row
    ws.append(["LAN switching and Wi-Fi", "a", "a/r"])        # 9 two A
    ws.append(["ISP circuits and carrier liaison", "i", "a/r"])  # 10

    def macro_enabled(name: str, data: bytes) -> bytes:
        if name != "[Content_Types].xml":
            return data
        return data.replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        ).replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                  b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")

    # add a VBA project part, as Excel does for .xlsm; the importer must read around it
    _save(wb, path, macro_enabled, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"AutoOpen\"\x00" * 8})


def _save(wb, path: Path, change: Callable[[str, bytes], bytes] | None = None, extra: dict[str, bytes] | None = None) -> None:
    """Save a workbook with fixed timestamps, so that the bytes do not change between runs; ``change`` may
    rewrite a part and ``extra`` adds parts."""
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    parts = [(info.filename, src.read(info.filename)) for info in src.infolist()] + list((extra or {}).items())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", data)
            if change is not None:
                data = change(name, data)
            zi = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(zi, data)


def main(folder: Path = HERE) -> list[Path]:
    made = []
    for name, fn in (
        ("exhibit-b-grid.xlsx", exhibit_b),
        ("owner-column-semicolon-cp1252.csv", owner_csv),
        ("marks-tab-bom.csv", marks_csv),
        ("caiq-ssrm.xlsx", caiq),
        ("fedramp-crm.xlsx", fedramp),
        ("co-managed-macro.xlsm", macro_workbook),
    ):
        path = folder / name
        fn(path)
        made.append(path)
    (folder / "fedramp-crm.map.yaml").write_text(
        "# Control ids of the FedRAMP CRM sample mapped to catalog activities (raci audit --map).\n"
        "rows:\n"
        "  RA-5: vulnerability.scanning\n"
        "  CP-9: backup.design\n"
        "  AT-2: awareness.training\n"
        "  SI-2: patching.os-servers\n"
        "  PE-3: facilities.server-room-access\n"
        "parties:\n"
        "  CSP: msp\n"
        "  Customer: client\n"
    )
    made.append(folder / "fedramp-crm.map.yaml")
    return made


if __name__ == "__main__":
    for p in main():
        print(f"wrote {p.relative_to(HERE.parent.parent)}")
