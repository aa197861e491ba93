"""Engagement files: loading, validation errors with file and line, and the written form loading back."""

from __future__ import annotations

import datetime as dt

import pytest
from paths import DATA, MINI

from raci.engagement import dump_engagement, load_engagement, loads_engagement, new_engagement, resolve
from raci.errors import EngagementError

ENG = DATA / "engagements"


def errors(run, name: str) -> list[str]:
    result = run("check", ENG / name, catalog=MINI)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    prefix = f"Error: {ENG / name}"
    lines = result.stderr.splitlines()
    assert all(line.startswith(prefix) for line in lines), lines
    return [line[len(prefix):] for line in lines]


def test_good_engagement_loads_every_section(mini_catalog):
    eng = load_engagement(ENG / "good.raci.yaml", mini_catalog)
    assert eng.client == "Acme Manufacturing"
    assert eng.effective == dt.date(2026, 12, 1)
    assert eng.presets == ["co-managed-tier3-escalation", "co-managed-after-hours"]
    assert eng.profile.compliance == ["hipaa"]
    assert list(eng.parties) == ["client-exec", "client-it", "msp"]
    assert eng.parties["msp"].hours == "24x7"
    assert eng.assignments["monitoring.patching"].business == {"msp": "A/R", "client-it": "I"}
    assert eng.sla == {"servicedesk.tier3": {"response": "30m", "resolution": "8h"}}


def test_unknown_keys_are_named_with_their_lines(run):
    assert errors(run, "unknown-keys.raci.yaml") == [
        ":4: unknown key 'colour' (allowed: client, provider, version, effective, presets, profile, parties, assignments, "
        "exclusions, notes, internal_notes, sla, thresholds, contract_rows, commercial)",
        ":6: unknown key 'phone' in party client-exec (allowed: name, kind, staff, hours)",
    ]


def test_unknown_presets_activities_and_parties_all_reported_together(run):
    assert errors(run, "unknown-ids.raci.yaml") == [
        ":3: unknown preset 'co-managed-magic' (known: co-managed-after-hours, co-managed-tier3-escalation, fully-managed, in-house)",
        ":8: unknown activity 'monitoring.patchin' in assignments (did you mean 'monitoring.patching'?)",
        ":9: servicedesk.tier1: unknown party 'msq' (known: client-exec, client-it)",
        ":10: exclusion 'projects.office-move' is not a catalog activity",
        ":11: unknown activity 'backup.restore-testing' in notes",
    ]


def test_bad_letters(run):
    assert errors(run, "bad-letters.raci.yaml") == [
        ":8: servicedesk.tier1: 'X' for client-it is not a role letter (use R, A, C, I or A/R)",
        ":9: servicedesk.tier2: 'Q' for client-exec is not a role letter (use R, A, C, I or A/R)",
    ]


def test_bad_values(run):
    assert errors(run, "bad-values.raci.yaml") == [
        ':3: version must be quoted text such as "1.0" (unquoted, 1.1 is read as a number and may lose digits)',
        ":4: effective must be a date like 2026-12-01, not 'next week'",
        ":6: unknown framework 'sox' in profile (known: hipaa, pci)",
        ":6: profile employees must be a whole number of at least 0, not 'many'",
        ":6: profile it_staff must be a whole number of at least 0, not -1",
        ":8: party client-exec: kind must be one of client, msp, vendor, not 'boss'",
        ":8: party client-exec: hours must be business-hours or 24x7, not 'office'",
        ":9: party client-it: staff is required (0 for a party with no people)",
        ":11: sla response for servicedesk.tier1 must be a duration such as 15m, 4h, 2d or 3bd, not 'soon'",
        ":11: unknown key 'uptime' in sla for servicedesk.tier1 (allowed: response, resolution)",
        ":12: threshold r_per_staff must be a positive number, not 0",
        ":12: unknown threshold 'max_a' (allowed: r_per_staff)",
    ]


def test_not_yaml_names_the_line(run):
    assert errors(run, "not-yaml.raci.yaml") == [":3: not valid YAML: did not find expected ',' or ']'"]


