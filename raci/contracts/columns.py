"""Columns of a candidate table: what each holds (roles, owner names, labels, sections, notes), read once per text.

The layout search (``raci.contracts.layout``) asks these questions of every header row it tries.
"""

from __future__ import annotations

import re
from functools import lru_cache

from raci.contracts.tables import Sheet
from raci.contracts.vocabulary import LETTER_WORDS, TEXT, Reading, clean, guess_kind, read_cell

CODE = re.compile(r"[\w.\-()/]*\d[\w.\-()/ ]*")  # one token with a digit: an id, not a name

LABEL_WORDS = ("activity", "activities", "function", "task", "service", "process", "responsibility area",
                "area of responsibility", "deliverable", "duty", "duties", "item", "control name", "control title",
                "requirement", "description", "resource", "component", "capability", "scope", "work", "action",
                "tâche", "activité", "activite", "prestation", "title", "name", "control id", "control", "question id",
                "question", "identifier", "id")
DOMAIN_WORDS = ("domain", "category", "section", "area", "tower", "group", "family", "service area", "phase", "stage",
                 "domaine", "catégorie", "categorie")
NOTE_WORDS = ("notes", "note", "comments", "comment", "remarks", "how the work is split", "split", "specific inheritance",
               "responsibilities", "details", "detail", "explanation", "implementation", "commentaire", "remarques")
# headers of columns that are never parties, however their cells look
NOT_PARTY = ("implemented", "planned", "partially implemented", "alternative implementation", "status", "priority",
              "frequency", "evidence", "sla", "target", "in scope", "included", "version", "level", "type", "csf level",
              "n/a", "not applicable", "applicable", "baseline", "low", "moderate", "high", "tier", "phase", "#", "no", "no.")

MAX_READ = 1_000  # characters: a longer cell is a description, read as text and never as a role


