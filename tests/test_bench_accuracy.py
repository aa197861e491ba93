"""The accuracy bench's judgement of one keyed row, as bench/contracts_key.yaml defines its fields."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_accuracy import row_right  # noqa: E402


def test_the_keyed_activity_or_an_also_id_is_right():
    key = {"activity": "continuity.dr-plan", "also": ["continuity.bcp-tabletop"]}
    assert row_right(key, "continuity.dr-plan") and row_right(key, "continuity.bcp-tabletop")
    assert not row_right(key, None) and not row_right(key, "backup.design")


def test_a_null_key_accepts_unmapped_and_its_also_ids():
    key = {"activity": None, "also": ["identity.joiners"]}
    assert row_right(key, None) and row_right(key, "identity.joiners")
    assert not row_right(key, "identity.mfa")
    assert row_right({"activity": None}, None) and not row_right({"activity": None}, "identity.mfa")
