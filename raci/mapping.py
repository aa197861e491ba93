"""Mapping document row labels onto catalog activities: names, aliases and fuzzy matching, with a confidence."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from raci.catalog import Catalog
from raci.errors import DocumentError, InputError, Problem

DEFAULT_THRESHOLD = 0.80
AMBIGUOUS_GAP = 0.02  # a runner-up this close fits as well: a person must choose, not the catalog order
IGNORE = "ignore"

_STOP = {"the", "of", "and", "for", "to", "a", "an", "on", "in", "with", "by", "all", "any", "our", "its", "etc", "incl",
         "including", "e", "g", "eg", "ie", "i"}
# Words contracts use interchangeably; each maps to one spelling before matching.
_SYNONYMS = {
    "helpdesk": "servicedesk", "help": "service", "l1": "tier1", "l2": "tier2", "l3": "tier3", "t1": "tier1", "t2": "tier2",
    "t3": "tier3", "pc": "workstation", "pcs": "workstation", "desktop": "workstation", "desktops": "workstation",
    "laptop": "workstation", "laptops": "workstation", "endpoint": "workstation", "endpoints": "workstation",
    "o365": "m365", "office365": "m365", "microsoft365": "m365", "av": "antivirus", "anti-virus": "antivirus",
    "mfa": "multifactor", "2fa": "multifactor", "multi-factor": "multifactor", "dr": "disaster-recovery",
    "bcp": "continuity", "os": "operating-system", "patches": "patch", "updates": "update", "fw": "firewall",
    "onboarding": "joiner", "offboarding": "leaver", "vcio": "strategy",
}
_TIER_RE = re.compile(r"\b(tier|level|line)\s*[-#]?\s*(1|2|3|i{1,3}|one|two|three)\b")
_TIER_NUM = {"1": "1", "2": "2", "3": "3", "i": "1", "ii": "2", "iii": "3", "one": "1", "two": "2", "three": "3"}


def normalize(label: str) -> str:
    """Lower case, tiers written one way, synonyms unified, light stemming, stop words dropped."""
    text = label.lower().replace("&", " and ").replace("_", " ")
    text = _TIER_RE.sub(lambda m: f" tier{_TIER_NUM[m.group(2)]} ", text)
    text = re.sub(r"\b(first|1st)[- ]line\b", " tier1 ", text)
    text = re.sub(r"\b(second|2nd)[- ]line\b", " tier2 ", text)
    text = re.sub(r"\b(third|3rd)[- ]line\b", " tier3 ", text)
    text = re.sub(r"\bhelp[\s-]*desk\b|\bservice[\s-]*desk\b", " servicedesk ", text)
    text = re.sub(r"\b24\s*[x/]\s*7\b", " 24x7 ", text)
    words = []
    for raw in re.split(r"[^a-z0-9x-]+", text):
        w = raw.strip("-")
        if not w or w in _STOP:
            continue
        w = _SYNONYMS.get(w, w)
        words.append(_stem(w))
    return " ".join(words)


def _stem(word: str) -> str:
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Match:
    """The catalog activity a label maps to (None below the threshold), its confidence, and the best candidates."""

    activity: str | None
    confidence: float
    suggestions: tuple[tuple[str, float], ...] = ()
    how: str = "fuzzy"  # exact, map, ignore, fuzzy, ambiguous (two activities fit equally; activity is None)


# Words that say little about which activity a row is; they count for less when comparing words.
_GENERIC = {"management", "manage", "support", "service", "administration", "admin", "system", "it", "process",
            "activity", "task", "general", "provide", "ensure", "perform", "maintain", "maintenance"}


def _weight(token: str, idf: dict[str, float], unknown: float) -> float:
    return idf.get(token, unknown) * (0.5 if token in _GENERIC else 1.0)


@dataclass
class Matcher:
    """A fuzzy index over one catalog, built once and reused for every row of every document."""

    catalog: Catalog
    threshold: float = DEFAULT_THRESHOLD
    _choices: list[str] = field(default_factory=list, repr=False)
    _owners: list[str] = field(default_factory=list, repr=False)
    _exact: dict[str, str] = field(default_factory=dict, repr=False)
    _cache: dict[tuple[str, str], Match] = field(default_factory=dict, repr=False)
    _tokens: list[set[str]] = field(default_factory=list, repr=False)
    _by_token: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        ambiguous: set[str] = set()
        for act in self.catalog.activities.values():
            texts = [act.name, *act.aliases, act.id.split(".", 1)[-1].replace("-", " ")]
            for text in texts:
                key = normalize(text)
                if not key:
                    continue
                if key in self._exact and self._exact[key] != act.id:
                    ambiguous.add(key)
                self._exact.setdefault(key, act.id)
                self._choices.append(key)
                self._owners.append(act.id)
        for key in ambiguous:
            self._exact.pop(key, None)
        df: dict[str, set[str]] = {}
        for i, choice in enumerate(self._choices):
            tokens = set(choice.split())
            self._tokens.append(tokens)
            for t in tokens:
                self._by_token.setdefault(t, []).append(i)
                df.setdefault(t, set()).add(self._owners[i])
        # Rare words ("tier3", "firewall") identify an activity; common ones ("escalation") barely do.
        n = max(1, len(self.catalog.activities))
        self._idf = {t: 1.0 + math.log(n / len(owners)) for t, owners in df.items()}
        self._unknown = 1.0 + math.log(n)
        self._choice_w = [sum(_weight(t, self._idf, self._unknown) for t in tokens) for tokens in self._tokens]
        self._domain_hits: dict[str, set[str]] = {}
        self._domain_names = {d.id: normalize(d.name) for d in self.catalog.domains}

    def match(self, label: str, domain: str | None = None) -> Match:
        """Best activity for ``label``; ``domain`` (the section the row sits in) breaks near-ties."""
        key = (label, domain or "")
        hit = self._cache.get(key)
        if hit is None:
            hit = self._match(label, domain)
            self._cache[key] = hit
        return hit

    def _match(self, label: str, domain: str | None) -> Match:
        from rapidfuzz import fuzz, process

        text = label.strip()
        if text in self.catalog.activities:
            return Match(text, 1.0, ((text, 1.0),), "exact")
        norm = normalize(text)
        if not norm:
            return Match(None, 0.0, (), "fuzzy")
        exact = self._exact.get(norm)
        best: dict[str, float] = {}
        for _choice, score, idx in process.extract(norm, self._choices, scorer=fuzz.WRatio, limit=40):
            sort_score = fuzz.token_sort_ratio(norm, self._choices[idx])
            # WRatio alone scores a one-word label 90 against any name that contains it; blend in the
            # whole-string comparison so that "Patching" does not look certain.
            combined = (0.6 * score + 0.4 * sort_score) / 100
            aid = self._owners[idx]
            if combined > best.get(aid, 0.0):
                best[aid] = combined
        # Word overlap finds reordered wordings ("Patch management for servers" / "server patching")
        # that character-level scores miss; only choices sharing a word are compared.
        weights = {t: _weight(t, self._idf, self._unknown) for t in set(norm.split())}
        wa = sum(weights.values())
        common_w: dict[int, float] = {}
        for t, w in weights.items():
            for i in self._by_token.get(t, ()):
                common_w[i] = common_w.get(i, 0.0) + w
        for idx, common in common_w.items():
            score = 0.6 * common / self._choice_w[idx] + 0.4 * common / wa
            aid = self._owners[idx]
            if score > best.get(aid, 0.0):
                best[aid] = score
        if domain:
            hits = self._domain_hits.get(domain)
            if hits is None:
                dnorm = normalize(domain)
                hits = {d for d, name in self._domain_names.items() if name and fuzz.token_set_ratio(dnorm, name) >= 80}
                self._domain_hits[domain] = hits
            for aid in best:
                if self.catalog.activities[aid].domain in hits:
                    best[aid] += 0.05  # not capped here, or two perfect scores would stay tied
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], self.catalog.order[kv[0]]))
        suggestions = tuple((aid, round(min(1.0, score), 2)) for aid, score in ranked[:3])
        if exact is not None:
            others = tuple(s for s in suggestions if s[0] != exact)[:2]
            return Match(exact, 1.0, ((exact, 1.0), *others), "exact")
        if not ranked:
            return Match(None, 0.0, (), "fuzzy")
        top_id, raw = ranked[0]
        gap = raw - ranked[1][1] if len(ranked) > 1 else 1.0
        top = round(min(1.0, max(0.0, raw - max(0.0, 0.08 - gap))), 2)  # a close runner-up lowers the confidence
        if raw >= self.threshold and gap < AMBIGUOUS_GAP:
            return Match(None, top, suggestions, "ambiguous")
        if top >= self.threshold:
            return Match(top_id, top, suggestions, "fuzzy")
        return Match(None, top, suggestions, "fuzzy")


# --------------------------------------------------------------------------- hand-made maps


@dataclass
class RowMap:
    """A person's decisions: label -> activity id or ``ignore``; parties: header -> kind."""

    path: str
    rows: dict[str, str | None]
    parties: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._folded = {" ".join(k.lower().split()): k for k in self.rows}

    def find(self, label: str) -> str | None:
        """The key of the map entry for ``label`` (exact, else ignoring case and spacing), or None."""
        if label in self.rows:
            return label
        return self._folded.get(" ".join(label.lower().split()))


