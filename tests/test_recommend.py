"""Decision rules and market figures of `raci recommend`, table-tested against the numbers in the market articles."""

from __future__ import annotations

import pytest

from raci.errors import InputError
from raci.recommend import (
    CO_MANAGED_ORDER,
    FIGURES,
    GAP_PRESETS,
    RULES,
    SOURCES,
    ClientProfile,
    market_price,
    recommend,
)


def top(profile: ClientProfile) -> list[tuple[list[str], list[str]]]:
    return [(r.presets, r.rules) for r in recommend(profile)]


# (profile, [(presets, rules fired)] best first): each row is one decision rule of the market material.
DECISIONS = [
    # No internal IT staff -> fully managed; under 50 employees strengthens it.
    (ClientProfile(20, 0), [(["fully-managed"], ["no-it-staff", "size-under-50"])]),
    (ClientProfile(200, 0), [(["fully-managed"], ["no-it-staff"])]),
    # Heavy compliance with no internal expertise -> fully managed.
    (ClientProfile(45, 0, ("hipaa",)), [(["fully-managed"], ["no-it-staff", "size-under-50", "compliance-no-staff"])]),
    # Response under 30 minutes -> fully managed.
    (ClientProfile(25, 0, (), 15), [(["fully-managed"], ["no-it-staff", "size-under-50", "response-under-30"])]),
    # 50-100 employees with one IT person and a named gap -> the co-managed preset for that gap.
    (ClientProfile(60, 1, gaps=("after-hours",)),
     [(["co-managed-after-hours"], ["it-staff-with-gaps", "size-50-100"])]),
    # 100-300 employees, 2-5 IT staff, no gap named -> co-managed from the two most cited hand-overs.
    (ClientProfile(150, 3),
     [(["co-managed-tier3-escalation", "co-managed-after-hours"], ["it-staff-no-gaps", "size-100-300"])]),
    # Heavy compliance with staff but no security expertise -> hybrid expertise, fully managed as the alternative.
    (ClientProfile(60, 2, ("hipaa",), gaps=("security",)),
     [(["co-managed-hybrid-expertise"], ["it-staff-with-gaps", "size-50-100", "compliance-security-gap"]),
      (["fully-managed"], ["compliance-fully-managed-view"])]),
    # Compliance with a team of three or fewer: the provider carries the compliance layer (BSGtech), so hybrid
    # expertise joins the combination, and fully managed is the alternative.
    (ClientProfile(120, 3, ("pci",)),
     [(["co-managed-tier3-escalation", "co-managed-after-hours", "co-managed-hybrid-expertise"],
       ["it-staff-no-gaps", "size-100-300", "compliance-small-team"]),
      (["fully-managed"], ["compliance-fully-managed-view"])]),
    (ClientProfile(80, 1, ("cmmc",)),
     [(["co-managed-tier3-escalation", "co-managed-after-hours", "co-managed-hybrid-expertise"],
       ["it-staff-no-gaps", "size-50-100", "compliance-small-team"]),
      (["fully-managed"], ["compliance-fully-managed-view"])]),
    # A larger team with compliance and no security gap: it depends on the team's depth (the guide).
    (ClientProfile(120, 4, ("pci",)),
     [(["co-managed-tier3-escalation", "co-managed-after-hours"],
       ["it-staff-no-gaps", "size-100-300", "compliance-internal-expertise"]),
      (["fully-managed"], ["compliance-fully-managed-view"])]),
    # Response under 30 minutes: fully managed first even with staff (USM); co-managed with after-hours next.
    (ClientProfile(120, 2, (), 15, ("escalation",)),
     [(["fully-managed"], ["response-under-30"]),
      (["co-managed-tier3-escalation", "co-managed-after-hours"],
       ["it-staff-with-gaps", "size-100-300", "response-under-30-co-managed"])]),
    # Under 20 employees a firm is too small for its own IT hire (BSGtech): fully managed first even with one.
    (ClientProfile(10, 1),
     [(["fully-managed"], ["too-small-for-an-it-hire", "size-under-50"]),
      (["co-managed-tier3-escalation", "co-managed-after-hours"], ["it-staff-no-gaps"])]),
    # Four or more gaps hand most of IT over: fully managed is offered beside the co-managed combination.
    (ClientProfile(150, 2, gaps=("after-hours", "security", "projects", "strategy", "tools", "escalation")),
     [(["co-managed-tools-only", "co-managed-tier3-escalation", "co-managed-after-hours",
        "co-managed-project-augmentation", "co-managed-hybrid-expertise", "co-managed-strategic-partnership"],
       ["it-staff-with-gaps", "size-100-300"]),
      (["fully-managed"], ["many-gaps"])]),
    # An internal team overwhelmed by tickets: the capacity structure.
    (ClientProfile(90, 2, gaps=("capacity",)), [(["co-managed-capacity"], ["it-staff-with-gaps", "size-50-100"])]),
    # Under 50 employees with one IT person who names a gap: co-managed first, fully managed next.
    (ClientProfile(40, 1, gaps=("tools",)),
     [(["co-managed-tools-only"], ["it-staff-with-gaps"]), (["fully-managed"], ["size-under-50"])]),
    # 300+ with an established department and no gap: selective specialists first, in-house next.
    (ClientProfile(400, 8),
     [(["co-managed-hybrid-expertise"], ["large-it-team-specialists", "size-300-plus"]), (["in-house"], ["large-it-team"])]),
    (ClientProfile(400, 8, gaps=("projects", "strategy")),
     [(["co-managed-project-augmentation", "co-managed-strategic-partnership"], ["large-it-team-gaps", "size-300-plus"])]),
    # Response of exactly 30 minutes is not under 30: no response rule.
    (ClientProfile(25, 0, (), 30), [(["fully-managed"], ["no-it-staff", "size-under-50"])]),
    # Band edges: 49 is under 50, 50 starts the 50-100 band, 100 the 100-300 band, 300 the 300+ band.
    (ClientProfile(49, 2, gaps=("tools",)), [(["co-managed-tools-only"], ["it-staff-with-gaps"]),
                                            (["fully-managed"], ["size-under-50"])]),
    (ClientProfile(50, 2, gaps=("tools",)), [(["co-managed-tools-only"], ["it-staff-with-gaps", "size-50-100"])]),
    (ClientProfile(100, 2, gaps=("tools",)), [(["co-managed-tools-only"], ["it-staff-with-gaps", "size-100-300"])]),
    (ClientProfile(300, 5, gaps=("tools",)), [(["co-managed-tools-only"], ["it-staff-with-gaps", "size-300-plus"])]),
]


