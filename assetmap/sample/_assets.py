"""Synthetic community assets: village halls, church halls, centres, libraries, hubs, cafés.

Counts follow simple rules per community area that mimic the county's real pattern:
most parishes have a village hall, town councils run a community centre, council
libraries sit in towns, and unparished towns have noticeably fewer hubs per head
(with a few deprived neighbourhoods left with none nearby), so the gap analysis has
something true to find.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import shapely

from assetmap.sample._areas import Areas
from assetmap.sample._geometry import Floats, Ints, first_inside
from assetmap.sample._names import NameBook, accessibility, opening_times, phone, slug
from assetmap.sample._people import People, share_out
from assetmap.sample._places import Layout
from assetmap.sample._scales import Scale

__all__ = ["CATEGORIES", "HUB_CATEGORIES", "make_assets"]

CATEGORIES = ("community_hub", "village_hall", "community_centre", "community_library",
              "council_library", "church_hall", "community_cafe")
HUB_CATEGORIES = frozenset(CATEGORIES) - {"community_cafe"}
# (minimum, chance of one more, extra per resident): count = min + Bernoulli + Poisson(pop * rate)
RULES: dict[str, dict[str, tuple[int, float, float]]] = {
    "parish_council": {
        "village_hall": (0, 0.85, 1 / 15_000), "church_hall": (0, 0.6, 1 / 3_500),
        "community_hub": (0, 0.0, 1 / 12_000), "community_centre": (0, 0.0, 1 / 10_000),
        "community_cafe": (0, 0.08, 1 / 20_000),
    },
    "parish_meeting": {
        "village_hall": (0, 0.6, 0.0), "church_hall": (0, 0.3, 0.0),
        "community_cafe": (0, 0.02, 0.0),
    },
    "town_council": {
        "community_centre": (1, 0.0, 1 / 12_000), "church_hall": (0, 0.0, 1 / 2_500),
        "community_hub": (0, 0.0, 1 / 2_500), "community_cafe": (0, 0.0, 1 / 6_000),
        "village_hall": (0, 0.0, 1 / 15_000),
    },
    "unparished": {
        "community_centre": (0, 0.0, 1 / 12_000), "church_hall": (0, 0.0, 1 / 6_000),
        "community_hub": (0, 0.0, 1 / 10_000), "community_cafe": (0, 0.0, 1 / 10_000),
    },
}
CENTRAL = {"village_hall": 0.85, "community_library": 0.9, "council_library": 0.9}
STATUS = (("open", 0.92), ("at_risk", 0.05), ("closed", 0.03))
VERIFIED = (dt.date(2023, 1, 1), dt.date(2026, 10, 31))
COLUMNS = ("id", "name", "category", "status", "district_code", "community_area_code", "address",
           "postcode", "opening_times", "accessibility", "email", "website", "phone",
           "last_verified", "capacity", "x", "y")
# People each kind holds (low, high), and the share of records that say so.
CAPACITY = {"village_hall": (60, 200), "church_hall": (40, 120), "community_centre": (80, 300),
            "community_hub": (40, 150), "community_library": (20, 60),
            "council_library": (40, 120), "community_cafe": (20, 50)}
CAPACITY_KNOWN = 0.85


def make_assets(
    layout: Layout, areas: Areas, people: People, scale: Scale, target: int | None,
    codes: tuple[list[str], list[str]], postcodes: pd.DataFrame,
    rng: np.random.Generator, text_rng: random.Random, names: NameBook,
) -> pd.DataFrame:
    """One row per asset with every field of ``layers/assets.yaml`` plus x, y (metres)."""
    community_codes, district_codes = codes
    ca_pop = np.bincount(areas.community, weights=people.population,
                         minlength=len(areas.communities)).astype(np.float64)
    community, category = _counts(areas, ca_pop, scale, rng, target)
    cell = _cells(areas, people, community, category, rng)
    xy = _points(areas, people, cell, rng)
    frame = _describe(areas, community, category, text_rng, names, rng)
    frame["district_code"] = [district_codes[areas.district[areas.communities[c].source]]
                              for c in community]
    frame["community_area_code"] = [community_codes[c] for c in community]
    _, nearest = cKDTree(postcodes[["x", "y"]].to_numpy()).query(xy)
    frame["postcode"] = postcodes["postcode"].to_numpy()[nearest]
    frame["x"], frame["y"] = xy[:, 0], xy[:, 1]
    frame = frame.sort_values(["community_area_code", "category", "name"], kind="stable")
    frame.insert(0, "id", [f"A{i:06d}" for i in range(1, len(frame) + 1)])
    frame["capacity"] = _capacities(frame["category"].to_numpy(), rng)
    return frame[list(COLUMNS)].reset_index(drop=True)


def _capacities(category: np.ndarray, rng: np.random.Generator) -> pd.arrays.IntegerArray:
    """People each asset holds, to the nearest 5; unknown (missing) for about 15 %.

    Drawn last from the assets' generator, so every other field stays as it was."""
    low = np.array([CAPACITY[k][0] for k in category], dtype=float)
    high = np.array([CAPACITY[k][1] for k in category], dtype=float)
    people = np.round((low + rng.random(len(category)) * (high - low)) / 5) * 5
    known = rng.random(len(category)) < CAPACITY_KNOWN
    return pd.array(np.where(known, people, np.nan), dtype="Int64")


