"""Licensed wording checked against our definitions (DOMAIN §4.0 point 4, §4.7), pure.

`backrelief instruments import FILE` installs wording a licence holder supplies. It must name
one of our instruments and carry the same items, in the same order, with the same option
values: the texts are only displayed, so scoring never depends on wording. A result answered on
imported wording names it (`Wording.label`) instead of BackRelief's summary.

File shape::

    {"instrument": "odi", "name": "ODI 2.1a English (UK)", "version": "2024-03",
     "language": "en-GB", "licence": "Mapi Research Trust, agreement 1234",
     "items": [{"id": "pain_intensity", "text": "...",
                "options": [{"value": 0, "text": "..."}, ...]}, ...]}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backrelief.assessment.instruments import (
    INSTRUMENT_CODES,
    INSTRUMENTS,
    SUMMARY_WORDING,
    as_mapping,
    field_error,
    required,
)


@dataclass(frozen=True, slots=True)
class Wording:
    """Licensed wording installed by `backrelief instruments import` (checked, never scored)."""

    instrument: str
    name: str
    version: str
    language: str
    licence: str
    items: tuple[tuple[str, tuple[tuple[int, str], ...]], ...]  # (text, ((value, text), ...))

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


def parse_wording(data: Mapping[str, Any], *, source: str = "wording") -> Wording:
    """Check licensed wording against our definition: same instrument, the same items in the
    same order and the same option values (DOMAIN §4.0 point 4). Texts are only displayed."""
    code = required(data, "instrument", str, source)
    if code not in INSTRUMENTS:
        raise field_error(
            source, "instrument", f"unknown; use one of {', '.join(INSTRUMENT_CODES)}"
        )
    instrument = INSTRUMENTS[code]
    name = required(data, "name", str, source)
    if name == SUMMARY_WORDING:
        raise field_error(
            source, "name", f"{SUMMARY_WORDING!r} is reserved for BackRelief's summaries"
        )
    raw = required(data, "items", list, source)
    if len(raw) != len(instrument.items):
        raise field_error(
            source, "items", f"{code} has {len(instrument.items)} items, got {len(raw)}"
        )
    items = []
    for i, (raw_entry, item) in enumerate(zip(raw, instrument.items, strict=True)):
        entry, where = as_mapping(raw_entry, f"items[{i}]", source), f"items[{i}]"
        if required(entry, "id", str, source, where) != item.id:
            raise field_error(source, f"items[{i}].id", f"expected {item.id!r} (published order)")
        options = required(entry, "options", list, source, where)
        pairs = []
        for j, raw_option in enumerate(options):
            at = f"{where}.options[{j}]"
            option = as_mapping(raw_option, at, source)
            value = required(option, "value", int, source, at)
            pairs.append((value, required(option, "text", str, source, at)))
        if tuple(value for value, _text in pairs) != item.values:
            raise field_error(source, f"items[{i}].options", f"values must be {list(item.values)}")
        items.append((required(entry, "text", str, source, where), tuple(pairs)))
    return Wording(
        instrument=code,
        name=name,
        version=required(data, "version", str, source),
        language=required(data, "language", str, source),
        licence=required(data, "licence", str, source),
        items=tuple(items),
    )
