"""Diff between arrangements: hand-made engagements with known changes, presets and preset combinations."""

from __future__ import annotations

from datetime import date

import pytest
from paths import DATA

from raci.catalog import load_catalog
from raci.diff import ExclusionChange, FieldChange, NoteChange, PartyChange, SlaChange, diff_specs, md_escape
from raci.errors import InputError

D = DATA / "diff"


@pytest.fixture(scope="module")
def cat():
    return load_catalog(D / "catalog")


def rows(d):
    return [(c.activity, c.party, c.window, c.before, c.after, c.direction) for c in d.changes]


def test_known_changes_between_two_hand_made_engagements(cat):
    d = diff_specs(cat, str(D / "before.raci.yaml"), str(D / "after.raci.yaml"))
    assert rows(d) == [
        ("servicedesk.tier1", "msp", None, "C", "R", "shared"),
        ("servicedesk.tier3", "client-exec", None, "I", None, "to-msp"),
        ("servicedesk.tier3", "client-it", None, "A/R", "A", "to-msp"),
        ("servicedesk.tier3", "msp", None, None, "R", "to-msp"),
        ("monitoring.rmm-agent", "client-exec", None, "I", "C", "other"),
        ("monitoring.alert-response", "client-exec", "business-hours", "I", None, "other"),
        ("monitoring.alert-response", "client-exec", "after-hours", "I", None, "to-msp"),
        ("monitoring.alert-response", "client-it", "after-hours", "A/R", "A", "to-msp"),
        ("monitoring.alert-response", "msp", "after-hours", None, "R", "to-msp"),
        ("security.edr", "client-exec", None, None, "I", "to-client"),
        ("security.edr", "client-it", None, "I", "A/R", "to-client"),
        ("security.edr", "msp", None, "A/R", None, "to-client"),
        ("security.compliance-evidence", "client-exec", None, "I", None, "unowned"),
        ("security.compliance-evidence", "client-it", None, "A/R", None, "unowned"),
        ("projects.office-move", "client-exec", None, None, "I", "to-client"),
        ("projects.office-move", "client-it", None, None, "A/R", "to-client"),
        ("governance.roadmap", "client-exec", None, "I", "C", "unowned"),
        ("governance.roadmap", "client-it", None, "A/R", "I", "unowned"),
    ]
    assert d.counts() == {"to-msp": 2, "to-client": 2, "shared": 1, "unowned": 2, "other": 2}
    scopes = {i.activity: i.scope for i in d.items if i.scope}
    assert scopes == {"security.compliance-evidence": "leaves the scope", "projects.office-move": "enters the scope"}


def test_grouping_is_by_direction_then_domain_in_catalog_order(cat):
    d = diff_specs(cat, str(D / "before.raci.yaml"), str(D / "after.raci.yaml"))
    assert [(direction, [(dom, [i.activity for i in items]) for dom, items in domains]) for direction, domains in d.grouped()] == [
        ("to-msp", [("servicedesk", ["servicedesk.tier3"]), ("monitoring", ["monitoring.alert-response"])]),
        ("to-client", [("security", ["security.edr"]), ("projects", ["projects.office-move"])]),
        ("shared", [("servicedesk", ["servicedesk.tier1"])]),
        ("unowned", [("security", ["security.compliance-evidence"]), ("governance", ["governance.roadmap"])]),
        ("other", [("monitoring", ["monitoring.rmm-agent", "monitoring.alert-response"])]),
    ]


def test_reverse_diff_swaps_before_and_after_and_directions(cat):
    fwd = diff_specs(cat, str(D / "before.raci.yaml"), str(D / "after.raci.yaml"))
    back = diff_specs(cat, str(D / "after.raci.yaml"), str(D / "before.raci.yaml"))
    assert sorted((c.activity, c.party, c.window, c.after, c.before) for c in fwd.changes) == \
        sorted((c.activity, c.party, c.window, c.before, c.after) for c in back.changes)
    direction = {(i.activity, i.window): i.direction for i in back.items}
    assert direction[("servicedesk.tier3", None)] == "to-client"
    assert direction[("security.edr", None)] == "to-msp"
    assert direction[("security.compliance-evidence", None)] == "to-client"  # enters the scope, owned by client IT


