"""Parties: a unique id for each name, and the kinds a consultant would give them (client, msp, vendor)."""

from __future__ import annotations

import re

from raci.contracts.model import Document, Party
from raci.contracts.vocabulary import clean, guess_kind

SLOT_KIND = {"provider": "msp", "client": "client", "third": "vendor"}


SLOT_NAMES = {"caiq": {"provider": "CSP", "client": "CSC", "third": "3rd party"},
               "fedramp": {"provider": "CSP", "client": "Customer"},
               "any": {"provider": "Provider", "client": "Customer", "third": "Third party"}}


def add_party(doc: Document, header: str, column: int | None, kinds: dict[str, str], guess: tuple[str, bool] | None = None) -> Party:
    shown = clean(header) or header
    used = {p.id for p in doc.parties}
    pid = base = slug(shown)
    n = 2
    while pid in used:
        pid, n = f"{base}-{n}", n + 1
    kind, guessed = (kinds[shown.casefold()], False) if shown.casefold() in kinds else ((guess or guess_kind(shown))[0], True)
    party = Party(shown, pid, kind, guessed, column)
    doc.parties.append(party)
    return party


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "party"


PARTNER = re.compile(r"(the |an? )?(\w+ )?partners?", re.IGNORECASE)  # "Partner", "AWS Partner": a provider, not the author


def settle_kinds(doc: Document, kinds: dict[str, str]) -> None:
    """Party kinds as a consultant reads them. When no party is recognisably the provider, the first
    organisation the words do not place wrote the document and is the provider; other unplaced organisations,
    and clouds (AWS, Azure) beside a named provider, are third parties. A cloud beside no other provider
    organisation ("Customer | AWS | Partner") is the provider. The user's --party kinds are never changed."""
    free = [p for p in doc.parties if p.header.casefold() not in kinds]
    known = {p.id: guess_kind(p.header)[1] for p in free}
    fixed_msp = any(p.kind == "msp" for p in doc.parties if p.header.casefold() in kinds)
    unknown = [p for p in free if not known[p.id]]
    provider = fixed_msp or any(guess_kind(p.header) == ("msp", True) and not PARTNER.fullmatch(clean(p.header)) for p in free)
    named_provider = provider or bool(unknown)
    for i, p in enumerate(unknown):
        p.kind = "msp" if i == 0 and not provider else "vendor"
    if not named_provider:
        for p in free:
            if p.kind == "vendor" and guess_kind(p.header) == ("vendor", True) and is_cloud(p.header):
                p.kind = "msp"
    if not any(p.kind == "msp" for p in doc.parties):
        vendors = [p for p in free if p.kind == "vendor"]
        if vendors:
            vendors[0].kind = "msp"


def is_cloud(header: str) -> bool:
    return bool(re.search(r"\b(aws|azure|microsoft|google|gcp|amazon|hyperscaler)\b", clean(header), re.IGNORECASE))


# --------------------------------------------------------------------------- section rows


VENDOR_WORDS = {"vendor", "supplier", "subcontractor", "sub-contractor", "third party", "third-party", "3rd party",
                 "3rd-party", "vendor responsibility"}


HEADER_NAMES = {"client": ("customer agency", "leveraging agency", "agency", "customer", "client", "csc", "tenant"),
                 "provider": ("cloud service provider", "csp", "service provider", "provider", "msp")}


def slot_party(doc: Document, slot: str, vocab: str, kinds: dict[str, str], by_name: dict[str, Party],
                header: list[str]) -> Party:
    """The party an owner word stands for: a party named in the cells when one fits ("Shared" beside "Azure" and
    "Customer" means those two), else the name the table's headers use ("Customer Agency/CSP Responsibilities"),
    else the word itself."""
    for party in by_name.values():
        client = guess_kind(party.header)[0] == "client"
        if (slot == "client") == client and slot != "third":
            return party
    name = SLOT_NAMES.get(vocab, SLOT_NAMES["any"])[slot]
    if vocab != "any" and slot in HEADER_NAMES:
        text = " ".join(clean(h).casefold() for h in header)
        for phrase in HEADER_NAMES[slot]:
            m = re.search(rf"\b{re.escape(phrase)}\b", text)
            if m:
                original = " ".join(clean(h) for h in header)[m.start():m.end()]
                name = original if not original.islower() else original.title()
                break
    return add_party(doc, name, None, kinds, (SLOT_KIND[slot], True))
