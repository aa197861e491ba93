"""Reading responsibility matrices that nobody wrote with this tool: xlsx/xlsm/csv, any common layout."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from raci.errors import DocumentError, Problem
from raci.safety import UTF16_BOMS, inspect

MAX_ROWS = 50_000
MAX_COLS = 100
MAX_SHEETS = 100
HEADER_SCAN = 40  # rows searched for the header row below title blocks

# Letters that look like R/A/C/I in other scripts (seen in real matrices), and spaces Excel keeps.
_HOMOGLYPHS = str.maketrans({
    "\u0410": "A", "\u0430": "a", "\u0421": "C", "\u0441": "c", "\u0406": "I", "\u0456": "i", "\u0391": "A",
    "\u0399": "I", "\u03f9": "C", "\u00a0": " ", "\u2009": " ", "\u200b": "",
})
_WORD_LETTERS = {
    "RESPONSIBLE": "R", "RESP": "R", "ACCOUNTABLE": "A", "ACC": "A", "APPROVES": "A", "APPROVER": "A",
    "CONSULTED": "C", "CONSULT": "C", "INFORMED": "I", "INFORM": "I",
}
_NEUTRAL = {"", "-", "--", "\u2014", "\u2013", "NONE", "N", "NO", "0", "FALSE", ".", "\u2012"}
_NOT_APPLICABLE = {"N/A", "NA", "N.A.", "N/A.", "NOT APPLICABLE", "OUT OF SCOPE", "EXCLUDED", "NOT IN SCOPE", "OOS"}
# Ticks as typed, as pasted from Wingdings (u-umlaut), and as mojibake seen in published matrices.
_MARKS = {"X", "\u2713", "\u2714", "\u2611", "\u221a", "\u2705", "\u2022", "\u25cf", "\u25aa", "\u25a0", "\u25c6",
          "Y", "YES", "TRUE", "\u00dc", "\u03b2", "\u00e2\u0153\u201c", "\u2612", "\u2716", "\u2718"}
_SPLIT_RE = re.compile(r"[\s/,+&;|.]+|\bAND\b")

PROVIDER_WORDS = ("managed service provider", "service provider", "provider", "msp", "mssp", "vendor", "contractor",
                  "supplier", "csp", "tpsp", "esp", "outsourcer")
CLIENT_WORDS = ("customer", "client", "company", "csc", "entity", "internal it", "internal", "in-house", "inhouse",
                "agency", "organisation", "organization")
THIRD_WORDS = ("3rd-party", "3rd party", "third-party", "third party", "subcontractor", "sub-contractor")
SHARED_WORDS = ("shared", "both", "joint", "jointly", "co-managed", "all parties")

_LABEL_HEADERS = ("activity", "function", "task", "service", "process", "responsibility area", "area of responsibility",
                  "deliverable", "duty", "duties", "item", "control name", "control title", "title", "question",
                  "requirement", "name", "description", "control id", "control", "question id")
_DOMAIN_HEADERS = ("domain", "category", "section", "area", "tower", "group", "family", "service area", "phase")
_NOTE_HEADERS = ("notes", "note", "comments", "comment", "remarks", "how the work is split", "split")
_CLIENT_KIND = ("client", "customer", "internal", "in-house", "inhouse", "company", "csc", "entity", "agency", "county",
                "city", "state", "organisation", "organization", "business", "leadership", "executive", "management",
                "owner", "it department", "it team", "board", "cfo", "ceo", "cio", "staff", "employer", "user")
_MSP_KIND = ("msp", "mssp", "provider", "contractor", "supplier", "csp", "tpsp", "esp", "managed", "outsourc", "partner",
             "consultant", "noc", "soc")
_VENDOR_KIND = ("vendor", "isp", "3rd", "third", "saas", "oem", "carrier", "manufacturer", "reseller", "aws", "azure",
                "microsoft", "google")


# --------------------------------------------------------------------------- data model


@dataclass
class PartyColumn:
    """A party the document names: a column of a grid, or a slot of an owner-column vocabulary."""

    header: str
    id: str
    kind: str
    kind_guessed: bool = True
    column: int | None = None  # 1-based column in the sheet, None for owner-column parties


@dataclass
class ImportedRow:
    """One matrix row as written in the document, with the roles read from it (party id -> canonical role)."""

    file: str
    sheet: str | None
    row: int
    label: str
    domain: str | None
    roles: dict[str, str]
    cells: dict[str, str]  # party header -> text as written
    excluded: bool = False
    note: str = ""
    unclear: list[tuple[str, str]] = field(default_factory=list)  # (party header, cell text) not read as a role

    def source(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "label": self.label}

    def where(self) -> str:
        return place(self.file, self.sheet, self.row)


def place(file: str, sheet: str | None, row: int) -> str:
    """Where a row is, as a person looks for it: ``Sheet!12`` in a workbook, ``name.csv:12`` in a csv file."""
    return f"{sheet}!{row}" if sheet else f"{Path(file).name}:{row}"


@dataclass
class Document:
    """What the importer read from one file: the chosen sheet, its layout, parties and rows."""

    path: str
    sheet: str | None
    layout: str  # grid, marks, owner, caiq, fedramp
    header_row: int
    parties: list[PartyColumn]
    rows: list[ImportedRow]
    notes: list[str] = field(default_factory=list)
    title: str = ""

    def party(self, pid: str) -> PartyColumn:
        return next(p for p in self.parties if p.id == pid)


@dataclass
class RawSheet:
    name: str | None
    rows: list[list[str]]
    lines: list[int]  # the number a person sees for each row: Excel row, or csv line
    merged_right: set[tuple[int, int]] = field(default_factory=set)  # (row idx, col idx) covered by a horizontal merge
    # (Excel row of a one-row horizontal merge = index of the row under it, col idx) -> (merged text, first col idx, last col idx)
    merge_parent: dict[tuple[int, int], tuple[str, int, int]] = field(default_factory=dict)


# --------------------------------------------------------------------------- cell vocabularies


def norm_text(value: object) -> str:
    """Cell value as text the way a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return " ".join(str(value).translate(_HOMOGLYPHS).split())


