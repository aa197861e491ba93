"""Commands that plan an engagement: catalog, presets, new, recommend and diff."""

from __future__ import annotations

import os

import click

from raci import __version__
from raci.cli.base import FORMATS, GAP_CHOICE, _catalog, cli, command_line
from raci.errors import InputError

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
