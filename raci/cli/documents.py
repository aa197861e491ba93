"""Commands on documents: import a workbook or contract, audit contracts, export to exchange formats."""

from __future__ import annotations

import os
import sys

import click

from raci import __version__
from raci.cli.base import _catalog, cli, command_line


def _layout_options(sheet, header_row, label_column, transpose):
    from raci.contracts.layout import Options
    from raci.contracts.tables import col_index

    column = None
    if label_column is not None:
        column = col_index(label_column)
        if column is None:
            raise click.BadParameter(f"{label_column!r}: expected a column letter such as C (or its number)", param_hint="--label-column")
    return Options(sheet=sheet, header_row=header_row, label_column=column, transpose=transpose)


def layout_options(fn):
    """The options that fix any part of a contract's layout instead of searching for it."""
    for decorator in reversed([
        click.option("--sheet", default=None, help="Sheet holding the matrix (default: the sheet whose table reads best)."),
        click.option("--header-row", type=click.IntRange(min=1), default=None, help="Row number of the matrix's header row."),
        click.option("--label-column", default=None, metavar="LETTER", help="Column holding the activity labels, e.g. B."),
        click.option("--transpose/--no-transpose", default=None,
                     help="Parties are rows and activities columns (--transpose), or the other way (--no-transpose)."),
        click.option("--party", "parties", multiple=True, metavar="HEADER=KIND",
                     help="Set a party's kind (client, msp or vendor) instead of guessing it; repeatable."),
        click.option("--map", "map_path", type=click.Path(), default=None,
                     help="YAML map of row label: activity id (or ignore), as written by audit --write-map."),
    ]):
        fn = decorator(fn)
    return fn


@cli.command("import")
@click.argument("doc", type=click.Path())
@click.option("-o", "--output", type=click.Path(), default=None, help="Engagement file to write.")
@click.option("--into", "into", type=click.Path(), default=None,
              help="Engagement file to merge a workshop workbook's edits into, in place, keeping its comments.")
@click.option("--force", is_flag=True,
              help="Replace OUTPUT if it already exists; with --into, take the workshop's version of a conflicting entry.")
@layout_options
@click.pass_context
def import_cmd(ctx: click.Context, doc: str, output, into, force, sheet, header_row, label_column, transpose, parties,
               map_path) -> None:
    """Turn a matrix document into an engagement file, or merge a workshop's edits into one.

    A workbook made by 'raci render', edited in a workshop, comes back as the same engagement
    with the edited letters, notes, SLA targets, exclusions, cover details and party names;
    any edit that is not read back is named by sheet and cell. Any other contract matrix is
    read as 'raci audit' reads it: mapped rows become assignments, and every row is kept, as
    written, in the engagement's contract_rows, so 'raci check' reports the problems the
    audit did.

    With --into, the workshop's edits are written into the existing engagement file: only
    the entries the workshop changed are rewritten, every comment and the rest of the file
    stay as they were, and the changes are listed. An entry the file has changed since the
    workbook was rendered, and the workshop changed too, is a conflict: nothing is written.

    \b
    Example:
      raci import acme-workshop.xlsx --into acme.raci.yaml
      raci import acme-appendix.xlsx -o acme.raci.yaml
      raci import samples/contracts/exhibit-b-grid.xlsx -o exhibit-b.raci.yaml
    """
    from raci.output import input_folders, refuse_existing, refuse_inputs, write_atomic

    if (output is None) == (into is None):
        raise click.UsageError("give either -o NEW (write a new engagement) or --into ENGAGEMENT (merge into one)")
    cat = _catalog(ctx)
    if into is not None:
        refuse_inputs(into, [doc], input_folders(ctx.ensure_object(dict).get("catalog_dir")))
        _merge_into(doc, into, cat, _party_kinds(parties), force)
        return
    from raci.engagement import dump_engagement
    from raci.roundtrip import import_document

    options = _layout_options(sheet, header_row, label_column, transpose)
    refuse_inputs(output, [doc, *([map_path] if map_path else [])], input_folders(ctx.ensure_object(dict).get("catalog_dir")))
    refuse_existing(output, force)
    eng = import_document(doc, cat, options=options, map_path=map_path, kinds=_party_kinds(parties))
    header = [f"Engagement file written by raci {__version__}: {command_line()}", f"Imported from {os.path.basename(doc)}."]
    if eng.contract_rows and not eng.client:
        header.append("The document names no client in a labelled cell: fill in 'client' below.")
    write_atomic(output, dump_engagement(eng, header=header))
    message = f"Wrote {output} ({len(eng.parties)} parties, {len(eng.assignments)} assignments"
    if eng.contract_rows:
        unmapped = sum(1 for r in eng.contract_rows if r.activity is None)
        unread = sum(1 for r in eng.contract_rows if r.unclear)
        message += f"; {len(eng.contract_rows)} contract rows kept: {unmapped} unmapped, {unread} with unreadable cells"
    click.echo(message + ").", err=True)


