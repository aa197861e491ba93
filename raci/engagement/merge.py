"""``raci import WORKBOOK --into ENGAGEMENT``: a workshop's edits written into the engagement file in place.

The edits are found three ways: what the workbook was rendered from (its base), what the workshop made
of it, and what the file says now. An entry the workshop changed is applied unless the file has since
changed the same entry differently (a conflict: nothing is written). The file is then edited as text:
only the entries that change are rewritten, located by the YAML parser's marks, so every comment, blank
line, key order and quoting style elsewhere stays as it was and ``git diff`` shows the workshop's edits
and nothing else. New values are written by the same emitter as every engagement file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from raci.catalog import Catalog
from raci.engagement.model import TOP_KEYS, Engagement
from raci.engagement.parse import loads_engagement
from raci.engagement.writer import yaml_scalar
from raci.errors import DocumentError, EngagementError, InputError, Problem

# Sections merged entry by entry; the others are replaced whole when the workshop changed them.
_ENTRY_SECTIONS = ("profile", "parties", "assignments", "notes", "internal_notes", "sla", "thresholds")
_MISSING = object()


@dataclass
class Change:
    section: str
    key: str | None  # the entry (activity, party, ...) or None for a whole value
    kind: str  # "added", "changed" or "removed"
    before: Any = None
    after: Any = None
    note: str = ""  # e.g. that a removed entry's comment was kept on its own line


@dataclass
class Merge:
    text: str
    changes: list[Change] = field(default_factory=list)


def model(eng: Engagement) -> dict[str, Any]:
    """An engagement as the plain values its file holds, section by section."""
    p = eng.profile
    out: dict[str, Any] = {
        "client": eng.client,
        "provider": eng.provider,
        "version": str(eng.version),
        "effective": eng.effective,
        "presets": list(eng.presets),
        "profile": {"employees": p.employees, "it_staff": p.it_staff, "compliance": list(p.compliance)},
        "parties": {pid: party.to_dict() for pid, party in eng.parties.items()},
        "assignments": {aid: row.to_yaml_obj() for aid, row in eng.assignments.items()},
        "exclusions": list(eng.exclusions),
        "notes": dict(eng.notes),
        "internal_notes": dict(eng.internal_notes),
        "sla": {aid: dict(t) for aid, t in eng.sla.items()},
        "thresholds": dict(eng.thresholds),
    }
    if eng.contract_rows:
        out["contract_rows"] = [row.to_yaml_obj() for row in eng.contract_rows]
    return out


def three_way(base: dict, theirs: dict, ours: dict, path: str, force: bool = False) -> tuple[dict, list[Change]]:
    """``ours`` with the edits ``theirs`` made to ``base``; EngagementError naming every conflicting entry
    (an entry both changed, differently), unless ``force``, when the workshop's version wins."""
    target: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in ours.items()}
    changes: list[Change] = []
    conflicts: list[Problem] = []

    def settle(section: str, key: str | None, b, t, o, put) -> None:
        if t in (b, o):
            return
        if o != b and not force:
            where = f"{section} {key}" if key else section
            conflicts.append(Problem(path, f"{where}: the workshop made it {_show(t)}, but the file has changed it since the "
                                           f"workbook was rendered ({_show(b)} -> {_show(o)}); nothing was written "
                                           "(pass --force to take the workshop's)"))
            return
        put(t)
        kind = "added" if o is _MISSING or o is None else "removed" if t is _MISSING or t is None else "changed"
        changes.append(Change(section, key, kind, None if o is _MISSING else o, None if t is _MISSING else _like(t, o)))

    for section in TOP_KEYS:
        b, t, o = base.get(section, _MISSING), theirs.get(section, _MISSING), ours.get(section, _MISSING)
        if section in _ENTRY_SECTIONS and all(isinstance(x, dict) for x in (b, t, o)):
            for key in list(dict.fromkeys([*b, *t])):
                def put(value, section=section, key=key):
                    if value is _MISSING:
                        target[section].pop(key, None)
                    else:
                        target[section][key] = value
                settle(section, key, b.get(key, _MISSING), t.get(key, _MISSING), o.get(key, _MISSING), put)
        elif section == "exclusions" and all(isinstance(x, list) for x in (b, t, o)):
            for pattern in [x for x in b if x not in t]:
                if pattern in target[section]:
                    target[section].remove(pattern)
                    changes.append(Change(section, pattern, "removed"))
            for pattern in [x for x in t if x not in b]:
                if pattern not in target[section]:
                    target[section].append(pattern)
                    changes.append(Change(section, pattern, "added"))
        else:
            def put_whole(value, section=section):
                if value is _MISSING:
                    target.pop(section, None)
                else:
                    target[section] = value
            settle(section, None, b, t, o, put_whole)
    if conflicts:
        raise EngagementError(conflicts)
    return target, changes


