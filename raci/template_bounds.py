"""What a template may cost: the text it builds, estimated before it is allocated, and the wall time it runs.

Every loop step, call, filter, operator and piece of output of a template (see raci.templating) is charged here
against the budget of the render under way; passing a bound raises TemplateBound, which the environment reports
as a one-line error naming the template and line.
"""

from __future__ import annotations

import inspect
import re
import string
import time
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, Mapping, Sequence, ValuesView
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.utils import Namespace

MAX_OUTPUT_CHARS = 50_000_000  # text a template may build, output and intermediate strings; an appendix builds ~0.1 MB
MAX_SECONDS = 10.0  # wall time of one render, compiling included templates
MAX_NUMBER_BITS = 10_000  # integers a template computes with (about 3,000 digits)
MAX_TEMPLATE_BYTES = 100_000  # size of one template file (the bundled ones are under 3 KB): compiling cannot be interrupted
MAX_MESSAGE = 300  # characters of an error message, so it stays one readable line


class TemplateBound(Exception):
    """A template passed the text, time or number bound."""


@dataclass
class Budget:  # of the render under way
    deadline: float
    chars_left: int
    seconds: float = MAX_SECONDS  # the time bound it was given, for the message


BUDGET: ContextVar[Budget | None] = ContextVar("raci_template_budget", default=None)


def _budget() -> Budget:
    budget = BUDGET.get()
    if budget is None:
        raise RuntimeError("raci templates render only through raci.templating.render")
    return budget


def tick() -> None:
    if time.monotonic() > _budget().deadline:
        raise TemplateBound(f"too slow: a template may run for at most {_budget().seconds:g} seconds")


def charge(chars: int) -> None:
    """Count text about to be built; refuse it, before it is allocated, once the bound is passed."""
    budget = _budget()
    budget.chars_left -= max(chars, 0)
    if budget.chars_left < 0:
        raise TemplateBound(f"output too large: a template may build at most {MAX_OUTPUT_CHARS:,} characters of text")
    tick()


def _parts(item: object, nested: bool) -> tuple[int, Callable[[], list] | None]:
    """The characters ``str(item)`` adds itself, and how to list what it contains (None for a leaf)."""
    if isinstance(item, Namespace):
        return 12, lambda: [item._Namespace__attrs]  # its str() shows its attributes
    if isinstance(item, jinja2.Undefined):
        return 0, None  # str() of a strict undefined raises: the operation fails on its own
    if isinstance(item, str):
        return (4 * len(item) + 2 if nested else len(item)), None  # repr() escapes inside containers
    if isinstance(item, int):
        return item.bit_length() // 3 + 2, None
    if isinstance(item, (float, type(None))):
        return 25, None
    if isinstance(item, (bytes, bytearray)):
        return 4 * len(item) + 3, None
    if isinstance(item, Mapping):
        return 2 + 4 * len(item), lambda: [x for pair in item.items() for x in pair]
    if isinstance(item, (list, tuple, set, frozenset, KeysView, ValuesView, ItemsView)):
        return 14 + 2 * len(item), lambda: list(item)
    return 200, None  # functions, loops, cyclers, ranges: short fixed reprs


def _walk(value: object) -> tuple[int, int]:
    """An upper bound on the length of ``str(value)``, and its depth. Each object is measured once (a list holding
    one list twice, 100 deep, takes 100 steps), a reference back to an enclosing one counts as ``[...]``, and the
    walk stops as soon as the size passes what the budget has left."""
    limit = max(_budget().chars_left, 0)
    done: dict[int, tuple[int, int]] = {}
    keep: list = []  # everything measured stays alive, so no id() is reused during the walk
    stack: list[tuple[object, list | None, int]] = [(value, None, 0)]
    while stack:
        item, kids, own = stack.pop()
        if kids is None:
            if id(item) in done:
                continue
            own, listing = _parts(item, item is not value)
            if own > limit:
                return own, 0
            kids = listing() if listing else []
            if not kids:
                done[id(item)] = (own, 0)
                continue
            keep += (item, kids)
            done[id(item)] = (5, 0)  # while it is being measured
            stack.append((item, kids, own))
            stack.extend((kid, None, 0) for kid in kids if id(kid) not in done)
        else:
            size = own + sum(done[id(kid)][0] for kid in kids)
            done[id(item)] = (size, 1 + max(done[id(kid)][1] for kid in kids))
            if size > limit:
                return done[id(item)]
    return done[id(value)]


