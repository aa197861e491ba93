"""Compliance exports of an engagement (``raci export``): one module a format, a shared ``rows`` module.

``oscal`` (an OSCAL system security plan), ``fedramp_crm`` (FedRAMP's CRM worksheet), ``caiq`` (CSA CAIQ v4 SSRM
ownership), ``cmmc_md`` (a Markdown CMMC customer responsibility matrix) and ``csv`` (long form, one row a role).
Each names the raci version and the engagement's file name on its first lines, and ``raci audit`` reads each back
with the same owners.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from raci.engagement import Matrix
from raci.exports.rows import Rows
from raci.output import Data

FORMATS = {"oscal": "oscal", "fedramp-crm": "fedramp_crm", "caiq": "caiq", "cmmc-md": "cmmc_md", "csv": "csv_long"}
SUFFIXES = {"oscal": ".json", "fedramp-crm": ".xlsx", "caiq": ".xlsx", "cmmc-md": ".md", "csv": ".csv"}

UNITS = {"oscal": "controls", "fedramp-crm": "controls", "caiq": "CCM controls", "cmmc-md": "requirements", "csv": "roles"}

__all__ = ["FORMATS", "SUFFIXES", "Export", "Rows", "export"]


@dataclass(frozen=True)
class Export:
    data: Data  # text, bytes, or a writer of a path (for raci.output.write_atomic)
    rows: int  # controls, requirements or roles written
    unit: str


def export(matrix: Matrix, fmt: str, source: str) -> Export:
    """The export of ``matrix`` in ``fmt``; ``source`` is the engagement file it came from (only its name is
    written)."""
    module = import_module(f"raci.exports.{FORMATS[fmt]}")
    rows = Rows(matrix, source)
    return Export(module.export(rows), module.count(rows), UNITS[fmt])