def _key(text: str) -> str:
    return " ".join(text.translate(_HOMOGLYPHS).upper().split())


def parse_letters(text: str) -> set[str] | None:
    """R/A/C/I in any case and combination (A/R, RA, "R, A", "A R", A+R, full words); None if not letters."""
    key = _key(text)
    if not key:
        return None
    key = re.sub(r"\(.*?\)|\[.*?\]|\^\[?\d+\]?\^?|\*+", " ", key).strip()  # footnote markers, bracketed remarks
    letters: set[str] = set()
    for token in _SPLIT_RE.split(key):
        if not token:
            continue
        if token in _WORD_LETTERS:
            letters.add(_WORD_LETTERS[token])
        elif 1 <= len(token) <= 4 and all(ch in "RACI" for ch in token) and len(set(token)) == len(token):
            letters.update(token)
        else:
            return None
    return letters or None


def canonical(letters: set[str]) -> str:
    """The one canonical cell a set of letters becomes (A with R is A/R; R outranks C and I)."""
    if "A" in letters and "R" in letters:
        return "A/R"
    for letter in ("A", "R", "C", "I"):
        if letter in letters:
            return letter
    raise ValueError(letters)


def cell_kind(text: str) -> str:
    """Classify a party cell: letters, mark, shared, na, blank or text."""
    key = _key(text)
    if key in _NEUTRAL:
        return "blank"
    if key in _NOT_APPLICABLE:
        return "na"
    if key in _MARKS or key.rstrip(".!") in _MARKS:
        return "mark"
    if parse_letters(text) is not None:
        return "letters"
    low = key.lower()
    if any(low == w or low.startswith(w + " ") for w in SHARED_WORDS):
        return "shared"
    return "text"