@pytest.mark.parametrize(("profile", "expected"), DECISIONS, ids=[str(i) for i in range(len(DECISIONS))])
def test_decision_rules(profile, expected):
    assert top(profile) == expected


def test_every_rule_is_exercised_by_the_table():
    fired = {rule for profile, _ in DECISIONS for rec in recommend(profile) for rule in rec.rules}
    assert fired == {r.id for r in RULES}


def test_rules_table_is_well_formed():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.sources and set(rule.sources) <= set(SOURCES), rule.id
        assert set(rule.adds) <= {*CO_MANAGED_ORDER, "gaps"}, rule.id
        assert rule.condition and rule.sentence.endswith("."), rule.id
    assert set(GAP_PRESETS.values()) == set(CO_MANAGED_ORDER)


def test_every_gap_named_gives_every_co_managed_preset_in_application_order_and_fully_managed_next():
    recs = recommend(ClientProfile(150, 4, gaps=tuple(reversed(list(GAP_PRESETS)))))
    assert recs[0].presets == list(CO_MANAGED_ORDER)
    assert recs[1].presets == ["fully-managed"]


def test_a_gap_named_twice_counts_once():
    rec = recommend(ClientProfile(60, 1, gaps=("tools", "tools")))[0]
    assert rec.presets == ["co-managed-tools-only"]
    assert "gaps in monitoring and management tools fits" in rec.reasons[0]


def test_reasons_cite_their_rule_and_end_with_the_marked_price_sentence():
    for profile, _ in DECISIONS:
        for rec in recommend(profile):
            assert [r.rsplit("(rule ", 1)[1].rstrip(").") for r in rec.reasons[:-1]] == rec.rules
            assert rec.reasons[-1].endswith("(market figures, not a quote).")


