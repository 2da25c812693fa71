"""Demo people are reproducible from the seed alone, unique, and never deliverable."""

from __future__ import annotations

import pytest

from backrelief.core.demo import DEMO_DOMAIN, PERSONAS, SIZES, demo_client, demo_clients


def test_same_seed_gives_the_same_people():
    assert demo_clients(size="medium", seed=7) == demo_clients(size="medium", seed=7)


def test_another_seed_gives_other_people():
    first = [p.email for p in demo_clients(size="medium", seed=1)]
    second = [p.email for p in demo_clients(size="medium", seed=2)]
    assert first != second


def test_a_larger_size_extends_a_smaller_one():
    small = demo_clients(size="small", seed=42)
    large = demo_clients(size="large", seed=42)
    assert large[: len(small)] == small
    assert [len(demo_clients(size=s, seed=42)) for s in SIZES] == list(SIZES.values())


def test_emails_are_unique_lower_case_and_under_the_reserved_test_domain():
    people = [*PERSONAS, *demo_clients(size="large", seed=42)]
    emails = [p.email for p in people]
    assert len(set(emails)) == len(emails)
    assert all(e == e.lower() and e.endswith("@" + DEMO_DOMAIN) for e in emails)
    assert all(e.isascii() for e in emails)


def test_a_client_depends_only_on_seed_and_index():
    assert demo_client(seed=42, index=10) == demo_clients(size="medium", seed=42)[10]
    with pytest.raises(ValueError, match="index"):
        demo_client(seed=42, index=-1)


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="small, medium, large"):
        demo_clients(size="huge", seed=42)
