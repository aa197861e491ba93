"""What one cell of a contract matrix says, as real documents write it.

Letters in any combination (``A/R``, ``R/A``, ``RA``, ``A & R (Config, Ops)``, French ``Réalise``), marks
(``✓``, ``✔️``, ``X``, ``Y (basic)``), negatives (``❌``, ``No``), cost markers (``£``, ``chargeable``), owner
words (``Customer``, ``Shared``, CSA's ``CSP-owned``, FedRAMP's ``Yes``/``Partial``) and filler (``---``).
Footnote markers, markup and invisible characters are ignored for reading; the text as written is kept by
the caller for display.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters that look like R/A/C/I in other scripts (seen in real matrices).
_HOMOGLYPHS = str.maketrans({
    "\u0410": "A", "\u0430": "a", "\u0421": "C", "\u0441": "c", "\u0406": "I", "\u0456": "i", "\u0391": "A",
    "\u0399": "I", "\u03f9": "C", "\u0420": "R", "\u0440": "r",
})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f\u00ad"), None)
_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
_FOOTNOTE_RE = re.compile(
    r"\^\[?\d{1,2}\]?\^?"                # ^[1]^ (AsciiDoc), ^1
    r"|\[\^?\d{1,2}\]"                   # [1], [^1] (Markdown footnotes)
    rf"|[{_SUPERSCRIPTS}]+"              # superscript digits
    r"|\(\d{1,2}\)"                      # (2)
    r"|[\u2020\u2021\u00a7]"             # dagger, double dagger, section sign
    r"|(?<=\w)\*+(?=\s|$)|^\*+(?=\w)"    # trailing or leading asterisks used as markers
)
_MARKUP_RE = re.compile(r"\*\*|__|`|</?[a-zA-Z][^>]{0,40}>|\{nbsp\}")

LETTER_WORDS = {
    # English
    "responsible": "R", "resp": "R", "accountable": "A", "acc": "A", "approves": "A", "approve": "A", "approver": "A",
    "consulted": "C", "consult": "C", "consults": "C", "informed": "I", "inform": "I", "informs": "I",
    "support": "S", "supports": "S", "supporting": "S",
    # French (RACI as Réalise, Approuve, Consulté, Informé)
    "réalise": "R", "realise": "R", "réalisateur": "R", "approuve": "A", "approbateur": "A", "consulté": "C", "consulte": "C",
    "informé": "I", "informe": "I",
}
_WORDS_RE = "|".join(sorted((re.escape(w) for w in LETTER_WORDS), key=len, reverse=True))
# one role token: a full word, or a run of distinct letters R A C I (S: RASCI's support)
_TOKEN_RE = re.compile(rf"(?:{_WORDS_RE})\b|\b[RACIS]{{1,5}}\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"^(?:[\s/,+&;|.:-]|\band\b|\bet\b)*$", re.IGNORECASE)

MARKS = {"x", "\u2713", "\u2714", "\u2611", "\u2612", "\u221a", "\u2705", "\u2022", "\u25cf", "\u25aa", "\u25a0", "\u25c6",
         "\u2b24", "\u25c9", "y", "yes", "true", "\u00fc", "\u03b2", "\u00e2\u0153\u201c", "\u2713\u2713", "xx", "included",
         "in scope", "covered", "oui"}
NEGATIVES = {"\u274c", "\u2717", "\u2718", "\u2716", "\u2715", "\u2610", "\u274e", "no", "n", "false", "not included", "not covered",
             "non", "none"}
FILLER = {"", "-", "--", "---", "----", "\u2014", "\u2013", "\u2012", "\u2015", ".", "..", "...", "\u2026", "_", "__", "~", "=",
          "|"}
NOT_APPLICABLE = {"n/a", "na", "n.a.", "n/a.", "not applicable", "out of scope", "excluded", "not in scope", "oos",
                  "sans objet", "non applicable", "nd", "not determined"}
COST_WORDS = ("chargeable", "charged", "billable", "at extra cost", "extra cost", "additional cost", "additional charge",
              "at additional cost", "optional extra", "optional", "on request", "paid add-on", "add-on", "addon", "poa",
              "price on application", "time and materials", "t&m", "quoted separately", "extra charge", "payant",
              "en option", "sur devis")
_CURRENCY_RE = re.compile(r"^[£$€¥]+(?:\s*\d[\d,.]*)?$")

PROVIDER_WORDS = ("managed service provider", "service provider", "provider", "msp", "mssp", "vendor", "contractor",
                  "supplier", "csp", "tpsp", "esp", "outsourcer", "prestataire", "fournisseur")
CLIENT_WORDS = ("customer", "client", "company", "csc", "entity", "internal it", "internal", "in-house", "inhouse",
                "agency", "organisation", "organization", "your responsibility", "you")
THIRD_WORDS = ("3rd-party", "3rd party", "third-party", "third party", "subcontractor", "sub-contractor")
SHARED_WORDS = ("shared", "both", "joint", "jointly", "co-managed", "all parties", "partagé", "partagée", "commun")


@dataclass(frozen=True)
class Reading:
    """What a cell says. ``kind`` is one of: blank, na, letters, mark, negative, cost, owner, text.

    ``letters`` holds R/A/C/I (S for RASCI's support); ``note`` a qualifier written beside the role ("basic",
    "Config, Ops"); ``slots`` owner words as (slot, role) with slots provider, client, third; ``shared`` is True
    when the cell names a shared owner without a split.
    """

    kind: str
    letters: frozenset[str] = frozenset()
    note: str = ""
    slots: tuple[tuple[str, str], ...] = ()
    shared: bool = False

    @property
    def vocabulary(self) -> bool:
        """True when the cell reads as role vocabulary of any kind (not free text)."""
        return self.kind != "text"

    @property
    def strong(self) -> bool:
        """True when the cell positively says something about a role (blank, filler and N/A do not)."""
        return self.kind in ("letters", "mark", "negative", "cost", "owner")


BLANK = Reading("blank")
TEXT = Reading("text")


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """The text a reader keys on: no markup, footnote markers, invisible characters or doubled spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _MARKUP_RE.sub(" ", text)
    text = _FOOTNOTE_RE.sub(" ", text)
    return " ".join(text.split())


