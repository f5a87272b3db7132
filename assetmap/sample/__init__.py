"""A seeded synthetic county that looks like real geography, for demos, tests and benchmarks.

Nothing in it is real: places, people and assets are invented, codes use ranges ONS
never issues (E07900001, E04900001, E00900001 ...) and postcodes use the "LZ" area,
which does not exist. The layout imitates Leicestershire (about 2,100 km² and
700,000 people round a city-shaped hole, seven districts including one small, dense,
wholly unparished one), so the gap analysis meets realistic patterns.

How it is built (see the private ``assetmap.sample._*`` modules):

1. an irregular outline; towns (unparished big towns, market towns with town
   councils) and villages (parish councils and parish meetings) placed inside it;
2. seeds, dense in towns and sparse in the countryside, whose Voronoi cells become
   the small areas;
3. districts and community areas grown over neighbouring cells from their towns and
   villages, so every level nests exactly in the one above;
4. residents, deprivation, age and population-weighted centres per small area;
5. postcodes, then assets following the county's patterns;
6. organisations (the parish and town councils, invented county charities and council
   services, local groups, churches and café enterprises) and the weekly, monthly and
   one-off activities they run at the open assets (``_organisations``, ``_activities``).

The same seed and scale always give the same tables.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

import geopandas as gpd

from assetmap.crs import METRIC_CRS
from assetmap.errors import ValidationFailed
from assetmap.sample._activities import make_activities
from assetmap.sample._areas import Areas, carve
from assetmap.sample._assets import make_assets
from assetmap.sample._geometry import as_multipolygons, dissolve, hilbert_index
from assetmap.sample._names import NameBook
from assetmap.sample._organisations import make_organisations
from assetmap.sample._people import People, settle
from assetmap.sample._places import Layout, lay_out
from assetmap.sample._postcodes import make_postcodes
from assetmap.sample._scales import SCALES, Scale
from assetmap.store.gpkg_write import write_geopackage

__all__ = ["GENERATOR", "NOTICE", "SCALES", "Scale", "generate_sample", "write_sample"]

GENERATOR = "assetmap.sample 2"  # bump when the same seed would give different tables
TITLE = "Synthetic sample county"
NOTICE = ("Synthetic sample data: invented places, people and assets for demonstration. "
          "Not real Leicestershire data.")
STEPS = 6  # progress bar steps in generate_sample


def generate_sample(
    seed: int = 42, scale: str = "county", n_assets: int | None = None, *, progress: bool = False
) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Build the synthetic tables, keyed by table name, in EPSG:27700.

    Keys: ``districts``, ``community_areas``, ``small_areas``, ``assets``, ``postcodes``
    (GeoDataFrames, fields as in ``layers/*.yaml``), ``organisations`` and ``activities``
    (plain frames: the layers have no geometry) and ``assetmap_metadata`` (a plain
    frame of key/value strings saying the data are synthetic). ``n_assets`` overrides
    the number of assets (extra ones follow the same patterns); the geography does
    not change with it.
    """
    spec = _scale(scale)
    _check(seed, n_assets)
    names = NameBook(_text_rng(seed, "places"))
    with tqdm(total=STEPS, disable=not progress, unit="step", desc="sample") as bar:

        def done(step: str) -> None:
            bar.set_postfix_str(step)
            bar.update()

        layout = lay_out(spec, _rng(seed, "layout"), names)
        done("towns and villages")
        areas = carve(layout, spec, _rng(seed, "areas"), names)
        done("small areas, districts and communities")
        people = settle(layout, areas, spec, _rng(seed, "people"))
        done("residents")
        district_codes = _district_codes(layout, areas)
        communities = _community_frame(layout, areas, district_codes)
        tables = _boundaries(areas, people, district_codes, communities, progress)
        done("boundaries")
        postcodes = make_postcodes(areas, people, district_codes, spec, _rng(seed, "postcodes"))
        done("postcodes")
        assets = make_assets(
            layout, areas, people, spec, n_assets if n_assets is not None else spec.assets,
            (communities["code"].tolist(), district_codes), postcodes,
            _rng(seed, "assets"), _text_rng(seed, "assets"), NameBook(_text_rng(seed, "streets")),
        )
        done("assets")
    tables["assets"] = _points(assets, ["x", "y"])
    tables["postcodes"] = _points(postcodes, ["x", "y"])
    organisations = make_organisations(
        tables["community_areas"], district_codes, assets, _text_rng(seed, "organisations")
    )
    tables["organisations"] = organisations.frame()
    tables["activities"] = make_activities(assets, organisations, _text_rng(seed, "activities"))
    tables["assetmap_metadata"] = _metadata(seed, spec, len(assets))
    return tables


def write_sample(
    path: Path, seed: int = 42, scale: str = "county", n_assets: int | None = None,
    progress: bool = False,
) -> dict[str, int]:
    """Generate the sample and write every table to one GeoPackage at ``path``.

    The file is written beside ``path`` and moved into place only when complete, so a
    failure leaves any existing file untouched. Returns the row count per table.
    """
    tables = generate_sample(seed, scale, n_assets, progress=progress)
    return write_geopackage(Path(path), tables)


def _scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValidationFailed(
            f"unknown sample scale {name!r}; choose one of {', '.join(SCALES)}"
        ) from None