def owner_slots(text: str, vocabulary: str = "owner") -> tuple[str, dict[str, str]] | None:
    """Read an owner-column cell: ("na", {}) for out of scope, or ("roles", {slot: role}); None if not owner words.

    Slots are provider, client and third. Shared wording gives R to each party and A to none, so the row
    draws the findings it deserves instead of being resolved by guesswork.
    """
    low = " ".join(text.translate(_HOMOGLYPHS).lower().replace("_", " ").split())
    if not low:
        return None
    if low.upper() in _NOT_APPLICABLE or low in ("nd", "not determined"):
        return ("na", {})
    if vocabulary == "fedramp":
        word = low.split()[0].strip(".,;:")
        if word in ("yes", "y", "inherited"):
            return ("roles", {"provider": "A/R"})
        if word in ("no", "n"):
            return ("roles", {"client": "A/R"})
        if word in ("partial", "partially", "shared"):
            return ("roles", {"provider": "R", "client": "R"})
        return None
    if vocabulary == "caiq":
        compact = low.replace("-", " ")
        if compact.startswith("csp owned"):
            return ("roles", {"provider": "A/R"})
        if compact.startswith("csc owned"):
            return ("roles", {"client": "A/R"})
        if compact.startswith(("3rd party outsourced", "third party outsourced")):
            return ("roles", {"provider": "A", "third": "R"})  # the CSP stays fully accountable to the customer
        if compact.startswith("shared csp and csc"):
            return ("roles", {"provider": "R", "client": "R"})
        if compact.startswith(("shared csp and 3rd party", "shared csp and third party")):
            return ("roles", {"provider": "R", "third": "R"})
    # generic owner words; a cell naming both sides is shared
    words = re.sub(r"[^a-z0-9&/ -]+", " ", low)
    words = re.sub(r"\b(owned|responsibility|responsible|only|side|team|'s)\b", " ", words)
    padded = f" {' '.join(words.replace('/', ' / ').split())} "
    has = {
        "provider": any(f" {w} " in padded or padded.startswith(f" {w}-") for w in PROVIDER_WORDS),
        "client": any(f" {w} " in padded for w in CLIENT_WORDS),
        "third": any(w in padded for w in THIRD_WORDS),
    }
    if has["third"]:
        has["provider"] = has["provider"] and "outsourced" not in padded
    shared = any(f" {w} " in padded for w in SHARED_WORDS)
    named = [slot for slot, yes in has.items() if yes]
    if shared and named in ([], ["provider"], ["client"]):
        named = ["provider", "client"]
    if shared or len(named) > 1:
        return ("roles", dict.fromkeys(named, "R"))
    if len(named) == 1:
        return ("roles", {named[0]: "A/R"})
    return None


def guess_kind(header: str) -> tuple[str, bool]:
    """The party kind a header suggests, and whether it was a guess from a known word (True) or a default."""
    low = header.lower()
    words = f" {re.sub(r'[^a-z0-9]+', ' ', low)} "
    if any(f" {w}" in words for w in _VENDOR_KIND if w not in ("aws", "azure", "microsoft", "google")) and \
            not any(f" {w}" in words for w in ("msp", "managed")):
        return "vendor", True
    if any(f" {w}" in words for w in _MSP_KIND):
        return "msp", True
    if any(f" {w}" in words for w in _CLIENT_KIND) or re.search(r"\bit\b", words):
        return "client", True
    if any(f" {w}" in words for w in _VENDOR_KIND):
        return "vendor", True
    return "vendor", False


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "party"


# --------------------------------------------------------------------------- reading files


def _fail(path: str | Path, message: str, where: str | None = None) -> DocumentError:
    return DocumentError(Problem(str(path), message, None, where))


def _decode(raw: bytes) -> str:
    """The text of a csv file: UTF-16 or UTF-8 (byte-order mark or not), else the Windows code page."""
    if raw.startswith(UTF16_BOMS):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's plain "CSV" export writes the Windows code page (and some tools add a UTF-8 mark anyway)
        return raw.decode("cp1252", errors="replace")


