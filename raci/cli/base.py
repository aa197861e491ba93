"""The command line's root: the `raci` group, its error handling, provenance of the command, the catalog option."""

from __future__ import annotations

import os.path
import shlex
import sys

import click

from raci import __version__
from raci.errors import RaciError

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



def main() -> None:
    from raci.gcpause import allow_gc_pauses

    allow_gc_pauses()  # this process is ours: bulk loading and checking may pause the garbage collector
    cli(prog_name="raci")
