"""Recommend arrangement presets from a client profile, by decision rules and price figures taken from the market material."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from raci.errors import InputError, Problem

# --------------------------------------------------------------------------- sources

# The five market articles this product was built from: a short name to cite in a sentence, and the title.
SOURCES: dict[str, tuple[str, str]] = {
    "usm": ("USM Technology", "Co-Managed IT vs Fully Managed IT: Which Is Better for SMBs in 2026? (USM Technology)"),
    "guide": ("the comparison guide", "Co-Managed IT vs Fully Managed IT: A Complete Comparison Guide for Businesses (May 2026)"),
    "onsite": ("On-Site Technology", "Managed vs Co-Managed IT Services Guide for Businesses (On-Site Technology, April 2026)"),
    "overview": ("the overview article", "an unsigned article comparing co-managed and fully managed IT"),
    "bsgtech": ("BSGtech", "BSGtech's page on co-managed IT for Chicago businesses"),
}


def source_name(sid: str) -> str:
    return SOURCES[sid][0]


FULLY_MANAGED = "fully-managed"
IN_HOUSE = "in-house"
# Order the co-managed presets are applied in: broad tooling first, strategy last (a later preset wins on overlap).
CO_MANAGED_ORDER = (
    "co-managed-tools-only",
    "co-managed-tier3-escalation",
    "co-managed-after-hours",
    "co-managed-project-augmentation",
    "co-managed-hybrid-expertise",
    "co-managed-strategic-partnership",
)
# What a client says it lacks -> the co-managed preset that hands that part to the MSP.
GAP_PRESETS: dict[str, str] = {
    "after-hours": "co-managed-after-hours",
    "security": "co-managed-hybrid-expertise",
    "projects": "co-managed-project-augmentation",
    "strategy": "co-managed-strategic-partnership",
    "tools": "co-managed-tools-only",
    "escalation": "co-managed-tier3-escalation",
}
GAPS = tuple(GAP_PRESETS)
GAP_WORDS = {
    "after-hours": "after-hours cover",
    "security": "security and compliance expertise",
    "projects": "project capacity",
    "strategy": "IT strategy",
    "tools": "monitoring and management tools",
    "escalation": "senior (tier-3) escalation",
}
# With staff but no named gap, start from the two hand-overs the articles list most often.
DEFAULT_CO_MANAGED = ("co-managed-tier3-escalation", "co-managed-after-hours")


@dataclass(frozen=True)
class ClientProfile:
    employees: int
    it_staff: int
    compliance: tuple[str, ...] = ()
    response_minutes: int | None = None
    gaps: tuple[str, ...] = ()

    def gap_presets(self) -> tuple[str, ...]:
        return tuple(GAP_PRESETS[g] for g in self.gaps)


# --------------------------------------------------------------------------- decision rules


@dataclass(frozen=True)
class Rule:
    """One decision rule: when it applies, which arrangement it points to, how much it weighs, and why."""

    id: str
    condition: str  # the condition in words, for the rule table in the docs
    when: Callable[[ClientProfile], bool]
    model: str  # "fully-managed", "co-managed" or "in-house"
    adds: tuple[str, ...]  # co-managed presets this rule adds to the co-managed combination; "gaps" = the named gaps'
    weight: int
    sources: tuple[str, ...]
    sentence: str  # str.format()ted with the profile's words (see _words)


def _staffed(p: ClientProfile) -> bool:
    return p.it_staff >= 1


RULES: tuple[Rule, ...] = (
    Rule("no-it-staff", "no internal IT staff", lambda p: p.it_staff == 0, FULLY_MANAGED, (), 100,
         ("usm", "guide", "onsite", "bsgtech", "overview"),
         "With no internal IT staff there is nobody to share the work with, and all five articles point to fully "
         "managed; the comparison guide adds that co-managed cannot work without some IT expertise "
         "inside the client."),
    Rule("it-staff-with-gaps", "1 to 5 internal IT staff and at least one named gap",
         lambda p: 1 <= p.it_staff <= 5 and bool(p.gaps), "co-managed", ("gaps",), 60,
         ("guide", "usm", "bsgtech", "onsite"),
         "An internal team of {staff} that names gaps in {gap_words} fits co-managed, with one co-managed preset per "
         "gap ({gap_presets}). The articles draw the team size differently: the comparison guide says 1 to 5 IT "
         "staff, USM Technology and BSGtech say 1 to 3, On-Site Technology 2 to 10."),
    Rule("it-staff-no-gaps", "1 to 5 internal IT staff and no named gap",
         lambda p: 1 <= p.it_staff <= 5 and not p.gaps, "co-managed", DEFAULT_CO_MANAGED, 40,
         ("guide", "usm"),
         "An internal team of {staff} fits co-managed; no gap was named, so this starts from the two hand-overs the "
         "articles mention most, tier-3 escalation and after-hours cover. Name the gaps with --gap to narrow it."),
    Rule("large-it-team-gaps", "more than 5 internal IT staff and at least one named gap",
         lambda p: p.it_staff > 5 and bool(p.gaps), "co-managed", ("gaps",), 60,
         ("guide", "onsite"),
         "A team of {staff} is past the comparison guide's 1-to-5 co-managed band (On-Site Technology's runs to 10), "
         "so the MSP's part stays selective: only the presets for the named gaps ({gap_presets})."),
    Rule("large-it-team", "more than 5 internal IT staff and no named gap",
         lambda p: p.it_staff > 5 and not p.gaps, IN_HOUSE, (), 40,
         ("guide",),
         "A team of {staff} with no gap named can keep IT in-house; the comparison guide expects an established IT "
         "department to use an MSP only for selective specialist work."),
    Rule("large-it-team-specialists", "more than 5 internal IT staff and no named gap",
         lambda p: p.it_staff > 5 and not p.gaps, "co-managed", ("co-managed-hybrid-expertise",), 30,
         ("guide",),
         "For an established department the comparison guide's selective specialist engagement is the hybrid "
         "expertise preset: the MSP brings security, cloud and compliance specialists only."),
    Rule("size-under-50", "under 50 employees", lambda p: p.employees < 50, FULLY_MANAGED, (), 20,
         ("guide", "bsgtech", "usm"),
         "At {employees} the client is in the comparison guide's under-50 band, where fully managed is usually "
         "strongest (it puts the fully managed fit at 5 to 75 employees). The articles disagree on the cut-off: "
         "BSGtech calls a business under 15-20 employees too small for its own IT hire and favours fully managed "
         "under 30 employees without IT staff, while USM Technology favours it for most firms of 20 to 100."),
    Rule("size-50-100", "50 to 99 employees with internal IT staff",
         lambda p: 50 <= p.employees < 100 and _staffed(p), "co-managed", (), 20,
         ("guide", "usm"),
         "At {employees} with IT staff the client is in the comparison guide's 50-100 band, where co-managed backs up "
         "a lone IT person; USM Technology would still favour fully managed for most firms up to 100 employees."),
    Rule("size-100-300", "100 to 299 employees with internal IT staff",
         lambda p: 100 <= p.employees < 300 and _staffed(p), "co-managed", (), 30,
         ("guide", "bsgtech"),
         "At {employees} with IT staff the client is in the comparison guide's 100-300 band, where co-managed is "
         "strongly advised for teams of 2 to 5; BSGtech sees co-managed most often between 30 and 200 employees."),
    Rule("size-300-plus", "300 employees or more with internal IT staff",
         lambda p: p.employees >= 300 and _staffed(p), "co-managed", (), 20,
         ("guide",),
         "At {employees} the comparison guide suggests co-managed or selective specialist engagements around an "
         "established department (its co-managed fit runs from 50 to 500 employees), though it also notes that some "
         "mid-market firms of 200 or more still choose fully managed."),
    Rule("compliance-no-staff", "compliance frameworks and no internal IT staff",
         lambda p: bool(p.compliance) and p.it_staff == 0, FULLY_MANAGED, (), 20,
         ("usm", "onsite"),
         "Compliance work ({frameworks}) with no internal expertise: USM Technology and On-Site Technology both "
         "send regulated clients without IT staff to fully managed, where the provider keeps the evidence and "
         "the audit trail."),
    Rule("compliance-security-gap", "compliance frameworks, internal IT staff, and a named security gap",
         lambda p: bool(p.compliance) and _staffed(p) and "security" in p.gaps, "co-managed",
         ("co-managed-hybrid-expertise",), 20,
         ("guide", "bsgtech"),
         "Compliance work ({frameworks}) and a named security gap: the comparison guide says heavy compliance depends "
         "on how deep the internal expertise goes, and here it is missing, so the MSP's specialists take security "
         "and compliance (hybrid expertise) while the internal team keeps daily operations, as BSGtech describes."),
    Rule("compliance-internal-expertise", "compliance frameworks, internal IT staff, no security gap named",
         lambda p: bool(p.compliance) and _staffed(p) and "security" not in p.gaps, "co-managed", (), 10,
         ("guide", "bsgtech", "overview"),
         "Compliance work ({frameworks}) with no security gap named: the internal team is taken to hold that "
         "expertise and keep it; BSGtech and an unsigned overview of the two models both see co-managed suiting "
         "regulated firms because oversight stays inside, and the comparison guide ties the choice to that depth."),
    Rule("compliance-fully-managed-view", "compliance frameworks and internal IT staff",
         lambda p: bool(p.compliance) and _staffed(p), FULLY_MANAGED, (), 15,
         ("usm", "onsite"),
         "Not every article agrees that a team with staff should keep compliance: USM Technology's decision steps "
         "send any client that needs compliance support ({frameworks}) to fully managed, and On-Site Technology says "
         "regulated firms often do better when the provider owns the audit trail."),
    Rule("response-under-30", "a response target under 30 minutes",
         lambda p: p.response_minutes is not None and p.response_minutes < 30, FULLY_MANAGED, (), 30,
         ("usm", "guide"),
         "A response target of {minutes} is under 30 minutes: USM Technology's decision steps send that to fully "
         "managed and put its SLAs at 15-30 minutes, while the comparison guide quotes 15-60 minutes for critical "
         "issues, so write the target into the SLA rather than assume it."),
    Rule("response-under-30-co-managed", "a response target under 30 minutes and internal IT staff",
         lambda p: p.response_minutes is not None and p.response_minutes < 30 and _staffed(p), "co-managed",
         ("co-managed-after-hours",), 0,
         ("guide",),
         "A response target of {minutes} with an internal team: the comparison guide notes that on-site staff can "
         "answer at once during their working day, and the after-hours preset puts nights and weekends on the MSP's "
         "round-the-clock desk so the target holds outside business hours too."),
)
RULES_BY_ID = {r.id: r for r in RULES}

# --------------------------------------------------------------------------- market figures


@dataclass(frozen=True)
class MarketFigure:
    """A price range as published: per user or per device a month, a monthly fee band, or a worked example."""

    model: str  # "fully-managed", "co-managed" or "in-house"
    basis: str  # "per-user", "per-device", "monthly-fee", "example", "salary"
    low: int
    high: int | None  # None: the article gives only a floor ("$15,000+")
    source: str
    what: str  # what the figure covers, in words
    employees: tuple[int, int] | None = None  # the client size a worked example describes
    open_ended: bool = False  # "$2,500-$15,000+": the top is not a ceiling


FIGURES: tuple[MarketFigure, ...] = (
    MarketFigure("fully-managed", "per-user", 120, 250, "usm", "fully managed, per user a month"),
    MarketFigure("fully-managed", "per-user", 100, 250, "guide", "fully managed, per user a month"),
    MarketFigure("fully-managed", "per-user", 100, 200, "onsite", "full-service coverage, per user a month"),
    MarketFigure("fully-managed", "per-device", 75, 200, "guide", "fully managed, per device a month"),
    MarketFigure("fully-managed", "per-device", 30, 75, "onsite", "managed IT, per endpoint a month"),
    MarketFigure("fully-managed", "monthly-fee", 2500, 15000, "guide", "all-inclusive flat fee a month, by size and compliance",
                 open_ended=True),
    MarketFigure("fully-managed", "example", 4000, 8000, "bsgtech", "fully managed plan for 40-75 users", (40, 75)),
    MarketFigure("fully-managed", "example", 12000, 18000, "guide", "fully managed for a 100-employee company", (100, 100)),
    MarketFigure("co-managed", "per-user", 50, 150, "usm", "co-managed, per user a month"),
    MarketFigure("co-managed", "per-device", 20, 75, "guide", "co-managed monitoring and tool access, per device a month"),
    MarketFigure("co-managed", "monthly-fee", 1500, 8000, "guide", "the MSP's part of a co-managed contract, a month",
                 open_ended=True),
    MarketFigure("co-managed", "example", 1500, 4000, "bsgtech", "co-managed plan for 40-75 users with one IT person", (40, 75)),
    MarketFigure("co-managed", "example", 4000, 7000, "guide",
                 "co-managed tools, security and backup for a 100-employee company with 2 IT staff", (100, 100)),
    MarketFigure("co-managed", "hourly", 125, 250, "guide", "specialist escalation work, per hour"),
    MarketFigure("in-house", "salary", 75000, 150000, "guide", "a competent internal IT manager", open_ended=True),
    MarketFigure("in-house", "salary", 90000, 130000, "bsgtech", "one specialist (security, compliance or cloud)"),
)
MARKET_NOTE = "Market figures published in the source articles, not a quote: real prices depend on scope and the provider."


@dataclass(frozen=True)
class PriceLine:
    basis: str
    low: int
    high: int | None
    open_ended: bool
    source: str
    how: str  # how the monthly figure was reached, in words

    def to_dict(self) -> dict:
        return {"basis": self.basis, "low": self.low, "high": self.high, "open_ended": self.open_ended,
                "source": source_name(self.source), "how": self.how}


@dataclass(frozen=True)
class MarketPrice:
    """Monthly ranges for the client's size from every published figure for the model."""

    employees: int
    lines: tuple[PriceLine, ...]
    typical: tuple[int, int] | None  # the spread of the per-user ranges, the basis every article shares
    note: str = MARKET_NOTE

    def to_dict(self) -> dict:
        return {
            "note": self.note,
            "employees": self.employees,
            "currency": "USD",
            "period": "month",
            "typical": {"low": self.typical[0], "high": self.typical[1]} if self.typical else None,
            "figures": [line.to_dict() for line in self.lines],
        }


