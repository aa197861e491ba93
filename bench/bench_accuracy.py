"""Accuracy of `raci audit` on real published matrices, against the hand key: `python bench/bench_accuracy.py`.

For every document in bench/contracts_key.yaml the installed command is run as
`python -m raci audit FILE --format json --fail-on never` (from the repository root, so the key's relative paths hold),
timed, and compared with the key:

  layout right     sheet, header row, label column, orientation and the parties (headers compared as sets after
                   case-folding and whitespace collapse, each with the same kind) all equal the key;
  rows mapped      keyed rows found among the tool's rows (by sheet and row, and column where keyed; else by label)
                   whose activity is the key's or one of its `also` ids (null is right when the key says null, and an
                   `also` id is right beside a null key too, as the key file defines `also`);
                   a keyed row the tool does not report is wrong;
  problems caught  a keyed problem counts when a finding at that row has a matching rule;
  false errors     error findings at a keyed row that the key gives no problem of that kind, plus, for documents keyed
                   in full (`keyed: all`), error findings at rows that are not in the key;
  seconds          wall time of the command.
An exit code of 2, a crash, a timeout or unreadable JSON counts as layout wrong and every row wrong.

Options: --doc ID (repeatable) runs some documents only, --json prints the measurements as JSON,
--key PATH uses another key, --timeout SECONDS per document. `measure(key_path)` returns the same list of dicts.
main() always returns 0: this is a measurement, not a gate.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_KEY = Path(__file__).resolve().parent / "contracts_key.yaml"

# keyed problem -> finding rules that catch it (as the brief defines them)
CATCHES = {
    "no-owner": {"no-accountable", "no-owner"},
    "multiple-accountable": {"multiple-accountable"},
    "shared-without-split": {"shared-responsible", "shared-owner"},
    "conflicting-rows": {"conflicting-rows"},
    "non-delegable": {"non-delegable"},
}
# finding rule -> keyed problem it speaks to, when judging whether an error finding is false
RULE_KIND = {rule: kind for kind, rules in CATCHES.items() for rule in rules}
RULE_KIND["no-responsible"] = "no-owner"


# ------------------------------------------------------------------ normalising


def norm_text(value: Any) -> str:
    """Case-folded text with whitespace (no-break spaces included) collapsed."""
    if value is None:
        return ""
    return " ".join(str(value).split()).casefold()


def norm_label(value: Any) -> str:
    """Label for fallback matching: also drop Markdown emphasis and backticks."""
    return norm_text(re.sub(r"[*_`]+", "", str(value or "")))


def norm_sheet(value: Any) -> str | None:
    text = norm_text(value)
    return text or None


def norm_column(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(65 + rest) + letters
        return letters
    return str(value).strip().upper() or None


def to_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ running the tool


def run_audit(file: str, timeout: float) -> tuple[str, dict | None, float, str]:
    """(status, report, seconds, detail); status is ok, exit-<code>, crash, timeout or bad-json."""
    cmd = [sys.executable, "-m", "raci", "audit", file, "--format", "json", "--fail-on", "never"]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", None, time.perf_counter() - start, f"no answer within {timeout:g} s"
    seconds = time.perf_counter() - start
    tail = (proc.stderr or "").strip().splitlines()[-1:] or [""]
    if proc.returncode == 2:
        return "exit-2", None, seconds, tail[0]
    if proc.returncode not in (0, 1):
        return "crash", None, seconds, f"exit {proc.returncode}: {tail[0]}"
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        return "bad-json", None, seconds, str(exc)
    if not isinstance(report, dict):
        return "bad-json", None, seconds, "the report is not a JSON object"
    return "ok", report, seconds, ""


# ------------------------------------------------------------------ comparing


def layout_check(key_layout: dict, tool_doc: dict | None) -> dict:
    """Per field: expected, got, right; plus an overall `right`."""
    tool_doc = tool_doc or {}
    fields: dict[str, dict] = {}

    def field(name: str, expected: Any, got: Any, same: bool) -> None:
        fields[name] = {"expected": expected, "got": got, "right": same}

    field("sheet", key_layout.get("sheet"), tool_doc.get("sheet"), norm_sheet(key_layout.get("sheet")) == norm_sheet(tool_doc.get("sheet")))
    field("header_row", key_layout.get("header_row"), tool_doc.get("header_row"),
          to_int(key_layout.get("header_row")) is not None and to_int(key_layout.get("header_row")) == to_int(tool_doc.get("header_row")))
    field("label_column", key_layout.get("label_column"), tool_doc.get("label_column"),
          norm_column(key_layout.get("label_column")) is not None
          and norm_column(key_layout.get("label_column")) == norm_column(tool_doc.get("label_column")))
    field("orientation", key_layout.get("orientation", "rows"), tool_doc.get("orientation"),
          norm_text(key_layout.get("orientation", "rows")) == norm_text(tool_doc.get("orientation")))
    expected_parties = {(norm_text(p.get("header")), norm_text(p.get("kind"))) for p in key_layout.get("parties") or []}
    got_parties = {(norm_text(p.get("header")), norm_text(p.get("kind")))
                   for p in tool_doc.get("parties") or [] if isinstance(p, dict)}
    field("parties", sorted(expected_parties), sorted(got_parties), expected_parties == got_parties)
    return {"right": all(f["right"] for f in fields.values()), "fields": fields}


def source_of(item: dict) -> dict:
    source = item.get("source")
    return source if isinstance(source, dict) else {}


def same_place(key_item: dict, source: dict, key_sheet: str | None) -> bool:
    """Does a tool row/finding source sit where the keyed row is (sheet, row, column as keyed)? A keyed row's own
    ``sheet`` (a Word or PDF table: "table 2", "page 3, table 1") wins over the layout's."""
    key_sheet = norm_sheet(key_item.get("sheet")) or key_sheet
    if key_sheet is not None and norm_sheet(source.get("sheet")) not in (None, key_sheet):
        return False
    key_row, key_col = key_item.get("row"), norm_column(key_item.get("column"))
    if key_row is not None and to_int(source.get("row")) != key_row:
        return False
    if key_col is not None and norm_column(source.get("column")) != key_col:
        return False
    return key_row is not None or key_col is not None


