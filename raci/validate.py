"""Validation helpers shared by the catalog and engagement readers: collecting every problem of a file,
role rows, text lists, and "did you mean" hints for names people mistype."""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Callable, Iterable
from functools import partial

from raci.errors import Problem
from raci.limits import EXCEL_CELL
from raci.roles import AFTER_HOURS_KEY, Row, parse_role
from raci.yamlio import line_of

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")
MAX_TEXT = EXCEL_CELL  # characters in an Excel cell: longer text would be cut in the workbook, so it is refused
MAX_KEPT = 1_000  # problems of a file kept with their messages; past this they are only counted


class Collector:
    """Gathers the problems of a file so that the user sees them all at once (the first ``keep`` of them in full,
    the rest counted by file: a file of a million mistakes costs no more than a few thousand)."""

    def __init__(self, keep: int = MAX_KEPT) -> None:
        self.problems: list[Problem] = []
        self.omitted: dict[str, int] = {}
        self.keep = keep

    def add(self, file: str, line: int | None, message: str | Callable[[], str]) -> None:
        """Record a problem; ``message`` may be a function, called only when the problem is kept."""
        if len(self.problems) >= self.keep:
            self.omitted[file] = self.omitted.get(file, 0) + 1
            return
        self.problems.append(Problem(file, message() if callable(message) else message, line))


def shown(value: object, width: int = 60) -> str:
    """A value as a message quotes it: text in quotes, dates as written, lists and mappings in YAML's flow style, all
    cut to ``width`` characters (a file may hold a megabyte where a word belongs)."""
    text = _flow(value, width + 1, 0)
    return text if len(text) <= width else text[: width - 3] + "..."


def _flow(value: object, budget: int, depth: int) -> str:
    if isinstance(value, (dict, list)):
        if depth >= 3:
            return "{...}" if isinstance(value, dict) else "[...]"
        parts, size = [], 0
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for key, item in items:
            if size > budget:
                parts.append("...")
                break
            part = _flow(item, budget - size, depth + 1)
            parts.append(part if not isinstance(value, dict) else f"{_flow(key, budget - size, depth + 1)}: {part}")
            size += len(parts[-1]) + 2
        inner = ", ".join(parts)
        return "{" + inner + "}" if isinstance(value, dict) else "[" + inner + "]"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    if isinstance(value, str) and len(value) > budget:
        value = value[:budget]
    return repr(value)


def kind_of(value: object) -> str:
    """What a YAML value is, in words: ``a mapping``, ``a list``, ``a number``, ``text``, ..."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    for kinds, name in ((dict, "a mapping"), (list, "a list"), (str, "text"), ((int, float), "a number"),
                        (_dt.date, "a date"), (bytes, "binary data")):
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def expect_mapping(value, file: str, line: int | None, what: str, col: Collector, limit: int | None = None,
                   shape: str = "a mapping") -> dict | None:
    """``value`` when it is a mapping of at most ``limit`` entries; None (absent) is an empty mapping; anything else
    is a problem (``WHAT must be SHAPE, not a list``), and None is returned."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        col.add(file, line, f"{what} must be {shape}, not {kind_of(value)}")
        return None
    if limit is not None and len(value) > limit:
        col.add(file, line, f"{what} holds {len(value):,} entries, more than the limit of {limit:,}")
        return None
    return value


