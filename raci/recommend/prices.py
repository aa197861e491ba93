"""Market prices as the articles publish them, laid against the client's size: per user, per device, monthly bands,
hourly escalation, worked examples, and internal salaries, each named for what it is."""

from __future__ import annotations

from dataclasses import dataclass

from raci.recommend.rules import source_name
from raci.recommend.words import join, money, plural, span


@dataclass(frozen=True)
class MarketFigure:
    """A price range as published: per user or per device a month, a monthly fee band, an hourly rate, a yearly
    salary, or a worked example."""

    model: str  # "fully-managed", "co-managed" or "in-house"
    basis: str  # "per-user", "per-device", "monthly-fee", "hourly", "example", "total-example", "salary"
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
    MarketFigure("fully-managed", "example", 8750, 8750, "usm", "fully managed for 50 users at $175 each, support and "
                 "security included", (50, 50)),
    MarketFigure("fully-managed", "example", 12000, 18000, "guide", "fully managed for a 100-employee company", (100, 100)),
    MarketFigure("fully-managed", "total-example", 4500, 4500, "guide",
                 "fully managed with no internal staff, against $5,000 of co-managed fees plus two IT salaries of "
                 "over $180,000 a year together"),
    MarketFigure("co-managed", "per-user", 50, 150, "usm", "co-managed, per user a month"),
    MarketFigure("co-managed", "per-device", 20, 75, "guide", "co-managed monitoring and tool access, per device a month"),
    MarketFigure("co-managed", "monthly-fee", 1500, 8000, "guide", "the MSP's part of a co-managed contract, a month",
                 open_ended=True),
    MarketFigure("co-managed", "example", 1500, 4000, "bsgtech", "co-managed plan for 40-75 users with one IT person", (40, 75)),
    MarketFigure("co-managed", "example", 5500, 5500, "usm", "co-managed for 50 users: $90 each plus $1,000 of security "
                 "tools", (50, 50)),
    MarketFigure("co-managed", "example", 4000, 7000, "guide",
                 "co-managed tools, security and backup for a 100-employee company with 2 IT staff", (100, 100)),
    MarketFigure("co-managed", "total-example", 20000, None, "guide",
                 "$5,000 of co-managed fees plus two IT salaries of over $180,000 a year together ($15,000+ a month), "
                 "against fully managed at $4,500 a month", open_ended=True),
    MarketFigure("co-managed", "hourly", 125, 250, "guide", "specialist escalation work, billed by the hour on top of "
                 "any monthly fee"),
    MarketFigure("in-house", "salary", 75000, 150000, "guide", "a competent internal IT manager", open_ended=True),
    MarketFigure("in-house", "salary", 90000, 130000, "bsgtech", "one specialist (security, compliance or cloud)"),
)
MARKET_NOTE = "Market figures published in the source articles, not a quote: real prices depend on scope and the provider."
# The client sizes the articles' per-user and per-device rates describe: fully managed from the comparison guide's
# 5-75 and USM Technology's 20-100 employees; co-managed from USM's 20-100 to the guide's 50-500.
RATE_BANDS: dict[str, tuple[int, int]] = {"fully-managed": (5, 100), "co-managed": (20, 500)}


@dataclass(frozen=True)
class PriceLine:
    basis: str
    low: int
    high: int | None
    open_ended: bool
    source: str
    how: str  # how the figure was reached, in words
    period: str = "month"  # "month" or "hour"

    def to_dict(self) -> dict:
        return {"basis": self.basis, "low": self.low, "high": self.high, "open_ended": self.open_ended,
                "source": source_name(self.source), "how": self.how, "period": self.period}


@dataclass(frozen=True)
class MarketPrice:
    """Monthly ranges for the client's size from every published figure for the model."""

    employees: int
    lines: tuple[PriceLine, ...]
    typical: tuple[int, int] | None  # the spread of the per-user ranges, the basis every article shares
    note: str = MARKET_NOTE
    outside: str = ""  # why no per-user figure is given: the size is outside the articles' band

    def to_dict(self) -> dict:
        return {
            "note": self.note,
            "employees": self.employees,
            "currency": "USD",
            "period": "month",
            "typical": {"low": self.typical[0], "high": self.typical[1]} if self.typical else None,
            "outside_band": self.outside or None,
            "figures": [line.to_dict() for line in self.lines],
        }


def rate(fig: MarketFigure) -> str:
    return span(fig.low, fig.high, fig.open_ended)


def _size_distance(fig: MarketFigure, employees: int) -> int:
    lo, hi = fig.employees or (0, 0)
    return 0 if lo <= employees <= hi else min(abs(employees - lo), abs(employees - hi))


