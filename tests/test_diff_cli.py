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
        "newly shared: 1; newly unowned: 2; other role changes: 2. Also changed: engagement 3, parties 1, notes 1, "
        "exclusions 2",
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
    assert result.stderr == f"Wrote {out} (9 changed activities, 7 other changes).\n"
    assert out.read_text().startswith("## Transition plan: changes in responsibility\n")


def test_refuses_to_write_over_an_input(run, tmp_path):
    a = tmp_path / "a.raci.yaml"
    shutil.copy(D / "before.raci.yaml", a)
    original = a.read_bytes()
    result = run("diff", a, D / "after.raci.yaml", "-o", a, catalog=D / "catalog")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {a}: refusing to write over the input file {a}\n"
    assert a.read_bytes() == original
    result = run("diff", a, D / "after.raci.yaml", "-o", a, "--force", catalog=D / "catalog")
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
    # the file's name only, never the folders of the machine that made the plan
    assert "From **before.raci.yaml** to **a\\|b &lt;i&gt;.raci.yaml**." in result.stdout
    assert str(tmp_path) not in result.stdout
    assert "| Helpdesk \\| Co &lt;b&gt; (helpdesk-co) |" in result.stdout
    header = next(line for line in result.stdout.splitlines() if line.startswith("| Activity"))
    assert len(re.findall(r"(?<!\\)\|", header)) == 7  # six columns: the pipe in the name did not split a cell


# --------------------------------------------------------------------------- everything else an engagement says


@pytest.mark.parametrize("fmt, golden", [("text", "terms-before-after.txt"), ("json", "terms-before-after.json"),
                                         ("md", "terms-before-after.md")])
