"""Rules on the roles of each activity: one accountable party, someone to do the work in each window, and
decisions kept by the client."""

from __future__ import annotations

from raci.checks.context import WINDOW_WORDS, Context
from raci.checks.registry import Found, rule
from raci.findings import Finding
from raci.roles import has_a, has_r


@rule("no-accountable", "error")
def no_accountable(ctx: Context, found: Found) -> list[Finding]:
    """An in-scope activity with no A in either window: a gap.

    Without one accountable party nobody answers for the outcome, signs the work off or decides when it is done;
    in a dispute each side can say it was the other's job.
    """
    return [found(f"Nobody is accountable for {ctx.name(a)}.", a) for a in ctx.in_scope if not ctx.accountable(a)]


@rule("multiple-accountable", "error")
def multiple_accountable(ctx: Context, found: Found) -> list[Finding]:
    """An activity with more than one A, counting both windows: an overlap.

    Accountability does not change with the hour: two accountable parties means two people can each overrule
    the other, and neither can be held to the outcome.
    """
    out = []
    for a in ctx.in_scope:
        acc = ctx.accountable(a)
        if len(acc) > 1:
            out.append(found(f"{ctx.names(acc)} are all accountable for {ctx.name(a)}; exactly one party must be.", a, tuple(acc)))
    return out


@rule("no-responsible", "error")
def no_responsible(ctx: Context, found: Found) -> list[Finding]:
    """An in-scope activity with no R during business hours.

    Someone may answer for it, but nobody is named to do the work, so it is not done until something breaks.
    """
    return [
        found(f"Nobody is responsible for doing {ctx.name(a)} during business hours.", a, (), "business-hours")
        for a in ctx.in_scope
        if not ctx.responsible(a, "business-hours")
    ]


@rule("uncovered-window", "error")
def uncovered_window(ctx: Context, found: Found) -> list[Finding]:
    """A 24x7 activity with no R after hours, or whose only R after hours works business hours.

    Round-the-clock work (alert response, on-call) needs someone who is actually working at night and at
    weekends; a business-hours team named after hours leaves the night uncovered.
    """
    out = []
    for a in ctx.in_scope:
        if ctx.catalog.activities[a].coverage != "24x7":
            continue
        resp = ctx.responsible(a, "after-hours")
        if not resp:
            out.append(found(f"{ctx.name(a)} must run around the clock, but nobody is responsible for it after hours.", a, (), "after-hours"))
        elif all(ctx.eng.parties[p].hours != "24x7" for p in resp):
            verb = "works" if len(resp) == 1 else "work"
            out.append(found(f"{ctx.name(a)} must run around the clock, but {ctx.names(resp)} {verb} business hours only.",
                             a, tuple(resp), "after-hours"))
    return out


@rule("no-capacity", "error")
def no_capacity(ctx: Context, found: Found) -> list[Finding]:
    """R or A held by a party with ``staff: 0``.

    A party with nobody on it cannot do or own anything; the role is a gap dressed as an assignment.
    """
    out = []
    for pid in (p for p, party in ctx.eng.parties.items() if party.staff == 0):
        held: list[str] = []
        for aid, _window, role in ctx.held[pid]:
            if aid not in ctx.matrix.excluded and aid not in held and (has_r(role) or has_a(role)):
                held.append(aid)
        for aid in sorted(held, key=ctx.catalog.order.__getitem__):
            letters = ctx.matrix.rows[aid].business.get(pid) or "R"
            out.append(found(f"{ctx.party(pid)} has no staff but holds {letters} for {ctx.name(aid)}.", aid, (pid,)))
    return out


@rule("non-delegable", "error")
def non_delegable(ctx: Context, found: Found) -> list[Finding]:
    """A decision the client must keep (the catalog marks it non-delegable) accountable to a party that is not the client.

    Accepting risk, approving policy or attesting compliance binds the client; a provider cannot be
    accountable for them, only help.
    """
    out = []
    for a in ctx.in_scope:
        if not ctx.catalog.activities[a].non_delegable:
            continue
        outside = [p for p in ctx.accountable(a) if ctx.eng.parties[p].kind != "client"]
        if outside:
            out.append(found(f"{ctx.name(a)} is a decision the client cannot hand over, but {ctx.names(outside)} is accountable for it.",
                             a, tuple(outside)))
    return out


@rule("shared-responsible", "warning")
def shared_responsible(ctx: Context, found: Found) -> list[Finding]:
    """Two or more parties R for one activity in the same window, with no note saying how the work is split.

    Shared work with no split written down is done twice (and billed twice) or not at all, each side
    expecting the other to do it. A note on the activity records the split and silences the warning.
    """
    out = []
    for a in ctx.in_scope:
        if ctx.eng.notes.get(a):
            continue  # a note records how the work is split
        for window in ctx.windows(a):
            resp = ctx.responsible(a, window)
            if len(resp) > 1:
                out.append(found(f"{ctx.names(resp)} are both responsible for {ctx.name(a)} {WINDOW_WORDS[window]} and no note says how "
                                 "the work is split, so expect it to be done (and billed) twice.", a, tuple(resp), window))
    return out
