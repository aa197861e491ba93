"""``raci export --to cmmc-md``: a CMMC customer responsibility matrix in Markdown, one table per family.

One row per NIST SP 800-171 Rev. 2 requirement the catalog's crosswalk links to an activity, named by its CMMC
Level 2 practice id (``AC.L2-3.1.1``, the same number). Columns: ``Control ID`` | ``Requirement`` (the raci
activity that meets it: raci ships no requirement texts) | ``Responsibility`` (``Client``, ``Provider``,
``Shared``, or ``Inherited`` when only a third party does it) | ``Note`` (who holds which role, and the
engagement's note). Every value from the engagement is escaped: no HTML, no broken cells.
"""

from __future__ import annotations

from raci.controls import NIST_171
from raci.exports.rows import CLIENT, PROVIDER, THIRD, ControlRow, Rows
from raci.markdown import md_escape

HEADERS = ("Control ID", "Requirement", "Responsibility", "Note")
FAMILIES = {
    1: ("AC", "Access Control"), 2: ("AT", "Awareness and Training"), 3: ("AU", "Audit and Accountability"),
    4: ("CM", "Configuration Management"), 5: ("IA", "Identification and Authentication"), 6: ("IR", "Incident Response"),
    7: ("MA", "Maintenance"), 8: ("MP", "Media Protection"), 9: ("PS", "Personnel Security"),
    10: ("PE", "Physical Protection"), 11: ("RA", "Risk Assessment"), 12: ("CA", "Security Assessment"),
    13: ("SC", "System and Communications Protection"), 14: ("SI", "System and Information Integrity"),
}


def responsibility(rows: Rows, row: ControlRow) -> str:
    sides = rows.sides(row)
    if CLIENT in sides:
        return "Client" if sides == {CLIENT} else "Shared"
    return "Inherited" if sides == {THIRD} else "Provider"


def practice_id(control: str) -> str:
    family = int(control.split(".")[1])
    return f"{FAMILIES[family][0]}.L2-{control}"


def export(rows: Rows) -> str:
    eng = rows.eng
    third = [rows.names[p] for p in rows.parties_on(THIRD)]
    lines = [f"# {md_escape(eng.client)}: CMMC customer responsibility matrix", "", f"_{md_escape(rows.prov.line())}_", "",
             f"Client: {md_escape(eng.client)}. Provider (ESP): {md_escape(rows.prov.provider)}"
             + (f"; third parties: {md_escape(', '.join(third))}" if third else "") + ".",
             "Responsibility: **Client** (the client does it), **Provider** (the provider does it"
             + (" or has a third party do it" if rows.parties_on(PROVIDER) and third else "")
             + "), **Shared** (both; the note says who does what), **Inherited** (a third party does it).", ""]
    by_family: dict[int, list[ControlRow]] = {}
    for row in rows.control_rows(NIST_171):
        by_family.setdefault(int(row.control.split(".")[1]), []).append(row)
    for family in sorted(by_family):
        code, name = FAMILIES[family]
        lines += [f"## {code}: {name}", "", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        for row in sorted(by_family[family], key=lambda r: int(r.control.split(".")[2])):
            cells = (practice_id(row.control), row.name, responsibility(rows, row), rows.describe(row))
            lines.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def count(rows: Rows) -> int:
    return len(rows.control_rows(NIST_171))
