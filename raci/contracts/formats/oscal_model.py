"""OSCAL documents as data: loading them safely, following their links, and one entry a statement."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from raci.contracts.tables import MAX_CELL, display, fail
from raci.errors import InputError

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 100
MAX_STATEMENTS = 5_000


ROOTS = ("system-security-plan", "component-definition")


MARK = "X"


_CUSTOMER_ROLE = re.compile(r"\b(customers?|clients?|consumers?|tenants?|leveraging|subscribers?|end[- ]users?|agency|"
                            r"mission[- ]owners?|csc)\b", re.IGNORECASE)


_NOT_CUSTOMER_ROLE = re.compile(r"\bfor (customers?|clients?|consumers?|tenants?)\b|\bpoc\b|point of contact", re.IGNORECASE)


_PARAM = re.compile(r"\{\{\s*insert:\s*param,\s*([\w.\-]+)\s*\}\}")


_CUSTOMER_ORIGIN = ("customer-configured", "customer-provided")


_PROVIDER_ORIGIN = ("organization", "system-specific", "sp-corporate", "sp-system", "inherited", "hybrid", "shared")


# --------------------------------------------------------------------------- loading


def load(path: str) -> Any:
    """The parsed document, after the size, encoding and nesting bounds."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise fail(path, f"the file is {size / (1024 * 1024):,.1f} MB, more than the 10 MB an OSCAL plan or component "
                             "definition can need")
        raw = p.read_bytes()
    except OSError as exc:
        raise fail(path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(path, f"not UTF-8 text (line {line}): OSCAL JSON and YAML are UTF-8") from None
    try:
        if text.lstrip().startswith(("{", "[")):
            tree = _json(path, text)
        else:
            from raci.yamlio import load_yaml_text

            try:
                tree = load_yaml_text(text, path)
            except InputError as exc:
                first = exc.problems[0]
                at = f" (line {first.line})" if first.line else ""
                raise fail(path, f"{first.message}{at}") from None
    except RecursionError:
        raise fail(path, f"nested more than {MAX_DEPTH} levels deep: not an OSCAL document raci can read") from None
    _check_shape(path, tree)
    return tree


def _json(path: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(path, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError:  # an integer longer than Python converts (over 4,300 digits)
        raise fail(path, "not valid JSON: it holds a number too long to read") from None


def _check_shape(path: str, tree: Any) -> None:
    """Refuse trees nested deeper than any OSCAL document is (about 15 levels); iterative, so it cannot overflow."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise fail(path, f"nested more than {MAX_DEPTH} levels deep: not an OSCAL document raci can read")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))


def _root(path: str, tree: Any) -> tuple[str, dict]:
    if not isinstance(tree, dict):
        raise fail(path, "not an OSCAL document: expected an object with a system-security-plan or component-definition")
    for key in ROOTS:
        if key in tree:
            body = tree[key]
            if not isinstance(body, dict):
                raise fail(path, f"malformed OSCAL: {key} is not an object")
            return key, body
    keys = ", ".join(str(k) for k in list(tree)[:3]) or "nothing"
    raise fail(path, f"not an OSCAL system security plan or component definition (its top level holds {keys})")


# --------------------------------------------------------------------------- small accessors (any shape is tolerated)


def _d(v: Any) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v: Any) -> list:
    return v if isinstance(v, list) else []


def _s(v: Any) -> str:
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    return ""


def _name(v: Any) -> str:
    """A title as a name: no Markdown emphasis, one line."""
    return " ".join(re.sub(r"[*_`]+", " ", _s(v)).split())


def _props(node: dict, name: str) -> list[str]:
    return [_s(p.get("value")).lower() for p in map(_d, _l(node.get("props"))) if _s(p.get("name")) == name]


def _pretty(role_id: str) -> str:
    words = role_id.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


# --------------------------------------------------------------------------- the document's index


class _Index:
    """Roles, parties and components by id, and the counts that bound the work."""

    def __init__(self, path: str, body: dict):
        self.path = path
        self.body = body
        meta = _d(body.get("metadata"))
        self.title = _name(meta.get("title"))
        self.roles = {_s(r.get("id")): _name(r.get("title")) for r in map(_d, _l(meta.get("roles"))) if _s(r.get("id"))}
        self.parties: dict[str, dict] = {_s(p.get("uuid")): p for p in map(_d, _l(meta.get("parties"))) if _s(p.get("uuid"))}
        self.statements = 0

    def count(self, n: int = 1) -> None:
        """Count rows as they are made; refuse the document past MAX_STATEMENTS."""
        self.statements += n
        if self.statements > MAX_STATEMENTS:
            raise fail(self.path, f"more than {MAX_STATEMENTS:,} implemented statements: not a responsibility matrix this "
                                  "tool can audit")

    def role_title(self, role_id: str) -> str:
        return self.roles.get(role_id) or _pretty(role_id)

    def party_label(self, uuid: str) -> str:
        party = self.parties.get(uuid)
        if party is None:
            return ""
        return _name(party.get("name")) or _name(party.get("short-name")) or _name(party.get("remarks"))

    def org_name(self, uuid: str) -> str:
        """The name of an organisation party (people are roles' contacts, not parties to a contract)."""
        party = self.parties.get(uuid)
        if party is None or _s(party.get("type")) != "organization":
            return ""
        return _name(party.get("name")) or _name(party.get("short-name"))

    def roles_of(self, node: dict) -> list[tuple[str, list[str]]]:
        """(role id, party uuids) of a node's responsible-roles."""
        out = []
        for rr in map(_d, _l(node.get("responsible-roles"))):
            rid = _s(rr.get("role-id"))
            if rid:
                out.append((rid, [_s(u) for u in _l(rr.get("party-uuids")) if _s(u)]))
        return out

    def describe_roles(self, roles: list[tuple[str, list[str]]]) -> list[str]:
        out = []
        for rid, uuids in roles:
            people = [x for x in (self.party_label(u) for u in uuids) if x]
            out.append(self.role_title(rid) + (f" ({', '.join(people)})" if people else ""))
        return out


# --------------------------------------------------------------------------- one row


@dataclass
class _Entry:
    control: str
    label: str  # the statement id, or the control id when the requirement has no statements
    params: dict[str, str] = field(default_factory=dict)
    # (component title, description) -> None: ordered sets, so a statement with thousands of by-components stays linear
    provider: dict[tuple[str, str], None] = field(default_factory=dict)
    customer: dict[tuple[str, str], None] = field(default_factory=dict)
    by_provider: bool = False
    by_customer: bool = False
    provider_roles: dict[str, None] = field(default_factory=dict)
    customer_roles: dict[str, None] = field(default_factory=dict)
    components: dict[str, None] = field(default_factory=dict)
    states: list[str] = field(default_factory=list)
    parts: int = 0  # by-components (or statements of a component definition) read into this row
    links: dict[str, None] = field(default_factory=dict)

    def text(self, side: dict[tuple[str, str], None]) -> str:
        seen: dict[tuple[str, str], None] = {}
        size = 0
        for comp, desc in side:
            desc = display(_PARAM.sub(lambda m: self.params.get(m.group(1)) or f"[{m.group(1)}]", desc))
            if desc and (comp, desc) not in seen:
                seen[(comp, desc)] = None
                size += len(desc) + len(comp) + 3
                if size > MAX_CELL:
                    break  # the cell is cut there anyway
        several = len({c for c, _d in seen if c}) > 1
        return " ".join(f"[{c}] {d}" if several and c else d for c, d in seen)

    def add(self, side: str, component: str, desc: str, roles: list[str]) -> None:
        if side == "provider":
            self.by_provider = True
            self.provider[(component, desc)] = None
            self.provider_roles.update(dict.fromkeys(roles))
        else:
            self.by_customer = True
            self.customer[(component, desc)] = None
            self.customer_roles.update(dict.fromkeys(roles))


def _params(requirement: dict) -> dict[str, str]:
    out = {}
    for sp in map(_d, _l(requirement.get("set-parameters"))):
        values = [_s(v) for v in _l(sp.get("values")) if _s(v)]
        if _s(sp.get("param-id")) and values:
            out[_s(sp.get("param-id"))] = ", ".join(values)
    return out


# --------------------------------------------------------------------------- system security plans
