"""``raci new``: an engagement with the standard parties its presets use, staffed for the arrangement."""

from __future__ import annotations

import datetime as _dt

from raci.catalog import Catalog
from raci.engagement.model import STANDARD_PARTIES, Engagement, Party, Profile
from raci.engagement.resolve import apply_presets
from raci.errors import EngagementError, Problem
from raci.validate import did_you_mean

IT_HOURS = ("business-hours", "24x7")


def new_engagement(
    catalog: Catalog,
    presets: list[str],
    client: str,
    provider: str = "",
    *,
    employees: int | None = None,
    it_staff: int | None = None,
    compliance: list[str] | None = None,
    version: str = "1.0",
    effective: _dt.date | None = None,
    it_hours: str = "business-hours",
) -> Engagement:
    """A new engagement with the standard parties the presets use, staffed for the arrangement.

    Client parties work business hours, as the market articles say most internal IT teams do, unless
    ``it_hours`` is ``24x7`` (the internal team runs an on-call rota): a round-the-clock activity that only the
    client covers then shows as the after-hours gap it is.
    """
    if it_hours not in IT_HOURS:
        raise EngagementError(Problem("", f"IT hours must be one of {', '.join(IT_HOURS)}, not {it_hours!r}"))
    unknown = [p for p in presets if p not in catalog.presets]
    if unknown:
        raise EngagementError([Problem("", f"unknown preset {p!r} ({did_you_mean(p, catalog.presets)})") for p in unknown])
    bad = [fw for fw in compliance or [] if fw not in catalog.frameworks]
    if bad:
        raise EngagementError([Problem("", f"unknown framework {fw!r} ({did_you_mean(fw, catalog.frameworks)})") for fw in bad])
    rows, _, _ = apply_presets(catalog, presets)
    used: list[str] = []
    for row in rows.values():
        for party in row.parties():
            if party not in used:
                used.append(party)
    in_house_only = "msp" not in used
    if it_staff is None:
        it_staff = 4 if in_house_only else 2
    defaults = {
        "client-exec": Party("client-exec", f"{client} leadership", "client", 2, "business-hours"),
        "client-it": Party("client-it", f"{client} IT", "client", it_staff, it_hours),
        "msp": Party("msp", provider or "Managed service provider", "msp", 25, "24x7"),
    }
    parties: dict[str, Party] = {}
    for pid in (*STANDARD_PARTIES, *used):
        if pid in used and pid not in parties:
            parties[pid] = defaults.get(pid) or Party(pid, pid, "vendor", 1, "business-hours")
    return Engagement(
        client=client,
        provider=provider,
        version=version,
        effective=effective,
        presets=list(presets),
        profile=Profile(employees=employees, it_staff=it_staff if "client-it" in parties else 0, compliance=list(compliance or [])),
        parties=parties,
    )


def new_engagement_comments(catalog: Catalog, eng: Engagement) -> list[str]:
    """The comment lines ``raci new`` writes at the top of the file: the hours the client's people work, and the
    commercial status the presets give the MSP's work (what is in the fee, and what is not)."""
    from raci.engagement.resolve import resolve

    client = [p for p in eng.parties.values() if p.kind == "client"]
    out = []
    if client and {p.hours for p in client} == {"business-hours"}:
        out.append("Client parties work business hours (hours: business-hours): nobody in-house is on call at night."
                   + (" If your IT team runs an on-call rota, set its hours to 24x7 (raci new --it-hours 24x7)."
                      if "client-it" in eng.parties else ""))
    elif client:
        out.append("Client IT works 24x7 here (--it-hours 24x7): it runs an on-call rota for nights and weekends.")
    statuses = resolve(eng, catalog).commercial
    by_status: dict[str, list[str]] = {}
    for aid, status in statuses.items():
        by_status.setdefault(status, []).append(aid)
    if statuses:
        others = [f"  {status}: {', '.join(ids)}" for status, ids in by_status.items() if status != "included"]
        out.append(f"Commercial status of the MSP's work, from the presets: {len(by_status.get('included', []))} "
                   f"activities included in the fee{', and:' if others else '.'}")
        out += others
        out.append("Override any of them under 'commercial:' (activity: included, project, pass-through or excluded).")
    return out
