"""Small files in the shape of ONS 'Parishes and non-civil-parished areas' (PARNCP21).

The real data has no parish boundaries, so these are made here, over the tiny
test county of tests/conftest.py (districts E07999001 west of x=460000 and
E07999002 east of it, EPSG:27700). ONS publishes them in EPSG:27700 (shapefile,
GeoPackage) and as GeoJSON in WGS84 longitude/latitude; so do these.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import geopandas as gpd
from shapely.geometry import box

BNG = "EPSG:27700"
# PARNCP21CD, PARNCP21NM, PARNCP21NMW, (minx, maxx) for a 10 km tall strip y 300000–310000.
PARISHES = [
    ("E04999101", "Ashby Parva", None, (450_000, 455_000)),
    ("E04999102", "Beeby", None, (455_000, 460_000)),
    ("E43999101", "Westtown, unparished area", None, (460_000, 465_000)),
    ("E04999103", "Cotes", None, (465_000, 470_000)),
    ("E04999199", "Faraway", None, (480_000, 485_000)),  # outside both districts
]
GOVERNANCE = {"E04999101": "parish_council", "E04999102": "Parish meeting",
              "E04999103": "town_council", "E04999199": "parish_council"}


def parish_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "FID": list(range(1, len(PARISHES) + 1)),
            "PARNCP21CD": [p[0] for p in PARISHES],
            "PARNCP21NM": [p[1] for p in PARISHES],
            "PARNCP21NMW": [p[2] for p in PARISHES],
        },
        geometry=[box(x0, 300_000, x1, 310_000) for *_, (x0, x1) in PARISHES],
        crs=BNG,
    )


def write_parish_files(folder: Path) -> dict[str, Path]:
    """The same parishes as GeoJSON (WGS84), shapefile and GeoPackage (EPSG:27700)."""
    folder.mkdir(parents=True, exist_ok=True)
    frame = parish_frame()
    paths = {
        "geojson": folder / "PARNCP_DEC_2021_EW_BGC.geojson",
        "shapefile": folder / "PARNCP_DEC_2021_EW_BGC.shp",
        "gpkg": folder / "PARNCP_DEC_2021_EW_BGC.gpkg",
    }
    frame.to_crs("EPSG:4326").to_file(paths["geojson"], driver="GeoJSON")
    # Shapefile field names stop at 10 characters; ONS's own shapefiles shorten NMW to NW.
    frame.rename(columns={"PARNCP21NMW": "PARNCP21NW"}).to_file(
        paths["shapefile"], driver="ESRI Shapefile"
    )
    frame.to_file(paths["gpkg"], driver="GPKG", layer="PARNCP_DEC_2021_EW_BGC")
    return paths


def write_governance(folder: Path, governance: dict[str, str] | None = None) -> Path:
    path = folder / "governance.csv"
    rows = governance if governance is not None else GOVERNANCE
    pd.DataFrame({"code": list(rows), "governance": list(rows.values())}).to_csv(
        path, index=False
    )
    return path
