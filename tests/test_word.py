"""raci render --docx: the Word appendix read back as XML, as a word processor would show it: landscape Letter,
the matrix's widths and repeated header rows, bands kept with their rows, page numbers, the sign-off block, DRAFT,
what each audience reads, no run under 8 pt, and any text a user types kept as typed."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DATA, MINI, ROOT

from raci import __version__
from raci.appendix import build_appendix
from raci.appendix.model import AUTHORITY, SIGNATURE_LINE
from raci.catalog import load_catalog
from raci.checks import run_checks
from raci.engagement import load_engagement, resolve
from raci.word import word_appendix
from raci.word.ooxml import BREAK_AFTER_DOT, clean

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ACME = DATA / "render" / "acme-internal.raci.yaml"


def _render(run, tmp_path: Path, *options: str, engagement: Path = ACME, name: str = "acme.docx") -> Path:
    out = tmp_path / name
    result = run("render", engagement, "--docx", out, *options, catalog=MINI)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote {out}\n"
    return out


def _part(docx: Path | bytes, name: str = "word/document.xml") -> ET.Element:
    with zipfile.ZipFile(docx if isinstance(docx, Path) else io.BytesIO(docx)) as zf:
        return ET.fromstring(zf.read(name))


def _text(element: ET.Element) -> str:
    """What a reader sees of a paragraph or cell: the text, tabs and line breaks of its runs."""
    out = []
    for r in element.iter(W + "r"):
        for el in r:
            if el.tag == W + "t":
                out.append(el.text or "")
            elif el.tag == W + "tab":
                out.append("\t")
            elif el.tag == W + "br":
                out.append("\n")
    return "".join(out)


def _span(tc: ET.Element) -> int:
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    return 1 if span is None else int(_val(span))


def _paragraphs(root: ET.Element) -> list[str]:
    return [_text(p) for p in root.iter(W + "p")]


def _cell_texts(tr: ET.Element) -> list[str]:
    return [_text(tc).replace(BREAK_AFTER_DOT, "") for tc in tr.findall(W + "tc")]


def _raw_cells(tr: ET.Element) -> list[str]:
    return [_text(tc) for tc in tr.findall(W + "tc")]


def _matrix_table(doc: ET.Element) -> ET.Element:
    return next(t for t in doc.iter(W + "tbl") if len(t.findall(f"{W}tr/{W}trPr/{W}tblHeader")) == 3)


def _val(el: ET.Element | None, attr: str = "val") -> str:
    assert el is not None
    return el.get(W + attr) or ""


# --------------------------------------------------------------------------- the page and the matrix


def test_the_appendix_is_landscape_letter_with_half_inch_margins(run, tmp_path):
    doc = _part(_render(run, tmp_path))
    size = doc.find(f"{W}body/{W}sectPr/{W}pgSz")
    assert (_val(size, "orient"), _val(size, "w"), _val(size, "h")) == ("landscape", "15840", "12240")
    margins = doc.find(f"{W}body/{W}sectPr/{W}pgMar")
    assert (_val(margins, "left"), _val(margins, "right")) == ("720", "720")


def test_the_matrix_has_fixed_widths_narrow_letter_columns_and_repeated_header_rows(run, tmp_path):
    table = _matrix_table(_part(_render(run, tmp_path)))
    widths = [int(_val(c, "w")) for c in table.iter(W + "gridCol")]
    # ID, Activity, Acme leadership, Acme IT, Contoso, SLA, Notes: filling the 10 inches between the margins
    assert len(widths) == 7 and sum(widths) == 14400
    id_, activity, *letters, sla, notes = widths
    assert len(set(letters)) == 1 and letters[0] <= 1350 < id_ < activity
    assert _val(table.find(f"{W}tblPr/{W}tblLayout"), "type") == "fixed"
    assert {b.tag for b in table.find(f"{W}tblPr/{W}tblBorders")} >= {W + "insideH", W + "insideV", W + "top"}
    strip, sides, names, *body = table.findall(W + "tr")
    assert _text(strip).split() == ["R", "Responsible", "A", "Accountable", "C", "Consulted", "I", "Informed", "A/R",
                                    "Accountable", "and", "Responsible"]
    assert _cell_texts(sides) == ["", "Client", "Provider", ""]
    assert [_span(tc) for tc in sides.findall(W + "tc")] == [2, 2, 1, 2]
    assert _cell_texts(names) == ["ID", "Activity", "Acme leadership", "Acme IT", "Contoso",
                                  "SLA\nresponse / resolution", "Notes"]
    assert [int(_val(tc.find(f"{W}tcPr/{W}tcW"), "w")) for tc in names.findall(W + "tc")] == widths
    # every body row keeps whole on a page; only the three header rows repeat
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in body)
    assert all(tr.find(f"{W}trPr/{W}tblHeader") is None for tr in body)


def test_a_domain_band_is_kept_with_its_first_rows(run, tmp_path):
    table = _matrix_table(_part(_render(run, tmp_path)))
    rows = table.findall(W + "tr")[3:]
    bands = [i for i, tr in enumerate(rows) if len(tr.findall(W + "tc")) == 1]
    assert [_text(rows[i]) for i in bands] == ["Service desk", "Monitoring", "Governance"]
    for i in bands:
        assert rows[i].find(f".//{W}keepNext") is not None
        assert rows[i + 1].find(f".//{W}keepNext") is not None  # the first row stays with the second


def test_the_letters_are_the_engagements_for_each_party(run, tmp_path):
    table = _matrix_table(_part(_render(run, tmp_path)))
    rows = {cells[0]: cells for cells in map(_cell_texts, table.findall(W + "tr")[3:]) if len(cells) > 1}
    matrix = resolve(load_engagement(ACME, load_catalog(MINI)), load_catalog(MINI))
    order = ["client-exec", "client-it", "msp"]
    for aid in ("monitoring.patching", "servicedesk.tier2", "servicedesk.tier1"):
        assert rows[aid][2:5] == [matrix.rows[aid].business.get(p, "") for p in order], aid
    assert rows["monitoring.patching"][2:5] == ["", "I", "A/R"]
    assert rows["monitoring.patching"][6] == "Second Tuesday of the month, 22:00-02:00"
    assert rows["servicedesk.tier1"][5] == "30m / 8h"
    assert rows["servicedesk.tier2"][1].endswith("after hours differ: see After hours")


def test_letter_cells_are_filled_with_the_legend_colour(run, tmp_path):
    table = _matrix_table(_part(_render(run, tmp_path)))
    fills = {}
    for tr in table.findall(W + "tr")[3:]:
        for tc in tr.findall(W + "tc")[2:5]:
            shd = tc.find(f"{W}tcPr/{W}shd")
            if _text(tc):
                fills.setdefault(_text(tc), set()).add(_val(shd, "fill"))
    assert fills["A/R"] == {"FFD966"} and fills["I"] == {"E7E6E6"}


# --------------------------------------------------------------------------- header, footer, sign-off, DRAFT


def test_the_page_header_and_footer_name_the_document_and_count_pages(run, tmp_path):
    out = _render(run, tmp_path)
    header = _text(_part(out, "word/header1.xml"))
    assert header.startswith("Acme & Sons Manufacturing — Responsibility matrix\tDRAFT: not for signature\t")
    assert header.endswith("Version 2.1 · Effective 2026-12-01")
    footer = _part(out, "word/footer1.xml")
    assert [f.get(W + "instr") for f in footer.iter(W + "fldSimple")] == [" PAGE ", " NUMPAGES "]
    assert _text(footer).endswith("\tPage 1 of 1")
    assert "Generated by raci" in _text(footer) and "from acme-internal.raci.yaml" in _text(footer)


def test_the_sign_off_is_for_the_two_contracting_entities_with_lines_to_sign_on(run, tmp_path):
    doc = _part(_render(run, tmp_path))
    paragraphs = _paragraphs(doc)
    assert AUTHORITY in paragraphs
    block = list(doc.iter(W + "tbl"))[-1]
    rows = [_cell_texts(tr) for tr in block.findall(W + "tr")]
    assert rows[0] == ["For the client: Acme & Sons Manufacturing", "", "For the provider: Contoso Managed Services"]
    assert rows[1:] == [[f"{field}:", SIGNATURE_LINE, "", f"{field}:", SIGNATURE_LINE]
                        for field in ("Signature", "Name", "Title", "Date")]
    assert "Acme IT" not in "".join(map("".join, rows))  # the contracting entities, not the teams


def test_open_errors_mark_the_appendix_draft_and_list_them_at_the_sign_off(run, tmp_path):
    paragraphs = _paragraphs(_part(_render(run, tmp_path)))
    assert paragraphs[0] == "DRAFT — Responsibility matrix: Acme & Sons Manufacturing"
    assert "Acceptance — DRAFT, not for signature" in paragraphs
    assert "Open errors:" in paragraphs


def test_allowing_open_findings_lifts_every_draft_mark(run, tmp_path):
    out = _render(run, tmp_path, "--allow-open-findings")
    for part in ("word/document.xml", "word/header1.xml", "docProps/core.xml"):
        assert "DRAFT" not in ET.tostring(_part(out, part), encoding="unicode"), part
    paragraphs = _paragraphs(_part(out))
    assert paragraphs[0] == "Responsibility matrix: Acme & Sons Manufacturing"
    assert "Open errors the parties accept at signature:" in paragraphs


# --------------------------------------------------------------------------- audiences and provenance


def _all_text(out: Path) -> str:
    with zipfile.ZipFile(out) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())


def test_a_client_word_appendix_holds_nothing_internal(run, tmp_path):
    out = _render(run, tmp_path)  # client is the default for Word
    text = _all_text(out)
    for internal in ("co-managed-tier3-escalation", "preset-override", "Margin is thin", "Internal notes",
                     "with the command"):
        assert internal not in text, internal
    assert "Co-managed tier 3" in text  # the arrangement's name stays
    assert _cell_texts(_matrix_table(_part(out)).findall(W + "tr")[2])[-1] == "Notes"  # no Check column


def test_an_internal_word_appendix_keeps_the_tool_internals(run, tmp_path):
    out = _render(run, tmp_path, "--audience", "internal")
    text = _all_text(out)
    for internal in ("co-managed-tier3-escalation", "preset-override", "Margin is thin", "Internal notes",
                     "(mini catalog), with the command: "):
        assert internal in text, internal
    names = _matrix_table(_part(out)).findall(W + "tr")[2]
    assert _cell_texts(names)[-1] == "Check"


def test_no_part_holds_a_folder_of_the_machine(run, tmp_path, monkeypatch):
    folder = tmp_path / "clients" / "acme"
    folder.mkdir(parents=True)
    shutil.copy(ACME, folder / "acme-internal.raci.yaml")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out" / "acme.docx"
    out.parent.mkdir()
    result = run("render", folder / "acme-internal.raci.yaml", "--docx", out, "--audience", "internal", catalog=MINI)
    assert result.exit_code == 0, result.stderr
    text = _all_text(out)
    for path in (str(tmp_path), str(ROOT), str(MINI), os.path.expanduser("~"), "clients/acme", "/tmp/"):
        assert path not in text, path
    core = _part(out, "docProps/core.xml")
    assert [el.text for el in core if el.tag.endswith("description")] == [
        f"Generated by raci {__version__} from acme-internal.raci.yaml"]


def test_no_run_or_style_is_under_8_points(run, tmp_path):
    out = _render(run, tmp_path, "--audience", "internal")
    for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml"):
        sizes = [int(_val(el)) for tag in ("sz", "szCs") for el in _part(out, part).iter(W + tag)]
        assert sizes and min(sizes) >= 16, part
    default = _part(out, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
    assert int(_val(default)) >= 16  # a run without a size of its own


def test_rendering_again_gives_the_same_bytes(run, tmp_path):
    assert _render(run, tmp_path).read_bytes() == _render(run, tmp_path, name="again.docx").read_bytes()


def test_the_word_document_cannot_replace_the_engagement_or_another_output(run, tmp_path):
    engagement = tmp_path / "acme.raci.yaml"
    shutil.copy(ACME, engagement)
    before = engagement.read_bytes()
    result = run("render", engagement, "--docx", engagement, catalog=MINI)
    assert result.exit_code == 2 and "Error:" in result.stderr
    assert engagement.read_bytes() == before
    same = tmp_path / "same.out"
    result = run("render", engagement, "--md", same, "--docx", same, catalog=MINI)
    assert (result.exit_code, result.stderr) == (2, f"Error: {same}: the Markdown file and the Word document must be "
                                                    "different files\n")
    assert not same.exists()


def test_render_help_shows_the_word_and_pdf_options_with_an_example(run):
    result = run("render", "--help")
    assert "--docx PATH" in result.output and "--pdf PATH" in result.output
    assert "raci render acme.raci.yaml --docx acme-appendix.docx --pdf acme-appendix.pdf" in result.output


# --------------------------------------------------------------------------- any text a user types


_MATRIX = None


def _acme_appendix():
    global _MATRIX
    if _MATRIX is None:
        cat = load_catalog(MINI)
        matrix = resolve(load_engagement(ACME, cat), cat)
        _MATRIX = build_appendix(matrix, run_checks(matrix), audience="internal")
    return _MATRIX


@settings(max_examples=60, deadline=None)
@given(client=st.text(max_size=40), party=st.text(max_size=30), note=st.text(max_size=60))
def test_any_client_party_name_or_note_reads_back_as_typed(client, party, note):
    a = _acme_appendix()
    parties = (dataclasses.replace(a.parties[0], name=party, label=party), *a.parties[1:])
    first = a.domains[0]
    rows = (dataclasses.replace(first.rows[0], note=note), *first.rows[1:])
    a = dataclasses.replace(a, meta=dataclasses.replace(a.meta, client=client), parties=parties,
                            domains=(dataclasses.replace(first, rows=rows), *a.domains[1:]))
    data = word_appendix(a)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            ET.fromstring(zf.read(name))  # every part is well-formed XML
    doc = _part(data)
    fields = {_cell_texts(tr)[0]: _raw_cells(tr)[1] for tr in next(doc.iter(W + "tbl")).findall(W + "tr")}
    assert fields["Client"] == clean(client)
    table = _matrix_table(doc)
    assert _raw_cells(table.findall(W + "tr")[2])[2] == clean(party)
    assert _raw_cells(table.findall(W + "tr")[4])[-2] == clean(note)
    assert _text(_part(data, "word/header1.xml")).startswith(clean(client) + " — ")


def test_clean_drops_what_xml_cannot_hold_and_keeps_tabs_and_line_breaks():
    assert clean("a\x00b\x1fc\ud800\ufffe\tx\r\ny\rz") == "abc\tx\ny\nz"


@pytest.mark.parametrize("text", ["=1+2", "<b>&amp;</b>", "  two  spaces  ", "tab\there", "\u200bzero width"])
def test_awkward_text_reads_back_exactly(text):
    a = _acme_appendix()
    a = dataclasses.replace(a, meta=dataclasses.replace(a.meta, client=text))
    fields = {_cell_texts(tr)[0]: _raw_cells(tr)[1] for tr in next(_part(word_appendix(a)).iter(W + "tbl")).findall(W + "tr")}
    assert fields["Client"] == text


@pytest.mark.parametrize("count", [1, 3, 6, 9, 12])
@pytest.mark.parametrize("audience", ["client", "internal"])
def test_the_matrix_fits_between_the_margins_with_up_to_a_dozen_parties(count, audience):
    from raci.word.matrix import column_widths

    a = _acme_appendix()
    parties = tuple(dataclasses.replace(a.parties[0], id=f"p{i}", label=f"Party {i}") for i in range(count))
    widths, party = column_widths(dataclasses.replace(a, parties=parties, audience=audience))
    assert sum(widths) <= 14400 and party >= 560  # "A/R" in 9 pt bold, and the cell margins
    assert len(widths) == 2 + count + 2 + (audience == "internal")
    assert widths[1] > party  # the activity column stays the widest of a row's text columns but notes


def test_a_provider_without_a_name_signs_as_name_not_set():
    a = _acme_appendix()
    a = dataclasses.replace(a, signoff=dataclasses.replace(
        a.signoff, signatories=(a.signoff.signatories[0], dataclasses.replace(a.signoff.signatories[1], entity=""))))
    block = list(_part(word_appendix(a)).iter(W + "tbl"))[-1]
    assert _cell_texts(block.find(W + "tr"))[-1] == "For the provider: (name not set)"


def test_the_word_appendix_lists_the_providers_work_outside_the_fee(run, tmp_path):
    out = tmp_path / "harbor.docx"
    assert run("render", ROOT / "samples" / "harbor-dental-fully-managed.raci.yaml", "--docx", out).exit_code == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "Commercial status" in xml
    assert "The provider's work in this matrix is in the recurring fee, except:" in xml
    assert "quoted and billed as a project, outside the recurring fee" in xml
    assert "Windows set by" not in xml  # the preset behind each window is the provider's own note
