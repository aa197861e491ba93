"""Run every benchmark side by side and print one table, then the reader's accuracy: `python bench/run.py [--quick]`."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

MODULES = ("bench_check", "bench_render", "bench_audit", "bench_diff")


def fmt(value, spec: str) -> str:
    width = int(spec.split(".")[0])
    return "-".rjust(width) if value is None else format(value, spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-activity check")
    parser.add_argument("--no-accuracy", action="store_true", help="skip the contract reader's accuracy on real documents")
    args = parser.parse_args()
    rows: list[dict] = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        if name == "bench_check" and args.quick:
            rows += module.run(sizes=(10_000,))
        else:
            rows += module.run()
    width = max(len(r["case"]) for r in rows)
    print(f"{'case':<{width}}  {'raci s':>8}  {'baseline s':>10}  {'ratio':>6}  {'target':<30}  ok")
    for r in rows:
        print(f"{r['case']:<{width}}  {fmt(r['raci_s'], '8.3f')}  {fmt(r['baseline_s'], '10.3f')}  {fmt(r['ratio'], '6.2f')}  "
              f"{r['target']:<30}  {'yes' if r['ok'] else 'NO'}")
    if not args.no_accuracy:
        import bench_accuracy

        print()
        print("Contract reader on real published matrices, against the hand key (bench/contracts_key.yaml):")
        print(bench_accuracy.table(bench_accuracy.measure()), end="")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