@pytest.mark.parametrize("spec", ["before.raci.yaml", "after.raci.yaml", "vendor.raci.yaml"])
def test_a_file_diffed_with_itself_has_no_changes(cat, spec):
    d = diff_specs(cat, str(D / spec), str(D / spec))
    assert d.changes == [] and d.items == []
    assert d.unchanged and set(d.section_counts().values()) == {0}


@pytest.mark.parametrize("spec", ["in-house", "fully-managed", "co-managed-tier3-escalation,co-managed-after-hours"])
def test_a_preset_diffed_with_itself_has_no_changes(cat, spec):
    assert diff_specs(cat, spec, spec).changes == []


def test_presets_fully_managed_to_in_house_moves_everything_to_the_client(cat):
    d = diff_specs(cat, "fully-managed", "in-house")
    assert d.counts() == {"to-msp": 0, "to-client": 9, "shared": 0, "unowned": 0, "other": 1}
    assert [(c.party, c.before, c.after) for c in d.changes if c.activity == "servicedesk.tier1"] == [
        ("client-exec", "A", "I"), ("client-it", None, "A/R"), ("msp", "R", None)]
    other = [i for i in d.items if i.direction == "other"]
    assert [(c.activity, c.party, c.before, c.after) for i in other for c in i.changes] == [
        ("governance.risk-acceptance", "client-it", None, "C"), ("governance.risk-acceptance", "msp", "C", None)]


def test_preset_combination_changes_only_what_the_added_presets_move(cat):
    d = diff_specs(cat, "co-managed-tier3-escalation", "co-managed-tier3-escalation,co-managed-project-augmentation")
    assert rows(d) == [
        ("projects.office-move", "client-exec", None, "I", None, "to-msp"),
        ("projects.office-move", "client-it", None, "A/R", "A", "to-msp"),
        ("projects.office-move", "msp", None, None, "R", "to-msp"),
    ]


def test_engagement_against_a_preset(cat):
    # before.raci.yaml is in-house with three overrides (one restates the preset) and one exclusion.
    d = diff_specs(cat, "in-house", str(D / "before.raci.yaml"))
    assert [(i.activity, i.direction, i.scope) for i in d.items] == [
        ("servicedesk.tier1", "other", None),
        ("security.edr", "to-msp", None),
        ("projects.office-move", "unowned", "leaves the scope"),
    ]
    assert d.a.label == "presets in-house" and d.b.label == str(D / "before.raci.yaml")


def test_work_handed_to_a_vendor_is_another_change_not_a_move_between_client_and_msp(cat):
    d = diff_specs(cat, str(D / "before.raci.yaml"), str(D / "vendor.raci.yaml"))
    tier1 = next(i for i in d.items if i.activity == "servicedesk.tier1")
    assert tier1.direction == "other"
    assert [(c.party, c.before, c.after) for c in tier1.changes] == [
        ("client-it", "A/R", "A"), ("msp", "C", None), ("helpdesk-co", None, "R")]


def test_losing_the_only_accountable_party_is_newly_unowned(cat):
    d = diff_specs(cat, str(D / "before.raci.yaml"), str(D / "after.raci.yaml"))
    roadmap = next(i for i in d.items if i.activity == "governance.roadmap")
    assert roadmap.direction == "unowned"


def test_unknown_names_and_bad_files_are_reported_together(cat):
    with pytest.raises(InputError) as exc:
        diff_specs(cat, "co-managed-magic,in-house", str(D / "bad.raci.yaml"))
    lines = exc.value.lines()
    assert lines[0].startswith("'co-managed-magic': neither an engagement file nor a preset (known presets: co-managed-after-hours,")
    assert lines[1:] == [
        f"{D / 'bad.raci.yaml'}:3: unknown preset 'co-managed-everything' (known: co-managed-after-hours, "
        "co-managed-hybrid-expertise, co-managed-project-augmentation, co-managed-strategic-partnership, "
        "co-managed-tier3-escalation, co-managed-tools-only, fully-managed, in-house)",
        f"{D / 'bad.raci.yaml'}:7: unknown activity 'servicedesk.tier9' in assignments (did you mean 'servicedesk.tier3'?)",
    ]


def test_missing_file_and_repeated_preset(cat):
    with pytest.raises(InputError) as exc:
        diff_specs(cat, str(D / "missing.raci.yaml"), "in-house,in-house")
    assert exc.value.lines() == [f"{D / 'missing.raci.yaml'}: no such file", "preset 'in-house' is listed twice in 'in-house,in-house'"]


