"""Mapping row labels onto catalog activities: exact names and aliases, fuzzy wording, thresholds, hand-made maps."""

from __future__ import annotations

import pytest
from paths import DATA

from raci.catalog import load_catalog
from raci.contracts.mapping import Match, Matcher, normalize
from raci.contracts.maps import load_map, proposed_map
from raci.errors import DocumentError

CATALOG = DATA / "import" / "catalog"


@pytest.fixture(scope="module")
def cat():
    return load_catalog(CATALOG)


@pytest.fixture(scope="module")
def matcher(cat):
    return Matcher(cat)


@pytest.mark.parametrize(("label", "activity"), [
    ("Tier 1 support", "servicedesk.tier1"), ("tier 1 SUPPORT", "servicedesk.tier1"), ("Help desk", "servicedesk.tier1"),
    ("Server patching", "patching.os-servers"), ("servicedesk.tier2", "servicedesk.tier2"), ("Risk Acceptance", "governance.risk-acceptance"),
])
def test_names_aliases_and_ids_are_certain(matcher, label, activity):
    m = matcher.match(label)
    assert (m.activity, m.confidence, m.how) == (activity, 1.0, "exact")


@pytest.mark.parametrize(("label", "activity"), [
    ("Patch management for servers", "patching.os-servers"),
    ("Level II desktop support", "servicedesk.tier2"),
    ("Workstations - OS patches", "patching.os-workstations"),
    ("Testing of restores", "backup.restore-testing"),
])
def test_reworded_labels_map_with_high_confidence(matcher, label, activity):
    m = matcher.match(label)
    assert m.activity == activity
    assert 0.8 <= m.confidence <= 1.0


def test_unrelated_label_is_unmapped_without_suggestions(matcher):
    m = matcher.match("Coffee machine restocking")
    assert (m.activity, m.confidence, m.suggestions) == (None, 0.0, ())


def test_label_sharing_a_word_is_unmapped_with_suggestions_below_the_threshold(matcher):
    m = matcher.match("Server room coffee machine")
    assert m.activity is None
    assert 0 < len(m.suggestions) <= 3
    assert all(a in matcher.catalog.activities and 0 < c < 0.8 for a, c in m.suggestions)


def test_ambiguous_label_is_not_picked_silently(matcher):
    m = matcher.match("Patching")
    assert m.activity is None
    assert {a for a, _ in m.suggestions[:2]} == {"patching.os-servers", "patching.os-workstations"}


def test_threshold_decides(cat):
    label = "Patch management for servers"
    score = Matcher(cat).match(label).confidence
    assert Matcher(cat, threshold=score).match(label).activity == "patching.os-servers"
    assert Matcher(cat, threshold=min(1.0, score + 0.01)).match(label).activity is None


def test_normalize_unifies_tiers_synonyms_and_plurals():
    assert normalize("Level 1 Help-desk") == normalize("tier I service desk") == "tier1 servicedesk"
    assert normalize("Patches for the servers") == "patch server"


def test_load_map_flat_and_structured(cat, tmp_path):
    flat = tmp_path / "flat.yaml"
    flat.write_text("Server patching: patching.os-servers\nCoffee: ignore\nSomething: null\n")
    m = load_map(flat, cat)
    assert m.rows == {"Server patching": "patching.os-servers", "Coffee": "ignore", "Something": None}
    assert m.find("  server   PATCHING ") == "Server patching"
    structured = tmp_path / "s.yaml"
    structured.write_text("rows:\n  AC-2: servicedesk.tier1\nparties:\n  CSP: msp\n")
    m = load_map(structured, cat)
    assert (m.rows, m.parties) == ({"AC-2": "servicedesk.tier1"}, {"CSP": "msp"})


@pytest.mark.parametrize(("text", "message"), [
    ("Server patching: patching.nope\n", "1: 'Server patching': unknown activity 'patching.nope' (use an id from 'raci catalog', or ignore)"),
    ("- a\n- b\n", "1: expected a mapping of row label: activity id (or ignore)"),
    ("a: [1, 2]\n", "1: 'a': expected an activity id or 'ignore', not [1, 2]"),
    ("a: b: c\n", "1: not valid YAML: mapping values are not allowed in this context"),
])
def test_bad_maps_name_file_and_line(cat, tmp_path, text, message):
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(DocumentError) as exc:
        load_map(path, cat)
    assert exc.value.lines() == [f"{path}:{message}"]


def test_proposed_map_loads_back(cat, matcher, tmp_path):
    entries = [("Server patching", "S!2", matcher.match("Server patching")), ("Coffee", "S!3", matcher.match("Coffee")),
               ("Server patching", "S!9", matcher.match("Server patching")), ("Lunch", "S!4", Match(None, 1.0, (), "ignore"))]
    text = proposed_map(entries, cat, ["header line"])
    lines = text.splitlines()
    assert lines[0] == "# header line"
    assert "  Server patching: patching.os-servers  # Server operating-system patching; confidence 1.00 (S!2)" in lines
    assert "  Lunch: ignore  # ignored (S!4)" in lines
    assert sum(1 for line in lines if line.startswith("  Server patching:")) == 1
    path = tmp_path / "p.yaml"
    path.write_text(text)
    assert load_map(path, cat).rows == {"Server patching": "patching.os-servers", "Coffee": None, "Lunch": "ignore"}


