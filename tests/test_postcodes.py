"""Postcodes: tolerant of case and spacing, strict about shape, helpful when wrong."""

from __future__ import annotations

import pytest

from assetmap.errors import ValidationFailed
from assetmap.postcodes import looks_like_postcode, normalise_postcode, parse_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("le11aa", "LE1 1AA"),
        ("LE1 1AA", "LE1 1AA"),
        ("  le1   1aa ", "LE1 1AA"),
        ("le67 9ab", "LE67 9AB"),
        ("EC1A1BB", "EC1A 1BB"),
        ("w1a 0ax", "W1A 0AX"),
        ("LE1\t1AA", "LE1 1AA"),
    ],
)
def test_normalise_accepts_any_case_and_spacing(typed: str, expected: str) -> None:
    assert normalise_postcode(typed) == expected
    assert parse_postcode(typed) == expected


@pytest.mark.parametrize("typed", ["", "LE1", "LE1 1A", "1LE 1AA", "LEE1 1AA", "hello", "LE1 1AAA"])
def test_normalise_rejects_what_is_not_a_full_postcode(typed: str) -> None:
    assert normalise_postcode(typed) is None
    # and the resident is told what a postcode looks like
    with pytest.raises(ValidationFailed, match="LE1 1AA"):
        parse_postcode(typed)


def test_outward_code_only_gets_a_specific_hint() -> None:
    with pytest.raises(ValidationFailed, match="only the first half"):
        parse_postcode("le1")


def test_nonsense_gets_an_example_of_a_postcode() -> None:
    with pytest.raises(ValidationFailed, match="LE1 1AA"):
        parse_postcode("12345")
    with pytest.raises(ValidationFailed, match="Enter a postcode"):
        parse_postcode("   ")


@pytest.mark.parametrize(
    ("typed", "postcode_like"),
    [("le1", True), ("LE1 1AA", True), ("le11aa", True), ("Loughborough", False),
     ("Market Harborough", False), ("", False), ("E1", True)],
)
def test_looks_like_postcode(typed: str, postcode_like: bool) -> None:
    assert looks_like_postcode(typed) is postcode_like
