"""`raci import WORKBOOK --into ENGAGEMENT`: a workshop's edits merged into the engagement file in place, every
comment kept, only the edited entries' lines changed, conflicts refused, and the merge listed."""

from __future__ import annotations

import difflib
import shutil

from openpyxl import load_workbook
from paths import ROOT, SAMPLES

RIVERSIDE = SAMPLES / "riverside-clinic.raci.yaml"


def workshop(run, tmp_path, **edits):
    """Render the Riverside sample into tmp_path, then edit the workbook as a workshop would."""
    eng = tmp_path / "riverside.raci.yaml"
    shutil.copy(RIVERSIDE, eng)
    xlsx = tmp_path / "riverside.xlsx"
    assert run("render", eng, "--xlsx", xlsx).exit_code == 0
    wb = load_workbook(xlsx)
    matrix = wb["Matrix"]
    key = [c.value for c in matrix[1]].index("ID")  # the ID column, after the notes
    rows = {row[key].value: row[key].row for row in matrix.iter_rows(min_row=2) if row[key].value}
    for key, value in edits.items():
        sheet, _, cell = key.partition("__")
        if sheet == "Matrix" and "_" in cell:  # Matrix__<column letter>_<activity id with dots as _>
            column, aid = cell.split("_", 1)
            cell = f"{column}{rows[aid.replace('_', '.', 1)]}"
        wb[sheet.replace("_", "-")][cell].value = value
    wb.save(xlsx)
    return eng, xlsx


WORKSHOP = {
    "Matrix__C_backup_restore-testing": "C",  # Riverside IT: R -> C
    "Matrix__D_backup_restore-testing": "A/R",  # Cascade: R -> A/R
    "Matrix__J_servicedesk_tier2": 'Cascade is consulted on escalations, "per" the SOW',
    "Matrix__D1": "Cascade Managed IT, Inc.",  # the MSP renamed in its column header
    "SLAs__D2": "30 minutes",  # tier 1 response 15m -> 30m
    "Exclusions__A5": "projects.management",  # a row added
    "Cover__B8": "2.2",  # version
    "Cover__B9": "2027-01-01",  # effective date
}


def test_a_workshop_merged_into_the_riverside_sample_changes_only_the_edited_lines(run, tmp_path):
    eng, xlsx = workshop(run, tmp_path, **WORKSHOP)
    before = eng.read_text()
    result = run("import", xlsx, "--into", eng)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == (
        f"Merged 7 changes from {xlsx} into {eng}:\n"
        '  version: "2.1" -> "2.2"\n'
        "  effective: 2026-12-01 -> 2027-01-01\n"
        "  parties msp: {name: Cascade Managed IT, kind: msp, staff: 45, hours: 24x7} -> "
        "{name: 'Cascade Managed IT, Inc.', kind: msp, staff: 45, hours: 24x7}\n"
        "  assignments backup.restore-testing: {msp: R, client-it: R, client-exec: I} -> "
        "{msp: A/R, client-it: C, client-exec: I}\n"
        "  exclusions projects.management: now out of scope\n"
        '  notes servicedesk.tier2: added "Cascade is consulted on escalations, \\"per\\" the SOW"\n'
        "  sla servicedesk.tier1: {response: 15m, resolution: 4h} -> {response: 30m, resolution: 4h}\n"
    )
    after = eng.read_text()
    old, new = before.splitlines(), after.splitlines()
    diff = [line for line in difflib.unified_diff(old, new, lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff == [
        '-version: "2.1"',
        "-effective: 2026-12-01",
        '+version: "2.2"',
        "+effective: 2027-01-01",
        "-  msp: {name: Cascade Managed IT, kind: msp, staff: 45, hours: 24x7}",
        "+  msp: {name: 'Cascade Managed IT, Inc.', kind: msp, staff: 45, hours: 24x7}",
        "-  backup.restore-testing: {msp: R, client-it: R, client-exec: I}",
        "+  backup.restore-testing: {msp: A/R, client-it: C, client-exec: I}",
        "+  - projects.management",
        '+  servicedesk.tier2: "Cascade is consulted on escalations, \\"per\\" the SOW"',
        "-  servicedesk.tier1: {response: 15m, resolution: 4h}",
        "+  servicedesk.tier1: {response: 30m, resolution: 4h}",
    ]
    comments = [line for line in old if "#" in line]
    assert len(comments) == 16
    assert [line for line in new if "#" in line] == comments  # every comment line, in place and unchanged
    # and the file says exactly what the workshop said: importing the workbook to a new file gives the same
    assert run("import", xlsx, "-o", tmp_path / "fresh.raci.yaml").exit_code == 0
    assert run("diff", eng, tmp_path / "fresh.raci.yaml").stdout.endswith(
        "\nNo changes: every activity has the same roles for every party in both windows.\n")


def test_raci_diff_of_the_engagement_before_and_after_the_workshop_shows_every_kind_of_change(run, tmp_path):
    eng, xlsx = workshop(run, tmp_path, **WORKSHOP)
    shutil.copy(eng, tmp_path / "before.raci.yaml")
    assert run("import", xlsx, "--into", eng).exit_code == 0
    text = run("diff", tmp_path / "before.raci.yaml", eng).stdout
    for heading in ("Engagement (2)", "Parties (1)", "Notes (1)", "Service levels (1)", "Exclusions (1)"):
        assert f"\n{heading}\n" in text
    assert "backup.restore-testing" in text and "servicedesk.tier2" in text
    assert "  msp (Cascade Managed IT): name 'Cascade Managed IT' -> 'Cascade Managed IT, Inc.'\n" in text


def test_importing_the_same_workshop_twice_changes_nothing_the_second_time(run, tmp_path):
    eng, xlsx = workshop(run, tmp_path, **WORKSHOP)
    assert run("import", xlsx, "--into", eng).exit_code == 0
    once = eng.read_bytes()
    result = run("import", xlsx, "--into", eng)
    assert (result.exit_code, result.stdout) == (0, f"{eng} already holds every edit in {xlsx}; nothing to merge.\n")
    assert eng.read_bytes() == once


def test_an_untouched_workbook_has_nothing_to_merge(run, tmp_path):
    eng, xlsx = workshop(run, tmp_path)
    result = run("import", xlsx, "--into", eng)
    assert (result.exit_code, result.stdout) == (0, f"No edits in {xlsx}; nothing to merge.\n")
    assert eng.read_text() == RIVERSIDE.read_text()


def test_an_entry_changed_in_the_file_and_in_the_workshop_is_a_conflict_and_nothing_is_written(run, tmp_path):
    eng, xlsx = workshop(run, tmp_path, **WORKSHOP)
    text = eng.read_text().replace("backup.restore-testing: {msp: R, client-it: R,", "backup.restore-testing: {msp: A/R, client-it: R,")
    eng.write_text(text)
    result = run("import", xlsx, "--into", eng)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {eng}: assignments backup.restore-testing: the workshop made it {{client-exec: I, client-it: C, msp: A/R}}, "
        "but the file has changed it since the workbook was rendered ({msp: R, client-it: R, client-exec: I} -> "
        "{msp: A/R, client-it: R, client-exec: I}); nothing was written (pass --force to take the workshop's)\n"
    )
    assert eng.read_text() == text
    forced = run("import", xlsx, "--into", eng, "--force")
    assert forced.exit_code == 0
    assert "  backup.restore-testing: {msp: A/R, client-it: C, client-exec: I}\n" in eng.read_text()


def test_an_entry_the_workshop_removed_goes_with_its_comment_and_the_comment_is_named(run, tmp_path):
    # the GAP exclusion row deleted on the Exclusions sheet: the activity comes back in scope
    eng, xlsx = workshop(run, tmp_path, Exclusions__A4=None, Exclusions__B4=None, Exclusions__C4=None, Exclusions__D4=None)
    result = run("import", xlsx, "--into", eng)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Merged 1 change from {xlsx} into {eng}:\n"
        "  exclusions security.log-retention: back in scope; with its comment: "
        "# GAP: HIPAA needs audit logs kept; nobody keeps them now\n"
    )
    assert "security.log-retention" not in eng.read_text()
    assert eng.read_text() == RIVERSIDE.read_text().replace(
        "  - security.log-retention     # GAP: HIPAA needs audit logs kept; nobody keeps them now\n", "")


