"""What every export says, computed once: provenance, and one row a control (or a role) from the resolved matrix.

A control row is a control of one of the catalog's control sets, the activity the crosswalk links it to, and who
holds that activity in this engagement. Parties fall on three sides: the provider (``kind: msp``), the client
(``kind: client``) and third parties (``kind: vendor``, subcontractors or vendors). The side that *does* the work
holds R in business hours or after hours; when nobody holds R, the accountable party's side. An activity that is
excluded, or that nobody holds, is left to the client: nothing in this engagement provides it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from raci import __version__
from raci.controls import control_index
from raci.engagement import Matrix
from raci.roles import has_a, has_r

PROVIDER, CLIENT, THIRD = "provider", "client", "third-party"
SIDE_OF_KIND = {"msp": PROVIDER, "client": CLIENT, "vendor": THIRD}
ROLE_WORDS = {"A/R": "accountable and responsible", "A": "accountable", "R": "responsible", "C": "consulted", "I": "informed"}


@dataclass(frozen=True)
class Provenance:
    """Who made an export, from what: the raci version and the engagement's file name (never its folder)."""

    version: str
    source: str
    client: str
    provider: str
    engagement_version: str
    effective: str

    def line(self) -> str:
        """One sentence for the first lines of every export."""
        eff = f", effective {self.effective}" if self.effective else ""
        return (f"Made by raci {self.version} from {self.source} (engagement version {self.engagement_version}{eff}); "
                "regenerate it with 'raci export' rather than editing it.")


def provenance(matrix: Matrix, source: str) -> Provenance:
    eng = matrix.engagement
    return Provenance(__version__, os.path.basename(source) or source, eng.client, eng.provider or _provider_name(matrix),
                      eng.version, eng.effective.isoformat() if eng.effective else "")


def _provider_name(matrix: Matrix) -> str:
    msps = [p.name for p in matrix.engagement.parties.values() if p.kind == "msp"]
    return msps[0] if msps else "the provider"


@dataclass(frozen=True)
class ControlRow:
    control: str  # the control id as its set writes it (AC-2, TVM-01, 3.1.1)
    activity: str
    name: str  # the activity's name
    domain: str
    excluded: bool
    business: dict[str, str]  # party id -> role, business hours
    after_hours: dict[str, str] | None  # where it differs
    doers: tuple[str, ...]  # parties that do the work (R in any window; else A), in party order
    accountable: tuple[str, ...]
    note: str

    @property
    def unowned(self) -> bool:
        return self.excluded or not self.doers


class Rows:
    """The matrix as the exports read it: parties by side, control rows per control set, role rows."""

    def __init__(self, matrix: Matrix, source: str):
        self.matrix = matrix
        self.eng = matrix.engagement
        self.catalog = matrix.catalog
        self.prov = provenance(matrix, source)
        self.names = {pid: p.name for pid, p in self.eng.parties.items()}
        self.side = {pid: SIDE_OF_KIND.get(p.kind, THIRD) for pid, p in self.eng.parties.items()}
        self._order = {pid: i for i, pid in enumerate(self.eng.parties)}

    # ------------------------------------------------------------------ parties

    def parties_on(self, side: str) -> list[str]:
        return [pid for pid in self.eng.parties if self.side[pid] == side]

    def side_name(self, side: str) -> str:
        """How a side is named in text: its party names, or the engagement's client/provider name."""
        if side == CLIENT:
            return self.eng.client
        if side == PROVIDER:
            return self.prov.provider
        names = [self.names[p] for p in self.parties_on(side)]
        return join(names) if names else "third parties"

    def sides(self, row: ControlRow) -> set[str]:
        """The sides that do the work of ``row``; the client's alone when nothing in the engagement provides it."""
        return {CLIENT} if row.unowned else {self.side[p] for p in row.doers}

    # ------------------------------------------------------------------ rows

    def activity_row(self, control: str, aid: str) -> ControlRow:
        row = self.matrix.rows[aid]
        act = self.catalog.activities[aid]
        excluded = aid in self.matrix.excluded
        everyone = {**row.business, **(row.after_hours or {})}
        doers = [p for p in everyone if has_r(row.business.get(p)) or has_r((row.after_hours or {}).get(p))]
        if not doers:
            doers = [p for p in everyone if has_a(row.business.get(p)) or has_a((row.after_hours or {}).get(p))]
        return ControlRow(control, aid, act.name, act.domain, excluded, dict(row.business),
                          dict(row.after_hours) if row.after_hours is not None else None,
                          tuple(sorted(doers, key=self._order.__getitem__)),
                          tuple(sorted(row.accountable(), key=self._order.__getitem__)),
                          self.eng.notes.get(aid, ""))

    def control_rows(self, control_set: str) -> list[ControlRow]:
        """One row per control of ``control_set`` the crosswalk links to an activity, in the catalog's control order:
        activities in catalog order, each activity's controls as the catalog lists them."""
        index = control_index(self.catalog)
        out = []
        for aid, act in self.catalog.activities.items():
            for cid in act.controls.get(control_set, ()):
                if index.get((control_set, cid)) == aid:
                    out.append(self.activity_row(cid, aid))
        return out

    # ------------------------------------------------------------------ text

    def roles_text(self, roles: dict[str, str], parties: list[str] | None = None) -> str:
        """``Cascade Managed IT responsible (R), Riverside IT informed (I)``, in party order."""
        keep = [p for p in self.eng.parties if p in roles and (parties is None or p in parties)]
        return ", ".join(f"{self.names[p]} {ROLE_WORDS[roles[p]]} ({roles[p]})" for p in keep)

    def describe(self, row: ControlRow, parties: list[str] | None = None) -> str:
        """What the engagement says about ``row`` (only ``parties``' part when given): roles, after hours, note."""
        if row.excluded:
            return (f"{row.name}: out of scope of this engagement (excluded); {self.eng.client} must arrange it.")
        if not row.doers:
            return f"{row.name}: nobody in this engagement is named for it; {self.eng.client} keeps it until someone is."
        text = f"{row.name}: {self.roles_text(row.business, parties) or 'no role'}"
        if row.after_hours is not None:
            after = self.roles_text(row.after_hours, parties)
            if after:
                text += f"; after hours: {after}"
        text += "."
        if row.note:
            text += f" Note: {row.note}"
        return text


def join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
