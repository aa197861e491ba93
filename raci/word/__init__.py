"""The appendix as a native Word document (and, through LibreOffice, a PDF), written from the appendix view-model.

``ooxml`` builds WordprocessingML by hand with the standard library (no python-docx, no lxml); ``matrix`` lays out
the responsibility matrix; ``document`` the body, one function per section; ``parts`` the package around it; ``pdf``
the conversion.
"""

from __future__ import annotations

from raci.appendix import Appendix
from raci.word.parts import docx_bytes


def word_appendix(appendix: Appendix) -> bytes:
    """The .docx of ``appendix``: the same sections, in the same order, as its Markdown."""
    return docx_bytes(appendix)


__all__ = ["word_appendix"]
