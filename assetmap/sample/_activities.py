"""Synthetic activities: weekly and monthly sessions at the sample's open assets.

Hubs and community centres host the most (three to five), village and church halls a few,
libraries their own sessions, cafés a coffee morning or a warm space; closed assets host
nothing and at-risk ones fewer. Schedules are OpenStreetMap ``opening_hours`` (weekly,
``Th[2]`` monthly, ``Nov-Mar`` seasonal and a few one-off dates), so every one parses. Who runs
each follows the county's pattern: dementia cafés and advice by county charities, library
sessions by the library service, church-hall lunches by the church, the rest by a local group
or the parish or town council where there is one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pandas as pd

from assetmap.sample._names import phone
from assetmap.sample._organisations import Organisations

__all__ = ["COLUMNS", "make_activities"]

COLUMNS = ("id", "name", "category", "description", "organisation_id", "asset_ids", "schedule",
           "audience", "age_min", "age_max", "cost", "email", "phone", "website", "status",
           "last_verified")
_DAYS = ("Mo", "Tu", "We", "Th", "Fr")
# How many activities an open asset hosts: (fewest, most) by category.
_HOSTS = {
    "community_hub": (3, 5), "community_centre": (2, 4), "village_hall": (0, 3),
    "church_hall": (0, 2), "community_cafe": (1, 2), "council_library": (2, 3),
    "community_library": (1, 2),
}
_MENU = {
    "community_hub": ("lunch_club", "toddler_group", "advice_session", "warm_space", "food_bank",
                      "youth_club", "dementia_cafe", "digital_skills", "exercise_class",
                      "coffee_morning", "mental_wellbeing", "carers_support"),
    "community_centre": ("lunch_club", "toddler_group", "youth_club", "exercise_class",
                         "arts_and_crafts", "advice_session", "warm_space", "coffee_morning"),
    "village_hall": ("coffee_morning", "exercise_class", "lunch_club", "toddler_group",
                     "arts_and_crafts", "warm_space"),
    "church_hall": ("lunch_club", "toddler_group", "food_bank", "coffee_morning", "warm_space"),
    "community_cafe": ("coffee_morning", "warm_space", "dementia_cafe", "arts_and_crafts"),
    "council_library": ("library_service", "digital_skills", "library_service"),
    "community_library": ("library_service", "digital_skills"),
}
# Who runs a category when a county-wide organisation does (keys of Organisations.county).
_COUNTY_RUNS = {"dementia_cafe": "dementia", "advice_session": "advice", "carers_support": "carers",
                "food_bank": "food", "youth_club": "youth", "library_service": "library"}


@dataclass(frozen=True)
class _Kind:
    names: tuple[str, ...]
    audience: str
    ages: tuple[int | None, int | None]
    costs: tuple[str, ...]
    times: tuple[str, ...]  # {d} and {e} two weekdays, {n} a week of the month


_KINDS = {
    "lunch_club": _Kind(("Lunch Club", "Friendship Lunch", "Over-60s Lunch"), "older_people",
                        (None, None), ("£4 including lunch", "£5"), ("{d} 12:00-14:00",
                                                                      "{d}[{n}] 12:00-14:00")),
    "coffee_morning": _Kind(("Coffee Morning", "Drop-in Coffee and Chat"), "everyone",
                            (None, None), ("free", "£1 donation"), ("{d} 10:00-12:00",)),
    "toddler_group": _Kind(("Stay and Play", "Tots Group", "Parent and Toddler Group"),
                           "families;children", (0, 4), ("£2 per family", "free"),
                           ("{d} 09:30-11:30; PH off",)),
    "youth_club": _Kind(("Youth Club", "Junior Youth Club"), "young_people", (11, 18),
                        ("£1", "free"), ("{d} 18:30-20:30",)),
    "dementia_cafe": _Kind(("Memory Café", "Dementia Café"), "people_with_dementia;carers",
                           (None, None), ("free",), ("{d}[{n}] 14:00-16:00",)),
    "carers_support": _Kind(("Carers' Coffee Group",), "carers", (None, None), ("free",),
                            ("{d}[{n}] 10:30-12:30",)),
    "warm_space": _Kind(("Warm Space", "Warm Welcome"), "everyone", (None, None), ("free",),
                        ("Nov-Mar {d},{e} 10:00-16:00",)),
    "food_bank": _Kind(("Food Bank", "Community Larder"), "everyone", (None, None),
                       ("free (referral needed)", "£5 membership a week"),
                       ("{d},{e} 10:00-12:00",)),
    "advice_session": _Kind(("Money Advice Drop-in", "Benefits Advice"), "adults", (18, None),
                            ("free",), ("{d}[1,3] 10:00-13:00",)),
    "digital_skills": _Kind(("Digital Drop-in", "Tablet and Phone Help"), "adults;older_people",
                            (None, None), ("free",), ("{d} 14:00-16:00",)),
    "exercise_class": _Kind(("Chair Yoga", "Gentle Exercise", "Pilates", "Walking Football"),
                            "adults;older_people", (16, None), ("£3", "£4"),
                            ("{d} 10:00-11:00", "{d} 18:00-19:00")),
    "arts_and_crafts": _Kind(("Knit and Natter", "Art Group", "Community Choir"), "everyone",
                             (None, None), ("£2", "free"), ("{d} 14:00-16:00",
                                                            "{d} 19:00-21:00")),
    "mental_wellbeing": _Kind(("Men's Shed", "Wellbeing Walk and Talk"), "adults", (18, None),
                              ("free",), ("{d} 10:00-13:00",)),
    "library_service": _Kind(("Rhyme Time", "Reading Group", "Story Time"), "families;children",
                             (0, 5), ("free",), ('{d} 10:00-10:30 "term time"',
                                                 "{d}[{n}] 18:00-19:30")),
}
# Run at two venues of one area in turn (a youth club Tuesday here, Thursday there).
_TRAVELLING = frozenset({"youth_club", "advice_session", "food_bank", "digital_skills"})
_ONE_OFF = ("2026 Dec 12 11:00-15:00", "2027 Jan 16 10:00-13:00")


def make_activities(
    assets: pd.DataFrame, organisations: Organisations, rng: random.Random
) -> pd.DataFrame:
    """One row per activity (fields of ``layers/activities.yaml``), ordered by id."""
    rows: list[dict[str, object]] = []
    venues = _other_venues(assets)
    for asset in assets[assets["status"] != "closed"].itertuples():
        category = str(asset.category)
        fewest, most = _HOSTS.get(category, (0, 1))
        count = rng.randint(fewest, most)
        if asset.status == "at_risk":
            count //= 2
        menu = list(_MENU.get(category, ("coffee_morning",)))
        for _ in range(count):
            kind = menu.pop(rng.randrange(len(menu)))
            row = _activity(asset, kind, organisations, rng)
            others = [v for v in venues.get(str(asset.community_area_code), []) if v != asset.id]
            if kind in _TRAVELLING and others and rng.random() < 0.4:
                row["asset_ids"] = f"{asset.id};{rng.choice(others)}"  # alternates between two
            rows.append(row)
            if not menu:
                break
    for number, row in enumerate(rows, start=1):
        row["id"] = f"AC{number:06d}"
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype({"age_min": "Int64",
                                                              "age_max": "Int64"})


def _other_venues(assets: pd.DataFrame) -> dict[str, list[str]]:
    """Open hubs and centres of each community area, where a travelling activity also runs."""
    open_venues = assets[(assets["status"] == "open")
                         & assets["category"].isin(["community_hub", "community_centre"])]
    return {str(area): [str(i) for i in group["id"]]
            for area, group in open_venues.groupby("community_area_code")}


def _activity(
    asset: Any, category: str, organisations: Organisations, rng: random.Random
) -> dict[str, object]:
    kind = _KINDS[category]
    asset_id, place = str(asset.id), str(asset.name)
    name = rng.choice(kind.names)
    first, second = rng.sample(_DAYS, 2)
    schedule = rng.choice(kind.times).format(d=first, e=second, n=rng.choice((1, 2, 3)))
    if rng.random() < 0.03:
        schedule, name = rng.choice(_ONE_OFF), f"{name} Open Day"
    status = rng.choices(("active", "paused", "ended"), weights=(90, 6, 4))[0]
    organiser = _organiser(category, asset, organisations, rng)
    return {
        "name": name,
        "category": category,
        "description": f"{name} at {place}. Synthetic sample activity.",
        "organisation_id": organiser,
        "asset_ids": asset_id,
        "schedule": schedule,
        "audience": kind.audience,
        "age_min": kind.ages[0],
        "age_max": kind.ages[1],
        "cost": rng.choice(kind.costs),
        "email": None,
        "phone": phone(rng) if rng.random() < 0.3 else None,
        "website": None,
        "status": status,
        "last_verified": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
    }


def _organiser(
    category: str, asset: Any, organisations: Organisations, rng: random.Random
) -> str | None:
    """Who runs it: a county body for its speciality, else the venue's, a local group or council."""
    asset_id, area = str(asset.id), str(asset.community_area_code)
    if category in _COUNTY_RUNS and rng.random() < 0.7:
        return organisations.county[_COUNTY_RUNS[category]]
    if category == "lunch_club" and rng.random() < 0.3:
        return organisations.county["older"]
    if category in ("warm_space", "digital_skills") and rng.random() < 0.4:
        return organisations.county["wellbeing"]
    if asset_id in organisations.run_by_asset:
        return organisations.run_by_asset[asset_id]
    local = organisations.local_of.get(area, [])
    if local and rng.random() < 0.8:
        return rng.choice(local)
    if area in organisations.council_of:
        return organisations.council_of[area]
    return local[0] if local else None
