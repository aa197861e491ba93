"""raci: checked, signed-off responsibility matrices for co-managed IT.

The Python API is the names in ``__all__``; each is imported on first use, so ``import raci`` (and ``raci --help``)
stays light. A session::

    import raci

    catalog = raci.load_catalog()                      # the bundled catalog, or load_catalog("my-catalog/")
    matrix = raci.resolve(raci.load_engagement("acme.raci.yaml", catalog), catalog)
    findings = raci.check(matrix)                      # list of raci.Finding, errors first
    print(raci.findings_text(findings, "acme"))
    appendix = raci.render_markdown(matrix, findings, command="my script")

Every error raci raises on purpose is a ``raci.RaciError`` (bad input: ``raci.InputError``, with ``lines()``).
The names are aliases where a submodule already has the plain name (``raci.render``, ``raci.diff`` and
``raci.recommend`` are modules): ``write_appendix``, ``diff_specs`` and ``recommend_presets``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> (module, attribute)
_API: dict[str, tuple[str, str]] = {
    # errors and findings
    "RaciError": ("raci.errors", "RaciError"),
    "InputError": ("raci.errors", "InputError"),
    "Finding": ("raci.findings", "Finding"),
    # the catalog and an engagement
    "Catalog": ("raci.catalog", "Catalog"),
    "load_catalog": ("raci.catalog", "load_catalog"),
    "Matrix": ("raci.engagement", "Matrix"),
    "load_engagement": ("raci.engagement", "load_engagement"),
    "loads_engagement": ("raci.engagement", "loads_engagement"),
    "resolve": ("raci.engagement", "resolve"),
    # checks
    "check": ("raci.checks", "run_checks"),
    "explain_rule": ("raci.checks", "explain"),
    "RULES": ("raci.checks", "RULES"),
    "findings_text": ("raci.reports", "findings_text"),
    "findings_json": ("raci.reports", "findings_json"),
    # the appendix
    "render_markdown": ("raci.markdown", "render_markdown"),
    "write_appendix": ("raci.render", "render"),
    # contracts
    "audit": ("raci.contracts.audit", "audit"),
    "audit_report": ("raci.contracts.report", "render_report"),
    # transition plans
    "diff_specs": ("raci.diff", "diff_specs"),
    "diff_text": ("raci.diff", "diff_text"),
    "diff_json": ("raci.diff", "diff_json"),
    "diff_markdown": ("raci.diff", "diff_markdown"),
    # which arrangement fits
    "ClientProfile": ("raci.recommend", "ClientProfile"),
    "recommend_presets": ("raci.recommend", "recommend"),
    "recommendations_text": ("raci.recommend", "recommendations_text"),
    "recommendations_json": ("raci.recommend", "recommendations_json"),
}

__all__ = [  # the names of _API, spelled out for tools that read it (a test keeps the two equal)
    "__version__", "RaciError", "InputError", "Finding", "Catalog", "load_catalog", "Matrix", "load_engagement",
    "loads_engagement", "resolve", "check", "explain_rule", "RULES", "findings_text", "findings_json",
    "render_markdown", "write_appendix", "audit", "audit_report", "diff_specs", "diff_text", "diff_json",
    "diff_markdown", "ClientProfile", "recommend_presets", "recommendations_text", "recommendations_json",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time each name is imported on first use
    from raci.catalog import Catalog, load_catalog
    from raci.checks import RULES
    from raci.checks import explain as explain_rule
    from raci.checks import run_checks as check
    from raci.contracts.audit import audit
    from raci.contracts.report import render_report as audit_report
    from raci.diff import diff_json, diff_markdown, diff_specs, diff_text
    from raci.engagement import Matrix, load_engagement, loads_engagement, resolve
    from raci.errors import InputError, RaciError
    from raci.findings import Finding
    from raci.markdown import render_markdown
    from raci.recommend import ClientProfile, recommendations_json, recommendations_text
    from raci.recommend import recommend as recommend_presets
    from raci.render import render as write_appendix
    from raci.reports import findings_json, findings_text


def __getattr__(name: str) -> Any:
    try:
        module, attr = _API[name]
    except KeyError:
        raise AttributeError(f"module 'raci' has no attribute {name!r}") from None
    value = getattr(import_module(module), attr)
    globals()[name] = value  # imported once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
