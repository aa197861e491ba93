"""The messages people meet when they first try raci: tabs, typos, durations, folders and the wrong kind of file.
Each is one line naming the file (and line), exit code 2, nothing written."""

from __future__ import annotations

import pytest
from paths import DATA, MINI, ROOT, SAMPLES

from raci.durations import parse_duration
from raci.engagement import loads_engagement
from raci.errors import EngagementError

ENG = DATA / "engagements"


def stderr_lines(result) -> list[str]:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "Usage:" not in result.stderr
    return result.stderr.splitlines()


def test_a_tab_in_the_indentation_is_named_as_a_tab_with_its_line(run):
    f = ENG / "tab-indent.raci.yaml"
    assert stderr_lines(run("check", f, catalog=MINI)) == [
        f"Error: {f}:6: a tab is used to indent this line; YAML indents with spaces only",
    ]


def test_typos_get_did_you_mean_and_every_problem_of_an_entry_comes_together(run):
    f = ENG / "typos.raci.yaml"
    assert stderr_lines(run("check", f, catalog=MINI)) == [
        f"Error: {f}:2: unknown key 'clinet' (did you mean 'client'?)",
        f"Error: {f}:2: client is required",
        f"Error: {f}:4: unknown preset 'fully-manged' (did you mean 'fully-managed'?)",
        f"Error: {f}:6: unknown key 'hour' in party client-exec (did you mean 'hours'?)",
        f"Error: {f}:9: servicedesk.tier1: unknown party 'mps' (known: client-exec, client-it)",
        f"Error: {f}:9: servicedesk.tier1: 'X' for client-exec is not a role letter (use R, A, C, I or A/R)",
        f"Error: {f}:10: unknown activity 'monitoring.patchin' in assignments (did you mean 'monitoring.patching'?)",
        f"Error: {f}:12: unknown key 'respons' in sla for servicedesk.tier2 (did you mean 'response'?)",
        f"Error: {f}:13: unknown threshold 'r_per_staf' (did you mean 'r_per_staff'?)",
    ]


def test_a_mistyped_party_close_to_a_known_one_is_suggested(mini_catalog):
    text = (ENG / "good.raci.yaml").read_text().replace("{msp: A/R, client-it: I}", "{msq: A/R, client-it: I}")
    with pytest.raises(EngagementError) as info:
        loads_engagement(text, mini_catalog, "acme.raci.yaml")
    assert info.value.lines() == ["acme.raci.yaml:13: monitoring.patching: unknown party 'msq' (did you mean 'msp'?)"]


@pytest.mark.parametrize("written, canonical", [
    ("30m", "30m"), ("30 minutes", "30m"), ("30M", "30m"), ("30 min", "30m"), ("1 business day", "1bd"), ("3bd", "3bd"),
    ("3 working days", "3bd"), ("1.5h", "1.5h"), ("1.50 hours", "1.5h"), ("2 Hours", "2h"), ("2 days", "2d"), ("1,5 h", "1.5h"),
    ("half a day", None), ("30", None), ("soon", None), ("", None), (True, None), ("30 parsecs", None),
])
def test_durations_are_read_in_the_forms_people_write_them(written, canonical):
    assert parse_duration(written) == canonical


def test_service_levels_in_every_form_load_as_one_form_and_the_unreadable_one_is_named(run, mini_catalog):
    f = ENG / "sla-forms.raci.yaml"
    assert stderr_lines(run("check", f, catalog=MINI)) == [
        f"Error: {f}:12: sla resolution for monitoring.alert-response must be a duration such as 15m, 4h, 2d or 3bd, "
        "not 'half a day'",
    ]
    eng = loads_engagement(f.read_text().replace("resolution: half a day", "resolution: 4 hours"), mini_catalog)
    assert eng.sla == {
        "servicedesk.tier1": {"response": "30m", "resolution": "1bd"},
        "servicedesk.tier2": {"response": "30m", "resolution": "1.5h"},
        "servicedesk.tier3": {"response": "2h", "resolution": "3bd"},
        "monitoring.alert-response": {"response": "15m", "resolution": "4h"},
    }