def money(n: int) -> str:
    return f"${n:,}"


def _rate(fig: MarketFigure) -> str:
    top = money(fig.high) if fig.high is not None else ""
    return f"{money(fig.low)}-{top}{'+' if fig.open_ended else ''}"


def _size_distance(fig: MarketFigure, employees: int) -> int:
    lo, hi = fig.employees or (0, 0)
    return 0 if lo <= employees <= hi else min(abs(employees - lo), abs(employees - hi))


def market_price(model: str, employees: int, it_staff: int) -> MarketPrice:
    """The monthly cost ranges the articles give for a client of this size under ``model``."""
    lines: list[PriceLine] = []
    figs = [f for f in FIGURES if f.model == model]
    for fig in figs:
        if fig.basis == "per-user":
            lines.append(PriceLine("per user", fig.low * employees, fig.high * employees, False, fig.source,
                                   f"{employees} users at {_rate(fig)} per user"))
        elif fig.basis == "per-device":
            lines.append(PriceLine("per device", fig.low * employees, fig.high * employees, False, fig.source,
                                   f"{employees} devices (one per employee assumed) at {_rate(fig)} per device"))
        elif fig.basis == "monthly-fee":
            lines.append(PriceLine("monthly fee band", fig.low, fig.high, fig.open_ended, fig.source,
                                   f"the whole published band: {fig.what}"))
    examples = [f for f in figs if f.basis == "example"]
    if examples:
        best = min(_size_distance(f, employees) for f in examples)
        for fig in examples:
            if _size_distance(fig, employees) == best:
                lo, hi = fig.employees or (0, 0)
                fit = "matches this size" if best == 0 else "the nearest published size"
                lines.append(PriceLine("worked example", fig.low, fig.high, fig.open_ended, fig.source,
                                       f"{fig.what} ({fit})"))
    if model in ("co-managed", "in-house") and it_staff:
        sal = next(f for f in FIGURES if f.model == "in-house" and f.source == "guide")
        per_month_lo, per_month_hi = sal.low * it_staff // 12, (sal.high or sal.low) * it_staff // 12
        lines.append(PriceLine("internal staff", per_month_lo, per_month_hi, sal.open_ended, sal.source,
                               f"{_plural(it_staff, 'internal IT salary', 'internal IT salaries')} at "
                               f"{_rate(sal)} a year{', on top of the MSP fee' if model == 'co-managed' else ''}"))
    per_user = [ln for ln in lines if ln.basis == "per user"]
    typical = (min(ln.low for ln in per_user), max(ln.high or ln.low for ln in per_user)) if per_user else None
    return MarketPrice(employees, tuple(lines), typical)


