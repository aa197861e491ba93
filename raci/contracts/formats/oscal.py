"""OSCAL system security plans and component definitions (JSON or YAML) read as a provider/customer matrix.

OSCAL states responsibility as a graph, not a table: an SSP's ``control-implementation.implemented-requirements[]``
hold ``statements[].by-components[]`` (and ``by-components[]`` for the whole control), each of which may
``export`` what the system ``provided`` to its customers and the ``responsibilities`` they keep, or record what the
system ``inherited`` from a leveraged system and how it ``satisfied`` the responsibilities that system left it. A
component definition lists ``components[].control-implementations[].implemented-requirements[]`` (and their
``statements``) with ``responsible-roles``. This module turns either into one grid the owner readers already know:

    <metadata.title>
    Control | Requirement | <provider> | <customer> | Responsibility | <provider> implementation | <customer> responsibilities | Notes
    ac-2    | ac-2_smt.a  | X          | X          | Shared         | what is provided                | what the customer must do     | the split

one row per statement (per control when a requirement has no statements; by-components of one statement are merged,
each description tagged with its component when there are several). The two party columns hold an ``X`` for each
side that does something: one mark makes that side the owner (A/R), two make the row shared, and the Notes column
(the row's note) writes the split down, so a shared row with both descriptions draws no ``shared-owner`` while a
shared row missing either description gets no note and does. The party columns are headed by the parties' names, so
the audit names the parties as the document does (an owner column of Provider/Customer/Shared words would name them
"Provider" and "Customer", and names written in cells are read only when they repeat); the Responsibility column
says Provider, Customer, Shared or N/A for a person reading the grid. A side nobody is given (no customer anywhere)
gets no column.

Reading rules:

* Perspective. An SSP that exports anything (``export.provided`` or ``export.responsibilities``), or that neither
  exports nor inherits (a plain SSP), is read from the provider's side: this system is the provider and its
  customers (the leveraging systems) are the customer. An SSP that only ``inherited``/``satisfied`` (a leveraging
  SSP) is read from the customer's side: the leveraged system is the provider and this system is the customer.
* Sides, provider view. ``provided``, ``inherited`` and ``satisfied`` are the provider's; ``responsibilities`` are the
  customer's. A by-component with none of them is this system implementing the statement with no customer
  responsibility: the provider's, unless its ``control-origination`` prop says ``customer-configured`` or
  ``customer-provided`` (then the customer's; both kinds of origination make it shared). The by-component's own
  description is used only then: an export's descriptions are the consumer-facing text.
* Sides, customer view. ``inherited`` (and the description of a by-component of a leveraged-system component) is the
  provider's; ``satisfied`` and this system's own implementations are the customer's.
* Component definitions. A statement's ``responsible-roles`` (else its requirement's) decide: a customer-like role
  (customer, consumer, tenant, client, leveraging ...) is the customer's, any other role the provider's, and no role
  at all the provider's (the component's maker describes what the component does). An ``export`` block, if a tool
  writes one, reads as in an SSP.
* A statement whose by-components are all ``not-applicable`` reads N/A (out of scope). A statement with no
  by-component at all (nothing says who meets it) is kept with no owner, so the audit reports ``no-accountable``.
* Party names, first that fits: provider, an organisation party of the provided roles, this system's name, the
  titles of the provided roles, else "Provider"; customer, an organisation party or title of the responsibilities'
  roles (else any customer-like role), else "Customer". Customer view: the leveraged authorisation's title and this
  system's name. A name the party-kind guess would put on the wrong side is skipped ("Internal POC for Customers"
  is no provider) or, for the customer, marked "(customer)". Roles and people (``metadata.parties`` name, else
  remarks) are written in the notes.
* Links followed: ``role-id`` to ``metadata.roles``, ``party-uuids`` to ``metadata.parties``, ``component-uuid`` to
  ``system-implementation.components`` (titles in the notes), ``provided-uuid`` to the provided item it goes with
  (named in the notes when it belongs to another statement or is missing), ``{{ insert: param, id }}`` to the
  requirement's ``set-parameters``. Nothing is fetched: ``links``, ``import-profile`` and ``back-matter`` are ignored.
* Places: each row names its table ``implemented requirement <control-id>`` and its number among that control's
  rows, so a finding reads ``ssp.json: implemented requirement ac-2, row 1``.

Safety: at most 10 MB, UTF-8 only, JSON through ``json.loads`` and YAML through ``raci.yamlio``'s safe loader (no
objects, no merge keys, alias bombs refused), at most 100 levels of nesting and 5,000 statements; anything else is
one line naming the file.
"""

