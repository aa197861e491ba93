"""`raci recommend` and `raci new --from-recommendation` on the command line: exact output and exit codes."""

from __future__ import annotations

import json

import pytest
from paths import DATA

from raci.engagement import load_engagement

CAT = DATA / "diff" / "catalog"
GOLDEN = DATA / "recommend"


def test_text_output_matches_golden_for_a_small_client_without_it_staff(run):
    result = run("recommend", "--employees", "20", "--it-staff", "0", catalog=CAT)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (GOLDEN / "20-employees-no-staff.txt").read_text()


def test_text_output_matches_golden_for_a_regulated_client_with_a_security_gap(run):
    result = run("recommend", "--employees", "60", "--it-staff", "2", "--compliance", "hipaa", "--gap", "security",
                 "--response-minutes", "15", catalog=CAT)
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "60-employees-hipaa-security.txt").read_text()
    # a response target under 30 minutes puts fully managed first (USM Technology's decision steps)
    assert result.stdout.splitlines()[2] == "1. fully-managed"


def test_json_has_the_spec_shape_best_first(run):
    result = run("recommend", "--employees", "100", "--it-staff", "2", "--gap", "escalation", "--gap", "after-hours",
                 "--response-minutes", "20", "--format", "json", catalog=CAT)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    recs = data["recommendations"]
    assert [r["presets"] for r in recs] == [["fully-managed"], ["co-managed-tier3-escalation", "co-managed-after-hours"]]
    fm, cm = recs
    assert fm["rules"] == ["response-under-30"]
    assert cm["rules"] == ["it-staff-with-gaps", "size-100-300", "response-under-30-co-managed"]
    assert all(isinstance(s, str) and s.endswith(".") for r in recs for s in r["reasons"])
    price = cm["market_price"]
    assert price["note"].endswith("not a quote: real prices depend on scope and the provider.")
    assert (price["currency"], price["period"], price["employees"]) == ("USD", "month", 100)
    assert {"basis": "worked example", "low": 4000, "high": 7000, "open_ended": False, "source": "the comparison guide",
            "how": "co-managed tools, security and backup for a 100-employee company with 2 IT staff (matches this size)",
            "period": "month"} in price["figures"]
    assert fm["market_price"]["typical"] == {"low": 10000, "high": 25000}
    assert data["profile"] == {"employees": 100, "it_staff": 2, "compliance": [], "response_minutes": 20,
                               "gaps": ["escalation", "after-hours"]}


# The four runs issue 13 accepts on, on the bundled catalog: (options, the presets ranked first and second).
ACCEPTANCE = [
    (["--employees", "10", "--it-staff", "1"],
     [["fully-managed"], ["co-managed-tier3-escalation", "co-managed-after-hours"]]),
    (["--employees", "80", "--it-staff", "1", "--compliance", "cmmc"],
     [["co-managed-tier3-escalation", "co-managed-after-hours", "co-managed-hybrid-expertise"], ["fully-managed"]]),
    (["--employees", "150", "--it-staff", "2", "--gap", "after-hours", "--gap", "security", "--gap", "projects",
      "--gap", "strategy", "--gap", "tools", "--gap", "escalation"],
     [["co-managed-tools-only", "co-managed-tier3-escalation", "co-managed-after-hours",
       "co-managed-project-augmentation", "co-managed-hybrid-expertise", "co-managed-strategic-partnership"],
      ["fully-managed"]]),
    (["--employees", "100", "--it-staff", "2", "--gap", "escalation"], [["co-managed-tier3-escalation"]]),
]


@pytest.mark.parametrize(("options", "ranking"), ACCEPTANCE, ids=["10-1", "80-1-cmmc", "150-2-six-gaps", "escalation"])
def test_issue_13_acceptance_rankings(run, options, ranking):
    result = run("recommend", *options)
    assert result.exit_code == 0
    numbered = [ln.split(". ", 1)[1].split(" + ") for ln in result.stdout.splitlines() if ln[:1].isdigit()]
    assert numbered == ranking


def test_escalation_gap_shows_the_hourly_figure(run):
    result = run("recommend", "--employees", "100", "--it-staff", "2", "--gap", "escalation")
    assert ("     hourly rate: $125-$250 per hour (specialist escalation work, billed by the hour on top of any monthly "
            "fee; the comparison guide)") in result.stdout.splitlines()


def test_bad_profile_exits_2_with_one_line_per_problem(run):
    result = run("recommend", "--employees", "20", "--it-staff", "30", "--compliance", "gdpr", catalog=CAT)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("Error: IT staff (30) cannot be more than employees (20)\n"
                             "Error: unknown framework 'gdpr' (known: hipaa, pci)\n")