def size_of(value: object) -> int:
    return _walk(value)[0]


def shallow_size(value: object) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict, set, frozenset)) else 0


def as_int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) else default


def _spec_widths(spec: str, ints: int) -> int:
    widths = [int(d) for d in re.findall(r"\d+", spec)]
    return max(widths, default=0) + (ints if "*" in spec or "{" in spec else 0)


def format_size(fmt: str, args: Sequence, kwargs: Mapping) -> int:
    """``fmt.format(*args, **kwargs)``: every field may show any argument, padded to any width in the spec."""
    values = [*args, *kwargs.values()]
    each, ints = sum(size_of(v) for v in values), max((as_int(v) for v in values), default=0)
    return sum(len(text) + (each + _spec_widths(spec or "", ints) if field is not None else 0)
               for text, field, spec, _ in string.Formatter().parse(fmt))


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?.")


def percent_size(fmt: str, values: object) -> int:
    """``fmt % values``, the same way."""
    items = list(values.values()) if isinstance(values, Mapping) else list(values) if isinstance(values, tuple) else [values]
    each, ints = sum(size_of(v) for v in items), max((as_int(v) for v in items), default=0)
    return len(fmt) + sum(each + _spec_widths(m.group(0), ints) for m in _PERCENT.finditer(fmt))


def _lines(s: object) -> int:
    return s.count("\n") + 1 if isinstance(s, str) else size_of(s) + 1


def _replace_size(s: object, p: Mapping) -> int:
    old, new, count = str(p["old"]), str(p["new"]), p["count"]
    hits = (s.count(old) if old else len(s) + 1) if isinstance(s, str) else size_of(s) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return size_of(s) + hits * max(len(new) - len(old), 0)


def _join_size(items: list, sep: object) -> int:
    return sum(size_of(x) for x in items) + size_of(sep) * len(items)


def _translate_size(s: str, p: Mapping) -> int:
    table = p["table"]
    targets = table.values() if isinstance(table, Mapping) else table if isinstance(table, (list, tuple)) else ()
    return len(s) * max((size_of(t) for t in targets), default=1)


def _nested_size(value: object, per_char: int, per_level: int) -> int:
    """``size * (per_char + per_level * depth)``: text that grows with its nesting (indents, brackets)."""
    size, depth = _walk(value)
    return size * (per_char + per_level * depth)


def _scaled(factor: int) -> Callable[[object, Mapping], int]:
    return lambda v, p: factor * size_of(v)


# Filters that turn their value into text, or can build far more than they are given; the rest are charged
# for what they return. Values: (value, bound arguments) -> characters. Filters not named here are charged
# like `string`, so a filter added to the environment is never unbounded.
# The filtered value is whatever the template passes (Any): each rule looks at what it is before measuring it.
_FILTERS: dict[str, Callable[[Any, Mapping], int] | None] = {
    **dict.fromkeys(("trim", "string", "safe"), _scaled(1)),
    **dict.fromkeys(("capitalize", "lower", "upper"), _scaled(3)),  # 'ﬃ'.upper() is 'FFI'
    **dict.fromkeys(("escape", "e", "forceescape", "md"), _scaled(5)),  # & -> &amp;
    **dict.fromkeys(("striptags", "title", "wordcount"), _scaled(10)),  # a word list: an object per word
    "urlencode": _scaled(12),
    "xmlattr": _scaled(6),
    "truncate": lambda v, p: size_of(v) + size_of(p["end"]),
    "center": lambda v, p: size_of(v) + max(as_int(p["width"]), 0),
    "indent": lambda v, p: size_of(v) + _lines(v) * (len(p["width"]) if isinstance(p["width"], str) else max(as_int(p["width"]), 0)),
    "format": lambda v, p: percent_size(str(v), p["kwargs"] or p["args"]),
    "replace": lambda v, p: _replace_size(v, p),
    "wordwrap": lambda v, p: 10 * size_of(v) + _lines(v) * size_of(p["wrapstring"] or ""),
    "urlize": lambda v, p: 10 * size_of(v) + (size_of(v) + 1) * (size_of(p["target"] or "") + size_of(p["rel"] or "")),
    "tojson": lambda v, p: _nested_size(v, 6, 6 * max(as_int(p["indent"]), 0)),
    "pprint": lambda v, p: _nested_size(v, 2, 1),
    "join": lambda v, p: _join_size(v, p["d"]),
    "sum": lambda v, p: sum(shallow_size(x) for x in v) + shallow_size(p["start"]) if isinstance(p["start"], (str, list, tuple)) else 0,
    "batch": lambda v, p: max(as_int(p["linecount"]), 0) if p["fill_with"] is not None else 0,
    "slice": lambda v, p: max(as_int(p["slices"]), 0),
    **dict.fromkeys(("abs", "attr", "count", "d", "default", "dictsort", "filesizeformat", "first", "float", "groupby",
                     "int", "items", "last", "length", "list", "map", "max", "min", "random", "reject", "rejectattr",
                     "reverse", "round", "select", "selectattr", "sort", "unique")),
}
_MATERIALIZED = {"join", "sum"}  # their iterable is read into a list first, to be measured

