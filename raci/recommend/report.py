"""``raci recommend``'s output: the recommendations as text (reasons, then the market figures) and as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from raci.recommend.prices import MARKET_NOTE, MarketPrice
from raci.recommend.rules import SOURCES, ClientProfile, source_name
from raci.recommend.words import money, plural, span

if TYPE_CHECKING:
    from raci.recommend import Recommendation


def describe_profile(p: ClientProfile) -> str:
    parts = [plural(p.employees, "employee"), plural(p.it_staff, "IT person", "IT staff")]
    if p.compliance:
        parts.append("compliance: " + ", ".join(dict.fromkeys(p.compliance)))
    if p.response_minutes is not None:
        parts.append(f"response within {plural(p.response_minutes, 'minute')}")
    if p.gaps:
        parts.append("gaps: " + ", ".join(dict.fromkeys(p.gaps)))
    return ", ".join(parts)


def _price_text(price: MarketPrice) -> list[str]:
    out = [f"   Market figures for {plural(price.employees, 'employee')}, per month unless marked "
           "(published ranges, not a quote):"]
    if price.typical:
        out.append(f"     typical by per-user rates: {money(price.typical[0])}-{money(price.typical[1])}")
    if price.outside:
        out.append(f"     {price.outside}")
    for ln in price.lines:
        per = " per hour" if ln.period == "hour" else ""
        out.append(f"     {ln.basis}: {span(ln.low, ln.high, ln.open_ended)}{per} ({ln.how}; {source_name(ln.source)})")
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