def footnotes(text: str) -> list[str]:
    """The footnote markers written in a cell, as written: ``Red Hat and Customer ^[2]^`` -> ["^[2]^"]."""
    return [m.group(0).strip() for m in _FOOTNOTE_RE.finditer(text) if any(ch.isdigit() or ch in _SUPERSCRIPTS for ch in m.group(0))]


def _key(text: str) -> str:
    return clean(text).translate(_HOMOGLYPHS).casefold()


def _qualifier(text: str) -> tuple[str, str]:
    """Split "Y (basic)" / "Yes - with the customer" into ("y", "basic")."""
    m = re.match(r"^(.*?)\s*\((.+)\)\s*$", text)
    if m and m.group(1):
        return m.group(1).strip(), m.group(2).strip()
    m = re.match(r"^(\S+)\s*(?:[-\u2013\u2014:,;]|\s)\s*(.+)$", text)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return text, ""


def parse_letters(text: str) -> tuple[frozenset[str], str] | None:
    """R/A/C/I in any combination, with their qualifiers as a note; None when the cell is not letters.

    ``A/R``, ``R/A``, ``RA``, ``R, A``, ``A+R``, ``**RA**``, ``Accountable``, ``Réalise``, ``A & R (Config, Ops)``,
    ``R (OT log oversight) & C (reviews SIEM config)``, ``Responsible for first review``.
    """
    key = clean(text).translate(_HOMOGLYPHS)
    if not key:
        return None
    quals: list[tuple[int, str]] = []

    def keep(m: re.Match) -> str:
        quals.append((m.start(), m.group(1).strip()))
        return " " * len(m.group(0))

    bare = re.sub(r"\(([^()]*)\)|\[([^\[\]]*)\]", lambda m: keep(m) if m.group(1) is not None else " " * len(m.group(0)), key)
    tokens = list(_TOKEN_RE.finditer(bare))
    if not tokens:
        return None
    letters: list[str] = []
    pos = 0
    for tok in tokens:
        if not _SEPARATORS.match(bare[pos:tok.start()]):
            break
        word = tok.group(0)
        found = LETTER_WORDS.get(word.casefold())
        if found is None:
            up = word.upper()
            if len(set(up)) != len(up):
                return None
            letters.extend(up)
        else:
            letters.append(found)
        pos = tok.end()
    else:
        tail = bare[pos:]
        if not _SEPARATORS.match(tail):
            # a full role word followed by free text: "Responsible for budget decisions"
            first = tokens[0].group(0).casefold()
            if first not in LETTER_WORDS or len(tokens) > 1 and pos != tokens[0].end() or len(tail.split()) > 6:
                return None
            quals.append((pos, " ".join(tail.split())))
        return frozenset(letters), _note(letters, tokens, quals)
    # letters followed by something that is not a separator
    first = tokens[0].group(0).casefold()
    if first in LETTER_WORDS and tokens[0].start() == len(bare) - len(bare.lstrip()) and len(bare[tokens[0].end():].split()) <= 6:
        rest = " ".join(bare[tokens[0].end():].split())
        quals.append((tokens[0].end(), rest))
        return frozenset([LETTER_WORDS[first]]), _note([LETTER_WORDS[first]], tokens[:1], quals)
    return None


