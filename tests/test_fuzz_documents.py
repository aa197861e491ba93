"""Fuzzing documents: small valid files (a workbook raci rendered, a contract workbook, a Word document, a PDF)
with bytes flipped, cut short, or zip entries dropped, doubled or damaged inside. `raci audit` and `raci import`
must end with exit 0, 1 or 2, never a traceback, and an exit 2 must be nothing but `Error: ` (and `Warning: `)
lines."""

from __future__ import annotations

import functools
import io
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import DATA, MINI, SAMPLES

GOOD = DATA / "engagements" / "good.raci.yaml"
FORMATS = DATA / "formats"


@functools.lru_cache(maxsize=1)
def _rendered() -> bytes:
    """The workbook ``raci render`` makes of the good engagement, with the mini catalog."""
    from raci.catalog import load_catalog
    from raci.checks import run_checks
    from raci.engagement import load_engagement, resolve
    from raci.excel import write_workbook

    cat = load_catalog(MINI)
    matrix = resolve(load_engagement(GOOD, cat), cat)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "good.xlsx"
        write_workbook(matrix, run_checks(matrix), path, command="raci render")
        return path.read_bytes()


def _base(name: str) -> tuple[str, bytes]:
    if name == "rendered.xlsx":
        return name, _rendered()
    path = {"contract.xlsx": SAMPLES / "contracts" / "exhibit-b-grid.xlsx", "sow.docx": FORMATS / "docx-sow.docx",
            "crm.pdf": FORMATS / "pdf-crm.pdf"}[name]
    return name, path.read_bytes()


BASES = ["rendered.xlsx", "contract.xlsx", "sow.docx", "crm.pdf"]


def _rezip(data: bytes, edit) -> bytes:
    """The zip ``data`` written again, entry by entry, through ``edit(index, name, content)`` -> list of (name, content)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": the point of some mutations
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for i, info in enumerate(src.infolist()):
                for name, content in edit(i, info.filename, src.read(info.filename)):
                    z.writestr(name, content)
    return out.getvalue()


def _flip_inside(data: bytes, index: int, offset: float, xor: int) -> bytes:
    """One byte of one entry's compressed data flipped: the zip's directory stays intact."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.infolist()[index % len(zf.infolist())]
    head = info.header_offset
    start = head + 30 + int.from_bytes(data[head + 26:head + 28], "little") + int.from_bytes(data[head + 28:head + 30], "little")
    if info.compress_size == 0:
        return data
    pos = start + int(offset * (info.compress_size - 1))
    return data[:pos] + bytes([data[pos] ^ xor]) + data[pos + 1:]


@st.composite
def damage(draw) -> tuple[str, str, tuple]:
    """(base document, what is done to it, how): a recipe, small to print, applied by ``_apply``."""
    name = draw(st.sampled_from(BASES))
    is_zip = name != "crm.pdf"
    how = draw(st.sampled_from(["flip", "truncate", "flip-inside", "drop", "duplicate", "garble"] if is_zip else ["flip", "truncate"]))
    if how == "flip":
        return name, how, tuple(draw(st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=4)))
    if how == "truncate":
        return name, how, (draw(st.floats(0, 1, exclude_max=True)),)
    if how == "flip-inside":
        return name, how, (draw(st.integers(0, 50)), draw(st.floats(0, 1)), draw(st.integers(1, 255)))
    if how in ("drop", "duplicate"):
        return name, how, (draw(st.integers(0, 50)),)
    return name, how, (draw(st.integers(0, 50)), draw(st.floats(0, 1)), draw(st.binary(max_size=16)))


def _apply(name: str, how: str, params: tuple) -> bytes:
    _, data = _base(name)
    if how == "flip":
        out = bytearray(data)
        for where, xor in params:
            out[int(where * (len(out) - 1))] ^= xor
        return bytes(out)
    if how == "truncate":
        return data[: int(params[0] * len(data))]
    if how == "flip-inside":
        return _flip_inside(data, *params)
    target = params[0] % len(zipfile.ZipFile(io.BytesIO(data)).infolist())
    if how == "drop":
        return _rezip(data, lambda i, nm, c: [] if i == target else [(nm, c)])
    if how == "duplicate":
        return _rezip(data, lambda i, nm, c: [(nm, c), (nm, c)] if i == target else [(nm, c)])
    _, cut, junk = params
    return _rezip(data, lambda i, nm, c: [(nm, c[: int(cut * len(c))] + junk)] if i == target else [(nm, c)])


def _check(res, what: str) -> None:
    assert res.exit_code in (0, 1, 2), what
    assert "Traceback" not in res.stdout + res.stderr, what
    if res.exit_code == 2:
        lines = res.stderr.splitlines()
        assert lines and all(line.startswith(("Error: ", "Warning: ")) for line in lines), what
        assert any(line.startswith("Error: ") for line in lines), what


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(case=damage())
def test_damaged_documents_end_cleanly(run, case):
    name, how, _ = case
    data = _apply(*case)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        out = Path(tmp) / "out.raci.yaml"
        for args in (("audit", path), ("import", path, "-o", out)):
            res = run(*args, catalog=MINI)
            _check(res, f"{args[0]} of {name} ({how}, {len(data)} bytes):\nstdout: {res.stdout[:1500]}\nstderr: {res.stderr[:1500]}")


@pytest.mark.parametrize("name", BASES)
def test_the_bases_are_read(run, tmp_path, name):
    """The fuzz starts from documents raci reads: undamaged, each audits and imports without an error."""
    _, data = _base(name)
    path = tmp_path / name
    path.write_bytes(data)
    res = run("import", path, "-o", tmp_path / "out.raci.yaml", catalog=MINI)
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "out.raci.yaml").exists()
    res = run("audit", path, catalog=MINI)
    assert res.exit_code in (0, 1), res.stderr
    assert "Error:" not in res.stderr