def test_reasons_say_where_the_articles_disagree():
    fm = recommend(ClientProfile(60, 0))[0]
    assert ("fully managed costs $120-$250 (USM Technology), $100-$250 (the comparison guide) or $100-$200 "
            "(On-Site Technology) per user a month, $6,000-$15,000 for 60 users") in fm.reasons[-1]
    cm = recommend(ClientProfile(60, 2, gaps=("security",)))[0]
    assert "the comparison guide says 1 to 5 IT staff, USM Technology and BSGtech say 1 to 3, On-Site Technology 2 to 10" \
        in cm.reasons[0]
    small = recommend(ClientProfile(20, 0))[0]
    assert "BSGtech calls a business under 15-20 employees too small" in small.reasons[1]
    response = recommend(ClientProfile(20, 0, (), 10))[0]
    assert "15-30 minutes, while the comparison guide quotes 15-60 minutes" in response.reasons[2]


def _line(price, basis, source):
    return next((ln.low, ln.high, ln.open_ended) for ln in price.lines if ln.basis == basis and ln.source == source)


# (model, employees, IT staff, basis, source, published low-high for that size), straight from the articles.
PRICES = [
    ("fully-managed", 50, 0, "per user", "usm", (6000, 12500, False)),        # $120-$250 x 50
    ("fully-managed", 50, 0, "per user", "guide", (5000, 12500, False)),      # $100-$250 x 50
    ("fully-managed", 50, 0, "per user", "onsite", (5000, 10000, False)),     # $100-$200 x 50
    ("fully-managed", 50, 0, "per device", "guide", (3750, 10000, False)),    # $75-$200 x 50 devices
    ("fully-managed", 50, 0, "per device", "onsite", (1500, 3750, False)),    # $30-$75 x 50 endpoints
    ("fully-managed", 50, 0, "monthly fee band", "guide", (2500, 15000, True)),
    ("fully-managed", 60, 0, "worked example", "bsgtech", (4000, 8000, False)),  # 40-75 users
    ("fully-managed", 100, 2, "worked example", "guide", (12000, 18000, False)),  # 100 employees
    ("co-managed", 50, 1, "per user", "usm", (2500, 7500, False)),            # $50-$150 x 50
    ("co-managed", 50, 1, "per device", "guide", (1000, 3750, False)),        # $20-$75 x 50
    ("co-managed", 50, 1, "monthly fee band", "guide", (1500, 8000, True)),   # MSP portion
    ("co-managed", 60, 1, "worked example", "bsgtech", (1500, 4000, False)),  # one IT person, 40-75 users
    ("co-managed", 100, 2, "worked example", "guide", (4000, 7000, False)),   # 100 employees, 2 IT staff
    ("co-managed", 100, 2, "internal staff", "guide", (12500, 25000, True)),  # 2 x $75,000-$150,000+ / 12
]


@pytest.mark.parametrize(("model", "employees", "staff", "basis", "source", "expected"), PRICES)
def test_market_prices_for_the_clients_size(model, employees, staff, basis, source, expected):
    assert _line(market_price(model, employees, staff), basis, source) == expected


def test_worked_examples_in_the_articles_fall_inside_the_ranges():
    # USM: 50 users at $175 fully managed, 50 at $90 co-managed; a 60-user firm at $95 co-managed.
    fm50, cm50, cm60 = market_price("fully-managed", 50, 0), market_price("co-managed", 50, 2), market_price("co-managed", 60, 2)
    assert fm50.typical[0] <= 50 * 175 <= fm50.typical[1]
    assert cm50.typical[0] <= 50 * 90 <= cm50.typical[1]
    assert cm60.typical[0] <= 60 * 95 <= cm60.typical[1]
    # The 100-employee example: co-managed well below fully managed.
    cm, fm = market_price("co-managed", 100, 2), market_price("fully-managed", 100, 0)
    assert _line(cm, "worked example", "guide")[1] < _line(fm, "worked example", "guide")[0]


def test_nearest_worked_example_is_named_as_such_when_the_size_does_not_match():
    price = market_price("co-managed", 400, 8)
    example = [ln for ln in price.lines if ln.basis == "worked example"]
    assert [(ln.low, ln.high, ln.how) for ln in example] == [
        (4000, 7000, "co-managed tools, security and backup for a 100-employee company with 2 IT staff "
                     "(the nearest published size)")]


