"""Safe output: never onto an input, a link or a read-only file; written atomically, several files as one.

Every output is first written to a temporary file beside it, named ``.NAME.PID.XXXXXXXX.tmp`` so that it is
never mistaken for output, and renamed over the target only when complete. The files of one command (the
workbook and the Markdown of ``raci render``) are all written before any is renamed, and renamed together
under an exclusive lock on their folders: both or neither, never one render's workbook beside another's
Markdown. A temporary file left by a killed run is removed by the next write to the same target.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import re
import shutil
import stat
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from raci.errors import OutputError, Problem

try:
    import fcntl
except ImportError:  # Windows: no locks, and leftovers are left alone (os.kill there would end the process)
    fcntl = None  # type: ignore[assignment]

Data = bytes | str | Callable[[Path], None]

LOCK_TIMEOUT = 10.0  # seconds to wait for another writer's renames (they take microseconds)
SCAN_LIMIT = 10_000  # files looked at in an input folder when searching for a hard link to an output
_LEFTOVER = re.compile(r"(\d+)\.[a-z0-9_]{8}(\.old)?\.tmp")  # after ".NAME.": the pid, mkstemp's letters


def _path_error(output: str | Path, exc: BaseException) -> OutputError:
    # ELOOP and ENAMETOOLONG from the OS, or the RuntimeError Path.resolve raises on a symlink loop
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else os.strerror(errno.ELOOP)
    return OutputError(Problem(str(output), f"cannot use this path: {reason}"))


def _resolve(path: str | Path, output: str | Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError) as exc:
        raise _path_error(output, exc) from None


def check_target(output: str | Path) -> Path:
    """``output`` as a Path, after refusing links, folders, devices, read-only files and unusable names.

    A symbolic link is refused, not followed: writing through it would replace whatever file it points to,
    an input or a system file, and replacing the link itself would silently cut what it stood for.
    """
    out = Path(output)
    try:
        st: os.stat_result | None = os.lstat(out)
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as exc:  # a symlink loop in the path, a name longer than the system allows
        raise _path_error(output, exc) from None
    if not out.parent.is_dir():
        raise OutputError(Problem(str(output), f"folder {out.parent} does not exist"))
    if st is None:
        return out
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(Problem(str(output), "is a symbolic link; raci does not write through links "
                                               "(remove it or write elsewhere)"))
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(Problem(str(output), "is a folder, not a file"))
    if not stat.S_ISREG(st.st_mode):
        # a device or pipe such as /dev/stdout: renaming over it would replace it, as root even /dev/null
        raise OutputError(Problem(str(output), "is not a regular file"))
    if st.st_mode & 0o222 == 0 or not os.access(out, os.W_OK):  # the mode bits too: root may write anything
        raise OutputError(Problem(str(output), "is read-only; raci will not replace it"))
    return out


def refuse_input_overwrite(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Raise OutputError when ``output`` names the same file as one of ``inputs`` (any spelling, hard links)."""
    out = Path(output)
    real = _resolve(out, output)
    for src in inputs:
        src_p = Path(src)
        try:
            same = real == src_p.resolve() or (out.exists() and src_p.exists() and os.path.samefile(out, src_p))
        except (OSError, RuntimeError):
            same = False
        if same:
            raise OutputError(Problem(str(output), f"refusing to write over the input file {src}"))


def input_folders(catalog_dir: str | Path | None = None, template_dir: str | Path | None = None) -> list[Path]:
    """The folders whose files count as inputs: the catalog (given and bundled), the templates (given and bundled)."""
    from raci.resources import catalog_dir as bundled_catalog
    from raci.resources import templates_dir

    folders = [Path(p) for p in (catalog_dir, template_dir) if p is not None]
    for bundled in (bundled_catalog, templates_dir):
        with contextlib.suppress(FileNotFoundError):
            folders.append(bundled())
    return folders


def refuse_inputs(output: str | Path, inputs: Iterable[str | Path], folders: Iterable[str | Path] = ()) -> None:
    """Raise OutputError unless ``output`` may be written: never an input file, nor a file under an input folder.

    ``inputs`` are files the command reads (the engagement, a --map); ``folders`` are read whole (--catalog,
    --template-dir). The same file under another spelling, through a linked folder or a hard link, counts.
    Links, folders, devices, read-only files and unusable names are refused first, as check_target does.
    """
    check_target(output)
    refuse_input_overwrite(output, inputs)
    try:
        st = os.stat(output)
    except OSError:
        return  # a new file: it overwrites nothing
    real = _resolve(output, output)
    for folder in folders:
        try:
            root = Path(folder).resolve()
        except (OSError, RuntimeError):
            continue  # an unusable input folder is reported by the command that reads it
        found = Path(folder, real.relative_to(root)) if real.is_relative_to(root) else None
        if found is None and st.st_nlink > 1:
            found = _hard_link_under(Path(folder), st)
        if found is not None:
            raise OutputError(Problem(str(output), f"refusing to write over the input file {found}"))


def _hard_link_under(folder: Path, st: os.stat_result) -> Path | None:
    seen = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            seen += 1
            if seen > SCAN_LIMIT:
                return None
            with contextlib.suppress(OSError):
                other = os.stat(os.path.join(dirpath, name))
                if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                    return Path(dirpath, name)
    return None


