"""Presets composed window by window, the commercial status of the MSP's work, and `raci new`'s honest hours."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DATA

from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.compose import compose
from raci.engagement import load_engagement, new_engagement, resolve

C = DATA / "compose"


@pytest.fixture(scope="module")
def cat():
    return load_catalog(C / "catalog")


# --------------------------------------------------------------------------- windows


def test_a_night_only_preset_leaves_the_day_as_the_preset_before_it_set_it(cat):
    comp = compose(cat, ["escalation", "nights"])
    assert comp.rows["ops.patching"].business == {"client-it": "A", "msp": "R"}
    assert comp.rows["ops.patching"].after_hours is None  # the night says the same as the day
    assert comp.rows["ops.alerts"].after_hours == {"client-it": "A", "msp": "R", "client-exec": "I"}
    assert comp.windows["ops.alerts"] == {"business-hours": "escalation", "after-hours": "nights"}


def test_on_its_own_base_a_night_only_preset_hands_over_only_the_night(cat):
    comp = compose(cat, ["nights"])
    assert comp.rows["ops.alerts"].business == {"client-it": "A/R"}
    assert comp.rows["ops.alerts"].after_hours == {"client-it": "A", "msp": "R", "client-exec": "I"}
    assert comp.window_text("ops.alerts") == "business hours: base; after hours: nights"
    assert comp.window_text("ops.moves") == "base"


def test_the_later_preset_wins_only_in_the_windows_both_set(cat):
    comp = compose(cat, ["nights", "days"])
    # days sets patching by day only: the night stays the night preset's
    assert comp.windows["ops.patching"] == {"business-hours": "days", "after-hours": "nights"}
    assert comp.rows["ops.patching"].business == {"client-it": "A", "msp": "R", "client-exec": "I"}
    assert comp.rows["ops.patching"].after_hours == {"client-it": "A", "msp": "R"}
    assert comp.overrides == []  # nights and days never set the same window of an activity
    assert compose(cat, ["escalation", "days"]).overrides == [("ops.patching", "escalation", "days"),
                                                              ("ops.moves", "escalation", "days")]


def test_presets_text_says_which_preset_set_which_window(run):
    result = run("presets", "escalation,nights,days", catalog=C / "catalog")
    assert result.exit_code == 0
    assert "Windows: ops.patching: business hours: days; after hours: nights." in result.stdout.splitlines()
    assert "Windows: ops.moves" not in result.stdout  # one preset set both windows


def test_presets_json_gives_each_row_its_windows_and_commercial_status(run):
    result = run("presets", "escalation,nights", "--format", "json", catalog=C / "catalog")
    rows = {r["activity"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["ops.alerts"]["windows"] == {"business-hours": "escalation", "after-hours": "nights"}
    assert rows["ops.moves"]["commercial"] == "project"
    assert rows["ops.alerts"]["commercial"] == "included"


def test_bad_windowed_rows_and_statuses_are_named_with_their_lines(run):
    result = run("presets", catalog=C / "bad")
    assert result.exit_code == 2
    f = C / "bad" / "presets" / "broken.yaml"
    assert result.stderr.splitlines() == [
        f"Error: {f}:6: row 'ops.alerts': with 'business-hours:' put every party under 'business-hours' or 'after-hours'",
        f"Error: {f}:7: row 'ops.patching' business-hours: 'Z' for client-it is not a role letter (use R, A, C, I or A/R)",
        f"Error: {f}:9: commercial: 'free' for ops.moves must be one of included, project, pass-through, excluded",
        f"Error: {f}:10: commercial: 'ops.nothing' is not a catalog activity or a glob matching one",
    ]


# --------------------------------------------------------------------------- the diff, on the bundled catalog


def test_after_hours_on_tier3_moves_only_nights_to_the_msp_and_nothing_to_the_client(run):
    result = run("diff", "co-managed-tier3-escalation", "co-managed-tier3-escalation,co-managed-after-hours",
                 "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["summary"]["to-client"] == 0
    assert {c["window"] for c in data["changes"]} == {"after-hours"}
    moved = [a["activity"] for a in data["activities"] if a["direction"] == "to-msp"]
    assert moved == ["servicedesk.after-hours", "security.alert-triage", "security.containment", "identity.leavers",
                     "network.isp-carrier", "vendors.escalation"]
    assert all(c["after"] in ("R", "A", None) for c in data["changes"] if c["party"] == "client-it")


def test_after_hours_gives_the_msp_emergency_change_and_supplier_escalation_at_night(bundled_catalog):
    comp = compose(bundled_catalog, ["co-managed-after-hours"])
    for aid in ("change.emergency", "vendors.escalation", "network.isp-carrier"):
        assert comp.rows[aid].window("after-hours") == {"client-it": "A", "msp": "R"}, aid
        assert comp.rows[aid].business.get("msp") is None, aid


# --------------------------------------------------------------------------- commercial status


def test_engagement_commercial_overrides_the_presets(cat):
    matrix = resolve(load_engagement(C / "nights.raci.yaml", cat), cat)
    assert matrix.commercial == {"ops.alerts": "included", "ops.patching": "excluded", "ops.moves": "project"}


def test_a_later_preset_sets_the_commercial_status_again(cat):
    eng = new_engagement(cat, ["escalation", "days"], "Acme", "Contoso")
    assert resolve(eng, cat).commercial == {"ops.alerts": "included", "ops.patching": "pass-through",
                                            "ops.moves": "pass-through"}


def test_work_the_msp_does_not_do_has_no_commercial_status(cat):
    eng = new_engagement(cat, ["base"], "Acme")
    assert resolve(eng, cat).commercial == {}


def test_a_bad_commercial_status_is_one_line_with_its_line_number(run):
    result = run("check", C / "bad-commercial.raci.yaml", catalog=C / "catalog")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {C / 'bad-commercial.raci.yaml'}:8: commercial status for ops.moves must be one of "
                             "included, project, pass-through, excluded, not 'free of charge'\n")


def test_diff_reports_commercial_changes(run):
    result = run("diff", "escalation", C / "nights.raci.yaml", catalog=C / "catalog")
    assert result.exit_code == 0
    assert result.stdout.endswith("Commercial status (1)\n  ops.patching (Server patching): included -> excluded\n")
    data = json.loads(run("diff", "escalation", C / "nights.raci.yaml", "--format", "json", catalog=C / "catalog").stdout)
    assert data["commercial"] == [{"activity": "ops.patching", "before": "included", "after": "excluded"}]


def test_fully_managed_keeps_projects_and_third_party_costs_out_of_the_fee(bundled_catalog):
    eng = new_engagement(bundled_catalog, ["fully-managed"], "Acme", "Contoso")
    status = resolve(eng, bundled_catalog).commercial
    for aid in ("projects.delivery", "projects.office-move", "projects.cloud-migration", "onsite.cabling-racks",
                "vendors.lob-upgrades"):
        assert status[aid] == "project", aid
    for aid in ("licensing.renewals", "procurement.sourcing", "network.isp-carrier"):
        assert status[aid] == "pass-through", aid
    assert status["servicedesk.tier1"] == "included"


def test_the_commercial_status_survives_a_round_trip(cat, tmp_path):
    from raci.engagement import dump_engagement, loads_engagement

    eng = load_engagement(C / "nights.raci.yaml", cat)
    text = dump_engagement(eng)
    assert "commercial: {ops.patching: excluded}" in text
    assert loads_engagement(text, cat).commercial == {"ops.patching": "excluded"}


# --------------------------------------------------------------------------- raci new


def test_new_says_client_parties_work_business_hours(run):
    result = run("new", "--preset", "in-house", "--client", "Acme")
    assert result.exit_code == 0
    assert "client-it: {name: Acme IT, kind: client, staff: 4, hours: business-hours}" in result.stdout
    assert ("# Client parties work business hours (hours: business-hours): nobody in-house is on call at night. "
            "If your IT team runs an on-call rota, set its hours to 24x7 (raci new --it-hours 24x7).") in result.stdout


def test_new_with_it_hours_24x7_puts_the_internal_team_on_call(run, tmp_path):
    out = tmp_path / "n.raci.yaml"
    result = run("new", "--preset", "in-house", "--client", "Acme", "--it-hours", "24x7", "-o", out)
    assert result.exit_code == 0
    assert "hours: 24x7}" in out.read_text()
    assert run("check", out).exit_code == 0


def test_new_in_house_with_a_business_hours_team_shows_the_night_gap(run, tmp_path):
    out = tmp_path / "n.raci.yaml"
    run("new", "--preset", "in-house", "--client", "Acme", "-o", out)
    result = run("check", out, "--format", "json")
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    assert {f["rule"] for f in errors} == {"uncovered-window"} and len(errors) == 6


def test_new_shows_the_commercial_status_the_presets_give(run):
    result = run("new", "--preset", "fully-managed", "--client", "Acme", "--provider", "Contoso")
    lines = result.stdout.splitlines()
    assert lines[3].startswith("# Commercial status of the MSP's work, from the presets: ")
    assert lines[3].endswith(" activities included in the fee, and:")
    assert lines[4].startswith("#   project: onsite.cabling-racks, vendors.lob-upgrades, projects.delivery")
    assert lines[5] == "#   pass-through: network.isp-carrier, procurement.sourcing, licensing.renewals"
    assert lines[6].startswith("# Override any of them under 'commercial:'")


def test_bundled_business_hours_team_plus_after_hours_checks_clean(bundled_catalog):
    eng = new_engagement(bundled_catalog, ["co-managed-tier3-escalation", "co-managed-after-hours"], "Acme", "Contoso")
    assert [f for f in run_checks(resolve(eng, bundled_catalog)) if f.severity == "error"] == []


def test_fully_managed_leaves_leavers_to_the_client_and_testing_to_someone_independent(bundled_catalog):
    rows = compose(bundled_catalog, ["fully-managed"]).rows
    # only the client knows who starts and who leaves: it answers for the request, the MSP does the work
    assert rows["identity.joiners"].business == {"client-exec": "A", "msp": "R"}
    assert rows["identity.leavers"].business == {"client-exec": "A", "msp": "R"}
    # the MSP does not test or investigate its own work
    assert rows["vulnerability.pen-testing"].business == {"client-exec": "A/R", "msp": "C"}
    assert rows["incident.forensics"].business == {"client-exec": "A/R", "msp": "C"}


def test_presets_text_lists_the_work_outside_the_fee(run):
    lines = run("presets", "fully-managed").stdout.splitlines()
    assert lines[-2] == ("Commercial status project (outside the recurring fee): onsite.cabling-racks, vendors.lob-upgrades, "
                         "projects.delivery, projects.management, projects.cloud-migration, projects.server-migration, "
                         "projects.office-move.")
    assert lines[-1] == ("Commercial status pass-through (outside the recurring fee): network.isp-carrier, "
                         "procurement.sourcing, licensing.renewals.")


CO_MANAGED = ["co-managed-tools-only", "co-managed-capacity", "co-managed-tier3-escalation",
              "co-managed-project-augmentation", "co-managed-hybrid-expertise", "co-managed-strategic-partnership"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(CO_MANAGED), min_size=1, max_size=4, unique=True))
def test_adding_night_cover_never_changes_the_day_or_gives_the_client_work(bundled_catalog, presets):
    before = compose(bundled_catalog, presets).rows
    after = compose(bundled_catalog, [*presets, "co-managed-after-hours"]).rows
    for aid, row in before.items():
        assert after[aid].business == row.business, aid
        night_before, night_after = row.window("after-hours"), after[aid].window("after-hours")
        for party in ("client-exec", "client-it"):
            gained_r = "R" in night_after.get(party, "") and "R" not in night_before.get(party, "")
            assert not gained_r, (aid, party)