def find_tool_row(key_item: dict, tool_rows: list[dict], key_sheet: str | None) -> dict | None:
    placed = [r for r in tool_rows if same_place(key_item, source_of(r), key_sheet)]
    if placed:
        # a row-only key and a tool that split the row per column: prefer the whole-row record
        whole = [r for r in placed if norm_column(source_of(r).get("column")) is None]
        return (whole or placed)[0]
    label = norm_label(key_item.get("label"))
    if not label:
        return None
    for r in tool_rows:
        got = norm_label(source_of(r).get("label"))
        if got and (got == label or got.startswith(label)):
            return r
    return None


def row_right(key_item: dict, got: str | None) -> bool:
    """Is ``got`` (an activity id, or None for unmapped) what the key accepts for this row? The key's activity, or
    one of its `also` ids: ids a consultant accepts equally, beside a null key too ("unmapped, or this one")."""
    return got in {key_item.get("activity")} | set(key_item.get("also") or [])


def measure_document(entry: dict, timeout: float) -> dict:
    layout_key = entry.get("layout") or {}
    key_sheet = norm_sheet(layout_key.get("sheet"))
    keyed_rows = entry.get("rows") or []
    keyed_problems = entry.get("problems") or []
    file = entry.get("file", "")
    result: dict[str, Any] = {
        "id": entry.get("id"), "file": file, "format": entry.get("format") or Path(file).suffix.lstrip(".").lower(),
        "keyed": entry.get("keyed", "sample"), "rows_keyed": len(keyed_rows), "problems_keyed": len(keyed_problems),
        "rows_right": 0, "problems_caught": 0, "false_errors": 0, "layout_right": False,
    }
    status, report, seconds, detail = run_audit(file, timeout)
    result.update(status=status, detail=detail, seconds=round(seconds, 3))
    if report is None:
        result["layout"] = layout_check(layout_key, None)
        result["layout"]["right"] = False
        result["row_results"] = [{"row": k.get("row"), "column": k.get("column"), "label": k.get("label"),
                                  "expected": k.get("activity"), "got": None, "found": False, "right": False} for k in keyed_rows]
        result["problem_results"] = [{"row": p.get("row"), "column": p.get("column"), "problem": p.get("problem"), "caught": False}
                                     for p in keyed_problems]
        result["false_error_findings"] = []
        return result

    documents = [d for d in report.get("documents") or [] if isinstance(d, dict)]
    tool_doc = documents[0] if documents else None
    result["layout"] = layout_check(layout_key, tool_doc)
    result["layout_right"] = result["layout"]["right"]
    result["runner_up"] = (tool_doc or {}).get("runner_up")

    tool_rows = [r for r in report.get("rows") or [] if isinstance(r, dict)]
    row_results = []
    for k in keyed_rows:
        match = find_tool_row(k, tool_rows, key_sheet)
        expected = k.get("activity")
        got = match.get("activity") if match else None
        right = match is not None and row_right(k, got)
        row_results.append({"row": k.get("row"), "column": k.get("column"), "label": k.get("label"),
                            "expected": expected, "got": got, "found": match is not None, "right": right})
    result["row_results"] = row_results
    result["rows_right"] = sum(r["right"] for r in row_results)

    findings = [f for f in report.get("findings") or [] if isinstance(f, dict)]
    problem_results = []
    for p in keyed_problems:
        rules = CATCHES.get(p.get("problem"), set())
        caught = any(f.get("rule") in rules and same_place(p, source_of(f), key_sheet) for f in findings)
        problem_results.append({"row": p.get("row"), "column": p.get("column"), "problem": p.get("problem"), "caught": caught})
    result["problem_results"] = problem_results
    result["problems_caught"] = sum(p["caught"] for p in problem_results)

    false_errors = []
    full = str(entry.get("keyed", "sample")).lower() == "all"
    for f in findings:
        if str(f.get("severity", "")).lower() != "error":
            continue
        source = source_of(f)
        if to_int(source.get("row")) is None and norm_column(source.get("column")) is None:
            continue  # document-level finding, not about a row
        if key_sheet is not None and norm_sheet(source.get("sheet")) not in (None, key_sheet):
            continue
        keyed_here = [k for k in keyed_rows if same_place(k, source, key_sheet)]
        if not keyed_here:
            if full:
                false_errors.append(f)
            continue
        kinds_here = {p.get("problem") for p in keyed_problems if same_place(p, source, key_sheet)}
        if RULE_KIND.get(f.get("rule")) not in kinds_here:
            false_errors.append(f)
    result["false_errors"] = len(false_errors)
    result["false_error_findings"] = [{"rule": f.get("rule"), "row": source_of(f).get("row"), "column": source_of(f).get("column"),
                                       "label": source_of(f).get("label"), "message": f.get("message")} for f in false_errors]
    return result


