"""Shared fixtures: paths to test data, a CLI runner, and the small mini catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import MINI

from raci.catalog import load_catalog
from raci.cli import cli


@pytest.fixture(scope="session")
def mini_catalog():
    return load_catalog(MINI)


@pytest.fixture(scope="session")
def bundled_catalog():
    return load_catalog()


@pytest.fixture
def run():
    """Run the CLI in-process; returns the click Result (stdout and stderr kept apart)."""

    def _run(*args: str, catalog: Path | None = None, input: str | None = None):
        argv = (["--catalog", str(catalog)] if catalog else []) + [str(a) for a in args]
        return CliRunner().invoke(cli, argv, input=input, catch_exceptions=False)

    return _run