def load_map(path: str | Path, catalog: Catalog) -> RowMap:
    """Load a ``--map`` YAML file: {label: activity id | ignore | null}, or {rows: {...}, parties: {header: kind}}."""
    from raci.engagement import KINDS
    from raci.yamlio import line_of, load_yaml_file

    p = str(path)
    try:
        data = load_yaml_file(p)
    except InputError as exc:
        raise DocumentError(exc.problems) from None
    if data is None:
        return RowMap(p, {})
    if not isinstance(data, dict):
        raise DocumentError(Problem(p, "expected a mapping of row label: activity id (or ignore)", line_of(data, default=1)))
    structured = set(data) <= {"rows", "parties"} and all(isinstance(v, dict) or v is None for v in data.values())
    rows_obj = (data.get("rows") or {}) if structured else data
    parties_obj = (data.get("parties") or {}) if structured else {}
    problems: list[Problem] = []
    rows: dict[str, str | None] = {}
    for label, target in rows_obj.items():
        line = line_of(rows_obj, label)
        label_text = str(label)
        if target is not None and not isinstance(target, str):
            problems.append(Problem(p, f"{label_text!r}: expected an activity id or 'ignore', not {target!r}", line))
            continue
        if isinstance(target, str):
            target = target.strip()
            if target != IGNORE and target not in catalog.activities:
                problems.append(Problem(p, f"{label_text!r}: unknown activity {target!r} (use an id from 'raci catalog', or ignore)", line))
                continue
        rows[label_text] = target
    parties: dict[str, str] = {}
    for header, kind in parties_obj.items():
        if kind not in KINDS:
            problems.append(Problem(p, f"party {header!r}: kind must be one of {', '.join(KINDS)}, not {kind!r}", line_of(parties_obj, header)))
            continue
        parties[str(header)] = kind
    if problems:
        raise DocumentError(problems)
    return RowMap(p, rows, parties)


