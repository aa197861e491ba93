"""Rules on the engagement as a whole: its compliance frameworks, each party's load, its date and its presets."""

from __future__ import annotations

from raci.checks.context import Context
from raci.checks.registry import Found, rule
from raci.findings import Finding
from raci.roles import has_a, has_r

SPOF_STAFF = 2  # single-point-of-failure: a party this small or smaller ...
SPOF_ACTIVITIES = 5  # ... that alone covers this many round-the-clock activities after hours
SPOF_LISTED = 10  # activities named in the message; the rest are counted


@rule("compliance-gap", "error")
def compliance_gap(ctx: Context, found: Found) -> list[Finding]:
    """A framework in the engagement's profile needs an activity that is excluded or that nobody owns (no A or no R).

    An auditor asks who does each control the framework requires; an excluded or unowned one is a finding
    against the client.
    """
    out = []
    for aid, act in ctx.catalog.activities.items():
        for fw in ctx.eng.profile.compliance:
            if fw not in act.frameworks:
                continue
            label = ctx.catalog.frameworks.get(fw, fw)
            if aid in ctx.matrix.excluded:
                out.append(found(f"{label} needs {act.name}, but it is excluded from this engagement.", aid))
            elif not ctx.accountable(aid) or not ctx.responsible(aid):
                out.append(found(f"{label} needs {act.name}, but nobody owns it.", aid))
    return out


@rule("idle-party", "warning")
def idle_party(ctx: Context, found: Found) -> list[Finding]:
    """A party that holds no R and no A on any in-scope activity.

    It is named in the contract but has nothing to do: remove it, or give it the work it was brought in for.
    """
    out = []
    for pid in ctx.eng.parties:
        if not any((has_r(role) or has_a(role)) and aid not in ctx.matrix.excluded for aid, _w, role in ctx.held[pid]):
            out.append(found(f"{ctx.party(pid)} is not responsible or accountable for anything; remove it or give it work.", None, (pid,)))
    return out


@rule("overloaded-party", "warning")
def overloaded_party(ctx: Context, found: Found) -> list[Finding]:
    """A party responsible for more activities than its staff can carry (``thresholds: {r_per_staff: 30}``).

    A two-person IT team named R on eighty activities will not do most of them; the matrix promises work
    that nobody has the hours for.
    """
    out = []
    per_staff = ctx.eng.thresholds.get("r_per_staff", 30)
    for pid, party in ctx.eng.parties.items():
        if party.staff == 0:
            continue  # no-capacity reports these
        count = len({aid for aid, _w, role in ctx.held[pid] if has_r(role) and aid not in ctx.matrix.excluded})
        if count > party.staff * per_staff:
            people = "person" if party.staff == 1 else "people"
            out.append(found(f"{party.name} is responsible for {count} activities with {party.staff} {people}, more than the "
                             f"{per_staff:g} per person this engagement allows.", None, (pid,)))
    return out


@rule("single-point-of-failure", "warning")
def single_point_of_failure(ctx: Context, found: Found) -> list[Finding]:
    """A 24x7 party of two people or fewer that is the only R after hours on five or more round-the-clock activities.

    Nights and weekends then rest on one or two people: one absence, one holiday or one resignation leaves
    all of them uncovered. Add a second party to the after-hours rota, or staff the party to cover it.
    (A business-hours party in that place is an uncovered-window error already.)
    """
    out = []
    for pid, party in ctx.eng.parties.items():
        if not 0 < party.staff <= SPOF_STAFF or party.hours != "24x7":
            continue
        alone = sorted({a for a, window, role in ctx.held[pid]
                        if window == "after-hours" and has_r(role) and a not in ctx.matrix.excluded
                        and ctx.catalog.activities[a].coverage == "24x7" and ctx.responsible(a, "after-hours") == [pid]},
                       key=ctx.catalog.order.__getitem__)
        if len(alone) < SPOF_ACTIVITIES:
            continue
        listed = ", ".join(ctx.name(a) for a in alone[:SPOF_LISTED])
        more = f" and {len(alone) - SPOF_LISTED} more" if len(alone) > SPOF_LISTED else ""
        people = "1 person" if party.staff == 1 else f"{party.staff} people"
        out.append(found(f"{party.name} ({people}) is the only party responsible after hours for {len(alone)} round-the-clock "
                         f"activities: {listed}{more}; one absence leaves them all uncovered.", None, (pid,), "after-hours"))
    return out


@rule("no-effective-date", "warning")
def no_effective_date(ctx: Context, found: Found) -> list[Finding]:
    """The engagement has no effective date (``effective: null``).

    A matrix without a date cannot say which version was in force when something went wrong; set it
    before the appendix is signed.
    """
    if ctx.eng.effective is not None:
        return []
    return [found("The engagement has no effective date: set 'effective' (e.g. 2026-12-01) before it is signed.", None)]


@rule("preset-override", "info")
def preset_override(ctx: Context, found: Found) -> list[Finding]:
    """Two presets of the engagement set the same activity; the later one in ``presets:`` wins.

    Usually intended (a specialised preset refines a broad one); listed so that nobody is surprised by
    which row the matrix shows. An assignment of the activity silences it.
    """
    out = []
    for aid, earlier, later in ctx.matrix.overrides:
        if aid in ctx.matrix.excluded or ctx.matrix.origin.get(aid) == "assignment":
            continue
        out.append(found(f"Both {earlier} and {later} set {ctx.name(aid)}; {later} comes later and wins.", aid))
    return out