def load_key(key_path: str | Path) -> list[dict]:
    data = yaml.safe_load(Path(key_path).read_text(encoding="utf-8")) or {}
    return [d for d in data.get("documents") or [] if isinstance(d, dict)]


def measure(key_path: str | Path = DEFAULT_KEY, docs: list[str] | None = None, timeout: float = 600.0) -> list[dict]:
    """Run the audit on every keyed document (or the ids in `docs`) and return one dict per document."""
    entries = load_key(key_path)
    if docs:
        wanted = set(docs)
        unknown = wanted - {e.get("id") for e in entries}
        if unknown:
            raise SystemExit(f"not in the key: {', '.join(sorted(unknown))}")
        entries = [e for e in entries if e.get("id") in wanted]
    return [measure_document(e, timeout) for e in entries]


# ------------------------------------------------------------------ reporting


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "    -"


def totals(results: list[dict]) -> dict:
    return {
        "documents": len(results),
        "layout_right": sum(r["layout_right"] for r in results),
        "rows_keyed": sum(r["rows_keyed"] for r in results),
        "rows_right": sum(r["rows_right"] for r in results),
        "problems_keyed": sum(r["problems_keyed"] for r in results),
        "problems_caught": sum(r["problems_caught"] for r in results),
        "false_errors": sum(r["false_errors"] for r in results),
        "seconds": round(sum(r["seconds"] for r in results), 3),
    }


LAYOUT_CODES = {"sheet": "s", "header_row": "h", "label_column": "l", "orientation": "o", "parties": "p"}


def table(results: list[dict]) -> str:
    width = max([len("document")] + [len(str(r["id"])) for r in results])
    head = f"{'document':<{width}}  {'format':<6}  {'keyed':<6}  {'layout':<11}  {'rows right':>11}  {'problems':>9}  {'false err':>9}  {'seconds':>8}"
    lines = [head, "-" * len(head)]
    for r in results:
        if r["status"] != "ok":
            layout = r["status"]
        else:
            wrong = "".join(LAYOUT_CODES[name] for name, f in r["layout"]["fields"].items() if not f["right"])
            layout = f"no({wrong})" if wrong else "yes"
        lines.append(f"{r['id']:<{width}}  {r['format']:<6}  {r['keyed']:<6}  {layout:<11}  "
                     f"{r['rows_right']:>4}/{r['rows_keyed']:<6}  {r['problems_caught']:>3}/{r['problems_keyed']:<5}  "
                     f"{r['false_errors']:>9}  {r['seconds']:>8.2f}")
    t = totals(results)
    lines.append("-" * len(head))
    lines.append(f"{'Total':<{width}}  {'':<6}  {'':<6}  {t['layout_right']:>3}/{t['documents']:<2} {pct(t['layout_right'], t['documents']):>5}  "
                 f"{pct(t['rows_right'], t['rows_keyed']):>11}  {pct(t['problems_caught'], t['problems_keyed']):>9}  "
                 f"{t['false_errors']:>9}  {t['seconds']:>8.2f}")
    lines.append(f"rows right {t['rows_right']}/{t['rows_keyed']}, problems caught {t['problems_caught']}/{t['problems_keyed']}, "
                 f"layouts right {t['layout_right']}/{t['documents']}; layout no(...) names the wrong parts: "
                 "s sheet, h header row, l label column, o orientation, p parties")
    failed = [r for r in results if r["status"] != "ok"]
    for r in failed:
        lines.append(f"  {r['id']}: {r['status']} {r['detail']}".rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", default=str(DEFAULT_KEY), help="hand key (default: bench/contracts_key.yaml)")
    parser.add_argument("--doc", action="append", metavar="ID", help="measure only this document (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds allowed per document (default 600)")
    args = parser.parse_args(argv)
    results = measure(args.key, args.doc, args.timeout)
    if args.json:
        print(json.dumps({"documents": results, "total": totals(results)}, indent=2, ensure_ascii=False, default=str))
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
