"""The place search: postcodes and place names to points (EPSG:27700).

Places come from what the store holds, strongest first:

1. community areas: named parishes and the unparished areas (at a point inside
   each; shapes whose source lost their name are never offered);
2. the ``places`` layer: names imported from the ONS Index of Place Names or OS
   Open Names (``assetmap import places``), and electoral wards (the real build
   loads them), with the towns their names share ("Lutterworth Orchard",
   "Lutterworth Swift" → Lutterworth, at the middle of its wards);
3. towns and villages named in hub addresses, once the county, district and
   region suffixes (", Leicestershire") are taken off, kept only where every
   hub naming it lies within 3 km of their middle (a post town such as
   "Leicester" on village addresses is not a place);
4. postcode districts ("LE17") and sectors ("LE17 4") at the middle of their
   postcodes.

Names are compared ignoring case, accents, punctuation and spacing ("ashby de la
zouch" is Ashby-de-la-Zouch). A search tries the exact name, then names starting
with it, then names one or two typing mistakes away (rapidfuzz's optimal string
alignment distance: a letter left out, added or changed, or two neighbours
swapped, each count one; one mistake for names of five letters or fewer); the
same name from several sources is one place, the strongest source's.
:meth:`Gazetteer.search` says which of those found what.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA

import geopandas as gpd

from assetmap.crs import to_metric
from assetmap.errors import NotFound, ValidationFailed
from assetmap.postcodes import parse_postcode
from assetmap.sources import is_unnamed_area_label

__all__ = ["Gazetteer", "Place", "PlaceSearch", "choice_labels", "place_key"]

PlaceKind = Literal["parish", "unparished", "place", "town", "ward", "settlement",
                    "postcode_district", "postcode_sector"]
_STRENGTH: dict[str, int] = {"unparished": 0, "parish": 0, "place": 1, "town": 2, "ward": 3,
                             "settlement": 4, "postcode_district": 5, "postcode_sector": 5}
_UNPARISHED_SUFFIX = re.compile(r"\s*\(unparished\)\s*$", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w]+")
# Places of one name closer than this are the same place (a ward town and its library).
_SAME_PLACE_M = 3_000.0
_COMPACT_M = 3_000.0  # every hub giving an address town lies this close to their middle
_NOT_TOWNS = {"north", "south", "east", "west", "upper", "lower", "the", "st", "saint"}
_REGIONS = {"east midlands", "west midlands", "east of england", "london", "north east",
            "north west", "south east", "south west", "yorkshire and the humber",
            "england", "wales", "scotland", "united kingdom", "uk", "great britain"}
_OUTWARD = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(?:\s*(\d))?$")


def place_key(name: str) -> str:
    """A name as searched: case, accents, punctuation, spacing and "(unparished)" ignored."""
    text = unicodedata.normalize("NFKD", _UNPARISHED_SUFFIX.sub("", name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text.replace("&", " and ")).replace("_", " ").split())


@dataclass(frozen=True)
class Place:
    name: str
    kind: PlaceKind
    easting: float
    northing: float
    district: str = ""  # the district's name, to tell places of one name apart

    @property
    def label(self) -> str:
        return f"{self.name}, {self.district}" if self.district else self.name


@dataclass(frozen=True)
class PlaceSearch:
    """What a place search found, and how: ``exact``, ``prefix``, ``fuzzy`` or ``none``.

    ``matches`` are the places meant (one: found; several: the person chooses);
    ``suggestions`` are other names that were nearly typed.
    """

    query: str
    how: Literal["exact", "prefix", "fuzzy", "none"]
    matches: tuple[Place, ...] = ()
    suggestions: tuple[Place, ...] = ()

    @property
    def found(self) -> Place | None:
        return self.matches[0] if len(self.matches) == 1 else None


@dataclass
class Gazetteer:
    """Postcodes and place names to points (EPSG:27700)."""

    postcodes: dict[str, tuple[float, float]] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)

    def __post_init__(self) -> None:
        by_key: dict[str, list[Place]] = {}
        for place in sorted(self.places, key=lambda p: (_STRENGTH[p.kind], p.name)):
            same = by_key.setdefault(place_key(place.name), [])
            if not any(_near(place, other) for other in same):
                same.append(place)
        self._by_key = by_key
        self._keys = sorted(by_key)
        self.places = sorted((p for ps in by_key.values() for p in ps),
                             key=lambda p: (place_key(p.name), p.name))

    @classmethod
    def from_frames(
        cls,
        postcodes: gpd.GeoDataFrame | None,
        community_areas: gpd.GeoDataFrame | None,
        assets: gpd.GeoDataFrame | None = None,
        places: gpd.GeoDataFrame | None = None,
        *,
        districts: Mapping[str, str] | None = None,
        county_names: Iterable[str] = (),
    ) -> Gazetteer:
        """``districts`` maps district codes to names; ``county_names`` are address suffixes."""
        districts = dict(districts or {})
        lookup: dict[str, tuple[float, float]] = {}
        found: list[Place] = []
        if postcodes is not None and len(postcodes):
            frame = to_metric(postcodes, "postcodes")
            frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
            codes = [" ".join(c.upper().split()) for c in frame["postcode"].astype(str)]
            xs, ys = frame.geometry.x.to_numpy(float), frame.geometry.y.to_numpy(float)
            lookup = {code: (float(x), float(y)) for code, x, y in zip(codes, xs, ys,
                                                                       strict=True)}
            found += _postcode_areas(codes, xs, ys)
        if community_areas is not None and len(community_areas):
            found += _community_areas(community_areas, districts)
        if places is not None and len(places):
            found += _named_places(places, districts)
        known = {place_key(p.name) for p in found}
        suffixes = {place_key(n) for n in [*county_names, *districts.values()] if n} | _REGIONS
        found += _settlements(assets, known, suffixes)
        return cls(lookup, found)

    def postcode(self, text: str) -> tuple[str, tuple[float, float]]:
        code = parse_postcode(text)
        point = self.postcodes.get(code)
        if point is None:
            raise NotFound(
                f"We could not find the postcode {code}. Check it, or enter the name of "
                "your town or village instead. This service only knows postcodes in its area.",
                key="error.postcode_unknown",
                values={"postcode": code},
            )
        return code, point

    def postcode_area(self, text: str) -> Place | None:
        """A postcode district ("LE17") or sector ("LE17 4") the store has postcodes in."""
        match = _OUTWARD.match(" ".join(text.upper().split()))
        if match is None:
            return None
        name = match.group(1) + (f" {match.group(2)}" if match.group(2) else "")
        kind = "postcode_sector" if match.group(2) else "postcode_district"
        return next((p for p in self._by_key.get(place_key(name), []) if p.kind == kind), None)

    def search(self, text: str, limit: int = 10) -> PlaceSearch:
        """Exact name, else names starting with it, else names a typing mistake or two away."""
        key = place_key(text)
        query = text.strip()
        if not key:
            return PlaceSearch(query, "none")
        exact = self._by_key.get(key)
        if exact:
            return PlaceSearch(query, "exact", tuple(exact[:limit]))
        if "," in query:  # "Normanton, Blaby": a name and its district, as choices are offered
            name, district = (place_key(part) for part in query.rsplit(",", 1))
            chosen = [p for p in self._by_key.get(name, []) if place_key(p.district) == district]
            if chosen:
                return PlaceSearch(query, "exact", tuple(chosen[:limit]))
        start = bisect.bisect_left(self._keys, key)
        prefixed: list[Place] = []
        for name in self._keys[start:]:
            if not name.startswith(key) or len(prefixed) >= limit:
                break
            prefixed += self._by_key[name]
        if prefixed:
            return PlaceSearch(query, "prefix", tuple(prefixed[:limit]))
        most = 1 if len(key) <= 5 else 2
        near = process.extract(key, self._keys, scorer=OSA.distance,
                               score_cutoff=most, limit=limit)
        if not near:
            return PlaceSearch(query, "none")
        best = min(distance for _, distance, _ in near)
        closest = [p for name, d, _ in near if d == best for p in self._by_key[name]]
        others = [p for name, d, _ in near if d > best for p in self._by_key[name]]
        return PlaceSearch(query, "fuzzy", tuple(closest[:limit]), tuple(others[:limit]))

    def find_places(self, text: str, limit: int = 10) -> list[Place]:
        """The places :meth:`search` found (one when it is sure)."""
        return list(self.search(text, limit).matches)

    def place(self, text: str) -> Place:
        result = self.search(text)
        if result.found is not None:
            return result.found
        if not result.matches:
            raise NotFound(
                f"We could not find a place called {text.strip()!r}. Check the spelling, "
                "try the name of a nearby town or village, or enter a postcode.",
                key="error.place_unknown",
                values={"place": text.strip()},
            )
        names = ", ".join(choice_labels(result.matches))
        raise ValidationFailed(
            f"More than one place matches {text.strip()!r}: {names}. Choose one.",
            details=[{"field": "place", "problem": "ambiguous", "candidates": names}],
            key="error.place_ambiguous",
            values={"place": text.strip()},
        )


def choice_labels(places: Iterable[Place]) -> list[str]:
    """How to offer places as choices: the name, with its district where names repeat."""
    chosen = list(places)
    keys = [place_key(p.name) for p in chosen]
    return [p.label if keys.count(k) > 1 else p.name for p, k in zip(chosen, keys, strict=True)]


def _near(a: Place, b: Place) -> bool:
    return bool(np.hypot(a.easting - b.easting, a.northing - b.northing) < _SAME_PLACE_M)


def _points(frame: gpd.GeoDataFrame, what: str) -> tuple[np.ndarray, np.ndarray]:
    metric = to_metric(frame, what)
    points = metric.geometry.representative_point()
    return points.x.to_numpy(float), points.y.to_numpy(float)


def _district_of(frame: pd.DataFrame, districts: Mapping[str, str]) -> list[str]:
    if "district_code" not in frame.columns:
        return [""] * len(frame)
    return [districts.get(str(code), "") for code in frame["district_code"]]


def _community_areas(areas: gpd.GeoDataFrame, districts: Mapping[str, str]) -> list[Place]:
    xs, ys = _points(areas, "community_areas")
    out = []
    for name, governance, district, x, y in zip(
        areas["name"].astype(str), areas["governance"].astype(str),
        _district_of(areas, districts), xs, ys, strict=True,
    ):
        if is_unnamed_area_label(name):
            continue
        kind: PlaceKind = "unparished" if governance == "unparished" else "parish"
        out.append(Place(name, kind, float(x), float(y), district))
    return out


def _named_places(places: gpd.GeoDataFrame, districts: Mapping[str, str]) -> list[Place]:
    """Imported names (``place``) and wards, with the towns ward names share."""
    xs, ys = _points(places, "places")
    kinds = places["kind"].astype(str).to_numpy() if "kind" in places.columns else None
    names = places["name"].astype(str).to_numpy()
    in_district = _district_of(places, districts)
    out = []
    wards: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for i, (name, x, y) in enumerate(zip(names, xs, ys, strict=True)):
        ward = kinds is not None and kinds[i] == "ward"
        out.append(Place(name, "ward" if ward else "place", float(x), float(y), in_district[i]))
        if ward:
            town = _ward_town(name)
            if town:
                wards.setdefault((town, in_district[i]), []).append((float(x), float(y)))
    for (town, district), points in sorted(wards.items()):
        if len(points) >= 2:
            middle = np.mean(np.array(points), axis=0)
            out.append(Place(town, "town", float(middle[0]), float(middle[1]), district))
    return out


def _ward_town(name: str) -> str:
    """The town a ward's name starts with: "Market Harborough-Logan", "Oadby Grange"."""
    if "-" in name and " " in name.split("-", 1)[0]:
        return name.split("-", 1)[0].strip()
    first = name.split()[0] if name.split() else ""
    return "" if first.casefold() in _NOT_TOWNS or not first[:1].isupper() else first


