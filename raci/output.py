"""Atomic output: write to a temporary file beside the target, then rename, so nothing is half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from raci.errors import OutputError, Problem


def refuse_input_overwrite(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Raise OutputError when ``output`` names the same file as one of ``inputs``."""
    out = Path(output)
    for src in inputs:
        src_p = Path(src)
        same = False
        try:
            same = out.exists() and src_p.exists() and os.path.samefile(out, src_p)
        except OSError:
            same = False
        if same or out.resolve() == src_p.resolve():
            raise OutputError(Problem(str(output), f"refusing to write over the input file {src}"))


def refuse_existing(output: str | Path, force: bool) -> None:
    """Raise OutputError when ``output`` exists and the user did not pass --force (or is a folder)."""
    if os.path.isdir(output):
        raise OutputError(Problem(str(output), "is a folder, not a file"))
    if not force and os.path.lexists(output):
        raise OutputError(Problem("", f"{output} already exists; pass --force to replace it"))


def writable_target(output: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """The file to write for ``output``, after refusing inputs, folders, devices and missing folders.

    A symlinked output is written where it points: the atomic rename would otherwise replace the link.
    """
    out = Path(output)
    refuse_input_overwrite(out, inputs)
    target = out.resolve() if out.is_symlink() else out
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(Problem(str(output), f"folder {parent} does not exist"))
    if target.is_dir():
        raise OutputError(Problem(str(output), "is a folder, not a file"))
    if target.exists() and not target.is_file():
        # a device or pipe such as /dev/stdout: renaming over it would replace it, as root even /dev/null
        raise OutputError(Problem(str(output), "is not a regular file"))
    return target


def write_atomic(path: str | Path, data: bytes | str | Callable[[Path], None]) -> None:
    """Write ``data`` (bytes, text, or a function that writes a given path) to ``path`` atomically."""
    target = writable_target(path)
    try:
        _replace(target, data)
    except OSError as exc:  # a read-only folder, a full disk: one line, not a traceback
        raise OutputError(Problem(str(path), f"cannot write the file: {exc.strerror or exc}")) from None


def _replace(target: Path, data: bytes | str | Callable[[Path], None]) -> None:
    parent = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    tmp = Path(tmp_name)
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        if target.exists():
            # keep the permissions a user gave the earlier file
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
