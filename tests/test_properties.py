"""Property tests of the core invariants: a well-formed matrix draws no ownership errors; a planted one is found."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from raci.catalog import Activity, Catalog, Domain, Row
from raci.checks import run_checks
from raci.engagement import Engagement, Party, resolve

PARTIES = ["client-exec", "client-it", "msp", "vendor"]
OWNERSHIP = {"no-accountable", "multiple-accountable", "no-responsible"}


@st.composite
def well_formed(draw):
    """A catalog and a matrix with exactly one A and at least one R in every window each activity is covered in."""
    n = draw(st.integers(min_value=1, max_value=12))
    activities = {}
    rows = {}
    for i in range(n):
        aid = f"d.a{i}"
        coverage = draw(st.sampled_from(["business-hours", "24x7"]))
        activities[aid] = Activity(aid, f"Activity {i}", "d", "Generated.", coverage=coverage)
        owner = draw(st.sampled_from(PARTIES))
        doers = draw(st.lists(st.sampled_from(PARTIES), min_size=1, max_size=3, unique=True))
        business = {}
        for p in PARTIES:
            if p == owner:
                business[p] = "A/R" if p in doers else "A"
            elif p in doers:
                business[p] = "R"
            else:
                letter = draw(st.sampled_from(["C", "I", None]))
                if letter:
                    business[p] = letter
        after = None
        if coverage == "24x7" and draw(st.booleans()):
            night = draw(st.lists(st.sampled_from(PARTIES), min_size=1, max_size=2, unique=True))
            after = dict.fromkeys(night, "R")
        rows[aid] = Row(business, after)
    catalog = Catalog("<generated>", [Domain("d", "Generated")], activities, {}, {})
    parties = {p: Party(p, p.title(), "client" if p.startswith("client") else "msp", 3, "24x7") for p in PARTIES}
    engagement = Engagement(client="Generated", parties=parties, assignments=rows)
    return catalog, engagement


def ownership_findings(catalog, engagement):
    return [f for f in run_checks(resolve(engagement, catalog)) if f.rule in OWNERSHIP]


@settings(max_examples=150, deadline=None)
@given(well_formed())
def test_well_formed_matrix_has_no_ownership_errors(case):
    catalog, engagement = case
    assert ownership_findings(catalog, engagement) == []


@settings(max_examples=150, deadline=None)
@given(well_formed(), st.data())
def test_planted_violation_is_found_at_its_activity(case, data):
    catalog, engagement = case
    aid = data.draw(st.sampled_from(sorted(engagement.assignments)))
    kind = data.draw(st.sampled_from(sorted(OWNERSHIP)))
    row = engagement.assignments[aid]
    business = dict(row.business)
    if kind == "no-accountable":
        business = {p: ("R" if r == "A/R" else r) for p, r in business.items() if r != "A"}
    elif kind == "multiple-accountable":
        other = next(p for p in PARTIES if "A" not in business.get(p, ""))
        business[other] = "A"
    else:  # no-responsible in business hours
        business = {p: ("A" if r == "A/R" else "C" if r == "R" else r) for p, r in business.items()}
    engagement.assignments[aid] = Row(business, row.after_hours)
    found = ownership_findings(catalog, engagement)
    assert any(f.rule == kind and f.activity == aid for f in found), (kind, aid, found)
    assert all(f.activity == aid for f in found)
