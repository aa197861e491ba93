"""The engagement model: parties, profile, the engagement as written, and the matrix it resolves to."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from raci.catalog import Catalog
from raci.roles import Row

KINDS = ("client", "msp", "vendor")
HOURS = ("business-hours", "24x7")
TOP_KEYS = (
    "client", "provider", "version", "effective", "presets", "profile", "parties", "assignments",
    "exclusions", "notes", "internal_notes", "sla", "thresholds", "contract_rows", "commercial",
)
PARTY_KEYS = ("name", "kind", "staff", "hours")
PROFILE_KEYS = ("employees", "it_staff", "compliance")
SLA_KEYS = ("response", "resolution")
THRESHOLD_KEYS = {"r_per_staff": 30}
STANDARD_PARTIES = ("client-exec", "client-it", "msp")


@dataclass
class Party:
    id: str
    name: str
    kind: str
    staff: int
    hours: str

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "staff": self.staff, "hours": self.hours}


@dataclass
class Profile:
    employees: int | None = None
    it_staff: int | None = None
    compliance: list[str] = field(default_factory=list)


@dataclass
class Engagement:
    client: str
    provider: str = ""
    version: str = "1.0"
    effective: _dt.date | None = None
    presets: list[str] = field(default_factory=list)
    profile: Profile = field(default_factory=Profile)
    parties: dict[str, Party] = field(default_factory=dict)
    assignments: dict[str, Row] = field(default_factory=dict)
    exclusions: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    internal_notes: dict[str, str] = field(default_factory=dict)  # for the provider's team: never in a client document
    sla: dict[str, dict[str, str]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(THRESHOLD_KEYS))
    contract_rows: list = field(default_factory=list)  # rows of an imported contract, as written (raci.contracts.kept)
    commercial: dict[str, str] = field(default_factory=dict)  # activity -> included/project/pass-through/excluded, over the presets'
    path: str = "<engagement>"
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # ("assignments", id) -> line, ...

    def line(self, *key) -> int | None:
        return self.lines.get(key)


@dataclass
class Matrix:
    """An engagement resolved against its catalog: the effective row of every catalog activity."""

    catalog: Catalog
    engagement: Engagement
    rows: dict[str, Row]
    origin: dict[str, str]
    excluded: set[str]
    overrides: list[tuple[str, str, str]]  # (activity, earlier preset, later preset that won)
    window_origin: dict[str, dict[str, str]] = field(default_factory=dict)  # activity -> window -> preset that set it
    commercial: dict[str, str] = field(default_factory=dict)  # in-scope activity the MSP works on -> commercial status

    @property
    def parties(self) -> list[str]:
        return list(self.engagement.parties)

    def in_scope(self) -> list[str]:
        return [a for a in self.catalog.activities if a not in self.excluded]
