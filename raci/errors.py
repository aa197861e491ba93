"""Exception hierarchy: one root, one subclass per condition the CLI maps to an exit code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file (line, or sheet and cell, where known)."""

    file: str
    message: str
    line: int | None = None
    where: str | None = None  # e.g. "Matrix!C12" for workbooks

    def __str__(self) -> str:
        loc = self.file
        if self.line is not None:
            loc = f"{loc}:{self.line}"
        if self.where:
            loc = f"{loc}:{self.where}"
        return f"{loc}: {self.message}"


class RaciError(Exception):
    """Root of every error raci raises on purpose: the CLI prints ``lines()`` as ``Error: ...`` and exits with 2."""

    def lines(self) -> list[str]:
        """What the user is told, one line each."""
        return [str(self)]


MAX_SHOWN = 100  # problems listed one a line; the rest are counted in one more line


class InputError(RaciError):
    """Bad input (exit code 2). Carries every problem found in the file, not just the first.

    ``omitted`` counts, by file, problems found but not kept (see raci.validate.Collector). ``lines()`` lists the
    first MAX_SHOWN problems and then one line, ``... and 1,234 more problems in FILE``.
    """

    def __init__(self, problems: list[Problem] | Problem | str, omitted: dict[str, int] | None = None):
        if isinstance(problems, str):
            problems = [Problem(file="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.omitted = dict(omitted or {})
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        out = [str(p) if p.file else p.message for p in self.problems[:MAX_SHOWN]]
        rest = dict(self.omitted)
        for p in self.problems[MAX_SHOWN:]:
            rest[p.file] = rest.get(p.file, 0) + 1
        if rest:
            total = sum(rest.values())
            files = [f for f in rest if f]
            where = f" in {files[0]}" if len(rest) == 1 and files else f" in {len(files)} files" if len(files) > 1 else ""
            out.append(f"... and {total:,} more problem{'s' if total > 1 else ''}{where}")
        return out


class CatalogError(InputError):
    """The catalog folder (domains, presets, frameworks) is invalid."""


class EngagementError(InputError):
    """An engagement file is invalid."""


class DocumentError(InputError):
    """An imported document cannot be read or holds no usable matrix."""


class TemplateError(InputError):
    """A Markdown template is missing or refers to something that does not exist."""


class OutputError(InputError):
    """An output path is unusable (for example the same as an input)."""