from __future__ import annotations

from raci.contracts.formats.oscal_model import (
    _CUSTOMER_ORIGIN,
    _CUSTOMER_ROLE,
    _NOT_CUSTOMER_ROLE,
    _PROVIDER_ORIGIN,
    MARK,
    _d,
    _Entry,
    _Index,
    _l,
    _name,
    _params,
    _props,
    _root,
    _s,
    load,
)
from raci.contracts.tables import MAX_CELL, Sheet, display, fail
from raci.contracts.vocabulary import guess_kind


def read(path: str) -> list[Sheet]:
    """The document as one grid: a title, a header naming the two parties, one row per statement."""
    p = str(path)
    tree = load(p)
    kind, body = _root(p, tree)
    doc = _Index(p, body)
    reader = _SSP(doc) if kind == "system-security-plan" else _CDef(doc)
    entries = reader.entries()
    if not entries:
        what = "system security plan" if kind == "system-security-plan" else "component definition"
        where = "control-implementation.implemented-requirements" if kind == "system-security-plan" else \
            "components[].control-implementations[].implemented-requirements"
        raise fail(p, f"an OSCAL {what} with no implemented requirements ({where} holds none): nothing says who "
                      "implements which control")
    provider, customer = reader.names()
    return [_sheet(p, doc.title, provider, customer, entries)]


