"""Render the SOW appendix (workbook, Markdown, Word and PDF) atomically, as a set: every output, or none."""

from __future__ import annotations

import os
from pathlib import Path

from raci.engagement import Matrix
from raci.errors import OutputError, Problem
from raci.findings import Finding
from raci.output import Data, writable_target, write_all

MARKDOWN_AUDIENCE = "client"  # the Markdown appendix is the text of the contract
WORKBOOK_AUDIENCE = "internal"  # the workbook is for the onboarding workshop
WORD_AUDIENCE = "client"  # the Word document and its PDF are what the client signs


def render(
    matrix: Matrix,
    findings: list[Finding],
    *,
    xlsx: str | Path | None = None,
    md: str | Path | None = None,
    docx: str | Path | None = None,
    pdf: str | Path | None = None,
    template_dir: str | Path | None = None,
    command: str,
    md_text: str | None = None,
    audience: str | None = None,
    allow_open_findings: bool = False,
    for_party: str | None = None,
) -> list[Path]:
    """Write the requested outputs and return their paths; on any error nothing is written or replaced.

    ``audience`` (client or internal) applies to every output; None gives each its own: the Markdown is for the
    client (the contract), and so are the Word document and its PDF; the workbook is for the workshop (internal).
    ``md_text`` is the Markdown already rendered by the caller (who checked the templates first), else it is
    rendered here. Every appendix is marked DRAFT while errors are open unless ``allow_open_findings``.
    ``for_party`` (a party's id or name) makes the Markdown and Word appendix an extract for that party; the
    workbook is always the whole matrix."""
    from raci.excel import write_workbook
    from raci.markdown import render_markdown

    _refuse_bad_targets(matrix, xlsx, md, docx, pdf, for_party)
    # Everything that can fail on content happens before the first file is replaced.
    text = md_text
    if md is not None and text is None:
        text = render_markdown(matrix, findings, command=command, template_dir=template_dir,
                               audience=audience or MARKDOWN_AUDIENCE, allow_open_findings=allow_open_findings,
                               for_party=for_party)
    word: list[tuple[str | Path, Data]] = []
    if docx is not None or pdf is not None:
        word = _word_outputs(matrix, findings, docx, pdf, command=command, audience=audience or WORD_AUDIENCE,
                             allow_open_findings=allow_open_findings, for_party=for_party)
    outputs: list[tuple[str | Path, Data]] = []
    if xlsx is not None:
        outputs.append((xlsx, lambda tmp: write_workbook(matrix, findings, tmp, command=command,
                                                         audience=audience or WORKBOOK_AUDIENCE,
                                                         allow_open_findings=allow_open_findings)))
    if md is not None and text is not None:
        outputs.append((md, text))
    outputs += word
    # Every file is written in full before any is renamed, and they are renamed together under a lock on their
    # folders: a full disk replaces none, and two renders at once never leave one's workbook beside the other's
    # Markdown or Word document.
    write_all(outputs)
    return [Path(p) for p, _ in outputs]


def _refuse_bad_targets(matrix: Matrix, xlsx: str | Path | None, md: str | Path | None, docx: str | Path | None,
                        pdf: str | Path | None, for_party: str | None) -> None:
    """Raise OutputError for no output, --for with a workbook, a target that cannot be written or is named twice, or a
    PDF without LibreOffice: before anything is made."""
    if xlsx is None and md is None and docx is None and pdf is None:
        raise OutputError(Problem("", "nothing to render: give --xlsx PATH, --md PATH, --docx PATH or --pdf PATH"))
    if for_party is not None and xlsx is not None:
        raise OutputError(Problem(str(xlsx), "--for makes an extract of the Markdown and Word appendix; the workbook is "
                                             "always the whole matrix (render it without --for)"))
    inputs = [matrix.engagement.path]
    # Refuse bad targets before anything is written, so one bad path never leaves half the appendix.
    requested = [(kind, path) for kind, path in (("workbook", xlsx), ("Markdown file", md), ("Word document", docx),
                                                 ("PDF", pdf)) if path is not None]
    seen: dict[str, str] = {}
    for kind, path in requested:
        real = os.path.realpath(writable_target(path, inputs))
        if real in seen:
            raise OutputError(Problem(str(path), f"the {seen[real]} and the {kind} must be different files"))
        seen[real] = kind
    if pdf is not None:
        from raci.word.pdf import soffice

        soffice()  # LibreOffice is there, or one line saying how to install it, before anything is made


def _word_outputs(matrix: Matrix, findings: list[Finding], docx: str | Path | None, pdf: str | Path | None, *,
                  command: str, audience: str, allow_open_findings: bool,
                  for_party: str | None = None) -> list[tuple[str | Path, Data]]:
    """The Word document and its PDF, made in memory: a PDF LibreOffice cannot make leaves nothing written."""
    from raci.appendix import build_appendix
    from raci.word import word_appendix

    appendix = build_appendix(matrix, findings, audience=audience, command=command,
                              allow_open_findings=allow_open_findings, for_party=for_party)
    data = word_appendix(appendix)
    outputs: list[tuple[str | Path, Data]] = []
    if docx is not None:
        outputs.append((docx, data))
    if pdf is not None:
        from raci.word.pdf import docx_to_pdf

        outputs.append((pdf, docx_to_pdf(data, name=Path(pdf).stem or "appendix")))
    return outputs