def _rate_lines(fig: MarketFigure, employees: int) -> PriceLine | None:
    if fig.basis == "per-user":
        return PriceLine("per user", fig.low * employees, (fig.high or fig.low) * employees, False, fig.source,
                         f"{employees} users at {rate(fig)} per user")
    if fig.basis == "per-device":
        return PriceLine("per device", fig.low * employees, (fig.high or fig.low) * employees, False, fig.source,
                         f"{employees} devices (one per employee assumed) at {rate(fig)} per device")
    return None


def _examples(figs: list[MarketFigure], employees: int) -> list[PriceLine]:
    examples = [f for f in figs if f.basis == "example"]
    if not examples:
        return []
    best = min(_size_distance(f, employees) for f in examples)
    fit = "matches this size" if best == 0 else "the nearest published size"
    return [PriceLine("worked example", f.low, f.high, f.open_ended, f.source, f"{f.what} ({fit})")
            for f in examples if _size_distance(f, employees) == best]


def _salary_line(model: str, it_staff: int) -> PriceLine:
    sal = next(f for f in FIGURES if f.model == "in-house" and f.source == "guide")
    lo, hi = sal.low * it_staff // 12, (sal.high or sal.low) * it_staff // 12
    whom = plural(it_staff, "IT person", "IT staff")
    return PriceLine("internal staff", lo, hi, sal.open_ended, sal.source,
                     f"{whom} each priced at the salary of {sal.what}, {rate(sal)} a year (a technician usually costs "
                     f"less){', on top of the MSP fee' if model == 'co-managed' else ''}")


def market_price(model: str, employees: int, it_staff: int) -> MarketPrice:
    """The cost ranges the articles give for a client of this size under ``model``."""
    figs = [f for f in FIGURES if f.model == model]
    lines: list[PriceLine] = []
    band = RATE_BANDS.get(model)
    inside = band is not None and band[0] <= employees <= band[1]
    for fig in figs:
        line = _rate_lines(fig, employees)
        if line is not None and inside:
            lines.append(line)
        elif fig.basis == "monthly-fee":
            lines.append(PriceLine("monthly fee band", fig.low, fig.high, fig.open_ended, fig.source,
                                   f"the whole published band: {fig.what}"))
    lines += _examples(figs, employees)
    lines += [PriceLine("total cost example", f.low, f.high, f.open_ended, f.source, f.what)
              for f in figs if f.basis == "total-example"]
    lines += [PriceLine("hourly rate", f.low, f.high, f.open_ended, f.source, f.what, "hour")
              for f in figs if f.basis == "hourly"]
    if model in ("co-managed", "in-house") and it_staff:
        lines.append(_salary_line(model, it_staff))
    per_user = [ln for ln in lines if ln.basis == "per user"]
    typical = (min(ln.low for ln in per_user), max(ln.high or ln.low for ln in per_user)) if per_user else None
    outside = ""
    if band is not None and not inside:
        outside = (f"The articles' per-user and per-device rates describe firms of {band[0]} to {band[1]} employees; "
                   f"at {employees} they are no guide, so no typical figure is given.")
    return MarketPrice(employees, tuple(lines), typical, outside=outside)


def _figs(model: str, basis: str) -> list[MarketFigure]:
    return [f for f in FIGURES if f.model == model and f.basis == basis]


def _listing(figs: list[MarketFigure]) -> str:
    return join([f"{rate(f)} ({source_name(f.source)})" for f in figs]).replace(" and ", " or ")


def price_reason(model: str, price: MarketPrice) -> str:
    """One sentence that sets the published prices side by side, saying where the articles disagree."""
    n = plural(price.employees, "user")
    if model == "fully-managed":
        users, devices = _figs(model, "per-user"), _figs(model, "per-device")
        typical = f", {money(price.typical[0])}-{money(price.typical[1])} for {n}," if price.typical else ""
        text = (f"Prices differ between the articles: fully managed costs {_listing(users)} per user a month{typical} "
                f"and {_listing(devices)} per device")
    elif model == "co-managed":
        user, band, hourly = _figs(model, "per-user")[0], _figs(model, "monthly-fee")[0], _figs(model, "hourly")[0]
        typical = f", {money(price.typical[0])}-{money(price.typical[1])} for {n}," if price.typical else ""
        text = (f"Co-managed prices are harder to compare: only {source_name(user.source)} gives a per-user rate "
                f"({rate(user)}){typical} while {source_name(band.source)} puts the MSP's part at {rate(band)} a month "
                f"whatever the size and escalation work at {rate(hourly)} an hour; the narrower the handover, the "
                "nearer the bottom of either range, and internal salaries come on top")
    else:
        sal = _figs("in-house", "salary")
        text = "No MSP fee, but internal pay: " + join([f"{source_name(f.source)} puts {f.what} at {rate(f)} a year" for f in sal])
    return f"{text} (market figures, not a quote)."
