"""Commands on one engagement: check it, render its appendix."""

from __future__ import annotations

import os

import click

from raci.cli.base import FORMATS, _catalog, cli, command_line

# --------------------------------------------------------------------------- check


@cli.command("check")
@click.argument("file", type=click.Path(), required=False)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Exit 1 when a finding of this severity or worse is found.")
@click.option("--explain", "explain_rule", metavar="RULE", default=None,
              help="Print what RULE checks and why, instead of checking a file.")
@click.option("--upstream", "upstream", type=click.Path(), default=None, metavar="MATRIX",
              help="An upstream provider's matrix (FedRAMP CRM, CAIQ, OSCAL SSP, any contract 'raci audit' reads): "
                   "every responsibility it leaves to its customer must have an owner here.")
@click.pass_context
def check_cmd(ctx: click.Context, file: str | None, fmt: str, fail_on: str, explain_rule: str | None,
              upstream: str | None) -> None:
    """Run every check on an engagement file and report gaps and overlaps.

    With --upstream, the matrix of the provider under this engagement (the cloud platform or
    vendor the MSP builds on) is read as 'raci audit' reads it, and every responsibility it
    leaves to its customer is checked against this engagement: upstream-unowned (error) where
    the activity it maps to is excluded or has no owner here, upstream-shared (warning) where
    the upstream shares it without saying who does what, upstream-unmapped (warning) where it
    maps to no catalog activity.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad input.

    \b
    Example:
      raci check samples/riverside-clinic.raci.yaml --fail-on warning
      raci check acme.raci.yaml --upstream cloud-crm.xlsx
      raci check --explain escalation-unreachable-after-hours
    """
    from raci.checks import explain
    from raci.checks.upstream import check_with_upstream
    from raci.engagement import load_engagement, resolve
    from raci.findings import SEVERITY_RANK
    from raci.reports import findings_json, findings_text

    if explain_rule is not None:
        click.echo(explain(explain_rule), nl=False)
        return
    if file is None:
        raise click.UsageError("give an engagement FILE to check, or --explain RULE")
    cat = _catalog(ctx)
    matrix = resolve(load_engagement(file, cat), cat)
    findings = check_with_upstream(matrix, upstream)
    click.echo(findings_json(findings) if fmt == "json" else findings_text(findings, file), nl=False)
    if fail_on != "never" and any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in findings):
        ctx.exit(1)


# --------------------------------------------------------------------------- render (issue 3)


@cli.command("render")
@click.argument("file", type=click.Path())
@click.option("--xlsx", "xlsx", type=click.Path(), default=None, help="Write the Excel workbook here.")
@click.option("--md", "md", type=click.Path(), default=None, help="Write the Markdown appendix here.")
@click.option("--docx", "docx", type=click.Path(), default=None,
              help="Write the appendix as a Word document here: landscape, to sign.")
@click.option("--pdf", "pdf", type=click.Path(), default=None,
              help="Write the Word appendix as a PDF here, converted by LibreOffice (soffice), which must be installed.")
@click.option("--template-dir", type=click.Path(), default=None,
              help="Folder of Jinja2 templates that replace the bundled ones of the same name.")
@click.option("--force", is_flag=True, help="Replace the workbook even if it holds workshop edits that FILE does not.")
@click.option("--audience", type=click.Choice(["client", "internal"]), default=None,
              help="Who reads it: client leaves out preset ids, the Check column, info findings, the command and "
                   "internal_notes; internal keeps them. [default: client for --md, --docx and --pdf, internal for --xlsx]")
@click.option("--allow-open-findings", is_flag=True,
              help="Issue the appendix for signature although 'raci check' errors are open (else it is marked DRAFT).")
@click.option("--for", "for_party", metavar="PARTY", default=None,
              help="An extract for one party (id or name) of the Markdown and Word appendix: the rows it has a role in, not for signature.")
@click.pass_context
def render_cmd(ctx: click.Context, file: str, xlsx: str | None, md: str | None, docx: str | None, pdf: str | None,
               template_dir: str | None, force: bool, audience: str | None, allow_open_findings: bool,
               for_party: str | None) -> None:
    """Render the statement-of-work appendix: an Excel workbook for the workshop, Markdown for the contract, a Word
    document and its PDF for the client to sign.

    The outputs are written completely or not at all; findings are listed in them, not fatal. While 'raci
    check' finds errors the appendix is marked DRAFT and lists them at the sign-off; --allow-open-findings
    lifts the mark. An existing workbook that holds workshop edits FILE does not have (or that raci did not
    render) is not replaced unless --force is given: import it first.

    \b
    Example:
      raci render acme.raci.yaml --xlsx acme-appendix.xlsx --md acme-appendix.md
      raci render acme.raci.yaml --docx acme-appendix.docx --pdf acme-appendix.pdf
      raci render acme.raci.yaml --md for-ehr-vendor.md --for ehr-vendor
    """
    from raci.checks import run_checks
    from raci.engagement import load_engagement, resolve
    from raci.markdown import render_markdown
    from raci.output import input_folders, refuse_inputs
    from raci.render import MARKDOWN_AUDIENCE, render

    if xlsx is None and md is None and docx is None and pdf is None:
        raise click.UsageError("nothing to render: give --xlsx PATH, --md PATH, --docx PATH or --pdf PATH")
    if for_party is not None and xlsx is not None:
        raise click.UsageError("--for makes an extract of the Markdown and Word appendix; the workbook is always the whole matrix")
    if pdf is not None:
        from raci.word.pdf import soffice

        soffice()  # before anything is read: LibreOffice is there, or one line saying how to install it
    for target in (xlsx, md, docx, pdf):  # before anything is read: never a link, a read-only file, or a file raci reads
        if target is not None:
            refuse_inputs(target, [file], input_folders(ctx.ensure_object(dict).get("catalog_dir"), template_dir))
    cat = _catalog(ctx)
    matrix = resolve(load_engagement(file, cat), cat)
    findings = run_checks(matrix)
    # a mistake in a template is reported first, and the Markdown is rendered once
    md_text = None
    if md is not None:
        md_text = render_markdown(matrix, findings, command=command_line(), template_dir=template_dir,
                                  audience=audience or MARKDOWN_AUDIENCE, allow_open_findings=allow_open_findings,
                                  for_party=for_party)
    if xlsx is not None and not force and os.path.isfile(xlsx):
        from raci.output import refuse_input_overwrite
        from raci.roundtrip import refuse_replacing_edits

        refuse_input_overwrite(xlsx, [file])
        refuse_replacing_edits(xlsx, matrix.engagement, cat, file)
    for path in render(matrix, findings, xlsx=xlsx, md=md, docx=docx, pdf=pdf, template_dir=template_dir,
                       command=command_line(), md_text=md_text, audience=audience,
                       allow_open_findings=allow_open_findings, for_party=for_party):
        click.echo(f"Wrote {path}", err=True)