def _settlements(assets: gpd.GeoDataFrame | None, known: set[str],
                 suffixes: set[str]) -> list[Place]:
    """Towns and villages named last in hub addresses, once county suffixes are off."""
    if assets is None or not len(assets) or "address" not in assets.columns:
        return []
    frame = to_metric(assets, "assets")
    frame = frame[frame["address"].notna() & frame.geometry.notna()]
    rows = []
    for address, x, y in zip(frame["address"].astype(str), frame.geometry.x,
                             frame.geometry.y, strict=True):
        parts = [p.strip() for p in address.split(",") if p.strip()]
        while parts and place_key(parts[-1]) in suffixes:
            parts.pop()
        if len(parts) < 2:
            continue  # only a street (or nothing) is left
        town = parts[-1]
        if any(c.isdigit() for c in town) or len(town) < 2:
            continue
        rows.append((town, float(x), float(y)))
    places = []
    table = pd.DataFrame(rows, columns=["town", "x", "y"])
    for town, group in table.groupby("town", sort=True):
        name = str(town)
        x, y = float(group["x"].median()), float(group["y"].median())
        spread = np.hypot(group["x"] - x, group["y"] - y).max()
        if place_key(name) in known or spread > _COMPACT_M:
            continue
        places.append(Place(name, "settlement", x, y))
    return places


def _postcode_areas(codes: list[str], xs: np.ndarray, ys: np.ndarray) -> list[Place]:
    if not codes:
        return []
    outward = [c.split(" ")[0] for c in codes]
    sector = [c[:-2] for c in codes]
    table = pd.DataFrame({"district": outward, "sector": sector, "x": xs, "y": ys})
    out = []
    for column, kind in (("district", "postcode_district"), ("sector", "postcode_sector")):
        middle = table.groupby(column)[["x", "y"]].median()
        out += [Place(str(name), kind, float(x), float(y))  # type: ignore[arg-type]
                for name, x, y in zip(middle.index, middle["x"], middle["y"], strict=True)]
    return out
