"""UK postcodes: normalise what people type ("le11aa", " LE1  1aa ") and say what is wrong.

A full postcode is an outward code (area letters, district digit(s) and maybe a
letter: ``LE1``, ``LE67``, ``EC1A``) and an inward code (a digit and two
letters: ``1AA``), written with one space between them.
"""

from __future__ import annotations

import re

from assetmap.errors import ValidationFailed

__all__ = ["looks_like_postcode", "normalise_postcode", "parse_postcode"]

_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# Something that starts like a postcode: letters then a digit, short, no spaces inside words.
_POSTCODE_LIKE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9 ]{0,6}$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def normalise_postcode(text: str) -> str | None:
    """``"le11aa"`` → ``"LE1 1AA"``; ``None`` when it is not a full postcode."""
    match = _FULL.match(_squash(text))
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def looks_like_postcode(text: str) -> bool:
    """True for anything a person probably meant as a postcode (even incomplete)."""
    squashed = text.strip().upper()
    return bool(squashed) and bool(_POSTCODE_LIKE.match(squashed)) and any(
        c.isdigit() for c in squashed
    )


def parse_postcode(text: str) -> str:
    """The normalised postcode, or :class:`ValidationFailed` saying how to fix it."""
    normalised = normalise_postcode(text)
    if normalised is not None:
        return normalised
    squashed = _squash(text)
    if not squashed:
        raise ValidationFailed("Enter a postcode, for example LE1 1AA.", key="error.enter_query")
    if _OUTWARD.match(squashed):
        raise ValidationFailed(
            f"{squashed} is only the first half of a postcode. Enter the full postcode, "
            "for example LE1 1AA, or the name of your town or village.",
            key="error.postcode_outward",
            values={"outward": squashed},
        )
    raise ValidationFailed(
        "That does not look like a UK postcode. A postcode looks like LE1 1AA or LE67 9AB; "
        "check it, or enter the name of your town or village.",
        key="error.postcode_malformed",
    )
