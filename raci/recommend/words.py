"""Small wording helpers shared by the rules, the prices and the report."""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def money(n: int) -> str:
    return f"${n:,}"


def span(low: int, high: int | None, open_ended: bool = False) -> str:
    """``$1,500-$8,000``, ``$8,000+`` (a floor), ``$4,500`` (one figure) or ``$2,500-$15,000+`` (an open top)."""
    if high is None or high == low:
        return f"{money(low)}{'+' if open_ended else ''}"
    return f"{money(low)}-{money(high)}{'+' if open_ended else ''}"
