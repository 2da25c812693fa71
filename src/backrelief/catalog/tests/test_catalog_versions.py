"""The rule and catalogue versions move with the data (DOMAIN §3.5: the rule-set version is
stored beside every decision, so a changed rule must never ship under an old version).

When a test here fails after a deliberate change: bump `RULES_VERSION` (conditions, rules,
regions, precautions) or `CATALOG_VERSION` (techniques, evidence), then record the new
fingerprint below next to the new version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from enum import Enum

from backrelief.catalog.data import conditions, contraindications, evidence, regions, techniques

RULES_FINGERPRINTS = {
    "2026.1": "c87a9469ef799b8e",
}
CATALOG_FINGERPRINTS = {
    "2026.1": "6fbe78c151b48b26",
}


def canonical(value: object) -> object:
    """JSON-ready and independent of hash order (frozensets are sorted)."""
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, frozenset | set):
        return sorted((canonical(v) for v in value), key=json.dumps)
    if isinstance(value, tuple | list):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    return value


def fingerprint(*parts: object) -> str:
    text = json.dumps([canonical(p) for p in parts], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_rules_version_matches_the_rules():
    got = fingerprint(
        conditions.CONDITIONS,
        conditions.QUALIFIERS,
        conditions.EXCLUSIVE_CONDITIONS,
        contraindications.RULES,
        contraindications.NECK_PRECAUTIONS,
        regions.REGIONS,
    )
    assert RULES_FINGERPRINTS.get(contraindications.RULES_VERSION) == got, (
        f"rules changed: bump RULES_VERSION and record {got!r}"
    )


def test_catalog_version_matches_the_catalogue():
    got = fingerprint(techniques.TECHNIQUES, techniques.PURPOSES, evidence.EVIDENCE)
    assert CATALOG_FINGERPRINTS.get(techniques.CATALOG_VERSION) == got, (
        f"catalogue changed: bump CATALOG_VERSION and record {got!r}"
    )