class _SSP:
    def __init__(self, doc: _Index):
        self.doc = doc
        body = doc.body
        impl = _d(body.get("system-implementation"))
        self.components = {_s(c.get("uuid")): c for c in map(_d, _l(impl.get("components"))) if _s(c.get("uuid"))}
        self.leveraged = [_d(a) for a in _l(impl.get("leveraged-authorizations"))]
        self.system = _name(_d(body.get("system-characteristics")).get("system-name"))
        self.requirements = [_d(r) for r in _l(_d(body.get("control-implementation")).get("implemented-requirements"))]
        self.provided: dict[str, tuple[str, str]] = {}  # provided uuid -> (statement label, description)
        exports = inherits = False
        for label, bc in self._by_components():
            exp = _d(bc.get("export"))
            for item in map(_d, _l(exp.get("provided"))):
                if _s(item.get("uuid")):
                    self.provided[_s(item.get("uuid"))] = (label, _s(item.get("description")))
            exports = exports or bool(_l(exp.get("provided")) or _l(exp.get("responsibilities")))
            inherits = inherits or bool(_l(bc.get("inherited")) or _l(bc.get("satisfied")))
        # a leveraging SSP (inherits, exports nothing) is read from the customer's side
        self.customer_view = inherits and not exports
        self.provider_refs: list[tuple[str, list[str]]] = []
        self.customer_refs: list[tuple[str, list[str]]] = []

    def _by_components(self):
        for req in self.requirements:
            label = _s(req.get("control-id"))
            for bc in map(_d, _l(req.get("by-components"))):
                yield label, bc
            for st in map(_d, _l(req.get("statements"))):
                for bc in map(_d, _l(st.get("by-components"))):
                    yield _s(st.get("statement-id")) or label, bc

    def entries(self) -> list[_Entry]:
        out = []
        for req in self.requirements:
            control = _s(req.get("control-id"))
            if not control:
                raise self._bad("an implemented requirement has no control-id")
            params = _params(req)
            statements = [_d(s) for s in _l(req.get("statements"))]
            if _l(req.get("by-components")) or not statements:
                self.doc.count()
                entry = _Entry(control, control, params)
                self._read(entry, req, _l(req.get("by-components")))
                out.append(entry)
            for st in statements:
                self.doc.count()
                entry = _Entry(control, _s(st.get("statement-id")) or control, params)
                self._read(entry, req, _l(st.get("by-components")))
                out.append(entry)
        return out

    def _bad(self, what: str):
        return fail(self.doc.path, f"malformed OSCAL system security plan: {what}")

    def _read(self, entry: _Entry, req: dict, by_components: list) -> None:
        doc = self.doc
        for bc in map(_d, by_components):
            entry.parts += 1
            comp = self.components.get(_s(bc.get("component-uuid")))
            title = _name(comp.get("title")) if comp else ""
            if title:
                entry.components[title] = None
            state = _s(_d(bc.get("implementation-status")).get("state"))
            entry.states.append(state)
            exp = _d(bc.get("export"))
            provided, resp = [_d(x) for x in _l(exp.get("provided"))], [_d(x) for x in _l(exp.get("responsibilities"))]
            inherited, satisfied = [_d(x) for x in _l(bc.get("inherited"))], [_d(x) for x in _l(bc.get("satisfied"))]
            own = _s(bc.get("description"))
            if self.customer_view:
                leveraged = comp is not None and (_s(comp.get("type")) == "leveraged-system" or _props(comp, "leveraged-authorization-uuid"))
                for item in inherited:
                    entry.add("provider", title, _s(item.get("description")), doc.describe_roles(doc.roles_of(item)))
                for item in satisfied:
                    refs = doc.roles_of(item)
                    self.customer_refs += refs
                    entry.add("customer", title, _s(item.get("description")), doc.describe_roles(refs))
                if not inherited and not satisfied and state != "not-applicable":
                    entry.add("provider" if leveraged else "customer", title, own, doc.describe_roles(doc.roles_of(bc)))
                continue
            for item in provided:
                refs = doc.roles_of(item)
                self.provider_refs += refs
                entry.add("provider", title, _s(item.get("description")), doc.describe_roles(refs))
            for item in inherited:
                entry.add("provider", title, _s(item.get("description")), doc.describe_roles(doc.roles_of(item)))
            for item in satisfied:
                entry.add("provider", title, _s(item.get("description")), doc.describe_roles(doc.roles_of(item)))
            for item in resp:
                refs = doc.roles_of(item)
                self.customer_refs += refs
                entry.add("customer", title, _s(item.get("description")), doc.describe_roles(refs))
                link = _s(item.get("provided-uuid"))
                if link:
                    label, _desc = self.provided.get(link, ("", ""))
                    if not label:
                        entry.links[f"a responsibility refers to provided item {link}, which the document does not hold"] = None
                    elif label != entry.label:
                        entry.links[f"a responsibility goes with what is provided for {label}"] = None
            if provided or resp or inherited or satisfied or state == "not-applicable":
                continue
            # an implementation with nothing exported: this system does it, unless its origination says the customer
            origin = _props(bc, "control-origination") or _props(req, "control-origination")
            roles = doc.describe_roles(doc.roles_of(bc))
            customer = any(o in _CUSTOMER_ORIGIN for o in origin)
            if customer:
                entry.add("customer", title, own, roles)
            if not customer or any(o in _PROVIDER_ORIGIN for o in origin):
                entry.add("provider", title, own, roles)

    def names(self) -> tuple[str, str]:
        doc = self.doc
        if self.customer_view:
            titles = [_name(a.get("title")) for a in self.leveraged]
            orgs = [doc.org_name(_s(a.get("party-uuid"))) for a in self.leveraged]
            comps = [_name(c.get("title")) for c in self.components.values() if _s(c.get("type")) == "leveraged-system"]
            provider = titles + orgs + comps
            # this system is the customer: its own name, marked "(customer)" when it reads as no client's
            customer = [self.system] if self.system else self._orgs(self.customer_refs) + self._titles(self.customer_refs)
        else:
            provider = self._orgs(self.provider_refs) + [self.system] + self._titles(self.provider_refs)
            customer = self._orgs(self.customer_refs) + self._titles(self.customer_refs) + \
                [doc.role_title(rid) for rid in doc.roles if customer_role(rid, doc.role_title(rid))]
        return pick_names(provider, customer)

    def _orgs(self, refs: list[tuple[str, list[str]]]) -> list[str]:
        return [self.doc.org_name(u) for _rid, uuids in refs for u in uuids]

    def _titles(self, refs: list[tuple[str, list[str]]]) -> list[str]:
        return [self.doc.role_title(rid) for rid, _uuids in refs]