def _figs(model: str, basis: str) -> list[MarketFigure]:
    return [f for f in FIGURES if f.model == model and f.basis == basis]


def _listing(figs: list[MarketFigure]) -> str:
    return _join([f"{_rate(f)} ({source_name(f.source)})" for f in figs]).replace(" and ", " or ")


def price_reason(model: str, price: MarketPrice) -> str:
    """One sentence that sets the published prices side by side, saying where the articles disagree."""
    n = _plural(price.employees, "user")
    if model == "fully-managed":
        users = _figs(model, "per-user")
        devices = _figs(model, "per-device")
        text = (f"Prices differ between the articles: fully managed costs {_listing(users)} per user a month, "
                f"{money(price.typical[0])}-{money(price.typical[1])} for {n}, and {_listing(devices)} per device")
    elif model == "co-managed":
        users = _figs(model, "per-user")
        band = _figs(model, "monthly-fee")
        text = (f"Co-managed prices are harder to compare: only {source_name(users[0].source)} gives a per-user rate "
                f"({_rate(users[0])}), {money(price.typical[0])}-{money(price.typical[1])} for {n}, while "
                f"{source_name(band[0].source)} puts the MSP's part at {_rate(band[0])} a month whatever the size; "
                "the narrower the handover, the nearer the bottom of either range, and internal salaries come on top")
    else:
        sal = _figs("in-house", "salary")
        text = ("No MSP fee, but internal pay: " + _join([f"{source_name(f.source)} puts {f.what} at {_rate(f)} a year" for f in sal]))
    return f"{text} (market figures, not a quote)."


