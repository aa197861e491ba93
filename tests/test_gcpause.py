"""A library call never switches off the caller's garbage collector; the command line may, for its own process."""

from __future__ import annotations

import gc

import pytest
from paths import MINI

from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.engagement import load_engagement, resolve
from raci.gcpause import allow_gc_pauses, gc_paused


@pytest.fixture
def watched(monkeypatch):
    """Records each switch of the collector instead of making it."""
    calls: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: calls.append("disable"))
    monkeypatch.setattr(gc, "enable", lambda: calls.append("enable"))
    yield calls
    allow_gc_pauses(False)


def test_loading_and_checking_leave_the_callers_collector_alone(watched):
    cat = load_catalog(MINI)
    run_checks(resolve(load_engagement(MINI.parent / "engagements" / "good.raci.yaml", cat), cat))
    assert watched == []


def test_a_process_that_allows_pauses_gets_its_collector_back(watched):
    allow_gc_pauses()
    with gc_paused():
        assert watched == ["disable"]
    assert watched == ["disable", "enable"]


def test_a_pause_ends_even_when_the_work_fails(watched):
    allow_gc_pauses()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert watched == ["disable", "enable"]
