"""Reading the world's contract matrices, as a pipeline of small stages, each usable alone:

tables (files to grids) -> layout (a scored search for the matrix) -> vocabulary (what a cell says) ->
rows (responsibilities, sections, parties) -> mapping (rows onto the catalog) -> audit (row and catalog
checks) -> report (text, JSON, Markdown).
"""

from __future__ import annotations

from raci.contracts.audit import AuditReport, DocumentAudit, audit, audit_document
from raci.contracts.engagement import build_engagement, import_contract
from raci.contracts.layout import Options
from raci.contracts.mapping import DEFAULT_THRESHOLD, Match, Matcher
from raci.contracts.maps import RowMap, load_map
from raci.contracts.model import ContractRow, Document, Party
from raci.contracts.reader import read_document
from raci.contracts.report import render_report

__all__ = [
    "DEFAULT_THRESHOLD", "AuditReport", "ContractRow", "Document", "DocumentAudit", "Match", "Matcher", "Options", "Party",
    "RowMap", "audit", "audit_document", "build_engagement", "import_contract", "load_map", "read_document", "render_report",
]