class Readings:
    """Cell readings of one sheet, computed once per distinct text. A cell longer than MAX_READ is text: no role
    cell is that long, and reading one costs time in proportion to its length."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], Reading] = {}

    def __call__(self, text: str, vocabulary: str = "any") -> Reading:
        key = (text, vocabulary)
        hit = self._cache.get(key)
        if hit is None:
            hit = TEXT if len(text) > MAX_READ else read_cell(text, vocabulary) if text else Reading("blank")
            self._cache[key] = hit
        return hit


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    return " ".join(clean(text).casefold().split())


def header_match(text: str, words: tuple[str, ...]) -> int | None:
    low = norm(text)
    if not low:
        return None
    for rank, w in enumerate(words):
        if low == w or re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low):
            return rank
    return None


def header_like(cells: list[tuple[int, str]]) -> bool:
    """Column names are short: most of them 6 words or fewer, none over 12 in the block of adjacent cells that
    holds most of them (a legend text box beside the table does not count)."""
    runs: list[list[tuple[int, str]]] = []
    for c, v in cells:
        if runs and c - runs[-1][-1][0] <= 2:
            runs[-1].append((c, v))
        else:
            runs.append([(c, v)])
    main = max(runs, key=len)
    lengths = [len(v.split(maxsplit=12)) for _c, v in main]  # past 12 words the count does not matter
    return len(main) >= 2 and max(lengths) <= 12 and sum(1 for n in lengths if n <= 6) * 2 >= len(lengths)


def names_a_column(reading: Reading, text: str = "") -> bool:
    """A header cell names something (free text, an owner word such as Customer, a role word such as Support or
    Responsible), never a role letter or a mark."""
    if reading.kind in ("text", "owner", "na"):
        return True
    first = clean(text).split(maxsplit=1)[:1] if reading.kind == "letters" else []
    return bool(first) and first[0].casefold() in LETTER_WORDS


def is_not_party(header: str) -> bool:
    low = norm(header)
    return low in NOT_PARTY or bool(re.match(r"^(implementation )?status\b|^priority\b|^frequency\b", low))



def column_kinds(sheet: Sheet, rd: Readings, start: int, end: int, cols: range, vocab: str) -> dict[int, dict[str, int]]:
    stats: dict[int, dict[str, int]] = {c: {"strong": 0, "owner": 0, "blank": 0, "na": 0, "text": 0, "filled": 0, "letters": 0, "mark": 0}
                                        for c in cols}
    seen: set[tuple[str, ...]] = set()
    for r in range(start, end):
        row = sheet.rows[r]
        key = tuple(row)
        if key in seen and len(row) > 1:
            continue  # a header repeated after a page break says nothing new
        seen.add(key)
        for c in cols:
            st = stats[c]
            text = row[c] if c < len(row) else ""
            if not text:
                st["blank"] += 1
                continue
            st["filled"] += 1
            reading = rd(text, vocab)
            if reading.kind in ("blank",):
                st["blank"] += 1
            elif reading.kind == "na":
                st["na"] += 1
            elif reading.kind == "text":
                st["text"] += 1
            else:
                st["strong"] += 1
                if reading.kind == "owner":
                    st["owner"] += 1
                elif reading.kind in ("letters", "mark"):
                    st[reading.kind] += 1
    return stats



JOIN = re.compile(r"\s*(?:\band\b|&|/|\+|,|\bet\b)\s*", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)
def name_parts(text: str) -> tuple[str, ...]:
    """The party names a cell lists: "Northwind Cloud and Customer" -> ("Northwind Cloud", "Customer")."""
    return tuple(p for p in (clean(x) for x in JOIN.split(clean(text))) if p)


def name_columns(sheet: Sheet, rd: Readings, h: int, end: int, cols: list[int]) -> list[int]:
    """Columns whose cells name their owner from a small set of short names ("Northwind Cloud", "Customer",
    "Northwind Cloud and Customer"): a resource x process table, or one owner column of organisation names.

    A column qualifies when nearly every cell it fills lists names from the set, and the set is an owner
    vocabulary: it holds an owner word (Customer, Provider, ...) or names that cells join with "and".
    """
    counts: dict[str, int] = {}
    cells: dict[int, list[str]] = {}
    for c in cols:
        values = [sheet.cell(r, c) for r in range(h + 1, end) if sheet.cell(r, c) and rd(sheet.cell(r, c)).kind not in ("na", "blank")]
        cells[c] = values
        for v in values:
            for part in name_parts(v):
                counts[part] = counts.get(part, 0) + 1
    names = {n for n, k in counts.items() if k >= 2 and len(n.split()) <= 4 and rd(n).kind in ("text", "owner")}
    if not names or len(names) > 8:
        return []
    out = []
    for c, values in cells.items():
        if len(values) < 2:
            continue
        listed = [name_parts(v) for v in values]
        fits = [parts for parts in listed if parts and all(p in names for p in parts)]
        # an owner vocabulary: an owner word (Customer, Provider), or names the cells join ("X and Customer")
        owners = any(len(parts) > 1 or rd(parts[0]).kind == "owner" for parts in fits)
        if len(fits) >= 0.8 * len(values) and owners:
            out.append(c)
    return out


def find_names_row(sheet: Sheet, h: int) -> int:
    """The line above ``h`` when it names the parties and ``h`` describes them (a two-line header)."""
    if h == 0:
        return h
    above, here = sheet.rows[h - 1], sheet.rows[h]
    pairs = [(a, b) for a, b in zip(above, here) if a and b]
    if len(pairs) < 2 or sum(1 for v in above if v) < sum(1 for v in here if v) - 1:
        return h
    long_here = sum(len(b.split()) for _a, b in pairs) / len(pairs)
    long_above = sum(len(a.split()) for a, _b in pairs) / len(pairs)
    known_above = sum(1 for a, _b in pairs if guess_kind(a)[1])
    known_here = sum(1 for _a, b in pairs if guess_kind(b)[1])
    if long_here > long_above + 1 and known_above >= known_here:
        return h - 1
    return h



def label_column(sheet: Sheet, rd: Readings, h: int, end: int, candidates: list[int], fixed: int | None = None) -> int | None:
    """The column of activity labels: short phrases that differ row to row (``fixed`` when the user chose it)."""
    if fixed is not None:
        return fixed
    head = sheet.rows[h]
    best: tuple | None = None
    notes = [c for c in candidates if header_match(head[c] if c < len(head) else "", NOTE_WORDS) is not None]
    for c in candidates:
        values = [sheet.cell(r, c) for r in range(h + 1, end)]
        texts = [v for v in values if v and not re.fullmatch(r"[\d.\s-]+", v) and rd(v).kind == "text"]
        if not texts:
            continue
        distinct = len(set(texts))
        rank = header_match(head[c] if c < len(head) else "", LABEL_WORDS)
        words = sum(len(t.split()) for t in texts) / len(texts)
        # activity names are short phrases that differ row to row; long prose is a description column, and
        # codes (0101.00a1Organizational.123, TVM-01) identify a row rather than say what it is
        phrase = 1.0 if words <= 12 else 0.6
        codes = sum(1 for t in texts if CODE.fullmatch(t)) / len(texts)
        named = 1.5 if rank is not None and rank < len(LABEL_WORDS) - 5 else (1.15 if rank is not None else 1.0)
        score = distinct * phrase * named * (1.0 - 0.7 * codes) * (0.3 if c in notes else 1.0)
        key = (score, -c)
        if best is None or key > best[0]:
            best = (key, c)
    return best[1] if best else None


def domain_column(sheet: Sheet, h: int, end: int, rest: list[int], label_col: int, head: list[str]) -> int | None:
    picked = pick(head, rest, DOMAIN_WORDS)
    if picked is not None:
        return picked
    for c in rest:
        if c >= label_col:
            continue
        vals = [sheet.cell(r, c) for r in range(h + 1, end) if sheet.cell(r, c)]
        if vals and len(set(vals)) < len(vals) and not all(re.fullmatch(r"[\d.\s]+", v) for v in vals):
            return c
    return None


def pick(head: list[str], candidates: list[int], words: tuple[str, ...]) -> int | None:
    best: tuple[int, int, int] | None = None
    for c in candidates:
        text = head[c] if c < len(head) else ""
        rank = header_match(text, words)
        if rank is None:
            continue
        score = (rank, 0 if norm(text) == words[rank] else 1, c)
        if best is None or score < best:
            best = score
    return best[2] if best else None




def topic_columns(sheet: Sheet, rd: Readings, h: int, end: int, candidates: list[int], label_col: int) -> list[int]:
    """Columns of short phrases beside a column of long labels: requirement statements come with a control or
    topic name ("09.j Controls Against Malicious Code") that says what they are about in fewer words."""
    labels = [sheet.cell(r, label_col) for r in range(h + 1, end) if sheet.cell(r, label_col)]
    if not labels or sum(len(v.split()) for v in labels) / len(labels) <= 12:
        return []
    out = []
    for c in candidates:
        values = [sheet.cell(r, c) for r in range(h + 1, end) if sheet.cell(r, c)]
        texts = [v for v in values if rd(v).kind == "text" and re.search(r"[A-Za-z]{3}", v)]
        if texts and len(texts) >= 0.8 * len(labels) and sum(len(v.split()) for v in texts) / len(texts) <= 8:
            out.append(c)
    return out
