"""Command line: parse options, call one library function, format its result, map errors to exit codes."""

from __future__ import annotations

import os.path
import shlex
import sys

import click

from raci import __version__
from raci.errors import InputError, RaciError

FORMATS = click.Choice(["text", "json"])
# raci.recommend.GAPS, spelled here so that `raci --help` does not import the recommender (a test keeps them equal)
GAP_CHOICE = click.Choice(["after-hours", "security", "projects", "strategy", "tools", "escalation", "capacity"])


def command_line() -> str:
    """The command that is running, for provenance on generated files: file names only, never the folders of the
    machine that ran it (``raci render acme.raci.yaml --xlsx acme.xlsx``, whatever paths were typed)."""
    args = [os.path.basename(sys.argv[0]) if sys.argv else "raci", *sys.argv[1:]]
    if args[0] in ("__main__.py", "-m"):
        args[0] = "raci"
    return shlex.join([args[0], *(_file_name(a) for a in args[1:])])


def _file_name(arg: str) -> str:
    """An argument with any folder part dropped: ``/home/ann/clients/acme.raci.yaml`` -> ``acme.raci.yaml``,
    ``--md=/tmp/out.md`` -> ``--md=out.md``."""
    option, eq, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
    if "/" not in value and os.sep not in value:
        return arg
    name = os.path.basename(value.rstrip("/" + os.sep)) or value
    return f"{option}{eq}{name}"