def test_empty_file(run):
    assert errors(run, "empty.raci.yaml") == [": the file is empty"]


def test_preset_roles_for_undefined_party_are_refused(run):
    assert errors(run, "preset-party-missing.raci.yaml") == [
        ":3: preset 'co-managed-tier3-escalation' gives roles to msp, which 'parties' does not define"
    ]


def test_missing_file(run):
    result = run("check", "no-such.raci.yaml", catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == "Error: no-such.raci.yaml: no such file\n"


def test_yaml_objects_are_never_constructed(mini_catalog):
    with pytest.raises(EngagementError) as exc:
        loads_engagement("client: !!python/object/apply:os.system ['echo hi']\n", mini_catalog, "evil.yaml")
    assert str(exc.value).startswith("evil.yaml:1: unsupported YAML value")


def test_alias_bomb_is_refused(mini_catalog, monkeypatch):
    import raci.yamlio

    monkeypatch.setattr(raci.yamlio, "MAX_NODES", 1000)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    with pytest.raises(EngagementError, match="too many YAML nodes"):
        loads_engagement(bomb, mini_catalog, "bomb.yaml")


def test_case_insensitive_letters_are_canonical(mini_catalog):
    text = (ENG / "good.raci.yaml").read_text().replace("{msp: A/R, client-it: I}", "{msp: r/a, client-it: i}")
    eng = loads_engagement(text, mini_catalog)
    assert eng.assignments["monitoring.patching"].business == {"msp": "A/R", "client-it": "I"}


def test_dump_loads_back_to_the_same_engagement(mini_catalog):
    eng = load_engagement(ENG / "good.raci.yaml", mini_catalog)
    eng.notes["servicedesk.tier1"] = "=cmd|' /C calc'!A0 and: colons, # hashes"
    eng.internal_notes["servicedesk.tier2"] = "internal: yes | no"
    again = loads_engagement(dump_engagement(eng), mini_catalog, eng.path)
    for field in ("client", "provider", "version", "effective", "presets", "profile", "parties", "assignments",
                  "exclusions", "notes", "internal_notes", "sla", "thresholds"):
        assert getattr(again, field) == getattr(eng, field), field


def test_new_engagement_staffs_parties_for_the_arrangement(mini_catalog):
    after = new_engagement(mini_catalog, ["co-managed-after-hours"], "Acme", "Contoso")
    assert {p: (x.kind, x.hours) for p, x in after.parties.items()} == {
        "client-exec": ("client", "business-hours"),
        "client-it": ("client", "business-hours"),
        "msp": ("msp", "24x7"),
    }
    inhouse = new_engagement(mini_catalog, ["in-house"], "Acme")
    # client parties work business hours unless told otherwise, even where nobody else covers the nights
    assert list(inhouse.parties) == ["client-exec", "client-it"]
    assert inhouse.parties["client-it"].hours == "business-hours"
    on_call = new_engagement(mini_catalog, ["in-house"], "Acme", it_hours="24x7")
    assert on_call.parties["client-it"].hours == "24x7"
    assert on_call.parties["client-exec"].hours == "business-hours"
    managed = new_engagement(mini_catalog, ["fully-managed"], "Acme", "Contoso")
    assert list(managed.parties) == ["client-exec", "msp"]


def test_resolve_applies_presets_then_assignments_then_exclusions(mini_catalog):
    text = (ENG / "good.raci.yaml").read_text().replace("exclusions: []", "exclusions: [governance.*]")
    matrix = resolve(loads_engagement(text, mini_catalog), mini_catalog)
    assert matrix.rows["servicedesk.tier3"].business == {"msp": "R", "client-it": "A"}
    assert matrix.rows["monitoring.alert-response"].after_hours == {"msp": "R", "client-it": "I"}
    assert matrix.origin["monitoring.patching"] == "assignment"
    assert matrix.excluded == {"governance.risk-acceptance", "governance.policy-authoring"}
    assert matrix.overrides == [("monitoring.alert-response", "co-managed-tier3-escalation", "co-managed-after-hours")]