# --------------------------------------------------------------------------- component definitions


def customer_role(role_id: str, title: str) -> bool:
    text = f"{role_id.replace('-', ' ')} {title}"
    return bool(_CUSTOMER_ROLE.search(text)) and not _NOT_CUSTOMER_ROLE.search(text)


class _CDef:
    def __init__(self, doc: _Index):
        self.doc = doc
        self.components = [_d(c) for c in _l(doc.body.get("components"))]
        self.provider_refs: list[tuple[str, list[str]]] = []
        self.customer_refs: list[tuple[str, list[str]]] = []

    def entries(self) -> list[_Entry]:
        out = []
        for comp in self.components:
            title = _name(comp.get("title"))
            self.provider_refs += [r for r in self.doc.roles_of(comp) if not customer_role(r[0], self.doc.role_title(r[0]))]
            self.customer_refs += [r for r in self.doc.roles_of(comp) if customer_role(r[0], self.doc.role_title(r[0]))]
            for ci in map(_d, _l(comp.get("control-implementations"))):
                for req in map(_d, _l(ci.get("implemented-requirements"))):
                    control = _s(req.get("control-id"))
                    if not control:
                        raise fail(self.doc.path, "malformed OSCAL component definition: an implemented requirement has no control-id")
                    params = _params(req)
                    statements = [_d(s) for s in _l(req.get("statements"))]
                    self.doc.count(max(1, len(statements)))  # one row a statement, or one for the control
                    if not statements:
                        entry = _Entry(control, control, params, components={title: None} if title else {})
                        self._read(entry, title, req, None)
                        out.append(entry)
                    for st in statements:
                        entry = _Entry(control, _s(st.get("statement-id")) or control, params, components={title: None} if title else {})
                        self._read(entry, title, st, req)
                        out.append(entry)
        return out

    def _read(self, entry: _Entry, title: str, node: dict, req: dict | None) -> None:
        doc = self.doc
        entry.parts += 1
        entry.states += _props(node, "implementation-status")
        exp = _d(node.get("export"))
        provided, resp = [_d(x) for x in _l(exp.get("provided"))], [_d(x) for x in _l(exp.get("responsibilities"))]
        if provided or resp:
            for item in provided:
                refs = doc.roles_of(item)
                self.provider_refs += refs
                entry.add("provider", title, _s(item.get("description")), doc.describe_roles(refs))
            for item in resp:
                refs = doc.roles_of(item)
                self.customer_refs += refs
                entry.add("customer", title, _s(item.get("description")), doc.describe_roles(refs))
            return
        refs = doc.roles_of(node) or (doc.roles_of(req) if req is not None else [])
        desc = _s(node.get("description")) or (_s(req.get("description")) if req is not None else "")
        cust = [r for r in refs if customer_role(r[0], doc.role_title(r[0]))]
        prov = [r for r in refs if r not in cust]
        self.customer_refs += cust
        self.provider_refs += prov
        if cust:
            entry.add("customer", title, desc, doc.describe_roles(cust))
        if prov or not cust:
            entry.add("provider", title, desc, doc.describe_roles(prov))

    def names(self) -> tuple[str, str]:
        doc = self.doc
        orgs = [doc.org_name(u) for _rid, uuids in self.provider_refs for u in uuids]
        all_orgs = [doc.org_name(u) for u in doc.parties]
        single_org = [n for n in all_orgs if n][:1] if len([n for n in all_orgs if n]) == 1 else []
        comps = [_name(c.get("title")) for c in self.components][:1] if len(self.components) == 1 else []
        provider = orgs + single_org + comps + [doc.role_title(rid) for rid, _u in self.provider_refs]
        customer = [doc.org_name(u) for _rid, uuids in self.customer_refs for u in uuids] + \
            [doc.role_title(rid) for rid, _u in self.customer_refs]
        return pick_names(provider, customer)


# --------------------------------------------------------------------------- party names