class RaciGroup(click.Group):
    """Turns library errors into one clean line per problem and exit code 2: never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RaciError as exc:
            for line in exc.lines():
                click.echo(f"Error: {line}", err=True)
            ctx.exit(2)


def _catalog(ctx: click.Context):
    from raci.catalog import load_catalog

    obj = ctx.ensure_object(dict)
    if "catalog" not in obj:
        obj["catalog"] = load_catalog(obj.get("catalog_dir"))
    return obj["catalog"]


@click.group(cls=RaciGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--catalog", "catalog_dir", type=click.Path(file_okay=False), default=None,
              help="Catalog folder to use instead of the bundled one (domains/, presets/, frameworks.yaml).")
@click.version_option(__version__, prog_name="raci")
@click.pass_context
def cli(ctx: click.Context, catalog_dir: str | None) -> None:
    """Build, check and render the responsibility matrix between a client's IT team and its MSP.

    \b
    Example:
      raci new --preset co-managed-tier3-escalation --client "Acme" --provider "Contoso" -o acme.raci.yaml
      raci check acme.raci.yaml
    """
    ctx.ensure_object(dict)["catalog_dir"] = catalog_dir


# --------------------------------------------------------------------------- catalog


@cli.command("catalog")
@click.option("--domain", "domain", default=None, help="Only this domain (its id, e.g. patching).")
@click.option("--control", "control", default=None, metavar="ID",
              help="Only the activities carrying this control: SI-2, AC-2(3), TVM-01, 7.3 (CIS), 3.1.1 or AC.L2-3.1.1.")
@click.option("--controls", "show_controls", is_flag=True, help="Show each activity's control ids under it.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.pass_context
def catalog_cmd(ctx: click.Context, domain: str | None, control: str | None, show_controls: bool, fmt: str) -> None:
    """List the catalog's domains and activities, or the activities that carry a control.

    Controls come from NIST SP 800-53 Rev. 5, the CSA Cloud Controls Matrix v4, the CIS
    Controls v8 and NIST SP 800-171 Rev. 2 (CMMC practices), as catalog/controls.yaml names them.

    \b
    Example:
      raci catalog --domain patching
      raci catalog --control SI-2
    """
    from raci import reports

    cat = _catalog(ctx)
    if domain is not None and domain not in cat.domain_names:
        raise click.BadParameter(f"unknown domain {domain!r} (known: {', '.join(cat.domain_names)})", param_hint="--domain")
    if control is not None:
        from raci.controls import parse_control

        ref = parse_control(control, hint="CIS")  # here a bare 7.3 can only be a CIS safeguard
        if ref is None:
            raise InputError(f"--control {control!r} is not a control id: write it like SI-2, AC-2(3), TVM-01, 7.3, 3.1.1 or AC.L2-3.1.1")
        text = reports.catalog_control_json(cat, ref, domain) if fmt == "json" else reports.catalog_control_text(cat, ref, domain)
    else:
        text = reports.catalog_json(cat, domain) if fmt == "json" else reports.catalog_text(cat, domain, controls=show_controls)
    click.echo(text, nl=fmt == "json")


# --------------------------------------------------------------------------- presets


@cli.command("presets")
@click.argument("name", required=False)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.pass_context
def presets_cmd(ctx: click.Context, name: str | None, fmt: str) -> None:
    """List the arrangement presets; with NAME, show its resolved matrix.

    NAME may combine presets with commas, applied in order (for example
    co-managed-tier3-escalation,co-managed-after-hours). Presets are laid window by window:
    the text ends with the activities whose business hours and after hours different
    presets set, and the MSP work the presets keep outside the recurring fee.

    \b
    Example:
      raci presets co-managed-after-hours
    """
    from raci.reports import preset_matrix_json, preset_matrix_text, presets_json, presets_text

    cat = _catalog(ctx)
    if name is None:
        click.echo(presets_json(cat) if fmt == "json" else presets_text(cat), nl=fmt == "json")
        return
    ids = [p.strip() for p in name.split(",") if p.strip()]
    unknown = [p for p in ids if p not in cat.presets]
    if unknown or not ids:
        raise click.BadParameter(f"unknown preset {', '.join(unknown) or name!r} (known: {', '.join(sorted(cat.presets))})",
                                 param_hint="NAME")
    click.echo(preset_matrix_json(cat, ids) if fmt == "json" else preset_matrix_text(cat, ids), nl=fmt == "json")


# --------------------------------------------------------------------------- new


@cli.command("new")
@click.option("--preset", "presets", multiple=True,
              help="Arrangement preset; repeat to combine co-managed presets (applied in order). "
                   "Required unless --from-recommendation.")
@click.option("--client", required=True, help="Client organisation name.")
@click.option("--provider", default="", help="Managed service provider name.")
@click.option("--employees", type=click.IntRange(min=0), default=None, help="Client headcount (profile).")
@click.option("--it-staff", type=click.IntRange(min=0), default=None, help="Internal IT headcount (profile and client-it staff).")
@click.option("--compliance", multiple=True, help="Compliance framework id (repeatable), e.g. hipaa.")
@click.option("--effective", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date the matrix takes effect (YYYY-MM-DD); 'raci check' warns until it is set.")
@click.option("--from-recommendation", is_flag=True,
              help="Use the presets 'raci recommend' ranks first for --employees, --it-staff, --compliance, "
                   "--response-minutes and --gap.")
@click.option("--response-minutes", type=click.IntRange(min=1), default=None, help="With --from-recommendation.")
@click.option("--gap", "gaps", multiple=True,
              type=GAP_CHOICE,
              help="With --from-recommendation: a gap the internal team names (repeatable).")
@click.option("--it-hours", type=click.Choice(["business-hours", "24x7"]), default="business-hours", show_default=True,
              help="Hours the client's people work; 24x7 when internal IT runs an on-call rota for nights and weekends.")
@click.option("-o", "--output", type=click.Path(), default=None, help="Write here instead of standard output.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it already exists.")
@click.pass_context
def new_cmd(ctx, presets, client, provider, employees, it_staff, compliance, effective, from_recommendation, response_minutes,
            gaps, it_hours, output, force) -> None:
    """Write a new engagement file for a client, ready to edit and keep in git.

    \b
    Example:
      raci new --preset co-managed-tier3-escalation --preset co-managed-after-hours \\
               --client "Acme Manufacturing" --provider "Contoso" --effective 2026-12-01 -o acme.raci.yaml
      raci new --from-recommendation --employees 60 --it-staff 2 --gap security --client "Acme"
      raci new --preset in-house --it-hours 24x7 --client "Northwind" -o northwind.raci.yaml

    Client parties work business hours unless --it-hours 24x7 says the internal team is on call at
    night; the file says so in a comment, with the commercial status the presets give the MSP's work.
    """
    from raci.engagement import dump_engagement, new_engagement
    from raci.engagement.factory import new_engagement_comments
    from raci.output import input_folders, refuse_existing, refuse_inputs, write_atomic

    cat = _catalog(ctx)
    presets = _presets_for_new(ctx, presets, from_recommendation, employees, it_staff, compliance, response_minutes, gaps)
    eng = new_engagement(cat, list(presets), client, provider, employees=employees, it_staff=it_staff,
                         compliance=list(compliance), effective=effective.date() if effective else None, it_hours=it_hours)
    text = dump_engagement(eng, header=[f"Engagement file written by raci {__version__}: {command_line()}",
                                        "Edit it, keep it in git, and run 'raci check' on it.",
                                        *new_engagement_comments(cat, eng)])
    if output is None:
        click.echo(text, nl=False)
        return
    refuse_inputs(output, [], input_folders(ctx.ensure_object(dict).get("catalog_dir")))
    refuse_existing(output, force)
    write_atomic(output, text)
    click.echo(f"Wrote {output} ({len(eng.parties)} parties, presets: {', '.join(eng.presets)}).", err=True)


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
    from raci.contracts.audit import audit
    from raci.contracts.mapping import DEFAULT_THRESHOLD
    from raci.contracts.maps import load_map
    from raci.contracts.report import proposed_map_text, render_report
    from raci.findings import SEVERITY_RANK
    from raci.output import input_folders, refuse_inputs, write_atomic

    kinds = _party_kinds(parties)
    options = _layout_options(sheet, header_row, label_column, transpose)
    inputs = [*docs, *([map_path] if map_path else [])]
    for target in (output, write_map):
        if target:
            refuse_inputs(target, inputs, input_folders(ctx.ensure_object(dict).get("catalog_dir")))
    if output and write_map and os.path.realpath(output) == os.path.realpath(write_map):
        raise click.UsageError("--output and --write-map must be different files")
    cat = _catalog(ctx)
    rowmap = load_map(map_path, cat) if map_path else None
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    if sys.stderr.isatty() and len(docs) > 1:
        with click.progressbar(length=len(docs), label="Auditing", file=sys.stderr) as bar:
            report = audit(list(docs), cat, options=options, rowmap=rowmap, kinds=kinds, threshold=limit,
                           progress=lambda _path: bar.update(1))
    else:
        report = audit(list(docs), cat, options=options, rowmap=rowmap, kinds=kinds, threshold=limit)
    if report.documents:
        text = render_report(report, fmt)
        if write_map:
            write_atomic(write_map, proposed_map_text(report, [f"Proposed mapping written by raci {__version__}: {command_line()}"]))
            click.echo(f"Wrote {write_map}", err=True)
        if output:
            write_atomic(output, text)
            click.echo(f"Wrote {output}", err=True)
        else:
            click.echo(text, nl=False)
    if report.problems:
        for problem in report.problems:
            click.echo(f"Error: {problem}", err=True)
        ctx.exit(2)
    if fail_on != "never" and any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in report.findings):
        ctx.exit(1)


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


# --------------------------------------------------------------------------- recommend / diff (issue 5)


def _recommendations(ctx: click.Context, employees, it_staff, compliance, response_minutes, gaps):
    from raci.recommend import ClientProfile, recommend

    cat = _catalog(ctx)
    profile = ClientProfile(employees, it_staff, tuple(compliance), response_minutes, tuple(gaps))
    return profile, recommend(profile, frameworks=cat.frameworks, available=set(cat.presets))


def _presets_for_new(ctx: click.Context, presets, from_recommendation, employees, it_staff, compliance,
                     response_minutes, gaps) -> list[str]:
    """The presets ``raci new`` uses: those given, or the top recommendation's with --from-recommendation."""
    if not from_recommendation:
        if not presets:
            raise click.UsageError("Missing option '--preset' (or use --from-recommendation with --employees and --it-staff).")
        if response_minutes is not None or gaps:
            raise click.UsageError("--response-minutes and --gap only apply with --from-recommendation.")
        return list(presets)
    if presets:
        raise click.UsageError("--preset and --from-recommendation cannot be used together.")
    missing = [name for name, value in (("--employees", employees), ("--it-staff", it_staff)) if value is None]
    if missing:
        raise click.UsageError(f"--from-recommendation needs {' and '.join(missing)}.")
    _, recs = _recommendations(ctx, employees, it_staff, compliance, response_minutes, gaps)
    if not recs:
        raise click.UsageError("no recommendation fits: the catalog has none of the presets the decision rules point to.")
    click.echo(f"Recommended: {' + '.join(recs[0].presets)} (rules: {', '.join(recs[0].rules)}).", err=True)
    return list(recs[0].presets)


