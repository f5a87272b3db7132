"""Malformed uploads through the officers' import API: each gets a clear error naming the
problem, and the store is byte-for-byte as it was (issue 5's reliability list, end to end)."""

from __future__ import annotations

import json
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.conftest import XSS_NAME, assert_canonical_error
from tests.register.imports.gpkg_tricks import (
    deeply_nested_geojson,
    miscounted_gpkg,
    recursive_view_gpkg,
    view_gpkg,
)

URL = "/api/layers/assets/import?dry_run=false"


@pytest.fixture
def officer(tiny_gpkg: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    token = add_user(open_store(str(tiny_gpkg)), "olive.officer", "officer")
    settings = Settings(store=str(tiny_gpkg), import_max_bytes=300_000)
    with TestClient(create_app(settings)) as client:
        yield client, {"Authorization": f"Bearer {token}"}


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def geojson(geometry: object, **properties: object) -> bytes:
    values = {"id": "M1", "name": "Malformed Hall", "category": "village_hall",
              "status": "open", **properties}
    feature = {"type": "Feature", "properties": values, "geometry": geometry}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def no_crs_gpkg(folder: Path) -> bytes:
    frame = gpd.GeoDataFrame({"id": ["M1"], "name": ["No CRS Hall"],
                              "category": ["village_hall"], "status": ["open"]},
                             geometry=[Point(452_500, 305_500)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(frame, folder / "nocrs.gpkg", layer="halls", driver="GPKG")
    return (folder / "nocrs.gpkg").read_bytes()


# file name, how to make its bytes, status, what the message mentions
CASES: dict[str, tuple[str, Callable[[Path], bytes], int, str]] = {
    "broken geometry": ("a.geojson", lambda _: geojson({"type": "Point", "coordinates": ["x"]}),
                        422, "coordinates"),
    "polygon for a point layer": ("a.geojson", lambda _: geojson(
        {"type": "Polygon", "coordinates": [[[-1.2, 52.6], [-1.1, 52.6], [-1.1, 52.7],
                                             [-1.2, 52.6]]]}), 422, "Point"),
    "missing crs": ("a.gpkg", no_crs_gpkg, 422, "coordinate reference system"),
    "swapped lat/lon": ("a.csv", lambda _: b"id,name,category,status,longitude,latitude\n"
                        b"M1,Swapped Hall,village_hall,open,52.6402,-1.2330\n", 422, "swap"),
    "huge file": ("a.csv", lambda _: b"id,name\n" + b"M1,x\n" * 70_000, 413, "larger than"),
    # issue 15: files that lie about themselves
    "json nested 100,000 deep": ("a.geojson", lambda _: deeply_nested_geojson(), 422,
                                 "nested too deeply"),
    "stored count disagrees": ("a.gpkg", miscounted_gpkg, 422, "says it holds 1 features"),
    "layer is a view": ("a.gpkg", view_gpkg, 422, "is a view"),
    "layer is a recursive view": ("a.gpkg", recursive_view_gpkg, 422, "is a view"),
    "empty geojson": ("a.geojson", lambda _: b"", 422, "empty"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_upload_is_refused_and_nothing_is_written(
    officer: tuple[TestClient, dict[str, str]], tiny_gpkg: Path, tmp_path: Path, case: str
) -> None:
    client, auth = officer
    name, make, status, mentions = CASES[case]
    before = dump(tiny_gpkg)
    response = client.post(URL, files={"file": (name, make(tmp_path), "application/octet-stream")},
                           headers=auth)
    error = assert_canonical_error(response, status)
    text = error["message"] + json.dumps(error["details"])
    assert mentions.lower() in text.lower(), text
    assert dump(tiny_gpkg) == before


def test_formula_cells_and_html_names_are_stored_as_typed_and_never_executed(
    officer: tuple[TestClient, dict[str, str]]
) -> None:
    client, auth = officer
    csv = ("id,name,category,status,easting,northing,opening_times\n"
           f'M2,"{XSS_NAME}",village_hall,open,452500,305500,"=HYPERLINK(""http://x"")"\n')
    response = client.post(URL, files={"file": ("a.csv", csv.encode(), "text/csv")},
                           headers=auth)
    assert response.status_code == 200, response.text
    stored = client.get("/api/layers/assets/items/M2").json()["properties"]
    assert stored["name"] == XSS_NAME and stored["opening_times"].startswith("=HYPERLINK")
    exported = client.get("/api/layers/assets.csv").text
    assert "'=HYPERLINK" in exported  # neutralised for spreadsheets on the way out
    page = client.get("/hubs/M2").text
    assert XSS_NAME not in page and "&lt;img src=x" in page
