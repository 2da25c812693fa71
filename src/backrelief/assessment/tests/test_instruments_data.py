"""The instrument data files (DOMAIN §4): what they must say, and what the loader refuses."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from backrelief.assessment.instruments import (
    HERE,
    INSTRUMENT_CODES,
    INSTRUMENTS,
    SUMMARY_WORDING,
    load_definition,
)
from backrelief.core.errors import Invalid

BAND_CODES = {
    "nprs": ["none", "mild", "moderate", "severe"],
    "ndi": ["none", "mild", "moderate", "severe", "complete"],
    "odi": ["minimal", "moderate", "severe", "crippled", "bed_bound"],
    "pss10": ["low", "moderate", "high"],
    "phq4": ["normal", "mild", "moderate", "severe"],
    "sleep": ["terrible", "poor", "fair", "good", "excellent"],
}
# Words from the papers that must never reach a person (DOMAIN §0 point 9, §4.0 point 5).
STIGMATISING = ("crippl", "bed-bound", "bed bound", "bed_bound", "bedbound", "exaggerat")


def raw(code: str) -> dict[str, Any]:
    return json.loads((HERE / f"{code}.json").read_text(encoding="utf-8"))


def test_every_instrument_has_a_data_file_and_nothing_else_is_there():
    files = {path.stem for path in Path(HERE).glob("*.json")}
    assert files == set(INSTRUMENT_CODES) == set(INSTRUMENTS)


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_band_codes_follow_the_issue(code):
    assert [band.code for band in INSTRUMENTS[code].bands] == BAND_CODES[code]


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_shipped_wording_is_our_summary_with_a_licence_note_and_recall_period(code):
    instrument = INSTRUMENTS[code]
    assert instrument.wording == SUMMARY_WORDING
    assert raw(code)["wording"] == SUMMARY_WORDING
    assert instrument.licence.strip()
    assert instrument.recall_period.strip()
    assert instrument.version >= 1
    assert all(item.summary.strip() for item in instrument.items)


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_no_user_facing_label_uses_the_papers_stigmatising_words(code):
    data = raw(code)
    shown = [band["label"] for band in data["bands"]]
    shown += [sub["label"] for sub in data["subscales"]] + data["notes"]
    shown += [item["summary"] for item in data["items"]]
    for text in shown:
        assert not any(word in text.lower() for word in STIGMATISING), text


def test_odi_paper_codes_are_kept_but_shown_softly():
    labels = {band.code: band.label for band in INSTRUMENTS["odi"].bands}
    assert labels["crippled"] == "very severe limitation"
    assert labels["bed_bound"] == "extreme limitation"


@pytest.mark.parametrize(
    ("code", "items", "reverse", "max_missing", "rule"),
    [
        ("nprs", 1, [], 0, "single_item"),
        ("ndi", 10, [], 2, "sum_prorated"),
        ("odi", 10, [], 2, "percent_of_answered"),
        ("pss10", 10, [4, 5, 7, 8], 1, "sum_prorated"),
        ("phq4", 4, [], 0, "sum"),
        ("sleep", 1, [], 0, "single_item"),
    ],
)
def test_items_reverse_items_and_missing_limits_follow_domain(
    code, items, reverse, max_missing, rule
):
    instrument = INSTRUMENTS[code]
    assert len(instrument.items) == items
    assert [item.number for item in instrument.items if item.reverse] == reverse
    assert (instrument.max_missing, instrument.rule) == (max_missing, rule)


@pytest.mark.parametrize(
    ("code", "values"),
    [
        ("nprs", range(11)),
        ("ndi", range(6)),
        ("odi", range(6)),
        ("pss10", range(5)),
        ("phq4", range(4)),
        ("sleep", range(11)),
    ],
)
def test_option_values(code, values):
    assert {item.values for item in INSTRUMENTS[code].items} == {tuple(values)}


def test_only_driving_and_sex_life_offer_not_applicable():
    offered = {
        (code, item.id)
        for code, i in INSTRUMENTS.items()
        for item in i.items
        if item.not_applicable
    }
    assert offered == {("ndi", "driving"), ("odi", "sex_life")}


@pytest.mark.parametrize(
    ("code", "absolute", "percent", "beyond_error"),
    [
        ("nprs", 2, 30, None),
        ("ndi", 5, None, 10),
        ("odi", 10, 30, None),
        ("sleep", 2, None, None),
    ],
)
def test_mcids_are_configured_in_the_data(code, absolute, percent, beyond_error):
    mcid = INSTRUMENTS[code].mcid
    assert mcid is not None
    assert (mcid.absolute, mcid.percent, mcid.beyond_error) == (
        Fraction(absolute),
        None if percent is None else Fraction(percent),
        None if beyond_error is None else Fraction(beyond_error),
    )


def test_pss10_and_phq4_have_no_mcid_and_pss10_bands_are_descriptive():
    assert INSTRUMENTS["pss10"].mcid is None
    assert INSTRUMENTS["phq4"].mcid is None
    assert INSTRUMENTS["pss10"].bands_descriptive
    assert any("not clinical" in note for note in INSTRUMENTS["pss10"].notes)


def test_phq4_subscales_are_items_1_2_and_3_4_positive_at_3():
    subscales = {s.code: (s.items, s.positive_at) for s in INSTRUMENTS["phq4"].subscales}
    assert subscales == {"anxiety": ((0, 1), 3), "depression": ((2, 3), 3)}


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    target: Any = data
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is DELETE:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value


DELETE = object()

# (file, path to change, new value, field named in the error)
BROKEN = [
    ("ndi", "name", DELETE, "name"),
    ("ndi", "code", "neck", "code"),
    ("ndi", "wording", "Vernon 1991", "wording"),
    ("ndi", "version", "1", "version"),
    ("ndi", "licence", " ", "licence"),
    ("ndi", "scoring.rule", "median", "scoring.rule"),
    ("ndi", "scoring.max_missing", 10, "scoring.max_missing"),
    ("phq4", "scoring.max_missing", 1, "scoring.max_missing"),
    ("ndi", "scoring.percent", "yes", "scoring.percent"),
    ("pss10", "reverse_items", [4, 11], "reverse_items"),
    ("pss10", "reverse_items", [True], "reverse_items"),
    ("nprs", "primary_regions", ["NECK"], "primary_regions"),
    ("ndi", "primary_regions", [["NECK"]], "primary_regions"),
    ("ndi", "items.3.id", "Reading", "items[3].id"),
    ("ndi", "items.3.summary", "", "items[3].summary"),
    ("ndi", "items.3.id", "pain_intensity", "items"),
    ("ndi", "scale.2.value", 7, "scale"),
    ("ndi", "bands.1.below", 4, "bands[1]"),
    ("ndi", "bands.1.below", 15.5, "bands[1]"),
    ("ndi", "bands.4.up_to", 49, "bands[4]"),
    ("odi", "bands.0.up_to", -1, "bands[0]"),
    ("odi", "bands.1.code", "minimal", "bands"),
    ("ndi", "bands.1.label", DELETE, "bands[1].label"),
    ("phq4", "subscales.0.items", [1, 5], "subscales[0].items"),
    ("ndi", "primary_regions", ["NECK", "THROAT"], "primary_regions"),
    ("ndi", "schedule", "sometimes", "schedule"),
    ("nprs", "mcid.absolute", 0.5, "mcid.absolute"),
    ("nprs", "mcid.source", DELETE, "mcid.source"),
    ("nprs", "bands_source", DELETE, "bands_source"),
]


@pytest.mark.parametrize(("code", "path", "value", "field"), BROKEN)
def test_loader_refuses_a_broken_definition_naming_the_field(code, path, value, field):
    data = copy.deepcopy(raw(code))
    _set(data, path, value)
    with pytest.raises(Invalid) as caught:
        load_definition(data, source=f"{code}.json")
    assert field in caught.value.fields, caught.value.message
    assert caught.value.message.startswith(f"{code}.json: ")


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_every_shipped_file_loads_to_the_same_definition(code):
    assert load_definition(raw(code), source=f"{code}.json") == INSTRUMENTS[code]
