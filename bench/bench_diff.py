"""Benchmarks for issue 5: `raci diff` of a generated engagement against its own preset and against itself."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import raci_cmd, wall  # noqa: E402
from gen import generate  # noqa: E402


def run(n: int = 10_000) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cat, eng = generate(Path(tmp), n, parties=8)
        base = [*raci_cmd(), "--catalog", str(cat)]
        # Baseline: `raci check` loads and resolves the same engagement once; diff loads it (or the preset) twice.
        t_check, t_diff, t_self = [], [], []
        for _ in range(3):
            t_check.append(wall([*base, "check", str(eng), "--format", "json", "--fail-on", "never"]))
            t_diff.append(wall([*base, "diff", "base", str(eng), "--format", "json"]))
            t_self.append(wall([*base, "diff", str(eng), str(eng), "--format", "md"]))
        check, dpreset, dself = (statistics.median(t) for t in (t_check, t_diff, t_self))
        rows.append({"case": f"raci diff preset vs engagement, {n:,} activities, 8 parties", "raci_s": dpreset,
                     "baseline_s": check, "ratio": dpreset / check, "target": "<= 2 s", "ok": dpreset <= 2.0})
        rows.append({"case": f"raci diff engagement vs itself (md), {n:,} activities", "raci_s": dself,
                     "baseline_s": check, "ratio": dself / check, "target": "<= 2 s", "ok": dself <= 2.0})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
