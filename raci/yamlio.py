"""Safe YAML loading that keeps the line of every key and item, for errors that point at the file."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is several times faster on large catalogs
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

from raci.errors import InputError, Problem

# Aliases can make a small file expand enormously ("billion laughs"); real files never need this many nodes.
MAX_NODES = 5_000_000


_STR_TAG = "tag:yaml.org,2002:str"
_DEFAULT_TAGS = {yaml.ScalarNode: _STR_TAG, yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}


class _ComposeLoader(_Loader):  # type: ignore[misc, valid-type]
    """Composes nodes only. The parser asks for an implicit tag for every node; answering from a table
    instead of the resolver's path and regex machinery halves the time on large catalogs. Plain scalars
    are typed later, in ``_Builder``."""

    def resolve(self, kind, value, implicit):  # noqa: ARG002 - signature fixed by PyYAML
        return _DEFAULT_TAGS[kind]

_RESOLVER = yaml.resolver.Resolver()
_IMPLICIT_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k is not None)
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap")


class LDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict


class LList(list):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list


def line_of(container: Any, key: Any = None, default: int | None = None) -> int | None:
    """Line of ``key`` in ``container`` (or of the container itself when key is None)."""
    if key is None:
        return getattr(container, "line", default) or default
    if isinstance(container, LDict):
        return container.key_lines.get(key, container.line)
    if isinstance(container, LList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", default) or default


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.count = 0
        self.scalars = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(Problem(self.path, "the file expands to too many YAML nodes (alias bomb?)"))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            # e.g. !!python/object: never construct objects, and never quietly drop a tag either
            raise InputError(Problem(self.path, f"unsupported YAML value: tag {node.tag!r} is not allowed", node.start_mark.line + 1))
        if isinstance(node, yaml.MappingNode):
            out = LDict()
            out.line = node.start_mark.line + 1
            out.key_lines = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError(Problem(self.path, "YAML merge keys (<<) are not supported", key_node.start_mark.line + 1))
                key = self.build(key_node)
                if isinstance(key, (dict, list)):
                    raise InputError(Problem(self.path, "a mapping key must be a plain value", key_node.start_mark.line + 1))
                if key in out:
                    raise InputError(Problem(self.path, f"duplicate key {key!r}", key_node.start_mark.line + 1))
                out[key] = self.build(value_node)
                out.key_lines[key] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            out_l = LList()
            out_l.line = node.start_mark.line + 1
            out_l.item_lines = []
            for item in node.value:
                out_l.append(self.build(item))
                out_l.item_lines.append(item.start_mark.line + 1)
            return out_l
        if node.tag == _STR_TAG:
            # Composed with the base loader, every scalar arrives as a string; quoted ones stay strings, plain
            # ones get the safe loader's implicit typing (null, bool, int, float, date), checked by first
            # character so that ordinary words skip the resolver entirely.
            value = node.value
            if node.style:  # quoted or block scalar: always a string ('' or None means plain)
                return value
            if not value:
                return None
            if value[0] not in _IMPLICIT_FIRST:
                return value
            node.tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
            if node.tag == _STR_TAG:
                return value
        try:
            return self.scalars.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise InputError(Problem(self.path, f"unsupported YAML value: {exc.problem}", node.start_mark.line + 1)) from None
        except ValueError as exc:  # e.g. an impossible date such as 2026-02-31
            raise InputError(Problem(self.path, f"bad value {node.value!r}: {exc}", node.start_mark.line + 1)) from None


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building large trees: it rescans every new container, which
    made loading and checking a 100,000-activity catalog grow faster than linearly. Nothing built here
    forms reference cycles that need it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_yaml_text(text: str, path: str) -> Any:
    """Parse ``text`` safely (no object construction); return LDict/LList trees with line numbers."""
    try:
        node = yaml.compose(text, Loader=_ComposeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        if mark is not None and _tab_at(text, mark.line):
            raise InputError(Problem(path, "a tab is used to indent this line; YAML indents with spaces only", line)) from None
        raise InputError(Problem(path, f"not valid YAML: {exc.problem or exc.context}", line)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(path, f"not valid YAML: {exc}")) from None
    if node is None:
        return None
    return _Builder(path).build(node)


def _tab_at(text: str, line: int) -> bool:
    """Whether line ``line`` (0-based) starts with whitespace holding a tab, the usual cause of a YAML error there."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return False
    row = lines[line]
    return "\t" in row[: len(row) - len(row.lstrip(" \t"))]


def load_yaml_file(path: str | Path) -> Any:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(str(path), "no such file")) from None
    except IsADirectoryError:
        raise InputError(Problem(str(path), "is a folder, not a file")) from None
    except OSError as exc:
        raise InputError(Problem(str(path), f"cannot be read: {exc.strerror}")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem(str(path), "is not UTF-8 text", line)) from None
    return load_yaml_text(text, str(path))
