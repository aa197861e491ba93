"""Benchmark: ``raci audit`` of 100 contracts of 150 rows each in one run (target: at most 60 s)."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_DOCS = 100
N_ROWS = 150
TARGET_S = 60.0
_WORDINGS = ("{}", "{} (monthly)", "{} - all sites", "Provide {}", "{} and reporting")
_JUNK = ("Coffee machine restocking", "Plant watering", "Car park passes", "Catering for QBR meetings")
_ROLES = (("I", "A/R"), ("A/R", "C"), ("C", "A/R"), ("A", "R"), ("-", "R"), ("R", "R"), ("N/A", "N/A"), ("i", "ra"))


def make_contracts(root: Path, n_docs: int = N_DOCS, n_rows: int = N_ROWS, seed: int = 11) -> list[Path]:
    """Write ``n_docs`` grid workbooks of ``n_rows`` rows worded from the bundled catalog, with gaps and overlaps."""
    from openpyxl import Workbook

    from raci.catalog import load_catalog

    rng = random.Random(seed)
    cat = load_catalog()
    texts = [(a.domain, t) for a in cat.activities.values() for t in (a.name, *a.aliases)]
    paths = []
    for d in range(n_docs):
        wb = Workbook()
        ws = wb.active
        ws.title = "Exhibit B"
        ws.append([f"Client {d} - responsibility matrix"])
        ws.append([])
        ws.append(["Domain", "Activity", "Client IT", "MSP"])
        for i in range(n_rows):
            if i % 40 == 39:
                domain, label = "Other", rng.choice(_JUNK)
            else:
                domain, text = rng.choice(texts)
                label = rng.choice(_WORDINGS).format(text)
            ws.append([cat.domain_names.get(domain, domain), label, *rng.choice(_ROLES)])
        path = root / f"client-{d:03d}.xlsx"
        wb.save(path)
        paths.append(path)
    return paths


def _read_only_floor(paths: list[Path]) -> None:
    """What reading the same cells costs with openpyxl alone: the floor under any importer."""
    from openpyxl import load_workbook

    for p in paths:
        wb = load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _row in ws.iter_rows(values_only=True):
                pass
        wb.close()


LABELS, LABEL_CHARS, LABELS_TARGET_S = 1_700, 32_000, 20.0


def make_long_labels(root: Path) -> Path:
    """A grid of ``LABELS`` rows whose labels are ``LABEL_CHARS`` characters of random words: a hostile document
    whose matching cost must not grow with the labels' length."""
    import os

    from openpyxl import Workbook

    letters = bytes(range(97, 123)) * 9 + b" " * 22  # 256 bytes: letters, and a space in about twelve
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Matrix")
    ws.append(["Activity", "Client", "MSP"])
    for i in range(LABELS):
        ws.append([f"{i} " + os.urandom(LABEL_CHARS).translate(letters).decode(), "R", "A"])
    path = root / "long-labels.xlsx"
    wb.save(path)
    return path


def _long_labels_row(root: Path) -> dict:
    path = make_long_labels(root)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "raci", "audit", str(path), "--format", "json", "--fail-on", "never"],
                          capture_output=True, text=True)
    raci_s = time.perf_counter() - start
    return {
        "case": f"audit of {LABELS:,} labels of {LABEL_CHARS // 1000}k characters (xlsx, hostile)",
        "raci_s": round(raci_s, 2),
        "baseline_s": None,
        "ratio": None,
        "target": f"<= {LABELS_TARGET_S:g} s, exit 0",
        "ok": raci_s <= LABELS_TARGET_S and proc.returncode == 0,
    }


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_contracts(root)
        raci = [sys.executable, "-m", "raci", "audit", *map(str, paths), "--format", "json", "-o", str(root / "audit.json"),
                "--fail-on", "never"]
        start = time.perf_counter()
        proc = subprocess.run(raci, capture_output=True, text=True)
        raci_s = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"raci audit failed: {proc.stderr}")
        start = time.perf_counter()
        _read_only_floor(paths)
        base_s = time.perf_counter() - start
        hostile = _long_labels_row(root)
    return [{
        "case": f"audit {N_DOCS} contracts x {N_ROWS} rows (xlsx)",
        "raci_s": round(raci_s, 2),
        "baseline_s": round(base_s, 2),
        "ratio": round(raci_s / base_s, 2) if base_s else None,
        "target": f"<= {TARGET_S:g} s (baseline: openpyxl read-only of the same files)",
        "ok": raci_s <= TARGET_S,
    }, hostile]


if __name__ == "__main__":
    for row in run():
        print(row)
