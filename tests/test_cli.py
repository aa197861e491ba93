"""The command line as a user meets it: exact output, exit codes, files written, help texts."""

from __future__ import annotations

import json

import pytest
from paths import DATA, MINI, ROOT

from raci.cli import cli

ENG = DATA / "engagements"
GAPS = ENG / "gaps.raci.yaml"


def test_check_text_report_is_grouped_by_severity(run):
    result = run("check", GAPS, catalog=MINI)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{GAPS}: 3 errors, 1 warning, 0 info\n"
        "\n"
        "Errors (3)\n"
        "  no-accountable        monitoring.patching: Nobody is accountable for Server patching.\n"
        "  compliance-gap        monitoring.patching: PCI DSS needs Server patching, but nobody owns it.\n"
        "  non-delegable         governance.risk-acceptance: Risk acceptance is a decision the client cannot hand over, "
        "but Contoso is accountable for it.\n"
        "\n"
        "Warnings (1)\n"
        "  shared-responsible    monitoring.patching: Acme IT and Contoso are both responsible for Server patching during "
        "business hours and no note says how the work is split, so expect it to be done (and billed) twice.\n"
    )
    assert result.stderr == ""


def test_check_json_has_findings_and_summary(run):
    result = run("check", GAPS, "--format", "json", catalog=MINI)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"] == {"error": 3, "warning": 1, "info": 0}
    assert data["findings"][2] == {
        "rule": "non-delegable", "severity": "error", "activity": "governance.risk-acceptance", "parties": ["msp"],
        "window": None, "message": "Risk acceptance is a decision the client cannot hand over, but Contoso is accountable for it.",
        "source": None,
    }


@pytest.mark.parametrize(("fail_on", "file", "code"), [
    ("error", "gaps.raci.yaml", 1),
    ("never", "gaps.raci.yaml", 0),
    ("warning", "gaps.raci.yaml", 1),
    ("error", "good.raci.yaml", 0),
    ("warning", "good.raci.yaml", 0),  # only an info finding
])
def test_fail_on_sets_the_exit_code(run, fail_on, file, code):
    assert run("check", ENG / file, "--fail-on", fail_on, catalog=MINI).exit_code == code


def test_clean_check_says_so(run):
    result = run("check", ENG / "good.raci.yaml", catalog=MINI)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{ENG / 'good.raci.yaml'}: 0 errors, 0 warnings, 1 info"


def test_new_writes_a_file_that_checks_clean(run, tmp_path):
    out = tmp_path / "acme.raci.yaml"
    result = run("new", "--preset", "co-managed-after-hours", "--client", "Acme", "--provider", "Contoso",
                 "--effective", "2026-12-01", "-o", out, catalog=MINI)
    assert result.exit_code == 0
    assert result.stderr == f"Wrote {out} (3 parties, presets: co-managed-after-hours).\n"
    text = out.read_text()
    assert "\nclient: Acme\nprovider: Contoso\n" in text
    assert "#   monitoring.alert-response: {client-it: A/R, after-hours: {msp: R, client-it: I}}" in text
    assert "\neffective: 2026-12-01\n" in text
    check = run("check", out, catalog=MINI)
    assert check.exit_code == 0
    assert check.stdout.startswith(f"{out}: 0 errors, 0 warnings, 0 info")


def test_new_without_an_effective_date_is_warned_by_check(run, tmp_path):
    out = tmp_path / "acme.raci.yaml"
    assert run("new", "--preset", "co-managed-after-hours", "--client", "Acme", "-o", out, catalog=MINI).exit_code == 0
    assert "\neffective: null\n" in out.read_text()
    check = run("check", out, catalog=MINI)
    assert check.exit_code == 0
    assert check.stdout == (
        f"{out}: 0 errors, 1 warning, 0 info\n"
        "\n"
        "Warnings (1)\n"
        "  no-effective-date     engagement: The engagement has no effective date: set 'effective' (e.g. 2026-12-01) "
        "before it is signed.\n"
    )


def test_new_refuses_to_overwrite_without_force(run, tmp_path):
    out = tmp_path / "acme.raci.yaml"
    out.write_text("my edits\n")
    result = run("new", "--preset", "in-house", "--client", "Acme", "-o", out, catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out} already exists; pass --force to replace it\n"
    assert out.read_text() == "my edits\n"
    assert run("new", "--preset", "in-house", "--client", "Acme", "-o", out, "--force", catalog=MINI).exit_code == 0
    assert out.read_text().startswith("# Engagement file written by raci")


