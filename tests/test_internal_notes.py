"""`internal_notes:` of an engagement: read and checked like `notes:`, written by `raci new`, kept by a dump and a
workshop merge, and compared by `raci diff` in its text and JSON reports but never in its Markdown appendix."""

from __future__ import annotations

import json

import pytest
from paths import DATA, MINI

from raci.catalog import load_catalog
from raci.engagement import dump_engagement, load_engagement, loads_engagement, new_engagement
from raci.engagement.merge import merge_text
from raci.errors import EngagementError

D = DATA / "diff"
GOOD = (DATA / "engagements" / "good.raci.yaml").read_text(encoding="utf-8")


def test_internal_notes_are_read_as_written(mini_catalog):
    text = GOOD + 'internal_notes:\n  servicedesk.tier1: "Margin | thin"\n  monitoring.patching: 42\n'
    eng = loads_engagement(text, mini_catalog, "acme.raci.yaml")
    assert eng.internal_notes == {"servicedesk.tier1": "Margin | thin", "monitoring.patching": "42"}
    assert eng.notes != eng.internal_notes  # a section of its own


def test_internal_notes_are_checked_like_notes_with_their_lines(mini_catalog):
    text = GOOD + "internal_notes:\n  servicedesk.tier11: x\n  servicedesk.tier2: [a, list]\n"
    first = len(GOOD.splitlines()) + 2
    with pytest.raises(EngagementError) as exc:
        loads_engagement(text, mini_catalog, "acme.raci.yaml")
    assert exc.value.lines() == [
        f"acme.raci.yaml:{first}: unknown activity 'servicedesk.tier11' in internal_notes (did you mean 'servicedesk.tier1'?)",
        f"acme.raci.yaml:{first + 1}: internal note for servicedesk.tier2 must be text, not a list",
    ]
    with pytest.raises(EngagementError) as exc:
        loads_engagement(GOOD + "internal_notes: [a]\n", mini_catalog, "acme.raci.yaml")
    assert "internal_notes" in exc.value.lines()[0]


def test_new_writes_an_empty_commented_internal_notes_section(run):
    result = run("new", "--preset", "in-house", "--client", "Acme", catalog=MINI)
    assert result.exit_code == 0
    assert ("\n# Internal notes per activity, for the provider's own team: shown only with 'raci render --audience "
            "internal',\n# never in a client document.\n"
            '# Example: internal_notes: {patching.os-servers: "Client agreed verbally; confirm in the QBR"}\n'
            "internal_notes: {}\n") in result.stdout
    assert result.stdout.index("\nnotes: {}") < result.stdout.index("\ninternal_notes: {}") < result.stdout.index("\nsla: {}")


def test_dump_and_load_keep_internal_notes(mini_catalog):
    eng = new_engagement(mini_catalog, ["co-managed-after-hours"], "Acme", "Contoso")
    eng.internal_notes = {"servicedesk.tier1": "Ask for a rate review: 'yes', #2 | <b>", "monitoring.patching": "no"}
    back = loads_engagement(dump_engagement(eng), mini_catalog, "again.raci.yaml")
    assert back.internal_notes == eng.internal_notes
    back = loads_engagement(dump_engagement(eng, comments=False), mini_catalog, "again.raci.yaml")
    assert back.internal_notes == eng.internal_notes


def test_a_workshop_merge_keeps_the_internal_notes_of_the_file(mini_catalog):
    base_text = GOOD + 'internal_notes:\n  servicedesk.tier1: "Rendered with this one"\n'
    base = loads_engagement(base_text, mini_catalog, "acme.raci.yaml")
    # since the render the file gained an internal note; the workshop changed a note only
    ours_text = base_text + '  monitoring.patching: "Added after the workshop was rendered"\n'
    ours = loads_engagement(ours_text, mini_catalog, "acme.raci.yaml")
    theirs = loads_engagement(base_text, mini_catalog, "acme.raci.yaml")
    theirs.notes["servicedesk.tier2"] = "Agreed in the workshop"
    merged = merge_text(ours_text, "acme.raci.yaml", mini_catalog, base, theirs, ours)
    back = loads_engagement(merged.text, mini_catalog, "acme.raci.yaml")
    assert back.internal_notes == {"servicedesk.tier1": "Rendered with this one",
                                   "monitoring.patching": "Added after the workshop was rendered"}
    assert back.notes["servicedesk.tier2"] == "Agreed in the workshop"
    assert [c.section for c in merged.changes] == ["notes"]
    # an internal note the file removed since the render stays removed
    removed_text = GOOD + "internal_notes: {}\n"
    removed = loads_engagement(removed_text, mini_catalog, "acme.raci.yaml")
    merged = merge_text(removed_text, "acme.raci.yaml", mini_catalog, base, theirs, removed)
    assert loads_engagement(merged.text, mini_catalog, "acme.raci.yaml").internal_notes == {}


