"""Atomic output: what write_atomic refuses and leaves behind, for every command that writes a file."""

from __future__ import annotations

import os

import pytest
from paths import MINI

from raci.errors import OutputError
from raci.output import write_atomic


def test_writes_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "a.txt"
    write_atomic(out, "one\n")
    write_atomic(out, b"two\n")
    assert out.read_text() == "two\n"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_a_failing_writer_leaves_the_earlier_file_untouched(tmp_path):
    out = tmp_path / "a.txt"
    out.write_text("earlier\n")

    def boom(tmp):
        tmp.write_text("half")
        raise ValueError("interrupted")

    with pytest.raises(ValueError):
        write_atomic(out, boom)
    assert out.read_text() == "earlier\n"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_a_symlink_is_refused_and_the_file_behind_it_kept(tmp_path):
    # Changed on purpose (issue 11): a link used to be written through, which overwrote whatever it pointed
    # to (an engagement, a catalog file, a system file). Now it is refused; the link and its file stay.
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(OutputError) as exc:
        write_atomic(link, "new\n")
    assert exc.value.lines() == [f"{link}: is a symbolic link; raci does not write through links (remove it or write elsewhere)"]
    assert link.is_symlink()
    assert real.read_text() == "old\n"


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: os.mkfifo(p), "is not a regular file"),
    (lambda p: p.mkdir(), "is a folder, not a file"),
])
def test_devices_pipes_and_folders_are_refused(tmp_path, make, message):
    out = tmp_path / "target"
    make(out)
    with pytest.raises(OutputError) as exc:
        write_atomic(out, "x")
    assert exc.value.lines() == [f"{out}: {message}"]


def test_missing_folder(tmp_path):
    with pytest.raises(OutputError) as exc:
        write_atomic(tmp_path / "nope" / "a.txt", "x")
    assert exc.value.lines() == [f"{tmp_path / 'nope' / 'a.txt'}: folder {tmp_path / 'nope'} does not exist"]


def test_os_errors_become_one_line(tmp_path):
    with pytest.raises(OutputError) as exc:
        write_atomic("/proc/raci-test.txt", "x")
    assert exc.value.lines()[0].startswith("/proc/raci-test.txt: cannot write the file: ")


def test_raci_new_refuses_a_pipe(run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("new", "--preset", "in-house", "--client", "Acme", "-o", fifo, "--force", catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {fifo}: is not a regular file\n"