def _check(seed: int, n_assets: int | None) -> None:
    if seed < 0:
        raise ValidationFailed(f"seed must be zero or more, not {seed}")
    if n_assets is not None and n_assets < 0:
        raise ValidationFailed(f"n_assets must be zero or more, not {n_assets}")


def _rng(seed: int, stage: str) -> np.random.Generator:
    """An independent stream per stage, so that (say) more assets never move a boundary."""
    return np.random.default_rng([seed, zlib.crc32(stage.encode())])


def _text_rng(seed: int, stage: str) -> random.Random:
    """A ``random.Random`` for names and text (string seeds are stable across runs)."""
    return random.Random(f"assetmap.sample:{seed}:{stage}")


def _district_order(layout: Layout, areas: Areas) -> np.ndarray:
    """Districts ordered along a Hilbert curve through their main towns."""
    seats = np.array([(layout.towns[s].x, layout.towns[s].y) for s in areas.district_seats])
    return np.argsort(hilbert_index(seats[:, 0], seats[:, 1]), kind="stable")


def _district_codes(layout: Layout, areas: Areas) -> list[str]:
    rank = np.empty(len(areas.district_seats), dtype=np.int64)
    rank[_district_order(layout, areas)] = np.arange(len(rank))
    return [f"E07{900_001 + int(r):06d}" for r in rank]


def _boundaries(
    areas: Areas, people: People, district_codes: list[str], communities: pd.DataFrame,
    progress: bool,
) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Districts, community areas and small areas, each sorted by code."""
    community_geoms = dissolve(areas.cells, areas.community, len(communities), progress)
    district_of_community = areas.district[communities["source"].to_numpy()]
    district_geoms = dissolve(community_geoms, district_of_community, len(district_codes))
    districts = gpd.GeoDataFrame(
        {"code": district_codes, "name": areas.district_names},
        geometry=district_geoms, crs=METRIC_CRS,
    )
    community_areas = gpd.GeoDataFrame(
        communities[["code", "name", "district_code", "governance"]],
        geometry=community_geoms, crs=METRIC_CRS,
    )
    small = _small_area_frame(areas, people, district_codes, communities["code"].tolist())
    return {
        "districts": districts.sort_values("code", ignore_index=True),
        "community_areas": community_areas.sort_values("code", ignore_index=True),
        "small_areas": small,
    }


def _community_frame(layout: Layout, areas: Areas, district_codes: list[str]) -> pd.DataFrame:
    """One row per community area (in source order) with its ONS-shaped code.

    Parishes get E04 codes and unparished areas E43 codes, numbered by district and
    then along a Hilbert curve, like real codes that run through an authority.
    """
    frame = pd.DataFrame({
        "name": [c.name for c in areas.communities],
        "governance": [c.governance for c in areas.communities],
        "source": [c.source for c in areas.communities],
    })
    frame["district_code"] = np.asarray(district_codes)[areas.district[frame["source"]]]
    xy = layout.seeds[frame["source"]]
    frame["along"] = hilbert_index(xy[:, 0], xy[:, 1])
    frame["prefix"] = np.where(frame["governance"] == "unparished", "E43", "E04")
    ordered = frame.sort_values(["prefix", "district_code", "along"], kind="stable")
    serial = ordered.groupby("prefix").cumcount() + 900_001
    frame["code"] = ordered["prefix"] + serial.map("{:06d}".format)
    return frame


def _small_area_frame(
    areas: Areas, people: People, district_codes: list[str], community_codes: list[str]
) -> gpd.GeoDataFrame:
    n = len(areas.cells)
    districts = np.asarray(district_codes)[areas.district]
    along = hilbert_index(people.pwc[:, 0], people.pwc[:, 1])
    order = np.lexsort((along, districts))
    base = 900_000 if n < 100_000 else 700_000  # real E00 codes stop below E00200000
    frame = gpd.GeoDataFrame(
        {
            "code": [f"E00{base + i:06d}" for i in range(1, n + 1)],
            "community_area_code": np.asarray(community_codes)[areas.community[order]],
            "district_code": districts[order],
            "population": people.population[order],
            "imd_decile": people.imd_decile[order],
            "share_65_plus": people.share_65_plus[order],
            "urban": people.urban[order],
            "pwc_easting": people.pwc[order, 0],
            "pwc_northing": people.pwc[order, 1],
            # The synthetic county has no LSOAs; real imports fill these.
            "lsoa_code": np.full(n, None, dtype=object),
            "lsoa_name": np.full(n, None, dtype=object),
        },
        geometry=as_multipolygons(areas.cells[order]),
        crs=METRIC_CRS,
    )
    return frame


def _points(frame: pd.DataFrame, xy: list[str]) -> gpd.GeoDataFrame:
    x, y = (frame[c].to_numpy() for c in xy)
    return gpd.GeoDataFrame(
        frame.drop(columns=xy), geometry=gpd.points_from_xy(x, y), crs=METRIC_CRS
    )


def _metadata(seed: int, spec: Scale, n_assets: int) -> pd.DataFrame:
    pairs = {
        "synthetic": "true",
        "title": TITLE,
        "notice": NOTICE,
        "seed": str(seed),
        "scale": spec.name,
        "generator": GENERATOR,
        "n_assets": str(n_assets),
        "crs": METRIC_CRS,
    }
    return pd.DataFrame({"key": list(pairs), "value": list(pairs.values())})
