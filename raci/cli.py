"""Command line: parse options, call one library function, format its result, map errors to exit codes."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from raci import __version__
from raci.errors import InputError, RaciError

FORMATS = click.Choice(["text", "json"])


def command_line() -> str:
    """The command that is running, for provenance on generated files."""
    args = [Path(sys.argv[0]).name if sys.argv else "raci", *sys.argv[1:]]
    if args[0] in ("__main__.py", "-m"):
        args[0] = "raci"
    return shlex.join(args)


class RaciGroup(click.Group):
    """Turns library errors into one clean line per problem and exit code 2: never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for line in exc.lines():
                click.echo(f"Error: {line}", err=True)
            ctx.exit(2)
        except RaciError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)


def _catalog(ctx: click.Context):
    from raci.catalog import load_catalog

    obj = ctx.ensure_object(dict)
    if "catalog" not in obj:
        obj["catalog"] = load_catalog(obj.get("catalog_dir"))
    return obj["catalog"]


def _echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


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
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.pass_context
def catalog_cmd(ctx: click.Context, domain: str | None, fmt: str) -> None:
    """List the catalog's domains and activities.

    \b
    Example:
      raci catalog --domain patching
    """
    from raci.reports import catalog_json, catalog_text

    cat = _catalog(ctx)
    if domain is not None and domain not in cat.domain_names:
        raise click.BadParameter(f"unknown domain {domain!r} (known: {', '.join(cat.domain_names)})", param_hint="--domain")
    click.echo(catalog_json(cat, domain) if fmt == "json" else catalog_text(cat, domain), nl=fmt == "json")


# --------------------------------------------------------------------------- presets


@cli.command("presets")
@click.argument("name", required=False)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.pass_context
def presets_cmd(ctx: click.Context, name: str | None, fmt: str) -> None:
    """List the arrangement presets; with NAME, show its resolved matrix.

    NAME may combine presets with commas, applied in order (for example
    co-managed-tier3-escalation,co-managed-after-hours).

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
@click.option("--preset", "presets", multiple=True, required=True,
              help="Arrangement preset; repeat to combine co-managed presets (applied in order).")
@click.option("--client", required=True, help="Client organisation name.")
@click.option("--provider", default="", help="Managed service provider name.")
@click.option("--employees", type=click.IntRange(min=0), default=None, help="Client headcount (profile).")
@click.option("--it-staff", type=click.IntRange(min=0), default=None, help="Internal IT headcount (profile and client-it staff).")
@click.option("--compliance", multiple=True, help="Compliance framework id (repeatable), e.g. hipaa.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here instead of standard output.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it already exists.")
@click.pass_context
def new_cmd(ctx, presets, client, provider, employees, it_staff, compliance, output, force) -> None:
    """Write a new engagement file for a client, ready to edit and keep in git.

    \b
    Example:
      raci new --preset co-managed-tier3-escalation --preset co-managed-after-hours \\
               --client "Acme Manufacturing" --provider "Contoso" -o acme.raci.yaml
    """
    from raci.engagement import dump_engagement, new_engagement
    from raci.output import write_atomic

    cat = _catalog(ctx)
    eng = new_engagement(cat, list(presets), client, provider, employees=employees, it_staff=it_staff,
                         compliance=list(compliance))
    text = dump_engagement(eng, header=[f"Engagement file written by raci {__version__}: {command_line()}",
                                        "Edit it, keep it in git, and run 'raci check' on it."])
    if output is None:
        click.echo(text, nl=False)
        return
    if Path(output).exists() and not force:
        raise click.UsageError(f"{output} already exists; pass --force to replace it")
    write_atomic(output, text)
    click.echo(f"Wrote {output} ({len(eng.parties)} parties, presets: {', '.join(eng.presets)}).", err=True)


# --------------------------------------------------------------------------- check


@cli.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Exit 1 when a finding of this severity or worse is found.")
@click.pass_context
def check_cmd(ctx: click.Context, file: str, fmt: str, fail_on: str) -> None:
    """Run every check on an engagement file and report gaps and overlaps.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad input.

    \b
    Example:
      raci check samples/acme-co-managed.raci.yaml --fail-on warning
    """
    from raci.checks import run_checks
    from raci.engagement import load_engagement, resolve
    from raci.findings import SEVERITY_RANK, summarize
    from raci.reports import findings_text

    cat = _catalog(ctx)
    matrix = resolve(load_engagement(file, cat), cat)
    findings = run_checks(matrix)
    if fmt == "json":
        _echo_json({"findings": [f.to_dict() for f in findings], "summary": summarize(findings)})
    else:
        click.echo(findings_text(findings, file), nl=False)
    if fail_on != "never" and any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in findings):
        ctx.exit(1)


# --------------------------------------------------------------------------- render (issue 3)

# --------------------------------------------------------------------------- import / audit (issue 4)

# --------------------------------------------------------------------------- recommend / diff (issue 5)


def main() -> None:
    cli(prog_name="raci")
