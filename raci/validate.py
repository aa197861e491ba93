"""Validation helpers shared by the catalog and engagement readers: collecting every problem of a file,
role rows, text lists, and "did you mean" hints for names people mistype."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from raci.errors import Problem
from raci.roles import AFTER_HOURS_KEY, Row, parse_role
from raci.yamlio import line_of

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")


class Collector:
    """Gathers every problem of a file so that the user sees them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, message, line))


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
    shown = sorted(names)
    more = f", ... ({len(shown) - limit} more)" if len(shown) > limit else ""
    return "known: " + ", ".join(shown[:limit]) + more


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
            col.add(file, line_of(value, i, line), f"{what} holds {item!r}, which is not a text value")
            continue
        out.append(item.strip())
    return tuple(out)


def parse_roles(
    value, file: str, line: int, col: Collector, where: str, allow_after_hours: bool, parties: Iterable[str] | None = None
) -> Row | None:
    """A row of ``party: letter`` (and ``after-hours: {...}``), every problem of the row reported together.

    With ``parties``, a party not among them is a problem too, named with a "did you mean" hint.
    """
    if not isinstance(value, dict):
        col.add(file, line, f"{where}: expected a mapping of party: letter")
        return None
    known = list(parties) if parties is not None else None
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
            col.add(file, pline, f"{where}: {party!r} is not a valid party id")
            ok = False
            continue
        if known is not None and party not in known:
            col.add(file, pline, f"{where}: unknown party {party!r} ({did_you_mean(party, known)})")
            ok = False
        role = parse_role(letter)
        if role is None:
            col.add(file, pline, f"{where}: {letter!r} for {party} is not a role letter (use R, A, C, I or A/R)")
            ok = False
            continue
        business[party] = role
    return Row(business, after) if ok else None
