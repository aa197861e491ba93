"""raci audit on one small fixture per wording pattern of real contract matrices: what each row maps to, as a
consultant reading it would map it. The fixtures are written by tests/data/contracts/make_fixtures.py (all wording
invented); tests/test_contract_patterns.py checks that the files are what the script writes.
"""

from __future__ import annotations

import json

from paths import DATA

FIX = DATA / "contracts"


def rows(run, name: str) -> dict[int, tuple[str | None, str]]:
    """line -> (activity, how) of ``raci audit FIX/name``."""
    res = run("audit", FIX / name, "--format", "json", "--fail-on", "never")
    assert res.exit_code == 0, res.stderr
    return {r["source"]["row"]: (r["activity"], r["how"]) for r in json.loads(res.stdout)["rows"]}


def activities(run, name: str) -> dict[int, str | None]:
    return {line: aid for line, (aid, _how) in rows(run, name).items()}


def test_operational_and_security_readiness_in_english_and_french(run):
    # keeping a thing running (MCO) is its operation; keeping it secure (MCS) is its protection
    assert activities(run, "readiness-wording.csv") == {
        2: "backup.job-monitoring", 3: "backup.console-protection",
        4: "backup.job-monitoring", 5: "backup.console-protection",
    }


def test_a_cloud_provider_named_as_a_party_is_not_an_activity_word(run):
    # without its name, the first row says nothing the catalog knows; 'AWS' alone would make it Public cloud operations
    assert activities(run, "provider-name-in-labels.csv") == {2: None, 3: "patching.os-servers"}


def test_a_domain_name_before_a_dash_or_colon_is_a_category(run):
    assert activities(run, "category-prefix.csv") == {2: "identity.access-reviews", 3: "identity.access-reviews"}


def test_a_parenthesis_of_examples_gives_detail_the_words_outside_decide(run):
    got = rows(run, "examples-in-parentheses.csv")
    # 'compute, storage, network' alone would make row 2 Virtualisation and storage
    assert got[2] == ("infrastructure.capacity-planning", "part")
    # a parenthesis that is not a list of examples still refines its label
    assert got[3][0] == "incident.triage"


def test_several_verbs_with_one_object_name_one_thing(run):
    assert rows(run, "verb-list.csv") == {2: ("infrastructure.virtualisation-storage", "clear")}


def test_a_tie_between_domains_goes_to_what_the_label_names_first(run):
    assert rows(run, "tie-by-first-words.csv") == {2: ("monitoring.performance", "head")}


def test_a_hyphenated_word_is_one_word(run):
    # 'cut-over' meets the catalog's 'migration cutover'
    assert activities(run, "hyphenated-words.csv") == {2: "projects.cloud-migration"}
