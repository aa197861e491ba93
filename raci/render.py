"""Render the SOW appendix (workbook and Markdown) atomically, as a pair: both outputs, or neither."""

from __future__ import annotations

import os
from pathlib import Path

from raci.engagement import Matrix
from raci.errors import OutputError, Problem
from raci.findings import Finding
from raci.output import Data, writable_target, write_all

MARKDOWN_AUDIENCE = "client"  # the Markdown appendix is the text of the contract
WORKBOOK_AUDIENCE = "internal"  # the workbook is for the onboarding workshop


def render(
    matrix: Matrix,
    findings: list[Finding],
    *,
    xlsx: str | Path | None = None,
    md: str | Path | None = None,
    template_dir: str | Path | None = None,
    command: str,
    md_text: str | None = None,
    audience: str | None = None,
    allow_open_findings: bool = False,
    for_party: str | None = None,
) -> list[Path]:
    """Write the requested outputs and return their paths; on any error nothing is written or replaced.

    ``audience`` (client or internal) applies to every output; None gives each its own: the Markdown is for the
    client (the contract), the workbook for the workshop (internal). ``md_text`` is the Markdown already rendered by
    the caller (who checked the templates first), else it is rendered here, marked DRAFT while errors are open
    unless ``allow_open_findings``. ``for_party`` (a party's id or name) makes the Markdown an extract for that party;
    the workbook is always the whole matrix."""
    from raci.excel import write_workbook
    from raci.markdown import render_markdown

    if xlsx is None and md is None:
        raise OutputError(Problem("", "nothing to render: give --xlsx PATH, --md PATH or both"))
    if for_party is not None and xlsx is not None:
        raise OutputError(Problem(str(xlsx), "--for makes an extract of the Markdown appendix; the workbook is always the "
                                             "whole matrix (render it without --for)"))
    inputs = [matrix.engagement.path]
    # Refuse bad targets before anything is written, so one bad path never leaves half the appendix.
    xlsx_target = writable_target(xlsx, inputs) if xlsx is not None else None
    md_target = writable_target(md, inputs) if md is not None else None
    if xlsx_target is not None and md_target is not None and os.path.realpath(xlsx_target) == os.path.realpath(md_target):
        raise OutputError(Problem(str(md), "the workbook and the Markdown file must be different files"))
    # Everything that can fail on content happens before the first file is replaced.
    text = md_text
    if md is not None and text is None:
        text = render_markdown(matrix, findings, command=command, template_dir=template_dir,
                               audience=audience or MARKDOWN_AUDIENCE, allow_open_findings=allow_open_findings,
                               for_party=for_party)
    outputs: list[tuple[str | Path, Data]] = []
    if xlsx is not None:
        outputs.append((xlsx, lambda tmp: write_workbook(matrix, findings, tmp, command=command,
                                                         audience=audience or WORKBOOK_AUDIENCE,
                                                         allow_open_findings=allow_open_findings)))
    if md is not None and text is not None:
        outputs.append((md, text))
    # Both files are written in full before either is renamed, and renamed together under a lock on their
    # folders: a full disk replaces neither, and two renders at once never leave one's workbook beside the other's
    # Markdown.
    write_all(outputs)
    return [Path(p) for p, _ in outputs]
