"""The Python API: a script that uses only the names in ``raci.__all__`` can do what the command line does, and
``import raci`` stays light."""

from __future__ import annotations

import json
import subprocess
import sys

from paths import DATA, MINI, ROOT

import raci

ENGAGEMENT = (DATA / "engagements" / "good.raci.yaml").read_text(encoding="utf-8")


def test_all_is_the_lazy_table_and_every_name_resolves():
    assert set(raci.__all__) == {"__version__", *raci._API}
    assert len(raci.__all__) == len(set(raci.__all__))
    for name in raci.__all__:
        assert getattr(raci, name) is not None, name


def test_load_check_and_report(tmp_path):
    catalog = raci.load_catalog(MINI)
    matrix = raci.resolve(raci.loads_engagement(ENGAGEMENT.replace("  monitoring.patching: {msp: A/R, client-it: I}\n",
                                                                     "  monitoring.patching: {msp: R, client-it: I}\n"),
                                                catalog), catalog)
    findings = raci.check(matrix)
    assert all(isinstance(f, raci.Finding) for f in findings)
    assert ("no-accountable", "monitoring.patching") in {(f.rule, f.activity) for f in findings}
    assert raci.findings_text(findings, "acme").startswith("acme: 2 errors, 0 warnings, 1 info\n")
    assert json.loads(raci.findings_json(findings))["summary"] == {"error": 2, "warning": 0, "info": 1}
    assert raci.explain_rule("no-accountable").startswith("no-accountable (error)\n")
    assert "no-accountable" in raci.RULES


def test_render_the_appendix(tmp_path):
    catalog = raci.load_catalog(MINI)
    matrix = raci.resolve(raci.loads_engagement(ENGAGEMENT, catalog), catalog)
    findings = raci.check(matrix)
    text = raci.render_markdown(matrix, findings, command="a script")
    assert "Server patching" in text
    written = raci.write_appendix(matrix, findings, md=tmp_path / "appendix.md", command="a script")
    assert [p.name for p in written] == ["appendix.md"]
    assert (tmp_path / "appendix.md").read_text(encoding="utf-8") == text


def test_errors_are_the_documented_root():
    catalog = raci.load_catalog(MINI)
    try:
        raci.loads_engagement("client: [", catalog)
    except raci.InputError as exc:
        assert isinstance(exc, raci.RaciError)
        assert len(exc.lines()) == 1
    else:
        raise AssertionError("a broken engagement was accepted")


def test_audit_a_contract(tmp_path):
    catalog = raci.load_catalog(MINI)
    report = raci.audit([str(DATA / "api" / "matrix.csv")], catalog)
    assert report.problems == []
    data = json.loads(raci.audit_report(report, "json"))
    assert [(r["source"]["label"], r["activity"]) for r in data["rows"]] == [
        ("Server patching", "monitoring.patching"), ("Tier 1 support", "servicedesk.tier1"),
        ("Risk acceptance", "governance.risk-acceptance")]
    assert ("not-in-contract", "monitoring.rmm-agent") in {(f["rule"], f["activity"]) for f in data["findings"]}


def test_diff_two_arrangements():
    catalog = raci.load_catalog(MINI)
    result = raci.diff_specs(catalog, "in-house", "fully-managed")
    assert "Moves to the MSP" in raci.diff_text(result)
    assert json.loads(raci.diff_json(result))
    assert raci.diff_markdown(result).startswith("#")


def test_recommend_presets():
    profile = raci.ClientProfile(employees=120, it_staff=2, compliance=("hipaa",))
    recs = raci.recommend_presets(profile)
    assert recs
    assert json.loads(raci.recommendations_json(profile, recs))
    assert raci.recommendations_text(profile, recs)


def test_import_raci_loads_none_of_the_heavy_libraries():
    code = ("import sys, raci; heavy = ('networkx', 'openpyxl', 'jinja2', 'yaml', 'ruamel', 'click', 'raci.catalog'); "
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