def proposed_map(entries: list[tuple[str, str, Match]], catalog: Catalog, header: list[str] | None = None) -> str:
    """A YAML map for a person to review: one line per distinct label, with confidence and suggestions as comments.

    ``entries`` holds (label, where, match). Unmapped labels are written as null (decide: an id, or ignore).
    """
    from raci.engagement import yaml_scalar

    out = [f"# {line}" if line else "#" for line in (header or [])]
    out.append("# Each row label maps to a catalog activity id, to 'ignore' (not an IT activity), or to null")
    out.append("# (no decision yet: the automatic match is used). Review, edit, and pass it back with --map.")
    out.append("rows:")
    seen: set[str] = set()
    for label, where, match in entries:
        if label in seen:
            continue
        seen.add(label)
        sugg = ", ".join(f"{aid} ({score:.2f})" for aid, score in match.suggestions)
        if match.how == "map":
            comment = f"from the map given ({where})"
        elif match.how == "ignore":
            comment = f"ignored ({where})"
        elif match.how == "ambiguous":
            comment = f"fits more than one activity about equally ({where}): {sugg}"
        elif match.activity is not None:
            name = catalog.activities[match.activity].name
            comment = f"{name}; confidence {match.confidence:.2f} ({where})"
        else:
            comment = f"no match above the threshold ({where}); closest: {sugg or 'none'}"
        value = IGNORE if match.how == "ignore" else (match.activity or "null")
        out.append(f"  {yaml_scalar(label)}: {value}  # {comment}")
    return "\n".join(out) + "\n"
