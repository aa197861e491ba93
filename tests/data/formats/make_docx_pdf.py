"""Write the Word and PDF fixtures of this folder (the files named ``docx-*`` and ``pdf-*``).

Run from anywhere: ``python tests/data/formats/make_docx_pdf.py``. Nothing but the standard library is used: the
Word parts are written by hand into a zip with fixed timestamps, and the PDFs by a small PDF writer below (a
ruled table is drawn with lines, its text with Helvetica, which every reader knows without embedding). The
output is deterministic, so the files in git are exactly what this script writes; tests/test_formats_docx.py
and tests/test_formats_pdf.py check that. All wording is invented.

Fixtures:

- docx-sow.docx: a statement of work whose RACI table has headings and a caption above it, a group header
  over two party columns (w:gridSpan), a domain column merged down (w:vMerge), a full-width section row,
  "R,A" and "C,I" cells and blanks holding only a non-breaking space, a table nested in a cell, and a second
  table (inside a content control) continuing the first.
- docx-bomb.docx: word/document.xml inflates from a few KB to 20 MB (a decompression bomb).
- docx-entities.docx: word/document.xml declares XML entities (billion laughs).
- pdf-crm.pdf: a ruled table with bullet lists in cells and a section row merged over every column,
  continued on page 2 under its repeated header.
- pdf-encrypted.pdf: RC4-encrypted with an empty user password (any viewer opens it without asking).
- pdf-10000-pages.pdf: a page tree that declares 10,000 pages.
- pdf-scan.pdf: one page holding only an image (a scan without a text layer).
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
NBSP = "\u00a0"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --------------------------------------------------------------------------- Word


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)

# Style ids as a German Word writes them ("berschrift1" for "heading 1"): the reader goes by the style's name.
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{W}">'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/><w:basedOn w:val="Standard"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/>'
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Standard"/>'
    '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Beschriftung"><w:name w:val="caption"/><w:basedOn w:val="Standard"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Tabelleninhalt"><w:name w:val="Table Contents"/><w:basedOn w:val="Standard"/>'
    '</w:style>'
    '<w:style w:type="character" w:styleId="Fett"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>'
    "</w:styles>"
)


def run(text: str, bold: bool = False, rstyle: str | None = None) -> str:
    props = (f'<w:rStyle w:val="{rstyle}"/>' if rstyle else "") + ("<w:b/>" if bold else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, style: str | None = None) -> str:
    """A paragraph of runs; a plain string is one run of that text."""
    body = "".join(r if r.startswith("<") else run(r) for r in runs)
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{body}</w:p>"


def cell(*blocks: str, span: int = 1, vmerge: str | None = None) -> str:
    """A table cell: paragraphs (plain strings become one paragraph each) and nested tables."""
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + \
        ({"restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}[vmerge] if vmerge else "")
    body = "".join(b if b.startswith("<") else para(b) for b in blocks) or "<w:p/>"
    tcpr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    return f"<w:tc>{tcpr}{body}</w:tc>"


def row(*cells: str) -> str:
    return "<w:tr>" + "".join(c if c.startswith(("<w:tc", "<w:sdt")) else cell(c) for c in cells) + "</w:tr>"


def table(*rows: str, cols: int) -> str:
    grid = "".join('<w:gridCol w:w="1800"/>' for _ in range(cols))
    return f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'


def document(*blocks: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W}" xmlns:r="{R_NS}"><w:body>{"".join(blocks)}'
            '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')


def docx_bytes(document_xml: str | bytes, styles: str | None = STYLES, extra: dict[str, bytes] | None = None) -> bytes:
    """A Word package holding these parts, with fixed timestamps so the bytes never change."""
    import io

    parts: dict[str, bytes] = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": PACKAGE_RELS.encode(),
        "word/document.xml": document_xml if isinstance(document_xml, bytes) else document_xml.encode("utf-8"),
    }
    if styles is not None:
        parts["word/_rels/document.xml.rels"] = DOCUMENT_RELS.encode()
        parts["word/styles.xml"] = styles.encode("utf-8")
    parts.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def footnote_ref(n: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{n}"/></w:r>'


def sow_document() -> str:
    """The statement of work of docx-sow.docx (see the module's docstring); table rows are numbered on the right."""
    nested = table(
        row("Severity", "Response"),
        row("P1", "15 minutes"),
        row("P2", "1 hour"),
        cols=2)
    first = table(
        row(cell("Domain", vmerge="restart"), cell("Activity", vmerge="restart"),                       # 1
            cell("Acme IT", vmerge="restart"), cell("Contoso", span=2)),
        row(cell(vmerge="continue"), cell(vmerge="continue"), cell(vmerge="continue"),                  # 2
            cell("NOC"), cell("Service desk")),
        row(cell("Service desk", vmerge="restart"), "Password resets and account unlocks", "I", "C", "R,A"),  # 3
        row(cell(vmerge="continue"),                                                                    # 4
            cell(para("Tier 1", '<w:r><w:tab/></w:r>', "support", footnote_ref(1))), "C,I", "I", "R,A"),
        row(cell(vmerge="continue"), cell("Incident escalation", "(response times below)", nested),     # 5
            "I", "R,A", "C"),
        row(cell(para(run("Security and network", bold=True)), span=5)),                               # 6
        row(cell("Security", vmerge="restart"), "Firewall administration", "A", "R,A", NBSP),          # 7
        row(cell(vmerge="continue"), "Endpoint detection and response", NBSP, "R,A", "I"),            # 8
        row(cell(vmerge="continue"), "Security awareness training", "R,A", NBSP, "C,I"),              # 9
        cols=5)
    # the continuation sits in a content control, as a template's repeating section does
    second = ('<w:sdt><w:sdtPr><w:alias w:val="Matrix continued"/></w:sdtPr><w:sdtContent>' + table(
        row("Domain", "Activity", "Acme IT", "NOC", "Service desk"),                                  # 1
        row(cell("Backup", vmerge="restart"), "Backup job monitoring", "I", "R,A", "I"),               # 2
        row(cell(vmerge="continue"), "Restore testing", "R", "C", NBSP),                               # 3
        row(cell(vmerge="continue"), cell("Disaster recovery", "plan"), "R,A", "C", "I"),              # 4
        cols=5) + "</w:sdtContent></w:sdt>")
    return document(
        para("Statement of Work - Managed IT Services", style="Titel"),
        para("Prepared for Acme Manufacturing by Contoso, March 2026."),
        para("Schedule B - Roles and responsibilities", style="berschrift1"),
        para("The table below says who does what. Blank cells mean the party has no role."),
        para("Table 1: Responsibility matrix", style="Beschriftung"),
        first,
        para("Response times are measured from the ticket's creation."),
        para("Backup and recovery", style="berschrift2"),
        para("The matrix continues with the backup services."),
        para(run("Table 1 (continued)", rstyle="Fett")),
        second,
        para("End of Schedule B."),
    )


def write_sow(path: Path) -> Path:
    path.write_bytes(docx_bytes(sow_document()))
    return path


def write_bomb(path: Path) -> Path:
    """A Word document whose document.xml inflates 1,000 times to 20 MB: spaces inside the body."""
    doc = sow_document().encode("utf-8")
    cut = doc.index(b"<w:body>") + len(b"<w:body>")
    padded = doc[:cut] + b" " * (20 * 1024 * 1024) + doc[cut:]
    path.write_bytes(docx_bytes(padded))
    return path


BILLION_LAUGHS = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')


def write_entities(path: Path) -> Path:
    doc = sow_document()
    body = doc.split("?>", 1)[1].replace("Password resets and account unlocks", "&lol3;", 1)
    path.write_bytes(docx_bytes(BILLION_LAUGHS + body))
    return path


# --------------------------------------------------------------------------- PDF


class PdfWriter:
    """Just enough of PDF 1.4 for a few pages of lines, Helvetica text and an image: objects, xref, trailer."""

    def __init__(self) -> None:
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def add(self, body: bytes, num: int | None = None) -> int:
        if num is None:
            num = self.reserve()
        self.objects[num - 1] = body
        return num

    def stream(self, data: bytes, extra: bytes = b"", num: int | None = None) -> int:
        return self.add(b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream", num)

    def build(self, root: int, trailer: bytes = b"") -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(self.objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % i + (body or b"null") + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(self.objects) + 1, root, trailer, xref)
        return bytes(out)


# Helvetica in WinAnsi, with code 127 drawing the small black square Word uses for first-level bullets
FONT = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/BaseEncoding /WinAnsiEncoding /Differences [127 /uni25AA] >> >>")
BULLET = "\u25aa"


def _pdf_text(text: str) -> bytes:
    raw = text.replace(BULLET, "\x7f").encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _text(x: float, y: float, text: str, size: float = 9) -> bytes:
    return b"BT /F1 %g Tf %g %g Td (%s) Tj ET\n" % (size, x, y, _pdf_text(text))


LINE = 11  # points between lines of text in a cell


def ruled_table(x0: float, top: float, widths: list[float], rows: list[list]) -> bytes:
    """Content drawing a table with every border ruled. A cell is text, or (text, columns) for a cell merged over
    several columns; its lines are separated by newlines. A line starting with a bullet glyph (or "o " for the
    second level) is drawn as Word draws a list: the glyph, then the text at an indent."""
    ops = bytearray(b"0.5 w 0 G\n")
    cells_of = [[c if isinstance(c, tuple) else (c, 1) for c in r] for r in rows]
    heights = [LINE * max(len(text.split("\n")) for text, _span in r) + 8 for r in cells_of]
    right = x0 + sum(widths)
    y = top
    ops += b"%g %g m %g %g l S\n" % (x0, y, right, y)
    for r, cells in enumerate(cells_of):
        x, c = x0, 0
        bottom = y - heights[r]
        ops += b"%g %g m %g %g l S\n" % (x0, y, x0, bottom)
        for text, span in cells:
            for i, line in enumerate(text.split("\n")):
                base = y - 4 - LINE * (i + 1) + 2
                if line.startswith((BULLET + " ", "o ")):
                    glyph, rest = line.split(" ", 1)
                    indent = 4 if glyph == BULLET else 12
                    ops += _text(x + indent, base, glyph) + _text(x + indent + 9, base, rest)
                elif line:
                    ops += _text(x + 4, base, line)
            x += sum(widths[c: c + span])
            c += span
            ops += b"%g %g m %g %g l S\n" % (x, y, x, bottom)  # the cell's right border
        y = bottom
        ops += b"%g %g m %g %g l S\n" % (x0, y, right, y)
    return bytes(ops)


def pdf_bytes(pages: list[bytes], count: int | None = None, resources: bytes | None = None, objects=None) -> bytes:
    """A PDF of these page contents (A4, portrait); ``count`` overrides the page tree's declared count."""
    pdf = PdfWriter()
    catalog, tree, font = pdf.reserve(), pdf.reserve(), pdf.reserve()
    pdf.add(FONT, font)
    extra = objects(pdf) if objects else b""
    kids = []
    for content in pages:
        c = pdf.stream(content)
        res = resources or b"<< /Font << /F1 %d 0 R >> %s>>" % (font, extra)
        kids.append(pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
                            % (tree, res, c)))
    pdf.add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids),
                                                           len(pages) if count is None else count), tree)
    pdf.add(b"<< /Type /Catalog /Pages %d 0 R >>" % tree, catalog)
    return pdf.build(catalog)


