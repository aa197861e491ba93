"""The SOW appendix as Markdown: the appendix view-model (raci.appendix) rendered from Jinja2 templates a user may
override, with every table's columns padded so that the raw file, and a diff of it, reads as a table."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path
from typing import Any

from raci.appendix import Appendix, build_appendix
from raci.engagement import Matrix
from raci.errors import Problem, TemplateError
from raci.findings import Finding
from raci.mdtext import md_code
from raci.mdtext import md_escape as md_escape  # the one escaping; templates call it `md` (and `code` a code span)
from raci.resources import templates_dir

MAIN_TEMPLATE = "appendix.md.j2"
MAX_PAD = 72  # a cell longer than this does not widen its column: one long note does not re-pad the whole table
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER = re.compile(r":?-+:?")


def markdown_context(appendix: Appendix) -> dict:
    """The view-model as the plain values templates see (lists, dicts and text only: raw user text, escaped by the
    templates with ``|md``)."""
    plain: dict[str, Any] = {f.name: _plain(getattr(appendix, f.name)) for f in dataclasses.fields(appendix)}
    meta = dict(plain["meta"])
    # what templates written for raci 0.1 read from meta
    meta.update(tool_version=appendix.provenance.tool_version, command=appendix.provenance.command)
    findings = plain["findings"]
    return {
        **plain,
        "internal": appendix.internal,
        "draft": appendix.draft,
        "meta": meta,
        "party_names": [p.label for p in appendix.parties],
        "legend": plain["legend"]["entries"],
        "legend_rules": plain["legend"]["rules"],
        "after_hours_rule": appendix.legend.after_hours_rule,
        "after_hours": [{"id": r.id, "name": r.name, "business": r.business_text, "after_hours": r.after_hours_text}
                        for r in appendix.after_hours_rows],
        "findings": findings["rows"],
        "open_errors": findings["open_errors"],
        "summary": findings["counts"],
        "summary_text": findings["text"],
    }


def _plain(value: object) -> object:
    """Dataclasses as dicts, tuples as lists, all the way down."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def render_markdown(matrix: Matrix, findings: list[Finding], *, command: str, template_dir: str | Path | None = None,
                    audience: str = "client", allow_open_findings: bool = False, for_party: str | None = None) -> str:
    """The Markdown appendix for ``audience`` (an extract for one party with ``for_party``: its id or name); a
    template mistake raises TemplateError naming the template and line."""
    appendix = build_appendix(matrix, findings, audience=audience, command=command,
                              allow_open_findings=allow_open_findings, for_party=for_party)
    return render_appendix(appendix, template_dir)


def render_appendix(appendix: Appendix, template_dir: str | Path | None = None) -> str:
    from raci.templating import environment, render

    folders: list[str | Path] = []
    if template_dir is not None:
        if not Path(template_dir).is_dir():
            raise TemplateError(Problem(str(template_dir), "template folder not found"))
        folders.append(template_dir)
    folders.append(templates_dir())  # the bundled templates, for every one the folder does not replace
    text = render(environment(folders, {"md": md_escape, "code": md_code}), MAIN_TEMPLATE, markdown_context(appendix))
    return align_tables(text)


# --------------------------------------------------------------------------- padded tables


def _row(line: str) -> list[str] | None:
    """The cells of a table row (``| a | b |``), or None for any other line."""
    text = line.strip()
    if len(text) < 2 or not text.startswith("|") or not text.endswith("|") or text.endswith("\\|"):
        return None
    return [cell.strip() for cell in _UNESCAPED_PIPE.split(text[1:-1])]


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced editor: wide East Asian characters two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, align: str) -> str:
    room = max(width - _width(text), 0)
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def _align(cell: str) -> str:
    return {(True, True): "center", (False, True): "right", (True, False): "left"}.get(
        (cell.startswith(":"), cell.endswith(":")), "none")


def _delimiter(align: str, width: int) -> str:
    left = ":" if align in ("left", "center") else "-"
    right = ":" if align in ("right", "center") else "-"
    return left + "-" * (width - 2) + right


def _format_table(rows: list[list[str]]) -> list[str]:
    header, delimiter, *body = rows
    aligns = [_align(cell) for cell in delimiter]
    widths = []
    for i in range(len(header)):
        sizes = [_width(row[i]) for row in (header, *body)]
        widths.append(max([3, *(s for s in sizes if s <= MAX_PAD)]))
    out = []
    for row in (header, None, *body):
        cells = ([_delimiter(a, w) for a, w in zip(aligns, widths)] if row is None
                 else [_pad(cell, w, a) for cell, w, a in zip(row, widths, aligns)])
        out.append("| " + " | ".join(cells) + " |")
    return out


def align_tables(text: str) -> str:
    """Every GitHub-flavoured table of ``text`` with its columns padded to one width; the table stays the same table
    (same cells, same alignment). A table whose rows do not all have its header's cells is left as it is."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        header = _row(lines[i])
        delimiter = _row(lines[i + 1]) if header is not None and i + 1 < len(lines) else None
        if header is None or delimiter is None or len(delimiter) != len(header) \
                or not all(_DELIMITER.fullmatch(cell) for cell in delimiter):
            out.append(lines[i])
            i += 1
            continue
        end = i + 2
        while end < len(lines) and _row(lines[end]) is not None:
            end += 1
        rows = [header, delimiter, *(_row(line) for line in lines[i + 2:end])]
        table = [row for row in rows if row is not None]  # every line up to ``end`` is a row
        if len(table) == len(rows) and all(len(row) == len(header) for row in table):
            out += _format_table(table)
        else:
            out += lines[i:end]
        i = end
    return "\n".join(out)
