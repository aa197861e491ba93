"""``raci export --to fedramp-crm``: the engagement as a FedRAMP Customer Responsibility Matrix (SSP Appendix J).

Laid out as the CRM worksheet of FedRAMP's CIS/CRM workbook: a title row, a guidance row (here: what made the
file), the header ``Control ID`` | ``Can Be Inherited from CSP`` | ``Specific Inheritance and Customer Agency/CSP
Responsibilities`` on row 3, one row per NIST SP 800-53 control the catalog's crosswalk links to an activity, and a
``No,Partial,Yes`` dropdown on column B as in FedRAMP's template. The provider (the MSP and its third parties) is
the CSP and the client is the customer: Yes where only the provider's side does the work, Partial where both sides
do, No where only the client does, or where the activity is excluded or unowned (nothing is inherited then).
"""

from __future__ import annotations

from raci.controls import NIST_53
from raci.exports.rows import CLIENT, ControlRow, Rows
from raci.exports.workbook import Table, write_table

SHEET = "CRM Worksheet"
HEADERS = ("Control ID", "Can Be Inherited from CSP", "Specific Inheritance and Customer Agency/CSP Responsibilities")
VALUES = ("No", "Partial", "Yes")


def inheritance(rows: Rows, row: ControlRow) -> str:
    sides = rows.sides(row)
    if CLIENT not in sides:
        return "Yes"
    return "No" if sides == {CLIENT} else "Partial"


def table(rows: Rows) -> Table:
    body = [(row.control, inheritance(rows, row), rows.describe(row)) for row in rows.control_rows(NIST_53)]
    title = f"{rows.eng.client}: Customer Responsibility Matrix (CRM) Worksheet, CSP {rows.prov.provider}"
    return Table(SHEET, title, rows.prov.line(), HEADERS, body, (14, 16, 110), (1, VALUES), wrap=(2,))


def export(rows: Rows):
    return write_table(table(rows), f"raci {rows.prov.version}")


def count(rows: Rows) -> int:
    return len(rows.control_rows(NIST_53))