# --------------------------------------------------------------------------- recommending


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


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def _words(p: ClientProfile) -> dict[str, str]:
    gp = p.gap_presets()
    return {
        "staff": _plural(p.it_staff, "IT person", "IT staff"),
        "employees": _plural(p.employees, "employee"),
        "gap_words": _join([GAP_WORDS[g] for g in p.gaps]),
        "gap_presets": ", ".join(gp),
        "frameworks": ", ".join(fw.upper() for fw in p.compliance),
        "minutes": _plural(p.response_minutes or 0, "minute"),
    }


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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
    words = _words(profile)
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
    out: list[Recommendation] = []
    for cand in sorted(candidates.values(), key=lambda c: (-c.score, c.first)):
        if cand.model == "co-managed":
            presets = [p for p in CO_MANAGED_ORDER if p in cand.adds]
        else:
            presets = [cand.model]
        if not presets or (available is not None and not set(presets) <= available):
            continue
        price = market_price(cand.model, profile.employees, profile.it_staff)
        sources = [sid for rid in cand.rules for sid in RULES_BY_ID[rid].sources]
        sources += [ln.source for ln in price.lines]
        out.append(Recommendation(presets, [*cand.reasons, price_reason(cand.model, price)], cand.rules, cand.score,
                                  cand.model, price, [s for s in SOURCES if s in sources]))
    return out


