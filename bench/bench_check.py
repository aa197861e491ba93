"""Benchmarks for issue 2: `raci --help` cold start against `import click`, and `raci check` at 10k and 100k activities."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import generate  # noqa: E402


def raci_cmd() -> list[str]:
    exe = shutil.which("raci")
    return [exe] if exe else [sys.executable, "-m", "raci"]


def wall(cmd: list[str]) -> float:
    """Wall time of one run; the exit code is not checked because `raci check` exits 1 on planted gaps."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def interleaved(a: list[str], b: list[str], reps: int) -> tuple[float, float]:
    """Median wall time of two commands, run alternately so machine noise hits both alike."""
    ta, tb = [], []
    for _ in range(reps):
        ta.append(wall(a))
        tb.append(wall(b))
    return statistics.median(ta), statistics.median(tb)


def run(sizes: tuple[int, ...] = (10_000, 100_000)) -> list[dict]:
    rows = []
    t_help, t_click = interleaved([*raci_cmd(), "--help"], [sys.executable, "-c", "import click"], reps=9)
    ratio = t_help / t_click
    rows.append({"case": "raci --help vs python -c 'import click'", "raci_s": t_help, "baseline_s": t_click,
                 "ratio": ratio, "target": "ratio <= 1.5", "ok": ratio <= 1.5})
    with tempfile.TemporaryDirectory() as tmp:
        times = {}
        for n in sizes:
            cat, eng = generate(Path(tmp), n, parties=8)
            cmd = [*raci_cmd(), "--catalog", str(cat), "check", str(eng), "--format", "json"]
            reps = 3 if n <= 10_000 else 1
            times[n] = statistics.median(wall(cmd) for _ in range(reps))
        if 10_000 in times:
            rows.append({"case": "raci check, 10,000 activities, 8 parties", "raci_s": times[10_000], "baseline_s": None,
                         "ratio": None, "target": "<= 2 s", "ok": times[10_000] <= 2.0})
        if 100_000 in times and 10_000 in times:
            growth = times[100_000] / times[10_000]
            rows.append({"case": "raci check, 100,000 activities, 8 parties", "raci_s": times[100_000], "baseline_s": times[10_000],
                         "ratio": growth, "target": "<= 20 s (10 x the 2 s target)", "ok": times[100_000] <= 20.0})
    return rows
