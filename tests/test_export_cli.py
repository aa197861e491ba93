"""``raci export`` on the command line: formats, refusals, bad input, and nothing written when anything fails."""

from __future__ import annotations

import pytest
from paths import DATA, SAMPLES

RIVERSIDE = SAMPLES / "riverside-clinic.raci.yaml"


@pytest.mark.parametrize("fmt, name, said", [
    ("oscal", "ssp.json", "oscal: 239 controls"),
    ("fedramp-crm", "crm.xlsx", "fedramp-crm: 239 controls"),
    ("caiq", "caiq.xlsx", "caiq: 133 CCM controls"),
    ("cmmc-md", "crm.md", "cmmc-md: 92 requirements"),
    ("csv", "roles.csv", "csv: 307 roles"),
])
def test_riverside_exports_in_every_format(run, tmp_path, fmt, name, said):
    out = tmp_path / name
    res = run("export", RIVERSIDE, "--to", fmt, "-o", out)
    assert (res.exit_code, res.stdout, res.stderr) == (0, "", f"Wrote {out} ({said}).\n")
    assert out.stat().st_size > 1000
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left beside it


def test_an_existing_output_is_kept_unless_forced(run, tmp_path):
    out = tmp_path / "crm.md"
    out.write_text("mine", encoding="utf-8")
    res = run("export", RIVERSIDE, "--to", "cmmc-md", "-o", out)
    assert (res.exit_code, res.stderr) == (2, f"Error: {out} already exists; pass --force to replace it\n")
    assert out.read_text(encoding="utf-8") == "mine"
    assert run("export", RIVERSIDE, "--to", "cmmc-md", "-o", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Riverside Family Clinic: CMMC customer responsibility matrix")


def test_never_writes_over_its_input(run, tmp_path):
    engagement = tmp_path / "acme.raci.yaml"
    engagement.write_bytes(RIVERSIDE.read_bytes())
    res = run("export", engagement, "--to", "csv", "-o", engagement, "--force")
    assert (res.exit_code, res.stderr) == (2, f"Error: {engagement}: refusing to write over the input file {engagement}\n")
    assert engagement.read_bytes() == RIVERSIDE.read_bytes()


def test_a_bad_engagement_is_one_line_and_nothing_is_written(run, tmp_path):
    bad = tmp_path / "bad.raci.yaml"
    bad.write_text("client: Acme\npresets: [fully-managed]\nparties:\n  msp: {name: Contoso, kind: msp, staff: 4, hours: 24x7}\n"
                   "assignments:\n  backup.design: {msp: Q}\n", encoding="utf-8")
    out = tmp_path / "crm.xlsx"
    res = run("export", bad, "--to", "fedramp-crm", "-o", out)
    assert res.exit_code == 2
    assert res.stderr.startswith(f"Error: {bad}:6: ")
    assert "Traceback" not in res.stderr + res.stdout
    assert not out.exists()


def test_format_and_output_are_required(run, tmp_path):
    res = run("export", RIVERSIDE, "-o", tmp_path / "x.csv")
    assert res.exit_code == 2 and "Missing option '--to'" in res.stderr
    res = run("export", RIVERSIDE, "--to", "pdf", "-o", tmp_path / "x.pdf")
    assert res.exit_code == 2 and "'pdf' is not one of 'oscal', 'fedramp-crm', 'caiq', 'cmmc-md', 'csv'" in res.stderr


def test_help_has_an_example(run):
    res = run("export", "--help")
    assert res.exit_code == 0
    assert "raci export acme.raci.yaml --to fedramp-crm -o acme-crm.xlsx" in res.stdout
    assert "raci check acme.raci.yaml --upstream cloud-crm.xlsx" in run("check", "--help").stdout


def test_a_custom_catalog_without_controls_exports_empty_tables(run, tmp_path):
    """The mini catalog names no controls: the control formats hold a header and no rows, the CSV every role."""
    out = tmp_path / "crm.md"
    res = run("export", DATA / "engagements" / "good.raci.yaml", "--to", "cmmc-md", "-o", out, catalog=DATA / "mini")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == f"Wrote {out} (cmmc-md: 0 requirements).\n"


def test_the_readme_excerpt_is_word_for_word_true(run, tmp_path, monkeypatch):
    from paths import ROOT

    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("$ raci export samples/riverside-clinic.raci.yaml --to fedramp-crm -o riverside-crm.xlsx")
    block = lines[start:lines.index("```", start)]
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / RIVERSIDE.name).write_bytes(RIVERSIDE.read_bytes())
    monkeypatch.chdir(tmp_path)
    for command, said in zip(block[::2], block[1::2]):
        res = run(*command.split()[2:])
        assert (res.exit_code, res.stderr) == (0, said + "\n"), command
