"""Safe YAML loading that keeps the line of every key and item, for errors that point at the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import yaml

try:  # the C parser is several times faster on large catalogs
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

from raci.errors import InputError, Problem
from raci.gcpause import gc_paused  # noqa: F401  (the loaders of catalogs and engagements import it from here)
from raci.inputs import YAML_LIMIT, read_input_bytes

# Aliases can make a small file expand enormously ("billion laughs"); real files never need this many nodes.
MAX_NODES = 5_000_000


_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap")
_RESOLVER = yaml.resolver.Resolver()
_IMPLICIT_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k is not None)
_DIGITS = frozenset("0123456789")
_MERGE_TAG = "tag:yaml.org,2002:merge"


class LDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based). Slots, not a ``__dict__``: a file
    may hold millions of these, and each costs about half as much memory this way."""

    __slots__ = ("key_lines", "line")
    key_lines: dict[Any, int]
    line: int


class LList(list):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    __slots__ = ("item_lines", "line")
    item_lines: list[int]
    line: int


_ITSELF = object()


def line_of(container: Any, key: Any = _ITSELF, default: int | None = None) -> int | None:
    """Line of ``key`` in ``container`` (or of the container itself when no key is given; None is a key, ``null:``)."""
    own = getattr(container, "line", None) or default
    if key is _ITSELF:
        return own
    try:
        if isinstance(container, LDict):
            return container.key_lines.get(key, own)
        if isinstance(container, LList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
    except (AttributeError, TypeError):  # built elsewhere without lines, or an unhashable key
        pass
    return own


_NO_KEY = object()


def _short(value: Any, width: int = 80) -> str:
    """``repr(value)``, cut to ``width`` characters: messages stay one short line whatever the file holds."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


class _Builder:
    """Builds LDict/LList trees straight from the parser's events, never a node graph: memory is the size of the
    tree, and the count of values (aliases counted at their full size) is checked as it grows."""

    def __init__(self, path: str):
        self.path = path
        self.count = 0
        self.scalars = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}

    def fail(self, message: str, mark) -> InputError:
        return InputError(Problem(self.path, message, mark.line + 1 if mark is not None else None))

    def scalar(self, ev: yaml.ScalarEvent) -> Any:
        tag, value = ev.tag, ev.value
        if tag == _STR_TAG or tag == "!" or (tag is None and ev.style):  # quoted, block or !!str: always a string
            return value
        if tag is None:  # plain: the safe loader's implicit typing (null, bool, int, float, date), by first character
            if not value:
                return None
            if value[0] not in _IMPLICIT_FIRST:
                return value
            if value[0] != "0" and len(value) < 19 and _DIGITS.issuperset(value):  # a plain decimal number, the common case
                return int(value)
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
            if tag in (_STR_TAG, _MERGE_TAG):  # a plain << is refused as a key, and is text as a value
                return value
        node = yaml.ScalarNode(tag, value, cast(yaml.Mark, ev.start_mark), cast(yaml.Mark, ev.end_mark), ev.style)
        try:
            return self.scalars.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise self.fail(f"unsupported YAML value: {exc.problem}", ev.start_mark) from None
        except ValueError as exc:  # e.g. an impossible date such as 2026-02-31, or an int of more than 4,300 digits
            raise self.fail(f"bad value {_short(value)}: {exc}", ev.start_mark) from None

    def grow(self, by: int, mark) -> None:
        self.count += by
        if self.count > MAX_NODES:
            raise self.fail(f"the file expands to too many YAML nodes (more than {MAX_NODES:,}; an alias bomb?)", mark)

    def build(self, events) -> Any:
        stack: list[list] = []  # [container, is mapping, pending key, line of the key, anchor, count at start]
        root = None
        documents = 0
        for ev in events:
            kind = type(ev)
            if kind is yaml.ScalarEvent:
                self.grow(1, ev.start_mark)
                obj, line = self.scalar(ev), ev.start_mark.line + 1
                if ev.anchor is not None:
                    self.anchors[ev.anchor] = (obj, 1)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if ev.tag not in _PLAIN_TAGS:  # e.g. !!python/object: never construct objects, never quietly drop a tag
                    raise self.fail(f"unsupported YAML value: tag {ev.tag!r} is not allowed", ev.start_mark)
                self.grow(1, ev.start_mark)
                if kind is yaml.MappingStartEvent:
                    box: Any = LDict()
                    box.key_lines = {}
                else:
                    box = LList()
                    box.item_lines = []
                box.line = ev.start_mark.line + 1
                stack.append([box, kind is yaml.MappingStartEvent, _NO_KEY, 0, ev.anchor, self.count])
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                obj, _, _, _, anchor, start = stack.pop()
                line = obj.line
                if anchor is not None:
                    self.anchors[anchor] = (obj, self.count - start + 1)
            elif kind is yaml.AliasEvent:
                if ev.anchor not in self.anchors:
                    raise self.fail("not valid YAML: found undefined alias", ev.start_mark)
                obj, size = self.anchors[ev.anchor]
                line = ev.start_mark.line + 1
                self.grow(size, ev.start_mark)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail("not valid YAML: expected a single document, but found another document", ev.start_mark)
                continue
            else:
                continue
            if not stack:
                root = obj
                continue
            top = stack[-1]
            if not top[1]:
                top[0].append(obj)
                top[0].item_lines.append(line)
            elif top[2] is _NO_KEY:
                why = None
                if isinstance(obj, (dict, list)):
                    why = "a mapping key must be a plain value"
                elif kind is yaml.ScalarEvent and ev.tag is None and not ev.style and obj == "<<":
                    why = "YAML merge keys (<<) are not supported"
                else:
                    try:
                        if obj in top[0]:
                            why = f"duplicate key {_short(obj)}"
                    except TypeError:  # unhashable, e.g. a !!set
                        why = "a mapping key must be a plain value"
                if why is not None:
                    raise InputError(Problem(self.path, why, line))
                top[2], top[3] = obj, line
            else:
                top[0][top[2]] = obj
                top[0].key_lines[top[2]] = top[3]
                top[2] = _NO_KEY
        return root


def load_yaml_text(text: str, path: str) -> Any:
    """Parse ``text`` safely (no object construction); return LDict/LList trees with line numbers."""
    try:
        return _Builder(path).build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        if mark is not None and _tab_at(text, mark.line):
            raise InputError(Problem(path, "a tab is used to indent this line; YAML indents with spaces only", line)) from None
        raise InputError(Problem(path, f"not valid YAML: {exc.problem or exc.context}", line)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(path, f"not valid YAML: {' '.join(str(exc).split())}")) from None


def _tab_at(text: str, line: int) -> bool:
    """Whether line ``line`` (0-based) starts with whitespace holding a tab, the usual cause of a YAML error there."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return False
    row = lines[line]
    return "\t" in row[: len(row) - len(row.lstrip(" \t"))]


def load_yaml_bytes(raw: bytes, path: str) -> Any:
    """``load_yaml_text`` of UTF-8 bytes (a byte-order mark is allowed)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem(path, "is not UTF-8 text", line)) from None
    return load_yaml_text(text, path)


def load_yaml_file(path: str | Path, limit: int = YAML_LIMIT, what: str = "a YAML file") -> Any:
    """Read and parse a YAML file: only a regular file of at most ``limit`` bytes (see raci.inputs)."""
    return load_yaml_bytes(read_input_bytes(path, limit, what), str(path))
