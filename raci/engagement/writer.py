"""Writing engagement files with a real YAML emitter (ruamel.yaml), commented for the people who edit them.

raci reads YAML with PyYAML's YAML 1.1 rules, where ``yes``, ``off``, ``1_000``, ``2026-01-01`` and ``=``
are not text. ruamel.yaml writes YAML 1.2, so every string is given a style here: plain when it is
ordinary words that both readers take as the same text, double-quoted (with escapes) otherwise. Any text
a user can type therefore comes back unchanged: commas, quotes, ``#``, leading indicators, NBSP, U+0085,
emoji, trailing spaces.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from typing import Any

import yaml

from raci.engagement.model import THRESHOLD_KEYS, Engagement

_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
# Words, digits and a little punctuation that cannot start or end a YAML indicator. Commas are allowed:
# the emitter itself quotes a value holding one where it sits in a flow mapping.
_PLAIN = re.compile(r"[^\W_](?:[\w .,/()&'+@-]*[\w.)])?")


def plain_safe(text: str) -> bool:
    """Whether ``text`` may be written without quotes and read back by raci as the same string."""
    return (
        bool(_PLAIN.fullmatch(text))
        and "  " not in text
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG
    )


def styled(value: Any) -> Any:
    """``value`` ready for the emitter: strings double-quoted unless plain is safe, containers recursed."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        return value if plain_safe(value) else DoubleQuotedScalarString(value)
    if isinstance(value, dict):
        out = CommentedMap((styled(k), styled(v)) for k, v in value.items())
        out.fa.set_flow_style()
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(styled(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    return value


def emitter():
    """The one ruamel.yaml configuration every engagement file is written and merged with."""
    from ruamel.yaml import YAML

    y = YAML()  # round-trip: keeps comments, key order and quotes of a file it loaded
    y.width = 1 << 30  # never fold a long note across lines
    y.allow_unicode = True
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(type(None), lambda r, _d: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    y.representer.add_representer(_dt.date, lambda r, d: r.represent_scalar("tag:yaml.org,2002:timestamp", d.isoformat()))
    return y


def to_text(document) -> str:
    buf = io.StringIO()
    emitter().dump(document, buf)
    return buf.getvalue()


def yaml_scalar(value: Any, quoted: bool = False) -> str:
    """One value as YAML text on one line, safe in a block or a flow collection (e.g. a key of a proposed row map);
    ``quoted`` double-quotes a string even where plain would do (to match the entries around it)."""
    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    # a comma is plain in a block but ends the value inside a flow collection: quote it wherever it may land
    one = DoubleQuotedScalarString(value) if isinstance(value, str) and ("," in value or quoted) else styled(value)
    seq = CommentedSeq([one])
    return to_text(seq).split("- ", 1)[1].rstrip("\n")


def engagement_document(eng: Engagement, header: list[str] | None = None, comments: bool = True):
    """The engagement as a ruamel.yaml document: sections in their usual order, each with its comment."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    doc = CommentedMap()
    notes: dict[str, list[str]] = {}

    def put(key: str, value: Any, *comment: str, blank: bool = True) -> None:
        doc[key] = value
        lines = [line for line in comment if comments]
        if blank or lines:
            notes[key] = ([""] if blank else []) + lines

    put("client", styled(eng.client), blank=False)
    put("provider", styled(eng.provider), blank=False)
    put("version", styled(str(eng.version)), blank=False)
    put("effective", eng.effective, blank=False)
    put("presets", styled(eng.presets), "Presets are applied in order; a later preset wins where two set the same activity.")
    p = eng.profile
    put("profile", styled({"employees": p.employees, "it_staff": p.it_staff, "compliance": p.compliance}), blank=False)
    parties = CommentedMap((pid, styled(party.to_dict())) for pid, party in eng.parties.items())
    put("parties", parties, "kind: client, msp or vendor; staff: headcount that can take on work; hours: business-hours or 24x7.")
    if eng.assignments:
        rows = CommentedMap((aid, styled(row.to_yaml_obj())) for aid, row in eng.assignments.items())
        put("assignments", rows, *_ASSIGNMENT_HELP)
    else:
        put("assignments", styled({}), *_ASSIGNMENT_HELP, *_ASSIGNMENT_EXAMPLE)
    if eng.exclusions:
        put("exclusions", CommentedSeq(styled(x) for x in eng.exclusions), _EXCLUSIONS_HELP)
    else:
        put("exclusions", styled([]), _EXCLUSIONS_HELP, "Example: exclusions: [projects.office-move]")
    if eng.notes:
        put("notes", CommentedMap((aid, styled(text)) for aid, text in eng.notes.items()), _NOTES_HELP)
    else:
        put("notes", styled({}), _NOTES_HELP, 'Example: notes: {patching.os-servers: "Second Tuesday of the month, 22:00-02:00"}')
    if eng.internal_notes:
        put("internal_notes", CommentedMap((aid, styled(text)) for aid, text in eng.internal_notes.items()),
            *_INTERNAL_NOTES_HELP)
    else:
        put("internal_notes", styled({}), *_INTERNAL_NOTES_HELP,
            'Example: internal_notes: {patching.os-servers: "Client agreed verbally; confirm in the QBR"}')
    if eng.sla:
        put("sla", CommentedMap((aid, styled(t)) for aid, t in eng.sla.items()), _SLA_HELP)
    else:
        put("sla", styled({}), _SLA_HELP, "Example: sla: {servicedesk.tier1: {response: 30m, resolution: 8h}}")
    if eng.thresholds != THRESHOLD_KEYS:
        put("thresholds", styled(eng.thresholds))
    else:
        put("thresholds", styled(THRESHOLD_KEYS), "Check thresholds: overloaded-party warns past this many R per staff member.")
    if eng.commercial:
        put("commercial", styled(eng.commercial), _COMMERCIAL_HELP)
    if eng.contract_rows:
        rows_seq = CommentedSeq(styled(row.to_yaml_obj()) for row in eng.contract_rows)
        put("contract_rows", rows_seq, *_CONTRACT_ROWS_HELP)
    for key, lines in notes.items():
        doc.yaml_set_comment_before_after_key(key, before="\n".join(lines) if lines != [""] else "\n", indent=0)
    if header:
        doc.yaml_set_start_comment("\n".join(header))
    return doc


def dump_engagement(eng: Engagement, header: list[str] | None = None, comments: bool = True) -> str:
    """Serialise an engagement as a readable, commented YAML file that loads back to the same engagement."""
    return to_text(engagement_document(eng, header, comments))


_ASSIGNMENT_HELP = (
    "Overrides: each entry replaces the preset's whole row for that activity.",
    "Letters: R, A, C, I or A/R. Add 'after-hours: {party: letter}' where nights and weekends differ.",
)
_ASSIGNMENT_EXAMPLE = (
    "Example:",
    "  patching.os-servers: {msp: A/R, client-it: I}",
    "  monitoring.alert-response: {client-it: A/R, after-hours: {msp: R, client-it: I}}",
)
_EXCLUSIONS_HELP = "Out of scope for this engagement (activity ids or globs such as projects.*)."
_NOTES_HELP = "Notes per activity; a note also records how shared work is split."
_INTERNAL_NOTES_HELP = (
    "Internal notes per activity, for the provider's own team: shown only with 'raci render --audience internal',",
    "never in a client document.",
)
_SLA_HELP = "Service levels: durations such as 15m, 4h, 2d or 3bd (business days)."
_COMMERCIAL_HELP = "Commercial status over the presets': included (in the fee), project, pass-through or excluded."
_CONTRACT_ROWS_HELP = (
    "Every row of the imported contract as written (where, cells, roles read, activity mapped or null).",
    "raci check reports their problems; map a row by setting its activity, or by an assignment above.",
)
