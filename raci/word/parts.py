"""The package around the body: content types, relationships, styles, settings, page header and footer, and the
core and app properties, zipped into a .docx with fixed timestamps so that the same appendix gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from raci.appendix.model import DRAFT_MARK, Appendix
from raci.word.document import DRAFT_COLOUR, NAMESPACES, document_xml
from raci.word.matrix import TEXT_WIDTH
from raci.word.ooxml import BODY_SIZE, clean, field, para, run

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FONT = "Calibri"
HEADER_SIZE = 17
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # every part's timestamp: rendering again gives the same bytes
_W = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_W}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_W}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_W}.settings+xml"/>'
    f'<Override PartName="/word/header1.xml" ContentType="{_W}.header+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_W}.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '</Types>')

PACKAGE_RELS = (
    XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    '</Relationships>')

DOCUMENT_RELS = (
    XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdHeader" Type="{_REL}/header" Target="header1.xml"/>'
    f'<Relationship Id="rIdFooter" Type="{_REL}/footer" Target="footer1.xml"/>'
    '</Relationships>')

SETTINGS = (
    XML + f'<w:settings {NAMESPACES}><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat></w:settings>')


def _style(style_id: str, name: str, *, size: int, bold: bool = False, colour: str = "", before: int = 0,
           after: int = 80, keep_next: bool = False, extra_ppr: str = "") -> str:
    rpr = (("<w:b/><w:bCs/>" if bold else "") + (f'<w:color w:val="{colour}"/>' if colour else "")
           + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    # in the schema's order: keepNext, keepLines, spacing, then the indentation ``extra_ppr`` holds
    ppr = (("<w:keepNext/><w:keepLines/>" if keep_next else "") + f'<w:spacing w:before="{before}" w:after="{after}"/>'
           + extra_ppr)
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
            f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>")


def styles_xml() -> str:
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    defaults = (f"<w:docDefaults><w:rPrDefault><w:rPr>{fonts}"
                f'<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>'
                '<w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
                "</w:docDefaults>")
    normal = ('<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
              f'<w:rPr><w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/></w:rPr></w:style>')
    table_normal = ('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
                    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
                    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
                    "</w:tblCellMar></w:tblPr></w:style>")
    bullet = '<w:ind w:left="360" w:hanging="240"/>'
    styles = [
        normal, table_normal,
        _style("Title", "Title", size=32, bold=True, colour="1F3864", after=120),
        _style("Heading1", "heading 1", size=26, bold=True, colour="1F3864", before=240, after=100, keep_next=True),
        _style("Heading2", "heading 2", size=22, bold=True, colour="1F3864", before=160, after=60, keep_next=True),
        _style("ListBullet", "List Bullet", size=BODY_SIZE, after=40, extra_ppr=bullet),
        _style("Header", "header", size=HEADER_SIZE, after=0),
        _style("Footer", "footer", size=HEADER_SIZE, after=0),
    ]
    return XML + f"<w:styles {NAMESPACES}>{defaults}{''.join(styles)}</w:styles>"


def header_xml(a: Appendix) -> str:
    """Client and document title on the left, version and effective date on the right; DRAFT in red while it is."""
    m = a.meta
    left = [run(m.client, bold=True, size=HEADER_SIZE), run(" — " + m.title.split(": ", 1)[0], size=HEADER_SIZE)]
    centre = [run("\t")]
    if a.draft:
        centre.append(run(f"{DRAFT_MARK}: not for signature", bold=True, size=HEADER_SIZE, colour=DRAFT_COLOUR))
    right = [run("\t"), run(f"Version {m.version} · Effective {m.effective or 'date not set'}", size=HEADER_SIZE)]
    border = ('<w:pPr><w:pStyle w:val="Header"/><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" '
              'w:color="A6A6A6"/></w:pBdr><w:tabs><w:tab w:val="center" w:pos="7200"/>'
              f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs></w:pPr>')
    return XML + f"<w:hdr {NAMESPACES}><w:p>{border}{''.join(left + centre + right)}</w:p></w:hdr>"


def footer_xml(a: Appendix) -> str:
    """The appendix's provenance on the left (raci version, engagement file name), "Page x of y" on the right."""
    p = a.provenance
    runs = [run(f"{a.meta.title}, version {a.meta.version}. Generated by raci {p.tool_version} from {p.engagement}",
                size=HEADER_SIZE, colour="595959"),
            run("\t"), run("Page ", size=HEADER_SIZE), field("PAGE", "1", size=HEADER_SIZE),
            run(" of ", size=HEADER_SIZE), field("NUMPAGES", "1", size=HEADER_SIZE)]
    body = para(*runs, style="Footer", tabs=[("right", TEXT_WIDTH)])
    return XML + f"<w:ftr {NAMESPACES}>{body}</w:ftr>"


def core_xml(a: Appendix) -> str:
    """Title, subject and provenance: the raci version and the engagement's file name, never a folder."""
    p = a.provenance
    return (XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(clean(a.meta.heading))}</dc:title>"
            f"<dc:subject>{escape(clean('Appendix to the statement of work: ' + a.meta.client))}</dc:subject>"
            f"<dc:creator>raci {escape(p.tool_version)}</dc:creator>"
            f"<dc:description>{escape(clean(f'Generated by raci {p.tool_version} from {p.engagement}'))}</dc:description>"
            f"<cp:keywords>{escape(clean(p.engagement))}</cp:keywords>"
            f"<cp:version>{escape(clean(a.meta.version))}</cp:version>"
            f"<cp:contentStatus>{'Draft' if a.draft else 'For signature'}</cp:contentStatus>"
            "</cp:coreProperties>")


def app_xml(a: Appendix) -> str:
    return (XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>raci {escape(a.provenance.tool_version)}</Application>"
            f"<Company>{escape(clean(a.meta.provider))}</Company></Properties>")


def docx_bytes(a: Appendix) -> bytes:
    """The whole .docx of the appendix."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": core_xml(a),
        "docProps/app.xml": app_xml(a),
        "word/document.xml": document_xml(a),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles_xml(),
        "word/settings.xml": SETTINGS,
        "word/header1.xml": header_xml(a),
        "word/footer1.xml": footer_xml(a),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
