"""Engagement, map and catalog inputs end in seconds with exit 2 and one clear line per problem: wrong types at
their line, FIFOs and devices refused by name before they are opened, sizes and counts bounded, nothing written."""

from __future__ import annotations

import errno
import os
import shutil
import signal
from pathlib import Path

import pytest
from paths import DATA, MINI, SAMPLES

from raci.engagement import load_engagement, loads_engagement
from raci.errors import EngagementError, InputError, Problem
from raci.inputs import MB, read_input_bytes

HOSTILE = DATA / "hostile" / "engagements"
GOOD = DATA / "engagements" / "good.raci.yaml"
CONTRACT = SAMPLES / "contracts" / "exhibit-b-grid.xlsx"
TOP = ("client, provider, version, effective, presets, profile, parties, assignments, exclusions, notes, internal_notes, sla, "
       "thresholds, contract_rows, commercial")
HEAD = ("client: Acme\npresets: [in-house]\nparties:\n  client-exec: {name: Acme leadership, kind: client, staff: 3}\n"
        "  client-it: {name: Acme IT, kind: client, staff: 2, hours: 24x7}\n")


@pytest.fixture
def deadline():
    """Fail a test that blocks (a FIFO opened for reading waits for a writer forever) instead of hanging the suite."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def _timeout(signum, frame):
        raise TimeoutError("blocked for 20 s")

    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def refused(run, *args, catalog=MINI) -> list[str]:
    res = run(*args, catalog=catalog)
    assert res.exit_code == 2, res.output
    assert res.stdout == ""
    assert "Traceback" not in res.stderr
    return res.stderr.splitlines()


def render_refused(run, tmp_path, engagement, catalog=MINI) -> list[str]:
    """``raci render`` of ``engagement`` fails with exit 2 and writes nothing; its error lines."""
    before = set(tmp_path.iterdir())
    lines = refused(run, "render", engagement, "--md", tmp_path / "out.md", "--xlsx", tmp_path / "out.xlsx", catalog=catalog)
    assert set(tmp_path.iterdir()) == before
    return lines


WRONG_TYPES = {
    "presets-list-in-list": [":2: presets holds ['in-house'], which is a list, not one of the preset ids"],
    "presets-mapping-item": [":2: presets holds {'in-house': true}, which is a mapping, not one of the preset ids"],
    "presets-mapping": [":2: presets must be a list of preset ids, not a mapping"],
    "compliance-mapping": [":6: compliance must be a list of framework ids, not a mapping"],
    "compliance-empty-mapping": [":6: compliance must be a list of framework ids, not a mapping"],
    "compliance-mapping-item": [":6: compliance holds {'hipaa': true}, which is a mapping, not one of the framework ids"],
    "profile-list": [":6: profile must be a mapping (employees, it_staff, compliance), not a list"],
    "exclusions-list-in-list": [":6: exclusions holds ['servicedesk.tier1'], which is a list, not one of the activity ids"],
    "exclusions-mapping": [":6: exclusions must be a list of activity ids, not a mapping"],
    "parties-wrong-types": [
        ":5: party client-it: expected {name, kind, staff, hours}",
        ":6: party msp: kind must be one of client, msp, vendor, not ['msp']",
        ":6: party msp: hours must be business-hours or 24x7, not {'24x7': true}",
        ":6: party msp: staff must be a whole number of at least 0, not [3]",
        ":6: party msp: name must be text, not a list",
    ],
    "assignments-list": [
        ":6: servicedesk.tier1: expected a mapping of party: letter",
        ":6: unknown activity 'x' in assignments",
        ":6: monitoring.patching: ['A'] for client-it is not a role letter (use R, A, C, I or A/R)",
        ":6: monitoring.patching after-hours: expected a mapping of party: letter",
    ],
    "party-key-number": [
        ":6: servicedesk.tier1: 1 is not a valid party id",
        ":6: servicedesk.tier1: null is not a valid party id",
    ],
    "keys-numbers": [
        f":6: unknown key 1 (allowed: {TOP})",
        f":7: unknown key 2026-01-01 (allowed: {TOP})",
        f":8: unknown key 1.5 (allowed: {TOP})",
        f":9: unknown key null (allowed: {TOP})",
        ":10: unknown activity 7 in assignments",
    ],
    "key-list": [":6: a mapping key must be a plain value"],
    "notes-list": [
        ":6: note for servicedesk.tier1 must be text, not a list",
        ":6: note for servicedesk.tier2 must be text, not a mapping",
        ":6: note for monitoring.patching must be text, not true (true/false)",
    ],
    "sla-wrong-types": [
        ":6: sla response for servicedesk.tier1 must be a duration such as 15m, 4h, 2d or 3bd, not [1]",
        ":6: sla resolution for servicedesk.tier1 must be a duration such as 15m, 4h, 2d or 3bd, not {'h': 8}",
        ":6: sla for servicedesk.tier2 must be a mapping like {response: 30m, resolution: 8h}",
        ":6: unknown activity 'x' in sla",
    ],
    "thresholds-wrong-types": [":6: threshold r_per_staff must be a positive number, not [1]"],
    "thresholds-not-finite": [":6: threshold r_per_staff must be a positive number, not inf"],
    "text-wrong-types": [
        ":6: provider must be text, not a list",
        ":7: version must be text, not a mapping",
        ":8: effective must be a date like 2026-12-01, not [2026-12-01]",
    ],
    "contract-rows-wrong-types": [
        ":7: each contract row needs at least a label",
        ":8: a contract row's roles and cells must be mappings",
        ":9: contract row 'Backups': ['R'] is not a role letter",
        ":9: contract row 'Backups': cell 'IT' must be text, not a list",
        ":9: contract row 'Backups': unknown activity ['monitoring.patching']",
        ":10: contract row 'Desk': sheet must be text, not a list",
        ":10: contract row 'Desk': column must be text, not a mapping",
        ":10: contract row 'Desk': note must be text, not a list",
        ":10: contract row 'Desk': row must be a whole number, not '3'",
        ":10: contract row 'Desk': shared must be true or false, not 'yes'",
        ":10: contract row 'Desk': unreadable must be a list of column headers, not 7",
        ":10: contract row 'Desk': extra_cost must be a list of column headers, not {'IT': 1}",
        ":11: each contract row needs at least a label",
    ],
}


def test_every_wrong_type_fixture_is_tested():
    assert sorted(p.name.removesuffix(".raci.yaml") for p in HOSTILE.glob("*.raci.yaml")) == sorted(WRONG_TYPES)


@pytest.mark.parametrize("name", sorted(WRONG_TYPES))
def test_a_value_of_the_wrong_type_is_an_error_at_its_line(run, tmp_path, name):
    path = HOSTILE / f"{name}.raci.yaml"
    expected = [f"Error: {path}{line}" for line in WRONG_TYPES[name]]
    assert refused(run, "check", path) == expected
    assert render_refused(run, tmp_path, path) == expected


# --------------------------------------------------------------------------- not a regular file


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_the_engagement_is_refused_without_opening_it(run, tmp_path, deadline):
    fifo = tmp_path / "acme.raci.yaml"
    os.mkfifo(fifo)
    expected = [f"Error: {fifo}: is not a regular file (a named pipe)"]
    assert refused(run, "check", fifo) == expected
    assert render_refused(run, tmp_path, fifo) == expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", ["audit", "import"])
def test_a_fifo_as_the_map_is_refused_without_opening_it(run, tmp_path, deadline, command):
    fifo = tmp_path / "rows.map.yaml"
    os.mkfifo(fifo)
    out = tmp_path / ("report.txt" if command == "audit" else "new.raci.yaml")
    assert refused(run, command, CONTRACT, "--map", fifo, "-o", out) == [f"Error: {fifo}: is not a regular file (a named pipe)"]
    assert not out.exists()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_dev_zero_as_the_engagement_or_the_map_is_refused(run, tmp_path):
    expected = ["Error: /dev/zero: is not a regular file (a character device)"]
    assert render_refused(run, tmp_path, "/dev/zero") == expected
    assert refused(run, "audit", CONTRACT, "--map", "/dev/zero", "-o", tmp_path / "report.txt") == expected
    assert not (tmp_path / "report.txt").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_os_errors_are_one_line_each(run, tmp_path):
    loop = tmp_path / "loop.raci.yaml"
    os.symlink(tmp_path / "other.raci.yaml", loop)
    os.symlink(loop, tmp_path / "other.raci.yaml")
    assert render_refused(run, tmp_path, loop) == [f"Error: {loop}: cannot be read: {os.strerror(errno.ELOOP)}"]
    long = tmp_path / ("x" * 300 + ".raci.yaml")
    assert render_refused(run, tmp_path, long) == [f"Error: {long}: cannot be read: {os.strerror(errno.ENAMETOOLONG)}"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_one_line(run, tmp_path):
    locked = tmp_path / "locked.raci.yaml"
    shutil.copy(GOOD, locked)
    locked.chmod(0)
    try:
        assert render_refused(run, tmp_path, locked) == [f"Error: {locked}: cannot be read: {os.strerror(errno.EACCES)}"]
    finally:
        locked.chmod(0o600)


# --------------------------------------------------------------------------- sizes


def test_an_engagement_or_map_over_20_mb_is_refused_before_reading(run, tmp_path):
    big = tmp_path / "big.raci.yaml"
    with open(big, "wb") as fh:
        fh.truncate(20 * MB + 1)  # sparse: costs nothing, and is never read
    assert render_refused(run, tmp_path, big) == [
        f"Error: {big}: is larger than the 20 MB limit for an engagement file (20,971,521 bytes)"]
    assert refused(run, "audit", CONTRACT, "--map", big) == [
        f"Error: {big}: is larger than the 20 MB limit for a map file (20,971,521 bytes)"]


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc here")
def test_a_file_that_reads_longer_than_its_stated_size_is_cut_off_at_the_limit():
    # /proc files say they are empty and then hold text: the bound holds while reading, not only at the stat
    with pytest.raises(InputError) as exc:
        read_input_bytes("/proc/self/status", 10, "a test file")
    assert exc.value.lines() == ["/proc/self/status: is larger than the 10 bytes limit for a test file"]


def test_a_note_longer_than_an_excel_cell_is_refused(run, tmp_path):
    path = tmp_path / "long.raci.yaml"
    path.write_text(HEAD + f"notes: {{servicedesk.tier1: {'x' * 32_768}}}\n", encoding="utf-8")
    assert render_refused(run, tmp_path, path) == [
        f"Error: {path}:6: note for servicedesk.tier1 is 32,768 characters long, more than the limit of 32,767 "
        "(an Excel cell holds no more)"]
    path.write_text(HEAD + f"notes: {{servicedesk.tier1: {'x' * 32_767}}}\n", encoding="utf-8")
    assert load_engagement(path, _mini()).notes["servicedesk.tier1"] == "x" * 32_767


def test_more_assignments_than_ten_per_catalog_activity_is_one_line(run, tmp_path):
    path = tmp_path / "many.raci.yaml"
    rows = "".join(f"  servicedesk.t{i}: {{client-it: R}}\n" for i in range(1001))
    path.write_text(HEAD + "assignments:\n" + rows, encoding="utf-8")
    assert render_refused(run, tmp_path, path) == [
        f"Error: {path}:6: assignments holds 1,001 entries, more than the limit of 1,000"]


# --------------------------------------------------------------------------- exclusions and error counts


def test_twenty_thousand_exclusions_are_refused_in_one_line(run, tmp_path):
    path = tmp_path / "stars.raci.yaml"
    path.write_text(HEAD + "exclusions:\n" + "  - '*'\n" * 20_000, encoding="utf-8")
    assert render_refused(run, tmp_path, path) == [
        f"Error: {path}:6: exclusions holds 20,000 entries, more than the limit of 10,000"]


def test_a_repeated_exclusion_is_matched_once(run, tmp_path):
    path = tmp_path / "stars.raci.yaml"
    path.write_text(HEAD + "exclusions:\n" + "  - '*'\n" * 9_999 + "  - servicedesk.tier1\n", encoding="utf-8")
    eng = load_engagement(path, _mini())
    assert eng.exclusions == ["*", "servicedesk.tier1"]
    res = run("render", path, "--md", tmp_path / "out.md", catalog=MINI)
    assert res.exit_code == 0, res.stderr
    md = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert md.count("servicedesk.tier1") <= 3  # once from '*', once as written, not 9,999 times


def test_exclusions_covering_too_many_activities_in_all_are_refused(monkeypatch):
    import raci.engagement.parse as parse

    monkeypatch.setattr(parse, "MAX_EXCLUDED_ROWS", 20)
    text = HEAD + "exclusions: ['*', '**', '***']\n"
    with pytest.raises(EngagementError) as exc:
        loads_engagement(text, _mini(), "x.raci.yaml")
    assert exc.value.lines() == ["x.raci.yaml:6: exclusions match more than the limit of 20 activities in all (each "
                                 "pattern's matches counted)"]


def test_a_million_unknown_keys_print_a_hundred_lines_and_a_count(run, tmp_path):
    path = tmp_path / "keys.raci.yaml"
    path.write_text(HEAD + "".join(f"k{i}: 1\n" for i in range(1_000_000)), encoding="utf-8")
    lines = render_refused(run, tmp_path, path)
    assert len(lines) == 101
    assert lines[0] == f"Error: {path}:6: unknown key 'k0' (allowed: {TOP})"
    assert lines[-1] == f"Error: ... and 999,900 more problems in {path}"


def test_problems_past_a_hundred_are_counted_by_file():
    problems = [Problem("a.yaml", f"p{i}", i) for i in range(120)] + [Problem("b.yaml", "q", 1)] * 5
    lines = InputError(problems, {"c.yaml": 3}).lines()
    assert lines[:2] == ["a.yaml:0: p0", "a.yaml:1: p1"]
    assert len(lines) == 101
    assert lines[-1] == "... and 28 more problems in 3 files"
    assert InputError(problems[:101]).lines()[-1] == "... and 1 more problem in a.yaml"
    assert InputError(problems[:100]).lines()[-1] == "a.yaml:99: p99"


# --------------------------------------------------------------------------- maps and catalogs


@pytest.mark.parametrize(("text", "expected"), [
    ("Patching: [servicedesk.tier1]\n", ":1: 'Patching': expected an activity id or 'ignore', not ['servicedesk.tier1']"),
    ("rows: {Patching: {a: b}}\n", ":1: 'Patching': expected an activity id or 'ignore', not {'a': 'b'}"),
    ("parties: {Contoso: [msp]}\n", ":1: party 'Contoso': kind must be one of client, msp, vendor, not ['msp']"),
    ("1: servicedesk.tier9\n", ":1: '1': unknown activity 'servicedesk.tier9' (use an id from 'raci catalog', or ignore)"),
])
def test_a_map_of_wrong_types_is_refused_at_its_line(run, tmp_path, text, expected):
    path = tmp_path / "rows.map.yaml"
    path.write_text(text, encoding="utf-8")
    assert refused(run, "audit", CONTRACT, "--map", path) == [f"Error: {path}{expected}"]


def test_a_map_of_too_many_labels_is_one_line(run, tmp_path, monkeypatch):
    import raci.contracts.maps as maps

    monkeypatch.setattr(maps, "MAX_ROWS", 3)
    path = tmp_path / "rows.map.yaml"
    path.write_text("rows:\n" + "".join(f"  label {i}: ignore\n" for i in range(4)), encoding="utf-8")
    assert refused(run, "audit", CONTRACT, "--map", path) == [f"Error: {path}:2: rows holds 4 entries, more than the limit of 3"]


def _catalog_copy(tmp_path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    return root


def test_catalog_texts_of_the_wrong_type_are_errors_at_their_line(run, tmp_path):
    root = _catalog_copy(tmp_path)
    preset = root / "presets" / "in-house.yaml"
    preset.write_text(preset.read_text().replace("name: In-house", "name: [In-house]"))
    domain = root / "domains" / "01-servicedesk.yaml"
    domain.write_text(domain.read_text().replace("{id: servicedesk, name: Service desk}",
                                                 "{id: servicedesk, name: Service desk, description: {a: b}}"))
    frameworks = root / "frameworks.yaml"
    frameworks.write_text(frameworks.read_text().replace("name: PCI DSS", "name: [PCI, DSS]"))
    assert refused(run, "catalog", catalog=root) == [
        f"Error: {frameworks}:4: framework name must be text, not a list",
        f"Error: {domain}:2: domain description must be text, not a mapping",
        f"Error: {preset}:3: preset name must be text, not a list",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_catalog_folder_is_refused(run, tmp_path, deadline):
    root = _catalog_copy(tmp_path)
    fifo = root / "domains" / "04-pipe.yaml"
    os.mkfifo(fifo)
    assert refused(run, "catalog", catalog=root) == [f"Error: {fifo}: is not a regular file (a named pipe)"]


def _mini():
    from raci.catalog import load_catalog

    return load_catalog(MINI)
