"""Coordinate reference systems: analyse in British National Grid, serve WGS84.

The one geography layer for coordinates:

* frames: :func:`to_metric` / :func:`to_web` (refusing data with no CRS rather
  than guessing, see :func:`require_crs`);
* points: :func:`lonlat_to_metric` / :func:`metric_to_lonlat`, for floats or
  arrays, through :func:`transformer` (cached: the only ``pyproj.Transformer``
  in the package);
* boxes: :func:`bbox_to_metric` / :func:`bbox_to_web`;
* Great Britain: :func:`in_great_britain` and :func:`check_lat_lon` (which says
  when latitude and longitude look swapped).
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import TypeVar, overload

import numpy as np
import numpy.typing as npt

import geopandas as gpd
import shapely
from pyproj import CRS, Transformer
from pyproj.transformer import TransformerGroup

from assetmap.errors import CRSError, ValidationFailed

__all__ = [
    "GB_BOUNDS",
    "GB_EXTENT_M",
    "GB_LOOSE_BOUNDS",
    "METRIC_CRS",
    "WEB_CRS",
    "bbox_to_metric",
    "bbox_to_web",
    "check_lat_lon",
    "in_great_britain",
    "lonlat_to_metric",
    "metric_to_lonlat",
    "require_crs",
    "to_metric",
    "to_web",
    "transformer",
]

METRIC_CRS = "EPSG:27700"  # British National Grid, metres: all distances and areas
WEB_CRS = "EPSG:4326"  # WGS84 lon/lat: GeoJSON served to browsers
# (min lon, min lat, max lon, max lat): Great Britain with its islands, in WGS84 degrees.
GB_BOUNDS = (-8.7, 49.8, 1.9, 60.9)
# A looser box, for judging whether a whole file's coordinates are degrees in Great Britain.
GB_LOOSE_BOUNDS = (-9.0, 49.0, 2.5, 61.5)
# Great Britain's extent in EPSG:27700 metres: outside it a grid reference is not one.
GB_EXTENT_M = (0.0, 0.0, 700_000.0, 1_300_000.0)
_DENSIFY_POINTS = 21  # points per box edge when a box is reprojected (edges curve)

# Parsed once: comparing a frame's CRS with a string parses the string on every call.
_PARSED_METRIC, _PARSED_WEB = CRS.from_user_input(METRIC_CRS), CRS.from_user_input(WEB_CRS)

G = TypeVar("G", gpd.GeoDataFrame, gpd.GeoSeries)
Box = tuple[float, float, float, float]
Floats = npt.NDArray[np.float64]


def require_crs(frame: G, what: str) -> G:
    """Fail with a fix when ``frame`` has no CRS."""
    if frame.crs is None:
        raise CRSError(
            f"{what} has no coordinate reference system. Set one with "
            f"`.set_crs('EPSG:27700')` (British National Grid metres) or "
            f"`.set_crs('EPSG:4326')` (longitude/latitude) before passing it in."
        )
    return frame


def to_metric(frame: G, what: str = "layer") -> G:
    """Return ``frame`` in EPSG:27700, reprojecting only when needed."""
    require_crs(frame, what)
    if frame.crs.equals(_PARSED_METRIC):
        return frame
    if frame.crs.equals(_PARSED_WEB):
        return _reprojected(frame, WEB_CRS, METRIC_CRS)
    return frame.to_crs(METRIC_CRS)


def to_web(frame: G, what: str = "layer") -> G:
    """Return ``frame`` in EPSG:4326 (lon, lat) for GeoJSON output."""
    require_crs(frame, what)
    if frame.crs.equals(_PARSED_WEB):
        return frame
    if frame.crs.equals(_PARSED_METRIC):
        return _reprojected(frame, METRIC_CRS, WEB_CRS)
    return frame.to_crs(WEB_CRS)


def _reprojected(frame: G, source: str, target: str) -> G:
    """``frame.to_crs(target)`` through :func:`transformer`: GeoPandas makes a transformer
    from the CRSs in each thread (the 30-50 ms a served request must not wait for). The same
    operation applied as GeoPandas applies it: x and y, and z where a geometry has one."""
    geometries = np.asarray(frame.geometry.array, dtype=object)
    move = transformer(source, target).transform
    moved = geometries.copy()  # set_coordinates fills the array it is given
    has_z = np.asarray(shapely.has_z(geometries), dtype=bool)
    for rows, with_z in ((~has_z, False), (has_z, True)):
        if not rows.any():
            continue
        coordinates = shapely.get_coordinates(geometries[rows], include_z=with_z)
        moved[rows] = shapely.set_coordinates(
            geometries[rows].copy(), np.array(move(*coordinates.T)).T.reshape(coordinates.shape))
    series = gpd.GeoSeries(moved, index=frame.index, crs=target)
    if isinstance(frame, gpd.GeoSeries):
        return series.rename(frame.name)
    out = frame.copy()
    out[frame.geometry.name] = series
    return out


@cache
def transformer(source: str, target: str) -> Transformer:
    """The (cached) transformer from ``source`` to ``target``, axes always (x, y) / (lon, lat).

    A pyproj Transformer makes a PROJ object in each thread that uses it, and one made with
    ``from_crs`` searches PROJ's database each time: 30-50 ms for each of the server's
    threads after each idle spell, so a burst of requests stalled for seconds. One made from
    a pipeline takes 0.3 ms. So the pipeline is used where it gives what ``from_crs``
    gives across Great Britain (WGS84 and British National Grid: exactly), and ``from_crs``
    where PROJ would choose otherwise (ETRS89, whose only pipeline here is a ballpark).
    """
    chosen = Transformer.from_crs(source, target, always_xy=True)
    with warnings.catch_warnings():  # "best transformation is not available": a grid
        warnings.simplefilter("ignore", UserWarning)
        candidates = TransformerGroup(source, target, always_xy=True).transformers
    if not candidates:
        return chosen
    probes = _probe_points(source)
    if probes is None:
        return chosen
    expected = np.array(chosen.transform(*probes))
    pipeline = Transformer.from_pipeline(candidates[0].definition)
    got = np.array(pipeline.transform(*probes))
    return pipeline if np.allclose(got, expected, rtol=0, atol=1e-7, equal_nan=False) else chosen


def _probe_points(crs: str) -> tuple[Floats, Floats] | None:
    """Points across Great Britain in ``crs``, to compare two transformers on; None where they
    cannot be had (a CRS that does not reach Great Britain)."""
    lon, lat = np.meshgrid(np.linspace(-5.5, 1.5, 8), np.linspace(50.2, 58.5, 8))
    to_source = Transformer.from_crs(WEB_CRS, crs, always_xy=True)
    x, y = to_source.transform(lon.ravel(), lat.ravel())
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return (x, y) if np.isfinite(x).all() and np.isfinite(y).all() else None


@overload
def lonlat_to_metric(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def lonlat_to_metric(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Floats, Floats]: ...
def lonlat_to_metric(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[float, float] | tuple[Floats, Floats]:
    """WGS84 longitude/latitude -> EPSG:27700 easting/northing (floats in, floats out)."""
    return _transform(WEB_CRS, METRIC_CRS, lon, lat)


@overload
def metric_to_lonlat(x: float, y: float) -> tuple[float, float]: ...
@overload
def metric_to_lonlat(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[Floats, Floats]: ...
def metric_to_lonlat(
    x: npt.ArrayLike, y: npt.ArrayLike
) -> tuple[float, float] | tuple[Floats, Floats]:
    """EPSG:27700 easting/northing -> WGS84 longitude/latitude (arrays in, arrays out)."""
    return _transform(METRIC_CRS, WEB_CRS, x, y)


def _transform(
    source: str, target: str, a: float | npt.ArrayLike, b: float | npt.ArrayLike
) -> tuple[float, float] | tuple[Floats, Floats]:
    if isinstance(a, float | int) and isinstance(b, float | int):  # one point (hot path)
        x, y = transformer(source, target).transform(a, b)
        return float(x), float(y)
    if np.ndim(a) == 0 and np.ndim(b) == 0:  # numpy scalars
        x, y = transformer(source, target).transform(float(a), float(b))  # type: ignore[arg-type]
        return float(x), float(y)
    x, y = transformer(source, target).transform(np.asarray(a, dtype=float),
                                                 np.asarray(b, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def bbox_to_metric(bbox: Box) -> Box:
    """``(min lon, min lat, max lon, max lat)`` -> the EPSG:27700 box that covers it."""
    return _box(WEB_CRS, METRIC_CRS, bbox)


def bbox_to_web(bbox: Box) -> Box:
    """An EPSG:27700 box -> the ``(min lon, min lat, max lon, max lat)`` box that covers it."""
    return _box(METRIC_CRS, WEB_CRS, bbox)


def _box(source: str, target: str, bbox: Box) -> Box:
    """The box covering ``bbox``'s edges (each densified, as edges curve) once transformed.

    By hand rather than ``transform_bounds``, which needs a transformer that knows its CRSs
    (ours is made from a pipeline); Great Britain is nowhere near the antimeridian.
    """
    minx, miny, maxx, maxy = bbox
    steps = np.linspace(0.0, 1.0, _DENSIFY_POINTS + 2)
    xs = np.concatenate([minx + (maxx - minx) * steps, np.full(steps.size, maxx),
                         maxx - (maxx - minx) * steps, np.full(steps.size, minx)])
    ys = np.concatenate([np.full(steps.size, miny), miny + (maxy - miny) * steps,
                         np.full(steps.size, maxy), maxy - (maxy - miny) * steps])
    tx, ty = transformer(source, target).transform(xs, ys)
    return float(np.min(tx)), float(np.min(ty)), float(np.max(tx)), float(np.max(ty))


@overload
def in_great_britain(lon: float, lat: float, bounds: Box = GB_BOUNDS) -> bool: ...
@overload
def in_great_britain(
    lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], bounds: Box = GB_BOUNDS
) -> npt.NDArray[np.bool_]: ...
def in_great_britain(
    lon: float | npt.NDArray[np.float64],
    lat: float | npt.NDArray[np.float64],
    bounds: Box = GB_BOUNDS,
) -> bool | npt.NDArray[np.bool_]:
    """Whether (lon, lat) in WGS84 degrees lies in Great Britain's box (islands included).

    Floats give a bool, arrays an array of them; missing or infinite values are
    never inside. ``bounds`` may be :data:`GB_LOOSE_BOUNDS` for a rougher test.
    """
    west, south, east, north = bounds
    if isinstance(lon, float | int) and isinstance(lat, float | int):  # one point (hot path)
        return bool(west <= lon <= east and south <= lat <= north)  # NaN compares False
    if np.ndim(lon) == 0 and np.ndim(lat) == 0:
        return bool(west <= float(lon) <= east and south <= float(lat) <= north)
    lons, lats = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.asarray((west <= lons) & (lons <= east) & (south <= lats) & (lats <= north),
                          dtype=bool)


def check_lat_lon(lat: float, lon: float) -> None:
    """Raise :class:`ValidationFailed` unless (lat, lon) is in Great Britain.

    Says so when the point is outside but swapped it would be inside.
    """
    west, south, east, north = GB_BOUNDS
    if not (np.isfinite(lat) and np.isfinite(lon)):
        raise ValidationFailed("Latitude and longitude must be numbers.",
                               key="error.point_not_numbers")
    if in_great_britain(lon, lat):
        return
    if in_great_britain(lat, lon):
        raise ValidationFailed(
            f"lat={lat:g}, lon={lon:g} is outside Great Britain, but swapped it is inside: "
            "latitude and longitude look the wrong way round. Send lat (about 52.6 for "
            "Leicester) and lon (about -1.1).",
            details=[{"field": "lat", "problem": "latitude and longitude look swapped"}],
            key="error.point_swapped",
        )
    raise ValidationFailed(
        f"lat={lat:g}, lon={lon:g} is outside Great Britain (latitude {south}..{north}, "
        f"longitude {west}..{east}). This service only knows hubs in Great Britain.",
        details=[{"field": "lat,lon", "problem": "outside Great Britain"}],
        key="error.point_outside",
    )
