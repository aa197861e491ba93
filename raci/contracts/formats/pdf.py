"""PDF documents: every ruled table of every page as rows of one grid, read with pdfplumber.

Tables are found by their ruling lines (pdfplumber's "lines" strategy), page by page, and stacked in page
order: each row carries "page P, table T" and its number inside that table. A table continued on the next page
under a repeated header is simply stacked; the layout stage skips the repeated header. The lines of a cell are
joined with a space, so a bullet list in a cell stays one cell, glyphs and all. A cell merged over several
columns or rows is recorded as the workbook reader records merged cells.

Nothing in the PDF is run: pdfplumber reads text and drawing operators only, never JavaScript, forms, or
embedded files. Encrypted PDFs, PDFs of more than ``MAX_PAGES`` pages (also when only declared so), PDFs
without a text layer (scans) and streams that inflate beyond ``MAX_STREAM`` are refused with one line; so is a
PDF pdfminer cannot parse.
"""

from __future__ import annotations

import logging
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from raci.contracts.tables import MAX_COLS, MAX_ROWS, Sheet, _apply_merges, display, fail, reason
from raci.errors import DocumentError

MAX_PAGES = 500
TEXT_PAGES = 20  # pages read without finding a single character before the PDF is called a scan
MAX_EDGES = 20_000  # lines and rectangles on one page beyond which it is a drawing, not a table: no table is looked for
MAX_COUNTED = 1_000_000  # pages counted for the message about too many pages
TOLERANCE = 0.5  # points: a cell's edge this close to a column or row boundary ends on it
MB = 1024 * 1024
MAX_STREAM = 50 * MB  # one stream (a page's content) inflated; more is a decompression bomb
MAX_INFLATED = 500 * MB  # every stream read, together

ENCRYPTED = "encrypted PDF: remove the password and save it again"
SCANNED = "no text layer: run OCR first (the PDF is a scan)"


def read(path: str) -> list[Sheet]:
    """One grid holding every ruled table of the document, page by page (see the module's docstring)."""
    p = str(path)
    with _guarded(p):
        try:
            return [_read(p)]
        except DocumentError:
            raise
        except RecursionError:
            raise fail(p, "damaged PDF, cannot be read (objects nested too deeply)") from None
        except Exception as exc:  # pdfminer raises many kinds for damaged files; each is a bad document
            inner = _unwrap(exc)
            if isinstance(inner, DocumentError):
                raise inner from None  # a refusal raised from inside pdfminer (a decompression bomb)
            raise fail(p, f"damaged PDF, cannot be read ({_why(exc)})") from None


@contextmanager
def _guarded(path: str) -> Iterator[None]:
    """While a PDF is read: pdfminer's warnings kept quiet (it logs every oddity of a PDF; the report says what
    matters, in one line), and its zlib bounded, so that a stream cannot inflate without limit."""
    import pdfminer.pdftypes

    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    saved = pdfminer.pdftypes.zlib
    # pdfminer uses only zlib's decompress, decompressobj and error, which _Inflate has: it stands in for the module
    pdfminer.pdftypes.zlib = _Inflate(path)  # type: ignore[assignment]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        pdfminer.pdftypes.zlib = saved
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


class _Inflate:
    """The part of the zlib module pdfminer uses, refusing a stream that inflates beyond MAX_STREAM (and a
    document whose streams together inflate beyond MAX_INFLATED)."""

    error = zlib.error

    def __init__(self, path: str):
        self.path = path
        self.total = 0

    def decompress(self, data: bytes) -> bytes:
        # unlike zlib.decompress, a truncated stream gives what it holds; pdfminer would recover that much anyway
        return self.decompressobj().decompress(data)

    def decompressobj(self) -> _Bounded:
        return _Bounded(self)

    def spend(self, n: int, stream: int) -> None:
        self.total += n
        if stream > MAX_STREAM or self.total > MAX_INFLATED:
            limit, what = (MAX_STREAM, "a stream in the PDF inflates") if stream > MAX_STREAM else \
                (MAX_INFLATED, "the PDF's streams inflate")
            raise fail(self.path, f"{what} to more than {limit // MB} MB (a decompression bomb?); refusing to open it")


class _Bounded:
    def __init__(self, owner: _Inflate):
        self.owner = owner
        self.inflater = zlib.decompressobj()
        self.size = 0

    def decompress(self, data: bytes) -> bytes:
        room = min(MAX_STREAM - self.size, MAX_INFLATED - self.owner.total)
        out = self.inflater.decompress(data, max(0, room) + 1)  # output stops one byte past the limit
        self.size += len(out)
        self.owner.spend(len(out), self.size)
        return out


