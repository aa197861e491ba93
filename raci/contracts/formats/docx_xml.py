"""WordprocessingML as raci reads it: namespaces, styles and the few attributes tables need."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_STYLE_DEPTH = 10  # basedOn links followed


W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"


_HEADING_NAME = re.compile(r"^(heading ?[1-6]|title)$", re.IGNORECASE)


_CAPTION_NAME = re.compile(r"^(table ?)?caption$", re.IGNORECASE)


_OFF = {"0", "false", "off", "none"}


SHORT_WORDS = 15  # a bold paragraph longer than this is body text, not a heading


SHORT_CHARS = 120

# Symbol fonts: a tick written as a Wingdings character (w:sym, or the text of a run in that font)


_SYMBOLS = {
    "wingdings": {0xFC: "\u2714", 0xFE: "\u2611", 0xFD: "\u2612", 0xFB: "\u2717", 0x6C: "\u25cf", 0x6E: "\u25a0",
                  0xA7: "\u25aa", 0x9F: "\u2022", 0x78: "\u2612", 0xA8: "\u2610", 0x6F: "\u2610"},
    "wingdings 2": {0x50: "\u2714", 0x52: "\u2611", 0x4F: "\u2717", 0x54: "\u2612", 0x51: "\u2612"},
}


def _parse(data: bytes):
    from defusedxml import ElementTree

    # raci.safety already refused DTDs in the prolog; defusedxml refuses any that slipped past
    return ElementTree.fromstring(data, forbid_dtd=True)


def _namespace(tag: str) -> str:
    ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    return ns if ns in (W_MAIN, W_STRICT) else W_MAIN


class _Tags:
    """Qualified names of the WordprocessingML elements and attributes read here.

    Every name annotated below is set in __init__ to "{namespace}name"; an "a_" prefix marks an attribute.
    """

    body: str
    p: str
    pPr: str
    pStyle: str
    outlineLvl: str
    r: str
    rPr: str
    rStyle: str
    t: str
    tab: str
    ptab: str
    br: str
    cr: str
    noBreakHyphen: str
    sym: str
    b: str
    vanish: str
    webHidden: str
    rFonts: str
    tbl: str
    tr: str
    trPr: str
    tc: str
    tcPr: str
    gridSpan: str
    vMerge: str
    hMerge: str
    gridBefore: str
    sdt: str
    sdtContent: str
    customXml: str
    smartTag: str
    hyperlink: str
    ins: str
    moveTo: str
    fldSimple: str
    dir: str
    bdo: str
    style: str
    name: str
    basedOn: str
    a_val: str  # attribute
    a_styleId: str  # attribute
    a_char: str  # attribute
    a_font: str  # attribute
    a_ascii: str  # attribute
    a_hAnsi: str  # attribute

    def __init__(self, ns: str):
        q = f"{{{ns}}}"
        self.ns = ns
        for name in _Tags.__annotations__:
            setattr(self, name, q + name.removeprefix("a_"))
        # containers whose children are read as if they stood in place of the container
        self.wrappers = {self.sdt, self.sdtContent, self.customXml}
        # inline containers of runs inside a paragraph
        self.inline = {self.hyperlink, self.ins, self.moveTo, self.smartTag, self.fldSimple, self.sdt, self.sdtContent,
                       self.customXml, self.dir, self.bdo}


# --------------------------------------------------------------------------- styles


@dataclass
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    outline: int | None


class _Styles:
    """Paragraph and character styles by id: whether a style is a heading, a caption, or bold."""

    def __init__(self, root):
        self.by_id: dict[str, _Style] = {}
        if root is None:
            return
        t = _Tags(_namespace(root.tag))
        for st in root.iter(t.style):
            sid = st.get(t.a_styleId)
            if not sid:
                continue
            name = st.find(t.name)
            based = st.find(t.basedOn)
            rpr = st.find(t.rPr)
            ppr = st.find(t.pPr)
            bold = None
            if rpr is not None and rpr.find(t.b) is not None:
                bold = (rpr.find(t.b).get(t.a_val) or "1").lower() not in _OFF
            outline = None
            if ppr is not None and ppr.find(t.outlineLvl) is not None:
                outline = _int(ppr.find(t.outlineLvl).get(t.a_val))
            self.by_id[sid] = _Style(name.get(t.a_val, "") if name is not None else "",
                                     based.get(t.a_val) if based is not None else None, bold, outline)

    def _chain(self, sid: str | None) -> Iterator[tuple[str, _Style | None]]:
        seen: set[str] = set()
        while sid and sid not in seen and len(seen) < MAX_STYLE_DEPTH:
            seen.add(sid)
            st = self.by_id.get(sid)
            yield sid, st
            if st is None:
                return
            sid = st.based_on

    def kind(self, sid: str | None) -> str | None:
        """"heading", "caption" or None for a paragraph style id (its name, or what it is based on)."""
        for i, st in self._chain(sid):
            for text in (st.name if st else "", i):
                if text and _HEADING_NAME.match(text.strip()):
                    return "heading"
                if text and _CAPTION_NAME.match(text.strip()):
                    return "caption"
            if st is not None and st.outline is not None and 0 <= st.outline <= 5:
                return "heading"
        return None

    def bold(self, sid: str | None) -> bool:
        for _i, st in self._chain(sid):
            if st is not None and st.bold is not None:
                return st.bold
        return False


def _int(text: str | None, default: int | None = None) -> int | None:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


# --------------------------------------------------------------------------- reading


def _hex(text: str | None) -> int | None:
    try:
        return int(text, 16) if text else None
    except ValueError:
        return None