def read_csv(path: str | Path) -> RawSheet:
    text = _decode(Path(path).read_bytes())
    sample = text[:8192]  # the Sniffer is quadratic on quote-heavy text: a small sample keeps a hostile file fast
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=counts.__getitem__)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        start = 1
        for record in reader:
            if len(rows) >= MAX_ROWS:
                raise _fail(path, f"more than {MAX_ROWS:,} rows: not a responsibility matrix this tool can audit")
            rows.append([norm_text(c) for c in record[:MAX_COLS]])
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _fail(path, f"not readable as CSV: {exc} (line {reader.line_num})") from None
    return RawSheet(None, rows, lines)


def _sheet_merges(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[int, int, int, int]]:
    """Merged ranges (first row, first col, last row, last col) from the sheet XML, which read-only mode
    does not expose, streamed in chunks."""
    from openpyxl.utils.cell import range_boundaries

    rx = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
    tail = b""
    with archive.open(member) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            buf = tail + chunk
            last = 0
            for m in rx.finditer(buf):
                c1, r1, c2, r2 = range_boundaries(m.group(1).decode())
                yield r1, c1, r2, c2
                last = m.end()
            tail = buf[max(last, len(buf) - 200):]


def read_workbook(path: str | Path, sheet: str | None = None) -> tuple[list[RawSheet], list[str], bool]:
    """Every worksheet's values (or only ``sheet``), the sheet names, and whether the file carries macros.

    Read-only mode keeps memory bounded; macros are never loaded (keep_vba=False) and formulas give their
    cached values. openpyxl parses through defusedxml when it is installed, which this package requires.
    """
    import openpyxl

    p = str(path)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True, keep_vba=False, keep_links=False)
    except DocumentError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for damaged packages; each is a bad document
        raise _fail(p, f"damaged workbook, cannot be read ({_reason(exc)})") from None
    try:
        names = list(wb.sheetnames)
        has_macros = any(n.lower().endswith("vbaproject.bin") for n in wb._archive.namelist())
        if sheet is not None and sheet not in names:
            match = [n for n in names if n.lower() == sheet.lower()]
            if not match:
                raise _fail(p, f"no sheet named {sheet!r} (sheets: {', '.join(names)})")
            sheet = match[0]
        out = []
        for name in names[:MAX_SHEETS]:
            if sheet is not None and name != sheet:
                continue
            ws = wb[name]
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            out.append(_read_sheet(p, wb, ws, name))
        return out, names, has_macros
    except DocumentError:
        raise
    except Exception as exc:
        raise _fail(p, f"damaged workbook, cannot be read ({_reason(exc)})") from None
    finally:
        wb.close()


def _reason(exc: Exception) -> str:
    cause: BaseException | None = exc
    for _ in range(10):  # openpyxl wraps the parser's error; defusedxml's refusal may sit further down
        if cause is None:
            break
        kind = type(cause).__name__
        if "Entities" in kind or "DTD" in kind or "Forbidden" in kind:
            return "it declares XML entities, which are refused"
        cause = cause.__cause__ or cause.__context__
    name = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{name}: {text}"[:160] if text else name


