"""Catalog loading: the bundled catalog's breadth, and every validation error reported with file and line."""

from __future__ import annotations

import shutil

import pytest
from paths import DATA, MINI

from raci.catalog import load_catalog, match_ids
from raci.errors import CatalogError

ERRORS = DATA / "catalog_errors"


def broken_catalog(tmp_path, fixture: str, dest: str):
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    shutil.copy(ERRORS / fixture, root / dest)
    with pytest.raises(CatalogError) as exc:
        load_catalog(root)
    return [line.replace(str(root) + "/", "") for line in exc.value.lines()]


def test_duplicate_ids_and_wrong_prefix(tmp_path):
    assert broken_catalog(tmp_path, "duplicate-id.yaml", "domains/09-extra.yaml") == [
        "domains/09-extra.yaml:4: duplicate activity id 'extra.one' (first defined at domains/09-extra.yaml:3)",
        "domains/09-extra.yaml:5: activity id 'servicedesk-x.two' must start with its domain id 'extra.'",
    ]


def test_unknown_references_and_frameworks(tmp_path):
    assert broken_catalog(tmp_path, "unknown-references.yaml", "domains/09-extra.yaml") == [
        "domains/09-extra.yaml:6: extra.one depends on unknown activity 'monitoring.rmm-agnet'",
        "domains/09-extra.yaml:7: extra.one escalates to unknown activity 'extra.nowhere'",
        "domains/09-extra.yaml:8: extra.one names unknown framework 'sox' (known: hipaa, pci)",
    ]


def test_dependency_and_escalation_cycles(tmp_path):
    assert broken_catalog(tmp_path, "cycles.yaml", "domains/09-extra.yaml") == [
        "domains/09-extra.yaml:3: dependency cycle: extra.a -> extra.b -> extra.a",
        "domains/09-extra.yaml:3: escalation cycle: extra.a -> extra.c -> extra.a",
    ]


def test_unknown_keys_bad_values_and_missing_fields(tmp_path):
    assert broken_catalog(tmp_path, "bad-keys.yaml", "domains/09-extra.yaml") == [
        "domains/09-extra.yaml:1: unknown key 'owner' in domain",
        "domains/09-extra.yaml:3: unknown key 'owner' in activity (allowed: aliases, controls, coverage, depends_on, description, "
        "escalates_to, frameworks, id, name, non_delegable)",
        "domains/09-extra.yaml:3: coverage 'weekends' must be business-hours or 24x7",
        "domains/09-extra.yaml:3: non_delegable must be true or false",
        "domains/09-extra.yaml:4: activity is missing description",
    ]


def test_bad_preset_reports_every_problem(tmp_path):
    assert broken_catalog(tmp_path, "bad-preset.yaml", "presets/broken.yaml") == [
        "presets/broken.yaml:5: unknown key 'colour' in preset (allowed: commercial, description, extends, id, name, rows)",
        "presets/broken.yaml:7: row '*': 'Z' for client-exec is not a role letter (use R, A, C, I or A/R)",
        "presets/broken.yaml:8: row 'backup.*': glob matches no activity",
        "presets/broken.yaml:9: row 'servicedesk.tier9': unknown activity id",
        "presets/broken.yaml:10: row 'monitoring.alert-response' after-hours: 'X' for msp is not a role letter (use R, A, C, I or A/R)",
        "presets/broken.yaml:1: preset 'broken' extends unknown preset 'out-house'",
    ]


def test_cli_reports_catalog_errors_with_exit_2(tmp_path, run):
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    shutil.copy(ERRORS / "cycles.yaml", root / "domains" / "09-extra.yaml")
    result = run("catalog", catalog=root)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {root}/domains/09-extra.yaml:3: dependency cycle: extra.a -> extra.b -> extra.a",
        f"Error: {root}/domains/09-extra.yaml:3: escalation cycle: extra.a -> extra.c -> extra.a",
    ]


def test_missing_catalog_folder(run, tmp_path):
    result = run("catalog", catalog=tmp_path / "nope")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope'}: catalog folder not found\n"


def test_globs_and_specificity(mini_catalog):
    ids = mini_catalog.ids()
    assert match_ids("governance.*", ids) == ["governance.risk-acceptance", "governance.policy-authoring"]
    assert match_ids("*.tier?", ids) == ["servicedesk.tier1", "servicedesk.tier2", "servicedesk.tier3"]
    assert match_ids("monitoring.patching", ids) == ["monitoring.patching"]
    fm = mini_catalog.presets["fully-managed"]
    rows = fm.own_rows(ids)
    # exact id beats "governance.*", which beats "*"
    assert rows["governance.risk-acceptance"][0].business == {"client-exec": "A/R", "msp": "C"}
    assert rows["governance.policy-authoring"][0].business == {"client-exec": "A", "msp": "R"}
    assert rows["servicedesk.tier1"][0].business == {"msp": "A/R", "client-exec": "I"}
