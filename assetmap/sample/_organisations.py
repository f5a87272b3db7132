"""Synthetic organisations: the councils, groups and charities that run things at the assets.

Every parish and town council of the sample becomes an organisation serving its own parish;
a few invented county-wide charities and two council services serve every district; most
unparished areas and some parishes have local voluntary groups (three in ten unparished areas
have none, so the report has "no hub and no known group" areas to find); churches with halls
are faith groups and community cafés social enterprises. Names, numbers and contacts are
invented: charity numbers start 99 and run to seven digits (the Charity Commission has issued
none that high), e-mail and web addresses use ``.example`` and phones Ofcom's drama ranges.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from assetmap.sample._names import phone, slug

__all__ = ["COLUMNS", "Organisations", "make_organisations"]

COLUMNS = ("id", "name", "kind", "charity_number", "company_number", "areas_served",
           "description", "email", "phone", "website", "last_verified")
# Invented county-wide charities: (key, name, what they do).
_CHARITIES = (
    ("older", "Shire Age Partnership", "Lunch clubs, befriending and advice for older people."),
    ("dementia", "Forget-Me-Not Dementia Support",
     "Dementia cafés and support for people living with dementia and their carers."),
    ("carers", "County Carers Network", "Support groups and information for unpaid carers."),
    ("advice", "Money Matters Advice", "Free, confidential advice on money, debt and benefits."),
    ("food", "Open Door Food Network", "Food banks and community larders across the county."),
    ("youth", "Shire Youth Trust", "Youth clubs and detached youth work."),
)
_SERVICES = (
    ("library", "County Library Service", "The county council's libraries and their sessions."),
    ("wellbeing", "Community Wellbeing Service",
     "The county council's team for warm spaces, digital help and healthy living."),
)
_QUIET = 0.3  # the share of unparished areas with no group of their own
_LOCAL_GROUPS = ("Residents' Association", "Community Forum", "Good Neighbours",
                 "Community Association")


@dataclass
class Organisations:
    """The organisation rows and how activities find who runs them."""

    rows: list[dict[str, object]] = field(default_factory=list)
    county: dict[str, str] = field(default_factory=dict)  # key (older, library, …) -> id
    council_of: dict[str, str] = field(default_factory=dict)  # community area code -> id
    local_of: dict[str, list[str]] = field(default_factory=dict)  # area code -> group ids
    run_by_asset: dict[str, str] = field(default_factory=dict)  # church/café asset id -> id
    quiet: set[str] = field(default_factory=set)  # unparished areas with no group of their own

    def add(self, rng: random.Random, **values: object) -> str:
        organisation_id = f"O{len(self.rows) + 1:06d}"
        domain = slug(str(values["name"]))
        row: dict[str, object] = dict.fromkeys(COLUMNS)
        row.update(
            id=organisation_id,
            email=f"{rng.choice(('hello', 'info', 'contact'))}@{domain}.example",
            website=f"https://www.{domain}.example" if rng.random() < 0.7 else None,
            phone=phone(rng) if rng.random() < 0.7 else None,
            last_verified=f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        )
        row.update(values)
        self.rows.append(row)
        return organisation_id

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=list(COLUMNS))


def _charity_numbers() -> Iterator[str]:
    number = 9_900_001
    while True:
        yield str(number)
        number += 1


def make_organisations(
    community_areas: pd.DataFrame, district_codes: list[str], assets: pd.DataFrame,
    rng: random.Random,
) -> Organisations:
    """Councils, county charities and services, local groups, churches and café enterprises."""
    found = Organisations()
    numbers = _charity_numbers()
    everywhere = ";".join(sorted(district_codes))
    for key, name, about in _CHARITIES:
        found.county[key] = found.add(rng, name=name, kind="charity", charity_number=next(numbers),
                                      areas_served=everywhere, description=about)
    for key, name, about in _SERVICES:
        found.county[key] = found.add(rng, name=name, kind="council_service",
                                      areas_served=everywhere, description=about)
    for area in community_areas.itertuples():
        _area_organisations(found, area, rng)
    _venue_organisations(found, assets, numbers, rng)
    return found


def _area_organisations(found: Organisations, area: Any, rng: random.Random) -> None:
    code, governance = str(area.code), str(area.governance)
    place = str(area.name).removesuffix(" (unparished)")
    if governance in ("parish_council", "town_council"):
        title = "Town Council" if governance == "town_council" else "Parish Council"
        found.council_of[code] = found.add(
            rng, name=f"{place} {title}", kind=governance, areas_served=code,
            description=f"The {title.lower()} for {place}.",
        )
    if governance == "unparished" and rng.random() < _QUIET:
        found.quiet.add(code)  # no group of its own, not even at its church or café
        return
    chance = {"unparished": 0.75, "town_council": 0.6, "parish_council": 0.2}.get(governance, 0)
    groups = found.local_of.setdefault(code, [])
    kinds = list(_LOCAL_GROUPS)
    while rng.random() < chance and len(groups) < 2:
        kind = kinds.pop(rng.randrange(len(kinds)))
        groups.append(found.add(
            rng, name=f"{place} {kind}", kind="voluntary_group", areas_served=code,
            description=f"Volunteers running activities for people in {place}.",
        ))
        chance /= 2


def _venue_organisations(
    found: Organisations, assets: pd.DataFrame, numbers: Iterator[str], rng: random.Random
) -> None:
    """Churches with halls (faith groups) and community cafés (social enterprises)."""
    for asset in assets.itertuples():
        category, name = str(asset.category), str(asset.name)
        area = str(asset.community_area_code)
        if area in found.quiet:
            continue
        if category == "church_hall" and rng.random() < 0.7:
            church = name.removesuffix(" Hall").removesuffix(" Church")
            found.run_by_asset[str(asset.id)] = found.add(
                rng, name=f"{church} Church", kind="faith_group", areas_served=area,
                charity_number=next(numbers) if rng.random() < 0.5 else None,
                description="A church congregation that opens its hall to the community.",
            )
        elif category == "community_cafe" and rng.random() < 0.6:
            found.run_by_asset[str(asset.id)] = found.add(
                rng, name=f"{name} CIC", kind="social_enterprise", areas_served=area,
                description="A community interest company running the café for its community.",
            )
