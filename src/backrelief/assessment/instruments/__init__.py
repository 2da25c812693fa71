"""Questionnaire definitions as reviewable, versioned data (DOMAIN §4; STYLE.md rule 2), pure.

Each instrument lives in `<code>.json` beside this module: items in published order with
BackRelief's own plain-language summaries (never the licensed wording, DOMAIN §4.0 point 4 and
§4.7), option values, the scoring rule, reverse items, the missing-item limit, bands with the
paper's codes and our soft labels (DOMAIN §0 point 9, §4.0 point 5), MCIDs (DOMAIN §4.0 point 6),
recall period, version and licence note. Every file is validated when this package is imported,
so a broken edit stops the program instead of scoring wrongly. Licensed wording, once imported,
is checked against the same definition by `licensed.parse_wording` (scoring never depends on it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from backrelief.catalog.data.regions import REGION_CODES, sorted_regions
from backrelief.core.errors import Invalid

HERE = Path(__file__).resolve().parent
INSTRUMENT_CODES = ("nprs", "ndi", "odi", "pss10", "phq4", "sleep")
SUMMARY_WORDING = "backrelief-summary"
SUMMARY_NOTE = "answered on BackRelief's plain-language summary, not the licensed form"
# single_item: the value; sum: all items required; sum_prorated: sum * items / answered;
# percent_of_answered: sum / (item maximum * answered) * 100 (DOMAIN §4.1 to §4.6).
RULES = ("single_item", "sum", "sum_prorated", "percent_of_answered")
SCHEDULES = ("every_session", "each_assessment", "weekly", "every_2_weeks_at_most", "monthly")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Option:
    value: int
    summary: str


@dataclass(frozen=True, slots=True)
class Item:
    number: int  # 1-based, the published order
    id: str
    summary: str
    options: tuple[Option, ...]
    reverse: bool
    not_applicable: bool  # "I don't drive" / "does not apply" is stored as unanswered (None)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)

    def scored(self, value: int) -> int:
        """A reverse item scores `lowest + highest - response` (PSS-10: 4 - response, §4.4)."""
        return self.values[0] + self.values[-1] - value if self.reverse else value


@dataclass(frozen=True, slots=True)
class Band:
    code: str  # from the paper, stored (DOMAIN §4.0 point 5)
    label: str  # soft user-facing wording
    limit: Fraction
    inclusive: bool  # True: value ≤ limit ("up_to"); False: value < limit ("below")

    def admits(self, value: Fraction) -> bool:
        return value <= self.limit if self.inclusive else value < self.limit


@dataclass(frozen=True, slots=True)
class Subscale:
    code: str
    label: str
    items: tuple[int, ...]  # 0-based positions in the answers
    positive_at: Fraction
    positive_note: str


@dataclass(frozen=True, slots=True)
class Mcid:
    absolute: Fraction | None  # in the headline score's units
    percent: Fraction | None  # improvement from baseline, in percent
    beyond_error: Fraction | None
    source: str


@dataclass(frozen=True, slots=True)
class Instrument:
    code: str
    name: str
    edition: str
    version: int
    language: str
    recall_period: str
    wording: str
    licence: str
    items: tuple[Item, ...]
    rule: str
    max_missing: int
    percent: bool
    bands: tuple[Band, ...]
    bands_descriptive: bool
    subscales: tuple[Subscale, ...]
    mcid: Mcid | None
    higher_is_better: bool
    primary_regions: tuple[str, ...]
    for_everyone: bool
    schedule: str
    notes: tuple[str, ...]

    @property
    def score_range(self) -> tuple[Fraction, Fraction]:
        return score_range(self.rule, self.items)


def score_range(rule: str, items: Sequence[Item]) -> tuple[Fraction, Fraction]:
    """Lowest and highest headline score (reversal maps an item's range onto itself)."""
    if rule == "percent_of_answered":
        return Fraction(0), Fraction(100)
    low = sum(item.values[0] for item in items)
    return Fraction(low), Fraction(sum(item.values[-1] for item in items))


def field_error(source: str, path: str, message: str) -> Invalid:
    return Invalid(f"{source}: {path}: {message}", fields={path: [message]})


def required(
    data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], source: str, within: str = ""
) -> Any:
    """`data[key]` of type `kind` (non-blank when text); the error names `within.key`."""
    value = data.get(key) if isinstance(data, Mapping) else None
    if isinstance(value, bool) and kind is not bool:
        value = None
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise field_error(
            source, f"{within}.{key}" if within else key, f"required, must be {names}"
        )
    return value