def _read_sheet(p: str, wb, ws, name: str) -> RawSheet:
    ws.reset_dimensions()  # some writers store a wrong <dimension>; read what is really there
    rows: list[list[str]] = []
    for values in ws.iter_rows(values_only=True, max_col=MAX_COLS):
        if len(rows) >= MAX_ROWS:
            raise _fail(p, f"sheet {name!r} has more than {MAX_ROWS:,} rows: not a responsibility matrix this tool can audit")
        cells = [norm_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    sheet = RawSheet(name, rows, list(range(1, len(rows) + 1)))
    member = getattr(ws, "_worksheet_path", None)
    if member:
        _apply_merges(p, name, sheet, _sheet_merges(wb._archive, member))
    return sheet


def _apply_merges(p: str, name: str, sheet: RawSheet, merges: Iterable[tuple[int, int, int, int]]) -> None:
    rows = sheet.rows
    # Merges are clipped to the cells read; Excel never writes overlapping merges, so together they cover at
    # most every cell once, and more than that is a hostile file trying to make this loop run for ever.
    budget = len(rows) * MAX_COLS
    for r1, c1, r2, c2 in merges:
        r2, c2 = min(r2, len(rows)), min(c2, MAX_COLS)
        if r1 > r2 or c1 > c2:
            continue  # outside the cells read
        budget -= (r2 - r1 + 1) * (c2 - c1 + 1)
        if budget < 0:
            raise _fail(p, f"sheet {name!r} has overlapping merged cells, which Excel never writes; refusing to read it")
        anchor = rows[r1 - 1][c1 - 1] if c1 - 1 < len(rows[r1 - 1]) else ""
        # A vertical merge (a domain cell over several rows) fills down its first column.
        if anchor:
            for row in rows[r1:r2]:
                while len(row) < c1:
                    row.append("")
                if not row[c1 - 1]:
                    row[c1 - 1] = anchor
        # A horizontal merge is a banner or a group header ("MSP" over two sub-columns).
        for r in range(r1 - 1, r2):
            for c in range(c1, c2):
                sheet.merged_right.add((r, c))
        if c2 > c1 and r1 == r2:
            for c in range(c1 - 1, c2):
                sheet.merge_parent[(r1, c)] = (anchor, c1 - 1, c2 - 1)


# --------------------------------------------------------------------------- layout detection


@dataclass
class _Layout:
    kind: str
    header: int  # row index (0-based) of the header row
    party_cols: list[int]
    vocabulary: str = "owner"


def _column_stats(rows: list[list[str]], start: int, ncols: int) -> list[dict[str, int]]:
    stats = [{"letters": 0, "mark": 0, "shared": 0, "na": 0, "blank": 0, "text": 0, "owner": 0, "empty": 0} for _ in range(ncols)]
    seen: set[tuple[str, ...]] = set()
    for row in rows[start:]:
        key = tuple(row)
        if key in seen:
            continue  # a header repeated after each page break says nothing new about its columns
        seen.add(key)
        for c in range(ncols):
            text = row[c] if c < len(row) else ""
            st = stats[c]
            if not text:
                st["empty"] += 1
                continue
            kind = cell_kind(text)
            st[kind] += 1
            if kind == "text" and owner_slots(text) is not None:
                st["owner"] += 1
    return stats


def _is_role_column(st: dict[str, int]) -> bool:
    strong = st["letters"] + st["mark"]
    vocab = strong + st["shared"]
    return strong >= 2 and vocab >= 0.6 * (vocab + st["text"])


def _is_owner_column(st: dict[str, int]) -> bool:
    owner = st["owner"] + st["shared"]
    return st["owner"] >= 2 and owner >= 0.6 * (st["text"] + st["shared"]) and owner > st["letters"] + st["mark"]


def _strong_header(rows: list[list[str]]) -> _Layout | None:
    for r, row in enumerate(rows[:HEADER_SCAN]):
        for c, text in enumerate(row):
            low = text.lower()
            if "ssrm control ownership" in low or ("control ownership" in low and "ssrm" in low):
                return _Layout("caiq", r, [c], "caiq")
            if "can be inherited" in low or low.startswith("inherited from csp") or low == "inheritance":
                return _Layout("fedramp", r, [c], "fedramp")
    return None


def detect_layout(sheet: RawSheet) -> _Layout | None:
    """Where the matrix is: its header row and the columns that hold parties, told from their contents."""
    rows = sheet.rows
    if not rows:
        return None
    strong = _strong_header(rows)
    if strong is not None:
        return strong
    ncols = min(max(len(r) for r in rows), MAX_COLS)
    stats = _column_stats(rows, 0, ncols)
    role_cols = [c for c in range(ncols) if _is_role_column(stats[c])]
    owner_cols = [c for c in range(ncols) if c not in role_cols and _is_owner_column(stats[c])]
    if role_cols:
        cols, kind = role_cols, None
    elif owner_cols:
        cols, kind = owner_cols[:1], "owner"
    else:
        return None
    header = _find_header(rows, cols)
    if header is None:
        return None
    if kind is None:
        sub = _column_stats(rows, header + 1, ncols)
        head = rows[header]
        # a sparse party column (one letter in the whole sheet) is still a party when it holds nothing else
        extra = [c for c in range(ncols) if c not in cols and c < len(head) and head[c] and cell_kind(head[c]) == "text"
                 and sub[c]["letters"] + sub[c]["mark"] >= 1 and sub[c]["text"] == 0]
        cols = sorted(cols + extra)
        # keep only columns that really hold roles below the header
        cols = [c for c in cols if sub[c]["letters"] + sub[c]["mark"] + sub[c]["shared"] + sub[c]["na"] + sub[c]["blank"] > 0]
        letters = sum(sub[c]["letters"] for c in cols)
        marks = sum(sub[c]["mark"] for c in cols)
        kind = "grid" if letters >= marks else "marks"
    return _Layout(kind, header, cols)


def _find_header(rows: list[list[str]], cols: list[int]) -> int | None:
    """The last row above the first role cell whose party cells hold names (not letters)."""
    first_data = None
    for r, row in enumerate(rows):
        if any(c < len(row) and cell_kind(row[c]) in ("letters", "mark") or
               (c < len(row) and owner_slots(row[c]) is not None and len(cols) == 1) for c in cols):
            first_data = r
            break
    if first_data is None:
        return None
    for r in range(first_data - 1, -1, -1):
        row = rows[r]
        named = [c for c in cols if c < len(row) and row[c] and cell_kind(row[c]) == "text"]
        if len(named) * 2 >= len(cols) and len(named) >= 1:
            return r
    return None


def _pick_column(headers: list[str], candidates: list[int], words: tuple[str, ...]) -> int | None:
    """The candidate column whose header best matches ``words`` (earlier word first; exact header first)."""
    best: tuple[int, int, int] | None = None
    for c in candidates:
        low = " ".join(headers[c].lower().split()) if c < len(headers) else ""
        if not low:
            continue
        for rank, w in enumerate(words):
            if re.search(rf"\b{re.escape(w)}", low):
                score = (rank, 0 if low == w else 1, c)
                if best is None or score < best:
                    best = score
                break
    return best[2] if best else None


# --------------------------------------------------------------------------- reading the matrix


def _party(header: str, column: int | None, guess: tuple[str, bool], kinds: dict[str, str], used: set[str]) -> PartyColumn:
    """A party with a unique id; a kind given by the user (``kinds``: lower-case header -> kind) beats ``guess``."""
    kind, guessed = (kinds[header.lower()], False) if header.lower() in kinds else guess
    pid = base = slug(header)
    n = 2
    while pid in used:
        pid, n = f"{base}-{n}", n + 1
    used.add(pid)
    return PartyColumn(header, pid, kind, guessed, column)


def _grid_parties(sheet: RawSheet, layout: _Layout, headers: list[str], kinds: dict[str, str], used: set[str]) -> list[PartyColumn]:
    parties = []
    for c in layout.party_cols:
        header = headers[c] if c < len(headers) and headers[c] else f"Column {_col_letter(c)}"
        # a group header spans party columns only; a title banner above the header row spans the label too
        parent, first, last = sheet.merge_parent.get((layout.header, c), ("", 0, -1))
        if parent and parent != header and all(k in layout.party_cols for k in range(first, last + 1)):
            header = f"{parent} {header}"
        parties.append(_party(header, c + 1, guess_kind(header), kinds, used))
    return parties


def _col_letter(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c + 1)


def read_document(path: str | Path, sheet: str | None = None, kinds: dict[str, str] | None = None) -> Document:
    """Read one document: safety checks, sheet choice, layout detection, and every row's roles."""
    kinds = kinds or {}
    p = str(path)
    kind = inspect(p)
    notes: list[str] = []
    if kind == "csv":
        if sheet is not None:
            notes.append(f"--sheet {sheet!r} ignored: a CSV file has no sheets")
        sheets = [read_csv(p)]
    else:
        sheets, names, macros = read_workbook(p, sheet)
        if macros:
            notes.append("the workbook contains macros; they were not run")
    found: list[tuple[RawSheet, _Layout]] = []
    for raw in sheets:
        layout = detect_layout(raw)
        if layout is not None and any(len(r) > 0 for r in raw.rows[layout.header + 1:]):
            found.append((raw, layout))
    if not found:
        if all(not raw.rows for raw in sheets):
            what = f"sheet {sheets[0].name!r} is empty" if sheet is not None and sheets and sheets[0].name else "the document holds no data"
            raise _fail(p, what)
        where = f"sheet {sheet!r}" if sheet is not None else ("any sheet" if kind == "xlsx" else "the file")
        raise _fail(p, f"no responsibility matrix found in {where}: expected a header row and columns of R/A/C/I letters, "
                       "X marks, or owner words (Provider/Customer/Shared)")
    raw, layout = found[0]
    if len(found) > 1:
        others = ", ".join(repr(r.name) for r, _ in found[1:])
        notes.append(f"other sheets also hold a matrix ({others}); use --sheet to audit them")
    return _read_rows(p, raw, layout, kinds, notes)


def _read_rows(p: str, raw: RawSheet, layout: _Layout, kinds: dict[str, str], notes: list[str]) -> Document:
    rows = raw.rows
    headers = rows[layout.header]
    ncols = max((len(r) for r in rows), default=0)
    party_set = set(layout.party_cols)
    others = [c for c in range(ncols) if c not in party_set]
    label_col = _pick_column(headers, others, _LABEL_HEADERS)
    domain_col = _pick_column(headers, [c for c in others if c != label_col], _DOMAIN_HEADERS)
    note_col = _pick_column(headers, [c for c in others if c not in (label_col, domain_col)], _NOTE_HEADERS)
    data = rows[layout.header + 1:]
    if label_col is None:
        # the text column, left of the parties, with the most distinct non-numeric values
        best = None
        for c in others:
            if c in (domain_col, note_col):
                continue
            vals = {r[c] for r in data if c < len(r) and r[c] and not re.fullmatch(r"[\d.\s-]+", r[c])}
            score = (len(vals), -c)
            if vals and (best is None or score > best[0]):
                best = (score, c)
        label_col = best[1] if best else None
    if label_col is None:
        raise _fail(p, "no column of activity names found next to the party columns", raw.name)
    if domain_col is None:
        # a column left of the labels whose values repeat (a merged or repeated domain cell)
        for c in others:
            if c >= label_col or c == note_col:
                continue
            vals = [r[c] for r in data if c < len(r) and r[c]]
            if vals and len(set(vals)) < len(vals) and not all(re.fullmatch(r"[\d.\s]+", v) for v in vals):
                domain_col = c
                break
    kinds = {k.lower(): v for k, v in kinds.items()}
    used: set[str] = set()
    vocab = layout.vocabulary if layout.kind in ("owner", "caiq", "fedramp") else None
    if vocab is None:
        parties = _grid_parties(raw, layout, headers, kinds, used)
        slots: dict[str, PartyColumn] = {}
    else:
        slot_kind = {"provider": "msp", "client": "client", "third": "vendor"}
        slots = {slot: _party(header, None, (slot_kind[slot], True), kinds, used)
                 for slot, header in _slot_headers(data, layout.party_cols[0], vocab).items()}
        parties = list(slots.values())
    doc = Document(p, raw.name, layout.kind, raw.lines[layout.header], parties, [], notes)
    title_cells = [c for r in rows[: layout.header] for c in r if c]
    doc.title = title_cells[0] if title_cells else ""
    header_key = [h.lower() for h in headers]
    section: str | None = None
    for i, row in enumerate(data):
        idx = layout.header + 1 + i
        line = raw.lines[idx]
        if not any(row):
            continue
        if [c.lower() for c in row] == header_key[: len(row)]:
            continue  # the header repeated (a page break)
        filled = [(c, v) for c, v in enumerate(row) if v and (idx, c) not in raw.merged_right]
        party_text = [row[c] for c in layout.party_cols if c < len(row) and row[c]]
        label = row[label_col] if label_col < len(row) else ""
        domain = row[domain_col] if domain_col is not None and domain_col < len(row) and row[domain_col] else None
        if not party_text and not (domain_col is not None and domain and label and label != domain):
            non_domain = [(c, v) for c, v in filled if c != domain_col]
            if len(non_domain) <= 1:
                # a label alone on its row is a domain section heading
                section = (non_domain[0][1] if non_domain else domain) or section
                continue
        if not label:
            if not party_text:
                continue
            label = f"(row {line} has no activity name)"
        if cell_kind(label) in ("letters", "mark") and len(label) <= 3:
            continue  # a legend row such as "R | Responsible"
        imported = ImportedRow(p, raw.name, line, label, domain or section, {}, {})
        if note_col is not None and note_col < len(row):
            imported.note = row[note_col]
        if vocab is not None:
            _owner_row(imported, row, layout.party_cols[0], vocab, slots, headers)
        else:
            _grid_row(imported, row, parties)
        doc.rows.append(imported)
    if not doc.rows:
        raise _fail(p, "a header row was found but no matrix rows under it", f"{raw.name}!{raw.lines[layout.header]}" if raw.name else None)
    return doc


def _slot_headers(data: list[list[str]], col: int, vocab: str) -> dict[str, str]:
    """Display names for the parties an owner column talks about, taken from the words the document uses."""
    defaults = {"caiq": {"provider": "CSP", "client": "CSC", "third": "3rd party"},
                "fedramp": {"provider": "CSP", "client": "Customer"},
                "owner": {"provider": "Provider", "client": "Customer", "third": "Third party"}}[vocab]
    seen: dict[str, str] = {}
    order: list[str] = []
    for row in data:
        text = row[col] if col < len(row) else ""
        res = owner_slots(text, vocab) if text else None
        if res is None or res[0] != "roles":
            continue
        for slot in res[1]:
            if slot not in order:
                order.append(slot)
            if vocab == "owner" and slot not in seen and len(res[1]) == 1:
                seen[slot] = _owner_word(text, slot) or defaults[slot]
    return {slot: seen.get(slot, defaults[slot]) for slot in sorted(order, key=["provider", "client", "third"].index)}


def _owner_word(text: str, slot: str) -> str | None:
    words = {"provider": PROVIDER_WORDS, "client": CLIENT_WORDS, "third": THIRD_WORDS}[slot]
    low = text.lower()
    for w in words:
        m = re.search(rf"\b{re.escape(w)}\b", low)
        if m:
            original = text[m.start(): m.end()]
            return original if not original.islower() else original.capitalize()
    return None


def _owner_row(imported: ImportedRow, row: list[str], col: int, vocab: str, slots: dict[str, PartyColumn], headers) -> None:
    text = row[col] if col < len(row) else ""
    header = headers[col] or "Owner"
    imported.cells[header] = text
    if not text or (vocab != "fedramp" and cell_kind(text) == "blank") or _key(text) in ("-", "--", "\u2013", "\u2014"):
        return  # nobody named: the row draws no-accountable and no-responsible
    res = owner_slots(text, vocab)
    if res is None:
        imported.unclear.append((header, text))
        return
    what, roles = res
    if what == "na":
        imported.excluded = True
        return
    for slot, role in roles.items():
        imported.roles[slots[slot].id] = role


def _grid_row(imported: ImportedRow, row: list[str], parties: list[PartyColumn]) -> None:
    marks: list[str] = []
    letters_seen = False
    na = 0
    for party in parties:
        c = party.column - 1
        text = row[c] if c < len(row) else ""
        if text:
            imported.cells[party.header] = text
        kind = cell_kind(text) if text else "blank"
        if kind == "letters":
            imported.roles[party.id] = canonical(parse_letters(text) or set())
            letters_seen = True
        elif kind == "mark":
            marks.append(party.id)
        elif kind == "shared":
            imported.roles[party.id] = "R"  # "Joint" in a party column: does the work, owns nothing alone
        elif kind == "na":
            na += 1
        elif kind == "text":
            imported.unclear.append((party.header, text))
    if marks:
        # One mark names the owner; several marks name several doers and no single accountable party.
        role = "A/R" if len(marks) == 1 and not letters_seen and not imported.roles else "R"
        for pid in marks:
            imported.roles[pid] = role
    if na and not imported.roles and not imported.unclear:
        imported.excluded = True
