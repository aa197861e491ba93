"""Paths the tests share (importable as ``from paths import ...``: pytest puts tests/ on sys.path)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini"
SAMPLES = ROOT / "samples"