def test_a_workshop_that_changed_an_internal_note_the_file_also_changed_is_a_conflict(mini_catalog):
    base_text = GOOD + 'internal_notes:\n  servicedesk.tier1: "one"\n'
    base = loads_engagement(base_text, mini_catalog, "acme.raci.yaml")
    ours_text = base_text.replace('"one"', '"two"')
    theirs = loads_engagement(base_text, mini_catalog, "acme.raci.yaml")
    theirs.internal_notes["servicedesk.tier1"] = "three"
    with pytest.raises(EngagementError) as exc:
        merge_text(ours_text, "acme.raci.yaml", mini_catalog, base, theirs,
                   loads_engagement(ours_text, mini_catalog, "acme.raci.yaml"))
    assert exc.value.lines()[0].startswith("acme.raci.yaml: internal_notes servicedesk.tier1: the workshop made it three")


# --------------------------------------------------------------------------- raci diff


@pytest.fixture
def pair(tmp_path):
    before_text = (D / "terms-before.raci.yaml").read_text(encoding="utf-8")
    before = tmp_path / "before.raci.yaml"
    before.write_text(before_text + 'internal_notes:\n  servicedesk.tier1: "Helpdesk Co costs us 30% more"\n'
                                    '  security.edr: "Rate review due"\n', encoding="utf-8")
    after = tmp_path / "after.raci.yaml"
    after.write_text(before_text + 'internal_notes:\n  servicedesk.tier1: "Helpdesk Co costs us 40% more | renegotiate"\n'
                                   '  monitoring.rmm-agent: "Agents are free this year"\n', encoding="utf-8")
    return before, after


def test_diff_text_lists_internal_note_changes_as_a_section(run, pair):
    before, after = pair
    result = run("diff", before, after, catalog=D / "catalog")
    assert result.exit_code == 0
    assert result.stdout == "\n".join([
        f"From {before}", f"  to {after}", "Roles unchanged. Changed: internal notes 3", "",
        "Internal notes (3)",
        "  servicedesk.tier1 (Tier 1 support): internal note changed: 'Helpdesk Co costs us 30% more' -> "
        "'Helpdesk Co costs us 40% more | renegotiate'",
        "  monitoring.rmm-agent (RMM agent deployment): internal note added: 'Agents are free this year'",
        "  security.edr (Endpoint protection): internal note removed: 'Rate review due'",
    ]) + "\n"


def test_diff_json_has_an_internal_notes_key(run, pair):
    before, after = pair
    data = json.loads(run("diff", before, after, "--format", "json", catalog=D / "catalog").stdout)
    assert data["notes"] == []
    assert data["internal_notes"] == [
        {"activity": "servicedesk.tier1", "before": "Helpdesk Co costs us 30% more",
         "after": "Helpdesk Co costs us 40% more | renegotiate"},
        {"activity": "monitoring.rmm-agent", "before": None, "after": "Agents are free this year"},
        {"activity": "security.edr", "before": "Rate review due", "after": None},
    ]


def test_the_markdown_transition_plan_never_shows_internal_notes(run, pair, tmp_path):
    before, after = pair
    md = run("diff", before, after, "--format", "md", catalog=D / "catalog").stdout
    assert "Helpdesk Co costs" not in md and "Rate review" not in md and "Internal notes" not in md
    assert "No changes: every activity keeps the same roles for every party in both windows.\n" in md
    # beside a change a client may read, only that change is listed
    edited = tmp_path / "edited.raci.yaml"
    edited.write_text(after.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    md = run("diff", before, edited, "--format", "md", catalog=D / "catalog").stdout
    assert "| version | 1.0 | 1.1 |" in md and "Helpdesk Co costs" not in md


def test_the_diff_of_files_without_internal_notes_is_unchanged(run):
    cat = D / "catalog"
    data = json.loads(run("diff", D / "terms-before.raci.yaml", D / "terms-after.raci.yaml", "--format", "json",
                          catalog=cat).stdout)
    assert data["internal_notes"] == []
    assert load_engagement(D / "terms-before.raci.yaml", load_catalog(cat)).internal_notes == {}
