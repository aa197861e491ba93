"""The one Jinja2 environment every template renders in: sandboxed, strict, and bounded in text, time and files.

Templates come from the user's ``--template-dir`` first, then the bundled ``templates/``, and run in Jinja's
ImmutableSandboxedEnvironment with StrictUndefined. Every loop step, call, filter, operator and piece of output is
checked against the wall time and against the text a template may build, estimated *before* it is allocated. Any
error inside a template is a one-line TemplateError naming the template file and line.
"""

from __future__ import annotations

import inspect
import os
import posixpath
import stat
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import BuiltinMethodType, FunctionType

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from raci.errors import Problem, TemplateError
from raci.template_bounds import (  # noqa: F401 - the bounds are read through this module too (tests patch them here)
    BUDGET,
    MAX_MESSAGE,
    MAX_NUMBER_BITS,
    MAX_OUTPUT_CHARS,
    MAX_SECONDS,
    MAX_TEMPLATE_BYTES,
    STR_METHODS,
    Budget,
    TemplateBound,
    as_int,
    charge,
    emit_filter,
    first_mapping,
    format_size,
    guard,
    guard_filter,
    loop_filter,
    percent_size,
    shallow_size,
    size_of,
    tick,
)


class TemplateRefused(jinja2.TemplateRuntimeError):
    """A template name or file the loader will not read."""