def _show(value) -> str:
    if value is _MISSING or value is None:
        return "nothing"
    return yaml_scalar(value)


# --------------------------------------------------------------------------- editing the text


class _Editor:
    """Text edits located by PyYAML marks (character offsets), applied from the end so offsets stay valid."""

    def __init__(self, text: str):
        self.text = text
        self.nl = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, new))

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """Offset just past the line break of the line holding ``index`` (or the end of the text)."""
        nl = self.text.find("\n", index)
        return len(self.text) if nl < 0 else nl + 1

    def apply(self) -> str:
        out = self.text
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            out = out[:start] + new + out[end:]
        return out


def _end(node: yaml.Node, text: str) -> int:
    """Offset just past a node's own text: for block collections, the end of their last entry, not of the
    comments and blank lines that follow it."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _end(node.value[-1][1], text)
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _end(node.value[-1], text)
    end = node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        while end > node.start_mark.index and text[end - 1] in " \t\r\n":
            end -= 1
    return end


def _flow(value) -> str:
    return "null" if value is _MISSING else yaml_scalar(value)


def _merge_node(ed: _Editor, node: yaml.Node, cur, tgt, where: str, notes: dict) -> None:
    if cur == tgt:
        return
    if isinstance(node, yaml.MappingNode) and not node.flow_style and isinstance(cur, dict) and isinstance(tgt, dict):
        _merge_block_map(ed, node, cur, tgt, where, notes)
    elif isinstance(node, yaml.SequenceNode) and not node.flow_style and isinstance(cur, list) and isinstance(tgt, list) \
            and [x for x in cur if x in tgt] == [x for x in tgt if x in cur]:
        _merge_block_seq(ed, node, cur, tgt, where, notes)
    elif isinstance(tgt, (dict, list)) and tgt and _empty_flow(node):
        _fill_empty(ed, node, tgt)
    else:
        ed.replace(node.start_mark.index, _end(node, ed.text), _flow(_like(tgt, cur)))


def _like(new, old):
    """``new`` with its keys in the order ``old`` wrote them (then its own), so an edited row reads as before."""
    if not isinstance(new, dict) or not isinstance(old, dict):
        return new
    keys = [k for k in old if k in new] + [k for k in new if k not in old]
    return {k: _like(new[k], old.get(k)) for k in keys}


def _empty_flow(node: yaml.Node) -> bool:
    return isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.flow_style and not node.value \
        or isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and not node.style


def _fill_empty(ed: _Editor, node: yaml.Node, tgt) -> None:
    """``assignments: {}`` (or an empty value) becoming block entries under its key."""
    start, end = node.start_mark.index, _end(node, ed.text)
    key_line = ed.line_start(start)
    indent = " " * (_key_column(ed.text, key_line) + 2)
    ed.replace(start, end, "")
    after = ed.line_end(end)
    entries = tgt.items() if isinstance(tgt, dict) else tgt
    lines = [f"{indent}{_entry(item)}{ed.nl}" for item in entries]
    prefix = "" if ed.text[after - 1 : after] == "\n" else ed.nl
    ed.replace(after, after, prefix + "".join(lines))
    if ed.text[start - 1 : start] == " ":  # "key: {}" -> "key:" (no trailing space)
        ed.replace(start - 1, start, "")


def _key_column(text: str, line_start: int) -> int:
    return len(text[line_start:]) - len(text[line_start:].lstrip(" "))


def _entry(item, quoted: bool = False) -> str:
    if isinstance(item, tuple):
        key, value = item
        return f"{yaml_scalar(key)}: {yaml_scalar(value, quoted) if isinstance(value, str) else _flow(value)}"
    return f"- {yaml_scalar(item, quoted) if isinstance(item, str) else _flow(item)}"


def _quoted(nodes: list) -> bool:
    """Whether every value beside a new entry is a double-quoted string, so the new one is written alike."""
    return bool(nodes) and all(isinstance(n, yaml.ScalarNode) and n.style == '"' for n in nodes)


def _merge_block_map(ed: _Editor, node: yaml.MappingNode, cur: dict, tgt: dict, where: str, notes: dict) -> None:
    pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    name = (lambda key: f"{where}.{key}") if where else str
    for key, value in tgt.items():
        if key in pairs and cur.get(key, _MISSING) != value:
            _merge_node(ed, pairs[key][1], cur.get(key, _MISSING), value, name(key), notes)
    for key in cur:
        if key not in tgt and key in pairs:
            _remove(ed, pairs[key][0].start_mark.index, _end(pairs[key][1], ed.text), name(key), notes)
    new = [(k, v) for k, v in tgt.items() if k not in pairs and cur.get(k, _MISSING) != v]
    if new:
        quoted = _quoted([v for _, v in node.value])
        _insert_after(ed, node, [_entry(item, quoted) for item in _ordered(new, node, where)], node.value[0][0].start_mark.column)


def _ordered(new: list, node: yaml.MappingNode, where: str) -> list:
    """New top-level keys go in the usual order of an engagement file; new entries of a section at its end."""
    if where:
        return new
    return sorted(new, key=lambda kv: TOP_KEYS.index(kv[0]) if kv[0] in TOP_KEYS else len(TOP_KEYS))


def _merge_block_seq(ed: _Editor, node: yaml.SequenceNode, cur: list, tgt: list, where: str, notes: dict) -> None:
    for item in node.value:
        value = item.value if isinstance(item, yaml.ScalarNode) else None
        if value in cur and value not in tgt:
            dash = ed.text.rfind("-", ed.line_start(item.start_mark.index), item.start_mark.index)
            _remove(ed, dash if dash >= 0 else item.start_mark.index, _end(item, ed.text), f"{where} {value}", notes)
    new = [x for x in tgt if x not in cur]
    if new:
        first = node.value[0]
        column = first.start_mark.column - 2 if ed.text[first.start_mark.index - 2 : first.start_mark.index] == "- " else 2
        _insert_after(ed, node, [_entry(x, _quoted(node.value)) for x in new], column)


def _insert_after(ed: _Editor, node: yaml.Node, entries: list[str], column: int) -> None:
    at = ed.line_end(_end(node, ed.text))
    prefix = "" if at == 0 or ed.text[at - 1 : at] == "\n" else ed.nl
    ed.replace(at, at, prefix + "".join(f"{' ' * column}{e}{ed.nl}" for e in entries))


def _remove(ed: _Editor, start: int, end: int, where: str, notes: dict) -> None:
    """Delete an entry with the comments that belong to it (on its line, and the lines right above it at its
    indentation), naming those comments in ``notes`` so the user is told what went with it."""
    line_start, line_end = ed.line_start(start), ed.line_end(end)
    before, rest = ed.text[line_start:start], ed.text[end:line_end]
    if before.strip():  # not alone on its line: take out the entry only
        ed.replace(start, end, "")
        return
    comments = [rest.strip()] if rest.strip().startswith("#") else []
    top = line_start
    while top > 0:
        above = ed.line_start(top - 1)
        line = ed.text[above:top]
        if not line.strip().startswith("#") or len(line) - len(line.lstrip(" ")) != len(before):
            break
        comments.insert(0, line.strip())
        top = above
    ed.replace(top, line_end, "")
    if comments:
        notes[where] = "with its comment: " + " ".join(comments)


def merge_text(text: str, path: str, catalog: Catalog, base: Engagement, theirs: Engagement, ours: Engagement,
               force: bool = False) -> Merge:
    """``text`` (the file ``ours`` was read from) with the edits that turned ``base`` into ``theirs``."""
    target, changes = three_way(model(base), model(theirs), model(ours), path, force)
    current = model(ours)
    if target == current:
        return Merge(text, changes)
    root = yaml.compose(text.lstrip("\ufeff"), Loader=yaml.SafeLoader)
    assert root is not None, "ours was read from this text, so it holds a document"
    offset = 1 if text.startswith("\ufeff") else 0
    ed = _Editor(text.lstrip("\ufeff"))
    notes: dict[str, str] = {}
    _merge_node(ed, root, current, target, "", notes)
    merged = ("\ufeff" if offset else "") + ed.apply()
    again = loads_engagement(merged, catalog, path)
    if model(again) != target:
        raise EngagementError(Problem(path, "the workshop's edits could not be written into this file's layout without "
                                            "changing other entries; write a new file with -o and compare"))
    for change in changes:
        key = f"{change.section}.{change.key}" if change.key else change.section
        change.note = notes.get(key, notes.get(f"{change.section} {change.key}", ""))
    return Merge(merged, changes)



def merge_workbook(workbook: str | Path, path: str | Path, catalog: Catalog, *, kinds: dict[str, str] | None = None,
                   force: bool = False):
    """Merge a workshop workbook's edits into the engagement file ``path``; returns (Merge, WorkshopEdits).

    Nothing is written here: the caller writes ``Merge.text`` (atomically) when it differs from the file.
    """
    from raci.roundtrip import read_workshop, workbook_kind

    kind = workbook_kind(workbook)
    if kind is None:
        raise DocumentError(Problem(str(workbook), "--into merges a workbook made by 'raci render'; this is another kind "
                                                   "of document: write a new engagement with -o"))
    if kind == "bare":
        raise DocumentError(Problem(str(workbook), "its hidden _raci sheet was deleted, so what the workshop changed cannot "
                                                   "be told from what it was rendered with; import it with -o and compare "
                                                   "the two with 'raci diff'"))
    from raci.inputs import YAML_LIMIT, read_input_bytes

    try:
        raw = read_input_bytes(path, YAML_LIMIT, "an engagement file")
    except InputError as exc:
        problem = exc.problems[0]
        message = "no such file; to write a new engagement use -o" if problem.message == "no such file" else problem.message
        raise EngagementError(Problem(str(path), message)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EngagementError(Problem(str(path), "is not UTF-8 text")) from None
    ours = loads_engagement(text, catalog, str(path))
    theirs, edits = read_workshop(workbook, catalog, kinds=kinds)
    return merge_text(text, str(path), catalog, edits.original or ours, theirs, ours, force), edits


def describe(change: Change) -> str:
    """One line of what a merge changed, e.g. ``assignments backup.restore-testing: {msp: R} -> {msp: A/R}``."""
    name = f"{change.section} {change.key}" if change.key else change.section
    if change.section == "exclusions":
        text = f"{name}: {'now out of scope' if change.kind == 'added' else 'back in scope'}"
    elif change.kind == "added":
        text = f"{name}: added {_show(change.after)}"
    elif change.kind == "removed":
        text = f"{name}: removed (was {_show(change.before)})"
    else:
        text = f"{name}: {_show(change.before)} -> {_show(change.after)}"
    return f"{text}; {change.note}" if change.note else text