def _merge_into(doc: str, into: str, cat, kinds: dict[str, str], force: bool) -> None:
    from raci.engagement.merge import describe, merge_workbook
    from raci.output import refuse_input_overwrite, write_atomic

    refuse_input_overwrite(into, [doc])
    merged, edits = merge_workbook(doc, into, cat, kinds=kinds, force=force)
    for line in edits.lines():
        click.echo(f"Warning: {line}", err=True)
    if not merged.changes:
        held = f"{into} already holds every edit in {doc}" if edits.applied else f"No edits in {doc}"
        click.echo(f"{held}; nothing to merge.")
        return
    write_atomic(into, merged.text)
    count = len(merged.changes)
    click.echo(f"Merged {count} {'change' if count == 1 else 'changes'} from {doc} into {into}:")
    for change in merged.changes:
        click.echo(f"  {describe(change)}")


def _party_kinds(values: tuple[str, ...]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for value in values:
        header, sep, kind = value.rpartition("=")
        if not sep or not header.strip() or kind.strip() not in ("client", "msp", "vendor"):
            raise click.BadParameter(f"{value!r}: expected HEADER=KIND with KIND client, msp or vendor", param_hint="--party")
        kinds[header.strip()] = kind.strip()
    return kinds


@cli.command("audit")
@click.argument("docs", nargs=-1, required=True, type=click.Path())
@layout_options
@click.option("--write-map", "write_map", type=click.Path(), default=None,
              help="Write the proposed row-to-activity mapping here, for a person to review and pass back with --map.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Lowest mapping confidence accepted (0-1, default 0.8); rows below it are unmapped.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(), default=None, help="Write the report here instead of standard output.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Exit 1 when a finding of this severity or worse is found.")
@click.pass_context
def audit_cmd(ctx, docs, sheet, header_row, label_column, transpose, parties, map_path, write_map, threshold, fmt, output,
              fail_on) -> None:
    """Read contract matrices, check them, and report gaps, overlaps and coverage.

    Reads xlsx, xlsm, csv, Word (docx), PDF with a text layer, Markdown, HTML, AsciiDoc and OSCAL
    SSPs or component definitions (JSON or YAML); the format is told by name and content.

    The matrix is found by trying every sheet and table and keeping the reading that makes most
    sense; the report says what was chosen and the runner-up, and --sheet, --header-row,
    --label-column, --party and --transpose fix any part of it. Every row is checked (no owner,
    two accountable, a shared owner with no split), mapped onto the catalog or not; catalog
    activities the document never mentions are reported too. A document that cannot be read is
    named with its reason after the others are reported. Exit codes: 0 nothing at or above
    --fail-on, 1 findings at or above it, 2 bad input (any document not read).

    \b
    Example:
      raci audit samples/contracts/exhibit-b-grid.xlsx
      raci audit clients/*.xlsx --format md -o audit.md --write-map proposed.map.yaml
      raci audit crm.xlsx --sheet "CRM" --header-row 3 --party "CSP=msp"
      raci audit exhibit-b.docx responsibilities.md ssp.json
    """
    from raci.contracts.mapping import DEFAULT_THRESHOLD
    from raci.contracts.maps import load_map
    from raci.findings import SEVERITY_RANK

    kinds = _party_kinds(parties)
    options = _layout_options(sheet, header_row, label_column, transpose)
    _refuse_audit_targets(ctx, [*docs, *([map_path] if map_path else [])], output, write_map)
    cat = _catalog(ctx)
    rowmap = load_map(map_path, cat) if map_path else None
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    report = _run_audit(list(docs), cat, options=options, rowmap=rowmap, kinds=kinds, threshold=limit)
    if report.documents:
        _write_audit(report, fmt, output, write_map)
    if report.problems:
        for problem in report.problems:
            click.echo(f"Error: {problem}", err=True)
        ctx.exit(2)
    if fail_on != "never" and any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in report.findings):
        ctx.exit(1)


def _refuse_audit_targets(ctx, inputs: list[str], output: str | None, write_map: str | None) -> None:
    """Refuses a report or map path that would overwrite an input, or the same file for both."""
    from raci.output import input_folders, refuse_inputs

    for target in (output, write_map):
        if target:
            refuse_inputs(target, inputs, input_folders(ctx.ensure_object(dict).get("catalog_dir")))
    if output and write_map and os.path.realpath(output) == os.path.realpath(write_map):
        raise click.UsageError("--output and --write-map must be different files")


def _run_audit(docs: list[str], cat, *, options, rowmap, kinds: dict[str, str], threshold: float):
    """The audit of ``docs``, with a progress bar on a terminal when there are several."""
    from raci.contracts.audit import audit

    if sys.stderr.isatty() and len(docs) > 1:
        with click.progressbar(length=len(docs), label="Auditing", file=sys.stderr) as bar:
            return audit(docs, cat, options=options, rowmap=rowmap, kinds=kinds, threshold=threshold,
                         progress=lambda _path: bar.update(1))
    return audit(docs, cat, options=options, rowmap=rowmap, kinds=kinds, threshold=threshold)


def _write_audit(report, fmt: str, output: str | None, write_map: str | None) -> None:
    """Writes the proposed map and the report (to ``output`` or standard output)."""
    from raci.contracts.report import proposed_map_text, render_report
    from raci.output import write_atomic

    text = render_report(report, fmt)
    if write_map:
        write_atomic(write_map, proposed_map_text(report, [f"Proposed mapping written by raci {__version__}: {command_line()}"]))
        click.echo(f"Wrote {write_map}", err=True)
    if output:
        write_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


# --------------------------------------------------------------------------- export (issue 15)


EXPORT_FORMATS = ("oscal", "fedramp-crm", "caiq", "cmmc-md", "csv")


@cli.command("export")
@click.argument("file", type=click.Path())
@click.option("--to", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="oscal (OSCAL SSP, JSON), fedramp-crm (FedRAMP CRM workbook), caiq (CSA CAIQ v4 SSRM workbook), "
                   "cmmc-md (CMMC customer responsibility matrix, Markdown), csv (long form, one row a role).")
@click.option("-o", "--output", type=click.Path(), required=True, help="File to write.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it already exists.")
@click.pass_context
def export_cmd(ctx: click.Context, file: str, fmt: str, output: str, force: bool) -> None:
    """Export an engagement in a compliance exchange format, per control or per role.

    Controls come from the catalog's crosswalk (catalog/controls.yaml): NIST SP 800-53 for
    oscal and fedramp-crm, CSA CCM v4 for caiq, NIST SP 800-171 (CMMC) for cmmc-md. The MSP's
    side is the provider (CSP), the client's the customer (CSC), vendor parties third parties.
    Every export names the raci version and the engagement file on its first lines, and
    'raci audit' reads it back with the same owners.

    \b
    Example:
      raci export acme.raci.yaml --to fedramp-crm -o acme-crm.xlsx
      raci export acme.raci.yaml --to oscal -o acme-ssp.json
    """
    from raci.engagement import load_engagement, resolve
    from raci.exports import export
    from raci.output import input_folders, refuse_existing, refuse_inputs, write_atomic

    refuse_inputs(output, [file], input_folders(ctx.ensure_object(dict).get("catalog_dir")))
    refuse_existing(output, force)
    cat = _catalog(ctx)
    result = export(resolve(load_engagement(file, cat), cat), fmt, file)
    write_atomic(output, result.data)
    click.echo(f"Wrote {output} ({fmt}: {result.rows} {result.unit}).", err=True)