class _GuardedCodeGenerator(CodeGenerator):
    """Every loop, piece of output and ``~`` of a template goes through the sandbox's checks."""

    def visit_Template(self, node: nodes.Template, frame=None) -> None:
        for found in list(node.find_all((nodes.For, nodes.Output))):
            if isinstance(found, nodes.For):
                found.iter = guard(found.iter, "raci_loop")
            elif isinstance(found, nodes.Output):
                found.nodes = [guard(child, "raci_emit") for child in found.nodes]
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.raci_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Sandbox(ImmutableSandboxedEnvironment):
    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset(["*", "**", "+", "%"])
    template_files: set[str]  # every file loaded: the frames of an error's traceback that are template lines
    folders: list[str]

    @staticmethod
    def raci_concat(values: tuple) -> str:
        """The ``~`` operator, charged before it joins."""
        charge(sum(size_of(v) for v in values))
        return "".join([str(v) for v in values])

    def call_binop(self, context, operator: str, left, right):
        tick()
        if operator in ("*", "**") and isinstance(left, int) and isinstance(right, int):
            if operator == "*":
                bits = left.bit_length() + right.bit_length()
            else:  # a negative power is a float, and 0, 1 and -1 stay small
                bits = left.bit_length() * right if abs(left) > 1 else 0
            if bits > MAX_NUMBER_BITS:
                raise TemplateBound(f"number too large: a template may compute with at most {MAX_NUMBER_BITS:,} bits")
        elif operator == "*":
            seq, times = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                charge(len(seq) * times)
        elif operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            charge(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            charge(percent_size(left, right))
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - the sandbox's own signature
        tick()
        target = getattr(__obj, "__wrapped__", __obj) if isinstance(__obj, FunctionType) else __obj  # str.format
        text, name = getattr(target, "__self__", None), getattr(target, "__name__", "")
        if not isinstance(target, BuiltinMethodType) or not isinstance(text, str) or name not in STR_METHODS:
            result = super().call(__context, __obj, *args, **kwargs)
            charge(shallow_size(result))
            return result
        if name == "join" and args and not isinstance(args[0], (str, list, tuple)):
            args = (list(args[0]), *args[1:])
        rule = STR_METHODS[name]
        if rule is None:  # format and format_map: builtins without a signature
            charge(format_size(text, args, kwargs) if name == "format" else format_size(text, (), first_mapping(args)))
            return super().call(__context, __obj, *args, **kwargs)
        try:
            bound = inspect.signature(target).bind(*args, **kwargs)
        except TypeError:
            return super().call(__context, __obj, *args, **kwargs)  # wrong arguments: the method says so
        bound.apply_defaults()
        charge(rule(text, bound.arguments))
        return super().call(__context, __obj, *args, **kwargs)


class _FolderLoader(jinja2.BaseLoader):
    """Templates of one folder: names inside it only, regular files only, never through a link that leaves it."""

    def __init__(self, folder: str | Path, seen: set[str]):
        self.folder = str(folder)
        self.root = Path(folder).resolve()
        self.seen = seen

    def get_source(self, environment: jinja2.Environment, template: str):
        tick()  # compiling is not interruptible, so a render that has run out of time loads nothing more
        if template.startswith("/") or ".." in template.replace("\\", "/").split("/"):
            raise TemplateRefused(f"template {template!r} is outside the template folders")
        filename = os.path.normpath(posixpath.join(self.folder, *split_template_path(template)))
        if not os.path.lexists(filename):
            raise jinja2.TemplateNotFound(template)
        try:
            real = Path(filename).resolve()
            if not real.is_relative_to(self.root):
                raise TemplateRefused(f"template {filename} is a link to a file outside {self.folder}")
            if not stat.S_ISREG(os.stat(real).st_mode):
                raise TemplateRefused(f"template {filename} is not a regular file")
            with open(real, "rb") as fh:
                raw = fh.read(MAX_TEMPLATE_BYTES + 1)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on Python before 3.13
            raise TemplateRefused(f"template {filename} cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise TemplateRefused(f"template {filename} is larger than {MAX_TEMPLATE_BYTES:,} bytes")
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateRefused(f"template {filename} is not UTF-8 text") from None
        self.seen.add(filename)
        return source, filename, lambda: True


def environment(folders: Sequence[str | Path], filters: Mapping[str, Callable] | None = None) -> _Sandbox:
    """The strict, sandboxed environment: templates from ``folders`` (first found wins), Markdown output."""
    seen: set[str] = set()
    env = _Sandbox(
        loader=jinja2.ChoiceLoader([_FolderLoader(folder, seen) for folder in folders]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: every user value goes through the md filter instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.template_files = seen
    env.folders = [str(folder) for folder in folders]
    env.globals.pop("lipsum", None)  # builds any amount of text in one call, and an appendix has no use for it
    env.filters.update(filters or {})
    env.filters = {name: guard_filter(name, func) for name, func in env.filters.items()}
    env.filters.update(raci_loop=loop_filter, raci_emit=emit_filter)
    return env


def render(env: _Sandbox, name: str, context: Mapping[str, object]) -> str:
    """Template ``name`` rendered with ``context``; any mistake in a template raises a one-line TemplateError."""
    token = BUDGET.set(Budget(time.monotonic() + MAX_SECONDS, MAX_OUTPUT_CHARS, MAX_SECONDS))
    try:
        template = env.get_template(name)
        return "".join(list(template.generate(**context)))  # each chunk checked against the bounds as it is made
    except Exception as exc:  # noqa: BLE001 - whatever a template raised becomes one located line
        raise _template_error(exc, env, name) from None
    finally:
        BUDGET.reset(token)


def _template_error(exc: Exception, env: _Sandbox, name: str) -> TemplateError:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(Problem(exc.filename or exc.name or name, _one_line(f"template syntax error: {exc.message}"),
                                     exc.lineno))
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in env.template_files]
    if not frames and isinstance(exc, jinja2.TemplateNotFound) and exc.name == name:
        return TemplateError(Problem(str(Path(env.folders[0]) / name), "template not found"))
    file, line = (frames[-1].filename, frames[-1].lineno) if frames else (str(Path(env.folders[0]) / name), None)
    if isinstance(exc, RecursionError) and len(frames) > 50:
        message = "templates include or call each other without end"
    elif isinstance(exc, RecursionError):
        message = "nested too deeply (an expression, or a value shown)"
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = f"template {exc.name!r} not found"
    elif isinstance(exc, MemoryError):
        message = "out of memory"
    elif isinstance(exc, OverflowError) and not (exc.args and isinstance(exc.args[0], str)):
        message = "number too large"
    else:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateError(Problem(file, _one_line(f"template error: {message}"), line))


def _one_line(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1] + "…"
