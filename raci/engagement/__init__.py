"""Engagement files (``*.raci.yaml``): one client's matrix, read and validated, resolved against the
catalog, and written back. One module per job: ``model`` (the data), ``parse`` (reading and validation),
``resolve`` (presets, assignments and exclusions laid on the catalog), ``writer`` (the YAML emitter),
``factory`` (``raci new``) and ``merge`` (a workshop's edits written into an existing file)."""

from raci.engagement.factory import new_engagement
from raci.engagement.model import (
    HOURS,
    KINDS,
    PARTY_KEYS,
    PROFILE_KEYS,
    SLA_KEYS,
    STANDARD_PARTIES,
    THRESHOLD_KEYS,
    TOP_KEYS,
    Engagement,
    Matrix,
    Party,
    Profile,
)
from raci.engagement.parse import load_engagement, loads_engagement, parse_engagement
from raci.engagement.resolve import apply_presets, resolve
from raci.engagement.writer import dump_engagement, yaml_scalar

__all__ = [
    "HOURS", "KINDS", "PARTY_KEYS", "PROFILE_KEYS", "SLA_KEYS", "STANDARD_PARTIES", "THRESHOLD_KEYS", "TOP_KEYS",
    "Engagement", "Matrix", "Party", "Profile",
    "apply_presets", "dump_engagement", "load_engagement", "loads_engagement", "new_engagement", "parse_engagement",
    "resolve", "yaml_scalar",
]
