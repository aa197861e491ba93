"""The control crosswalk: reading control ids in row labels, loading controls.yaml and each activity's controls, and lookups."""

from __future__ import annotations

import json
import re

import pytest
from paths import DATA

from raci.catalog import load_catalog
from raci.controls import CCM, CIS, NIST_53, NIST_171, ControlRef, activities_for_control, parse_control
from raci.errors import CatalogError

GOOD = DATA / "controls" / "good"
BAD = DATA / "controls" / "bad"


@pytest.mark.parametrize(("text", "hint", "expected"), [
    # NIST SP 800-53 as FedRAMP CRMs, SSPs and OSCAL write it
    ("AC-2", None, (NIST_53, "AC-2", None)),
    ("AC-2(a)", None, (NIST_53, "AC-2", "a")),
    ("AC-02 (a)", None, (NIST_53, "AC-2", "a")),
    ("ac-02 (A)", None, (NIST_53, "AC-2", "a")),
    ("CP-9", None, (NIST_53, "CP-9", None)),
    ("SI-2", None, (NIST_53, "SI-2", None)),
    ("AC-2(3)", None, (NIST_53, "AC-2(3)", None)),
    ("AC-2 (3)", None, (NIST_53, "AC-2(3)", None)),
    ("AC-02 (01)", None, (NIST_53, "AC-2(1)", None)),
    ("AC-2(3)(b)", None, (NIST_53, "AC-2(3)", "b")),
    ("CA-7(4)(a)", None, (NIST_53, "CA-7(4)", "a")),
    ("AC-2(a)(1)", None, (NIST_53, "AC-2", "a.1")),
    ("AC-2a", None, (NIST_53, "AC-2", "a")),
    ("ac-2.3", None, (NIST_53, "AC-2(3)", None)),
    ("ac-2_smt.a", None, (NIST_53, "AC-2", "a")),
    ("ac-2.3_smt.b", None, (NIST_53, "AC-2(3)", "b")),
    ("ac-2_stmt.a", None, (NIST_53, "AC-2", "a")),  # OSCAL SSP statement ids
    ("ac-1_smt.a.1", None, (NIST_53, "AC-1", "a.1")),
    ("AC\u20132", None, (NIST_53, "AC-2", None)),  # an en dash
    ("AC-2 Account Management", None, (NIST_53, "AC-2", None)),
    ("AC-2 (Account management)", None, (NIST_53, "AC-2", None)),
    ("SI-2: Flaw Remediation", None, (NIST_53, "SI-2", None)),
    ("  \u2022 SC-7(5) deny by default", None, (NIST_53, "SC-7(5)", None)),
    ("NIST SP 800-53 Rev. 5 IA-2(1)", None, (NIST_53, "IA-2(1)", None)),
    # CSA CCM v4 and CAIQ v4 question ids
    ("TVM-01", None, (CCM, "TVM-01", None)),
    ("IAM-07", None, (CCM, "IAM-07", None)),
    ("iam-7", None, (CCM, "IAM-07", None)),
    ("A&A-01", None, (CCM, "A&A-01", None)),
    ("TVM-01.1", None, (CCM, "TVM-01", "1")),
    ("CCM BCR-08 Backup", None, (CCM, "BCR-08", None)),
    # CIS Controls v8 safeguards: a bare number only with a CIS hint, or said in the label
    ("7.3", "CIS Controls v8 responsibility matrix", (CIS, "7.3", None)),
    ("CIS 7.3", None, (CIS, "7.3", None)),
    ("Safeguard 7.3", None, (CIS, "7.3", None)),
    ("CIS Control 11.5 Test data recovery", None, (CIS, "11.5", None)),
    ("CIS v8 18.5", None, (CIS, "18.5", None)),
    # NIST SP 800-171 Rev. 2 and CMMC 2.0 practice ids
    ("3.1.1", None, (NIST_171, "3.1.1", None)),
    ("3.14.7 Identify unauthorized use", None, (NIST_171, "3.14.7", None)),
    ("3.1.1[a]", None, (NIST_171, "3.1.1", "a")),
    ("AC.L2-3.1.1", None, (NIST_171, "3.1.1", None)),
    ("AC.L1-3.1.1 Authorized Access Control", None, (NIST_171, "3.1.1", None)),
    ("si.l1-3.14.1", None, (NIST_171, "3.14.1", None)),
    ("NIST 800-171 3.13.14", None, (NIST_171, "3.13.14", None)),
])
def test_control_ids_in_every_written_form(text, hint, expected):
    ref = parse_control(text, hint)
    assert ref == ControlRef(*expected)