def _counts(
    areas: Areas, ca_pop: Floats, scale: Scale, rng: np.random.Generator, target: int | None
) -> tuple[Ints, np.ndarray]:
    """(community area, category) of every asset, before any are placed."""
    rows: list[tuple[int, str]] = []
    weights: list[tuple[int, str, float]] = []
    for c, area in enumerate(areas.communities):
        for kind, (minimum, chance, rate) in RULES[area.governance].items():
            n = minimum + int(rng.random() < chance) + rng.poisson(ca_pop[c] * rate)
            rows += [(c, kind)] * n
            weights.append((c, kind, minimum + chance + ca_pop[c] * rate))
    rows += _libraries(areas, ca_pop, scale, rng)
    weights += [(c, kind, 1.0) for c, kind in rows if kind.endswith("library")]
    if target is not None:
        rows = _to_target(rows, weights, target, rng)
    return np.array([c for c, _ in rows], dtype=np.int64), np.array([k for _, k in rows])


def _libraries(
    areas: Areas, ca_pop: Floats, scale: Scale, rng: np.random.Generator
) -> list[tuple[int, str]]:
    """Council libraries in the towns (the biggest get more), community ones in big villages."""
    towns: dict[int, list[int]] = {}
    for c, area in enumerate(areas.communities):
        if area.town >= 0:
            towns.setdefault(area.town, []).append(c)
    town_ids = sorted(towns, key=lambda t: -ca_pop[towns[t]].sum())
    per_town = np.zeros(len(town_ids), dtype=np.int64)
    per_town[: scale.council_libraries] = 1
    spare = scale.council_libraries - int(per_town.sum())
    if spare > 0:
        per_town += share_out(spare, np.array([ca_pop[towns[t]].sum() for t in town_ids]))
    rows = []
    for t, n in zip(town_ids, per_town, strict=True):
        parts = sorted(towns[t], key=lambda c: -ca_pop[c])  # unparished towns have several
        rows += [(parts[i % len(parts)], "council_library") for i in range(n)]
    has_library = {c for c, _ in rows}
    parishes = [c for c, a in enumerate(areas.communities)
                if a.governance in ("parish_council", "town_council") and c not in has_library]
    weight = ca_pop[parishes] ** 2
    picked = rng.choice(parishes, min(scale.community_libraries, len(parishes)),
                        replace=False, p=weight / weight.sum())
    return rows + [(int(c), "community_library") for c in sorted(picked)]


def _to_target(
    rows: list[tuple[int, str]], weights: list[tuple[int, str, float]], target: int,
    rng: np.random.Generator,
) -> list[tuple[int, str]]:
    """Drop a random few, or add more drawn in proportion to each rule's expected count."""
    if target <= len(rows):
        keep = np.sort(rng.choice(len(rows), target, replace=False))
        return [rows[i] for i in keep]
    w = np.array([x for _, _, x in weights])
    extra = rng.choice(len(weights), target - len(rows), p=w / w.sum())
    return rows + [(weights[i][0], weights[i][1]) for i in np.sort(extra)]


def _cells(
    areas: Areas, people: People, community: Ints, category: np.ndarray,
    rng: np.random.Generator,
) -> Ints:
    """The small area each asset stands in: halls and libraries mostly at the village or
    town centre, the rest where people live. Hubs in unparished areas avoid the
    deprived "hub desert" pockets."""
    desert = _in_deserts(people) & np.array(
        [areas.communities[c].governance == "unparished" for c in areas.community])
    is_hub = np.isin(category, list(HUB_CATEGORIES))
    source = np.array([a.source for a in areas.communities])[community]
    central = rng.random(len(community)) < np.array([CENTRAL.get(k, 0.3) for k in category])
    central &= ~(is_hub & desert[source])
    cell = np.where(central, source, -1)
    order = np.argsort(areas.community, kind="stable")
    bounds = np.searchsorted(areas.community[order], np.arange(len(areas.communities) + 1))
    pending = np.flatnonzero(cell < 0)
    pending = pending[np.argsort(community[pending], kind="stable")]
    groups, starts = np.unique(community[pending], return_index=True)
    for c, todo in zip(groups, np.split(pending, starts[1:]), strict=True):
        members = order[bounds[c] : bounds[c + 1]]
        weight = people.population[members] + 1.0
        for hub in (False, True):
            chosen = todo[is_hub[todo] == hub]
            w = np.where(desert[members], 0.0, weight) if hub else weight
            w = w if w.sum() > 0 else weight
            cell[chosen] = rng.choice(members, len(chosen), p=w / w.sum())
    return cell


