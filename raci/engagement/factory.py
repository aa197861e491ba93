"""``raci new``: an engagement with the standard parties its presets use, staffed for the arrangement."""

from __future__ import annotations

import datetime as _dt

from raci.catalog import Catalog
from raci.engagement.model import STANDARD_PARTIES, Engagement, Party, Profile
from raci.engagement.resolve import apply_presets
from raci.errors import EngagementError, Problem
from raci.roles import has_r
from raci.validate import did_you_mean


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
) -> Engagement:
    """A new engagement with the standard parties the presets use, staffed and timed for the arrangement."""
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
    # A client IT team that holds R after hours on a round-the-clock activity runs an on-call rota.
    on_call = any(
        has_r(rows[aid].window("after-hours").get("client-it"))
        for aid, act in catalog.activities.items()
        if act.coverage == "24x7" and aid in rows
    )
    in_house_only = "msp" not in used
    if it_staff is None:
        it_staff = 4 if in_house_only else 2
    defaults = {
        "client-exec": Party("client-exec", f"{client} leadership", "client", 2, "business-hours"),
        "client-it": Party("client-it", f"{client} IT", "client", it_staff, "24x7" if on_call else "business-hours"),
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
