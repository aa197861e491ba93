"""Role letters: parsing what people write into canonical cells (R, A, C, I, A/R)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

AFTER_HOURS_KEY = "after-hours"  # the key of a row's after-hours roles in YAML
MEANING = {
    "R": "Responsible: does the work",
    "A": "Accountable: the one answerable owner; approves and signs off",
    "C": "Consulted: asked for input before the work or decision",
    "I": "Informed: told of the outcome",
    "A/R": "Accountable and Responsible: owns the outcome and does the work",
}
_SPELLINGS = {"A/R": "A/R", "R/A": "A/R", "AR": "A/R", "RA": "A/R", "A": "A", "R": "R", "C": "C", "I": "I"}


def parse_role(text: object) -> str | None:
    """Return the canonical role for ``text`` (case-insensitive), or None when it is not a role."""
    if not isinstance(text, str):
        return None
    key = "".join(text.split()).upper()
    return _SPELLINGS.get(key)


def has_a(role: str | None) -> bool:
    return role is not None and "A" in role


def has_r(role: str | None) -> bool:
    return role is not None and "R" in role


@dataclass(frozen=True)
class Row:
    """The roles of one activity: business hours, and after hours where they differ (None = same)."""

    business: dict[str, str]
    after_hours: dict[str, str] | None = None

    def window(self, window: str) -> dict[str, str]:
        if window == "after-hours" and self.after_hours is not None:
            return self.after_hours
        return self.business

    def accountable(self, order: Mapping[str, int] | None = None) -> list[str]:
        """Parties holding A in either window (accountability does not change by window): the one helper the checks,
        the diff and the contract rows use. In ``order`` (party -> rank) where given, else as the row lists them."""
        seen = [p for p, r in self.business.items() if has_a(r)]
        for p, r in (self.after_hours or {}).items():
            if has_a(r) and p not in seen:
                seen.append(p)
        return sorted(seen, key=order.__getitem__) if order is not None else seen

    def parties(self) -> list[str]:
        out = list(self.business)
        out += [p for p in (self.after_hours or {}) if p not in self.business]
        return out

    def to_yaml_obj(self) -> dict[str, str | dict[str, str]]:
        obj: dict[str, str | dict[str, str]] = dict(self.business)
        if self.after_hours is not None:
            obj[AFTER_HOURS_KEY] = dict(self.after_hours)
        return obj