@cli.command("recommend")
@click.option("--employees", type=click.IntRange(min=1), required=True, help="Client headcount.")
@click.option("--it-staff", type=click.IntRange(min=0), required=True, help="Internal IT headcount (0 for none).")
@click.option("--compliance", multiple=True, help="Compliance framework id (repeatable), e.g. hipaa.")
@click.option("--response-minutes", type=click.IntRange(min=1), default=None,
              help="Response time the client needs, in minutes.")
@click.option("--gap", "gaps", type=GAP_CHOICE, multiple=True,
              help="A gap the internal team names (repeatable); each maps to one co-managed preset.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.pass_context
def recommend_cmd(ctx, employees, it_staff, compliance, response_minutes, gaps, fmt) -> None:
    """Suggest arrangement presets for a client, best first, with the reasons and market price ranges.

    The decision rules and prices come from published market articles; where they disagree the
    reasons say so. Prices are market figures for the client's size, not a quote.

    \b
    Example:
      raci recommend --employees 60 --it-staff 2 --compliance hipaa --gap security --gap after-hours
    """
    from raci.recommend import recommendations_json, recommendations_text

    profile, recs = _recommendations(ctx, employees, it_staff, compliance, response_minutes, gaps)
    if fmt == "json":
        click.echo(recommendations_json(profile, recs))
    else:
        click.echo(recommendations_text(profile, recs), nl=False)


@cli.command("diff")
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True,
              help="Output format (md: a transition-plan appendix).")
