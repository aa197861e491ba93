"""Role letters: parsing what people write into canonical cells (R, A, C, I, A/R)."""

from __future__ import annotations

LETTERS = ("R", "A", "C", "I")
CANONICAL = ("A/R", "A", "R", "C", "I")  # the values a matrix cell may hold, dropdown order
MEANING = {
    "R": "Responsible: does the work",
    "A": "Accountable: the one answerable owner; approves and signs off",
    "C": "Consulted: asked for input before the work or decision",
    "I": "Informed: told of the outcome",
    "A/R": "Accountable and Responsible: owns the outcome and does the work",
}
_SPELLINGS = {"A/R": "A/R", "R/A": "A/R", "AR": "A/R", "RA": "A/R", "A": "A", "R": "R", "C": "C", "I": "I"}


def parse_role(text: object) -> str | None:
    """Return the canonical role for ``text`` (case-insensitive), or None when it is not a role."""
    if not isinstance(text, str):
        return None
    key = "".join(text.split()).upper()
    return _SPELLINGS.get(key)


def has_a(role: str | None) -> bool:
    return role is not None and "A" in role


def has_r(role: str | None) -> bool:
    return role is not None and "R" in role
