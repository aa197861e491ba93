"""Invariant: whatever roles an engagement gives, its CRM and its long CSV are read back by ``raci audit`` with the
same owners (the CRM: the same side does each control; the CSV: the same letter for each party)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raci.contracts.audit import audit
from raci.engagement import loads_engagement, resolve
from raci.exports import Rows, export
from raci.output import write_atomic

ACTIVITIES = ("backup.design", "security.log-retention", "security.siem-platform", "identity.leavers", "patching.os-servers")
PARTIES = ("client-exec", "client-it", "msp", "soc")
HEAD = """client: Birch Logistics
provider: Contoso
presets: [in-house]
parties:
  client-exec: {name: Birch leadership, kind: client, staff: 2, hours: business-hours}
  client-it: {name: Birch IT, kind: client, staff: 3, hours: business-hours}
  msp: {name: Contoso, kind: msp, staff: 40, hours: 24x7}
  soc: {name: Sentinel SOC, kind: vendor, staff: 15, hours: 24x7}
"""

row = st.dictionaries(st.sampled_from(PARTIES), st.sampled_from(["A/R", "A", "R", "C", "I"]), min_size=1, max_size=4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.dictionaries(st.sampled_from(ACTIVITIES), row, min_size=1, max_size=5),
       excluded=st.sets(st.sampled_from(ACTIVITIES), max_size=2))
def test_crm_and_csv_keep_the_owners_of_any_engagement(bundled_catalog, rows, excluded):
    text = HEAD + "assignments:\n" + "".join(
        f"  {aid}: {{{', '.join(f'{p}: {r}' for p, r in roles.items())}}}\n" for aid, roles in rows.items())
    text += f"exclusions: [{', '.join(sorted(excluded))}]\n"
    matrix = resolve(loads_engagement(text, bundled_catalog, "prop.raci.yaml"), bundled_catalog)
    with tempfile.TemporaryDirectory() as folder:
        crm, long = Path(folder, "crm.xlsx"), Path(folder, "roles.csv")
        write_atomic(crm, export(matrix, "fedramp-crm", "prop.raci.yaml").data)
        write_atomic(long, export(matrix, "csv", "prop.raci.yaml").data)
        report = audit([str(crm), str(long)], bundled_catalog)
    assert report.problems == []
    crm_doc, csv_doc = report.documents
    # CRM: the side that does each control (R in a window, else A; the client's when excluded or unowned), the vendor
    # on the provider's side, is the side the audit reads from Yes / Partial / No
    kinds = {pid: "client" if p.kind == "client" else "msp" for pid, p in matrix.engagement.parties.items()}

    def doers(aid):
        r = matrix.rows[aid]
        held = {**r.business, **(r.after_hours or {})}
        does = [p for p in held if "R" in r.business.get(p, "") + (r.after_hours or {}).get(p, "")]
        does = does or [p for p in held if "A" in r.business.get(p, "") + (r.after_hours or {}).get(p, "")]
        return {kinds[p] for p in does} if does and aid not in matrix.excluded else {"client"}

    expected = {r.control: doers(r.activity) for r in Rows(matrix, "x").control_rows("nist-800-53")}
    side = {p.id: p.kind for p in crm_doc.document.parties}
    read = {r.row.label: {side[p] for p, role in r.row.roles.items() if "R" in role} for r in crm_doc.rows}
    assert read == expected
    # CSV: every in-scope activity's business-hours letters, party by party
    names = {pid: p.name for pid, p in matrix.engagement.parties.items()}
    want = {aid: {names[p]: r for p, r in matrix.rows[aid].business.items()} for aid in matrix.in_scope()}
    headers = {p.id: p.header for p in csv_doc.document.parties}
    got = {r.match.activity: {headers[p]: role for p, role in r.row.roles.items()} for r in csv_doc.rows}
    assert got == {aid: roles for aid, roles in want.items() if roles}
