"""Outputs that cannot hurt inputs (issue 11): no link followed, no input or read-only file replaced, the pair of
`raci render` written as one, two renders at once never mixed, a full disk and a killed run leave nothing behind."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from paths import DATA, MINI, SAMPLES

import raci.output
from raci.errors import OutputError
from raci.output import write_all, write_atomic

ACME = DATA / "render" / "acme.raci.yaml"
LINK = "is a symbolic link; raci does not write through links (remove it or write elsewhere)"
READ_ONLY = "is read-only; raci will not replace it"


@pytest.fixture
def acme(tmp_path):
    path = tmp_path / "acme.raci.yaml"
    shutil.copy(ACME, path)
    return path


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "catalog"
    shutil.copytree(MINI, path)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


def _bytes(*paths: Path) -> list[bytes]:
    return [p.read_bytes() for p in paths]


# --------------------------------------------------------------------------- links and unusable names


@pytest.mark.parametrize("option", ["--md", "--xlsx"])
def test_a_symlinked_output_is_refused_and_the_file_behind_it_kept(run, acme, tmp_path, option):
    victim, link = tmp_path / "victim.txt", tmp_path / "out"
    victim.write_bytes(b"not raci's to replace\n")
    link.symlink_to(victim)
    result = run("render", acme, option, link, catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {link}: {LINK}\n"
    assert victim.read_bytes() == b"not raci's to replace\n"
    assert link.is_symlink() and os.readlink(link) == str(victim)
    assert _leftovers(tmp_path) == []


def test_a_link_to_the_engagement_itself_is_refused(run, acme, tmp_path):
    link = tmp_path / "appendix.md"
    link.symlink_to(acme.name)
    before = acme.read_bytes()
    result = run("render", acme, "--xlsx", tmp_path / "new.xlsx", "--md", link, catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {link}: {LINK}\n")
    assert acme.read_bytes() == before
    assert not (tmp_path / "new.xlsx").exists()  # refused before anything is written


def test_a_dangling_link_is_refused_and_nothing_is_created_behind_it(run, acme, tmp_path):
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    result = run("render", acme, "--md", link, catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {link}: {LINK}\n")
    assert not (tmp_path / "elsewhere.md").exists()


def _commands(out: Path, acme: Path):
    return {
        "render": ["render", acme, "--md", out],
        "new": ["new", "--preset", "in-house", "--client", "Acme", "-o", out, "--force"],
        "diff": ["diff", "in-house", "fully-managed", "-o", out, "--force"],
        "audit": ["audit", SAMPLES / "contracts" / "exhibit-b-grid.xlsx", "-o", out],
        "audit --write-map": ["audit", SAMPLES / "contracts" / "exhibit-b-grid.xlsx", "--write-map", out],
        "import": ["import", SAMPLES / "contracts" / "exhibit-b-grid.xlsx", "-o", out, "--force"],
    }


@pytest.mark.parametrize("command", ["render", "new", "diff", "audit", "audit --write-map", "import"])
def test_a_symlink_loop_in_the_output_path_is_one_line(run, acme, tmp_path, command):
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    out = loop / "out.md"
    result = run(*_commands(out, acme)[command], catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: cannot use this path: Too many levels of symbolic links\n"


@pytest.mark.parametrize("command", ["render", "new", "diff", "audit", "audit --write-map", "import"])
def test_an_output_name_longer_than_255_bytes_is_one_line(run, acme, tmp_path, command):
    out = tmp_path / ("x" * 300 + ".md")
    result = run(*_commands(out, acme)[command], catalog=MINI)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: cannot use this path: File name too long\n"


def test_an_output_that_is_itself_a_symlink_loop_is_refused_as_a_link(run, acme, tmp_path):
    loop = tmp_path / "loop.md"
    loop.symlink_to("loop.md")
    result = run("render", acme, "--md", loop, catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {loop}: {LINK}\n")


def test_import_into_a_linked_engagement_is_refused(run, acme, tmp_path):
    xlsx = tmp_path / "acme.xlsx"
    assert run("render", acme, "--xlsx", xlsx, catalog=MINI).exit_code == 0
    link = tmp_path / "link.raci.yaml"
    link.symlink_to(acme)
    before = acme.read_bytes()
    result = run("import", xlsx, "--into", link, catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {link}: {LINK}\n")
    assert acme.read_bytes() == before


def test_a_long_but_valid_name_is_written(tmp_path):
    out = tmp_path / ("a" * 250)  # the temporary file's name would pass 255 bytes unless the name is cut in it
    write_atomic(out, "x\n")
    assert out.read_text() == "x\n"
    assert os.listdir(tmp_path) == [out.name]


# --------------------------------------------------------------------------- inputs: catalog, templates, maps


def test_a_catalog_file_given_as_output_is_refused(run, acme, catalog, tmp_path):
    target = catalog / "frameworks.yaml"
    before = target.read_bytes()
    result = run("render", acme, "--md", target, catalog=catalog)
    assert (result.exit_code, result.stderr) == (2, f"Error: {target}: refusing to write over the input file {target}\n")
    assert target.read_bytes() == before


def test_a_catalog_file_under_another_spelling_or_through_a_hard_link_is_refused(run, acme, catalog, tmp_path):
    target = catalog / "presets" / "in-house.yaml"
    before = target.read_bytes()
    spelled = catalog / "domains" / ".." / "presets" / "in-house.yaml"
    result = run("new", "--preset", "in-house", "--client", "Acme", "-o", spelled, "--force", catalog=catalog)
    assert (result.exit_code, result.stderr) == (2, f"Error: {spelled}: refusing to write over the input file {target}\n")
    hard = tmp_path / "plan.md"
    os.link(target, hard)
    result = run("diff", "in-house", "fully-managed", "-o", hard, "--force", catalog=catalog)
    assert (result.exit_code, result.stderr) == (2, f"Error: {hard}: refusing to write over the input file {target}\n")
    assert target.read_bytes() == before


def test_a_new_file_inside_the_catalog_folder_is_allowed(run, catalog):
    out = catalog / "notes.md"  # overwrites nothing: only the files the command reads are protected
    result = run("diff", "in-house", "fully-managed", "-o", out, catalog=catalog)
    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_a_template_given_as_output_is_refused(run, acme, tmp_path):
    from raci.resources import templates_dir

    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(templates_dir() / "title.md.j2", templates / "title.md.j2")
    target = templates / "title.md.j2"
    before = target.read_bytes()
    result = run("render", acme, "--md", target, "--template-dir", templates, catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {target}: refusing to write over the input file {target}\n")
    assert target.read_bytes() == before


def test_the_bundled_catalog_counts_as_an_input(run, tmp_path, monkeypatch):
    import raci.resources

    bundled = tmp_path / "bundled"
    shutil.copytree(MINI, bundled)
    monkeypatch.setattr(raci.resources, "catalog_dir", lambda: bundled)
    target = bundled / "presets" / "fully-managed.yaml"
    before = target.read_bytes()
    result = run("new", "--preset", "in-house", "--client", "Acme", "-o", target, "--force", catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {target}: refusing to write over the input file {target}\n")
    assert target.read_bytes() == before


@pytest.mark.parametrize("command", ["audit", "audit --write-map", "import"])
def test_a_catalog_file_is_refused_by_audit_and_import(run, acme, catalog, command):
    target = catalog / "domains" / sorted(os.listdir(catalog / "domains"))[0]
    before = target.read_bytes()
    result = run(*_commands(target, acme)[command], catalog=catalog)
    assert (result.exit_code, result.stderr) == (2, f"Error: {target}: refusing to write over the input file {target}\n")
    assert target.read_bytes() == before


def test_a_map_given_as_output_through_a_hard_link_is_refused(run, tmp_path):
    mapping = tmp_path / "fedramp.map.yaml"
    shutil.copy(SAMPLES / "contracts" / "fedramp-crm.map.yaml", mapping)
    hard = tmp_path / "out.raci.yaml"
    os.link(mapping, hard)
    before = mapping.read_bytes()
    result = run("import", SAMPLES / "contracts" / "fedramp-crm.xlsx", "--map", mapping, "-o", hard, "--force")
    assert (result.exit_code, result.stderr) == (2, f"Error: {hard}: refusing to write over the input file {mapping}\n")
    assert mapping.read_bytes() == before


# --------------------------------------------------------------------------- read-only targets


def test_a_read_only_target_is_refused_not_replaced(run, acme, tmp_path):
    md = tmp_path / "out.md"
    md.write_text("signed copy\n")
    md.chmod(0o444)
    result = run("render", acme, "--xlsx", tmp_path / "out.xlsx", "--md", md, catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {md}: {READ_ONLY}\n")
    assert md.read_text() == "signed copy\n"
    assert md.stat().st_mode & 0o777 == 0o444
    assert not (tmp_path / "out.xlsx").exists()  # the pair: neither is written


@pytest.mark.parametrize("command", ["new", "diff", "audit", "import"])
def test_every_command_refuses_a_read_only_target(run, acme, tmp_path, command):
    out = tmp_path / "out.md"
    out.write_text("keep\n")
    out.chmod(0o400)
    result = run(*_commands(out, acme)[command], catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {out}: {READ_ONLY}\n")
    assert out.read_text() == "keep\n"


def test_a_writable_target_keeps_its_permissions(tmp_path):
    out = tmp_path / "out.md"
    out.write_text("old\n")
    out.chmod(0o640)
    write_atomic(out, "new\n")
    assert (out.read_text(), out.stat().st_mode & 0o777) == ("new\n", 0o640)


# --------------------------------------------------------------------------- the pair: both or neither


@pytest.fixture
def pair(acme, tmp_path):
    xlsx, md = tmp_path / "out.xlsx", tmp_path / "out.md"
    xlsx.write_bytes(b"old workbook")
    md.write_bytes(b"old appendix\n")
    return xlsx, md


def test_a_full_disk_while_the_workbook_is_written_replaces_neither(run, acme, pair, monkeypatch):
    import raci.excel

    real = raci.excel.write_workbook

    def fill_the_disk(matrix, findings, path, **options):
        real(matrix, findings, path, **options)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(raci.excel, "write_workbook", fill_the_disk)
    xlsx, md = pair
    result = run("render", acme, "--xlsx", xlsx, "--md", md, "--force", catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {xlsx}: cannot write the file: No space left on device\n")
    assert _bytes(xlsx, md) == [b"old workbook", b"old appendix\n"]
    assert _leftovers(xlsx.parent) == []


def test_a_full_disk_at_the_markdown_leaves_the_earlier_workbook_too(run, acme, pair, monkeypatch):
    import tempfile

    real, made = tempfile.mkstemp, []

    def no_inode_left_for_the_second(*args, **kwargs):
        made.append(kwargs.get("prefix"))
        if len(made) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", no_inode_left_for_the_second)
    xlsx, md = pair
    result = run("render", acme, "--xlsx", xlsx, "--md", md, "--force", catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {md}: cannot write the file: No space left on device\n")
    assert _bytes(xlsx, md) == [b"old workbook", b"old appendix\n"]  # the new workbook was complete, and dropped
    assert _leftovers(xlsx.parent) == []


def test_a_real_write_limit_is_one_clean_line_without_exception_ignored(acme, pair):
    """The operating system refuses the workbook's bytes (RLIMIT_FSIZE stands in for a full disk): openpyxl's
    half-written zip must not try to finish itself at exit and print "Exception ignored ..."."""
    import resource

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))

    xlsx, md = pair
    proc = subprocess.run([sys.executable, "-m", "raci", "--catalog", str(MINI), "render", str(acme), "--xlsx", str(xlsx),
                           "--md", str(md), "--force"], capture_output=True, text=True, preexec_fn=limit, timeout=60,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert proc.returncode == 2
    assert proc.stderr == f"Error: {xlsx}: cannot write the file: File too large\n"
    assert _bytes(xlsx, md) == [b"old workbook", b"old appendix\n"]
    assert _leftovers(xlsx.parent) == []


def test_a_failure_between_the_two_renames_puts_the_first_back(run, acme, pair, monkeypatch):
    real, calls = os.replace, []

    def second_rename_fails(src, dst):
        calls.append(Path(dst).name)
        if len(calls) == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(src, dst)

    monkeypatch.setattr(raci.output.os, "replace", second_rename_fails)
    xlsx, md = pair
    result = run("render", acme, "--xlsx", xlsx, "--md", md, "--force", catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {md}: cannot write the file: Input/output error\n")
    assert calls == ["out.xlsx", "out.md", "out.xlsx"]  # the workbook was replaced, then put back
    assert _bytes(xlsx, md) == [b"old workbook", b"old appendix\n"]
    assert _leftovers(xlsx.parent) == []


def test_a_failure_between_renames_removes_a_file_that_did_not_exist(tmp_path, monkeypatch):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.md"
    second.write_text("old\n")
    real = os.replace

    def fail_on_second(src, dst):
        if Path(dst) == second:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(src, dst)

    monkeypatch.setattr(raci.output.os, "replace", fail_on_second)
    with pytest.raises(OutputError):
        write_all([(first, b"new"), (second, "new\n")])
    assert os.listdir(tmp_path) == ["b.md"] and second.read_text() == "old\n"


def test_a_held_folder_lock_makes_render_wait_then_give_up_replacing_nothing(run, acme, pair, monkeypatch):
    monkeypatch.setattr(raci.output, "LOCK_TIMEOUT", 0.3)
    xlsx, md = pair
    fd = os.open(xlsx.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another writer in the middle of its renames
        started = time.monotonic()
        result = run("render", acme, "--xlsx", xlsx, "--md", md, "--force", catalog=MINI)
        waited = time.monotonic() - started
    finally:
        os.close(fd)
    folder = xlsx.parent.resolve()
    assert (result.exit_code, result.stderr) == (2, f"Error: {folder}: another program is writing here; nothing was "
                                                    "replaced, try again\n")
    assert waited >= 0.3
    assert _bytes(xlsx, md) == [b"old workbook", b"old appendix\n"]
    assert _leftovers(xlsx.parent) == []


# Runs `python -m raci` with hooks that make two renders meet. "race": each waits, once its workbook is written,
# until the other's is too, then pauses a random moment before each rename (longer before the second), so that
# which render renames first is a toss-up for each file.
# "hang": the render stops for good once its workbook is written, to be killed there.
RUNNER = '''
import os, random, runpy, sys, time
import raci.excel
mode = sys.argv.pop(1)
real_workbook, real_replace = raci.excel.write_workbook, os.replace
def meet(*args, **kwargs):
    real_workbook(*args, **kwargs)
    barrier = os.environ["RACI_TEST_BARRIER"]
    open(os.path.join(barrier, str(os.getpid())), "w").close()
    deadline = time.monotonic() + 10
    while len(os.listdir(barrier)) < 2 and time.monotonic() < deadline:
        time.sleep(0.002)
renamed = []
def slow_replace(src, dst):
    time.sleep(random.uniform(0, 0.1 if renamed else 0.005))
    renamed.append(dst)
    real_replace(src, dst)
def hang(*args, **kwargs):
    real_workbook(*args, **kwargs)
    open(os.environ["RACI_TEST_READY"], "w").close()
    time.sleep(60)
if mode == "race":
    raci.excel.write_workbook, os.replace = meet, slow_replace
elif mode == "hang":
    raci.excel.write_workbook = hang
sys.argv[0] = "raci"
runpy.run_module("raci", run_name="__main__", alter_sys=True)
'''


def _client_of_workbook(path: Path) -> str:
    wb = load_workbook(path, read_only=True)
    try:
        return next(row[1] for row in wb["Cover"].iter_rows(max_row=10, values_only=True) if row[:1] == ("Client",))
    finally:
        wb.close()


def _client_of_markdown(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    return first.removeprefix("# ").removeprefix("DRAFT — ").removeprefix("Responsibility matrix: ")


ROUNDS = 6  # with the renames of raci 0.1.0 (one file, then the other) 9 rounds in 20 came out mixed


def test_two_renders_at_once_never_leave_a_mixed_pair(tmp_path):
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    xlsx, md = tmp_path / "out.xlsx", tmp_path / "out.md"
    engagements = [SAMPLES / "riverside-clinic.raci.yaml", SAMPLES / "alder-co-managed.raci.yaml"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    seen = set()
    for round_ in range(ROUNDS):
        barrier = tmp_path / f"barrier{round_}"
        barrier.mkdir()
        procs = [subprocess.Popen([sys.executable, str(runner), "race", "render", str(eng), "--xlsx", str(xlsx),
                                   "--md", str(md), "--force"], env={**env, "RACI_TEST_BARRIER": str(barrier)},
                                  stderr=subprocess.PIPE, text=True)
                 for eng in engagements]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        client = _client_of_workbook(xlsx)
        assert _client_of_markdown(md) == client
        seen.add(client)
        assert _leftovers(tmp_path) == []
        assert len(os.listdir(barrier)) == 2  # both renders reached their renames together
    assert seen <= {"Riverside Family Clinic", "Alder Manufacturing"}


# --------------------------------------------------------------------------- temporary files and killed runs


def test_temporary_files_are_hidden_and_carry_the_pid(tmp_path):
    names = []
    write_atomic(tmp_path / "out.md", lambda tmp: (names.append(tmp.name), tmp.write_text("x")))
    assert re.fullmatch(rf"\.out\.md\.{os.getpid()}\.[a-z0-9_]{{8}}\.tmp", names[0])
    assert os.listdir(tmp_path) == ["out.md"]


def test_a_writer_that_raises_leaves_no_temporary_file(tmp_path):
    def boom(tmp):
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_all([(tmp_path / "a.md", "a\n"), (tmp_path / "b.xlsx", boom)])
    assert os.listdir(tmp_path) == []


def test_a_render_killed_mid_write_leaves_a_leftover_the_next_render_removes(run, acme, tmp_path):
    runner, ready = tmp_path / "runner.py", tmp_path / "ready"
    runner.write_text(RUNNER)
    out = tmp_path / "out"
    out.mkdir()
    xlsx, md = out / "appendix.xlsx", out / "appendix.md"
    proc = subprocess.Popen([sys.executable, str(runner), "hang", "--catalog", str(MINI), "render", str(acme),
                             "--xlsx", str(xlsx), "--md", str(md)],
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "RACI_TEST_READY": str(ready)})
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "the render never reached its workbook"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = _leftovers(out)
    assert len(left) == 1 and re.fullmatch(rf"\.appendix\.xlsx\.{proc.pid}\.[a-z0-9_]{{8}}\.tmp", left[0])
    assert not xlsx.exists() and not md.exists()
    result = run("render", acme, "--xlsx", xlsx, "--md", md, catalog=MINI)
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(out)) == ["appendix.md", "appendix.xlsx"]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_dead_runs_are_removed_and_live_ones_kept(tmp_path):
    dead, alive = _dead_pid(), os.getppid()
    target = tmp_path / "out.md"
    stale = [f".out.md.{dead}.abcd1234.tmp", f".out.md.{dead}.abcd1234.old.tmp"]
    kept = [
        f".out.md.{alive}.abcd1234.tmp",  # its writer still runs
        f".out.md.{dead}.held_123.tmp",  # its writer holds it (a pid this system cannot see)
        f".out.mdx.{dead}.abcd1234.tmp",  # another target's
        f".out.md.{dead}.tmp",  # not a name raci makes
        "out.md.tmp",
    ]
    for name in stale + kept:
        (tmp_path / name).write_text("x")
    fd = os.open(tmp_path / kept[1], os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        write_atomic(target, "new\n")
    finally:
        os.close(fd)
    assert sorted(os.listdir(tmp_path)) == sorted(["out.md", *kept])


def test_a_folder_that_cannot_be_locked_falls_back_to_a_lock_file(tmp_path, monkeypatch):
    real = fcntl.flock

    def no_folder_locks(fd, operation):  # as on NFS, where a folder's descriptor cannot be locked
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))
        real(fd, operation)

    monkeypatch.setattr(raci.output.fcntl, "flock", no_folder_locks)
    write_all([(tmp_path / "a.xlsx", b"a"), (tmp_path / "a.md", "b\n")])
    assert sorted(os.listdir(tmp_path)) == [".raci.lock", "a.md", "a.xlsx"]
    lock = os.open(tmp_path / ".raci.lock", os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another writer holds the lock file: the next write waits, then gives up
        monkeypatch.setattr(raci.output, "LOCK_TIMEOUT", 0.1)
        with pytest.raises(OutputError) as exc:
            write_atomic(tmp_path / "a.md", "c\n")
    finally:
        os.close(lock)
    assert exc.value.lines() == [f"{tmp_path.resolve()}: another program is writing here; nothing was replaced, try again"]
    assert (tmp_path / "a.md").read_text() == "b\n"