CRM_WIDTHS = [190, 70, 70, 160]
CRM_HEADER = ["Activity", "Customer", "Provider", "Notes"]


def crm_pages() -> list[bytes]:
    """The two pages of pdf-crm.pdf; table rows are numbered on the right (page 1, then page 2)."""
    b = BULLET
    first = [
        CRM_HEADER,                                                                                    # 1
        ["Server patching", "I", "A/R", f"Monthly window\n{b} Windows\n{b} Linux"],                    # 2
        ["Endpoint protection", "C", "A/R", ""],                                                       # 3
        [f"Backup job monitoring\n{b} File servers\no Nightly\no Weekly full\n{b} Databases", "I", "A/R", ""],  # 4
        ["Restore testing", "A", "R", "Quarterly"],                                                    # 5
        [("Network and security", 4)],                                                                 # 6
        ["Firewall administration", "A", "A/R", ""],                                                   # 7
    ]
    second = [
        CRM_HEADER,                                                                                    # 1
        ["Security awareness training", "A/R", "C", ""],                                               # 2
        ["User onboarding (joiners)", "R", "C", f"{b} HR request first"],                              # 3
        ["IT budget approval", "A/R", "I", ""],                                                        # 4
    ]
    title = _text(50, 800, "Customer Responsibility Matrix", 14) + _text(50, 784, "Exhibit C to the Managed Services Agreement")
    return [title + ruled_table(50, 760, CRM_WIDTHS, first),
            _text(50, 800, "Customer Responsibility Matrix (continued)", 11) + ruled_table(50, 780, CRM_WIDTHS, second)]


