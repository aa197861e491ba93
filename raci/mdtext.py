"""User text made safe inside Markdown: the one escaping every Markdown raci writes uses (appendix, transition plan,
audit report, exports)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]~|])")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def md_escape(value: object) -> str:
    """User text as one safe Markdown table cell or inline span: no HTML, no stray emphasis, no cell breaks (a line
    break becomes <br>)."""
    if value is None:
        return ""
    text = str(value).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _NEWLINES.sub("<br>", text)


def md_code(value: object) -> str:
    """Text as one inline code span (an id, a glob): shown exactly as typed, since escapes do not work inside one.
    The span's fence is longer than any run of backticks in it; a pipe is escaped, as a table cell needs even there."""
    text = " ".join(str("" if value is None else value).split()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
