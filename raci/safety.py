"""Guards against hostile or broken documents, applied before any parser sees the bytes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from raci.errors import DocumentError, Problem
from raci.limits import MAX_XML_ELEMENTS

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode Text" export: UTF-16, so full of NUL bytes
# A 150-row contract is about 100 KB of XML; these bounds leave room for big workbooks with pictures
# while keeping a decompression bomb from filling memory.
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XML_UNCOMPRESSED = 60 * 1024 * 1024
MAX_RATIO = 200  # real xlsx parts compress 5-30x; bombs compress 1000x and more
RATIO_MIN_SIZE = 1024 * 1024  # tiny parts may have any ratio
MAX_ENTRIES = 5000
MAX_CSV_BYTES = 20 * 1024 * 1024  # a text document (csv, Markdown, HTML...): 500,000 cells of 40 characters
_DTD_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SNIFF = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"{\\rtf": "an RTF document",
}


def _fail(path: str | Path, message: str) -> DocumentError:
    return DocumentError(Problem(str(path), message))


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


KINDS = ("xlsx", "docx", "pdf", "csv", "markdown", "html", "asciidoc", "oscal")
_UNREAD = {".pptx": "a PowerPoint presentation", ".ppt": "a PowerPoint presentation", ".odt": "an OpenDocument text",
           ".ods": "an OpenDocument spreadsheet", ".odp": "an OpenDocument presentation", ".rtf": "an RTF document",
           ".pages": "an Apple Pages document", ".numbers": "an Apple Numbers spreadsheet", ".key": "an Apple Keynote file",
           ".msg": "an Outlook message", ".eml": "an e-mail message", ".zip": "a zip archive"}
_SUPPORTED = "xlsx, xlsm, csv, docx, pdf, md, html, adoc, or an OSCAL SSP or component definition in JSON or YAML"


def inspect(path: str | Path) -> str:
    """The kind of document (one of KINDS), chosen by content, after the safety checks; DocumentError otherwise."""
    import os

    from raci.inputs import not_regular, os_error_text

    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise _fail(p, "file not found" if not os.path.lexists(p) else os_error_text(exc)) from None
    if os.path.isdir(p):
        raise _fail(p, "is a folder, not a document")
    why = not_regular(st.st_mode)
    if why is not None:  # a FIFO would block the reader forever, a device never ends
        raise _fail(p, why)
    size = st.st_size
    try:
        with p.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise _fail(p, f"cannot be read: {exc.strerror or exc}") from None
    if size == 0 or not head.strip():
        raise _fail(p, "the file is empty")
    if head.startswith(OLE_MAGIC):
        raise _fail(p, _ole_reason(p))
    if head.startswith((ZIP_MAGIC, b"PK\x05\x06")):
        return check_zip(p)
    if head.startswith(b"%PDF"):
        return "pdf"
    for magic, what in _SNIFF.items():
        if head.startswith(magic):
            raise _fail(p, f"not a document raci reads: the file is {what} (raci reads {_SUPPORTED})")
    if p.suffix.lower() in _UNREAD:
        raise _fail(p, f"a {p.suffix.lower()} file is not a document raci reads ({_UNREAD[p.suffix.lower()]}); save it as "
                       "xlsx, docx, pdf or csv")
    if b"\x00" in head and not head.startswith(UTF16_BOMS):
        raise _fail(p, f"not a document raci reads: the file holds binary data (raci reads {_SUPPORTED})")
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm", ".docx", ".docm"):
        what = "Word document" if p.suffix.lower().startswith(".doc") else "workbook"
        raise _fail(p, f"not a {what}: a {p.suffix} file must be a zip package, but this one is text")
    if size > MAX_CSV_BYTES:
        raise _fail(p, f"the file is {_mb(size)}, more than the {_mb(MAX_CSV_BYTES)} a responsibility matrix can need")
    return _text_kind(p, head)


def _text_kind(p: Path, head: bytes) -> str:
    """Which text format a file is, by what it holds first and by its name second."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    low = text[:4096].lower()
    suffix = p.suffix.lower()
    if low.startswith(("{", "[")) and ('"system-security-plan"' in low or '"component-definition"' in low):
        return "oscal"
    if suffix in (".yaml", ".yml") and re.search(r"^(system-security-plan|component-definition)\s*:", text, re.M):
        return "oscal"
    # a name that says the format decides; content decides for the rest
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".adoc", ".asciidoc", ".asc"):
        return "asciidoc"
    if suffix in (".md", ".markdown", ".mdown", ".mkd"):
        return "markdown"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if low.startswith(("<!doctype html", "<html")) or low.startswith("<") and "<table" in low:
        return "html"
    if re.search(r"^\|===\s*$", text, re.M):
        return "asciidoc"
    if re.search(r"^\s*\|?\s*:?-{3,}:?\s*\|", text, re.M):
        return "markdown"
    return "csv"


