"""What a transition changes in the commercial status of the MSP's work (in the fee, a project, passed through,
excluded): the part of ``raci diff`` that says what the client will pay for differently."""

from __future__ import annotations

from dataclasses import dataclass

from raci.catalog import Catalog
from raci.compose import DEFAULT_COMMERCIAL


@dataclass(frozen=True)
class CommercialChange:
    activity: str
    name: str
    before: str | None  # None: the MSP does no work on it on that side
    after: str | None

    def to_dict(self) -> dict:
        return {"activity": self.activity, "before": self.before, "after": self.after}

    def text(self) -> str:
        return f"{self.activity} ({self.name}): {self.before or '-'} -> {self.after or '-'}"


def compare_commercial(catalog: Catalog, before: dict[str, str], after: dict[str, str]) -> list[CommercialChange]:
    """Activities whose status differs, in catalog order. Work the MSP only starts or stops doing, in the fee
    both ways, is left to the role changes, which already say so."""
    out = []
    for aid, act in catalog.activities.items():
        x, y = before.get(aid), after.get(aid)
        if x == y or {x, y} == {None, DEFAULT_COMMERCIAL}:
            continue
        out.append(CommercialChange(aid, act.name, x, y))
    return out