def _in_deserts(people: People) -> np.ndarray:
    if len(people.hub_deserts) == 0:
        return np.zeros(len(people.pwc), dtype=bool)
    tree = cKDTree(people.hub_deserts[:, :2])
    d, i = tree.query(people.pwc)
    return np.asarray(d < people.hub_deserts[i, 2])


def _points(areas: Areas, people: People, cell: Ints, rng: np.random.Generator) -> Floats:
    """A point near where people live in each asset's small area, strictly inside it."""
    spread = np.minimum(0.25 * np.sqrt(shapely.area(areas.cells[cell])), 400.0)[:, None]
    base = people.pwc[cell]
    tries = [base + rng.normal(0, 1, base.shape) * spread for _ in range(4)]
    return first_inside(areas.cells[cell], tries, fallback=base)


def _describe(
    areas: Areas, community: Ints, category: np.ndarray, text_rng: random.Random,
    names: NameBook, rng: np.random.Generator,
) -> pd.DataFrame:
    """Names, addresses, contacts, opening times, status and last check of each asset."""
    used: dict[int, set[str]] = {}
    rows = []
    for c, kind in zip(community.tolist(), category.tolist(), strict=True):
        area = areas.communities[c]
        place = area.name.removesuffix(" (unparished)")
        street = names.street(place)
        name = _unique(_name(kind, place, street, names, text_rng), used.setdefault(c, set()),
                       street)
        rows.append(_details(name, kind, place, street, text_rng))
    frame = pd.DataFrame(rows)
    frame.insert(1, "category", category)
    frame.insert(2, "status", _statuses(rng, len(frame)))
    frame["last_verified"] = _verified_dates(rng, len(frame))
    return frame


def _name(kind: str, place: str, street: str, names: NameBook, rng: random.Random) -> str:
    roll = rng.random()
    if kind == "village_hall":
        kind_of_hall = "Village" if roll < 0.7 else rng.choice(("Memorial", "Parish", "Victory"))
        return f"{place} {kind_of_hall} Hall"
    if kind == "church_hall":
        church = names.church(place)
        return f"{church} Hall" if church.endswith("House") else f"{church} Church Hall"
    if kind == "community_centre":
        return f"{place if roll < 0.6 else street} Community Centre"
    if kind == "community_library":
        return f"{place} Community Library"
    if kind == "council_library":
        return f"{place} Library"
    if kind == "community_hub":
        return rng.choice((f"{place} Community Hub", f"{place} Family Hub",
                           f"{street} Hub", f"{place} Youth and Community Hub"))
    return rng.choice((f"{place} Community Café", f"{street} Café", f"{place} Repair Café"))


def _unique(name: str, used: set[str], street: str) -> str:
    """``name``, or a variant not yet used in the same community area."""
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name} ({street})" if n == 2 else f"{name} {n}"
    used.add(candidate)
    return candidate


def _details(
    name: str, kind: str, place: str, street: str, rng: random.Random
) -> dict[str, object]:
    domain = slug(name if place in name else f"{place} {name}")
    number = f"{rng.randint(1, 120)} " if rng.random() < 0.6 else ""
    always = kind in ("council_library", "community_library", "community_cafe")
    return {
        "name": name,
        "address": f"{number}{street}, {place}",
        "opening_times": opening_times(rng, kind) if always or rng.random() < 0.45 else None,
        "accessibility": accessibility(rng) if rng.random() < 0.5 else None,
        "email": f"{rng.choice(('bookings', 'hello', 'info', 'clerk'))}@{domain}.example"
        if rng.random() < 0.55 else None,
        "website": f"https://www.{domain}.example" if rng.random() < 0.45 else None,
        "phone": phone(rng) if rng.random() < 0.6 else None,
    }


def _statuses(rng: np.random.Generator, n: int) -> np.ndarray:
    labels, p = zip(*STATUS, strict=True)
    return rng.choice(np.array(labels), n, p=np.array(p))


def _verified_dates(rng: np.random.Generator, n: int) -> list[str]:
    """ISO dates, recent ones likelier; about half are over a year old by the end date."""
    start, end = VERIFIED
    days = np.floor(rng.beta(2.0, 1.0, n) * (end - start).days).astype(int)
    return [(start + dt.timedelta(days=int(d))).isoformat() for d in days]