def refuse_existing(output: str | Path, force: bool) -> None:
    """Raise OutputError when ``output`` exists and the user did not pass --force (or is a folder)."""
    if os.path.isdir(output):
        raise OutputError(Problem(str(output), "is a folder, not a file"))
    if not force and os.path.lexists(output):
        raise OutputError(Problem("", f"{output} already exists; pass --force to replace it"))


def writable_target(output: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """The file to write for ``output``: check_target's refusals, then any of ``inputs`` it would overwrite.

    A symlinked output is refused (it used to be written where it pointed, which overwrote the file behind it).
    """
    target = check_target(output)
    refuse_input_overwrite(output, inputs)
    return target


def write_atomic(path: str | Path, data: Data) -> None:
    """Write ``data`` (bytes, text, or a function that writes a given path) to ``path`` atomically."""
    write_all([(path, data)])


def write_all(outputs: Sequence[tuple[str | Path, Data]]) -> None:
    """Write every output, then replace the targets together: all of them, or none if anything fails.

    A failure while writing (a full disk, an error in a writer) leaves every target as it was and no
    temporary file; a failure between two renames puts back the files already replaced.
    """
    targets = [check_target(path) for path, _ in outputs]
    temps: list[tuple[int, Path]] = []
    at = [0]  # the output being written or renamed, for the error message
    try:
        for i, ((_, data), target) in enumerate(zip(outputs, targets)):
            at[0] = i
            temps.append(_new_temp(target))
            _fill(target, *temps[-1], data)
        with _locked({_resolve(t.parent, t) for t in targets}):
            for target in targets:
                _remove_leftovers(target)
            _replace_all(list(zip(targets, [tmp for _, tmp in temps])), at)
    except OSError as exc:  # a read-only folder, a full disk: one line, not a traceback
        _drop_writer_state(exc)
        raise OutputError(Problem(str(outputs[at[0]][0]), f"cannot write the file: {exc.strerror or exc}")) from None
    except BaseException as exc:
        _drop_writer_state(exc)
        raise
    finally:
        for fd, tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
            os.close(fd)


def _stem(target: Path) -> str:
    # the target's name in its temporary files' names, cut so that those names stay under 255 bytes
    return target.name.encode("utf-8", "surrogateescape")[:200].decode("utf-8", "ignore")


def _new_temp(target: Path) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(prefix=f".{_stem(target)}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    if fcntl is not None:
        with contextlib.suppress(OSError):  # a file system without locks: the pid alone tells a leftover
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held while the file exists (see _remove_leftovers)
    return fd, Path(name)


def _fill(target: Path, fd: int, tmp: Path, data: Data) -> None:
    if callable(data):
        data(tmp)
    else:
        with open(tmp, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.fsync(fd)  # the same file: its content is on disk before the rename makes it the output
    try:
        mode = target.stat().st_mode & 0o7777  # keep the permissions a user gave the earlier file
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)


def _drop_writer_state(exc: BaseException) -> None:
    """Free what a failed writer left open, now and quietly.

    A zip file or XML stream left open in the traceback would try to finish itself at exit, fail again on a
    full disk, and print "Exception ignored ..." after the clean error line.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        for err in (exc, exc.__context__, exc.__cause__):
            if err is not None:
                traceback.clear_frames(err.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


@contextlib.contextmanager
def _locked(folders: set[Path]):
    """Hold an exclusive lock on each folder (in a fixed order, so two writers never wait on each other)."""
    fds: list[int] = []
    try:
        for folder in sorted(folders, key=str) if fcntl is not None else ():
            fds.append(_lock(folder))
        yield
    finally:
        for fd in fds:
            os.close(fd)


def _lock(folder: Path) -> int:
    fd = -1
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    except OSError:  # a folder that cannot be opened or locked (NFS): a lock file beside the outputs instead
        if fd >= 0:
            os.close(fd)
        fd = os.open(folder / ".raci.lock", os.O_RDWR | os.O_CREAT, 0o666)
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise OutputError(Problem(str(folder), "another program is writing here; nothing was replaced, "
                                                       "try again")) from None
            time.sleep(0.005)
        except OSError:  # no locks at all on this file system: write unlocked, as before
            return fd


def _replace_all(pairs: list[tuple[Path, Path]], at: list[int]) -> None:
    """Rename each temporary file over its target; on a failure, put back the targets already replaced."""
    done: list[tuple[Path, Path | None]] = []
    backups: list[Path] = []
    try:
        for i, (target, tmp) in enumerate(pairs):
            at[0] = i
            backup = None
            if i < len(pairs) - 1 and os.path.lexists(target):  # after the last rename nothing can fail
                backup = tmp.with_name(tmp.name[: -len(".tmp")] + ".old.tmp")
                backups.append(backup)
                try:
                    os.link(target, backup)
                except OSError:
                    shutil.copy2(target, backup)
            os.replace(tmp, target)
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is None:
                    os.unlink(target)  # it did not exist before
                else:
                    os.replace(backup, target)
        raise
    finally:
        for backup in backups:
            with contextlib.suppress(OSError):
                backup.unlink()


def _remove_leftovers(target: Path) -> None:
    """Remove the temporary files of ``target`` that a killed run left: its pid is gone and nobody holds them."""
    if fcntl is None:
        return
    prefix = f".{_stem(target)}."
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        match = _LEFTOVER.fullmatch(name[len(prefix):])
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        path = target.parent / name
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while its writer (elsewhere) still runs
                path.unlink()
            finally:
                os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process; or no such pid at all, but then leave the file alone
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
