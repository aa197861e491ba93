"""Hand-made maps: a person's decisions of which catalog activity a row label is, and which kind a party is."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from raci.catalog import Catalog
from raci.contracts.mapping import IGNORE, Match
from raci.errors import DocumentError, InputError, Problem

MAX_ROWS = 100_000  # labels in a map
MAX_PARTIES = 1_000  # party headers in a map


@dataclass
class RowMap:
    """A person's decisions: label -> activity id or ``ignore``; parties: header -> kind."""

    path: str
    rows: dict[str, str | None]
    parties: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._folded = {" ".join(k.lower().split()): k for k in self.rows}

    def find(self, label: str) -> str | None:
        """The key of the map entry for ``label`` (exact, else ignoring case and spacing), or None."""
        if label in self.rows:
            return label
        return self._folded.get(" ".join(label.lower().split()))


def load_map(path: str | Path, catalog: Catalog) -> RowMap:
    """Load a ``--map`` YAML file: {label: activity id | ignore | null}, or {rows: {...}, parties: {header: kind}}."""
    from raci.engagement import KINDS
    from raci.inputs import YAML_LIMIT
    from raci.validate import shown
    from raci.yamlio import line_of, load_yaml_file

    p = str(path)
    try:
        data = load_yaml_file(p, YAML_LIMIT, "a map file")
    except InputError as exc:
        raise DocumentError(exc.problems) from None
    if data is None:
        return RowMap(p, {})
    if not isinstance(data, dict):
        raise DocumentError(Problem(p, "expected a mapping of row label: activity id (or ignore)", line_of(data, default=1)))
    structured = set(data) <= {"rows", "parties"} and all(isinstance(v, dict) or v is None for v in data.values())
    problems: list[Problem] = []
    for key, value, limit in (("rows", data.get("rows") if structured else data, MAX_ROWS),
                              ("parties", data.get("parties") if structured else None, MAX_PARTIES)):
        if value is not None and len(value) > limit:
            what = key if structured else "the map"
            problems.append(Problem(p, f"{what} holds {len(value):,} entries, more than the limit of {limit:,}", line_of(value, default=1)))
    if problems:
        raise DocumentError(problems)
    rows_obj = (data.get("rows") or {}) if structured else data
    parties_obj = (data.get("parties") or {}) if structured else {}
    rows: dict[str, str | None] = {}
    for label, target in rows_obj.items():
        line = line_of(rows_obj, label)
        label_text = str(label)
        if target is not None and not isinstance(target, str):
            problems.append(Problem(p, f"{shown(label_text)}: expected an activity id or 'ignore', not {shown(target)}", line))
            continue
        if isinstance(target, str):
            target = target.strip()
            if target != IGNORE and target not in catalog.activities:
                problems.append(Problem(p, f"{shown(label_text)}: unknown activity {shown(target)} (use an id from 'raci catalog', or ignore)", line))
                continue
        rows[label_text] = target
    parties: dict[str, str] = {}
    for header, kind in parties_obj.items():
        if kind not in KINDS:
            problems.append(Problem(p, f"party {shown(header)}: kind must be one of {', '.join(KINDS)}, not {shown(kind)}", line_of(parties_obj, header)))
            continue
        parties[str(header)] = kind
    if problems:
        raise DocumentError(sorted(problems, key=lambda pr: pr.line or 0))
    return RowMap(p, rows, parties)


def proposed_map(entries: list[tuple[str, str, Match]], catalog: Catalog, header: list[str] | None = None) -> str:
    """A YAML map for a person to review: one line per distinct label, with confidence and suggestions as comments.

    ``entries`` holds (label, where, match). Unmapped labels are written as null (decide: an id, or ignore).
    """
    from raci.engagement import yaml_scalar

    out = [f"# {line}" if line else "#" for line in (header or [])]
    out.append("# Each row label maps to a catalog activity id, to 'ignore' (not an IT activity), or to null")
    out.append("# (no decision yet: the automatic match is used). Review, edit, and pass it back with --map.")
    out.append("rows:")
    seen: set[str] = set()
    for label, where, match in entries:
        if label in seen:
            continue
        seen.add(label)
        sugg = ", ".join(f"{aid} ({score:.2f})" for aid, score in match.suggestions)
        if match.how == "map":
            comment = f"from the map given ({where})"
        elif match.how == "ignore":
            comment = f"ignored ({where})"
        elif match.how == "ambiguous":
            comment = f"fits more than one activity about equally ({where}): {sugg}"
        elif match.activity is not None:
            name = catalog.activities[match.activity].name
            comment = f"{name}; confidence {match.confidence:.2f} ({where})"
        else:
            comment = f"no match above the threshold ({where}); closest: {sugg or 'none'}"
        value = IGNORE if match.how == "ignore" else (match.activity or "null")
        out.append(f"  {yaml_scalar(label)}: {value}  # {comment}")
    return "\n".join(out) + "\n"
