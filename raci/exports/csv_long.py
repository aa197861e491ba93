"""``raci export --to csv``: the matrix in long form for PSA and documentation tools, one row a role held.

One row per activity x party x window (``business-hours``, and ``after-hours`` for 24x7 activities or where the
roles differ after hours), in catalog and party order; excluded activities are left out (nobody holds them). The
first line names the raci version and the engagement file; the header is on line 2. A value that a spreadsheet
would run as a formula (``=``, ``+``, ``-``, ``@``) is written with a leading apostrophe, as OWASP advises for CSV.
"""

from __future__ import annotations

import csv
import io

from raci.excel_layout import RISKY_START
from raci.exports.rows import Rows

HEADERS = ("Activity ID", "Activity", "Domain", "Party ID", "Party", "Party kind", "Window", "Role", "Note")


def records(rows: Rows) -> list[tuple[str, ...]]:
    matrix, cat = rows.matrix, rows.catalog
    out: list[tuple[str, ...]] = []
    for aid in matrix.in_scope():
        act, row = cat.activities[aid], matrix.rows[aid]
        windows = ["business-hours"]
        if act.coverage == "24x7" or row.after_hours is not None:
            windows.append("after-hours")
        note = rows.eng.notes.get(aid, "")
        for window in windows:
            roles = row.window(window)
            for pid, party in rows.eng.parties.items():
                if pid in roles:
                    out.append((aid, act.name, cat.domain_names[act.domain], pid, party.name, party.kind, window,
                                roles[pid], note))
    return out


def _safe(value: str) -> str:
    return "'" + value if value.startswith(RISKY_START) else value


def export(rows: Rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f"# {rows.eng.client}: responsibility matrix, one row a role. {rows.prov.line()}"])
    writer.writerow(HEADERS)
    for record in records(rows):
        writer.writerow([_safe(v) for v in record])
    return buf.getvalue()


def count(rows: Rows) -> int:
    return len(records(rows))