def _note(letters: list[str], tokens: list[re.Match], quals: list[tuple[int, str]]) -> str:
    quals = [(p, q) for p, q in quals if q and not q.isdigit()]
    if not quals:
        return ""
    if len(quals) == 1:
        return quals[0][1]
    parts = []
    for p, q in quals:
        before = [t for t in tokens if t.end() <= p]
        label = before[-1].group(0).upper() if before else ""
        parts.append(f"{label}: {q}" if label else q)
    return "; ".join(parts)


def canonical(letters: frozenset[str] | set[str]) -> str | None:
    """The one canonical cell a set of letters becomes (A with R is A/R; S, RASCI's support, reads as C)."""
    if "A" in letters and "R" in letters:
        return "A/R"
    for letter in ("A", "R", "C", "I"):
        if letter in letters:
            return letter
    if "S" in letters:
        return "C"
    return None


def read_cell(text: str, vocabulary: str = "any") -> Reading:
    """Read one party cell. ``vocabulary`` narrows owner words: "fedramp" (Yes/No/Partial), "caiq" (CSP-owned ...)."""
    key = _key(text)
    if key in FILLER:
        return BLANK
    if vocabulary in ("fedramp", "caiq"):
        slots = owner_slots(text, vocabulary)
        if slots is not None:
            return slots
    if key in NOT_APPLICABLE:
        return Reading("na")
    if key.rstrip(".!") in MARKS:
        return Reading("mark")
    if key in NEGATIVES:
        return Reading("negative")
    if _is_cost(key):
        return Reading("cost", note=clean(text))
    letters = parse_letters(text)
    if letters is not None:
        return Reading("letters", letters[0], letters[1])
    head, qual = _qualifier(clean(text))
    hkey = head.translate(_HOMOGLYPHS).casefold().rstrip(".!")
    if qual and hkey in MARKS:
        return Reading("mark", note=qual)
    if qual and hkey in NEGATIVES:
        return Reading("negative", note=qual)
    if qual and hkey in NOT_APPLICABLE:
        return Reading("na", note=qual)
    if qual and (_is_cost(hkey) or _CURRENCY_RE.match(hkey)):
        return Reading("cost", note=clean(text))
    slots = owner_slots(text, "owner")
    if slots is not None:
        return slots
    return TEXT


def _is_cost(key: str) -> bool:
    if _CURRENCY_RE.match(key):
        return True
    return any(key == w or key.startswith(w + " ") or key.endswith(" " + w) for w in COST_WORDS)


