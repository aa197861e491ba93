"""Stage 4, mapping: which catalog activity a row label means, with a confidence.

Labels are compared word by word: rare words ("firewall", "tier3") identify an activity, common ones
("management", "support") barely do, and a confident match needs at least one meaningful word in common, so
"Security incident response" never lands on door access. Names, aliases and the activity id count in
full; descriptions count for less. A label that joins several things ("Backup & Recovery", "L1/L2 Service
Desk", "Tier 1 helpdesk (passwords, printers)") is also tried part by part, and the section heading or the
table's title breaks near-ties and helps a label that says little on its own. Control ids (``AC-2(a)``,
``TVM-01``, ``3.1.1``) map through the catalog's control crosswalk.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from raci.catalog import Catalog
from raci.contracts.lexicon import ACTIONS, GENERIC, PROCESS, normalize, split_parts, tokens
from raci.limits import MAX_LABEL

DEFAULT_THRESHOLD = 0.80
CLEAR_FLOOR = 0.6  # below the threshold, a match this good is taken when it is clearly ahead of the runner-up
CLEAR_GAP = 0.08
DOMAIN_GAP = 0.12  # the lead over every other domain that lets a domain's best activity stand for a row
CLEAR_WORDS = 10  # a sentence-long label is not guessed: one shared word in twelve proves little
AMBIGUOUS_GAP = 0.02  # a runner-up this close fits as well: a person must choose, not the catalog order
IGNORE = "ignore"
SCOPE = 0.5
SHORT_SCOPE = 0.65  # the same, in a short label ("Patch management for servers"): where weighs nearly as much as what
PROCESS_W = 0.5
UNKNOWN_W = 0.6  # weight of a word no activity uses, in a sentence-long label
PROSE_WORDS = 5  # a label of more words than this (after stop words) reads as a sentence
# MAX_LABEL (raci.limits): characters of a label, heading or id compared, so matching costs the same however long a cell is

_EXAMPLES = re.compile(r"\([^()]*(?:,|\be\.?g\.|\betc\b|\.\.\.|…)[^()]*\)")  # "(compute, storage, ...)"


@dataclass(frozen=True)
class Match:
    """The catalog activity a label maps to (None below the threshold), its confidence, and the best candidates."""

    activity: str | None
    confidence: float
    suggestions: tuple[tuple[str, float], ...] = ()
    how: str = "fuzzy"  # exact, control, map, ignore, fuzzy, clear, part, domain (stands for its domain), head (a tie
    # broken by the label's first words), ambiguous (activity None)


@dataclass
class Matcher:
    """An index over one catalog, built once and reused for every row of every document."""

    catalog: Catalog
    threshold: float = DEFAULT_THRESHOLD
    _exact: dict[str, str] = field(default_factory=dict, repr=False)
    _cache: dict[tuple[str, str, str, tuple[str, ...]], Match] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        ambiguous: set[str] = set()
        self._texts: list[tuple[str, tuple[str, ...]]] = []  # (activity, tokens) of names, aliases, id tails
        tails: list[tuple[str, str]] = []
        for act in self.catalog.activities.values():
            for text in (act.name, *act.aliases):
                key = normalize(text)
                if not key:
                    continue
                if key in self._exact and self._exact[key] != act.id:
                    ambiguous.add(key)
                self._exact.setdefault(key, act.id)
                self._texts.append((act.id, tuple(dict.fromkeys(key.split()))))
            tail = normalize(act.id.split(".", 1)[-1].replace("-", " "))
            if len(tail.split()) > 1:  # "design" or "policy" as an id tail names nothing on its own
                tails.append((act.id, tail))
        for key in ambiguous:
            self._exact.pop(key, None)
        for aid, key in tails:  # an id tail never outranks a name or alias that another activity owns
            if key not in self._exact and key not in ambiguous:
                self._exact[key] = aid
            self._texts.append((aid, tuple(dict.fromkeys(key.split()))))
        owners: dict[str, set[str]] = {}
        self._by_aid: dict[str, list[int]] = {}
        for i, (aid, _words) in enumerate(self._texts):
            self._by_aid.setdefault(aid, []).append(i)
        self._by_token: dict[str, list[int]] = {}
        for i, (aid, words) in enumerate(self._texts):
            for t in words:
                self._by_token.setdefault(t, []).append(i)
                owners.setdefault(t, set()).add(aid)
        self._desc: dict[str, set[str]] = {}
        self._desc_by_token: dict[str, set[str]] = {}
        for act in self.catalog.activities.values():
            tokens = set(normalize(act.description).split())
            self._desc[act.id] = tokens
            for t in tokens:
                self._desc_by_token.setdefault(t, set()).add(act.id)
                owners.setdefault(t, set()).add(act.id)
        n = max(1, len(self.catalog.activities))
        # rare words identify an activity; common ones barely do
        self._idf = {t: 1.0 + math.log(n / len(a)) for t, a in owners.items()}
        self._unknown = 1.0 + math.log(n)  # a word no activity uses: in a short label, the name of something else
        self._text_w = [sum(self._w(t) for t in tokens) for _aid, tokens in self._texts]
        self._domain_names = {d.id: set(normalize(d.name).split()) - GENERIC for d in self.catalog.domains}
        self._domain_exact = {normalize(d.name): d.id for d in self.catalog.domains}

    def _w(self, token: str, prose: bool = False) -> float:
        """How much a word tells: rare catalog words most, generic ones little. A word no activity uses names
        something else in a short label ("Server room coffee machine"), but in a sentence it is mostly filler
        ("integrated", "selected"), so there it weighs about as much as a common catalog word."""
        unknown = UNKNOWN_W if prose else self._unknown
        return self._idf.get(token, unknown) * (0.35 if token in GENERIC else 1.0)

    def is_domain_name(self, label: str) -> bool:
        """True when a label names a catalog domain ("Patch management"): a section heading, not an activity."""
        return normalize(label[:MAX_LABEL]) in self._domain_exact

    def without(self, label: str, names: frozenset[str]) -> str:
        """``label`` without the words of organisation names (``Cloud Temple``, ``Red Hat``): a provider's name in
        its own matrix says who, not what. Only the first MAX_LABEL characters are compared, so only those are kept."""
        label = label[:MAX_LABEL]
        if not names:
            return label
        kept = [w for w in re.split(r"(\W+)", label) if normalize(w) not in names or not w.strip()]
        return "".join(kept)

    def match(self, label: str, context: str | None = None, ident: str | None = None,
              about: tuple[str, ...] = ()) -> Match:
        """Best activity for ``label``; ``context`` (section heading, table title) breaks near-ties; ``ident``
        is an id column's value (a control id) tried through the control crosswalk; ``about`` lists what the
        activity must each share a word with (a resource x process cell: its resource and its process)."""
        key = (label, context or "", ident or "", about)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._match(label[:MAX_LABEL], context[:MAX_LABEL] if context else None, ident[:MAX_LABEL] if ident else None)
            if about and hit.how != "control":
                fits = [(aid, c) for aid, c in hit.suggestions if all(self._about(aid, text) for text in about)]
                if hit.activity is not None and hit.activity in dict(fits):
                    pass
                elif fits and fits[0][1] >= CLEAR_FLOOR:
                    hit = Match(fits[0][0], fits[0][1], hit.suggestions, "fuzzy")
                else:
                    hit = Match(None, hit.confidence, hit.suggestions, "fuzzy")
            self._cache[key] = hit
        return hit

    def _about(self, aid: str, subject: str) -> bool:
        """True when the activity's names, aliases or description share a meaningful word with ``subject``. A subject
        made only of generic words and process nouns ("Customer data", "Incident and operations management") says
        nothing an activity could share, so it does not constrain: the other subject decides."""
        words = set(normalize(subject[:MAX_LABEL]).split()) - GENERIC
        if words <= PROCESS:
            return True
        act = self.catalog.activities[aid]
        known = set(normalize(" ".join((act.name, *act.aliases, act.description))).split())
        return bool(words & known)

    def _match(self, label: str, context: str | None, ident: str | None) -> Match:
        text = label.strip()
        if text in self.catalog.activities:
            return Match(text, 1.0, ((text, 1.0),), "exact")
        control = self._control(ident, context) or self._control(text, context)
        if control is not None:
            return control
        norm = normalize(text)
        if not norm:
            return Match(None, 0.0, (), "fuzzy")
        exact = self._exact.get(norm)
        # in a short label ("Patch management for servers") where a thing is done weighs nearly as much as what is done
        factors, extra = self._scope(text, SCOPE if len(norm.split()) > PROSE_WORDS else SHORT_SCOPE)
        scores = self._score(norm.split() + extra, context, factors)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.catalog.order[kv[0]]))
        suggestions = tuple((aid, round(min(1.0, s), 2)) for aid, s in ranked[:3])
        if exact is not None:
            others = tuple(s for s in suggestions if s[0] != exact)[:2]
            return Match(exact, 1.0, ((exact, 1.0), *others), "exact")
        domain = self._domain_exact.get(norm)
        if domain is not None:
            # a row named after a whole domain ("Patch management") covers its activities; its lead stands for them
            lead = next((aid for aid, _s in ranked if self.catalog.activities[aid].domain == domain),
                        self.catalog.activities_in(domain)[0].id)
            others = tuple(x for x in suggestions if x[0] != lead)[:2]
            return Match(lead, self.threshold, ((lead, self.threshold), *others), "domain")
        parts = split_parts(text)
        # a label that joins several things is not guessed whole: its parts decide ("Policy & Compliance")
        # (a list of verbs with one object, "Create, install and update your VMs", joins one thing, not several)
        joined = len(parts) > 1 and parts[-1] != text and not all(self._bare_word(p) for p in parts[:-1])
        words = CLEAR_WORDS + 1 if joined else sum(1 for t in set(norm.split()) if t not in GENERIC)
        whole = self._decide(ranked, suggestions, words)
        if whole.how == "ambiguous":
            whole = self._by_head(norm.split(), ranked, whole)
        if len(parts) == 2 and parts[1] == text and self._says_enough(parts[0]) and _EXAMPLES.search(text):
            # only a parenthesis set apart, and it lists examples ("Size your platform (compute, storage,
            # network)"): the words outside it say what the row is, when they are enough to go on
            main = self._match(parts[0], context, None)
            if main.activity is not None and main.activity != whole.activity:
                return Match(main.activity, min(main.confidence, 0.95), main.suggestions, "part")
        if (len(parts) > 1 or parts[0] != text) and (whole.activity is None or whole.confidence < 0.9):
            by_parts = self._by_parts(text, [p for p in parts if p != text], context, whole, suggestions)
            if by_parts is not None:
                return by_parts
        return whole

    def _by_parts(self, text: str, parts: list[str], context: str | None, whole: Match,
                  suggestions: tuple[tuple[str, float], ...]) -> Match | None:
        """The match of a label that joins several things, decided by its parts; None when they do not decide."""
        after = self._after_category(text, parts, context)
        if after is not None:
            return after
        by_part = [self._match(p, context, None) for p in parts]
        # the first thing a label names is what it is about: a later part decides only when the first says nothing
        confident = [m for p, m in zip(parts, by_part) if m.activity is not None and (self._says_enough(p) or m.how == "domain")]
        if confident and by_part and by_part[0].activity is None and by_part[0].suggestions \
                and not self._names_a_domain(parts[0]):
            # (a first part that only names a domain, "IAM - Access reviews", is a category, not a topic)
            confident = []
        if confident:
            first = confident[0]
            conf = round(min(first.confidence, 0.95) * (1.0 if len({m.activity for m in confident}) == 1 else 0.97), 2)
            if conf >= self.threshold and conf >= whole.confidence:
                top = first.activity or ""
                seen = {top}
                rest: list[tuple[str, float]] = []
                for aid, c in [(m.activity or "", m.confidence) for m in confident[1:]] + list(suggestions):
                    if aid not in seen:
                        seen.add(aid)
                        rest.append((aid, c))
                return Match(top, conf, ((top, conf), *rest)[:3], "part")
        return None

    def _after_category(self, text: str, parts: list[str], context: str | None) -> Match | None:
        """"IAM - Ongoing access reviews", "Backup: restore tests": a first part that only names a domain, set off by
        a dash or a colon, is a category; what follows it is the topic and decides alone."""
        if len(parts) != 2 or not self._names_a_domain(parts[0]) or self._names_a_domain(parts[1]):
            return None
        head = re.match(r"^\W*(.+?)\s*(?:\s[-\u2013\u2014]\s|:)", text)
        if head is None or normalize(head.group(1)) != normalize(parts[0]):
            return None
        found = self._match(parts[1], context, None)
        return found if found.activity is not None else None

    def _by_head(self, words: list[str], ranked: list[tuple[str, float]], tie: Match) -> Match:
        """Equally good candidates of different domains: the one whose names share the label's earliest meaningful
        word wins, as a reader takes "Monitor the performance of compute, storage and network" to be about
        performance monitoring. Still a tie when the earliest word is shared by several or by none."""
        raw = ranked[0][1]
        close = [aid for aid, score in ranked if raw - score < AMBIGUOUS_GAP]
        known = {aid: {t for i in self._by_aid.get(aid, ()) for t in self._texts[i][1]} for aid in close}
        for t in words:
            if t in GENERIC:
                continue
            having = [aid for aid in close if t in known[aid]]
            if len(having) == 1:
                return Match(having[0], tie.confidence, tie.suggestions, "head")
            if having:
                break
        return tie

    def _bare_word(self, part: str) -> bool:
        """True when ``part`` is one action verb of a list ("Create, install and update ..."): it names no
        activity by itself ("Policy & Compliance" joins two things; "Create, install" does not)."""
        words = normalize(part[:MAX_LABEL]).split()
        return len(words) == 1 and words[0] in ACTIONS

    def _names_a_domain(self, part: str) -> bool:
        """True when every meaningful word of ``part`` is a word of one domain's name ("IAM", "Backup")."""
        words = set(normalize(part[:MAX_LABEL]).split()) - GENERIC
        return bool(words) and any(words <= names for names in self._domain_names.values())

    def _says_enough(self, part: str) -> bool:
        """A part of a joined label decides alone only with two meaningful words or one rare one ("SIEM")."""
        words = [t for t in normalize(part).split() if t not in GENERIC]
        return len(words) >= 2 or (len(words) == 1 and self._idf.get(words[0], self._unknown) >= 1.0 + math.log(20))

    def _decide(self, ranked: list[tuple[str, float]], suggestions: tuple[tuple[str, float], ...], words: int = 0) -> Match:
        if not ranked:
            return Match(None, 0.0, (), "fuzzy")
        top_id, raw = ranked[0]
        gap = raw - ranked[1][1] if len(ranked) > 1 else 1.0
        top = round(min(1.0, max(0.0, raw - max(0.0, 0.08 - gap))), 2)  # a close runner-up lowers the confidence
        if raw >= self.threshold and gap < AMBIGUOUS_GAP:
            close = {aid for aid, score in ranked if raw - score < AMBIGUOUS_GAP}
            if len({self.catalog.activities[aid].domain for aid in close}) == 1:
                # equally good siblings of one domain ("Backup & Recovery"): the row covers the domain's work, and
                # the best-placed sibling stands for it; siblings of different domains need a person to choose
                return Match(top_id, max(self.threshold, top), suggestions, "domain")
            return Match(None, top, suggestions, "ambiguous")
        if top >= self.threshold:
            return Match(top_id, top, suggestions, "fuzzy")
        if self.threshold == DEFAULT_THRESHOLD and raw >= CLEAR_FLOOR and gap < CLEAR_GAP and 2 <= words <= CLEAR_WORDS:
            # the best candidates are siblings of one domain, clearly ahead of every other domain: the row is that
            # domain's work, and the best of them stands for it (the report shows the confidence and the runner-up);
            # a one-word label ("Patching") is too vague to stand for any one of them
            dom = self.catalog.activities[top_id].domain
            other = next((score for aid, score in ranked if self.catalog.activities[aid].domain != dom), 0.0)
            if raw - other >= DOMAIN_GAP:
                return Match(top_id, top, suggestions, "domain")
        if self.threshold == DEFAULT_THRESHOLD and raw >= CLEAR_FLOOR and gap >= CLEAR_GAP and words <= CLEAR_WORDS:
            # no certain match, but one activity clearly ahead of every other: a consultant takes it, and the
            # report shows the confidence so a person can overrule it with --map
            return Match(top_id, top, suggestions, "clear")
        return Match(None, top, suggestions, "fuzzy")

    def _scope(self, text: str, scope: float = SCOPE) -> tuple[dict[str, float], list[str]]:
        """Weight factors of a prose label's words: what is done counts in full, where it is done
        ("... on your virtual machines") for less. The head is the first segment with a meaningful word that is not
        a process noun; process nouns ("incidents on the storage") count for less, and an incident of a named thing
        is a fault of it. Returns the factors and the extra words this adds."""
        toks = tokens(text)
        meaningful = [seg for t, seg in toks if t not in GENERIC and t not in PROCESS and t in self._idf]
        head = meaningful[0] if meaningful else None
        factors: dict[str, float] = {}
        extra: list[str] = []
        for t, seg in toks:
            if head is None or seg == head:
                f = 1.0
            elif seg < head:
                f = PROCESS_W if t in PROCESS else 1.0
                if t == "incident" and f < 1.0:
                    extra.append("fault")
            else:
                f = scope
            factors[t] = max(factors.get(t, 0.0), f)
        for t in extra:
            factors.setdefault(t, PROCESS_W)
        return factors, extra

    def _score(self, words: list[str], context: str | None, factors: dict[str, float] | None = None) -> dict[str, float]:
        prose = len(words) > PROSE_WORDS
        weights = {t: self._w(t, prose) * (factors or {}).get(t, 1.0) for t in dict.fromkeys(words)}
        total = sum(weights.values()) or 1.0
        best: dict[str, float] = {}
        common: dict[int, float] = {}
        meaningful: dict[int, bool] = {}
        for t, w in weights.items():
            for i in self._by_token.get(t, ()):
                common[i] = common.get(i, 0.0) + w
                meaningful[i] = meaningful.get(i, False) or t not in GENERIC
        union: dict[str, float] = {}  # label words an activity knows from any of its names and aliases
        best_cover: dict[str, float] = {}
        for t, w in weights.items():
            for aid in {self._texts[i][0] for i in self._by_token.get(t, ())}:
                union[aid] = union.get(aid, 0.0) + w
        n_label = max(1, sum(1 for t in weights if t not in GENERIC))
        for i, shared in common.items():
            aid = self._texts[i][0]
            # a sentence-long label covers a short activity name without being covered by it: weigh what the
            # name finds in the label more than what the label finds in the name
            size = len(self._texts[i][1])
            alpha = 0.45 * min(1.0, (size + 1) / n_label) if size > 1 else 0.45
            score = (1.0 - alpha) * shared / self._text_w[i] + alpha * shared / total
            if not meaningful[i]:
                score = min(score, 0.6)  # only generic words in common: never a confident match
            if score > best.get(aid, 0.0):
                best[aid] = score
                best_cover[aid] = shared / total
        for aid, cover in best_cover.items():
            if best[aid] > 0.6:
                best[aid] += 0.3 * max(0.0, union[aid] / total - cover)
        # descriptions: words the label shares with what an activity is about count for less
        desc: dict[str, float] = {}
        for t, w in weights.items():
            if t in GENERIC:
                continue
            for aid in self._desc_by_token.get(t, ()):
                desc[aid] = desc.get(aid, 0.0) + w
        for aid, shared in desc.items():
            cover = shared / total
            best[aid] = max(best.get(aid, 0.0) + 0.08 * cover, 0.7 * cover)
        if context:
            ctx = set(normalize(context).split()) - GENERIC
            hits = {d for d, words in self._domain_names.items() if words and len(words & ctx) * 2 >= len(words)} if ctx else set()
            for aid in best:
                if self.catalog.activities[aid].domain in hits:
                    best[aid] += 0.05  # not capped here, or two perfect scores would stay tied
        return best

    def _control(self, text: str | None, hint: str | None) -> Match | None:
        if not text:
            return None
        try:
            from raci.controls import activities_for_control, parse_control
        except ImportError:  # pragma: no cover - the crosswalk ships with the package
            return None
        ref = parse_control(text, hint)
        if ref is None:
            return None
        found = activities_for_control(self.catalog, ref)
        if not found:
            return Match(None, 0.0, (), "control")
        return Match(found[0], 1.0, tuple((a, 1.0) for a in found[:3]), "control")
