"""Recommend arrangement presets from a client profile, by decision rules and price figures taken from the market
material. ``rules`` holds the decision rules and their sources, ``prices`` the published figures laid against the
client's size, ``report`` the text and JSON output; this module ranks the candidates."""

from __future__ import annotations

from dataclasses import dataclass, field

from raci.errors import InputError, Problem
from raci.recommend.prices import FIGURES, MARKET_NOTE, RATE_BANDS, MarketFigure, MarketPrice, PriceLine, market_price, price_reason
from raci.recommend.report import describe_profile, recommendations_json, recommendations_text
from raci.recommend.rules import (
    CO_MANAGED_ORDER,
    DEFAULT_CO_MANAGED,
    FULLY_MANAGED,
    GAP_PRESETS,
    GAP_WORDS,
    GAPS,
    IN_HOUSE,
    RULES,
    RULES_BY_ID,
    SOURCES,
    ClientProfile,
    Rule,
    source_name,
)
from raci.recommend.words import join, money, plural

__all__ = [
    "CO_MANAGED_ORDER", "DEFAULT_CO_MANAGED", "FIGURES", "FULLY_MANAGED", "GAPS", "GAP_PRESETS", "GAP_WORDS", "IN_HOUSE",
    "MARKET_NOTE", "RATE_BANDS", "RULES", "RULES_BY_ID", "SOURCES", "ClientProfile", "MarketFigure", "MarketPrice",
    "PriceLine", "Recommendation", "Rule", "describe_profile", "market_price", "money", "price_reason", "recommend",
    "recommendations_json", "recommendations_text", "source_name", "validate_profile",
]


@dataclass
class Recommendation:
    presets: list[str]
    reasons: list[str]
    rules: list[str]
    score: int
    model: str
    price: MarketPrice | None = None
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "presets": list(self.presets),
            "reasons": list(self.reasons),
            "rules": list(self.rules),
            "model": self.model,
            "market_price": self.price.to_dict() if self.price else None,
            "sources": [SOURCES[s][1] for s in self.sources],
        }


@dataclass
class _Candidate:
    model: str
    adds: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    score: int = 0
    first: int = 0


def profile_words(p: ClientProfile) -> dict[str, str]:
    """The words a rule's sentence is formatted with."""
    gp = p.gap_presets()
    return {
        "staff": plural(p.it_staff, "IT person", "IT staff"),
        "employees": plural(p.employees, "employee"),
        "gap_words": join([GAP_WORDS[g] for g in p.gaps]),
        "gap_presets": ", ".join(gp),
        "gap_count": str(len(p.gaps)),
        "frameworks": ", ".join(fw.upper() for fw in p.compliance),
        "minutes": plural(p.response_minutes or 0, "minute"),
    }


def validate_profile(p: ClientProfile, frameworks: dict[str, str] | None = None) -> None:
    """Raise InputError listing every problem with the profile."""
    problems: list[str] = []
    if p.employees < 1:
        problems.append(f"employees must be at least 1, not {p.employees}")
    if p.it_staff < 0:
        problems.append(f"IT staff must be 0 or more, not {p.it_staff}")
    elif p.it_staff > p.employees >= 1:
        problems.append(f"IT staff ({p.it_staff}) cannot be more than employees ({p.employees})")
    if p.response_minutes is not None and p.response_minutes < 1:
        problems.append(f"response minutes must be at least 1, not {p.response_minutes}")
    for g in p.gaps:
        if g not in GAP_PRESETS:
            problems.append(f"unknown gap {g!r} (known: {', '.join(GAPS)})")
    if frameworks is not None:
        for fw in p.compliance:
            if fw not in frameworks:
                problems.append(f"unknown framework {fw!r} (known: {', '.join(sorted(frameworks))})")
    if problems:
        raise InputError([Problem("", m) for m in problems])


def _candidates(profile: ClientProfile) -> list[_Candidate]:
    words = profile_words(profile)
    candidates: dict[str, _Candidate] = {}
    for i, rule in enumerate(RULES):
        if not rule.when(profile):
            continue
        cand = candidates.setdefault(rule.model, _Candidate(rule.model, first=i))
        for add in rule.adds:
            cand.adds.extend(profile.gap_presets() if add == "gaps" else (add,))
        cand.score += rule.weight
        cand.reasons.append(f"{rule.sentence.format(**words).rstrip('.')} (rule {rule.id}).")
        cand.rules.append(rule.id)
    return sorted(candidates.values(), key=lambda c: (-c.score, c.first))


def recommend(profile: ClientProfile, frameworks: dict[str, str] | None = None,
              available: set[str] | None = None) -> list[Recommendation]:
    """Preset combinations for ``profile``, best first, each with the reasons of the rules that chose it.

    ``frameworks`` (the catalog's) validates --compliance ids; ``available`` (the catalog's preset ids)
    drops any recommendation that needs a preset the catalog does not have.
    """
    validate_profile(profile, frameworks)
    # Unique, in the order given: the same gap named twice is one gap.
    profile = ClientProfile(profile.employees, profile.it_staff, tuple(dict.fromkeys(profile.compliance)),
                            profile.response_minutes, tuple(dict.fromkeys(profile.gaps)))
    out: list[Recommendation] = []
    for cand in _candidates(profile):
        presets = [p for p in CO_MANAGED_ORDER if p in cand.adds] if cand.model == "co-managed" else [cand.model]
        if not presets or (available is not None and not set(presets) <= available):
            continue
        price = market_price(cand.model, profile.employees, profile.it_staff)
        sources = [sid for rid in cand.rules for sid in RULES_BY_ID[rid].sources]
        sources += [ln.source for ln in price.lines]
        out.append(Recommendation(presets, [*cand.reasons, price_reason(cand.model, price)], cand.rules, cand.score,
                                  cand.model, price, [s for s in SOURCES if s in sources]))
    return out