def test_every_kind_of_change_matches_golden(run, in_diff, fmt, golden):
    result = run("--catalog", "catalog", "diff", "terms-before.raci.yaml", "terms-after.raci.yaml", "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (D / golden).read_text()


def test_text_lists_the_other_sections_after_the_roles(run, in_diff):
    result = run("--catalog", "catalog", "diff", "terms-before.raci.yaml", "terms-after.raci.yaml")
    lines = result.stdout.splitlines()
    assert lines[2].endswith(". Also changed: engagement 9, parties 4, notes 3, service levels 4, exclusions 2")
    assert lines[lines.index("Engagement (9)"):] == [
        "Engagement (9)",
        "  client: 'Acme Manufacturing' -> 'Acme Manufacturing Ltd'",
        "  provider: 'Contoso' -> 'Contoso Managed Services'",
        "  version: 1.0 -> 1.1",
        "  effective: 2026-01-01 -> 2027-01-01",
        "  presets: co-managed-tier3-escalation -> co-managed-tier3-escalation, co-managed-after-hours",
        "  profile.employees: 80 -> 120",
        "  profile.it_staff: 2 -> 3",
        "  profile.compliance: hipaa -> pci, hipaa",
        "  thresholds.r_per_staff: 30 -> 25",
        "",
        "Parties (4)",
        "  client-it (Acme IT): name 'Acme IT' -> 'Acme IT Services'; staff 2 -> 3",
        "  helpdesk-co (Helpdesk Co): removed (vendor, staff 5, business-hours)",
        "  soc-co (SOC Partners): kind vendor -> msp; staff 3 -> 6; hours business-hours -> 24x7",
        "  backup-co (Backup | Co <b>): added (vendor, staff 4, business-hours)",
        "",
        "Notes (3)",
        "  servicedesk.tier1 (Tier 1 support): note removed: 'Helpdesk Co answers the phone queue'",
        "  servicedesk.tier3 (Tier 3 support): note added: 'Escalations go to Contoso's engineers | weekdays…'",
        "  security.edr (Endpoint protection): note changed: 'SOC Partners reviews alerts daily' -> "
        "'SOC Partners reviews alerts around the clock and calls the…'",
        "",
        "Service levels (4)",
        "  servicedesk.tier1 (Tier 1 support): response 30m -> 15m",
        "  servicedesk.tier3 (Tier 3 support): response 4h -> -; resolution 2bd -> -",
        "  monitoring.alert-response (Alert response): response - -> 15m",
        "  security.edr (Endpoint protection): resolution - -> 1d",
        "",
        "Exclusions (2)",
        "  added: governance.* (covers 2 activities: governance.risk-acceptance, governance.roadmap)",
        "  removed: governance.roadmap (IT roadmap)",
    ]


def test_json_keeps_the_role_changes_and_adds_the_other_sections(run, in_diff):
    result = run("--catalog", "catalog", "diff", "terms-before.raci.yaml", "terms-after.raci.yaml", "--format", "json")
    data = json.loads(result.stdout)
    assert list(data) == ["a", "b", "changes", "activities", "summary", "metadata", "parties", "notes", "internal_notes",
                          "sla", "exclusions", "commercial"]
    assert data["changes"][0] == {"activity": "servicedesk.tier1", "party": "client-it", "window": None, "before": "A",
                                  "after": "A/R", "domain": "servicedesk", "direction": "to-client"}
    assert data["metadata"][3] == {"field": "effective", "before": "2026-01-01", "after": "2027-01-01"}
    assert data["parties"][0] == {"party": "client-it", "field": "name", "before": "Acme IT", "after": "Acme IT Services"}
    assert data["parties"][-1] == {"party": "backup-co", "field": None, "before": None,
                                   "after": {"name": "Backup | Co <b>", "kind": "vendor", "staff": 4, "hours": "business-hours"}}
    assert data["notes"][0] == {"activity": "servicedesk.tier1", "before": "Helpdesk Co answers the phone queue", "after": None}
    assert data["sla"][0] == {"activity": "servicedesk.tier1", "field": "response", "before": "30m", "after": "15m"}
    assert data["exclusions"] == {
        "added": [{"pattern": "governance.*", "activities": ["governance.risk-acceptance", "governance.roadmap"]}],
        "removed": [{"pattern": "governance.roadmap", "activities": ["governance.roadmap"]}],
    }
    # the full text of a long note, not shortened as in the text report
    assert data["notes"][2]["after"].endswith("calls the Acme IT on-call engineer for anything critical")


def test_json_of_two_presets_has_empty_sections(run):
    data = json.loads(run("diff", "in-house", "fully-managed", "--format", "json", catalog=D / "catalog").stdout)
    assert len(data["changes"]) == 29
    assert (data["metadata"], data["parties"], data["notes"], data["sla"]) == ([], [], [], [])
    assert data["exclusions"] == {"added": [], "removed": []}


def _edited(tmp_path, old, new):
    """terms-before.raci.yaml with one line changed, written to tmp_path."""
    text = (D / "terms-before.raci.yaml").read_text()
    assert old in text
    path = tmp_path / "edited.raci.yaml"
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize("old, new, summary, section", [
    ('version: "1.0"', 'version: "1.0.1"', "engagement 1", ["Engagement (1)", "  version: 1.0 -> 1.0.1"]),
    ("monitoring.rmm-agent: Agents on servers only", "monitoring.rmm-agent: Agents on servers and laptops",
     "notes 1", ["Notes (1)", "  monitoring.rmm-agent (RMM agent deployment): note changed: "
                 "'Agents on servers only' -> 'Agents on servers and laptops'"]),
    ("security.edr: {response: 1h}", "security.edr: {response: 2h, resolution: 3bd}",
     "service levels 1", ["Service levels (1)", "  security.edr (Endpoint protection): response 1h -> 2h; resolution - -> 3bd"]),
    ("soc-co: {name: SOC Partners, kind: vendor, staff: 3,", "soc-co: {name: SOC Partners, kind: vendor, staff: 4,",
     "parties 1", ["Parties (1)", "  soc-co (SOC Partners): staff 3 -> 4"]),
])
def test_only_notes_sla_version_or_staff_changed_is_listed_not_no_changes(run, tmp_path, old, new, summary, section):
    edited = _edited(tmp_path, old, new)
    result = run("diff", D / "terms-before.raci.yaml", edited, catalog=D / "catalog")
    assert result.exit_code == 0
    assert result.stdout == "\n".join([f"From {D / 'terms-before.raci.yaml'}", f"  to {edited}",
                                       f"Roles unchanged. Changed: {summary}", "", *section]) + "\n"
    md = run("diff", D / "terms-before.raci.yaml", edited, "--format", "md", catalog=D / "catalog").stdout
    assert "No changes" not in md
    assert "Roles unchanged: every activity keeps the same roles for every party in both windows.\n" in md


def test_markdown_when_only_a_note_changes(run, tmp_path):
    edited = _edited(tmp_path, "monitoring.rmm-agent: Agents on servers only", "monitoring.rmm-agent: Agents | <i>all</i>")
    result = run("diff", D / "terms-before.raci.yaml", edited, "--format", "md", catalog=D / "catalog")
    assert result.stdout == (
        "## Transition plan: changes in responsibility\n\n"
        "From **terms-before.raci.yaml** to **edited.raci.yaml**.\n\n"
        "Roles unchanged: every activity keeps the same roles for every party in both windows.\n\n"
        "### Notes\n\n"
        "| Activity | Before | After |\n"
        "|---|---|---|\n"
        "| RMM agent deployment (`monitoring.rmm-agent`) | Agents on servers only | Agents \\| &lt;i&gt;all&lt;/i&gt; |\n"
    )
    data = json.loads(run("diff", D / "terms-before.raci.yaml", edited, "--format", "json", catalog=D / "catalog").stdout)
    assert data["changes"] == [] and data["metadata"] == []
    assert data["notes"] == [{"activity": "monitoring.rmm-agent", "before": "Agents on servers only", "after": "Agents | <i>all</i>"}]


def test_an_engagement_against_a_preset_lists_its_exclusions(run, in_diff):
    result = run("--catalog", "catalog", "diff", "in-house", "before.raci.yaml")
    assert result.stdout.splitlines()[2] == ("3 activities change (3 entries, 7 role changes): moves to the MSP: 1; "
                                             "newly unowned: 1; other role changes: 1. Also changed: exclusions 1")
    assert result.stdout.endswith("\n\nExclusions (1)\n  added: projects.office-move (Office move)\n")


# --------------------------------------------------------------------------- -o and --force


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
def test_output_refuses_an_existing_file_without_force(run, tmp_path, fmt):
    out = tmp_path / "plan.out"
    out.write_text("my edits\n")
    result = run("diff", D / "before.raci.yaml", D / "after.raci.yaml", "--format", fmt, "-o", out, catalog=D / "catalog")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {out} already exists; pass --force to replace it\n"
    assert out.read_text() == "my edits\n"


def test_force_replaces_an_existing_output_file(run, tmp_path, monkeypatch):
    monkeypatch.chdir(D)
    out = tmp_path / "plan.md"
    out.write_text("my edits\n")
    result = run("--catalog", "catalog", "diff", "before.raci.yaml", "after.raci.yaml", "--format", "md", "-o", out, "--force")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"Wrote {out} (9 changed activities, 7 other changes).\n"
    assert out.read_text() == (D / "before-after.md").read_text()
