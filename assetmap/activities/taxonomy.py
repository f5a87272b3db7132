"""The small, documented taxonomy of activities: what a session is, in words residents use.

Codes are what ``layers/activities.yaml`` declares as the ``category`` choices (a test keeps
the two the same); labels are what pages show; descriptions say where the line falls between
neighbouring categories, so officers file a group the same way across the county. The ORUK
feed publishes this list as its taxonomy, each code a taxonomy term.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from assetmap.errors import ValidationFailed

__all__ = ["AUDIENCES", "TAXONOMY", "Audience", "Category", "audience", "category"]


@dataclass(frozen=True)
class Category:
    """One kind of activity: its code, the label pages show and where its line falls."""

    code: str
    label: str
    description: str


@dataclass(frozen=True)
class Audience:
    """Who an activity is for (``audience`` is a semicolon list of these codes)."""

    code: str
    label: str


TAXONOMY: tuple[Category, ...] = (
    Category("lunch_club", "Lunch club",
             "A shared meal, usually for older people, with company as much as food."),
    Category("coffee_morning", "Coffee morning",
             "A drop-in for a drink and a chat; no booking, open to anyone."),
    Category("toddler_group", "Parent and toddler group",
             "Play and song for children under five with their parents or carers."),
    Category("youth_club", "Youth club",
             "Supervised sessions for young people, usually 11 to 18."),
    Category("dementia_cafe", "Dementia café",
             "A relaxed meeting place for people living with dementia and those who care for "
             "them, often with advice on hand."),
    Category("carers_support", "Carers' support group",
             "Peer support and information for unpaid carers."),
    Category("warm_space", "Warm space",
             "Somewhere warm and welcoming to spend time in winter, free, with a hot drink."),
    Category("food_bank", "Food bank or community larder",
             "Emergency food parcels (food bank) or low-cost food for members (larder)."),
    Category("advice_session", "Advice session",
             "Free advice on money, benefits, debt, housing or work, by appointment or drop-in."),
    Category("digital_skills", "Digital skills help",
             "Help with phones, tablets, computers and getting online."),
    Category("exercise_class", "Exercise class",
             "Keep-fit, yoga, chair exercise, walking football or a walking group."),
    Category("arts_and_crafts", "Arts and crafts",
             "Knit and natter, art groups, choirs and other making together."),
    Category("mental_wellbeing", "Mental wellbeing group",
             "Peer support for mental health and loneliness, including men's sheds."),
    Category("library_service", "Library service",
             "Book lending, Rhyme Time, reading groups and the library's own sessions."),
)

AUDIENCES: tuple[Audience, ...] = (
    Audience("everyone", "Everyone"),
    Audience("children", "Children"),
    Audience("families", "Families"),
    Audience("young_people", "Young people"),
    Audience("adults", "Adults"),
    Audience("older_people", "Older people"),
    Audience("carers", "Carers"),
    Audience("people_with_dementia", "People living with dementia"),
    Audience("disabled_people", "Disabled people"),
)

_Coded = TypeVar("_Coded", "Category", "Audience")
_CATEGORIES = {c.code: c for c in TAXONOMY}
_AUDIENCES = {a.code: a for a in AUDIENCES}


def _lookup(table: dict[str, _Coded], code: str, what: str) -> _Coded:
    try:
        return table[code]
    except KeyError:
        raise ValidationFailed(f"{code!r} is not {what}; use one of {', '.join(table)}") from None


def category(code: str) -> Category:
    """The category with this code; ``ValidationFailed`` listing the codes if there is none."""
    return _lookup(_CATEGORIES, code, "an activity category")


def audience(code: str) -> Audience:
    """The audience with this code; ``ValidationFailed`` listing the codes if there is none."""
    return _lookup(_AUDIENCES, code, "an audience")