@click.option("-o", "--output", type=click.Path(), default=None, help="Write here instead of standard output.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it already exists.")
@click.pass_context
def diff_cmd(ctx, a, b, fmt, output, force) -> None:
    """Show what changes between two arrangements: roles, and everything else an engagement says.

    A and B are engagement files or preset names; combine presets with commas
    (in-house,co-managed-after-hours). Role changes are grouped by direction (moves to
    the MSP, moves to the client, newly shared, newly unowned) and by domain. A change
    that is the same in business hours and after hours is shown once, as "all hours"
    (window null in JSON). Then come the engagement details, parties, notes, service
    levels and exclusions that change (between two files; a preset has only roles).
    Exit code 0 whether or not anything changes; 2 for bad input.

    \b
    Example:
      raci diff fully-managed co-managed-tier3-escalation,co-managed-after-hours --format md -o plan.md
      raci diff acme-2025.raci.yaml acme-2026.raci.yaml
    """
    from raci.diff import diff_json, diff_markdown, diff_specs, diff_text
    from raci.output import input_folders, refuse_existing, refuse_inputs, write_atomic

    cat = _catalog(ctx)
    if output is not None:
        refuse_inputs(output, [p for p in (a, b) if os.path.isfile(p)], input_folders(ctx.ensure_object(dict).get("catalog_dir")))
        refuse_existing(output, force)
    result = diff_specs(cat, a, b)
    text = {"json": lambda: diff_json(result) + "\n", "md": lambda: diff_markdown(result)}.get(fmt, lambda: diff_text(result))()
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text)
    others = sum(result.section_counts().values())
    also = f", {others} other {'change' if others == 1 else 'changes'}" if others else ""
    click.echo(f"Wrote {output} ({len(result.items)} changed activities{also}).", err=True)


def main() -> None:
    from raci.gcpause import allow_gc_pauses

    allow_gc_pauses()  # this process is ours: bulk loading and checking may pause the garbage collector
    cli(prog_name="raci")
