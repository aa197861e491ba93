"""Service-level durations as people write them ("30 minutes", "30M", "1 business day", "1.5h"),
read into one canonical short form (30m, 1bd, 1.5h) so that every reader of an engagement agrees."""

from __future__ import annotations

import re

UNITS = {
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d", "calendar day": "d", "calendar days": "d",
    "bd": "bd", "business day": "bd", "business days": "bd", "working day": "bd", "working days": "bd",
    "wd": "bd",
}
UNIT_NAMES = {"m": "minutes", "h": "hours", "d": "days", "bd": "business days"}
_FORM = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([a-z]+(?:[\s-]+[a-z]+)?)$")
DURATION_RE = re.compile(r"^\d+(\.\d+)?(m|h|d|bd)$")  # the canonical form
HINT = "a duration such as 15m, 4h, 2d or 3bd"


def parse_duration(text: object) -> str | None:
    """The canonical form of a duration (``"30 Minutes"`` -> ``"30m"``), or None when it is not one."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        return None
    match = _FORM.match(" ".join(str(text).split()).lower())
    if not match:
        return None
    number, unit = match.group(1).replace(",", "."), UNITS.get(match.group(2).replace("-", " "))
    if unit is None:
        return None
    whole, _, fraction = number.partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    return f"{whole}.{fraction}{unit}" if fraction else f"{whole}{unit}"

