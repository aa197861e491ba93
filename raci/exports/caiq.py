"""``raci export --to caiq``: the engagement as CSA CAIQ v4 shared-responsibility (SSRM) answers, per CCM control.

Columns ``CCM Control ID`` | ``SSRM Control Ownership`` | ``CSP Implementation Description`` | ``CSC
Responsibilities``, one row per CSA Cloud Controls Matrix v4 control the catalog's crosswalk links to an activity
(raci answers per control: its crosswalk names CCM controls, not CAIQ questions). Ownership takes CAIQ's five
values, offered as a dropdown: the MSP is the CSP, the client the CSC, and vendor parties the 3rd party. CAIQ has no
value for the client sharing with a 3rd party: such a row is ``Shared CSP and CSC``, the 3rd party on the CSP's side.
"""

from __future__ import annotations

from raci.controls import CCM
from raci.exports.rows import CLIENT, PROVIDER, THIRD, ControlRow, Rows
from raci.exports.workbook import Table, write_table

SHEET = "CAIQv4 SSRM"
HEADERS = ("CCM Control ID", "SSRM Control Ownership", "CSP Implementation Description", "CSC Responsibilities")
VALUES = ("CSP-owned", "CSC-owned", "3rd-party outsourced", "Shared CSP and CSC", "Shared CSP and 3rd-party")


def ownership(rows: Rows, row: ControlRow) -> str:
    sides = rows.sides(row)
    if CLIENT in sides:
        return "CSC-owned" if sides == {CLIENT} else "Shared CSP and CSC"
    if sides == {PROVIDER}:
        return "CSP-owned"
    return "3rd-party outsourced" if sides == {THIRD} else "Shared CSP and 3rd-party"


def table(rows: Rows) -> Table:
    body = []
    csp = rows.parties_on(PROVIDER) + rows.parties_on(THIRD)
    csc = rows.parties_on(CLIENT)
    for row in rows.control_rows(CCM):
        sides = rows.sides(row)
        provider_text = rows.describe(row, csp) if sides - {CLIENT} else ""
        client_text = rows.describe(row, csc) if CLIENT in sides else ""
        body.append((row.control, ownership(rows, row), provider_text, client_text))
    title = f"{rows.eng.client}: CAIQ v4 shared security responsibility (SSRM), CSP {rows.prov.provider}"
    return Table(SHEET, title, rows.prov.line(), HEADERS, body, (14, 24, 70, 70), (1, VALUES), wrap=(2, 3))


def export(rows: Rows):
    return write_table(table(rows), f"raci {rows.prov.version}")


def count(rows: Rows) -> int:
    return len(rows.control_rows(CCM))