def expect_list(value, file: str, line: int | None, what: str, col: Collector, limit: int, shape: str = "a list") -> list | None:
    """``value`` when it is a list of at most ``limit`` items (a single text is a list of one; None is empty);
    anything else is a problem (``WHAT must be SHAPE, not a mapping``), and None is returned."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        col.add(file, line, f"{what} must be {shape}, not {kind_of(value)}")
        return None
    if len(value) > limit:
        col.add(file, line, f"{what} holds {len(value):,} entries, more than the limit of {limit:,}")
        return None
    return value


def text_problem(value, what: str, limit: int = MAX_TEXT) -> str | None:
    """Why ``value`` is not usable as text (not a string, or longer than ``limit`` characters), or None."""
    if not isinstance(value, str):
        return f"{what} must be text, not {kind_of(value)}"
    if len(value) > limit:
        return f"{what} is {len(value):,} characters long, more than the limit of {limit:,} (an Excel cell holds no more)"
    return None


def expect_str(value, file: str, line: int | None, what: str, col: Collector, limit: int = MAX_TEXT) -> str | None:
    """``value`` when it is text of at most ``limit`` characters; else a problem, and None."""
    why = text_problem(value, what, limit)
    if why is not None:
        col.add(file, line, why)
        return None
    return value


def is_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


def did_you_mean(word: object, choices: Iterable[str], *, limit: int = 12) -> str:
    """A hint for an unknown name: ``did you mean 'msp'?`` when one is close, else the known names."""
    names = [c for c in choices if isinstance(c, str)]
    if isinstance(word, str):
        # short names differ by a swapped letter at 0.67; longer ids sharing a prefix like "co-managed-" score
        # about that much while naming something else, so they must be closer to be suggested
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.6 if len(word) <= 4 else 0.75)
        if not close:
            lowered = {n.lower(): n for n in names}
            close = [lowered[word.lower()]] if word.lower() in lowered else []
        if close:
            return f"did you mean {close[0]!r}?"
    if not names:
        return "none are defined"
    ordered = sorted(names)
    more = f", ... ({len(ordered) - limit} more)" if len(ordered) > limit else ""
    return "known: " + ", ".join(ordered[:limit]) + more


def optional_text(value, file: str, line: int | None, what: str, col: Collector) -> str:
    """An optional text value (a number is read as its text); "" when absent; anything else a problem, and ""."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return expect_str(value, file, line, what, col) or ""


def as_str_list(value, file, line, what, col: Collector) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        col.add(file, line, f"{what} must be a list")
        return ()
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            col.add(file, line_of(value, i, line), f"{what} holds {shown(item)}, which is not a text value")
            continue
        if len(item) > MAX_TEXT:
            col.add(file, line_of(value, i, line), text_problem(item, f"an entry of {what}") or "")
            continue
        out.append(item.strip())
    return tuple(out)


def parse_roles(
    value, file: str, line: int | None, col: Collector, where: str, allow_after_hours: bool, parties: Iterable[str] | None = None
) -> Row | None:
    """A row of ``party: letter`` (and ``after-hours: {...}``), every problem of the row reported together.

    With ``parties``, a party not among them is a problem too, named with a "did you mean" hint.
    """
    if not isinstance(value, dict):
        col.add(file, line, f"{where}: expected a mapping of party: letter")
        return None
    known = list(parties) if parties is not None else None
    known_ids = set(known or ())
    business: dict[str, str] = {}
    after: dict[str, str] | None = None
    ok = True
    for party, letter in value.items():
        pline = line_of(value, party, line)
        if party == AFTER_HOURS_KEY and allow_after_hours:
            inner = parse_roles(letter, file, pline, col, f"{where} after-hours", False, known)
            if inner is None:
                ok = False
            else:
                after = inner.business
            continue
        if not isinstance(party, str) or not ID_RE.match(party):
            col.add(file, pline, f"{where}: {shown(party)} is not a valid party id")
            ok = False
            continue
        if known is not None and party not in known_ids:
            col.add(file, pline, partial(_unknown_party, where, party, known))
            ok = False
        role = parse_role(letter)
        if role is None:
            col.add(file, pline, f"{where}: {shown(letter)} for {party} is not a role letter (use R, A, C, I or A/R)")
            ok = False
            continue
        business[party] = role
    return Row(business, after) if ok else None


def _unknown_party(where: str, party: str, known: list[str] | None) -> str:
    return f"{where}: unknown party {shown(party)} ({did_you_mean(party, known or [])})"


def find_cycle(edges: dict[str, tuple[str, ...]]) -> list[str] | None:
    """One cycle of a directed graph (node -> its targets), as a closed path ``[a, b, a]`` that starts at the cycle's
    node listed first in ``edges``, or None. Targets that are not nodes of ``edges`` are ignored (they are reported
    as unknown elsewhere).

    Found by the standard library's topological sort rather than networkx: importing networkx would double the
    time of every command that loads a catalog (``raci catalog`` 0.21 s -> 0.44 s)."""
    from graphlib import CycleError, TopologicalSorter

    # graphlib reads node -> predecessors, so each edge here runs backwards there and the cycle comes out reversed
    sorter = TopologicalSorter({a: [t for t in targets if t in edges] for a, targets in edges.items()})
    try:
        sorter.prepare()
    except CycleError as exc:
        nodes: list[str] = list(reversed(exc.args[1]))[:-1]
        rank = {a: i for i, a in enumerate(edges)}
        first = min(range(len(nodes)), key=lambda k: rank[nodes[k]])
        ring = nodes[first:] + nodes[:first]
        return [*ring, ring[0]]
    return None
