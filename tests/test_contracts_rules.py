"""Row rules, each alone: what a row must say to draw a finding, with the id and severity of the registry."""

from __future__ import annotations

import pytest

from raci.contracts.model import ContractRow
from raci.contracts.rules import ROW_RULES, check_rows, conflicting_rows, idle_parties

NAMES = {"cl": "Acme IT", "msp": "Contoso", "isp": "Fibrelink"}.__getitem__


def row(label="Server patching", line=7, **kw) -> ContractRow:
    return ContractRow("c.xlsx", "Matrix", line, label, **kw)


def found(r: ContractRow, rule: str) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity, f.message) for f in check_rows([(r, None)], NAMES, [rule])]


def test_the_registry_holds_each_row_rule_with_its_default_severity():
    assert {rid: rule.severity for rid, rule in ROW_RULES.items()} == {
        "no-accountable": "error", "multiple-accountable": "error", "shared-owner": "error",
        "shared-responsible": "warning", "unreadable-cell": "warning", "extra-cost": "info",
    }
    assert all(rule.explain.endswith(".") for rule in ROW_RULES.values())


@pytest.mark.parametrize(("roles", "message"), [
    ({}, "Nobody is responsible or accountable for 'Server patching'."),
    ({"msp": "R", "cl": "I"}, "Contoso is responsible for 'Server patching', but nobody is accountable for it."),
    ({"msp": "R", "cl": "R"}, "Contoso and Acme IT are responsible for 'Server patching', but nobody is accountable for it."),
])
def test_no_accountable(roles, message):
    assert found(row(roles=roles), "no-accountable") == [("no-accountable", "error", message)]


@pytest.mark.parametrize("kw", [
    {"roles": {"msp": "A/R"}},                                   # an owner
    {"roles": {"msp": "A", "cl": "C"}},                          # A alone: the accountable party does the work
    {"roles": {"msp": "R", "cl": "R"}, "shared": True},          # a shared owner draws shared-owner instead
    {"roles": {}, "excluded": True},                             # out of scope
    {"roles": {}, "unclear": [("Contoso", "Overflow only")]},    # unreadable: reported as such, not guessed
])
def test_no_accountable_is_silent(kw):
    assert found(row(**kw), "no-accountable") == []


def test_multiple_accountable_counts_a_in_any_cell():
    r = row(roles={"cl": "A", "msp": "A/R", "isp": "I"})
    assert found(r, "multiple-accountable") == [
        ("multiple-accountable", "error", "Acme IT and Contoso are all accountable for 'Server patching'; exactly one party must be.")]
    assert found(row(roles={"cl": "A", "msp": "R"}), "multiple-accountable") == []


def test_shared_owner_needs_a_note_to_be_silent():
    shared = row(roles={"msp": "R", "cl": "R"}, shared=True)
    assert found(shared, "shared-owner") == [(
        "shared-owner", "error",
        "'Server patching' is shared between Contoso and Acme IT with no split written down: say who does what and who "
        "answers for it, or expect it done twice or not at all.")]
    assert found(row(roles={"msp": "R", "cl": "R"}, shared=True, note="Contoso patches; Acme IT approves reboots"),
                 "shared-owner") == []
    assert found(row(roles={"msp": "R", "cl": "R"}), "shared-owner") == []  # two R letters are not a shared owner


def test_shared_responsible_is_two_doers_beside_one_owner_without_a_note():
    assert found(row(roles={"msp": "A/R", "cl": "R"}), "shared-responsible") == [(
        "shared-responsible", "warning",
        "Contoso and Acme IT are both responsible for 'Server patching' and no note says how the work is split.")]
    assert found(row(roles={"msp": "A/R", "cl": "R"}, note="split by site"), "shared-responsible") == []
    assert found(row(roles={"msp": "R", "cl": "R"}), "shared-responsible") == []  # no A: that is no-accountable


def test_unreadable_cell_names_each_cell():
    r = row(unclear=[("Contoso", "Overflow only"), ("Acme IT", "When internal unavailable")])
    assert found(r, "unreadable-cell") == [(
        "unreadable-cell", "warning",
        "The cell under Contoso says 'Overflow only'; the cell under Acme IT says 'When internal unavailable': none is a "
        "role letter, mark or owner word; they were read as no role.")]


def test_extra_cost_says_what_is_not_included():
    r = row(costs=[("Contoso", "\u00a3")])
    assert found(r, "extra-cost") == [(
        "extra-cost", "info",
        "'Server patching' is available at extra cost from Contoso (\u00a3): not included in the fee, so not owned by this contract.")]


def test_findings_carry_the_row_source():
    (f,) = check_rows([(row(roles={}), "patching.os-servers")], NAMES, ["no-accountable"])
    assert (f.activity, f.source) == ("patching.os-servers", {"file": "c.xlsx", "sheet": "Matrix", "row": 7, "column": None,
                                                              "label": "Server patching"})


def test_conflicting_rows_is_one_finding_at_the_later_row():
    first = row("Server patching", 7, roles={"msp": "A/R"})
    same = row("Servers: patches", 9, roles={"msp": "A/R", "cl": "I"})
    other = row("Patch servers monthly", 12, roles={"cl": "A/R"})
    gone = row("Server patches", 14, excluded=True)
    pairs = [(first, "patching.os-servers"), (same, "patching.os-servers"), (other, "patching.os-servers"),
             (gone, "patching.os-servers"), (row("Coffee", 15, roles={}), None)]
    out = conflicting_rows(pairs, NAMES, lambda a: "Server operating-system patching")
    assert [(f.rule, f.severity, f.source["row"], f.message) for f in out] == [
        ("conflicting-rows", "warning", 12, "'Patch servers monthly' and 'Server patching' (row 7) both mean Server operating-system "
                                            "patching, but give it different owners: Acme IT here, Contoso there."),
        ("conflicting-rows", "warning", 14, "'Server patches' and 'Server patching' (row 7) both mean Server operating-system "
                                            "patching, but give it different owners: out of scope here, Contoso there."),
    ]


def test_idle_parties_count_unmapped_rows_too():
    rows = [row(roles={"cl": "A/R"}), row(roles={"msp": "I"}), row(roles={"isp": "R"}, excluded=True)]
    out = idle_parties([("cl", "Acme IT", {}), ("msp", "Contoso", {}), ("isp", "Fibrelink", {})], rows)
    assert [(f.rule, f.parties) for f in out] == [("idle-party", ("msp",)), ("idle-party", ("isp",))]