def test_label_that_fits_two_activities_equally_is_not_resolved_by_catalog_order(tmp_path):
    (tmp_path / "domains").mkdir()
    (tmp_path / "frameworks.yaml").write_text("frameworks:\n  - {id: hipaa, name: HIPAA Security Rule}\n")
    (tmp_path / "domains" / "patching.yaml").write_text(
        "domain: {id: patching, name: Patch management}\nactivities:\n"
        "  - {id: patching.reporting, name: Patch compliance reporting, description: d, aliases: [compliance reporting]}\n")
    (tmp_path / "domains" / "compliance.yaml").write_text(
        "domain: {id: compliance, name: Compliance}\nactivities:\n"
        "  - {id: compliance.reporting, name: Compliance reporting, description: d}\n")
    matcher = Matcher(load_catalog(tmp_path))
    m = matcher.match("Compliance reporting")
    assert (m.activity, m.how) == (None, "ambiguous")
    assert {a for a, _ in m.suggestions[:2]} == {"patching.reporting", "compliance.reporting"}
    # the section the row sits in breaks the tie
    assert matcher.match("Compliance reporting", context="Patch management").activity == "patching.reporting"
    entries = [("Compliance reporting", "S!2", m)]
    assert proposed_map(entries, matcher.catalog).splitlines()[-1].startswith(
        "  Compliance reporting: null  # fits more than one activity about equally (S!2): ")


# --------------------------------------------------------------------------- the bundled catalog, as real contracts word rows


@pytest.fixture(scope="module")
def bundled():
    return Matcher(load_catalog(None))


@pytest.mark.parametrize(("label", "activity", "how"), [
    ("Security incident response", "incident.ir-plan", "fuzzy"),           # never door access
    ("Microsoft 365 Administration", "email.admin", "exact"),
    ("Tier 1 helpdesk (passwords, printers, basic Windows)", "servicedesk.tier1", "fuzzy"),
    ("L0/L1/L2 Service Desk", "servicedesk.tier1", "part"),                # the first thing a label names
    ("Patch management", "patching.policy", "domain"),                      # a whole domain: its lead activity
    ("AC-02 (h)", "identity.leavers", "control"),                           # a lettered part of a control
    ("IR-06 (a)", "incident.triage", "control"),
])
def test_real_contract_wording(bundled, label, activity, how):
    m = bundled.match(label)
    assert (m.activity, m.how) == (activity, how)


def test_labels_a_consultant_would_not_map_alone(bundled):
    assert bundled.match("Coffee machine restocking").activity is None
    # a label of two topics goes by its parts, never to a device-encryption alias that shares both words
    assert bundled.match("Policy & Compliance").activity != "endpoint.encryption-mdm"


def test_a_resource_x_process_cell_must_fit_both(bundled):
    assert bundled.match("Logging: Access and identity authorization", about=("Logging", "Access and identity authorization")).activity \
        is None
    m = bundled.match("Capacity management: Change management", about=("Capacity management", "Change management"))
    assert m.activity in (None, "infrastructure.capacity-planning")
    assert bundled.match("Virtual storage management: Change management",
                         about=("Virtual storage management", "Change management")).activity is None


def test_a_process_of_process_nouns_only_leaves_the_resource_to_decide(bundled):
    # 'Incident and operations management' names no activity's subject: the resource decides
    m = bundled.match("Logging: Incident and operations management", about=("Logging", "Incident and operations management"))
    assert m.activity == "security.siem-platform"
    # 'global' alone is no reason to name tenant ownership (a non-delegable activity)
    assert bundled.match("Hardware global infrastructure: Incident and operations management",
                         about=("Hardware global infrastructure", "Incident and operations management")).activity is None


def test_readiness_and_hyphens_read_the_same_in_any_spelling():
    assert normalize("operational readiness of backups") == normalize("maintien en condition opérationnelle des sauvegardes")
    assert normalize("security readiness") == normalize("MCS") == normalize("maintien en condition de sécurité")
    assert normalize("migration cut-over") == normalize("migration cutover")
    assert normalize("Wi-Fi") == normalize("wifi")  # hyphenated synonyms keep working
    assert normalize("operating systems") == normalize("OS")


def test_siblings_of_one_domain_ahead_of_the_rest_stand_for_a_sentence(bundled):
    m = bundled.match("Manage problems for the backup infrastructure integrated into the hosting platform")
    assert (m.activity, m.how) == ("backup.job-monitoring", "domain")
    assert m.confidence < 0.8


def test_filler_words_of_a_sentence_do_not_drown_its_subject(bundled):
    # 'selected', 'integrated', 'solution' are words no activity uses; in a sentence they weigh little
    m = bundled.match("Ensure security readiness for the backup solution selected and integrated by the client")
    assert m.suggestions[0][0] == "backup.console-protection"
    assert m.suggestions[0][1] >= 0.7


def test_organisation_names_are_not_activity_words(bundled):
    names = frozenset({"northwind", "cloud"})
    assert bundled.without("Northwind Cloud server patching", names).split() == ["server", "patching"]
    assert bundled.without("Server patching", frozenset()) == "Server patching"


def test_clear_winner_below_the_threshold_only_with_the_default_threshold(bundled):
    m = bundled.match("L3 SMEs (Remote Support)")
    assert (m.activity, m.how) == ("servicedesk.tier3", "clear")
    assert m.confidence < 0.8
    assert Matcher(bundled.catalog, threshold=0.79).match("L3 SMEs (Remote Support)").activity is None


def test_stemming_keeps_doubled_consonants_apart():
    assert normalize("Logging and scanning") == "log scan"
    assert normalize("Billing, installing") == "bill install"
