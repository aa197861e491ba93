"""The registry of checks: a rule's id and severity live there only, every finding carries them, the README's rule
table lists exactly the registered rules, and ``raci check --explain`` prints a rule's explanation."""

from __future__ import annotations

import re

import pytest
from paths import DATA, MINI, ROOT

from raci.catalog import load_catalog
from raci.checks import RULES, registry, run_checks
from raci.engagement import load_engagement, resolve


@pytest.fixture
def empty_registry(monkeypatch):
    monkeypatch.setattr(registry, "RULES", {})
    return registry


def test_a_rule_with_an_unknown_severity_is_refused(empty_registry):
    with pytest.raises(ValueError, match="rule r: severity must be one of error, warning, info, not 'fatal'"):
        @empty_registry.rule("r", "fatal")
        def r(ctx, found):
            """Finds."""
            return []
    assert empty_registry.RULES == {}


def test_a_rule_without_a_docstring_is_refused(empty_registry):
    with pytest.raises(ValueError, match="rule r has no docstring to explain it"):
        @empty_registry.rule("r", "info")
        def r(ctx, found):
            return []


def test_a_rule_registered_twice_is_refused(empty_registry):
    @empty_registry.rule("r", "info")
    def first(ctx, found):
        """Finds."""
        return []

    with pytest.raises(ValueError, match="rule r is registered twice"):
        @empty_registry.rule("r", "error")
        def second(ctx, found):
            """Finds too."""
            return []
    assert empty_registry.RULES["r"].severity == "info"


def test_found_stamps_the_running_rules_id_and_severity(empty_registry):
    @empty_registry.rule("stamped", "warning")
    def stamped(ctx, found):
        """Finds one thing."""
        return [found("one thing", "a.b", ("msp",), "after-hours")]

    (finding,) = empty_registry.RULES["stamped"].run(None)
    assert (finding.rule, finding.severity, finding.message, finding.activity, finding.parties, finding.window) == (
        "stamped", "warning", "one thing", "a.b", ("msp",), "after-hours")


# engagements on which, together, every registered rule finds something
CHECKS = DATA / "checks"
CORPUS = [(MINI, CHECKS / "mini-gaps.raci.yaml"), (MINI, CHECKS / "mini-engagement.raci.yaml")] + [
    (CHECKS / "catalog", CHECKS / f"{name}.raci.yaml")
    for name in ("escalation-unreachable-after-hours", "long-handoff-chain", "single-point-of-failure")]
CORPUS.append((MINI, DATA / "checks_commercial" / "sla-client-row.raci.yaml"))


@pytest.fixture(scope="module")
def matrices():
    out = []
    for catalog_dir, path in CORPUS:
        cat = load_catalog(catalog_dir)
        out.append(resolve(load_engagement(path, cat), cat))
    return out


def _upstream_findings(rule_id: str) -> list:
    """The upstream rules need an upstream matrix: the bundled catalog's engagement against two upstream files."""
    from raci.checks.upstream import check_with_upstream

    cat = load_catalog()
    matrix = resolve(load_engagement(DATA / "upstream" / "gaps.raci.yaml", cat), cat)
    return [f for upstream in ("cloud-crm.csv", "unmapped.csv")
            for f in check_with_upstream(matrix, str(DATA / "upstream" / upstream)) if f.rule == rule_id]


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_finding_of_a_rule_carries_its_registered_id_and_severity(matrices, rule_id):
    if rule_id.startswith("upstream-"):
        found = _upstream_findings(rule_id)
    else:
        found = [f for m in matrices for f in run_checks(m, [rule_id])]
    assert found, f"no engagement of the corpus shows {rule_id}: add one"
    assert {(f.rule, f.severity) for f in found} == {(rule_id, RULES[rule_id].severity)}


def readme_rule_table() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tables = [part.split("\n\n", 1)[0] for part in text.split("| rule | severity | finds |")[1:]]
    # the check rules' table, and the upstream rules' (the audit's own rules have a table of their own)
    tables = [tables[0], *(t for t in tables if "`upstream-" in t)]
    return [row for table in tables for row in re.findall(r"^\| `([a-z-]+)` \| (\w+) \|", table, flags=re.M)]


def test_readme_rule_table_lists_exactly_the_registered_rules():
    assert sorted(readme_rule_table()) == sorted((r.id, r.severity) for r in RULES.values())


def test_readme_explain_excerpt_is_what_explain_prints(run):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("$ raci check --explain long-handoff-chain\n", 1)[1].split("```", 1)[0]
    assert run("check", "--explain", "long-handoff-chain").stdout.startswith(excerpt)


def test_explain_prints_the_rule_and_why(run):
    result = run("check", "--explain", "single-point-of-failure")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == ["single-point-of-failure (warning)", "",
                         "A 24x7 party of two people or fewer that is the only R after hours on five or more round-the-clock activities."]
    assert "one absence, one holiday or one resignation" in result.stdout


def test_explain_an_unknown_rule_suggests_the_closest(run):
    result = run("check", "--explain", "single-point-of-falure")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: unknown rule 'single-point-of-falure': did you mean 'single-point-of-failure'?\n"


def test_check_without_a_file_or_explain_is_a_usage_error(run):
    result = run("check")
    assert result.exit_code == 2
    assert "give an engagement FILE to check, or --explain RULE" in result.stderr
