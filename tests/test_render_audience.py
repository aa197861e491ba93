"""`raci render --md` for a client and for the provider's own team: nothing internal and no path of the machine in a
client appendix, DRAFT while `raci check` errors are open, the sign-off of the contracting entities, and a render
that gives the same bytes whatever the output is called."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from paths import SAMPLES

from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.engagement import load_engagement, resolve
from raci.markdown import md_escape

INTERNAL_NOTE = "Cascade's margin on leavers is thin; raise it at the QBR"
INTERNAL_NOTE_2 = "Do not quote EHR support separately"


@pytest.fixture
def riverside(tmp_path):
    """The Riverside sample with internal notes planted, and a hand-off chain across the three organisations (an info
    finding: how-to questions wait on ticket intake, which waits on a ticketing platform the EHR vendor runs), in a
    folder of the test's own."""
    path = tmp_path / "clients" / "riverside-clinic.raci.yaml"
    path.parent.mkdir()
    text = (SAMPLES / "riverside-clinic.raci.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("\nassignments:\n", "\nassignments:\n  servicedesk.how-to: {client-it: A/R, msp: C}\n"
                                 "  servicedesk.intake: {msp: A/R, client-it: C}\n"
                                 "  tooling.psa-ticketing: {ehr-vendor: A/R, msp: C}\n", 1), encoding="utf-8")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f'\ninternal_notes:\n  identity.leavers: "{INTERNAL_NOTE}"\n  vendors.lob-support: "{INTERNAL_NOTE_2}"\n')
    return path


def _render(run, monkeypatch, riverside, out, *options):
    """Render as a user would type it, with the absolute paths in argv that the provenance must drop."""
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/raci", "render", str(riverside), "--md", str(out), *options])
    result = run("render", riverside, "--md", out, *options)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _info_messages(riverside) -> list[str]:
    cat = load_catalog()
    matrix = resolve(load_engagement(riverside, cat), cat)
    messages = [f.message for f in run_checks(matrix) if f.severity == "info"]
    assert messages
    return messages


def _no_machine_paths(text: str, tmp_path) -> None:
    assert "/tmp" not in text and "/home" not in text and "/usr" not in text
    assert str(tmp_path) not in text
    assert not re.search(r"(?<![\w.])/[A-Za-z]+/", text)  # no absolute path at all ("break/fix" is not one)


def test_a_client_appendix_holds_no_tool_internals_and_no_machine_path(run, monkeypatch, riverside, tmp_path):
    text = _render(run, monkeypatch, riverside, tmp_path / "riverside.md")
    for preset in load_catalog().presets:
        assert preset not in text
    assert "Co-managed, tier 3 escalation + Co-managed, after hours + Co-managed, hybrid expertise" in text
    assert "Check" not in text
    assert "preset-override" not in text and " info " not in text
    for message in _info_messages(riverside):
        assert md_escape(message) not in text
    assert "raci render" not in text and "--md" not in text and "command" not in text
    assert INTERNAL_NOTE not in text and INTERNAL_NOTE_2 not in text and "Internal notes" not in text
    _no_machine_paths(text, tmp_path)
    assert "8 errors, 8 warnings when this appendix was generated." in text


def test_an_internal_appendix_keeps_them_and_still_names_no_machine_path(run, monkeypatch, riverside, tmp_path):
    text = _render(run, monkeypatch, riverside, tmp_path / "riverside.md", "--audience", "internal")
    assert "- **Presets:** co-managed-tier3-escalation, co-managed-after-hours, co-managed-hybrid-expertise\n" in text
    assert re.search(r"^\| ID +\| Activity .*\| Notes +\| Check +\|$", text, re.M)
    assert re.search(r"^\| identity\.leavers .*\| no-accountable, compliance-gap, shared-responsible \|$", text, re.M)
    for message in _info_messages(riverside):
        assert md_escape(message) in text
    assert "8 errors, 8 warnings, 7 notes when this appendix was generated." in text
    assert ("with the command: raci render riverside-clinic.raci.yaml --audience internal\n") in text
    assert "## Internal notes\n" in text and INTERNAL_NOTE in text and INTERNAL_NOTE_2 in text
    _no_machine_paths(text, tmp_path)


