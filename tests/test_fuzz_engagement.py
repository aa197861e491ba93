"""Fuzzing engagement files: values of every type put where others belong, keys renamed, entries dropped or
wrapped. `raci check` and `raci render --md` must end with exit 0, 1 or 2, never a traceback, and an exit 2
must be nothing but `Error: ` lines."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import DATA, MINI, SAMPLES

GOOD = DATA / "engagements" / "good.raci.yaml"
RIVERSIDE = SAMPLES / "riverside-clinic.raci.yaml"
CONTRACT_ROW = {
    "label": "Server patching", "file": "sow.docx", "sheet": "Matrix", "row": 3, "column": "B",
    "activity": "monitoring.patching", "roles": {"msp": "A/R", "client-it": "I"}, "cells": {"Contoso": "A/R", "Acme IT": "I"},
    "note": "monthly", "shared": False, "out_of_scope": False, "unreadable": ["Acme IT"], "extra_cost": [],
}


def _base(path: Path, **extra) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(extra)
    return data


BASES = {
    "mini": (_base(GOOD, contract_rows=[CONTRACT_ROW], thresholds={"r_per_staff": 30}), MINI),
    "bundled": (_base(RIVERSIDE), None),
}

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(), _TEXT,
    st.dates(), st.datetimes(),
    st.sampled_from(["A/R", "r", "msp", "client-it", "*", "servicedesk.*", "[", "", " ", "hipaa", "24x7", "30m",
                     "monitoring.patching", "in-house", "~", "x" * 33_000, "\x00", "\ufffe"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(_TEXT, st.integers(), st.booleans(), st.none(), st.dates()), inner, max_size=4),
    ),
    max_leaves=8,
)
KEYS = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.dates(), _TEXT,
                 st.sampled_from(["msp", "after-hours", "response", "compliance", "label", "r_per_staff"]))


def _slots(obj, out: list) -> list:
    """Every (container, key or index) in ``obj``, parents before children."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for key, value in list(items):
        out.append((obj, key))
        _slots(value, out)
    return out


def _mutate(data, draw) -> None:
    slots = _slots(data, [])
    container, key = slots[draw(st.integers(0, len(slots) - 1))]
    how = draw(st.sampled_from(["value", "value", "value", "rename", "wrap", "drop"]))
    if how == "value":
        container[key] = draw(VALUES)
    elif how == "wrap":
        container[key] = draw(st.sampled_from([[container[key]], {"x": container[key]}, [[container[key]]]]))
    elif how == "drop":
        del container[key]
    elif isinstance(container, dict):
        new = draw(KEYS)
        if new not in container:
            container[new] = container.pop(key)


def _run_all(run, data, catalog) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.raci.yaml"
        path.write_text(text, encoding="utf-8")
        for args in (("check", path), ("render", path, "--md", Path(tmp) / "out.md")):
            res = run(*args, catalog=catalog)
            where = f"{args[0]} of:\n{text[:3000]}\nstdout: {res.stdout[:2000]}\nstderr: {res.stderr[:2000]}"
            assert res.exit_code in (0, 1, 2), where
            assert "Traceback" not in res.stdout + res.stderr, where
            if res.exit_code == 2:
                assert res.stderr and all(line.startswith("Error: ") for line in res.stderr.splitlines()), where


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(data=st.data())
def test_mini_engagement_with_values_of_other_types(run, data):
    base, catalog = BASES["mini"]
    doc = yaml.safe_load(yaml.safe_dump(base))  # a fresh copy
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate(doc, data.draw)
    _run_all(run, doc, catalog)


@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_bundled_sample_with_values_of_other_types(run, data):
    base, catalog = BASES["bundled"]
    doc = yaml.safe_load(yaml.safe_dump(base))
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate(doc, data.draw)
    _run_all(run, doc, catalog)


def test_the_bases_are_clean(run):
    """The fuzz starts from valid engagements: unmutated, each checks and renders (exit 0 or 1, no Error line)."""
    for base, catalog in BASES.values():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "base.raci.yaml"
            path.write_text(yaml.safe_dump(base, sort_keys=False), encoding="utf-8")
            res = run("check", path, catalog=catalog)
            assert res.exit_code in (0, 1), res.stderr
            assert "Error:" not in res.stderr