@pytest.mark.parametrize(("text", "hint"), [
    ("7.3", None),  # a bare two-part number is no control without a CIS hint
    ("7.3", "Responsibility matrix v2"),
    ("1.0", None),  # version numbers
    ("1.0", "CIS Controls v8"),
    ("2.0.1", None),
    ("X-1", None),
    ("XX-1", None),
    ("AC-0", None),
    ("AC-99", None),  # beyond the family
    ("TVM-11", None),
    ("3.14.8", None),
    ("3.1.1.2", None),
    ("03.01.01", None),  # 800-171 Rev. 3 numbering is another set
    ("AC.L2-3.5.1", None),  # CMMC family letters that do not match the requirement
    ("AC.L3-3.1.2e", None),
    ("CIS 99.1", None),
    ("Tier-1 support", None),
    ("Top-10 risks", None),
    ("Patch management", None),
    ("ACME-2 contract", None),
    ("", None),
])
def test_labels_that_are_not_control_ids(text, hint):
    assert parse_control(text, hint) is None


def test_enhancement_knows_its_base():
    assert parse_control("AC-2(3)").base == "AC-2"
    assert parse_control("AC-2").base is None
    assert parse_control("TVM-01").base is None


# --------------------------------------------------------------------------- loading


def test_small_catalog_loads_controls_and_control_sets():
    cat = load_catalog(GOOD)
    assert cat.activities["ops.leavers"].controls == {NIST_53: ("AC-2(3)", "AC-2(h)"), CIS: ("6.2",)}
    assert cat.activities["ops.printers"].controls == {}
    assert cat.activities["ops.accounts"].to_dict()["controls"] == {NIST_53: ["AC-2"], NIST_171: ["3.1.1"]}
    assert [s.label for s in cat.control_sets.values()] == ["NIST SP 800-53 Rev. 5", "CIS Controls v8", "NIST SP 800-171 Rev. 2"]


def test_lookup_exact_id_first_then_the_base_control():
    cat = load_catalog(GOOD)
    assert activities_for_control(cat, parse_control("AC-2(3)(b)")) == ["ops.leavers", "ops.accounts"]
    assert activities_for_control(cat, parse_control("AC-2(1)")) == ["ops.accounts"]
    assert activities_for_control(cat, parse_control("AC-02 (a)")) == ["ops.accounts"]
    # a statement part the crosswalk lists goes to its own activity first (AC-2 h: accounts no longer required)
    assert activities_for_control(cat, parse_control("AC-02 (h)")) == ["ops.leavers", "ops.accounts"]
    assert activities_for_control(cat, parse_control("AC-2(h)(1)")) == ["ops.accounts"]
    assert activities_for_control(cat, parse_control("AC.L2-3.1.1")) == ["ops.accounts"]
    assert activities_for_control(cat, parse_control("7.3", "CIS")) == ["ops.patching"]
    assert activities_for_control(cat, parse_control("CP-9")) == []
    assert activities_for_control(cat, parse_control("TVM-01")) == []


def test_loader_errors_name_file_and_line():
    with pytest.raises(CatalogError) as exc:
        load_catalog(BAD)
    ops = "domains/01-ops.yaml"
    assert [line.replace(str(BAD) + "/", "") for line in exc.value.lines()] == [
        "controls.yaml:4: unknown control set 'iso-27001' (raci reads the ids of nist-800-53, csa-ccm, cis-v8, nist-800-171)",
        "controls.yaml:5: unknown key 'colour' in control set (allowed: id, name, version, source)",
        "controls.yaml:5: control set is missing source",
        f'{ops}:9: controls cis-v8: 6.1 is not text; quote numeric ids ("6.10", "3.1.1"), or YAML reads 6.10 as the number 6.1',
        f"{ops}:23: controls must be a mapping of control set: [control ids]",
        f"{ops}:7: ops.accounts: write 'AC-02' as 'AC-2', the way nist-800-53 writes it",
        f"{ops}:8: ops.accounts names unknown control set 'csa-ccm' (known: nist-800-53, cis-v8)",
        f"{ops}:15: nist-800-53 SI-2 is on both ops.accounts ({ops}:7) and ops.patching: a control belongs to one activity "
        "(its enhancements may go elsewhere)",
        f"{ops}:16: ops.patching: 'XX-1' is not a nist-800-53 control id (written like AC-2 or AC-2(3))",
        f"{ops}:17: ops.patching: 'AC-2(a)(1)' names a part of a control: list the control itself (AC-2) or one lettered part (AC-2(a))",
        f"{ops}:19: ops.patching lists cis-v8 7.3 twice",
        f"{ops}:19: ops.patching: '99.1' is not a cis-v8 control id (written like \"7.3\")",
    ]