# Methods of str a template can call ('x'.center(...)); other calls are charged for what they return.
STR_METHODS: dict[str, Callable[[str, Mapping], int] | None] = {
    **dict.fromkeys(("center", "ljust", "rjust", "zfill"), lambda s, p: len(s) + max(as_int(p["width"]), 0)),
    **dict.fromkeys(("upper", "lower", "title", "swapcase", "casefold", "capitalize"), lambda s, p: 3 * len(s)),
    **dict.fromkeys(("split", "rsplit", "splitlines", "partition", "rpartition"), lambda s, p: 10 * len(s)),
    "expandtabs": lambda s, p: len(s) * max(as_int(p["tabsize"], 8), 1),
    "replace": _replace_size,
    "translate": _translate_size,
    "encode": lambda s, p: 4 * len(s),
    "join": lambda s, p: _join_size(p["iterable"], s),
    **dict.fromkeys(("format", "format_map")),  # measured by format_size
}


def first_mapping(args: tuple) -> Mapping:
    return args[0] if args and isinstance(args[0], Mapping) else {}


def guard_filter(name: str, func: Callable) -> Callable:
    rule = _FILTERS.get(name, _scaled(1))
    skip = 0 if getattr(func, "jinja_pass_arg", None) is None else 1  # context, eval context or environment first
    inner = inspect.unwrap(func)  # an async-capable filter is a wrapper that drops the eval context it asks for
    drop = skip if inner is not func and getattr(inner, "jinja_pass_arg", None) is None else 0
    signature = inspect.signature(inner)

    @wraps(func)
    def guarded(*args, **kwargs):
        tick()
        if rule is None or len(args) <= skip:
            result = func(*args, **kwargs)
            charge(shallow_size(result))
            return result
        if name in _MATERIALIZED and not isinstance(args[skip], (str, list, tuple)):
            args = (*args[:skip], list(args[skip]), *args[skip + 1:])
        try:
            bound = signature.bind(*args[drop:], **kwargs)
        except TypeError:
            return func(*args, **kwargs)  # wrong arguments: the filter names the mistake
        bound.apply_defaults()
        charge(rule(args[skip], bound.arguments))
        return func(*args, **kwargs)

    return guarded


def guard(node: nodes.Node, check: str) -> nodes.Filter:
    """``node|raci_loop`` or ``node|raci_emit``: guard filters take the context, so they are never run at compile time."""
    guarded = nodes.Filter(node, check, [], [], None, None, lineno=node.lineno)
    # a parsed template's nodes all have their environment; the attribute is Optional only for a node built bare
    guarded.set_environment(node.environment)  # type: ignore[arg-type]
    return guarded


@jinja2.pass_context
def loop_filter(context: jinja2.runtime.Context, items: Iterable[object]) -> Iterator[object]:
    """What a ``{% for %}`` iterates over: the same items, with the time bound checked at every step."""
    for item in items:
        tick()
        yield item


@jinja2.pass_context
def emit_filter(context: jinja2.runtime.Context, value: object) -> str:
    """One piece of output (text or an expression's value), charged before it is turned into text."""
    charge(len(value) if isinstance(value, str) else size_of(value))
    return str(value)
