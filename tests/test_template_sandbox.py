"""Templates from --template-dir are sandboxed: no Python internals, no files outside the template folders, bounded
text and time, and every error inside a template is one `template:line` line with exit code 2 and nothing written."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from paths import DATA, MINI

import raci.templating
from raci.catalog import load_catalog
from raci.diff import diff_markdown, diff_specs
from raci.errors import TemplateError
from raci.resources import templates_dir

HOSTILE = DATA / "templates_hostile"
APPENDIX = templates_dir() / "appendix.md.j2"  # the bundled template that includes title.md.j2, on line 2
TOO_LARGE = f"output too large: a template may build at most {raci.templating.MAX_OUTPUT_CHARS:,} characters of text"


@pytest.fixture
def acme(tmp_path):
    path = tmp_path / "acme.raci.yaml"
    shutil.copy(DATA / "render" / "acme.raci.yaml", path)
    return path


def _render(run, acme, template_dir):
    """Render only the Markdown with ``template_dir``; return the result and whether the output exists."""
    out = acme.parent / "out.md"
    result = run("render", acme, "--md", out, "--template-dir", template_dir, catalog=MINI)
    return result, out.exists()


@pytest.mark.parametrize("case,message", [
    ("subclasses", "access to attribute '__class__' of 'str' object is unsafe."),
    ("popen", "access to attribute '__init__' of 'type' object is unsafe."),
    ("read-system-file", "template '/etc/passwd' is outside the template folders"),
    ("read-outside", "template '../popen/title.md.j2' is outside the template folders"),
    ("huge-range", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
    ("huge-string", TOO_LARGE),
    ("doubling", TOO_LARGE),
    ("huge-number", f"number too large: a template may compute with at most {raci.templating.MAX_NUMBER_BITS:,} bits"),
    ("zero-division", "division by zero"),
])
def test_a_hostile_template_is_one_error_line_and_writes_nothing(run, acme, case, message):
    started = time.monotonic()
    result, written = _render(run, acme, HOSTILE / case)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {HOSTILE / case / 'title.md.j2'}:2: template error: {message}\n"
    assert result.stdout == ""
    assert not written
    assert time.monotonic() - started < 5


def test_a_template_that_runs_too_long_is_stopped_by_the_time_bound(run, acme, monkeypatch):
    monkeypatch.setattr(raci.templating, "MAX_SECONDS", 0.5)
    started = time.monotonic()
    result, written = _render(run, acme, HOSTILE / "slow-loop")
    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {HOSTILE / 'slow-loop' / 'title.md.j2'}:2: "
                             "template error: too slow: a template may run for at most 0.5 seconds\n")
    assert not written


def test_the_workbook_is_not_written_either(run, acme):
    xlsx, md = acme.parent / "out.xlsx", acme.parent / "out.md"
    result = run("render", acme, "--xlsx", xlsx, "--md", md, "--template-dir", HOSTILE / "popen", catalog=MINI)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert sorted(p.name for p in acme.parent.iterdir()) == ["acme.raci.yaml"]


def test_a_template_that_links_outside_its_folder_is_refused(run, acme, tmp_path):
    (tmp_path / "secret.txt").write_text("the secret\n")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "title.md.j2").symlink_to(tmp_path / "secret.txt")
    result, written = _render(run, acme, folder)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {APPENDIX}:2: template error: "
                             f"template {folder / 'title.md.j2'} is a link to a file outside {folder}\n")
    assert not written


def test_a_pipe_an_oversized_file_or_bytes_that_are_not_text_as_a_template_is_refused(run, acme, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    os.mkfifo(folder / "title.md.j2")  # reading it would block forever
    result, written = _render(run, acme, folder)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {APPENDIX}:2: template error: template {folder / 'title.md.j2'} is not a regular file\n"
    (folder / "title.md.j2").unlink()
    (folder / "title.md.j2").write_text("x" * (raci.templating.MAX_TEMPLATE_BYTES + 1))
    result, written = _render(run, acme, folder)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {APPENDIX}:2: template error: template {folder / 'title.md.j2'} is larger than "
                             f"{raci.templating.MAX_TEMPLATE_BYTES:,} bytes\n")
    (folder / "title.md.j2").write_bytes(b"\xff\xfe{{ meta.client }}")
    result, written = _render(run, acme, folder)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {APPENDIX}:2: template error: template {folder / 'title.md.j2'} is not UTF-8 text\n"
    assert not written


def test_a_template_within_the_bounds_renders_as_plain_jinja_would(run, acme):
    result, written = _render(run, acme, HOSTILE / "benign")
    assert result.exit_code == 0, result.output
    text = (acme.parent / "out.md").read_text(encoding="utf-8")
    assert text.startswith("# Acme &amp; Sons Manufacturing: 3 parties\n"
                           "client-exec, client-it, msp\n"
                           "- 1. Acme leadership (client) client|===    3\n"
                           "- 2. Acme IT (client) client|===    3\n"
                           "- 3. Contoso (msp) msp   |===    3\n"
                           "\n## Parties\n")


# --------------------------------------------------------------------------- the diff transition plan


@pytest.fixture(scope="module")
def plan():
    return diff_specs(load_catalog(DATA / "diff" / "catalog"), "in-house", "fully-managed")


@pytest.mark.parametrize("source,line,message", [
    ("{{ a | md }}\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n", 2,
     "access to attribute '__init__' of 'type' object is unsafe."),
    ("{% include '/etc/passwd' %}\n", 1, "template '/etc/passwd' is outside the template folders"),
    ("{{ a }}\n\n{{ 'x' * 10**10 }}\n", 3, TOO_LARGE),
    ("{% for g in groups %}\n{{ total / 0 }}\n{% endfor %}\n", 2, "division by zero"),
])
def test_a_hostile_transition_plan_template_is_one_error_line(plan, tmp_path, source, line, message):
    (tmp_path / "diff.md.j2").write_text(source)
    with pytest.raises(TemplateError) as exc:
        diff_markdown(plan, template_dir=tmp_path)
    assert exc.value.lines() == [f"{tmp_path / 'diff.md.j2'}:{line}: template error: {message}"]


def test_a_slow_transition_plan_template_is_stopped(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(raci.templating, "MAX_SECONDS", 0.5)
    (tmp_path / "diff.md.j2").write_text("{{ a }}\n{% for i in range(100000) %}{% for j in range(100000) %}"
                                         "{% endfor %}{% endfor %}\n")
    started = time.monotonic()
    with pytest.raises(TemplateError) as exc:
        diff_markdown(plan, template_dir=tmp_path)
    assert time.monotonic() - started < 5
    assert exc.value.lines() == [f"{tmp_path / 'diff.md.j2'}:2: template error: "
                                 "too slow: a template may run for at most 0.5 seconds"]

