"""Query parameters of the OGC API – Features endpoints, checked as OGC 17-069r4 asks, and the
features and extents they select (cached per data version).

Any unknown or invalid parameter is a ``400`` (not the ``422`` of the rest of
the API): /req/core/query-param-unknown and /req/core/query-param-invalid.
``bbox`` is CRS84 (longitude, latitude) with 4 or 6 numbers, and a west edge
greater than the east edge means the box crosses the antimeridian.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from starlette.datastructures import QueryParams

import shapely
from pyproj import CRS

from assetmap.api.cache import ResponseCache
from assetmap.api.negotiation import media_ranges
from assetmap.crs import METRIC_CRS, bbox_to_metric, to_web
from assetmap.errors import AssetmapError, BadRequest
from assetmap.layers import LayerSpec
from assetmap.store import BBox, Store

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "NotAcceptable",
    "check_datetime",
    "check_format",
    "check_parameters",
    "layer_extent",
    "lonlat_boxes",
    "matched_ids",
    "metric_envelope",
    "parse_bbox",
    "parse_count",
    "parse_limit",
]

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
# British National Grid is only defined over Great Britain: a box reaching beyond
# it is cut to this area (with a margin) before being turned into grid metres.
_WEST, _SOUTH, _EAST, _NORTH = CRS(METRIC_CRS).area_of_use.bounds  # type: ignore[union-attr]
_GRID_AREA = (_WEST - 1, _SOUTH - 1, _EAST + 1, _NORTH + 1)
_ENVELOPE_MARGIN_M = 1_000.0  # the exact test in CRS84 follows; the margin only adds candidates
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.IGNORECASE
)


class NotAcceptable(AssetmapError):
    """The Accept header admits none of the media types the endpoint returns."""

    status = 406
    code = "not_acceptable"


def check_parameters(
    params: QueryParams, allowed: Iterable[str], repeatable: Iterable[str] = ()
) -> None:
    """Refuse parameters the API does not define, and single-valued ones given twice."""
    allowed, repeatable = list(allowed), set(repeatable)
    for key in dict.fromkeys(params.keys()):
        if key not in allowed:
            raise BadRequest(
                f"Unknown parameter {key!r}. Allowed here: {', '.join(allowed)}.",
                details=[{"field": key, "problem": "unknown parameter",
                          "fix": f"use {', '.join(allowed)}"}],
            )
        if key not in repeatable and len(params.getlist(key)) > 1:
            raise BadRequest(f"Parameter {key!r} is given more than once: give it once")


def check_format(f: str | None, accept: str | None, offered: Sequence[str]) -> None:
    """``f=json`` (or ``f=html``) chooses outright; otherwise the Accept header must admit JSON.

    A request preferring HTML never reaches here: ``routes/ogc.py`` answers it with a page.
    """
    if f is not None:
        if f.lower() not in ("json", "html"):
            raise BadRequest(f"f={f!r} is not offered: use f=json or f=html")
        return
    if accept and not _accepts(accept, offered):
        raise NotAcceptable(
            f"This resource is available as {' or '.join(offered)} only; the request "
            f"accepts {accept!r}. Send Accept: {offered[0]} or add f=json."
        )


def _accepts(accept: str, offered: Sequence[str]) -> bool:
    for media, quality in media_ranges(accept):
        if quality <= 0:
            continue
        for candidate in offered:
            kind = candidate.split("/")[0]
            if media in ("*/*", "*", candidate, f"{kind}/*"):
                return True
    return False


def parse_count(name: str, text: str | None, default: int, minimum: int) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {text!r}") from None
    if value < minimum:
        raise BadRequest(f"{name} must be at least {minimum}, not {value}")
    return value


def parse_limit(text: str | None) -> int:
    """Page size: default 10; above 10,000 is served as 10,000 (not an error, per the spec)."""
    return min(parse_count("limit", text, DEFAULT_LIMIT, 1), MAX_LIMIT)


def parse_bbox(text: str | None) -> BBox | None:
    """``bbox`` in CRS84 -> (west, south, east, north); heights of a 6-number box are ignored."""
    if text is None:
        return None
    hint = "give bbox=west,south,east,north in degrees (CRS84), e.g. bbox=-1.6,52.4,-0.7,52.9"
    parts = text.split(",")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        raise BadRequest(f"bbox values must be numbers: {hint}") from None
    if len(values) not in (4, 6):
        raise BadRequest(f"bbox has {len(values)} numbers, not 4 (or 6 with heights): {hint}")
    if not all(math.isfinite(v) for v in values):
        raise BadRequest(f"bbox values must be finite numbers: {hint}")
    if len(values) == 6:
        west, south, low, east, north, high = values
        if low > high:
            raise BadRequest(f"bbox: the lower height {low} is above the upper {high}: {hint}")
    else:
        west, south, east, north = values
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BadRequest(f"bbox longitudes must lie between -180 and 180: {hint}")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadRequest(f"bbox latitudes must lie between -90 and 90: {hint}")
    if south > north:
        raise BadRequest(f"bbox south edge {south} is north of the north edge {north}: {hint}")
    return west, south, east, north


def lonlat_boxes(bbox: BBox) -> list[BBox]:
    """The box as one or two boxes in CRS84; two when it crosses the antimeridian."""
    west, south, east, north = bbox
    if west <= east:
        return [bbox]
    return [(west, south, 180.0, north), (-180.0, south, east, north)]


def metric_envelope(box: BBox) -> BBox | None:
    """An EPSG:27700 envelope holding every point of ``box`` within Great Britain.

    None when the box misses Great Britain. Features inside the envelope are
    candidates; the caller keeps those whose CRS84 geometry meets ``box``.
    """
    west, south = max(box[0], _GRID_AREA[0]), max(box[1], _GRID_AREA[1])
    east, north = min(box[2], _GRID_AREA[2]), min(box[3], _GRID_AREA[3])
    if west > east or south > north:
        return None
    minx, miny, maxx, maxy = bbox_to_metric((west, south, east, north))
    margin = _ENVELOPE_MARGIN_M
    return (float(minx) - margin, float(miny) - margin, float(maxx) + margin,
            float(maxy) + margin)


def check_datetime(text: str | None) -> None:
    """``datetime``: an RFC 3339 date-time or interval (``a/b``, ``../b``, ``a/..``).

    The layers have no temporal geometry, so a valid value matches every
    feature (/req/core/fc-time-response C); an invalid one is refused.
    """
    if text is None:
        return
    hint = (
        "give an RFC 3339 date-time or interval, e.g. 2024-01-01T00:00:00Z or "
        "2024-01-01T00:00:00Z/.."
    )
    parts = text.split("/")
    if len(parts) > 2:
        raise BadRequest(f"datetime {text!r} has more than one '/': {hint}")
    if len(parts) == 2 and all(part in ("", "..") for part in parts):
        raise BadRequest(f"datetime {text!r} is open at both ends: {hint}")
    instants = [_instant(part, hint) for part in parts if part not in ("", "..")]
    if len(parts) == 1 and not instants:
        raise BadRequest(f"datetime is empty: {hint}")
    if len(instants) == 2 and instants[0] > instants[1]:
        raise BadRequest(f"datetime interval {text!r} ends before it starts")


def _instant(text: str, hint: str) -> dt.datetime:
    if not _DATE_TIME.fullmatch(text):
        raise BadRequest(f"datetime {text!r} is not an RFC 3339 date-time: {hint}")
    try:
        return dt.datetime.fromisoformat(text.upper())
    except ValueError:
        raise BadRequest(f"datetime {text!r} is not a real date and time: {hint}") from None


def layer_extent(cache: ResponseCache, store: Store, layer: LayerSpec) -> list[float] | None:
    """The layer's bounding box in CRS84, rounded outwards to 1e-6°; None when empty."""

    def make() -> list[float] | None:
        frame = store.read(layer, fields=[layer.id_field])
        if frame.empty:
            return None
        west, south, east, north = to_web(frame.geometry, layer.name).total_bounds
        if not all(math.isfinite(v) for v in (west, south, east, north)):
            return None
        return [math.floor(west * 1e6) / 1e6, math.floor(south * 1e6) / 1e6,
                math.ceil(east * 1e6) / 1e6, math.ceil(north * 1e6) / 1e6]

    return cache.get_or_make(("ogc-extent", layer.name, store.version()), make)


