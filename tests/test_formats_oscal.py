"""OSCAL system security plans and component definitions (JSON and YAML) read as provider/customer matrices."""

from __future__ import annotations

import copy
import json
import time

import pytest
from paths import DATA

from raci.contracts.formats import oscal, oscal_model
from raci.contracts.tables import read_source
from raci.errors import DocumentError

FORMATS = DATA / "formats"
SSP = FORMATS / "oscal-ssp.json"
SSP_YAML = FORMATS / "oscal-ssp.yaml"
CDEF = FORMATS / "oscal-component-definition.json"
LEVERAGING = FORMATS / "oscal-leveraging-ssp.json"

HEADER = ["Control", "Requirement", "Northwind Cloud", "Customer Agency", "Responsibility", "Northwind Cloud implementation",
          "Customer Agency responsibilities", "Notes"]


def _audit(run, path, *args):
    res = run("audit", path, "--format", "json", *args)
    assert res.exit_code in (0, 1), res.stderr
    return json.loads(res.stdout)


def _rows(report):
    return {(r["source"]["sheet"], r["source"]["row"]): r for r in report["rows"]}


def _findings(report, *rules):
    return [f for f in report["findings"] if f["rule"] in rules]


def _first_activity(run, control):
    """The activity ``raci catalog --control`` lists first for ``control``."""
    res = run("catalog", "--control", control)
    assert res.exit_code == 0, res.stderr
    return res.stdout.splitlines()[1].split()[0]


# --------------------------------------------------------------------------- the grid


def test_ssp_reads_as_one_grid_with_a_row_per_statement():
    [sheet] = oscal.read(str(SSP))
    assert sheet.file == str(SSP) and sheet.name is None
    assert sheet.rows[0] == ["Northwind Hosting System Security Plan"]
    assert sheet.rows[1] == HEADER
    body = [row[:7] for row in sheet.rows[2:]]
    assert body == [
        ["ac-2", "ac-2_smt.a", "X", "", "Provider",
         "Northwind defines the privileged and non-privileged account types of the platform.", ""],
        ["ac-2", "ac-2_smt.c", "", "X", "Customer", "",
         "The agency sets the conditions for group and role membership of its accounts."],
        ["ac-2", "ac-2_smt.h", "X", "X", "Shared", "Northwind disables platform accounts within one day of notice.",
         "The agency notifies Northwind when a user leaves or no longer needs access."],
        ["ac-2", "ac-2_smt.j", "", "", "", "", ""],
        ["ac-17", "ac-17", "X", "", "Provider", "Remote access goes through the platform VPN, run by Northwind.", ""],
        ["cm-6", "cm-6", "", "X", "Customer", "", "Tenants apply the baseline configuration to their own virtual machines."],
        ["pe-3", "pe-3", "N/A", "N/A", "N/A", "", ""],
    ]
    assert sheet.tables == [None, None] + ["implemented requirement ac-2"] * 4 + \
        ["implemented requirement ac-17", "implemented requirement cm-6", "implemented requirement pe-3"]
    assert sheet.lines == [1, 2, 1, 2, 3, 4, 1, 1, 1]


def test_notes_write_the_split_and_follow_the_links():
    [sheet] = oscal.read(str(SSP))
    notes = {row[1]: row[-1] for row in sheet.rows[2:]}
    # the shared row's note holds both halves of the split
    assert notes["ac-2_smt.h"].startswith("Northwind Cloud provides: Northwind disables platform accounts within one day of "
                                          "notice.; Customer Agency must: The agency notifies Northwind when a user leaves")
    assert "component: This System" in notes["ac-2_smt.h"]
    assert "Northwind Cloud roles: Internal POC for Customers" in notes["ac-2_smt.h"]
    # role-id -> metadata.roles, party-uuids -> metadata.parties (a name, else the remarks)
    assert "Northwind Cloud roles: Cloud Service Provider (Northwind Cloud)" in notes["ac-2_smt.a"]
    assert "Customer Agency roles: Customer Agency (Customer success desk)" in notes["ac-2_smt.c"]
    # provided-uuid -> the provided item of another statement; component-uuid -> its title
    assert "a responsibility goes with what is provided for ac-2_smt.a" in notes["ac-2_smt.c"]
    assert "component: Identity Service" in notes["ac-2_smt.c"]
    assert "status: planned" in notes["cm-6"]
    assert notes["ac-2_smt.j"] == "no component implements it: nothing says who meets this requirement"
    # set-parameters fill the {{ insert: param }} of a description; the by-component's internal text is not used
    assert "privileged and non-privileged" in notes["ac-2_smt.a"] and "Internal text" not in notes["ac-2_smt.a"]