def test_md_escape():
    # one escaping for every Markdown raci writes: a line break stays a break inside its cell
    assert md_escape("a | b\nc <script>&") == "a \\| b<br>c &lt;script&gt;&amp;"
    assert md_escape("profile.it_staff *x*") == "profile.it\\_staff \\*x\\*"
    assert md_escape(None) == ""


def test_after_hours_roles_without_an_a_are_not_unowned_accountability_holds_across_windows(cat):
    d = diff_specs(cat, "in-house", str(D / "night-msp.raci.yaml"))
    assert [(i.activity, i.window, i.direction) for i in d.items] == [
        ("monitoring.alert-response", "business-hours", "other"),
        ("monitoring.alert-response", "after-hours", "to-msp"),
    ]
    back = diff_specs(cat, str(D / "night-msp.raci.yaml"), "in-house")
    assert [(i.window, i.direction) for i in back.items] == [("business-hours", "other"), ("after-hours", "to-client")]


def test_bundled_presets_fully_managed_to_co_managed_leaves_nothing_unowned(bundled_catalog):
    d = diff_specs(bundled_catalog, "fully-managed", "co-managed-tier3-escalation,co-managed-after-hours")
    counts = d.counts()
    assert counts["unowned"] == 0 and counts["to-client"] > 0
    tier3 = next(i for i in d.items if i.activity == "servicedesk.tier3")
    after = {c.party: c.after for c in tier3.changes}
    assert tier3.direction == "to-client" and after["client-it"] == "A" and "R" in after["msp"]  # escalations stay with the MSP
    assert diff_specs(bundled_catalog, "in-house,co-managed-after-hours", "in-house,co-managed-after-hours").changes == []


def test_markdown_template_problems_are_template_errors(cat, tmp_path):
    from raci.diff import diff_markdown
    from raci.errors import TemplateError

    d = diff_specs(cat, "in-house", "fully-managed")
    with pytest.raises(TemplateError) as exc:
        diff_markdown(d, template_dir=tmp_path)
    assert exc.value.lines() == [f"{tmp_path / 'diff.md.j2'}: template not found"]
    (tmp_path / "diff.md.j2").write_text("From {{ a }}\n{{ no_such_value }}\n")
    with pytest.raises(TemplateError) as exc:
        diff_markdown(d, template_dir=tmp_path)
    assert exc.value.lines() == [f"{tmp_path / 'diff.md.j2'}:2: template error: 'no_such_value' is undefined"]
    (tmp_path / "diff.md.j2").write_text("{{ a | md }}: {{ total }} changes, first {{ groups[0].title }}\n")
    assert diff_markdown(d, template_dir=tmp_path) == "presets in-house: 10 changes, first Moves to the MSP\n"


# --------------------------------------------------------------------------- everything else an engagement says


