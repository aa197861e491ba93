"""The appendix view-model (raci.appendix): what each audience's appendix says, the DRAFT mark, the sign-off of the
contracting entities, provenance without folders, and agreement with what the workbook shows today."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from paths import DATA, MINI, ROOT, SAMPLES

from raci import __version__
from raci.appendix import AFTER_HOURS_RULE, build_appendix, provenance_command
from raci.appendix import build as appendix_build
from raci.appendix import model as appendix_model
from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.engagement import Party, load_engagement, resolve
from raci.findings import summarize

RENDER = DATA / "render"


def _matrix(engagement: Path, catalog_dir: Path | None = MINI):
    cat = load_catalog(catalog_dir)
    return resolve(load_engagement(engagement, cat), cat)


def _build(engagement: Path = RENDER / "acme-internal.raci.yaml", catalog_dir: Path | None = MINI, **options):
    matrix = _matrix(engagement, catalog_dir)
    return build_appendix(matrix, run_checks(matrix), **options)


def _row(appendix, aid):
    return next(row for dom in appendix.domains for row in dom.rows if row.id == aid)


def test_a_client_appendix_holds_nothing_internal():
    a = _build(command="/usr/bin/raci render /home/ann/acme.raci.yaml --md /tmp/acme.md")
    assert (a.audience, a.internal) == ("client", False)
    assert a.meta.presets == ()
    assert a.meta.arrangement == "Co-managed tier 3 + Co-managed after hours"
    assert a.provenance.command == ""
    assert (a.provenance.tool_version, a.provenance.engagement, a.provenance.catalog) == (
        __version__, "acme-internal.raci.yaml", "mini")
    assert a.internal_notes == ()
    assert all(row.internal_note == "" and row.check == "" for dom in a.domains for row in dom.rows)
    # the preset-override info finding is left out; the warning is the SLA on tier 1, which the client works
    assert [(f.severity, f.rule) for f in a.findings.rows] == [("error", "compliance-gap"), ("warning", "sla-on-client-row")]
    assert a.findings.counts == {"error": 1, "warning": 1}
    assert a.findings.text == "1 error, 1 warning"
    assert "internal_notes" not in a.sections
    assert a.sections == ("title", "parties", "legend", "matrix", "after_hours", "sla", "exclusions", "commercial",
                          "findings", "versions", "signoff")


def test_an_internal_appendix_keeps_the_tool_internals():
    a = _build(audience="internal", command="/usr/bin/raci --catalog /x/mini render /home/ann/acme.raci.yaml "
                                                 "--xlsx /tmp/acme.xlsx --md=/tmp/acme.md --audience internal")
    assert [(p.id, p.name) for p in a.meta.presets] == [("co-managed-tier3-escalation", "Co-managed tier 3"),
                                                        ("co-managed-after-hours", "Co-managed after hours")]
    assert a.provenance.command == "raci --catalog mini render acme.raci.yaml --audience internal"
    assert [f.severity for f in a.findings.rows] == ["error", "warning", "info"]
    assert a.findings.text == "1 error, 1 warning, 1 note"
    assert [(n.id, n.note) for n in a.internal_notes] == [  # catalog order; an excluded activity's note too
        ("servicedesk.tier2", "Margin is thin here | ask for a rate review at renewal"),
        ("governance.policy-authoring", "Excluded at the client's request; quote it separately"),
    ]
    assert _row(a, "servicedesk.tier2").internal_note.startswith("Margin is thin")
    assert _row(a, "servicedesk.tier1").check == "sla-on-client-row"  # a planted gap of the sample (its comments)
    assert _row(a, "servicedesk.tier2").check == "OK"
    assert a.sections[-3:] == ("internal_notes", "versions", "signoff")


def test_the_check_text_names_the_rules_a_row_breaks_errors_first():
    a = _build(SAMPLES / "riverside-clinic.raci.yaml", None, audience="internal")
    assert _row(a, "identity.leavers").check == "no-accountable, compliance-gap, shared-responsible"
    assert _row(a, "vendors.lob-support").check == "multiple-accountable"
    assert _row(a, "servicedesk.tier1").check == "sla-on-client-row"  # a planted gap of the sample (its comments)
    assert _row(a, "servicedesk.tier2").check == "OK"


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience must be one of client, internal"):
        _build(audience="board")


def test_open_errors_make_a_draft_that_lists_them_at_the_sign_off():
    a = _build()
    assert a.draft and a.meta.draft and a.signoff.draft
    assert a.meta.heading == "DRAFT — Responsibility matrix: Acme & Sons Manufacturing"
    assert a.meta.title == "Responsibility matrix: Acme & Sons Manufacturing"
    assert a.signoff.title == "Acceptance — DRAFT, not for signature"
    assert a.signoff.draft_notice.startswith("DRAFT: not for signature. The checks of this matrix found 1 error that is "
                                             "still open")
    assert "--allow-open-findings" not in a.signoff.draft_notice  # a tool option means nothing to a client
    assert [(f.rule, f.activity) for f in a.signoff.open_errors] == [("compliance-gap", "governance.policy-authoring")]
    assert a.signoff.open_errors_text == "Open errors:"
    assert [(v.version, v.effective, v.status) for v in a.versions] == [("2.1", "2026-12-01", "Draft")]
    assert "--allow-open-findings" in _build(audience="internal").signoff.draft_notice


def test_allowing_open_findings_lifts_the_mark_and_the_errors_are_accepted_at_signature():
    a = _build(allow_open_findings=True)
    assert not (a.draft or a.signoff.draft)
    assert a.meta.heading == a.meta.title
    assert a.signoff.title == "Acceptance" and a.signoff.draft_notice == ""
    assert a.signoff.statement == ("The parties accept the responsibilities in this matrix, version 2.1, effective "
                                   "2026-12-01. They accept it with the 1 error listed below still open.")
    assert len(a.signoff.open_errors) == 1
    assert a.signoff.open_errors_text == "Open errors the parties accept at signature:"
    assert a.versions[0].status == "For signature"


def test_without_errors_the_appendix_is_for_signature_and_lists_none():
    a = _build(RENDER / "risky.raci.yaml", RENDER / "risky-catalog")
    assert not a.draft and a.signoff.open_errors == () and a.signoff.open_errors_text == ""
    assert a.signoff.statement == "The parties accept the responsibilities in this matrix, version -1, effective 2026-12-01."


def test_the_sign_off_is_for_the_contracting_entities_not_the_teams():
    a = _build()
    assert [(s.side, s.entity) for s in a.signoff.signatories] == [("Client", "Acme & Sons Manufacturing"),
                                                                  ("Provider", "Contoso Managed Services")]
    assert all((s.name, s.title, s.date) == ("", "", "") for s in a.signoff.signatories)  # written by hand
    assert set(a.signoff.signature_line) == {"_"} and len(a.signoff.signature_line) >= 20
    assert "authority to sign" in a.signoff.authority
    assert a.signoff.change_order == "Changes take effect only through a signed change order."


def test_no_effective_date_reads_as_the_date_of_the_last_signature():
    matrix = _matrix(RENDER / "acme.raci.yaml")
    matrix.engagement.effective = None
    a = build_appendix(matrix, [])
    assert a.meta.effective == "" and a.versions[0].effective == ""
    assert a.signoff.statement.endswith("version 2.1, effective on the date of the last signature.")


def test_parties_are_grouped_client_provider_third_party_with_unique_labels_and_counts():
    matrix = _matrix(RENDER / "acme.raci.yaml")
    eng = matrix.engagement
    parties = {"vendor-x": Party("vendor-x", "Check", "vendor", 1, "business-hours"), **eng.parties}
    parties["msp"] = Party("msp", "Acme IT", "msp", 40, "24x7")  # the same name as the client's IT team
    eng.parties = parties
    a = build_appendix(matrix, [])
    assert [(p.id, p.side, p.label) for p in a.parties] == [
        ("client-exec", "Client", "Acme leadership"),
        ("client-it", "Client", "Acme IT (client-it)"),
        ("msp", "Provider", "Acme IT (msp)"),
        ("vendor-x", "Third party", "Check (vendor-x)"),
    ]
    assert [(g.side, [p.id for p in g.parties]) for g in a.party_groups] == [
        ("Client", ["client-exec", "client-it"]), ("Provider", ["msp"]), ("Third party", ["vendor-x"])]
    counts = {p.id: p.counts for p in a.parties}
    # business hours, in scope: R and A count A/R cells too (as the workbook's Summary sheet counts them)
    assert counts["client-it"] == {"R": 5, "A": 5, "C": 0, "I": 1}
    assert counts["msp"] == {"R": 2, "A": 1, "C": 1, "I": 0}
    assert counts["vendor-x"] == {"R": 0, "A": 0, "C": 0, "I": 0}
    assert [p.hours_text for p in a.parties] == ["Business hours", "Business hours", "24x7", "Business hours"]


def test_matrix_rows_follow_the_party_order_with_after_hours_cells_as_a_workbook_shows_them():
    a = _build()
    tier2 = _row(a, "servicedesk.tier2")  # business: client-it A/R, msp C; after hours: msp R, client-it A
    assert [p.id for p in a.parties] == ["client-exec", "client-it", "msp"]
    assert tier2.roles == ("", "A/R", "C")
    assert tier2.after_hours == ("", "A", "R")  # "" as in business hours
    assert tier2.after_roles == ("", "A", "R")
    assert (tier2.business_text, tier2.after_hours_text) == ("Acme IT: A/R, Contoso: C", "Acme IT: A, Contoso: R")
    tier1 = _row(a, "servicedesk.tier1")
    assert (tier1.after_hours, tier1.after_roles, tier1.after_hours_text) == (None, None, "")
    assert (tier1.sla, tier1.note) == ("30m / 8h", "Password resets | unlocks")
    assert _row(a, "monitoring.alert-response").sla == "15m / -"
    nobody = _build(RENDER / "nobody-after-hours.raci.yaml")
    assert _row(nobody, "monitoring.alert-response").after_hours == ("", "-")  # nobody after hours
    assert _row(nobody, "monitoring.alert-response").after_hours_text == "no roles"
    assert [r.id for r in a.after_hours_rows] == ["servicedesk.tier2", "monitoring.alert-response"]


def test_domains_sla_exclusions_and_legend():
    a = _build()
    assert [(d.id, [r.id for r in d.rows]) for d in a.domains] == [
        ("servicedesk", ["servicedesk.tier1", "servicedesk.tier2", "servicedesk.tier3"]),
        ("monitoring", ["monitoring.rmm-agent", "monitoring.alert-response", "monitoring.patching"]),
        ("governance", ["governance.risk-acceptance"]),
    ]
    assert [(s.id, s.coverage, s.response, s.resolution) for s in a.sla] == [
        ("servicedesk.tier1", "business-hours", "30m", "8h"), ("monitoring.alert-response", "24x7", "15m", "")]
    assert [(x.pattern, x.id, x.domain) for x in a.exclusions] == [
        ("governance.policy-authoring", "governance.policy-authoring", "Governance")]
    assert [(e.letter, e.fill) for e in a.legend.entries] == [
        ("R", "C6E0B4"), ("A", "F8CBAD"), ("C", "BDD7EE"), ("I", "E7E6E6"), ("A/R", "FFD966")]
    assert a.legend.after_hours_rule == AFTER_HOURS_RULE
    assert (a.meta.in_scope, a.meta.excluded, a.meta.version, a.meta.effective) == (7, 1, "2.1", "2026-12-01")


@pytest.mark.parametrize("command, expected", [
    ("raci render acme.raci.yaml --xlsx acme.xlsx --md acme.md", "raci render acme.raci.yaml"),
    ("/usr/local/bin/raci render /home/ann/clients/acme.raci.yaml --md=/tmp/x/acme.md --audience internal",
     "raci render acme.raci.yaml --audience internal"),
    ("raci render a.raci.yaml --template-dir /srv/templates/ --docx a.docx --pdf a.pdf -o x",
     "raci render a.raci.yaml --template-dir templates"),
    ("raci render 'my clients/acme.raci.yaml' --force", "raci render acme.raci.yaml --force"),
    ("raci render 'unclosed", ""),
])
def test_the_provenance_command_has_file_names_only_and_no_outputs(command, expected):
    assert provenance_command(command) == expected


def test_the_bundled_catalog_is_named_so_never_by_its_path():
    a = _build(SAMPLES / "riverside-clinic.raci.yaml", None, audience="internal", command="raci render x.raci.yaml")
    assert a.provenance.catalog == "bundled"
    assert a.provenance.engagement == "riverside-clinic.raci.yaml"


def test_the_view_model_agrees_with_what_the_workbook_shows_today():
    """Until the workbook is built from the view-model, its helpers and the view-model must say the same things."""
    from raci import excel_layout

    assert AFTER_HOURS_RULE == excel_layout.AFTER_HOURS_RULE
    assert appendix_model.LETTER_COLOURS == excel_layout.LETTER_COLOURS
    assert appendix_model.NO_SLA_NOTE == excel_layout.NO_SLA_NOTE
    assert appendix_model.NO_EXCLUSIONS_NOTE == excel_layout.NO_EXCLUSIONS_NOTE
    for engagement, catalog_dir in ((SAMPLES / "riverside-clinic.raci.yaml", None), (RENDER / "acme.raci.yaml", MINI)):
        matrix = _matrix(engagement, catalog_dir)
        findings = run_checks(matrix)
        assert appendix_build.arrangement(matrix) == excel_layout.arrangement(matrix)
        assert appendix_build.profile_text(matrix) == excel_layout.profile_text(matrix)
        assert appendix_build.exclusion_rows(matrix) == excel_layout.exclusion_rows(matrix)
        assert appendix_build.summary_text(summarize(findings)) == excel_layout.summary_text(summarize(findings))
        a = build_appendix(matrix, findings, audience="internal")
        for aid in matrix.in_scope():
            row = matrix.rows[aid]
            assert appendix_build.sla_text(matrix.engagement.sla.get(aid)) == excel_layout.sla_text(matrix.engagement.sla.get(aid))
            assert appendix_build.shown_after_hours(row) == excel_layout.shown_after_hours(row)
            view = _row(a, aid)
            if view.after_hours is not None:
                cells = dict(zip((p.id for p in a.parties), view.after_hours))
                assert {p: c or None for p, c in cells.items()} == {p: excel_layout.after_cell(row, p) for p in cells}
        assert [r.id for d in a.domains for r in d.rows] == [
            aid for _, ids in excel_layout.domain_groups(matrix, matrix.in_scope()) for aid in ids]


def test_the_appendix_and_markdown_modules_import_no_workbook_code_and_no_click():
    files = [ROOT / "raci" / "markdown.py", *(ROOT / "raci" / "appendix").glob("*.py")]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [n for n in names if n.startswith(("raci.excel", "raci.workshop", "click"))], path
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path


def test_effective_text_and_summary_text():
    assert appendix_build.effective_text(dt.date(2026, 12, 1)) == "2026-12-01"
    assert appendix_build.effective_text(None, "not set") == "not set"
    assert appendix_build.summary_text({"error": 2, "warning": 1}) == "2 errors, 1 warning"


def test_the_after_hours_columns_are_the_parties_whose_role_differs_on_some_row():
    from raci import excel_layout

    for engagement, catalog_dir in ((SAMPLES / "riverside-clinic.raci.yaml", None), (RENDER / "acme.raci.yaml", MINI),
                                    (RENDER / "nobody-after-hours.raci.yaml", MINI)):
        matrix = _matrix(engagement, catalog_dir)
        a = build_appendix(matrix, [])
        assert sorted(p.id for p in a.after_hours_parties) == sorted(excel_layout.layout_for(matrix).after_parties)
    assert [p.id for p in _build().after_hours_parties] == ["client-it", "msp"]


def test_the_providers_work_outside_the_fee_is_listed_with_what_it_means_and_internally_who_set_it():
    harbor = SAMPLES / "harbor-dental-fully-managed.raci.yaml"
    client = _build(harbor, None)
    rows = {r.id: r for r in client.commercial}
    assert rows["onsite.cabling-racks"].status == "project"
    assert rows["onsite.cabling-racks"].meaning == "quoted and billed as a project, outside the recurring fee"
    assert rows["network.isp-carrier"].status == "pass-through"
    assert all(r.status != "included" for r in client.commercial) and all(r.windows == "" for r in client.commercial)
    internal = _build(harbor, None, audience="internal")
    assert {r.id: r.windows for r in internal.commercial}["projects.delivery"] == "fully-managed"  # it set both windows
    assert _build().commercial == ()  # a co-managed engagement whose presets set no status: all in the fee


def test_which_preset_set_each_window_is_named_per_window_where_two_did():
    from raci.appendix.build import windows_text

    matrix = _matrix(SAMPLES / "riverside-clinic.raci.yaml", None)
    # the bundled after-hours preset sets only the night of alert response; tier 3 escalation set its day
    assert windows_text(matrix, "monitoring.alert-response") == (
        "business hours: co-managed-tier3-escalation; after hours: co-managed-after-hours")