def _ole_reason(p: Path) -> str:
    # An encrypted OOXML workbook is an OLE compound file holding "EncryptedPackage"; anything else in an
    # OLE container is a legacy binary format (.xls, .doc).
    with p.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    word = p.suffix.lower() in (".docx", ".docm", ".doc")
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        if word:
            return "password-protected (encrypted) Word document: remove the password in Word (File > Info > Protect Document) and save again"
        return "password-protected (encrypted) workbook: remove the password in Excel (File > Info > Protect Workbook) and save again"
    if "WordDocument".encode("utf-16-le") in data:
        return "legacy Word 97-2003 (.doc) document: open it in Word and save it as .docx"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "legacy Excel 97-2003 (.xls) workbook: open it in Excel and save it as .xlsx"
    return "not a document raci reads: an OLE compound document (legacy Office format); save it as .xlsx, .docx or .csv"


def check_zip(path: str | Path) -> str:
    """The kind of an Office package ("xlsx" or "docx") after refusing one that is damaged, of another kind, too
    large once inflated, or carries XML DTDs."""
    p = Path(path)
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise _fail(p, f"the package holds {len(infos):,} parts, more than the {MAX_ENTRIES:,} a workbook can need")
            names = {i.filename for i in infos}
            if "xl/workbook.xml" in names:
                kind = "xlsx"
            elif "word/document.xml" in names:
                kind = "docx"
            elif "ppt/presentation.xml" in names:
                raise _fail(p, "a .pptx is not a document raci reads (a PowerPoint presentation); save the table as xlsx or docx")
            elif "mimetype" in names and "content.xml" in names:
                raise _fail(p, "an OpenDocument file is not a document raci reads; save it as xlsx or docx")
            else:
                raise _fail(p, "not a document raci reads: a zip archive that is neither a workbook nor a Word document")
            total = xml_total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise _fail(p, f"part {info.filename} is encrypted; remove the password and save again")
                total += info.file_size
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    xml_total += info.file_size
                if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    ratio = info.file_size / max(info.compress_size, 1)
                    raise _fail(p, f"part {info.filename} inflates {ratio:,.0f} times to {_mb(info.file_size)} "
                                   f"(a decompression bomb?); refusing to open it")
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise _fail(p, f"the workbook inflates to {_mb(total)}, more than the {_mb(MAX_TOTAL_UNCOMPRESSED)} limit")
            if xml_total > MAX_XML_UNCOMPRESSED:
                raise _fail(p, f"the workbook's sheets inflate to {_mb(xml_total)} of XML, more than the "
                               f"{_mb(MAX_XML_UNCOMPRESSED)} limit")
            elements = 0
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    # every XML part is read to its end: its DTD, its size in elements, and its checksum
                    elements += _scan_part(p, zf, info, count=kind == "xlsx")
                    if elements > MAX_XML_ELEMENTS:
                        raise _fail(p, f"the workbook's sheets hold more than {MAX_XML_ELEMENTS:,} rows, cells and shared "
                                       f"strings; raci reads at most {MAX_XML_ELEMENTS:,}")
            return kind
    except DocumentError:
        raise
    except Exception as exc:  # zlib.error, BadZipFile, a bad CRC, EOFError...: any of them means a damaged package
        what = "Word document" if p.suffix.lower() in (".docx", ".docm") else "workbook"
        raise _fail(p, f"damaged or truncated {what} (the zip package cannot be read: {_why(exc)})") from None


def _why(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


# a row, a cell or a shared string (with or without a namespace prefix): what a sheet parser holds in memory
_ELEMENT_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row|si)[\s/>]")


def _scan_part(p: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, count: bool) -> int:
    """Read one XML part to its end in chunks: refuse a DTD in its prolog; return how many rows, cells and shared
    strings it holds (when ``count``). Reading to the end also checks the part's CRC."""
    n = 0
    tail = b""
    first = True
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if first:
                first = False
                _check_prolog(p, info, chunk[:65536])
            if not chunk:
                break
            if not count:
                continue
            buf = tail + chunk
            cut = buf.rfind(b"<")  # an element's name never spans the cut: it starts at a '<'
            cut = len(buf) if cut < 0 else cut
            n += len(_ELEMENT_RE.findall(buf, 0, cut))
            tail = buf[cut:]
            if len(tail) > 4096:  # a '<' with kilobytes after it is text, not a tag being cut
                n += len(_ELEMENT_RE.findall(tail))
                tail = b""
    return n + len(_ELEMENT_RE.findall(tail))


def _check_prolog(p: Path, info: zipfile.ZipInfo, head: bytes) -> None:
    # A DTD (and so an entity) may only appear before the root element: the first 64 KB is enough.
    root = re.search(rb"<[A-Za-z_]", head)
    prolog = head if root is None else head[: root.start()]
    if _DTD_RE.search(prolog):
        raise _fail(p, f"part {info.filename} declares a DTD or XML entities (an entity-expansion attack?); refusing to open it")