def write_crm(path: Path) -> Path:
    path.write_bytes(pdf_bytes(crm_pages()))
    return path


def write_pages(path: Path) -> Path:
    """One real page; the page tree declares 10,000."""
    path.write_bytes(pdf_bytes([_text(50, 800, "Page 1 of 10,000")], count=10_000))
    return path


def write_scan(path: Path) -> Path:
    """A page that only paints an image, as a scanner writes it: no text objects at all."""
    pixels = bytes((x * 37 + y * 11) % 256 for y in range(16) for x in range(16))

    def image(pdf: PdfWriter) -> bytes:
        num = pdf.stream(pixels, b"/Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                                 b"/BitsPerComponent 8 ")
        return b"/XObject << /Im1 %d 0 R >> " % num

    path.write_bytes(pdf_bytes([b"q 495 0 0 742 50 50 cm /Im1 Do Q\n"], objects=image))
    return path


# RC4 encryption, standard security handler revision 2 (40-bit keys), as PDF 1.4 writers use
_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def write_encrypted(path: Path, user_password: bytes = b"") -> Path:
    """The first page of the CRM, RC4-encrypted with owner password "owner" and this user password (none: any
    viewer opens the file without asking)."""
    doc_id = hashlib.md5(b"raci encrypted fixture").digest()
    permissions = -44
    padded = (user_password + _PAD)[:32]
    owner = _rc4(hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5], padded)
    key = hashlib.md5(padded + owner + permissions.to_bytes(4, "little", signed=True) + doc_id).digest()[:5]
    user = _rc4(key, _PAD)

    def seal(num: int, data: bytes) -> bytes:
        return _rc4(hashlib.md5(key + num.to_bytes(3, "little") + b"\x00\x00").digest()[:10], data)

    pdf = PdfWriter()
    catalog, tree, font = pdf.reserve(), pdf.reserve(), pdf.reserve()
    pdf.add(FONT, font)
    content = pdf.reserve()
    pdf.stream(seal(content, crm_pages()[0]), num=content)
    page = pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                   b"/Contents %d 0 R >>" % (tree, font, content))
    pdf.add(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page, tree)
    pdf.add(b"<< /Type /Catalog /Pages %d 0 R >>" % tree, catalog)
    encrypt = pdf.add(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /O <%s> /U <%s> /P %d >>"
                      % (owner.hex().encode(), user.hex().encode(), permissions))
    path.write_bytes(pdf.build(catalog, b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (encrypt, doc_id.hex().encode(), doc_id.hex().encode())))
    return path


# --------------------------------------------------------------------------- all


FIXTURES = {
    "docx-sow.docx": write_sow,
    "docx-bomb.docx": write_bomb,
    "docx-entities.docx": write_entities,
    "pdf-crm.pdf": write_crm,
    "pdf-encrypted.pdf": write_encrypted,
    "pdf-10000-pages.pdf": write_pages,
    "pdf-scan.pdf": write_scan,
}


def main(folder: Path = HERE) -> list[Path]:
    return [write(folder / name) for name, write in FIXTURES.items()]


if __name__ == "__main__":
    for made in main():
        print(made)