def test_catalog_without_controls_yaml_may_not_name_a_set(tmp_path):
    import shutil

    root = tmp_path / "cat"
    shutil.copytree(GOOD, root)
    (root / "controls.yaml").unlink()
    with pytest.raises(CatalogError) as exc:
        load_catalog(root)
    assert exc.value.lines()[0].endswith("ops.accounts names unknown control set 'nist-800-53' (known: none: the catalog has no controls.yaml)")


# --------------------------------------------------------------------------- the bundled crosswalk


def test_bundled_crosswalk_covers_the_catalog(bundled_catalog):
    cat = bundled_catalog
    assert list(cat.control_sets) == [NIST_53, CCM, CIS, NIST_171]
    assert all(s.source for s in cat.control_sets.values())
    ids = {s: [cid for a in cat.activities.values() for cid in a.controls.get(s, ())] for s in cat.control_sets}
    with_controls = [a for a in cat.activities.values() if a.controls]
    assert len(with_controls) >= 90
    assert len(ids[NIST_53]) >= 200 and len(ids[CCM]) >= 120 and len(ids[CIS]) >= 110 and len(ids[NIST_171]) >= 90
    families = {re.match(r"[A-Z]+", cid)[0] for cid in ids[NIST_53]}
    assert families >= {"AC", "AT", "AU", "CA", "CM", "CP", "IA", "IR", "MA", "MP", "PE", "PL", "PS", "RA", "SA", "SC", "SI", "SR", "PM"}
    assert {cid.split("-")[0] for cid in ids[CCM]} >= {"A&A", "AIS", "BCR", "CCC", "CEK", "DCS", "DSP", "GRC", "HRS", "IAM", "IPY", "IVS",
                                                       "LOG", "SEF", "STA", "TVM", "UEM"}
    assert {int(cid.split(".")[0]) for cid in ids[CIS]} >= set(range(1, 19)) - {16}  # 16 is secure software development
    assert {int(cid.split(".")[1]) for cid in ids[NIST_171]} == set(range(1, 15))


def test_bundled_enhancements_have_their_base_control(bundled_catalog):
    index = {(s, cid) for a in bundled_catalog.activities.values() for s, cids in a.controls.items() for cid in cids}
    missing = [cid for s, cid in index if "(" in cid and (s, cid.split("(")[0]) not in index]
    assert missing == []


@pytest.mark.parametrize(("label", "hint", "activities"), [
    ("SI-2", None, ["patching.policy"]),
    ("AC-2(3)", None, ["identity.leavers", "identity.joiners"]),
    ("CP-9(1)", None, ["backup.restore-testing", "backup.design"]),
    ("AC-02 (a)", None, ["identity.joiners"]),
    ("IAM-07", None, ["identity.leavers"]),
    ("TVM-01", None, ["governance.policy-authoring"]),
    ("7.3", "CIS Controls v8", ["patching.os-servers"]),
    ("PE.L1-3.10.1", None, ["facilities.server-room-access"]),
    ("3.14.2", None, ["endpoint.edr-deployment"]),
])
def test_bundled_lookups(bundled_catalog, label, hint, activities):
    assert activities_for_control(bundled_catalog, parse_control(label, hint)) == activities


# --------------------------------------------------------------------------- raci catalog


def test_catalog_control_lists_exact_then_base(run):
    result = run("catalog", "--control", "AC-02 (3)(b)", catalog=GOOD)
    assert result.exit_code == 0
    assert result.stdout == (
        "AC-2(3) part b in NIST SP 800-53 Rev. 5: 2 activities\n"
        "  ops.leavers   Leavers             AC-2(3), the control it is part of\n"
        "  ops.accounts  Account management  AC-2, its base control\n"
    )
    assert result.stderr == ""


