"""The house rules a reader relies on: library modules never import click, a constant spelled twice is kept equal,
the exception root is what the command line catches, and one helper answers who is accountable."""

from __future__ import annotations

import ast

import pytest
from paths import ROOT

from raci.cli import GAP_CHOICE
from raci.errors import RaciError
from raci.recommend import GAPS
from raci.roles import Row

# the command line (raci/cli/) and `python -m raci` may import click; nothing else may
LIBRARY = sorted(p for p in (ROOT / "raci").rglob("*.py")
                 if p.relative_to(ROOT / "raci").parts[0] not in ("cli", "__main__.py"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_modules_never_import_click(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "click" not in imported


def test_the_clis_gap_choices_are_the_recommenders_gaps():
    assert tuple(GAP_CHOICE.choices) == GAPS


def test_a_library_error_of_the_root_class_is_one_line_and_exit_2(run, monkeypatch):
    import raci.checks

    def fail(rule_id):
        raise RaciError("the registry is closed today")

    monkeypatch.setattr(raci.checks, "explain", fail)
    result = run("check", "--explain", "no-accountable")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", "Error: the registry is closed today\n")


def test_accountable_reads_both_windows_once_each_and_orders_on_request():
    row = Row({"msp": "A/R", "client-it": "C"}, {"client-it": "A", "msp": "A"})
    assert row.accountable() == ["msp", "client-it"]
    assert row.accountable({"client-it": 0, "msp": 1}) == ["client-it", "msp"]
    assert Row({"msp": "R"}).accountable() == []


def test_ci_runs_the_readmes_test_command_with_its_coverage_options():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "pip install '.[test]'" in line)
    options = command.split("&& python -m pytest", 1)[1].strip()
    assert options == "-n 2 --cov=raci --cov-branch --cov-report=term"  # both cores (pytest-xdist): under 3 minutes
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"python -m pytest -q -p no:cacheprovider {options}\n" in ci
    assert "\nmypy\n" in ci
