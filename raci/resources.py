"""Where the bundled catalog and templates live: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PKG / name, _PKG.parent / name):  # wheel layout first, then source checkout
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


def catalog_dir() -> Path:
    return _find("catalog")


def templates_dir() -> Path:
    return _find("templates")
