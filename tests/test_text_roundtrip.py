"""Any text a user can type survives every engagement round trip: `raci new` -> load, dump -> load, and a
workshop merge into an existing file. Properties over st.text(), plus the strings that broke the old writer."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from raci.contracts.kept import KeptRow
from raci.engagement import dump_engagement, loads_engagement, new_engagement, yaml_scalar
from raci.engagement.merge import merge_text
from raci.engagement.writer import plain_safe
from raci.yamlio import load_yaml_text

# The strings of the bug report and every YAML indicator, boolean, null, number and date look-alike.
HOSTILE = [
    "Acme, Inc.", "O'Brien & Sons, \"Ltd\"", "Acme: IT", "#1 Clinic", "a # b", "- dash", "? what", "@home", "%pct", "&anchor",
    "*alias", "!tag", "|pipe", ">fold", "yes", "No", "on", "OFF", "y", "n", "null", "~", "Null", "true", "1.0", "1e3", "0x1F",
    "0o17", "1_000", "12:30:00", "2026-12-01", ".inf", "=", "<<", "\u00a0", "\u00a0Acme\u00a0", "a\u0085b", "\u0085", "\u2028",
    "😀 Emoji Co", "株式会社アクメ", "trailing  ", "  leading", "tab\there", "line\nbreak", "cr\r\nlf", "\x01ctl", "\ufeffbom",
    "\ufffe", "", " ", "{flow}", "[list]", "a, b: c", "'single'", '"double"', "\\backslash", "x" * 300,
]
TEXT = st.text()


def again(eng, catalog):
    return loads_engagement(dump_engagement(eng), catalog, "again.raci.yaml")


@settings(max_examples=300, deadline=None)
@given(client=TEXT, provider=TEXT)
@example(client="Acme, Inc.", provider="O'Brien, \"IT\"")
@example(client="\u00a0", provider="a\u0085b")
def test_new_then_load_keeps_client_provider_and_party_names(mini_catalog, client, provider):
    eng = new_engagement(mini_catalog, ["co-managed-after-hours"], client, provider)
    back = again(eng, mini_catalog)
    assert (back.client, back.provider) == (client, provider)
    assert {pid: p.name for pid, p in back.parties.items()} == {pid: p.name for pid, p in eng.parties.items()}
    assert back.parties["client-exec"].name == f"{client} leadership"


@settings(max_examples=300, deadline=None)
@given(version=TEXT, names=st.lists(TEXT, min_size=3, max_size=3), notes=st.lists(TEXT, min_size=1, max_size=3),
       internal=st.lists(TEXT, min_size=1, max_size=3))
@example(version="1.0", names=["a", "b", "c"], notes=["x"], internal=["yes", "Margin | thin, #2", "\u0085"])
def test_dump_then_load_keeps_version_party_names_and_notes(mini_catalog, version, names, notes, internal):
    eng = new_engagement(mini_catalog, ["co-managed-after-hours"], "Acme", "Contoso", effective=dt.date(2026, 12, 1))
    eng.version = version
    for party, name in zip(eng.parties.values(), names):
        party.name = name
    activities = list(mini_catalog.activities)
    eng.notes = {activities[i]: text for i, text in enumerate(notes)}
    eng.internal_notes = {activities[-1 - i]: text for i, text in enumerate(internal)}
    back = again(eng, mini_catalog)
    # an empty version or party name falls back to its default ("1.0", the party id), as when it is left out
    assert back.version == (version or "1.0")
    assert [p.name for p in back.parties.values()] == [name or pid for pid, name in zip(eng.parties, names)]
    assert back.notes == eng.notes
    assert back.internal_notes == eng.internal_notes
    assert back.effective == dt.date(2026, 12, 1)


@settings(max_examples=150, deadline=None)
@given(label=TEXT, cell=TEXT, header=TEXT)
def test_dump_then_load_keeps_the_text_of_kept_contract_rows(mini_catalog, label, cell, header):
    eng = new_engagement(mini_catalog, ["in-house"], "Acme")
    eng.contract_rows = [KeptRow(label=label, file="sow.docx", sheet=None, row=3, column=None, activity=None,
                                 roles={}, cells={header: cell})]
    back = again(eng, mini_catalog)
    assert (back.contract_rows[0].label, back.contract_rows[0].cells) == (label, {header: cell})


@pytest.mark.parametrize("text", HOSTILE)
def test_every_hostile_string_is_one_yaml_value_that_reads_back_as_itself(text):
    written = yaml_scalar(text)
    assert "\n" not in written  # one line: a note never spills into the next key
    assert load_yaml_text(f"v: {written}\nflow: {{k: {written}}}\n", "t.yaml") == {"v": text, "flow": {"k": text}}


@pytest.mark.parametrize("text, plain", [
    ("Acme Manufacturing", True), ("Riverside IT", True), ("Acme, Inc.", True), ("O'Brien IT", True), ("yes", False),
    ("2026-12-01", False), ("1.0", False), ("Acme: IT", False), ("#1", False), (" Acme", False), ("Acme ", False),
    ("\u00a0", False), ("a\u0085b", False), ("", False), ("null", False), ("=", False),
])
def test_ordinary_names_stay_plain_and_look_alikes_are_quoted(text, plain):
    assert plain_safe(text) is plain


@settings(max_examples=150, deadline=None)
@given(note=TEXT, name=TEXT)
def test_a_merged_edit_reads_back_as_what_the_workshop_wrote(mini_catalog, note, name):
    base = new_engagement(mini_catalog, ["co-managed-after-hours"], "Acme", "Contoso", effective=dt.date(2026, 12, 1))
    text = "# kept comment\n" + dump_engagement(base)
    ours = loads_engagement(text, mini_catalog, "acme.raci.yaml")
    theirs = loads_engagement(text, mini_catalog, "acme.raci.yaml")
    theirs.notes[next(iter(mini_catalog.activities))] = note
    theirs.internal_notes[list(mini_catalog.activities)[-1]] = note
    theirs.parties["msp"].name = name or "msp"
    merged = merge_text(text, "acme.raci.yaml", mini_catalog, ours, theirs, ours)
    back = loads_engagement(merged.text, mini_catalog, "acme.raci.yaml")
    assert back.notes == theirs.notes
    assert back.internal_notes == theirs.internal_notes
    assert back.parties["msp"].name == (name or "msp")
    assert merged.text.startswith("# kept comment\n")


@settings(max_examples=40, deadline=None)
@given(client=TEXT, provider=TEXT, name=TEXT, note=TEXT)
@example(client="Acme, Inc.", provider="=HYPERLINK(\"x\")", name="+1 Support, Ltd.", note="-", )
@example(client="\x01\x0b", provider="\ufffe", name="\u00a0", note="@SUM(A1:A2)")
def test_render_then_import_keeps_every_name_and_note(mini_catalog, tmp_path_factory, client, provider, name, note):
    from raci.checks import run_checks
    from raci.engagement import resolve
    from raci.excel import write_workbook
    from raci.roundtrip import read_workshop

    eng = new_engagement(mini_catalog, ["co-managed-after-hours"], client, provider, effective=dt.date(2026, 12, 1))
    eng.parties["msp"].name = name or "msp"
    eng.notes["servicedesk.tier1"] = note
    matrix = resolve(eng, mini_catalog)
    path = tmp_path_factory.mktemp("wb") / "appendix.xlsx"
    write_workbook(matrix, run_checks(matrix), path, command="raci render")
    back, edits = read_workshop(path, mini_catalog)
    assert edits.applied == [] and edits.ignored == []
    assert (back.client, back.provider) == (client, provider)
    assert {pid: p.name for pid, p in back.parties.items()} == {pid: p.name for pid, p in eng.parties.items()}
    assert back.notes == eng.notes