def matched_ids(
    cache: ResponseCache,
    store: Store,
    layer: LayerSpec,
    bbox: BBox | None,
    filters: Mapping[str, Sequence[str]],
) -> np.ndarray:
    """Ids of every feature matching the query, in store order (cached per data version).

    ``cache`` is the app's OGC cache (``create_app``), apart from the map's layers.

    The store's bbox works on EPSG:27700 envelopes; a CRS84 box is not a
    rectangle there, so candidates from its envelope are kept only when their
    CRS84 geometry meets the box itself.
    """

    def make() -> np.ndarray:
        if bbox is None:
            frame = store.read(layer, filters=filters, fields=[layer.id_field])
            return np.asarray(frame[layer.id_field].astype(str).tolist(), dtype=str)
        found: list[np.ndarray] = []
        for box in lonlat_boxes(bbox):
            envelope = metric_envelope(box)
            if envelope is None:
                continue
            frame = store.read(layer, bbox=envelope, filters=filters, fields=[layer.id_field])
            if frame.empty:
                continue
            inside = to_web(frame.geometry, layer.name).intersects(shapely.box(*box))
            ids = frame.loc[inside.to_numpy(), layer.id_field].astype(str).tolist()
            found.append(np.asarray(ids, dtype=str))
        if not found:
            return np.asarray([], dtype=str)
        return found[0] if len(found) == 1 else np.unique(np.concatenate(found))

    key = ("ogc-ids", layer.name, bbox, tuple((k, tuple(v)) for k, v in sorted(filters.items())),
           store.version())
    return cache.get_or_make(key, make)
