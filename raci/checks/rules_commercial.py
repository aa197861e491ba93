"""Rules on what the contract can bind: a provider's service levels hold only for the work the provider owns."""

from __future__ import annotations

from raci.checks.context import Context
from raci.checks.registry import Found, rule
from raci.findings import Finding
from raci.roles import has_a, has_r


@rule("sla-on-client-row", "warning")
def sla_on_client_row(ctx: Context, found: Found) -> list[Finding]:
    """A service level on an activity the MSP holds no R or A for, in either window.

    A provider's response and resolution targets bind only the work it owns; on a row the client's own team (or a
    vendor) does, the target promises something nobody in the contract answers for. Move the row to the MSP, or
    keep the target as an internal standard outside the contract.
    """
    msp = [pid for pid, party in ctx.eng.parties.items() if party.kind == "msp"]
    if not msp:
        return []  # no provider: the targets are the client's internal standards
    out = []
    for aid in ctx.eng.sla:
        if aid in ctx.matrix.excluded or aid not in ctx.catalog.activities:
            continue
        held = ctx.all_roles(aid)
        if any(has_r(role) or has_a(role) for pid in msp for role in held.get(pid, ())):
            continue
        owners = [pid for pid, roles in held.items() if any(has_r(r) or has_a(r) for r in roles)]
        who = ctx.names(owners) if owners else "nobody"
        out.append(found(f"The service level on {ctx.name(aid)} binds {ctx.names(msp)} to work it holds no R or A for; "
                         f"the work belongs to {who}.", aid, tuple(msp)))
    return out
