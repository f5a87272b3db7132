"""The analysis' boundary: its inputs are checked and put in EPSG:27700 here, once.

:class:`AnalysisInputs` holds the county's layers, checked and projected when it
is built (from a store or from frames); the public functions that take raw frames
(:func:`~assetmap.analysis.analyse`, :func:`~assetmap.analysis.small_area_access`,
…) pass them through the ``prepare_*`` functions here. Past this module the
stages (access, areas, siting, district) trust what they are given and neither
check nor reproject again.

Each ``prepare_*`` function returns the layer in EPSG:27700 or raises an
:class:`~assetmap.errors.AssetmapError` whose message names the layer and the fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

import geopandas as gpd
import shapely

from assetmap.analysis.activity import activity_levels, hub_weights
from assetmap.analysis.fallback import fallback_units
from assetmap.analysis.naming import PointNames
from assetmap.crs import to_metric
from assetmap.errors import DataError
from assetmap.hubs import hub_mask
from assetmap.provenance import DatasetInfo

if TYPE_CHECKING:
    from assetmap.analysis.thresholds import GapThresholds
    from assetmap.layers import LayerCatalog
    from assetmap.store import Store

__all__ = [
    "AnalysisInputs",
    "check_community_areas",
    "describe_rows",
    "hubs_among",
    "point_coordinates",
    "prepare_access_table",
    "prepare_assets",
    "prepare_community_areas",
    "prepare_located",
    "prepare_small_areas",
    "require_access_table",
    "require_columns",
]


def require_columns(frame: pd.DataFrame, columns: Iterable[str], layer: str) -> None:
    """Raise :class:`DataError` naming every required column ``frame`` lacks."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        names = ", ".join(f"`{column}`" for column in missing)
        raise DataError(
            f"The {layer} layer has no {names} column (see layers/{layer}.yaml). "
            f"Add {'it' if len(missing) == 1 else 'them'} before running the gap analysis; "
            f"columns present: {', '.join(map(str, frame.columns))}."
        )


def require_access_table(frame: pd.DataFrame, columns: Iterable[str], caller: str) -> None:
    """Raise :class:`DataError` unless ``frame`` looks like ``small_area_access`` output."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise DataError(
            f"{caller} needs the small-area access table from "
            f"assetmap.analysis.gaps.small_area_access (or GapResult.small_areas), but the table "
            f"given has no {', '.join(f'`{c}`' for c in missing)} column. Run "
            f"small_area_access(small_areas, hubs, thresholds) first."
        )


def prepare_access_table(
    frame: gpd.GeoDataFrame, columns: Iterable[str], caller: str
) -> gpd.GeoDataFrame:
    """A ``small_area_access`` table in EPSG:27700, refused unless it has ``columns``."""
    access = to_metric(frame, "small-area access table")
    require_access_table(access, columns, caller)
    return access


def prepare_located(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    """Hubs or candidate sites given on their own, in EPSG:27700 (refused with no CRS)."""
    return to_metric(frame, what)


def describe_rows(frame: pd.DataFrame, mask: np.ndarray, id_column: str = "code") -> str:
    """``'3 rows (e.g. E00000001, E00000002)'`` for the rows where ``mask`` is true."""
    labels = frame.loc[mask, id_column] if id_column in frame.columns else frame.index[mask]
    examples = ", ".join(map(str, list(labels[:5])))
    count = int(np.count_nonzero(mask))
    return f"{count:,} row{'s' if count != 1 else ''} (e.g. {examples})"


def prepare_small_areas(small_areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Small areas in EPSG:27700 with a float ``population`` that is present and ≥ 0."""
    frame = to_metric(small_areas, "small_areas layer")
    require_columns(frame, ["population"], "small_areas")
    population = pd.to_numeric(frame["population"], errors="coerce").to_numpy(dtype=float)
    missing = ~np.isfinite(population)
    if missing.any():
        raise DataError(
            f"The small_areas layer has a missing or non-numeric `population` in "
            f"{describe_rows(frame, missing)}. Fill in the usual resident population of every "
            f"small area (0 where nobody lives)."
        )
    negative = population < 0
    if negative.any():
        raise DataError(
            f"The small_areas layer has a negative `population` in "
            f"{describe_rows(frame, negative)}. Populations must be counts of residents (≥ 0)."
        )
    if frame is small_areas:
        frame = frame.copy()
    frame["population"] = population
    return frame


