"""yamlio's error paths: every way a YAML file can be unusable is one line naming the file and line (fixtures in
tests/data/yamlio/, one per failure mode), and what it reads keeps the lines the messages need."""

from __future__ import annotations

import pytest
from paths import DATA

from raci.errors import InputError
from raci.yamlio import line_of, load_yaml_file, load_yaml_text

YAMLIO = DATA / "yamlio"

CASES = [
    ("tab-indent.yaml", 2, "a tab is used to indent this line; YAML indents with spaces only"),
    ("unclosed-list.yaml", 2, "not valid YAML: did not find expected ',' or ']'"),
    ("stray-brace.yaml", 1, "not valid YAML: did not find expected <document start>"),
    ("duplicate-key.yaml", 3, "duplicate key 'a'"),
    ("complex-key.yaml", 1, "a mapping key must be a plain value"),
    ("merge-key.yaml", 3, "YAML merge keys (<<) are not supported"),
    ("python-tag.yaml", 1, "unsupported YAML value: tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
    ("undefined-alias.yaml", 2, "not valid YAML: found undefined alias"),
    ("two-documents.yaml", 2, "not valid YAML: expected a single document, but found another document"),
    ("impossible-date.yaml", 1, "bad value '2026-02-31': day is out of range for month"),
    ("bad-binary.yaml", 1, "unsupported YAML value: failed to decode base64 data: Invalid base64-encoded string: "
                           "number of data characters (9) cannot be 1 more than a multiple of 4"),
    ("latin-1.yaml", 1, "is not UTF-8 text"),
]


@pytest.mark.parametrize(("name", "line", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_unusable_file_is_one_line_with_file_and_line(name, line, message):
    path = YAMLIO / name
    with pytest.raises(InputError) as exc:
        load_yaml_file(path)
    assert exc.value.lines() == [f"{path}:{line}: {message}"]


def test_every_fixture_is_a_case():
    assert sorted(p.name for p in YAMLIO.glob("*.yaml")) == sorted(c[0] for c in CASES)


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_yaml_file(path, limit=50, what="a test file")
    (line,) = exc.value.lines()
    assert line.startswith(f"{path}: ") and "50" in line


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(InputError) as exc:
        load_yaml_file(tmp_path / "nope.yaml")
    (line,) = exc.value.lines()
    assert line.startswith(f"{tmp_path / 'nope.yaml'}: ")


def test_lines_are_kept_for_keys_items_and_containers():
    data = load_yaml_text("a: 1\nb:\n  - x\n  - {c: 2}\n", "t.yaml")
    assert (line_of(data, "a"), line_of(data, "b"), line_of(data["b"], 1), line_of(data["b"][1], "c")) == (1, 2, 4, 4)
    assert line_of(data["b"][1], "missing", default=9) == 4  # a key that is not there: the line of its mapping
    assert line_of("a plain string", default=7) == 7


def test_an_empty_document_is_none_and_quoted_text_stays_text():
    assert load_yaml_text("", "t.yaml") is None
    assert load_yaml_text("a: '2026-12-01'\nb: 2026-12-01\nc: 'no'\nd: no\n", "t.yaml") == {
        "a": "2026-12-01", "b": __import__("datetime").date(2026, 12, 1), "c": "no", "d": False}
