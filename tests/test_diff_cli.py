"""`raci diff` on the command line: exact text, JSON and Markdown output, files written safely, exit codes."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from paths import DATA

D = DATA / "diff"


@pytest.fixture
def in_diff(monkeypatch):
    """Run from tests/data/diff so file labels in the output are the short relative names of the golden files."""
    monkeypatch.chdir(D)


def test_text_output_matches_golden(run, in_diff):
    result = run("--catalog", "catalog", "diff", "before.raci.yaml", "after.raci.yaml")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (D / "before-after.txt").read_text()


def test_text_output_begins_with_summary(run, in_diff):
    result = run("--catalog", "catalog", "diff", "before.raci.yaml", "after.raci.yaml")
    assert result.stdout.splitlines()[:4] == [
        "From before.raci.yaml",
        "  to after.raci.yaml",
        "8 activities change (9 entries, 18 role changes): moves to the MSP: 2; moves to the client: 2; "
        "newly shared: 1; newly unowned: 2; other role changes: 2",
        "",
    ]


def test_markdown_appendix_matches_golden(run, in_diff):
    result = run("--catalog", "catalog", "diff", "before.raci.yaml", "after.raci.yaml", "--format", "md")
    assert result.exit_code == 0
    assert result.stdout == (D / "before-after.md").read_text()


def test_markdown_for_preset_combination_matches_golden(run, in_diff):
    result = run("--catalog", "catalog", "diff", "fully-managed", "co-managed-tier3-escalation,co-managed-after-hours",
                 "--format", "md")
    assert result.exit_code == 0
    assert result.stdout == (D / "fully-managed-to-co-managed.md").read_text()


def test_json_has_the_spec_shape(run):
    result = run("diff", D / "before.raci.yaml", D / "after.raci.yaml", "--format", "json", catalog=D / "catalog")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["changes"]) == 18
    assert data["changes"][0] == {"activity": "servicedesk.tier1", "party": "msp", "window": None, "before": "C",
                                  "after": "R", "domain": "servicedesk", "direction": "shared"}
    assert {c["window"] for c in data["changes"]} == {None, "business-hours", "after-hours"}
    assert data["summary"] == {"to-msp": 2, "to-client": 2, "shared": 1, "unowned": 2, "other": 2}


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
def test_file_diffed_with_itself_has_no_changes(run, in_diff, fmt):
    result = run("--catalog", "catalog", "diff", "after.raci.yaml", "after.raci.yaml", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        assert json.loads(result.stdout)["changes"] == []
    elif fmt == "text":
        assert result.stdout == ("From after.raci.yaml\n  to after.raci.yaml\n"
                                 "No changes: every activity has the same roles for every party in both windows.\n")
    else:
        assert "No changes: every activity keeps the same roles for every party in both windows.\n" in result.stdout
        assert "|" not in result.stdout


def test_output_file_is_written(run, tmp_path):
    out = tmp_path / "plan.md"
    result = run("diff", D / "before.raci.yaml", D / "after.raci.yaml", "--format", "md", "-o", out, catalog=D / "catalog")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"Wrote {out} (9 changed activities).\n"
    assert out.read_text().startswith("## Transition plan: changes in responsibility\n")


def test_refuses_to_write_over_an_input(run, tmp_path):
    a = tmp_path / "a.raci.yaml"
    shutil.copy(D / "before.raci.yaml", a)
    original = a.read_bytes()
    result = run("diff", a, D / "after.raci.yaml", "-o", a, catalog=D / "catalog")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {a}: refusing to write over the input file {a}\n"
    assert a.read_bytes() == original


def test_bad_inputs_exit_2_name_file_and_line_and_write_nothing(run, tmp_path):
    out = tmp_path / "plan.txt"
    result = run("diff", D / "bad.raci.yaml", "no-such-preset", "-o", out, catalog=D / "catalog")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Error: {D / 'bad.raci.yaml'}:3: unknown preset 'co-managed-everything'")
    assert lines[1] == f"Error: {D / 'bad.raci.yaml'}:7: unknown activity 'servicedesk.tier9' in assignments (did you mean 'servicedesk.tier3'?)"
    assert lines[2].startswith("Error: 'no-such-preset': neither an engagement file nor a preset (known presets: ")
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_output_folder_exits_2(run, tmp_path):
    result = run("diff", "in-house", "fully-managed", "-o", tmp_path / "nope" / "x.md", catalog=D / "catalog")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope' / 'x.md'}: folder {tmp_path / 'nope'} does not exist\n"


def test_markdown_escapes_pipes_and_html_in_labels_and_party_names(run, tmp_path):
    odd = tmp_path / "a|b <i>.raci.yaml"
    shutil.copy(D / "vendor.raci.yaml", odd)
    result = run("diff", D / "before.raci.yaml", odd, "--format", "md", catalog=D / "catalog")
    assert result.exit_code == 0
    assert f"to **{str(tmp_path)}/a\\|b &lt;i&gt;.raci.yaml**" in result.stdout
    assert "| Helpdesk \\| Co &lt;b&gt; (helpdesk-co) |" in result.stdout
    header = next(line for line in result.stdout.splitlines() if line.startswith("| Activity"))
    assert len(re.findall(r"(?<!\\)\|", header)) == 7  # six columns: the pipe in the name did not split a cell
