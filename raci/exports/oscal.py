"""``raci export --to oscal``: the engagement as an OSCAL system security plan (SSP), in JSON.

Why an SSP and not a component definition: a raci engagement describes how one client's IT is actually run, by
named parties, under one contract; that is a system's implementation, which OSCAL records in an SSP. A
component definition describes what a product or service *can* do for any customer, before anyone deploys it.
And the issue's ask, the provider's side as ``export.provided`` and the client's as
``export.responsibilities``, only exists in an SSP: ``export`` belongs to an SSP's ``by-components``; a component
definition has no ``export``. This is also the shape of a leveraged SSP that a customer's own SSP inherits from
(``inherited`` / ``satisfied``), and the shape FedRAMP's CRM is drawn from.

What is written:

* ``metadata``: the title, the raci version and engagement file (``remarks``), the engagement's version, one
  OSCAL ``party`` (an organization) per engagement party, and one ``role`` per RACI letter (``responsible``,
  ``accountable``, ``consulted``, ``informed``), each party's roles named in ``responsible-roles``.
* ``system-implementation``: one ``this-system`` component (the client's IT as this engagement runs it).
* ``control-implementation``: one implemented requirement per NIST SP 800-53 control that the catalog's crosswalk
  links to an activity (``cp-9``, ``cp-9.1``), with one ``by-component`` whose ``export.provided`` holds what the
  provider's side (the MSP and third parties) does and ``export.responsibilities`` what the client's side
  does, with the roles of that side's parties; a shared control's responsibility points at the provided item
  (``provided-uuid``). An excluded or unowned activity is only the client's responsibility.

UUIDs are derived from the client's name and the control (the same engagement gives the same UUIDs), and
``last-modified`` is now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import uuid

from raci.controls import NIST_53, parse_control
from raci.exports.rows import CLIENT, PROVIDER, THIRD, ControlRow, Rows

OSCAL_VERSION = "1.1.2"
NS = "https://raci.invalid/ns/oscal"  # raci's own props (the activity a control is implemented by) live in raci's namespace
NAMESPACE = uuid.UUID("2f0c7a52-5a53-4d0c-9a8e-6c1f3b7d4e10")  # raci's own namespace for derived UUIDs
CATALOG = "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json"
ROLES = (("responsible", "Responsible (R): does the work"),
         ("accountable", "Accountable (A): the one answerable owner"),
         ("consulted", "Consulted (C): asked for input before the work or decision"),
         ("informed", "Informed (I): told of the outcome"))
_LETTER_ROLES = {"R": ("responsible",), "A": ("accountable",), "A/R": ("accountable", "responsible"),
                 "C": ("consulted",), "I": ("informed",)}


def oscal_id(control: str) -> str:
    """``AC-2(3)`` -> ``ac-2.3``, the way OSCAL's 800-53 catalog writes control ids."""
    m = re.fullmatch(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", control)
    if m is None:
        return control.lower()
    return f"{m[1].lower()}-{m[2]}" + (f".{m[3]}" if m[3] else "")


class _Builder:
    def __init__(self, rows: Rows):
        self.rows = rows
        self.seed = f"raci:{rows.eng.client}"
        self.party_uuid = {pid: self.uuid("party", pid) for pid in rows.eng.parties}

    def uuid(self, *parts: str) -> str:
        return str(uuid.uuid5(NAMESPACE, "/".join((self.seed, *parts))))

    def responsible_roles(self, row: ControlRow, parties: list[str]) -> list[dict]:
        """The OSCAL roles ``parties`` hold on ``row`` (either window), each with the parties holding it."""
        held: dict[str, list[str]] = {}
        for window in (row.business, row.after_hours or {}):
            for pid in parties:
                for role in _LETTER_ROLES.get(window.get(pid, ""), ()):
                    holders = held.setdefault(role, [])
                    if self.party_uuid[pid] not in holders:
                        holders.append(self.party_uuid[pid])
        return [{"role-id": rid, "party-uuids": held[rid]} for rid, _title in ROLES if rid in held]

    def by_component(self, row: ControlRow, key: str, component: str) -> dict:
        """What each side does for ``row``: the provider's side as ``export.provided``, the client's as
        ``export.responsibilities`` (pointing at the provided item when the control is shared)."""
        rows = self.rows
        provider_side = rows.parties_on(PROVIDER) + rows.parties_on(THIRD)
        client_side = rows.parties_on(CLIENT)
        sides = rows.sides(row)
        export: dict[str, list[dict]] = {}
        provided_uuid = None
        if sides - {CLIENT}:
            provided_uuid = self.uuid("provided", key)
            export["provided"] = [self._item(provided_uuid, None, rows.describe(row, provider_side),
                                             self.responsible_roles(row, provider_side))]
        if CLIENT in sides:
            export["responsibilities"] = [self._item(self.uuid("responsibility", key), provided_uuid,
                                                     rows.describe(row, client_side), self.responsible_roles(row, client_side))]
        return {
            "component-uuid": component,
            "uuid": self.uuid("by-component", key),
            "description": rows.describe(row),
            "props": [{"name": "raci-activity", "ns": NS, "value": row.activity}],
            "export": export,
            "implementation-status": {"state": "planned" if row.unowned else "implemented"},
        }

    @staticmethod
    def _item(item_uuid: str, provided: str | None, description: str, roles: list[dict]) -> dict:
        item: dict = {"uuid": item_uuid}
        if provided is not None:
            item["provided-uuid"] = provided
        item["description"] = description
        if roles:
            item["responsible-roles"] = roles
        return item

    def requirements(self, component: str) -> list[dict]:
        """One implemented requirement per control (``ac-2``, ``ac-2.3``); a crosswalked statement part (``AC-2(c)``)
        becomes a statement of its control (``ac-2_smt.c``), implemented by its own activity."""
        out: dict[str, dict] = {}
        for row in self.rows.control_rows(NIST_53):
            ref = parse_control(row.control)
            base = oscal_id(ref.id if ref is not None else row.control)
            req = out.setdefault(base, {"uuid": self.uuid("requirement", base), "control-id": base})
            if ref is not None and ref.part:
                sid = f"{base}_smt.{ref.part}"
                req.setdefault("statements", []).append(
                    {"statement-id": sid, "uuid": self.uuid("statement", sid),
                     "by-components": [self.by_component(row, sid, component)]})
            else:
                req["by-components"] = [self.by_component(row, base, component)]
        return list(out.values())

    def document(self) -> dict:
        rows = self.rows
        eng, prov = rows.eng, rows.prov
        component = self.uuid("component", "this-system")
        requirements = self.requirements(component)
        parties = [{"uuid": self.party_uuid[pid], "type": "organization", "name": p.name, "short-name": pid,
                    "remarks": f"{ {'msp': 'Provider', 'client': 'Client', 'vendor': 'Third party'}.get(p.kind, p.kind)} "
                               f"party of the engagement ({p.kind})."}
                   for pid, p in eng.parties.items()]
        system = f"{eng.client} IT services"
        plan = {
            "uuid": self.uuid("ssp"),
            "metadata": {
                "title": f"{eng.client}: responsibilities between {eng.client} and {prov.provider}",
                "last-modified": _now(),
                "version": eng.version,
                "oscal-version": OSCAL_VERSION,
                "remarks": prov.line(),  # near the top on purpose: the provenance is on the file's first lines
                "roles": [{"id": rid, "title": title} for rid, title in ROLES],
                "parties": parties,
            },
            "import-profile": {"href": CATALOG, "remarks": "The NIST SP 800-53 Rev. 5 controls raci's catalog links to "
                                                            "its activities; no baseline is implied."},
            "system-characteristics": {
                "system-ids": [{"identifier-type": "https://ietf.org/rfc/rfc4122", "id": self.uuid("system")}],
                "system-name": system,
                "description": f"The IT of {eng.client}, run under its responsibility matrix with {prov.provider}.",
                "system-information": {"information-types": [{
                    "uuid": self.uuid("information-type"), "title": "IT operations",
                    "description": "The systems and data the engagement's activities operate."}]},
                "status": {"state": "operational"},
                "authorization-boundary": {"description": f"The activities in scope of the engagement between {eng.client} "
                                                          f"and {prov.provider}."},
            },
            "system-implementation": {
                "users": [{"uuid": self.uuid("user", pid), "title": p.name, "role-ids": [rid for rid, _t in ROLES]}
                          for pid, p in eng.parties.items()],
                "components": [{"uuid": component, "type": "this-system", "title": system,
                                "description": f"{eng.client}'s IT, as the engagement with {prov.provider} runs it.",
                                "status": {"state": "operational"}}],
            },
            "control-implementation": {
                "description": f"Who does what for each control, from the engagement's responsibility matrix: "
                               f"{prov.provider}'s side is exported as provided, {eng.client}'s as responsibilities.",
                "implemented-requirements": requirements,
            },
        }
        return {"system-security-plan": plan}


def _now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch.isdigit() else _dt.datetime.now(_dt.timezone.utc)
    return moment.replace(microsecond=0).isoformat()


def export(rows: Rows) -> str:
    return json.dumps(_Builder(rows).document(), indent=2, ensure_ascii=False) + "\n"


def count(rows: Rows) -> int:
    return len(rows.control_rows(NIST_53))