@pytest.mark.parametrize(("control", "stdout"), [
    ("7.3", "7.3 in CIS Controls v8: 1 activity\n  ops.patching  Patching  7.3\n"),
    ("AC.L2-3.1.1", "3.1.1 in NIST SP 800-171 Rev. 2: 1 activity\n  ops.accounts  Account management  3.1.1\n"),
    ("si-2", "SI-2 in NIST SP 800-53 Rev. 5: 1 activity\n  ops.patching  Patching  SI-2\n"),
    ("CP-9", "No activity in the catalog carries CP-9 in NIST SP 800-53 Rev. 5.\n"),
    ("TVM-01", "No activity in the catalog carries TVM-01 in csa-ccm.\n"),
])
def test_catalog_control_any_written_form(run, control, stdout):
    result = run("catalog", "--control", control, catalog=GOOD)
    assert (result.exit_code, result.stdout) == (0, stdout)


def test_catalog_control_lists_the_parts_and_enhancements_of_a_control(run):
    result = run("catalog", "--control", "AC-2", catalog=GOOD)
    assert result.stdout == (
        "AC-2 in NIST SP 800-53 Rev. 5: 2 activities\n"
        "  ops.accounts  Account management  AC-2\n"
        "  ops.leavers   Leavers             AC-2(3), an enhancement\n"
        "  ops.leavers   Leavers             AC-2(h), a part of it\n"
    )
    part = run("catalog", "--control", "AC-02 (h)", catalog=GOOD)
    assert part.stdout == ("AC-2 part h in NIST SP 800-53 Rev. 5: 2 activities\n"
                           "  ops.leavers   Leavers             AC-2(h)\n"
                           "  ops.accounts  Account management  AC-2, the control it is part of\n")


def test_catalog_control_within_a_domain(run):
    result = run("catalog", "--control", "SI-2", "--domain", "ops", catalog=GOOD)
    assert result.stdout == "SI-2 in NIST SP 800-53 Rev. 5: 1 activity\n  ops.patching  Patching  SI-2\n"


@pytest.mark.parametrize("control", ["X-1", "1.0", "Patching", "3.1.1.2"])
def test_catalog_control_refuses_what_is_no_control_id(run, control):
    result = run("catalog", "--control", control, catalog=GOOD)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"Error: --control {control!r} is not a control id: write it like SI-2, AC-2(3), TVM-01, 7.3, 3.1.1 "
                             "or AC.L2-3.1.1\n")


def test_catalog_control_json(run):
    data = json.loads(run("catalog", "--control", "AC-2(3)", "--format", "json", catalog=GOOD).stdout)
    assert data["control"] == {"set": NIST_53, "id": "AC-2(3)", "part": None, "base": "AC-2"}
    assert [(a["id"], a["matched"]) for a in data["activities"]] == [("ops.leavers", "AC-2(3)"), ("ops.accounts", "AC-2")]
    assert data["activities"][0]["controls"] == {NIST_53: ["AC-2(3)", "AC-2(h)"], CIS: ["6.2"]}
    none = json.loads(run("catalog", "--control", "CP-9", "--format", "json", catalog=GOOD).stdout)
    assert none["activities"] == []


def test_catalog_listing_with_controls(run):
    result = run("catalog", "--controls", catalog=GOOD)
    assert result.exit_code == 0
    assert result.stdout == (
        "Operations (ops): 4 activities\n"
        "  ops.accounts  Account management\n"
        "      nist-800-53   AC-2\n"
        "      nist-800-171  3.1.1\n"
        "  ops.leavers   Leavers\n"
        "      nist-800-53   AC-2(3), AC-2(h)\n"
        "      cis-v8        6.2\n"
        "  ops.patching  Patching\n"
        "      nist-800-53   SI-2\n"
        "      cis-v8        7.3\n"
        "  ops.printers  Printers\n"
        "\n"
        "1 domain, 4 activities.\n"
    )
    plain = run("catalog", catalog=GOOD).stdout
    assert "nist-800-53" not in plain


def test_bundled_catalog_control_lookup(run):
    result = run("catalog", "--control", "CP-9(1)")
    assert result.stdout == (
        "CP-9(1) in NIST SP 800-53 Rev. 5: 2 activities\n"
        "  backup.restore-testing  Restore testing                            CP-9(1)\n"
        "  backup.design           Backup design, retention and immutability  CP-9, its base control\n"
    )