@pytest.mark.parametrize("audience", ["client", "internal"])
def test_rendering_again_to_another_name_gives_the_same_bytes(run, monkeypatch, riverside, tmp_path, audience):
    first = _render(run, monkeypatch, riverside, tmp_path / "first.md", "--audience", audience)
    (tmp_path / "elsewhere").mkdir()
    second = _render(run, monkeypatch, riverside, tmp_path / "elsewhere" / "second-name.md", "--audience", audience)
    assert (tmp_path / "first.md").read_bytes() == (tmp_path / "elsewhere" / "second-name.md").read_bytes()
    assert first == second and "first" not in first


def test_open_errors_mark_the_title_and_sign_off_draft_until_allowed(run, monkeypatch, riverside, tmp_path):
    draft = _render(run, monkeypatch, riverside, tmp_path / "draft.md")
    assert draft.startswith("# DRAFT — Responsibility matrix: Riverside Family Clinic\n\n> DRAFT: not for signature. ")
    assert "\n## Acceptance — DRAFT, not for signature\n" in draft
    signoff = draft.split("## Acceptance")[1]
    assert "Open errors:" in signoff
    assert len(re.findall(r"^\| (uncovered-window|compliance-gap|no-accountable|multiple-accountable|non-delegable) ",
                          signoff, re.M)) == 8
    assert "| Draft " in draft
    signed = _render(run, monkeypatch, riverside, tmp_path / "signed.md", "--allow-open-findings")
    assert "DRAFT" not in signed
    assert signed.startswith("# Responsibility matrix: Riverside Family Clinic\n")
    assert "\n## Acceptance\n" in signed
    assert "They accept it with the 8 errors listed below still open." in signed
    assert "| For signature |" in signed


def test_the_sign_off_names_the_client_and_provider_with_lines_to_sign_on(run, monkeypatch, riverside, tmp_path):
    text = _render(run, monkeypatch, riverside, tmp_path / "signed.md", "--allow-open-findings")
    signoff = text.split("\n## Acceptance\n")[1]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in signoff.splitlines() if line.startswith("| ")]
    table = {row[0]: row[1:] for row in rows if row[0] in ("Signed for", "Signature", "Name", "Title", "Date")}
    assert table["Signed for"] == ["Client: Riverside Family Clinic", "Provider: Cascade Managed IT"]
    for field in ("Signature", "Name", "Title", "Date"):
        assert all(re.fullmatch(r"_{20,}", cell) for cell in table[field]), field
    assert "confirms that they have the authority to sign this appendix on behalf of the entity" in signoff
    # the contracting entities, not the teams or the EHR vendor
    assert "Riverside IT |" not in signoff and "ChartWell" not in signoff.split("| Signed for")[1]


def test_an_unknown_audience_is_a_usage_error(run, riverside, tmp_path):
    result = run("render", riverside, "--md", tmp_path / "x.md", "--audience", "board")
    assert result.exit_code == 2
    assert "Invalid value for '--audience'" in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_the_readme_shows_the_draft_headings_as_they_are_rendered(run, monkeypatch, riverside, tmp_path):
    from paths import ROOT

    text = _render(run, monkeypatch, riverside, tmp_path / "draft.md")
    headings = [line for line in text.splitlines() if line.startswith("#") and "DRAFT" in line]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```markdown\n" + "\n".join(headings) + "\n```\n" in readme


@pytest.mark.parametrize("options, workbook, markdown", [
    ((), "internal", "client"),  # each output's own reader: the workshop, the contract
    (("--audience", "client"), "client", "client"),
    (("--audience", "internal"), "internal", "internal"),
])
def test_audience_reaches_both_writers_and_each_has_its_own_default(run, monkeypatch, riverside, tmp_path, options,
                                                                      workbook, markdown):
    import raci.excel

    seen = []

    def fake_workbook(matrix, findings, path, *, command, audience, allow_open_findings):
        seen.append(audience)
        Path(path).write_bytes(b"workbook")

    monkeypatch.setattr(raci.excel, "write_workbook", fake_workbook)
    md = tmp_path / "out.md"
    result = run("render", riverside, "--xlsx", tmp_path / "out.xlsx", "--md", md, *options)
    assert result.exit_code == 0, result.output
    assert seen == [workbook]
    assert ("## Internal notes" in md.read_text(encoding="utf-8")) == (markdown == "internal")
