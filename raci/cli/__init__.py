"""Command line: parse options, call one library function, format its result, map errors to exit codes.

``base`` holds the `raci` group and what every command shares; ``plan`` (catalog, presets, new, recommend, diff),
``appendix`` (check, render) and ``documents`` (import, audit, export) hold the commands. Importing this package
registers them all. Only this package imports click: the library under it never does.
"""

from raci.cli import appendix, documents, plan  # noqa: F401  (registers the commands on the group)
from raci.cli.base import FORMATS, GAP_CHOICE, RaciGroup, cli, command_line, main

__all__ = ["FORMATS", "GAP_CHOICE", "RaciGroup", "cli", "command_line", "main"]