@pytest.mark.parametrize("args", [
    ("check", "{dir}"), ("render", "{dir}", "--md", "{tmp}/a.md"), ("import", "{dir}", "-o", "{tmp}/n.raci.yaml"),
    ("audit", "{dir}"), ("diff", "{dir}", "in-house"),
])
def test_a_folder_given_for_a_file_is_one_line(run, tmp_path, args):
    folder = tmp_path / "clients"
    folder.mkdir()
    argv = [a.format(dir=folder, tmp=tmp_path) for a in args]
    lines = stderr_lines(run(*argv, catalog=MINI))
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {folder}: is a folder, not a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients"]


@pytest.mark.parametrize("args", [
    ("new", "--preset", "in-house", "--client", "Acme", "-o", "{dir}"),
    ("render", "{good}", "--md", "{dir}"),
    ("import", "{contract}", "-o", "{dir}"),
    ("diff", "in-house", "fully-managed", "-o", "{dir}"),
])
def test_a_folder_given_for_an_output_is_one_line(run, tmp_path, args):
    folder = tmp_path / "out"
    folder.mkdir()
    argv = [a.format(dir=folder, good=ENG / "good.raci.yaml", contract=SAMPLES / "contracts" / "exhibit-b-grid.xlsx")
            for a in args]
    assert stderr_lines(run(*argv, catalog=MINI)) == [f"Error: {folder}: is a folder, not a file"]


def test_a_workbook_given_as_an_engagement_says_what_it_is_and_how_to_read_it(run):
    f = SAMPLES / "contracts" / "exhibit-b-grid.xlsx"
    assert stderr_lines(run("check", f, catalog=MINI)) == [
        f"Error: {f}: is a workbook or Word document, not an engagement file (*.raci.yaml); to read a matrix from it: "
        "raci import exhibit-b-grid.xlsx -o NEW.raci.yaml",
    ]


def test_an_engagement_file_given_to_import_is_refused_and_nothing_is_written(run, tmp_path):
    out = tmp_path / "again.raci.yaml"
    f = ENG / "good.raci.yaml"
    assert stderr_lines(run("import", f, "-o", out, catalog=MINI)) == [
        f"Error: {f}: is an engagement file already: 'raci check' and 'raci render' read it as it is; import reads "
        "contract matrices and workbooks",
    ]
    assert not out.exists()


def test_import_refuses_to_replace_an_existing_file_without_force(run, tmp_path):
    out = tmp_path / "exhibit.raci.yaml"
    out.write_text("# my notes\n")
    contract = SAMPLES / "contracts" / "exhibit-b-grid.xlsx"
    assert stderr_lines(run("import", contract, "-o", out)) == [f"Error: {out} already exists; pass --force to replace it"]
    assert out.read_text() == "# my notes\n"
    assert run("import", contract, "-o", out, "--force").exit_code == 0
    assert out.read_text().startswith("# Engagement file written by raci")


README_TYPOS = """\
# Acme's engagement, with three typing slips.
clinet: Acme Manufacturing
provider: Contoso
effective: 2026-12-01
presets: [co-managed-tier3-escalation]
parties:
  client-exec: {name: Acme leadership, kind: client, staff: 3, hours: business-hours}
  client-it: {name: Acme IT, kind: client, staff: 2, hours: business-hours}
  msp: {name: Contoso, kind: msp, staff: 40, hours: 24x7}
assignments:
  servicedesk.tier1: {client-it: A/R, mps: C, client-exec: X}
"""


def test_the_readme_shows_the_real_messages_for_typing_slips(run, tmp_path, monkeypatch):
    (tmp_path / "acme.raci.yaml").write_text(README_TYPOS)
    monkeypatch.chdir(tmp_path)
    result = run("check", "acme.raci.yaml")
    assert result.exit_code == 2
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```console\n$ raci check acme.raci.yaml\n{result.stderr}```\n" in readme