def test_yaml_twin_reads_exactly_as_the_json():
    [js] = oscal.read(str(SSP))
    [ym] = oscal.read(str(SSP_YAML))
    assert (ym.rows, ym.lines, ym.tables) == (js.rows, js.lines, js.tables)
    assert read_source(SSP_YAML).kind == "oscal"


def test_component_definition_reads_roles_of_statements_and_requirements():
    [sheet] = oscal.read(str(CDEF))
    assert sheet.rows[0] == ["Contoso Directory Component Definition"]
    assert sheet.rows[1] == ["Control", "Requirement", "Contoso Software", "Customer", "Responsibility",
                             "Contoso Software implementation", "Customer responsibilities", "Notes"]
    body = [row[:5] for row in sheet.rows[2:]]
    assert body == [
        ["ia-2", "ia-2_smt", "X", "", "Provider"],  # no role: the component's maker does it
        ["ia-2.1", "ia-2.1_smt", "", "X", "Customer"],  # the statement's customer role
        ["ac-2", "ac-2", "X", "X", "Shared"],  # a requirement with no statements, roles of both sides
    ]
    assert sheet.rows[3][6] == "Customers turn on multi-factor authentication for privileged accounts in the tenant settings."
    assert sheet.rows[4][-1].startswith("Contoso Software and Customer: Contoso provisions accounts")
    assert sheet.tables[2:] == ["implemented requirement ia-2", "implemented requirement ia-2.1", "implemented requirement ac-2"]


def test_leveraging_ssp_is_read_from_the_customer_side():
    [sheet] = oscal.read(str(LEVERAGING))
    # the leveraged authorisation is the provider; this system is the customer, named so the kind guess agrees
    assert sheet.rows[1][2:4] == ["Northwind Hosting Platform", "Fabrikam Payroll (customer)"]
    body = {row[1]: row[2:5] for row in sheet.rows[2:]}
    assert body == {
        "ac-2_smt.h": ["X", "X", "Shared"],  # inherited + satisfied
        "pe-3": ["X", "", "Provider"],  # inherited only
        "ia-2": ["", "X", "Customer"],  # this system's own implementation
    }


@pytest.mark.parametrize(("provider", "customer", "expected"), [
    (["Internal POC for Customers", "Leveraged IaaS System"], ["External Customer"], ("Leveraged IaaS System", "External Customer")),
    ([], [], ("Provider", "Customer")),
    (["Northwind Cloud"], ["Fabrikam Payroll"], ("Northwind Cloud", "Fabrikam Payroll (customer)")),
    (["Northwind Cloud"], ["Northwind Cloud"], ("Northwind Cloud", "Customer")),
])
def test_party_names_fit_their_side(provider, customer, expected):
    assert oscal.pick_names(provider, customer) == expected


def test_plain_ssp_with_no_customer_has_no_customer_column(tmp_path):
    doc = json.loads(SSP.read_text())
    reqs = doc["system-security-plan"]["control-implementation"]["implemented-requirements"]
    doc["system-security-plan"]["control-implementation"]["implemented-requirements"] = [r for r in reqs if r["control-id"] == "ac-17"]
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(doc))
    [sheet] = oscal.read(str(path))
    assert sheet.rows[1] == ["Control", "Requirement", "Northwind Hosting Platform", "Responsibility",
                             "Northwind Hosting Platform implementation", "Notes"]
    assert sheet.rows[2][:4] == ["ac-17", "ac-17", "X", "Provider"]


# --------------------------------------------------------------------------- the audit