def test_in_house_has_no_msp_fee_only_salaries():
    rec = recommend(ClientProfile(400, 8))[1]
    assert rec.presets == ["in-house"]
    assert [(ln.basis, ln.low, ln.high) for ln in rec.price.lines] == [("internal staff", 50000, 100000)]
    assert rec.price.typical is None


def test_every_figure_names_a_known_source():
    assert all(f.source in SOURCES for f in FIGURES)


@pytest.mark.parametrize(("profile", "message"), [
    (ClientProfile(10, 12), "IT staff (12) cannot be more than employees (10)"),
    (ClientProfile(0, 0), "employees must be at least 1, not 0"),
    (ClientProfile(10, 1, (), 0), "response minutes must be at least 1, not 0"),
    (ClientProfile(10, 1, gaps=("coffee",)), "unknown gap 'coffee' (known: after-hours, security, projects, strategy, tools, escalation, capacity)"),
])
def test_bad_profiles_are_refused(profile, message):
    with pytest.raises(InputError) as exc:
        recommend(profile)
    assert exc.value.lines() == [message]


def test_unknown_framework_is_refused_when_the_catalog_frameworks_are_given():
    with pytest.raises(InputError) as exc:
        recommend(ClientProfile(10, 0, ("hipaa", "gdpr")), frameworks={"hipaa": "HIPAA", "pci": "PCI DSS"})
    assert exc.value.lines() == ["unknown framework 'gdpr' (known: hipaa, pci)"]


def test_recommendations_needing_presets_the_catalog_lacks_are_dropped():
    recs = recommend(ClientProfile(60, 2, ("hipaa",), gaps=("security",)), available={"fully-managed", "in-house"})
    assert [r.presets for r in recs] == [["fully-managed"]]


def _lines(price, basis):
    return [(ln.low, ln.high, ln.source) for ln in price.lines if ln.basis == basis]


def test_co_managed_shows_the_hourly_escalation_rate_per_hour():
    price = market_price("co-managed", 100, 2)
    hourly = [ln for ln in price.lines if ln.basis == "hourly rate"]
    assert [(ln.low, ln.high, ln.period, ln.source) for ln in hourly] == [(125, 250, "hour", "guide")]
    assert _lines(market_price("fully-managed", 100, 0), "hourly rate") == []


def test_the_usm_worked_examples_are_shown_for_a_50_user_firm():
    assert (8750, 8750, "usm") in _lines(market_price("fully-managed", 50, 0), "worked example")
    assert (5500, 5500, "usm") in _lines(market_price("co-managed", 50, 1), "worked example")


def test_the_total_cost_example_sets_salaries_against_the_fully_managed_fee():
    assert _lines(market_price("fully-managed", 30, 0), "total cost example") == [(4500, 4500, "guide")]
    assert _lines(market_price("co-managed", 30, 2), "total cost example") == [(20000, None, "guide")]


@pytest.mark.parametrize(("model", "employees"), [("fully-managed", 150), ("fully-managed", 4), ("co-managed", 1000),
                                                  ("co-managed", 10)])
def test_no_per_user_figures_outside_the_sizes_the_articles_describe(model, employees):
    price = market_price(model, employees, 2)
    assert price.typical is None
    assert _lines(price, "per user") == [] and _lines(price, "per device") == []
    assert price.outside.endswith(f"at {employees} they are no guide, so no typical figure is given.")
    assert price.to_dict()["outside_band"] == price.outside


def test_inside_the_band_the_typical_figure_stays():
    assert market_price("fully-managed", 100, 0).typical == (10000, 25000)
    assert market_price("co-managed", 500, 3).typical == (25000, 75000)
    assert market_price("co-managed", 500, 3).outside == ""


def test_the_salary_line_says_whose_salary_it_is():
    line = next(ln for ln in market_price("co-managed", 100, 2).lines if ln.basis == "internal staff")
    assert line.how == ("2 IT staff each priced at the salary of a competent internal IT manager, $75,000-$150,000+ a year "
                        "(a technician usually costs less), on top of the MSP fee")


def test_a_small_regulated_team_is_told_the_provider_carries_the_compliance_layer():
    rec = recommend(ClientProfile(80, 1, ("cmmc",)))[0]
    reason = next(r for r in rec.reasons if r.endswith("(rule compliance-small-team)."))
    assert "has the co-managed provider carry the compliance layer" in reason
    assert "internal team is taken to hold" not in " ".join(rec.reasons)