def _unwrap(exc: BaseException) -> BaseException:
    from pdfplumber.utils.exceptions import PdfminerException

    for _ in range(5):
        if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
            exc = exc.args[0]  # pdfplumber wraps what pdfminer raised
        else:
            break
    return exc


def _why(exc: BaseException) -> str:
    exc = _unwrap(exc)
    return reason(exc) if isinstance(exc, Exception) else type(exc).__name__


def _read(p: str) -> Sheet:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1
    from pdfplumber.page import Page
    from pdfplumber.utils.exceptions import PdfminerException

    sheet = Sheet(p, None, [], [], tables=[])
    merges: list[tuple[int, int, int, int]] = []
    with open(p, "rb") as fh:
        try:
            pdf = pdfplumber.PDF(fh, stream_is_external=True)
        except PdfminerException as exc:
            if exc.args and isinstance(exc.args[0], PDFEncryptionError):
                raise fail(p, ENCRYPTED) from None  # a user password, or a security handler pdfminer does not know
            raise
        doc = pdf.doc
        if doc.encryption is not None:
            raise fail(p, ENCRYPTED)  # even when it opens without asking (an empty user password)
        tree = resolve1(doc.catalog.get("Pages"))
        declared = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
        if isinstance(declared, int) and declared > MAX_PAGES:
            raise fail(p, _too_many(declared))
        # the page tree's own count may lie: walk it (cheap, no page is parsed) before reading any page
        found = []
        walk = PDFPage.create_pages(doc)
        for obj in walk:
            found.append(obj)
            if len(found) > MAX_PAGES:
                raise fail(p, _too_many(len(found) + sum(1 for _ in zip(range(MAX_COUNTED), walk))))
        if not found:
            raise fail(p, "the PDF has no pages")
        text = False
        doctop = 0.0
        for number, obj in enumerate(found, 1):
            page = Page(pdf, obj, page_number=number, initial_doctop=doctop)
            doctop += page.height
            objects = page.objects
            if objects.get("char"):
                text = True
            elif not text and number >= TEXT_PAGES:
                break
            edges = sum(len(objects.get(kind, ())) for kind in ("line", "rect", "curve"))
            if objects.get("char") and 0 < edges <= MAX_EDGES:
                for t, table in enumerate(page.find_tables(), 1):
                    _add_table(p, sheet, merges, table, f"page {number}, table {t}")
            page.close()
        if not text:
            raise fail(p, SCANNED)
    _apply_merges(p, "document", sheet, merges)
    return sheet


def _too_many(n: int) -> str:
    return f"the PDF has {n:,} pages, more than the {MAX_PAGES} a responsibility matrix can need"


def _add_table(p: str, sheet: Sheet, merges: list[tuple[int, int, int, int]], table, label: str) -> None:
    """Stack one table: its rows of cell text, its merged cells (1-based, in sheet rows), then an empty row."""
    labels = sheet.tables
    assert labels is not None, "_read makes the sheet with a label list"
    cells = table.cells
    xs = sorted({c[0] for c in cells})
    tops = sorted({c[1] for c in cells})
    texts = table.extract()  # rows by top, columns by left edge: the same order as tops and xs
    base = len(sheet.rows)
    if base + len(texts) > MAX_ROWS:
        raise fail(p, f"the PDF's tables hold more than {MAX_ROWS:,} rows: not a responsibility matrix this tool can audit")
    for n, values in enumerate(texts, 1):
        row = [display(v) for v in values[:MAX_COLS]]
        while row and not row[-1]:
            row.pop()
        sheet.rows.append(row)
        sheet.lines.append(n)
        labels.append(label)
    for x0, top, x1, bottom in cells:
        c1, r1 = xs.index(x0), tops.index(top)
        c2 = max(k for k, x in enumerate(xs) if x < x1 - TOLERANCE) if x1 - TOLERANCE > x0 else c1
        r2 = max(k for k, y in enumerate(tops) if y < bottom - TOLERANCE) if bottom - TOLERANCE > top else r1
        if c2 > c1 or r2 > r1:
            merges.append((base + r1 + 1, c1 + 1, base + r2 + 1, c2 + 1))
    sheet.rows.append([])
    sheet.lines.append(0)
    labels.append(label)