def test_new_with_unknown_preset(run):
    result = run("new", "--preset", "half-managed", "--client", "Acme", catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == ("Error: unknown preset 'half-managed' (known: co-managed-after-hours, co-managed-tier3-escalation, "
                             "fully-managed, in-house)\n")


def test_new_to_stdout(run):
    result = run("new", "--preset", "fully-managed", "--client", "Acme", "--provider", "Contoso", catalog=MINI)
    assert result.exit_code == 0
    assert "  msp: {name: Contoso, kind: msp, staff: 25, hours: 24x7}\n" in result.stdout
    assert "client-it" not in result.stdout.split("parties:")[1].split("\n\n")[0]


def test_presets_list_and_matrix(run):
    listing = run("presets", catalog=MINI)
    assert listing.exit_code == 0
    assert listing.stdout.splitlines()[:4] == [
        "co-managed-after-hours       (extends in-house)  Co-managed after hours",
        "co-managed-tier3-escalation  (extends in-house)  Co-managed tier 3",
        "fully-managed                                    Fully managed",
        "in-house                                         In-house",
    ]
    shown = run("presets", "co-managed-after-hours", catalog=MINI)
    assert shown.exit_code == 0
    assert "  monitoring.alert-response  Alert response                     A/R (after hours: I)  - (after hours: R)" in shown.stdout
    data = json.loads(run("presets", "--format", "json", catalog=MINI).stdout)
    assert data["presets"][0] == {"id": "co-managed-after-hours", "name": "Co-managed after hours",
                                  "description": "Internal IT by day, the MSP after hours.", "extends": "in-house"}


def test_presets_combination_reports_the_override(run):
    shown = run("presets", "co-managed-tier3-escalation,co-managed-after-hours", catalog=MINI)
    assert shown.stdout.rstrip().endswith(
        "Note: co-managed-after-hours overrides co-managed-tier3-escalation for monitoring.alert-response.")
    data = json.loads(run("presets", "co-managed-tier3-escalation,co-managed-after-hours", "--format", "json", catalog=MINI).stdout)
    assert data["overrides"] == [{"activity": "monitoring.alert-response", "earlier": "co-managed-tier3-escalation",
                                  "later": "co-managed-after-hours"}]


def test_unknown_preset_name_is_a_usage_error(run):
    result = run("presets", "nope", catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: Invalid value for NAME: unknown preset 'nope' (known: co-managed-after-hours, "
                                  "co-managed-tier3-escalation, fully-managed, in-house)\n")


def test_catalog_listing(run):
    result = run("catalog", "--domain", "monitoring", catalog=MINI)
    assert result.exit_code == 0
    assert result.stdout == (
        "Monitoring (monitoring): 3 activities\n"
        "  monitoring.rmm-agent       RMM agent deployment\n"
        "  monitoring.alert-response  Alert response        24x7\n"
        "  monitoring.patching        Server patching\n"
        "\n"
        "1 domain, 3 activities.\n"
    )
    data = json.loads(run("catalog", "--format", "json", catalog=MINI).stdout)
    assert data["domains"][0] == {"id": "servicedesk", "name": "Service desk"}
    assert data["activities"][0] == {
        "id": "servicedesk.tier1", "name": "Tier 1 support", "domain": "servicedesk",
        "description": "Password resets and first-line troubleshooting.", "aliases": ["level 1 support", "password resets"],
        "coverage": "business-hours", "depends_on": [], "escalates_to": "servicedesk.tier2", "frameworks": [], "non_delegable": False,
        "controls": {},
    }
    bad = run("catalog", "--domain", "nope", catalog=MINI)
    assert bad.exit_code == 2


def test_every_command_has_help_with_an_example_and_is_in_the_readme(run):
    readme = (ROOT / "README.md").read_text()
    assert run("--help").exit_code == 0
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and "Example:" in command.help, name
        assert f"raci {name}" in readme, f"README does not show 'raci {name}'"


def test_version(run):
    from raci import __version__

    assert run("--version").stdout == f"raci, version {__version__}\n"


def test_python_dash_m_and_lazy_imports():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "raci", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("raci, version ")
    # `raci --help` must not pay for the heavy libraries: only the commands that need them import them.
    probe = ("import sys; from raci.cli import cli; "
             "print(sorted(m for m in ('openpyxl', 'networkx', 'jinja2', 'yaml') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_sample_files_named_in_help_examples_exist():
    import re

    for name, command in cli.commands.items():
        for path in re.findall(r"samples/[\w./-]+", command.help or ""):
            assert (ROOT / path).exists(), f"raci {name} --help names {path}, which does not exist"


def test_provenance_names_files_never_the_folders_of_the_machine(run, tmp_path, monkeypatch):
    out = tmp_path / "clients" / "acme.raci.yaml"
    out.parent.mkdir()
    argv = ["/usr/local/bin/raci", "new", "--preset", "in-house", "--client", "Acme", f"--output={out}"]
    monkeypatch.setattr("sys.argv", argv)
    assert run(*argv[1:-1], "-o", out, catalog=MINI).exit_code == 0
    first = out.read_text().splitlines()[0]
    assert first == "# Engagement file written by raci 0.1.0: raci new --preset in-house --client Acme --output=acme.raci.yaml"
    assert str(tmp_path) not in out.read_text()