def owner_slots(text: str, vocabulary: str = "owner") -> Reading | None:
    """Owner words: Provider/Customer/Shared/Both, CSA CAIQ's SSRM ownership, FedRAMP's Can Be Inherited."""
    low = " ".join(_key(text).replace("_", " ").split())
    if not low:
        return None
    if vocabulary == "fedramp":
        word = low.split()[0].strip(".,;:")
        if word in ("yes", "y", "inherited"):
            return Reading("owner", slots=(("provider", "A/R"),), note=_rest(text))
        if word in ("no", "n"):
            return Reading("owner", slots=(("client", "A/R"),), note=_rest(text))
        if word in ("partial", "partially", "shared", "hybrid"):
            return Reading("owner", slots=(("provider", "R"), ("client", "R")), shared=True, note=_rest(text))
        return None
    if vocabulary == "caiq":
        compact = low.replace("-", " ")
        table = (("csp owned", (("provider", "A/R"),), False), ("csc owned", (("client", "A/R"),), False),
                 ("3rd party outsourced", (("provider", "A"), ("third", "R")), False),
                 ("third party outsourced", (("provider", "A"), ("third", "R")), False),
                 ("shared csp and csc", (("provider", "R"), ("client", "R")), True),
                 ("shared csp and 3rd party", (("provider", "R"), ("third", "R")), True),
                 ("shared csp and third party", (("provider", "R"), ("third", "R")), True))
        for prefix, slots, shared in table:
            if compact.startswith(prefix):
                return Reading("owner", slots=slots, shared=shared)
        return None
    if low in ("inherited", "inheritable", "fully inherited"):
        return Reading("owner", slots=(("provider", "A/R"),))
    words = re.sub(r"[^\w&/ -]+", " ", low)
    words = re.sub(r"\b(owned|owner|responsibility|responsible|only|side|team|'s|s)\b", " ", words)
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
    leftover = padded
    for w in (*PROVIDER_WORDS, *CLIENT_WORDS, *THIRD_WORDS, *SHARED_WORDS, "and", "&", "/", "-", "the", "with", "et", "of"):
        leftover = leftover.replace(f" {w} ", " ")
    if len(leftover.split()) > 1:
        return None  # a sentence that mentions a customer is not an owner word
    if shared and named in ([], ["provider"], ["client"]):
        named = ["provider", "client"]
    if shared or len(named) > 1:
        return Reading("owner", slots=tuple((s, "R") for s in named), shared=True)
    if len(named) == 1:
        return Reading("owner", slots=((named[0], "A/R"),))
    return None


def _rest(text: str) -> str:
    parts = clean(text).split(None, 1)
    return parts[1].strip(" -\u2013:;,()") if len(parts) > 1 else ""


# --------------------------------------------------------------------------- party kinds

_CLIENT_KIND = ("client", "customer", "internal", "in-house", "inhouse", "company", "csc", "entity", "agency", "county",
                "city", "state", "organisation", "organization", "business", "leadership", "executive", "management",
                "owner", "it department", "it team", "board", "cfo", "ceo", "cio", "cto", "ciso", "director", "staff",
                "employer", "user", "your", "you", "tenant", "subscriber", "school", "district", "practice", "clinic",
                "mission owner", "department", "central it", "end user", "end-user", "team", "teams", "committee", "unit",
                "office", "manager", "head of", "owner", "steward", "hr", "finance", "legal", "security officer")
_MSP_KIND = ("msp", "mssp", "provider", "contractor", "supplier", "csp", "tpsp", "esp", "managed", "outsourc", "consultant",
             "noc", "soc", "support", "professional services", "our", "we", "service desk", "helpdesk", "prestataire",
             "partner", "integrator", "reseller partner")
_VENDOR_KIND = ("vendor", "isp", "3rd", "third", "saas", "oem", "carrier", "manufacturer", "reseller", "hyperscaler",
                "aws", "azure", "microsoft", "google", "gcp", "amazon", "oracle", "ibm", "licensor")
_CLOUDS = ("aws", "azure", "microsoft", "google", "gcp", "amazon", "hyperscaler")


def is_org_name(header: str) -> bool:
    """True when a party header is nothing but a cloud provider's name ("AWS", "Azure"): an organisation, not a role."""
    words = re.sub(r"[^\w]+", " ", clean(header).casefold()).split()
    return bool(words) and all(w in _CLOUDS for w in words)


def guess_kind(header: str) -> tuple[str, bool]:
    """The party kind a header suggests, and whether a known word said so (True) or it is a default (False)."""
    low = clean(header).casefold()
    words = " " + re.sub(r"[^\w]+", " ", low) + " "

    def has(vocab: tuple[str, ...]) -> bool:
        return any(f" {w}" in words for w in vocab)

    if has(("msp", "mssp", "managed service")):
        return "msp", True
    if has(_CLIENT_KIND) or re.search(r"\bit\b", words) and not has(_MSP_KIND):
        return "client", True
    if has(tuple(w for w in _VENDOR_KIND if w not in _CLOUDS)) and not has(("provider", "csp")):
        return "vendor", True
    if has(_MSP_KIND):
        return "msp", True
    if has(_CLOUDS):
        return "vendor", True
    return "msp", False