def test_audit_reports_parties_roles_and_mapping(run):
    report = _audit(run, SSP)
    [doc] = report["documents"]
    assert [(p["header"], p["kind"]) for p in doc["parties"]] == [("Northwind Cloud", "msp"), ("Customer Agency", "client")]
    rows = _rows(report)
    ac2 = "implemented requirement ac-2"
    assert rows[(ac2, 1)]["roles"] == {"Northwind Cloud": "A/R"}
    assert rows[(ac2, 2)]["roles"] == {"Customer Agency": "A/R"}
    assert rows[(ac2, 3)]["roles"] == {"Northwind Cloud": "R", "Customer Agency": "R"} and rows[(ac2, 3)]["shared"]
    assert rows[(ac2, 4)]["roles"] == {}
    assert rows[("implemented requirement ac-17", 1)]["roles"] == {"Northwind Cloud": "A/R"}
    assert rows[("implemented requirement cm-6", 1)]["roles"] == {"Customer Agency": "A/R"}
    assert rows[("implemented requirement pe-3", 1)]["out_of_scope"]
    # control ids map through the crosswalk: ac-2_smt.a is AC-2 part a, the activity AC-2 lists first
    assert rows[(ac2, 1)]["activity"] == _first_activity(run, "AC-2") and rows[(ac2, 1)]["how"] == "control"
    assert rows[(ac2, 2)]["activity"] == _first_activity(run, "AC-2(c)")
    assert rows[("implemented requirement ac-17", 1)]["activity"] == _first_activity(run, "AC-17")
    assert all(r["how"] == "control" for r in report["rows"])


def test_audit_findings_shared_split_and_unanswered_statement(run):
    report = _audit(run, SSP)
    # the shared statement writes down both halves: no shared-owner; nobody answers ac-2_smt.j: no-accountable
    assert _findings(report, "shared-owner", "shared-responsible", "multiple-accountable", "unreadable-cell") == []
    [missing] = _findings(report, "no-accountable")
    assert missing["source"]["label"] == "ac-2_smt.j"
    assert (missing["source"]["sheet"], missing["source"]["row"]) == ("implemented requirement ac-2", 4)
    assert _findings(report, "idle-party") == []


