"""Reading an input file without surprises: only a regular file, never more than a bound, every OS error one line.

A FIFO blocks its reader until someone writes to it, and a device such as /dev/zero never ends, so the path is
checked with ``os.stat`` before it is opened and opened non-blocking, in case it is swapped for a FIFO in between
(the open file is checked again). Reading stops one byte past the bound, so a file that grows meanwhile is refused
too. Every reader of YAML goes through ``read_input_bytes`` (see raci.yamlio.load_yaml_file).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from raci.errors import InputError, Problem

MB = 1024 * 1024
YAML_LIMIT = 20 * MB  # an engagement, a --map file, any YAML file a person writes
CATALOG_FILE_LIMIT = 64 * MB  # one file of a catalog folder (a domain file of 100,000 activities is about 40 MB)

_CHUNK = MB
_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def size_text(n: int) -> str:
    """``20 MB``, ``1.5 MB``, ``900 bytes``."""
    if n < MB:
        return f"{n:,} bytes"
    return f"{n // MB} MB" if n % MB == 0 else f"{n / MB:.1f} MB"


def not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be read as an input (``is a folder, not a file``), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    kind = next((name for test, name in _SPECIAL if test(mode)), "not a plain file")
    return f"is not a regular file ({kind})"


def os_error_text(exc: OSError) -> str:
    """One line for an OS error met while reading an input: ``no such file``, ``cannot be read: Permission denied``."""
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.EISDIR:
        return "is a folder, not a file"
    reason = exc.strerror or type(exc).__name__
    return f"cannot be read: {' '.join(str(reason).split())}"


def _too_large(size: int | None, limit: int, what: str) -> str:
    found = f" ({size:,} bytes)" if size is not None else ""
    return f"is larger than the {size_text(limit)} limit for {what}{found}"


def read_input_bytes(path: str | Path, limit: int, what: str = "an input file") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; InputError (one line) for anything else.

    ``what`` names the kind of file in the message about the size (``the 20 MB limit for an engagement file``).
    """
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(Problem(name, os_error_text(exc))) from None
    except ValueError:  # a NUL byte in the name
        raise InputError(Problem(name, "cannot be read: the name holds a NUL character")) from None
    why = not_regular(st.st_mode)
    if why is None and st.st_size > limit:
        why = _too_large(st.st_size, limit, what)
    if why is not None:
        raise InputError(Problem(name, why))
    chunks: list[bytes] = []
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise InputError(Problem(name, os_error_text(exc))) from None
    try:
        why = not_regular(os.fstat(fd).st_mode)  # swapped for something else between stat and open
        total = 0
        while why is None:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew after the stat
                why = _too_large(None, limit, what)
    except OSError as exc:
        why = os_error_text(exc)
    finally:
        os.close(fd)
    if why is not None:
        raise InputError(Problem(name, why))
    return b"".join(chunks)


__all__ = ["CATALOG_FILE_LIMIT", "MB", "YAML_LIMIT", "not_regular", "os_error_text", "read_input_bytes", "size_text"]