def test_every_kind_of_change_besides_roles(cat):
    d = diff_specs(cat, str(D / "terms-before.raci.yaml"), str(D / "terms-after.raci.yaml"))
    assert d.metadata == [
        FieldChange("client", "Acme Manufacturing", "Acme Manufacturing Ltd"),
        FieldChange("provider", "Contoso", "Contoso Managed Services"),
        FieldChange("version", "1.0", "1.1"),
        FieldChange("effective", date(2026, 1, 1), date(2027, 1, 1)),
        FieldChange("presets", ["co-managed-tier3-escalation"], ["co-managed-tier3-escalation", "co-managed-after-hours"]),
        FieldChange("profile.employees", 80, 120),
        FieldChange("profile.it_staff", 2, 3),
        FieldChange("profile.compliance", ["hipaa"], ["pci", "hipaa"]),
        FieldChange("thresholds.r_per_staff", 30, 25),
    ]
    assert d.party_changes == [
        PartyChange("client-it", "Acme IT", "name", "Acme IT", "Acme IT Services"),
        PartyChange("client-it", "Acme IT", "staff", 2, 3),
        PartyChange("helpdesk-co", "Helpdesk Co", None,
                    {"name": "Helpdesk Co", "kind": "vendor", "staff": 5, "hours": "business-hours"}, None),
        PartyChange("soc-co", "SOC Partners", "kind", "vendor", "msp"),
        PartyChange("soc-co", "SOC Partners", "staff", 3, 6),
        PartyChange("soc-co", "SOC Partners", "hours", "business-hours", "24x7"),
        PartyChange("backup-co", "Backup | Co <b>", None, None,
                    {"name": "Backup | Co <b>", "kind": "vendor", "staff": 4, "hours": "business-hours"}),
    ]
    assert d.notes == [
        NoteChange("servicedesk.tier1", "Tier 1 support", "Helpdesk Co answers the phone queue", None),
        NoteChange("servicedesk.tier3", "Tier 3 support", None,
                   "Escalations go to Contoso's engineers | weekdays\n<b>urgent</b> ones by phone"),
        NoteChange("security.edr", "Endpoint protection", "SOC Partners reviews alerts daily",
                   "SOC Partners reviews alerts around the clock and calls the Acme IT on-call engineer for anything critical"),
    ]
    assert d.sla == [
        SlaChange("servicedesk.tier1", "Tier 1 support", "response", "30m", "15m"),
        SlaChange("servicedesk.tier3", "Tier 3 support", "response", "4h", None),
        SlaChange("servicedesk.tier3", "Tier 3 support", "resolution", "2bd", None),
        SlaChange("monitoring.alert-response", "Alert response", "response", None, "15m"),
        SlaChange("security.edr", "Endpoint protection", "resolution", None, "1d"),
    ]
    assert d.exclusions == [
        ExclusionChange("added", "governance.*", ("governance.risk-acceptance", "governance.roadmap")),
        ExclusionChange("removed", "governance.roadmap", ("governance.roadmap",)),
    ]
    assert d.section_counts() == {"engagement": 9, "parties": 4, "notes": 3, "internal_notes": 0, "sla": 4, "exclusions": 2,
                                  "commercial": 0}
    assert not d.unchanged


def test_reverse_diff_swaps_the_other_sections(cat):
    fwd = diff_specs(cat, str(D / "terms-before.raci.yaml"), str(D / "terms-after.raci.yaml"))
    back = diff_specs(cat, str(D / "terms-after.raci.yaml"), str(D / "terms-before.raci.yaml"))
    assert sorted((c.field, str(c.after), str(c.before)) for c in fwd.metadata) == \
        sorted((c.field, str(c.before), str(c.after)) for c in back.metadata)
    assert sorted((c.activity, c.field, c.after, c.before) for c in fwd.sla) == \
        sorted((c.activity, c.field, c.before, c.after) for c in back.sla)
    assert [(x.change, x.pattern) for x in back.exclusions] == [("added", "governance.roadmap"), ("removed", "governance.*")]
    # a renamed party is named as it was on the side diffed from
    assert back.party_changes[0] == PartyChange("client-it", "Acme IT Services", "name", "Acme IT Services", "Acme IT")


def test_reordered_compliance_frameworks_are_not_a_change(cat, tmp_path):
    before = (D / "terms-before.raci.yaml").read_text()
    a, b = tmp_path / "a.raci.yaml", tmp_path / "b.raci.yaml"
    a.write_text(before.replace("compliance: [hipaa]", "compliance: [hipaa, pci]"))
    b.write_text(before.replace("compliance: [hipaa]", "compliance: [pci, hipaa]"))
    assert diff_specs(cat, str(a), str(b)).unchanged


def test_presets_have_only_roles_and_against_an_engagement_only_its_exclusions_count(cat):
    d = diff_specs(cat, "in-house", "fully-managed")
    assert d.items and not (d.metadata or d.party_changes or d.notes or d.sla or d.exclusions)
    d = diff_specs(cat, "in-house", str(D / "terms-after.raci.yaml"))
    assert not (d.metadata or d.party_changes or d.notes or d.sla)
    assert d.exclusions == [
        ExclusionChange("added", "security.compliance-evidence", ("security.compliance-evidence",)),
        ExclusionChange("added", "governance.*", ("governance.risk-acceptance", "governance.roadmap")),
    ]


def test_ids_and_globs_are_code_spans_shown_exactly_as_typed():
    from raci.mdtext import md_code

    # escapes do not work inside a code span, so none are added; the fence outgrows any backticks inside
    assert md_code("governance.*") == "`governance.*`"
    assert md_code("client_it") == "`client_it`"
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x") == "`` `x ``"
    assert md_code("p|q") == "`p\\|q`"  # a table cell needs its pipes escaped even here
