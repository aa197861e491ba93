"""The decision rules of ``raci recommend``, each with the articles it comes from and a reason in our own words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# The five market articles this product was built from: a short name to cite in a sentence, and the title.
SOURCES: dict[str, tuple[str, str]] = {
    "usm": ("USM Technology", "Co-Managed IT vs Fully Managed IT: Which Is Better for SMBs in 2026? (USM Technology)"),
    "guide": ("the comparison guide", "Co-Managed IT vs Fully Managed IT: A Complete Comparison Guide for Businesses (May 2026)"),
    "onsite": ("On-Site Technology", "Managed vs Co-Managed IT Services Guide for Businesses (On-Site Technology, April 2026)"),
    "overview": ("the overview article", "an unsigned article comparing co-managed and fully managed IT"),
    "bsgtech": ("BSGtech", "BSGtech's page on co-managed IT for Chicago businesses"),
}


def source_name(sid: str) -> str:
    return SOURCES[sid][0]


FULLY_MANAGED = "fully-managed"
IN_HOUSE = "in-house"
# Order the co-managed presets are applied in: broad tooling first, strategy last (a later preset wins on overlap).
CO_MANAGED_ORDER = (
    "co-managed-tools-only",
    "co-managed-capacity",
    "co-managed-tier3-escalation",
    "co-managed-after-hours",
    "co-managed-project-augmentation",
    "co-managed-hybrid-expertise",
    "co-managed-strategic-partnership",
)
# What a client says it lacks -> the co-managed preset that hands that part to the MSP.
GAP_PRESETS: dict[str, str] = {
    "after-hours": "co-managed-after-hours",
    "security": "co-managed-hybrid-expertise",
    "projects": "co-managed-project-augmentation",
    "strategy": "co-managed-strategic-partnership",
    "tools": "co-managed-tools-only",
    "escalation": "co-managed-tier3-escalation",
    "capacity": "co-managed-capacity",
}
GAPS = tuple(GAP_PRESETS)
GAP_WORDS = {
    "after-hours": "after-hours cover",
    "security": "security and compliance expertise",
    "projects": "project capacity",
    "strategy": "IT strategy",
    "tools": "monitoring and management tools",
    "escalation": "senior (tier-3) escalation",
    "capacity": "help-desk capacity and absence cover",
}
# With staff but no named gap, start from the two hand-overs the articles list most often.
DEFAULT_CO_MANAGED = ("co-managed-tier3-escalation", "co-managed-after-hours")
TOO_SMALL_FOR_A_HIRE = 20  # BSGtech: under 15-20 employees a firm is too small for a dedicated IT hire
MANY_GAPS = 4  # naming this many gaps hands most of IT over


@dataclass(frozen=True)
class ClientProfile:
    employees: int
    it_staff: int
    compliance: tuple[str, ...] = ()
    response_minutes: int | None = None
    gaps: tuple[str, ...] = ()

    def gap_presets(self) -> tuple[str, ...]:
        return tuple(GAP_PRESETS[g] for g in self.gaps)


@dataclass(frozen=True)
class Rule:
    """One decision rule: when it applies, which arrangement it points to, how much it weighs, and why."""

    id: str
    condition: str  # the condition in words, for the rule table in the docs
    when: Callable[[ClientProfile], bool]
    model: str  # "fully-managed", "co-managed" or "in-house"
    adds: tuple[str, ...]  # co-managed presets this rule adds to the co-managed combination; "gaps" = the named gaps'
    weight: int
    sources: tuple[str, ...]
    sentence: str  # str.format()ted with the profile's words (raci.recommend.profile_words)


def _staffed(p: ClientProfile) -> bool:
    return p.it_staff >= 1


def _fast(p: ClientProfile) -> bool:
    return p.response_minutes is not None and p.response_minutes < 30


_STAFF_RULES: tuple[Rule, ...] = (
    Rule("no-it-staff", "no internal IT staff", lambda p: p.it_staff == 0, FULLY_MANAGED, (), 100,
         ("usm", "guide", "onsite", "bsgtech", "overview"),
         "With no internal IT staff there is nobody to share the work with, and all five articles point to fully "
         "managed; the comparison guide adds that co-managed cannot work without some IT expertise "
         "inside the client."),
    Rule("too-small-for-an-it-hire", f"under {TOO_SMALL_FOR_A_HIRE} employees",
         lambda p: p.employees < TOO_SMALL_FOR_A_HIRE, FULLY_MANAGED, (), 60,
         ("bsgtech", "guide"),
         "At {employees} the firm is below the 15-20 employees BSGtech gives as too small to justify its own IT hire, "
         "and a salary plus a co-managed fee usually costs more than fully managed alone: the comparison guide's "
         "example puts two IT staff (over $180,000 a year together) plus a $5,000 co-managed fee against fully managed "
         "at $4,500 a month."),
    Rule("it-staff-with-gaps", "1 to 5 internal IT staff and at least one named gap",
         lambda p: 1 <= p.it_staff <= 5 and bool(p.gaps), "co-managed", ("gaps",), 60,
         ("guide", "usm", "bsgtech", "onsite"),
         "An internal team of {staff} that names gaps in {gap_words} fits co-managed, with one co-managed preset per "
         "gap ({gap_presets}). The articles draw the team size differently: the comparison guide says 1 to 5 IT "
         "staff, USM Technology and BSGtech say 1 to 3, On-Site Technology 2 to 10."),
    Rule("it-staff-no-gaps", "1 to 5 internal IT staff and no named gap",
         lambda p: 1 <= p.it_staff <= 5 and not p.gaps, "co-managed", DEFAULT_CO_MANAGED, 40,
         ("guide", "usm"),
         "An internal team of {staff} fits co-managed; no gap was named, so this starts from the two hand-overs the "
         "articles mention most, tier-3 escalation and after-hours cover. Name the gaps with --gap to narrow it."),
    Rule("many-gaps", f"{MANY_GAPS} or more named gaps",
         lambda p: len(p.gaps) >= MANY_GAPS, FULLY_MANAGED, (), 50,
         ("guide", "usm"),
         "Naming {gap_count} gaps hands most of IT to the provider: the comparison guide describes co-managed as the "
         "MSP taking specific functions, tiers or projects, and USM Technology lists an overwhelmed internal team as "
         "the point to move to fully managed, so fully managed is the other option to price."),
    Rule("large-it-team-gaps", "more than 5 internal IT staff and at least one named gap",
         lambda p: p.it_staff > 5 and bool(p.gaps), "co-managed", ("gaps",), 60,
         ("guide", "onsite"),
         "A team of {staff} is past the comparison guide's 1-to-5 co-managed band (On-Site Technology's runs to 10), "
         "so the MSP's part stays selective: only the presets for the named gaps ({gap_presets})."),
    Rule("large-it-team", "more than 5 internal IT staff and no named gap",
         lambda p: p.it_staff > 5 and not p.gaps, IN_HOUSE, (), 40,
         ("guide",),
         "A team of {staff} with no gap named can keep IT in-house; the comparison guide expects an established IT "
         "department to use an MSP only for selective specialist work. The team then covers nights itself: write "
         "its on-call rota into the engagement (raci new --it-hours 24x7) or add after-hours cover."),
    Rule("large-it-team-specialists", "more than 5 internal IT staff and no named gap",
         lambda p: p.it_staff > 5 and not p.gaps, "co-managed", ("co-managed-hybrid-expertise",), 30,
         ("guide",),
         "For an established department the comparison guide's selective specialist engagement is the hybrid "
         "expertise preset: the MSP brings security, cloud and compliance specialists only."),
)

_SIZE_RULES: tuple[Rule, ...] = (
    Rule("size-under-50", "under 50 employees", lambda p: p.employees < 50, FULLY_MANAGED, (), 20,
         ("guide", "bsgtech", "usm"),
         "At {employees} the client is in the comparison guide's under-50 band, where fully managed is usually "
         "strongest (it puts the fully managed fit at 5 to 75 employees). The articles disagree on the cut-off: "
         "BSGtech calls a business under 15-20 employees too small for its own IT hire and favours fully managed "
         "under 30 employees without IT staff, while USM Technology favours it for most firms of 20 to 100."),
    Rule("size-50-100", "50 to 99 employees with internal IT staff",
         lambda p: 50 <= p.employees < 100 and _staffed(p), "co-managed", (), 20,
         ("guide", "usm"),
         "At {employees} with IT staff the client is in the comparison guide's 50-100 band, where co-managed backs up "
         "a lone IT person; USM Technology would still favour fully managed for most firms up to 100 employees."),
    Rule("size-100-300", "100 to 299 employees with internal IT staff",
         lambda p: 100 <= p.employees < 300 and _staffed(p), "co-managed", (), 30,
         ("guide", "bsgtech"),
         "At {employees} with IT staff the client is in the comparison guide's 100-300 band, where co-managed is "
         "strongly advised for teams of 2 to 5; BSGtech sees co-managed most often between 30 and 200 employees."),
    Rule("size-300-plus", "300 employees or more with internal IT staff",
         lambda p: p.employees >= 300 and _staffed(p), "co-managed", (), 20,
         ("guide",),
         "At {employees} the comparison guide suggests co-managed or selective specialist engagements around an "
         "established department (its co-managed fit runs from 50 to 500 employees), though it also notes that some "
         "mid-market firms of 200 or more still choose fully managed."),
)

_COMPLIANCE_RULES: tuple[Rule, ...] = (
    Rule("compliance-no-staff", "compliance frameworks and no internal IT staff",
         lambda p: bool(p.compliance) and p.it_staff == 0, FULLY_MANAGED, (), 20,
         ("usm", "onsite"),
         "Compliance work ({frameworks}) with no internal expertise: USM Technology and On-Site Technology both "
         "send regulated clients without IT staff to fully managed, where the provider keeps the evidence and "
         "the audit trail."),
    Rule("compliance-security-gap", "compliance frameworks, internal IT staff, and a named security gap",
         lambda p: bool(p.compliance) and _staffed(p) and "security" in p.gaps, "co-managed",
         ("co-managed-hybrid-expertise",), 20,
         ("guide", "bsgtech"),
         "Compliance work ({frameworks}) and a named security gap: the comparison guide says heavy compliance depends "
         "on how deep the internal expertise goes, and here it is missing, so the MSP's specialists take security "
         "and compliance (hybrid expertise) while the internal team keeps daily operations, as BSGtech describes."),
    Rule("compliance-small-team", "compliance frameworks, 1 to 3 internal IT staff, no security gap named",
         lambda p: bool(p.compliance) and 1 <= p.it_staff <= 3 and "security" not in p.gaps, "co-managed",
         ("co-managed-hybrid-expertise",), 20,
         ("bsgtech", "onsite"),
         "Compliance work ({frameworks}) with a team of {staff}: BSGtech says the controls and paperwork of HIPAA, "
         "CMMC and PCI are more than most small teams keep up alone, and has the co-managed provider carry the "
         "compliance layer while the team runs daily operations; On-Site Technology's two-person manufacturer hands "
         "its NIST 800-171 work to the partner the same way. So the hybrid expertise preset is added."),
    Rule("compliance-internal-expertise", "compliance frameworks, more than 3 internal IT staff, no security gap named",
         lambda p: bool(p.compliance) and p.it_staff > 3 and "security" not in p.gaps, "co-managed", (), 10,
         ("guide", "overview"),
         "Compliance work ({frameworks}) with a team of {staff} and no security gap named: the comparison guide makes "
         "the choice depend on how deep the internal expertise goes, and the overview article sees regulated firms "
         "keep oversight inside under co-managed. Check that the team holds that expertise, or name --gap security."),
    Rule("compliance-fully-managed-view", "compliance frameworks and internal IT staff",
         lambda p: bool(p.compliance) and _staffed(p), FULLY_MANAGED, (), 15,
         ("usm", "onsite"),
         "Not every article agrees that a team with staff should keep compliance: USM Technology's decision steps "
         "send any client that needs compliance support ({frameworks}) to fully managed, and On-Site Technology says "
         "regulated firms often do better when the provider owns the audit trail."),
)

_RESPONSE_RULES: tuple[Rule, ...] = (
    Rule("response-under-30", "a response target under 30 minutes", _fast, FULLY_MANAGED, (), 100,
         ("usm", "guide"),
         "A response target of {minutes} is under 30 minutes: USM Technology's decision steps send that to fully "
         "managed whatever the staffing and put its SLAs at 15-30 minutes, while the comparison guide quotes 15-60 "
         "minutes for critical issues, so write the target into the SLA rather than assume it."),
    Rule("response-under-30-co-managed", "a response target under 30 minutes and internal IT staff",
         lambda p: _fast(p) and _staffed(p), "co-managed", ("co-managed-after-hours",), 0,
         ("guide",),
         "A response target of {minutes} with an internal team: the comparison guide notes that on-site staff can "
         "answer at once during their working day, and the after-hours preset puts nights and weekends on the MSP's "
         "round-the-clock desk so the target holds outside business hours too."),
)

RULES: tuple[Rule, ...] = (*_STAFF_RULES, *_SIZE_RULES, *_COMPLIANCE_RULES, *_RESPONSE_RULES)
RULES_BY_ID = {r.id: r for r in RULES}