def prepare_community_areas(community_areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Community areas in EPSG:27700 with unique, present ``code`` and ``district_code``."""
    return check_community_areas(to_metric(community_areas, "community_areas layer"))


def check_community_areas(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` (already in EPSG:27700) if its ``code`` and ``district_code`` are usable."""
    require_columns(frame, ["code", "district_code"], "community_areas")
    for column in ("code", "district_code"):
        absent = frame[column].isna().to_numpy()
        if absent.any():
            raise DataError(
                f"The community_areas layer has no `{column}` in {int(absent.sum()):,} rows. "
                f"Every parish or unparished area needs its ONS code and its district code."
            )
    duplicated = frame["code"].duplicated(keep=False).to_numpy()
    if duplicated.any():
        raise DataError(
            f"The community_areas layer repeats a `code` in "
            f"{describe_rows(frame, duplicated)}. Each area must appear once; dissolve "
            f"multi-part areas into one MultiPolygon per code."
        )
    return frame


def prepare_assets(assets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Assets in EPSG:27700 with the ``category`` and ``status`` columns hubs depend on."""
    frame = to_metric(assets, "assets layer")
    require_columns(frame, ["category", "status"], "assets")
    return frame


def hubs_among(assets: gpd.GeoDataFrame, hub_categories: Iterable[str]) -> gpd.GeoDataFrame:
    """The prepared ``assets`` that count as hubs: a hub category and not closed."""
    return assets[hub_mask(assets, hub_categories)]


def point_coordinates(geometry: gpd.GeoSeries) -> np.ndarray:
    """An (n, 2) array of x, y: points as they are, other shapes by a point inside them.

    Missing or empty geometries give NaN coordinates; callers drop them.
    """
    values = geometry.to_numpy()
    out = np.full((len(values), 2), np.nan)
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    if not present.any():
        return out
    shapes = values[present]
    not_point = shapely.get_type_id(shapes) != shapely.GeometryType.POINT
    if not_point.any():
        shapes = shapes.copy()
        shapes[not_point] = shapely.point_on_surface(shapes[not_point])
    out[present, 0] = shapely.get_x(shapes)
    out[present, 1] = shapely.get_y(shapes)
    return out


_INPUT_LAYERS = ("small_areas", "community_areas", "assets", "districts")


def _optional_layer(
    store: Store, catalog: LayerCatalog, name: str, fields: list[str]
) -> gpd.GeoDataFrame | None:
    """A layer the analysis can do without: ``None`` when the catalog or store lacks it."""
    layer = catalog.get(name)
    if layer is None or not store.has_layer(layer):
        return None
    frame: gpd.GeoDataFrame = store.read(layer, fields=fields)
    return frame


@dataclass(frozen=True)
class AnalysisInputs:
    """The county's layers the analysis reads, checked and in EPSG:27700 once built.

    Give each layer in any CRS (a layer with none is refused); building the inputs
    checks the columns and values the analysis relies on and reprojects each layer
    once, so every district report made from them trusts them as they are.

    ``metadata`` is the store's dataset-level key/values: ``synthetic``
    (``"true"`` for the sample), ``seed``, ``notice``, ``attribution`` and
    ``source:<name>`` = ``"detail | vintage | attribution"`` for real imports.
    With no community areas at all (no parish boundaries loaded), the small areas'
    LSOAs stand in for them, governance unknown (see :mod:`assetmap.analysis.fallback`):
    nothing is invented, and ``fallback_units`` names the units ranked instead so
    every output can say so; it is empty otherwise.
    """

    small_areas: gpd.GeoDataFrame
    community_areas: gpd.GeoDataFrame
    assets: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    hub_categories: tuple[str, ...]
    metadata: Mapping[str, str] = field(default_factory=dict)
    fallback_units: str = ""
    # Optional point layers that name sites and small areas (see assetmap.analysis.naming).
    postcodes: gpd.GeoDataFrame | None = None
    places: gpd.GeoDataFrame | None = None
    # The people side (plain layers; see assetmap.analysis.activity): who runs what, where.
    organisations: pd.DataFrame | None = None
    activities: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        # The one place the layers are checked and projected. Frozen, so fields are
        # replaced through object.__setattr__ (dataclasses' documented way).
        small = prepare_small_areas(self.small_areas)
        areas = to_metric(self.community_areas, "community_areas layer")
        label = self.fallback_units
        if not len(areas) and not label and len(small):
            units = fallback_units(small)
            small, areas, label = units.small_areas, units.areas, units.label
        prepared = {
            "small_areas": small,
            "community_areas": check_community_areas(areas),
            "assets": prepare_assets(self.assets),
            "districts": to_metric(self.districts, "districts layer"),
            "hub_categories": tuple(self.hub_categories),
            "fallback_units": label,
            **{
                name: to_metric(frame, f"{name} layer")
                for name, frame in (("postcodes", self.postcodes), ("places", self.places))
                if frame is not None
            },
        }
        for name, value in prepared.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_store(cls, store: Store, catalog: LayerCatalog) -> AnalysisInputs:
        """Read the four layers, the hub categories and the metadata from a store."""
        small, areas, assets, districts = (store.read(catalog[name]) for name in _INPUT_LAYERS)
        return cls(
            small_areas=small,
            community_areas=areas,
            assets=assets,
            districts=districts,
            hub_categories=tuple(catalog.hub_categories),
            metadata=dict(store.metadata()),
            postcodes=_optional_layer(store, catalog, "postcodes", ["postcode"]),
            places=_optional_layer(store, catalog, "places", ["name", "kind"]),
            organisations=_optional_layer(store, catalog, "organisations",
                                          ["name", "areas_served"]),
            activities=_optional_layer(store, catalog, "activities",
                                       ["asset_ids", "schedule", "organisation_id", "status"]),
        )

    @cached_property
    def point_names(self) -> PointNames:
        """Names for points: nearest place, postcode and grid reference."""
        return PointNames(self.places, self.postcodes, self.community_areas)

    @cached_property
    def info(self) -> DatasetInfo:
        """What every output must say about the data: synthetic, notice, attribution, sources."""
        return DatasetInfo.from_metadata(self.metadata)

    @property
    def synthetic(self) -> bool:
        return self.info.synthetic

    @cached_property
    def hubs(self) -> gpd.GeoDataFrame:
        """The assets that count as hubs (a hub category, not closed)."""
        return hubs_among(self.assets, self.hub_categories)

    @cached_property
    def activity_levels(self) -> pd.Series:
        """Sessions a week at each asset id over this calendar year (running activities)."""
        year = dt.datetime(dt.date.today().year, 1, 1)
        return activity_levels(self.activities, year)

    def hubs_for(self, thresholds: GapThresholds) -> gpd.GeoDataFrame:
        """:attr:`hubs`, with ``sessions_per_week`` and ``activity_weight`` when the analysis
        weights hubs by activity; refused when no activity is recorded to weigh them by."""
        if not thresholds.activity_weighting:
            return self.hubs
        if self.activities is None or not len(self.activities):
            raise DataError(
                "activity_weighting is on but the store holds no activities to weigh hubs by; "
                "import them (`assetmap import activities FILE.csv`) or leave it off"
            )
        hubs = self.hubs.copy()
        ids = hubs["id"].astype(str)
        hubs["sessions_per_week"] = ids.map(self.activity_levels).fillna(0.0).to_numpy()
        hubs["activity_weight"] = hub_weights(ids, self.activity_levels,
                                              thresholds.activity_full_sessions)
        return hubs
