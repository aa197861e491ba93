"""The signable appendix as one view-model: what it says, for which audience, in which order.

``model`` holds the plain dataclasses and the fixed texts every writer shares; ``build`` makes them from a resolved
engagement and its findings. The Markdown writer (``raci.markdown``) renders this view-model; the workbook and Word
writers are to do the same, so that every format says the same things in the same order.
"""

from raci.appendix.build import build_appendix, build_signoff, provenance_command
from raci.appendix.model import AFTER_HOURS_RULE, AUDIENCES, CLIENT, DRAFT_MARK, INTERNAL, SECTIONS, Appendix

__all__ = ["AFTER_HOURS_RULE", "AUDIENCES", "CLIENT", "DRAFT_MARK", "INTERNAL", "SECTIONS", "Appendix", "build_appendix",
           "build_signoff", "provenance_command"]