# --------------------------------------------------------------------------- formatting


def describe_profile(p: ClientProfile) -> str:
    parts = [_plural(p.employees, "employee"), _plural(p.it_staff, "IT person", "IT staff")]
    if p.compliance:
        parts.append("compliance: " + ", ".join(dict.fromkeys(p.compliance)))
    if p.response_minutes is not None:
        parts.append(f"response within {_plural(p.response_minutes, 'minute')}")
    if p.gaps:
        parts.append("gaps: " + ", ".join(dict.fromkeys(p.gaps)))
    return ", ".join(parts)


def _price_text(price: MarketPrice) -> list[str]:
    out = [f"   Market figures for {_plural(price.employees, 'employee')}, per month (published ranges, not a quote):"]
    if price.typical:
        out.append(f"     typical by per-user rates: {money(price.typical[0])}-{money(price.typical[1])}")
    for ln in price.lines:
        top = money(ln.high) if ln.high is not None else ""
        out.append(f"     {ln.basis}: {money(ln.low)}-{top}{'+' if ln.open_ended else ''} "
                   f"({ln.how}; {source_name(ln.source)})")
    return out


def recommendations_text(profile: ClientProfile, recs: list[Recommendation]) -> str:
    out = [f"Recommendations for {describe_profile(profile)}, best first:"]
    for n, rec in enumerate(recs, 1):
        out.append("")
        out.append(f"{n}. {' + '.join(rec.presets)}")
        out += [f"   - {reason}" for reason in rec.reasons]
        if rec.price:
            out += _price_text(rec.price)
    cited = [sid for sid in SOURCES if any(sid in r.sources for r in recs)]
    if cited:
        out.append("")
        out.append("Sources (the market articles the rules and figures come from):")
        out += [f"  {source_name(sid)}: {SOURCES[sid][1]}" for sid in cited]
    if recs:
        out.append("")
        out.append("Start an engagement from the first: raci new --from-recommendation (same options) --client NAME")
    else:
        out.append("No recommendation: the catalog has none of the presets the rules point to.")
    return "\n".join(out) + "\n"


def recommendations_json(profile: ClientProfile, recs: list[Recommendation]) -> str:
    return json.dumps({
        "profile": {"employees": profile.employees, "it_staff": profile.it_staff, "compliance": list(profile.compliance),
                    "response_minutes": profile.response_minutes, "gaps": list(profile.gaps)},
        "recommendations": [r.to_dict() for r in recs],
        "note": MARKET_NOTE,
    }, indent=2, ensure_ascii=False)