def test_shared_statement_without_both_descriptions_draws_shared_owner(run, tmp_path):
    doc = json.loads(SSP.read_text())
    stmt = doc["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["statements"][2]
    stmt["by-components"][0]["export"]["responsibilities"][0]["description"] = ""
    path = tmp_path / "ssp.json"
    path.write_text(json.dumps(doc))
    [finding] = _findings(_audit(run, path), "shared-owner")
    assert finding["source"]["label"] == "ac-2_smt.h"


def test_text_report_places_rows_by_implemented_requirement(run):
    res = run("audit", SSP)
    assert res.exit_code == 1  # the unanswered statement is an error
    assert "oscal-ssp.json: implemented requirement ac-2, row 4 'ac-2_smt.j': Nobody is responsible or accountable" in res.stdout
    assert "oscal-ssp.json: implemented requirement ac-2, row 1 'ac-2_smt.a'" in res.stdout
    assert "parties: Northwind Cloud (msp, guessed), Customer Agency (client, guessed)" in res.stdout


def test_yaml_audits_like_json(run):
    js, ym = _audit(run, SSP), _audit(run, SSP_YAML)

    def strip(report):
        return [{k: v for k, v in r.items() if k != "source"} | {"at": (r["source"]["sheet"], r["source"]["row"])} for r in report["rows"]]

    assert strip(ym) == strip(js)
    assert ym["documents"][0]["parties"] == js["documents"][0]["parties"]


def test_component_definition_audit(run):
    report = _audit(run, CDEF)
    [doc] = report["documents"]
    assert [(p["header"], p["kind"]) for p in doc["parties"]] == [("Contoso Software", "msp"), ("Customer", "client")]
    rows = _rows(report)
    assert rows[("implemented requirement ia-2", 1)]["roles"] == {"Contoso Software": "A/R"}
    assert rows[("implemented requirement ia-2.1", 1)]["roles"] == {"Customer": "A/R"}
    assert rows[("implemented requirement ac-2", 1)]["roles"] == {"Contoso Software": "R", "Customer": "R"}
    assert rows[("implemented requirement ac-2", 1)]["activity"] == _first_activity(run, "AC-2")
    assert _findings(report, "shared-owner", "no-accountable") == []


def test_leveraging_ssp_audit(run):
    report = _audit(run, LEVERAGING)
    [doc] = report["documents"]
    assert [(p["header"], p["kind"]) for p in doc["parties"]] == [("Northwind Hosting Platform", "msp"),
                                                                  ("Fabrikam Payroll (customer)", "client")]
    assert _findings(report, "shared-owner", "no-accountable") == []


# --------------------------------------------------------------------------- broken and hostile documents


def _ssp_without_requirements():
    doc = json.loads(SSP.read_text())
    doc["system-security-plan"]["control-implementation"]["implemented-requirements"] = []
    return json.dumps(doc)


def _too_many_statements():
    doc = json.loads(SSP.read_text())
    req = doc["system-security-plan"]["control-implementation"]["implemented-requirements"][0]
    req["statements"] = [dict(copy.deepcopy(req["statements"][0]), **{"statement-id": f"ac-2_smt.{i}"})
                         for i in range(oscal_model.MAX_STATEMENTS + 1)]
    return json.dumps(doc)


BROKEN = [
    ("bad.json", '{"system-security-plan": {"metadata": {"title": "x",}}}',
     "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 53)"),
    ("empty.json", _ssp_without_requirements(),
     "an OSCAL system security plan with no implemented requirements (control-implementation.implemented-requirements "
     "holds none): nothing says who implements which control"),
    ("deep.json", '{"system-security-plan": {"x": ' + "[" * 10_000 + "]" * 10_000 + "}}",
     "nested more than 100 levels deep: not an OSCAL document raci can read"),
    ("deeper.json", '{"system-security-plan": {"x": ' + "[" * 300 + "]" * 300 + "}}",
     "nested more than 100 levels deep: not an OSCAL document raci can read"),
    ("deep.yaml", "system-security-plan:\n  x: " + "[" * 10_000 + "]" * 10_000 + "\n",
     "not valid YAML: exceeded maximum nesting depth (line 2)"),
    ("latin1.json", '{"system-security-plan": {"metadata": {"title": "caf\xe9"}}}'.encode("latin-1"),
     "not UTF-8 text (line 1): OSCAL JSON and YAML are UTF-8"),
    ("scalar.yaml", "system-security-plan: just text\n", "malformed OSCAL: system-security-plan is not an object"),
    ("object.yaml", "system-security-plan: !!python/object:os.system {}\n",
     "unsupported YAML value: tag 'tag:yaml.org,2002:python/object:os.system' is not allowed (line 1)"),
    ("plan.json", '{"assessment-plan": {"import-ssp": {"href": "#ssp"}, "remarks": "system-security-plan"}}',
     "not an OSCAL system security plan or component definition (its top level holds assessment-plan)"),
    ("noid.json", '{"system-security-plan": {"control-implementation": {"implemented-requirements": [{"uuid": "x"}]}}}',
     "malformed OSCAL system security plan: an implemented requirement has no control-id"),
    ("number.json", '{"system-security-plan": {"x": ' + "9" * 5000 + "}}", "not valid JSON: it holds a number too long to read"),
    ("many.json", _too_many_statements(), "more than 5,000 implemented statements: not a responsibility matrix this tool can audit"),
]


@pytest.mark.parametrize(("name", "content", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_documents_fail_in_one_line(run, tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    start = time.monotonic()
    res = run("audit", path)
    assert time.monotonic() - start < 5
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == f"Error: {path}: {message}\n"
    assert "Traceback" not in res.stderr


def test_size_bound_is_checked_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(oscal_model, "MAX_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text('{"system-security-plan": {"x": "' + "a" * 2000 + '"}}')
    with pytest.raises(DocumentError, match=r"the file is 0\.0 MB, more than the 10 MB"):
        oscal.read(str(path))


def test_malformed_shapes_never_raise_anything_but_document_errors(tmp_path):
    # wrong types everywhere: lists where objects belong, numbers for text, nulls
    doc = {"system-security-plan": {
        "metadata": {"title": 7, "roles": "x", "parties": [None, 3]},
        "system-implementation": {"components": [None, {"uuid": 5}], "leveraged-authorizations": "x"},
        "control-implementation": {"implemented-requirements": [
            {"control-id": "ac-2", "statements": [None, {"statement-id": 3, "by-components": [
                None, {"export": {"provided": [None, {"description": ["a"]}], "responsibilities": "x"}, "props": [None]},
                {"inherited": {"a": 1}, "satisfied": [7], "implementation-status": "x", "responsible-roles": [None, {"role-id": []}]},
            ]}]},
        ]},
    }}
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    [sheet] = oscal.read(str(path))
    assert [row[:2] for row in sheet.rows[2:]] == [["ac-2", "ac-2"], ["ac-2", "3"]]