def as_mapping(value: Any, path: str, source: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise field_error(source, path, "must be an object")
    return value


def _number(value: Any, path: str, source: str) -> Fraction:
    """Limits are integers or decimal strings ("13.5"), never floats (exact, DOMAIN §4.0)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return Fraction(value)
    raise field_error(source, path, 'must be an integer or a decimal string like "13.5"')


def _is_number_in(value: Any, count: int) -> bool:
    """A 1-based item number (booleans are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= count


def _options(raw: Any, path: str, source: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise field_error(source, path, "needs at least two options")
    options = []
    for i, entry in enumerate(raw):
        value = required(entry, "value", int, source, f"{path}[{i}]")
        options.append(Option(value, required(entry, "summary", str, source, f"{path}[{i}]")))
    values = [option.value for option in options]
    if values != list(range(values[0], values[0] + len(values))):
        raise field_error(source, path, "option values must be consecutive integers, lowest first")
    return tuple(options)


def _items(data: Mapping[str, Any], source: str) -> tuple[Item, ...]:
    scale = data.get("scale")
    raw = required(data, "items", list, source)
    reverse = required(data, "reverse_items", list, source)
    if any(not _is_number_in(n, len(raw)) for n in reverse):
        raise field_error(source, "reverse_items", f"item numbers must be 1 to {len(raw)}")
    items = []
    for i, raw_entry in enumerate(raw):
        entry, where = as_mapping(raw_entry, f"items[{i}]", source), f"items[{i}]"
        item_id = required(entry, "id", str, source, where)
        if not _ID.match(item_id):
            raise field_error(source, f"items[{i}].id", "use lower-case letters, digits and _")
        own = entry.get("options", scale)
        options = _options(own, f"items[{i}].options" if "options" in entry else "scale", source)
        items.append(
            Item(
                number=i + 1,
                id=item_id,
                summary=required(entry, "summary", str, source, where),
                options=options,
                reverse=i + 1 in reverse,
                not_applicable=entry.get("not_applicable", False) is True,
            )
        )
    if not items or len({item.id for item in items}) != len(items):
        raise field_error(source, "items", "need at least one item, with distinct ids")
    return tuple(items)


def _bands(raw: Any, low: Fraction, high: Fraction, source: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise field_error(source, "bands", "required, a list from the lowest band up")
    bands: list[Band] = []
    for i, raw_entry in enumerate(raw):
        entry, where = as_mapping(raw_entry, f"bands[{i}]", source), f"bands[{i}]"
        inclusive = "up_to" in entry
        if inclusive == ("below" in entry):
            raise field_error(source, f"bands[{i}]", "give exactly one of `below` or `up_to`")
        limit = _number(entry["up_to" if inclusive else "below"], f"bands[{i}]", source)
        if bands and (limit, inclusive) <= (bands[-1].limit, bands[-1].inclusive):
            raise field_error(source, f"bands[{i}]", "limits must increase")
        code = required(entry, "code", str, source, where)
        bands.append(Band(code, required(entry, "label", str, source, where), limit, inclusive))
    if not bands[0].admits(low):
        raise field_error(
            source, "bands[0]", f"the lowest band must include the lowest score {low}"
        )
    if not (bands[-1].inclusive and bands[-1].limit == high):
        raise field_error(source, f"bands[{len(bands) - 1}]", f"the last band must be up_to {high}")
    if len({band.code for band in bands}) != len(bands):
        raise field_error(source, "bands", "band codes must be distinct")
    return tuple(bands)


def _subscales(raw: Any, items: int, source: str) -> tuple[Subscale, ...]:
    subscales = []
    if not isinstance(raw, list):
        raise field_error(source, "subscales", "required, a list (empty when there are none)")
    for i, raw_entry in enumerate(raw):
        entry = as_mapping(raw_entry, f"subscales[{i}]", source)
        where = f"subscales[{i}]"
        numbers = required(entry, "items", list, source, where)
        if not numbers or any(not _is_number_in(n, items) for n in numbers):
            raise field_error(source, f"subscales[{i}].items", f"item numbers must be 1 to {items}")
        subscales.append(
            Subscale(
                code=required(entry, "code", str, source, where),
                label=required(entry, "label", str, source, where),
                items=tuple(n - 1 for n in numbers),
                positive_at=_number(entry.get("positive_at"), f"subscales[{i}]", source),
                positive_note=required(entry, "positive_note", str, source, where),
            )
        )
    return tuple(subscales)


def _mcid(raw: Any, source: str) -> Mcid | None:
    if raw is None:
        return None
    raw = as_mapping(raw, "mcid", source)

    def optional(key: str) -> Fraction | None:
        value = raw.get(key)
        return None if value is None else _number(value, f"mcid.{key}", source)

    return Mcid(
        optional("absolute"),
        optional("percent"),
        optional("beyond_error"),
        required(raw, "source", str, source, "mcid"),
    )


def load_definition(data: Mapping[str, Any], *, source: str = "definition") -> Instrument:
    """Validate one definition (DOMAIN §4.0): every field present, bands covering the range."""
    code = required(data, "code", str, source)
    if code not in INSTRUMENT_CODES:
        raise field_error(
            source, "code", f"unknown instrument; use one of {', '.join(INSTRUMENT_CODES)}"
        )
    if required(data, "wording", str, source) != SUMMARY_WORDING:
        raise field_error(source, "wording", f"the repository ships only {SUMMARY_WORDING!r}")
    items = _items(data, source)
    scoring = required(data, "scoring", dict, source)
    rule = required(scoring, "rule", str, source, "scoring")
    max_missing = required(scoring, "max_missing", int, source, "scoring")
    if rule not in RULES:
        raise field_error(source, "scoring.rule", f"use one of {', '.join(RULES)}")
    if not 0 <= max_missing < len(items) or (rule in ("sum", "single_item") and max_missing):
        raise field_error(source, "scoring.max_missing", "out of range for this rule")
    if (rule == "single_item") != (len(items) == 1):
        raise field_error(source, "scoring.rule", "single_item is for instruments with one item")
    if len({item.values for item in items}) != 1:
        raise field_error(source, "items", "every item must have the same option values")
    percent = required(scoring, "percent", bool, source, "scoring")
    if (rule == "percent_of_answered" and not percent) or (percent and items[0].values[0] != 0):
        raise field_error(source, "scoring.percent", "percentages need items scored from 0")
    regions = tuple(required(data, "primary_regions", list, source))
    if any(not isinstance(region, str) or region not in REGION_CODES for region in regions):
        raise field_error(
            source,
            "primary_regions",
            f"use DOMAIN §1.2 codes: {', '.join(sorted_regions(REGION_CODES))}",
        )
    for_everyone = required(data, "for_everyone", bool, source)
    if for_everyone and regions:
        raise field_error(source, "primary_regions", "must be empty when for_everyone is true")
    schedule = required(data, "schedule", str, source)
    if schedule not in SCHEDULES:
        raise field_error(source, "schedule", f"use one of {', '.join(SCHEDULES)}")
    notes = required(data, "notes", list, source)
    if not all(isinstance(note, str) and note.strip() for note in notes):
        raise field_error(source, "notes", "must be a list of texts")
    required(data, "bands_source", str, source)
    bands = _bands(data.get("bands"), *score_range(rule, items), source)
    return Instrument(
        code=code,
        name=required(data, "name", str, source),
        edition=required(data, "edition", str, source),
        version=required(data, "version", int, source),
        language=required(data, "language", str, source),
        recall_period=required(data, "recall_period", str, source),
        wording=SUMMARY_WORDING,
        licence=required(data, "licence", str, source),
        items=items,
        rule=rule,
        max_missing=max_missing,
        percent=percent,
        bands=bands,
        bands_descriptive=required(data, "bands_descriptive", bool, source),
        subscales=_subscales(data.get("subscales"), len(items), source),
        mcid=_mcid(data.get("mcid"), source),
        higher_is_better=required(data, "higher_is_better", bool, source),
        primary_regions=regions,
        for_everyone=for_everyone,
        schedule=schedule,
        notes=tuple(notes),
    )


def _load_all() -> dict[str, Instrument]:
    loaded = {}
    for code in INSTRUMENT_CODES:
        path = HERE / f"{code}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        instrument = load_definition(data, source=path.name)
        if instrument.code != code:
            raise field_error(path.name, "code", f"must be {code!r}, like the file name")
        loaded[code] = instrument
    claimed: dict[str, str] = {}
    for instrument in loaded.values():
        for region in instrument.primary_regions:
            if region in claimed:
                raise field_error(
                    f"{instrument.code}.json", "primary_regions", f"{region} is in two"
                )
            claimed[region] = instrument.code
    return loaded


INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(_load_all())


def get_instrument(code: str) -> Instrument:
    """The definition for `code`; unknown codes are an error naming the field `instrument`."""
    try:
        return INSTRUMENTS[code]
    except (KeyError, TypeError):
        message = f"Unknown instrument {code!r}; use one of {', '.join(INSTRUMENT_CODES)}."
        raise Invalid(message, fields={"instrument": [message]}) from None