def test_crlf_line_ends_and_a_byte_order_mark_are_kept(run, tmp_path):
    eng, xlsx = workshop(run, tmp_path, Cover__B8="2.2")
    eng.write_bytes(b"\xef\xbb\xbf" + RIVERSIDE.read_bytes().replace(b"\n", b"\r\n"))
    assert run("import", xlsx, "--into", eng).exit_code == 0
    expected = RIVERSIDE.read_bytes().replace(b'version: "2.1"', b'version: "2.2"').replace(b"\n", b"\r\n")
    assert eng.read_bytes() == b"\xef\xbb\xbf" + expected


def test_into_takes_only_a_workbook_raci_rendered_and_an_existing_engagement(run, tmp_path):
    eng, xlsx = workshop(run, tmp_path)
    contract = SAMPLES / "contracts" / "exhibit-b-grid.xlsx"
    result = run("import", contract, "--into", eng)
    assert (result.exit_code, result.stderr) == (2, f"Error: {contract}: --into merges a workbook made by 'raci render'; "
                                                    "this is another kind of document: write a new engagement with -o\n")
    missing = tmp_path / "missing.raci.yaml"
    result = run("import", xlsx, "--into", missing)
    assert (result.exit_code, result.stderr) == (2, f"Error: {missing}: no such file; to write a new engagement use -o\n")
    assert not missing.exists()
    both = run("import", xlsx, "--into", eng, "-o", tmp_path / "x.raci.yaml")
    assert both.exit_code == 2
    assert both.stderr.endswith("Error: give either -o NEW (write a new engagement) or --into ENGAGEMENT (merge into one)\n")
    assert eng.read_text() == RIVERSIDE.read_text()


def test_the_readme_shows_the_real_merge_and_its_git_diff(run, tmp_path, monkeypatch):
    eng, xlsx = workshop(run, tmp_path, **{"Matrix__C_backup_restore-testing": "C", "Matrix__D_backup_restore-testing": "A/R",
                                           "Matrix__J_servicedesk_tier2": "Cascade joins calls on escalated tickets",
                                           "Cover__B8": "2.2"})
    monkeypatch.chdir(tmp_path)
    before = eng.read_text().splitlines()
    result = run("import", "riverside.xlsx", "--into", "riverside.raci.yaml")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```console\n$ raci import riverside.xlsx --into riverside.raci.yaml\n{result.stdout}```\n" in readme
    changed = [line for line in difflib.unified_diff(before, eng.read_text().splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert "```diff\n" + "\n".join(changed) + "\n```\n" in readme