def test_missing_and_invalid_options_are_usage_errors(run):
    missing = run("recommend", "--employees", "20", catalog=CAT)
    assert missing.exit_code == 2
    assert "Error: Missing option '--it-staff'." in missing.stderr
    bad_gap = run("recommend", "--employees", "20", "--it-staff", "1", "--gap", "coffee", catalog=CAT)
    assert bad_gap.exit_code == 2
    assert ("'coffee' is not one of 'after-hours', 'security', 'projects', 'strategy', 'tools', 'escalation', 'capacity'"
            in bad_gap.stderr)
    zero = run("recommend", "--employees", "0", "--it-staff", "0", catalog=CAT)
    assert zero.exit_code == 2
    assert "--employees" in zero.stderr


def test_new_from_recommendation_uses_the_top_presets(run, tmp_path):
    out = tmp_path / "acme.raci.yaml"
    result = run("new", "--from-recommendation", "--employees", "60", "--it-staff", "2", "--compliance", "hipaa",
                 "--gap", "security", "--gap", "after-hours", "--client", "Acme", "--provider", "Contoso", "-o", out,
                 catalog=CAT)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == ("Recommended: co-managed-after-hours + co-managed-hybrid-expertise "
                                             "(rules: it-staff-with-gaps, size-50-100, compliance-security-gap).")
    from raci.catalog import load_catalog

    eng = load_engagement(out, load_catalog(CAT))
    assert eng.presets == ["co-managed-after-hours", "co-managed-hybrid-expertise"]
    assert (eng.profile.employees, eng.profile.it_staff, eng.profile.compliance) == (60, 2, ["hipaa"])


def test_new_from_recommendation_without_staff_gives_fully_managed_on_stdout(run):
    result = run("new", "--from-recommendation", "--employees", "12", "--it-staff", "0", "--client", "Tiny", catalog=CAT)
    assert result.exit_code == 0
    assert "presets: [fully-managed]\n" in result.stdout
    assert result.stderr == "Recommended: fully-managed (rules: no-it-staff, too-small-for-an-it-hire, size-under-50).\n"


def test_new_option_conflicts_exit_2_and_write_nothing(run, tmp_path):
    out = tmp_path / "x.raci.yaml"
    cases = [
        (["--preset", "in-house", "--from-recommendation", "--employees", "5", "--it-staff", "0"],
         "Error: --preset and --from-recommendation cannot be used together."),
        (["--from-recommendation", "--employees", "5"], "Error: --from-recommendation needs --it-staff."),
        (["--from-recommendation"], "Error: --from-recommendation needs --employees and --it-staff."),
        ([], "Error: Missing option '--preset' (or use --from-recommendation with --employees and --it-staff)."),
        (["--preset", "in-house", "--gap", "tools"], "Error: --response-minutes and --gap only apply with --from-recommendation."),
    ]
    for args, message in cases:
        result = run("new", *args, "--client", "Acme", "-o", out, catalog=CAT)
        assert result.exit_code == 2, args
        assert result.stderr.splitlines()[-1] == message
        assert not out.exists()


def test_new_with_presets_still_works_unchanged(run):
    result = run("new", "--preset", "co-managed-tier3-escalation", "--client", "Acme", catalog=CAT)
    assert result.exit_code == 0
    assert "presets: [co-managed-tier3-escalation]\n" in result.stdout


PROFILES = [
    ["--employees", "20", "--it-staff", "0"],
    ["--employees", "45", "--it-staff", "0", "--compliance", "hipaa", "--response-minutes", "15"],
    ["--employees", "60", "--it-staff", "2", "--compliance", "hipaa", "--gap", "security", "--gap", "after-hours"],
    ["--employees", "150", "--it-staff", "3"],
    ["--employees", "120", "--it-staff", "2", "--gap", "escalation", "--response-minutes", "10"],
    ["--employees", "400", "--it-staff", "8"],
    ["--employees", "400", "--it-staff", "8", "--gap", "projects", "--gap", "strategy"],
]


@pytest.mark.parametrize("profile", PROFILES, ids=[" ".join(p) for p in PROFILES])
def test_bundled_catalog_every_recommendation_starts_an_engagement_with_no_errors(run, tmp_path, bundled_catalog, profile):
    from raci.checks import run_checks
    from raci.engagement import resolve

    recs = json.loads(run("recommend", *profile, "--format", "json").stdout)["recommendations"]
    assert recs and all(set(r["presets"]) <= set(bundled_catalog.presets) for r in recs)
    out = tmp_path / "e.raci.yaml"
    assert run("new", "--from-recommendation", *profile, "--client", "Acme", "-o", out).exit_code == 0
    eng = load_engagement(out, bundled_catalog)
    assert eng.presets == recs[0]["presets"]
    errors = [f for f in run_checks(resolve(eng, bundled_catalog)) if f.severity == "error"]
    # a business-hours team that keeps the nights shows that gap, and nothing else
    assert {f.rule for f in errors} <= {"uncovered-window"}
    on_call = tmp_path / "on-call.raci.yaml"
    assert run("new", "--from-recommendation", *profile, "--it-hours", "24x7", "--client", "Acme", "-o", on_call).exit_code == 0
    eng = load_engagement(on_call, bundled_catalog)
    assert [f for f in run_checks(resolve(eng, bundled_catalog)) if f.severity == "error"] == []
