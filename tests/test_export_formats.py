"""What each export holds: exact headers and values, dropdowns, provenance on the first lines, user text as text."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile

import pytest
from openpyxl import load_workbook
from paths import DATA, SAMPLES

RIVERSIDE = SAMPLES / "riverside-clinic.raci.yaml"
SOC = DATA / "export" / "soc-vendor.raci.yaml"
HOSTILE = DATA / "export" / "hostile.raci.yaml"
PROVENANCE = ("Made by raci 0.1.0 from riverside-clinic.raci.yaml (engagement version 2.1, effective 2026-12-01); "
              "regenerate it with 'raci export' rather than editing it.")
SUFFIX = {"oscal": ".json", "fedramp-crm": ".xlsx", "caiq": ".xlsx", "cmmc-md": ".md", "csv": ".csv"}


def _export(run, tmp_path, engagement, fmt, name="out"):
    out = tmp_path / f"{name}{SUFFIX[fmt]}"
    res = run("export", engagement, "--to", fmt, "-o", out)
    assert res.exit_code == 0, res.stderr
    return out


def _rows(path):
    ws = load_workbook(path).active
    return ws, [list(r) for r in ws.iter_rows(values_only=True)]


# --------------------------------------------------------------------------- FedRAMP CRM


def test_fedramp_crm_lays_out_appendix_j(run, tmp_path):
    ws, rows = _rows(_export(run, tmp_path, RIVERSIDE, "fedramp-crm"))
    assert ws.title == "CRM Worksheet"
    assert rows[0][0] == "Riverside Family Clinic: Customer Responsibility Matrix (CRM) Worksheet, CSP Cascade Managed IT"
    assert rows[1][0] == PROVENANCE
    assert rows[2] == ["Control ID", "Can Be Inherited from CSP", "Specific Inheritance and Customer Agency/CSP Responsibilities"]
    by_id = {r[0]: r[1:] for r in rows[3:]}
    assert by_id["CA-6"] == ["Yes", "Compliance attestation: Riverside practice leadership informed (I), Cascade Managed IT "
                                    "accountable and responsible (A/R)."]
    assert by_id["CP-9(1)"] == ["Partial", "Restore testing: Riverside practice leadership informed (I), Riverside IT "
                                           "responsible (R), Cascade Managed IT responsible (R)."]
    assert by_id["AU-11"] == ["No", "Security log retention: out of scope of this engagement (excluded); Riverside Family "
                                    "Clinic must arrange it."]
    assert {r[1] for r in rows[3:]} == {"Yes", "Partial", "No"}
    assert len(rows) - 3 == 239
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.formula1, str(dv.sqref)) == ("list", '"No,Partial,Yes"', f"B4:B{len(rows)}")


# --------------------------------------------------------------------------- CAIQ


def test_caiq_uses_the_five_ssrm_ownership_values(run, tmp_path):
    ws, rows = _rows(_export(run, tmp_path, SOC, "caiq"))
    assert rows[1][0].startswith("Made by raci 0.1.0 from soc-vendor.raci.yaml (engagement version 3.0")
    assert rows[2] == ["CCM Control ID", "SSRM Control Ownership", "CSP Implementation Description", "CSC Responsibilities"]
    by_id = {r[0]: r[1:] for r in rows[3:]}
    assert by_id["LOG-07"] == ["3rd-party outsourced", "SIEM platform and log sources: Contoso informed (I), Sentinel SOC "
                                                       "accountable and responsible (A/R).", None]
    assert by_id["LOG-03"][0] == "Shared CSP and 3rd-party"
    assert by_id["LOG-02"] == ["Shared CSP and CSC",
                               "Security log retention: Sentinel SOC responsible (R). Note: Birch IT sets the retention "
                               "period; Sentinel keeps the logs.",
                               "Security log retention: Birch IT accountable and responsible (A/R). Note: Birch IT sets the "
                               "retention period; Sentinel keeps the logs."]
    assert by_id["HRS-05"][0] == "Shared CSP and CSC"
    assert {r[1] for r in rows[3:]} == {"CSP-owned", "CSC-owned", "3rd-party outsourced", "Shared CSP and CSC",
                                        "Shared CSP and 3rd-party"}
    (dv,) = ws.data_validations.dataValidation
    assert dv.formula1 == '"CSP-owned,CSC-owned,3rd-party outsourced,Shared CSP and CSC,Shared CSP and 3rd-party"'
    assert str(dv.sqref) == f"B4:B{len(rows)}"


# --------------------------------------------------------------------------- CMMC Markdown


def test_cmmc_markdown_has_one_table_a_family(run, tmp_path):
    text = _export(run, tmp_path, SOC, "cmmc-md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Birch Logistics: CMMC customer responsibility matrix"
    assert lines[2].startswith("_Made by raci 0.1.0 from soc-vendor.raci.yaml (engagement version 3.0")
    assert "## AU: Audit and Accountability" in lines
    assert lines.count("| Control ID | Requirement | Responsibility | Note |") == 14  # every family has a crosswalked requirement
    assert ("| AU.L2-3.3.1 | SIEM platform and log sources | Inherited | SIEM platform and log sources: Birch IT informed (I), "
            "Contoso informed (I), Sentinel SOC accountable and responsible (A/R). |") in lines
    values = {line.split(" | ")[2] for line in lines if line.startswith("| ") and ".L2-" in line}
    assert values == {"Client", "Provider", "Shared", "Inherited"}


# --------------------------------------------------------------------------- long CSV


def test_csv_long_form_has_one_row_a_role_and_window(run, tmp_path):
    text = _export(run, tmp_path, RIVERSIDE, "csv").read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text)))
    assert records[0] == [f"# Riverside Family Clinic: responsibility matrix, one row a role. {PROVENANCE}"]
    assert records[1] == ["Activity ID", "Activity", "Domain", "Party ID", "Party", "Party kind", "Window", "Role", "Note"]
    note = "Thursdays 20:00-23:00; clinical workstations only after the last appointment."
    rows = [r for r in records if r[0] == "patching.os-workstations"]
    assert rows == [
        ["patching.os-workstations", "Workstation operating-system patching", "Patch management", "client-it", "Riverside IT",
         "client", "business-hours", "A/R", note],
        ["patching.os-workstations", "Workstation operating-system patching", "Patch management", "msp", "Cascade Managed IT",
         "msp", "business-hours", "C", note],
        ["patching.os-workstations", "Workstation operating-system patching", "Patch management", "client-it", "Riverside IT",
         "client", "after-hours", "I", note],
        ["patching.os-workstations", "Workstation operating-system patching", "Patch management", "msp", "Cascade Managed IT",
         "msp", "after-hours", "R", note],
    ]
    assert not any(r[0] in ("security.log-retention", "projects.office-move") for r in records)  # excluded: nobody holds them


# --------------------------------------------------------------------------- every format


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_every_export_names_raci_and_the_engagement_file_never_its_folder(run, tmp_path, fmt):
    folder = tmp_path / "clients" / "riverside"
    folder.mkdir(parents=True)
    engagement = folder / "riverside-clinic.raci.yaml"
    shutil.copy(RIVERSIDE, engagement)
    out = _export(run, tmp_path, engagement, fmt)
    if out.suffix == ".xlsx":
        with zipfile.ZipFile(out) as z:
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist())
        first = " ".join(str(v) for row in _rows(out)[1][:2] for v in row if v)
    else:
        text = out.read_text(encoding="utf-8")
        first = "\n".join(text.splitlines()[:12])
    assert "raci 0.1.0" in first and "riverside-clinic.raci.yaml" in first
    assert str(tmp_path) not in text and "clients" not in text


def test_user_text_stays_text_in_the_workbooks(run, tmp_path):
    for fmt in ("fedramp-crm", "caiq"):
        out = _export(run, tmp_path, HOSTILE, fmt, name=fmt)
        ws, rows = _rows(out)
        assert rows[0][0].startswith('=HYPERLINK("http://example.invalid","Acme"): ')
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        assert all(c.data_type == "s" for c in cells), fmt
        risky = [c for c in cells if str(c.value).startswith(("=", "+", "-", "@"))]
        assert risky and all(c.quotePrefix for c in risky)
        with zipfile.ZipFile(out) as z:
            assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    _ws, rows = _rows(tmp_path / "fedramp-crm.xlsx")
    backup = next(r for r in rows if r[0] == "CP-9")
    assert backup[2] == ("Backup design, retention and immutability: -Acme IT | ops accountable and responsible (A/R), "
                         "=cmd|' /C calc'!A0 responsible (R). Note: =1+1 | *not bold* <b>x</b>\nsecond line")


def test_user_text_is_escaped_in_markdown_and_defused_in_csv(run, tmp_path):
    md = _export(run, tmp_path, HOSTILE, "cmmc-md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<b>" not in md
    # fully managed: the client is accountable for joiners (only it knows who starts), the MSP does the work
    assert ("| AC.L2-3.1.1 | User onboarding (joiners) | Provider | User onboarding (joiners): @leadership &lt;script&gt; "
            "accountable (A), =cmd\\|' /C calc'!A0 responsible (R). Note: =1+1 \\| \\*not bold\\* "
            "&lt;b&gt;x&lt;/b&gt;<br>second line |") in md.splitlines()
    records = list(csv.reader(io.StringIO(_export(run, tmp_path, HOSTILE, "csv").read_text(encoding="utf-8"))))
    backup = [r for r in records if r[0] == "backup.design"]
    assert [r[4] for r in backup] == ["'-Acme IT | ops", "'=cmd|' /C calc'!A0"]
    assert {r[8] for r in backup} == {"'=1+1 | *not bold* <b>x</b>\nsecond line"}
    assert not any(v.startswith(("=", "+", "-", "@")) for r in records[1:] for v in r)