def pick_names(provider: list[str], customer: list[str]) -> tuple[str, str]:
    """The first provider name the party-kind guess does not read as a client, and the first customer name it reads
    as one (else the first customer name marked "(customer)"); "Provider" and "Customer" when nothing fits."""
    provider, customer = list(dict.fromkeys(provider)), list(dict.fromkeys(customer))  # a name a role repeats, once
    prov = next((n for n in provider if n and guess_kind(n)[0] != "client"), "Provider")
    cands = [n for n in customer if n and n.casefold() != prov.casefold()]
    cust = next((n for n in cands if guess_kind(n) == ("client", True)), None)
    if cust is None:
        cust = f"{cands[0]} (customer)" if cands else "Customer"
    if cust.casefold() == prov.casefold():
        cust = "Customer" if prov.casefold() != "customer" else "Customer (customer)"
    # a header of more than 12 words is not read as a header: names keep their first ten words
    return " ".join(prov.split()[:10]), " ".join(cust.split()[:10])


# --------------------------------------------------------------------------- the grid


def _sheet(path: str, title: str, provider: str, customer: str, entries: list[_Entry]) -> Sheet:
    used_customer = any(e.by_customer for e in entries)
    head = ["Control", "Requirement", provider] + ([customer] if used_customer else []) + \
        ["Responsibility", f"{provider} implementation"] + ([f"{customer} responsibilities"] if used_customer else []) + ["Notes"]
    rows: list[list[str]] = [[title or "OSCAL responsibilities"], head]
    lines: list[int] = [1, 2]
    tables: list[str | None] = [None, None]
    numbers: dict[str, int] = {}
    for e in entries:
        na = bool(e.states) and all(s == "not-applicable" for s in e.states) and not (e.by_provider or e.by_customer)
        if na:
            owner = "N/A"
        elif e.by_provider and e.by_customer:
            owner = "Shared"
        elif e.by_provider:
            owner = "Provider"
        elif e.by_customer:
            owner = "Customer"
        else:
            owner = ""
        marks = [("N/A" if na else MARK if e.by_provider else "")]
        if used_customer:
            marks.append("N/A" if na else MARK if e.by_customer else "")
        ptext, ctext = e.text(e.provider), e.text(e.customer)
        texts = [ptext] + ([ctext] if used_customer else [])
        row = [e.control, e.label, *marks, owner, *texts, _notes(e, provider, customer, ptext, ctext, na)]
        rows.append([_cell(v) for v in row])
        numbers[e.control] = numbers.get(e.control, 0) + 1
        lines.append(numbers[e.control])
        tables.append(f"implemented requirement {e.control}")
    return Sheet(path, None, rows, lines, tables=tables)


def _notes(e: _Entry, provider: str, customer: str, ptext: str, ctext: str, na: bool) -> str:
    """The row's note: the split first, then components, roles, status and links. A shared row whose two parts are
    not both described gets no note at all, so the audit says its split is not written down."""
    if e.by_provider and e.by_customer and not (ptext and ctext):
        return ""
    parts = []
    if ptext and ptext == ctext:
        parts.append(f"{provider} and {customer}: {ptext}")
    else:
        if ptext:
            parts.append(f"{provider} provides: {ptext}")
        if ctext:
            parts.append(f"{customer} must: {ctext}")
    if na:
        parts.append("not applicable")
    elif not e.parts:
        parts.append("no component implements it: nothing says who meets this requirement")
    elif not (e.by_provider or e.by_customer):
        parts.append("nothing says who meets this requirement")
    if e.components:
        parts.append("component" + ("s" if len(e.components) > 1 else "") + ": " + ", ".join(list(e.components)[:20]))
    for name, roles in ((provider, e.provider_roles), (customer, e.customer_roles)):
        shown = [r for r in list(roles)[:20] if r.casefold() != name.casefold()]
        if shown:
            parts.append(f"{name} roles: " + ", ".join(shown))
    states = sorted({s for s in e.states if s and s not in ("implemented", "not-applicable")})
    if states:
        parts.append("status: " + ", ".join(states))
    parts += list(e.links)[:5]
    return "; ".join(parts)


def _cell(text: str) -> str:
    return display(text[: MAX_CELL * 2])
