"""Pain map input (DOMAIN §1.2): region codes, 0 to 10 intensities, primary region."""

from __future__ import annotations

import pytest

from backrelief.assessment.painmap import parse_regions, validate_primary_region
from backrelief.core.errors import Invalid


def test_regions_are_read_in_the_canonical_order():
    parsed = parse_regions({"LEG_L": 3, "NECK": 0, "LOWER_BACK": 10})
    assert list(parsed.items()) == [("NECK", 0), ("LOWER_BACK", 10), ("LEG_L", 3)]


def test_every_domain_region_is_accepted():
    codes = "NECK SHOULDER_L SHOULDER_R UPPER_BACK MID_BACK LOWER_BACK ARM_L ARM_R LEG_L LEG_R"
    codes += " HEAD BUTTOCK_L BUTTOCK_R"
    assert set(parse_regions(dict.fromkeys(codes.split(), 5))) == set(codes.split())


@pytest.mark.parametrize("raw", [None, {}])
def test_no_regions(raw):
    assert parse_regions(raw) == {}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"XYZ": 5}, "regions.XYZ"),
        ({"lower_back": 5}, "regions.lower_back"),
        ({"LOWER_BACK": 11}, "regions.LOWER_BACK"),
        ({"LOWER_BACK": -1}, "regions.LOWER_BACK"),
        ({"LOWER_BACK": 6.5}, "regions.LOWER_BACK"),
        ({"LOWER_BACK": 6.0}, "regions.LOWER_BACK"),
        ({"LOWER_BACK": "6"}, "regions.LOWER_BACK"),
        ({"LOWER_BACK": True}, "regions.LOWER_BACK"),
        ({"LOWER_BACK": None}, "regions.LOWER_BACK"),
    ],
)
def test_bad_regions_name_the_field(raw, field):
    with pytest.raises(Invalid) as exc:
        parse_regions(raw)
    assert list(exc.value.fields) == [field]


def test_every_bad_region_is_reported_at_once():
    with pytest.raises(Invalid) as exc:
        parse_regions({"XYZ": 1, "NECK": 12, "LEG_R": 2})
    assert set(exc.value.fields) == {"regions.XYZ", "regions.NECK"}


@pytest.mark.parametrize("raw", [[], "LOWER_BACK", 6, [["LOWER_BACK", 6]]])
def test_regions_must_be_an_object(raw):
    with pytest.raises(Invalid) as exc:
        parse_regions(raw)
    assert list(exc.value.fields) == ["regions"]


def test_primary_region_must_be_one_of_the_marked_regions():
    regions = {"NECK": 4, "LOWER_BACK": 6}
    assert validate_primary_region("NECK", regions) == "NECK"
    with pytest.raises(Invalid) as exc:
        validate_primary_region("LEG_L", regions)
    assert list(exc.value.fields) == ["primary_region"]


@pytest.mark.parametrize("primary", ["XYZ", "neck", 3, ["NECK"]])
def test_unknown_primary_region_names_the_field(primary):
    with pytest.raises(Invalid) as exc:
        validate_primary_region(primary, {"NECK": 4})
    assert list(exc.value.fields) == ["primary_region"]


@pytest.mark.parametrize(
    ("regions", "expected"),
    [({}, None), ({"MID_BACK": 3}, "MID_BACK")],
)
def test_missing_primary_region_is_decided_only_when_there_is_no_choice(regions, expected):
    assert validate_primary_region(None, regions) == expected
    assert validate_primary_region("", regions) == expected


def test_missing_primary_region_with_several_regions_asks_the_person():
    with pytest.raises(Invalid) as exc:
        validate_primary_region(None, {"NECK": 4, "LOWER_BACK": 6})
    assert list(exc.value.fields) == ["primary_region"]


def test_primary_region_cannot_be_given_without_regions():
    with pytest.raises(Invalid) as exc:
        validate_primary_region("NECK", {})
    assert list(exc.value.fields) == ["primary_region"]
