"""Synthetic catalogs and engagements of any size, for the benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

PER_DOMAIN = 250
LETTERS = ("C", "I")


def generate(root: Path, n: int, parties: int = 8, seed: int = 7) -> tuple[Path, Path]:
    """Write a catalog of ``n`` activities and an engagement over ``parties`` parties; return (catalog dir, engagement)."""
    rng = random.Random(seed)
    root = Path(root)
    cat = root / f"catalog-{n}"
    (cat / "domains").mkdir(parents=True, exist_ok=True)
    (cat / "presets").mkdir(parents=True, exist_ok=True)
    (cat / "frameworks.yaml").write_text("frameworks:\n  - {id: hipaa, name: HIPAA}\n  - {id: pci, name: PCI DSS}\n")
    party_ids = ["client-exec", "client-it", "msp"] + [f"vendor-{i}" for i in range(1, parties - 2)]
    n_domains = max(1, (n + PER_DOMAIN - 1) // PER_DOMAIN)
    preset_rows = ['  "*": {client-it: A/R, client-exec: I}']
    count = 0
    for d in range(n_domains):
        did = f"d{d:04d}"
        lines = [f"domain: {{id: {did}, name: Domain {d}}}", "activities:"]
        size = min(PER_DOMAIN, n - count)
        for i in range(size):
            aid = f"{did}.a{i:04d}"
            dep = f"[{did}.a{i - 1:04d}]" if i else "[]"
            esc = f"{did}.a{i + 1:04d}" if i % 50 == 0 and i + 1 < size else "null"
            cov = "24x7" if i % 10 == 0 else "business-hours"
            fws = "[hipaa]" if i % 7 == 0 else "[]"
            lines += [
                f"  - id: {aid}",
                f"    name: Activity {d}-{i}",
                f"    description: Synthetic activity {i} of domain {d}, for benchmarks.",
                f"    aliases: [act {d} {i}, task {d} {i}]",
                f"    coverage: {cov}",
                f"    depends_on: {dep}",
                f"    escalates_to: {esc}",
                f"    frameworks: {fws}",
                f"    non_delegable: {'true' if i == 1 else 'false'}",
            ]
        count += size
        (cat / "domains" / f"{d:04d}-{did}.yaml").write_text("\n".join(lines) + "\n")
        owner = party_ids[1 + d % (len(party_ids) - 1)]
        others = ", ".join(f"{p}: {rng.choice(LETTERS)}" for p in party_ids if p not in (owner, "client-exec"))
        preset_rows.append(f'  "{did}.*": {{{owner}: A/R, {others}, after-hours: {{msp: R, {owner}: I}}}}'.replace(
            "{msp: R, msp: I}", "{msp: A/R}"))
        preset_rows.append(f"  {did}.a0001: {{client-exec: A/R, {owner}: C}}")
    (cat / "presets" / "base.yaml").write_text(
        "id: base\nname: Base\ndescription: Synthetic arrangement.\nextends: null\nrows:\n" + "\n".join(preset_rows) + "\n")
    eng = root / f"engagement-{n}.raci.yaml"
    party_lines = []
    for p in party_ids:
        kind = "client" if p.startswith("client") else ("msp" if p == "msp" else "vendor")
        hours = "24x7" if p == "msp" else "business-hours"
        party_lines.append(f"  {p}: {{name: {p.title()}, kind: {kind}, staff: {n // 10 + 5}, hours: {hours}}}")
    assignments = []
    for k in range(0, n, 97):  # a planted gap every 97 activities
        d, i = divmod(k, PER_DOMAIN)
        assignments.append(f"  d{d:04d}.a{i:04d}: {{msp: R, client-it: C}}")
    notes = [f"  d{d:04d}.a0002: \"Split agreed in workshop\"" for d in range(0, n_domains, 3)]
    eng.write_text(
        "client: Bench Client\nprovider: Bench MSP\nversion: \"1.0\"\neffective: 2026-12-01\npresets: [base]\n"
        "profile: {employees: 500, it_staff: 5, compliance: [hipaa]}\nparties:\n" + "\n".join(party_lines) + "\n"
        "assignments:\n" + "\n".join(assignments) + "\nnotes:\n" + "\n".join(notes) + "\n"
    )
    return cat, eng


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(*generate(Path(sys.argv[1]), int(sys.argv[2])))
