"""The catalog's structural validation: each way a catalog file can be malformed is reported with its file and line.
One fixture per error under tests/data/catalog/, dropped into a copy of the mini catalog."""

from __future__ import annotations

import shutil

import pytest
from paths import DATA, MINI

from raci.catalog import load_catalog
from raci.errors import CatalogError

FIXTURES = DATA / "catalog"
DOMAIN, PRESET, FRAMEWORKS = "domains/09-extra.yaml", "presets/zz-extra.yaml", "frameworks.yaml"

CASES = [
    ("framework-duplicate.yaml", FRAMEWORKS, ["frameworks.yaml:5: duplicate framework id 'hipaa'"]),
    ("framework-without-id.yaml", FRAMEWORKS, ["frameworks.yaml:5: each framework needs an 'id' and a 'name'"]),
    ("domain-not-a-mapping.yaml", DOMAIN, [f"{DOMAIN}:2: expected a mapping with 'domain' and 'activities'"]),
    ("domain-unknown-top-key.yaml", DOMAIN, [f"{DOMAIN}:3: unknown key 'owner' (expected 'domain' and 'activities')"]),
    ("domain-without-name.yaml", DOMAIN, [f"{DOMAIN}:2: 'domain' needs an 'id' and a 'name'"]),
    ("domain-bad-id.yaml", DOMAIN, [f"{DOMAIN}:2: domain id 'Extra.x' must be lowercase letters, digits and hyphens"]),
    ("domain-duplicate-id.yaml", DOMAIN, [f"{DOMAIN}:2: duplicate domain id 'monitoring'"]),
    ("activities-not-a-list.yaml", DOMAIN, [f"{DOMAIN}:3: 'activities' must be a list"]),
    ("activity-not-a-mapping.yaml", DOMAIN, [f"{DOMAIN}:4: each activity must be a mapping"]),
    ("activity-name-too-long.yaml", DOMAIN, [f"{DOMAIN}:4: activity name is 32,768 characters long, more than the limit "
                                             "of 32,767 (an Excel cell holds no more)"]),
    ("escalates-to-a-list.yaml", DOMAIN, [f"{DOMAIN}:4: escalates_to must be an activity id or null"]),
    ("depends-on-itself.yaml", DOMAIN, [f"{DOMAIN}:4: extra.one depends on itself"]),
    ("preset-not-a-mapping.yaml", PRESET, [f"{PRESET}:2: expected a preset mapping with id, name, description, extends and rows"]),
    ("preset-bad-id.yaml", PRESET, [f"{PRESET}:2: preset needs an 'id' of lowercase letters, digits and hyphens"]),
    ("preset-duplicate-id.yaml", PRESET, [f"{PRESET}:2: duplicate preset id 'in-house' (also in presets/in-house.yaml)"]),
    ("preset-without-rows.yaml", PRESET, [f"{PRESET}:6: preset needs a non-empty 'rows' mapping"]),
    ("preset-row-key-not-text.yaml", PRESET, [f"{PRESET}:7: row key 42 must be an activity id or a glob"]),
    ("preset-extends-a-list.yaml", PRESET, [f"{PRESET}:5: extends must be a preset id or null"]),
    ("preset-extends-itself.yaml", PRESET, [f"{PRESET}:2: preset 'loop' extends itself through 'loop'"]),
]


def problems(tmp_path, fixture: str | None, dest: str | None) -> list[str]:
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    if fixture is not None and dest is not None:
        (root / dest).unlink(missing_ok=True)
        shutil.copy(FIXTURES / fixture, root / dest)
    with pytest.raises(CatalogError) as exc:
        load_catalog(root)
    return [line.replace(f"{root}/", "") for line in exc.value.lines()]


@pytest.mark.parametrize(("fixture", "dest", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_structural_error_names_its_file_and_line(tmp_path, fixture, dest, expected):
    assert problems(tmp_path, fixture, dest) == expected


def test_frameworks_that_are_not_a_list(tmp_path):
    # the frameworks the domains name are then unknown too; the first line says why
    assert problems(tmp_path, "frameworks-not-a-list.yaml", FRAMEWORKS)[0] == "frameworks.yaml:2: expected a 'frameworks:' list"


def test_a_catalog_without_frameworks_or_domains(tmp_path):
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    (root / "frameworks.yaml").unlink()
    shutil.rmtree(root / "domains")
    shutil.rmtree(root / "presets")
    with pytest.raises(CatalogError) as exc:
        load_catalog(root)
    assert [line.replace(f"{root}/", "") for line in exc.value.lines()] == [
        "frameworks.yaml: missing: the catalog needs a frameworks.yaml listing known frameworks",
        "domains: no domain files (*.yaml) found",
    ]


def test_every_fixture_is_a_case():
    named = {c[0] for c in CASES} | {"frameworks-not-a-list.yaml"}
    assert {p.name for p in FIXTURES.glob("*.yaml")} == named
