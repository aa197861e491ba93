"""Render the SOW appendix (workbook and Markdown) atomically: both outputs, or neither."""

from __future__ import annotations

from pathlib import Path

from raci.engagement import Matrix
from raci.errors import OutputError, Problem
from raci.findings import Finding
from raci.output import writable_target, write_atomic


def render(
    matrix: Matrix,
    findings: list[Finding],
    *,
    xlsx: str | Path | None = None,
    md: str | Path | None = None,
    template_dir: str | Path | None = None,
    command: str,
) -> list[Path]:
    """Write the requested outputs and return their paths; on any error nothing is written or replaced."""
    from raci.excel import write_workbook
    from raci.markdown import render_markdown

    if xlsx is None and md is None:
        raise OutputError(Problem("", "nothing to render: give --xlsx PATH, --md PATH or both"))
    inputs = [matrix.engagement.path]
    # Refuse bad targets before anything is written, so one bad path never leaves half the appendix.
    xlsx_target = writable_target(xlsx, inputs) if xlsx is not None else None
    md_target = writable_target(md, inputs) if md is not None else None
    if xlsx_target is not None and md_target is not None and xlsx_target.resolve() == md_target.resolve():
        raise OutputError(Problem(str(md), "the workbook and the Markdown file must be different files"))
    # Everything that can fail on content happens before the first file is replaced.
    text = render_markdown(matrix, findings, command=command, template_dir=template_dir) if md is not None else None
    if xlsx is not None:
        write_atomic(xlsx, lambda tmp: write_workbook(matrix, findings, tmp, command=command))
    if md is not None:
        write_atomic(md, text)
    return [Path(p) for p in (xlsx, md) if p is not None]
