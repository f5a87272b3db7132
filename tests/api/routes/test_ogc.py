"""OGC API – Features Part 1 Core at /ogc (OGC 17-069r4): documents, paging, bbox, errors."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from pyproj import Transformer  # noqa: TID251 - an independent oracle for what assetmap.crs serves

from tests.conftest import XSS_NAME, assert_canonical_error, tiny_tables

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON_CLASS = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
TO_LONLAT = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
ASSETS = tiny_tables()["assets"]
LONLAT = {
    asset_id: TO_LONLAT.transform(point.x, point.y)
    for asset_id, point in zip(ASSETS["id"], ASSETS.geometry, strict=True)
}
ITEMS = "/ogc/collections/assets/items"


def links(body: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {link["rel"]: link for link in body["links"]}


def test_landing_page_links_the_definition_conformance_and_data(client: TestClient) -> None:
    response = client.get("/ogc")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    found = links(body)
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= set(found)
    assert all(link["type"] for link in body["links"])
    assert found["conformance"]["href"] == "http://testserver/ogc/conformance"
    assert found["data"]["href"] == "http://testserver/ogc/collections"
    definition = client.get(found["service-desc"]["href"])
    assert definition.status_code == 200
    paths = definition.json()["paths"]
    assert "/ogc/collections/{collectionId}/items" in paths
    assert body["synthetic"] is True and "Synthetic test data" in body["description"]


def test_conformance_lists_core_and_geojson(client: TestClient) -> None:
    body = client.get("/ogc/conformance").json()
    assert CORE in body["conformsTo"] and GEOJSON_CLASS in body["conformsTo"]
    assert not any(c.endswith("/conf/html") for c in body["conformsTo"]), "no HTML offered"


def test_collections_have_items_links_and_an_extent_holding_every_feature(
    client: TestClient,
) -> None:
    body = client.get("/ogc/collections").json()
    assert links(body)["self"]["href"] == "http://testserver/ogc/collections"
    collections = {c["id"]: c for c in body["collections"]}
    assert set(collections) == {"assets", "community_areas", "districts", "places", "postcodes",
                                "small_areas"}
    assert "extent" not in collections["small_areas"], "no features in the tiny county: no extent"
    assert "extent" not in collections["places"], "a declared layer the store lacks: no extent"
    assets = collections["assets"]
    assert assets["itemType"] == "feature" and assets["crs"] == [CRS84]
    items = links(assets)["items"]
    assert items["type"] == "application/geo+json"
    assert items["href"] == "http://testserver/ogc/collections/assets/items"
    (west, south, east, north), = assets["extent"]["spatial"]["bbox"]
    assert assets["extent"]["spatial"]["crs"] == CRS84
    for lon, lat in LONLAT.values():
        assert west <= lon <= east and south <= lat <= north
    assert west == pytest.approx(min(lon for lon, _ in LONLAT.values()), abs=2e-6)


def test_one_collection_matches_its_entry_in_the_list(client: TestClient) -> None:
    one = client.get("/ogc/collections/community_areas").json()
    listed = {c["id"]: c for c in client.get("/ogc/collections").json()["collections"]}
    assert one["extent"] == listed["community_areas"]["extent"]
    assert links(one)["self"]["href"] == "http://testserver/ogc/collections/community_areas"
    assert_canonical_error(client.get("/ogc/collections/parks"), 404, mentions="parks")


def test_items_are_geojson_in_crs84_with_counts_and_a_timestamp(client: TestClient) -> None:
    response = client.get(ITEMS)
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert (body["numberMatched"], body["numberReturned"]) == (5, 5)
    assert dt.datetime.fromisoformat(body["timeStamp"]).tzinfo is not None
    assert "next" not in links(body) and "prev" not in links(body)
    assert links(body)["self"]["type"] == "application/geo+json"
    for feature in body["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (pytest.approx(LONLAT[feature["id"]][0], abs=1e-6),
                              pytest.approx(LONLAT[feature["id"]][1], abs=1e-6))
    names = {f["id"]: f["properties"]["name"] for f in body["features"]}
    assert names["A3"] == XSS_NAME, "JSON carries data unchanged"


def test_next_links_page_through_every_feature_once(client: TestClient) -> None:
    url: str | None = f"{ITEMS}?limit=2"
    seen, pages = [], 0
    while url:
        body = client.get(url).json()
        assert body["numberReturned"] == len(body["features"]) <= 2
        assert body["numberMatched"] == 5
        seen += [f["id"] for f in body["features"]]
        pages += 1
        if pages > 1:
            assert "prev" in links(body)
        url = links(body).get("next", {}).get("href")
    assert seen == ["A1", "A2", "A3", "A4", "A5"] and pages == 3
    previous = links(client.get(f"{ITEMS}?limit=2&offset=4").json())["prev"]["href"]
    assert [f["id"] for f in client.get(previous).json()["features"]] == ["A3", "A4"]


def test_default_limit_is_ten_and_large_limits_are_clamped(client: TestClient) -> None:
    default = links(client.get(f"{ITEMS}?offset=1").json())["prev"]["href"]
    assert parse_qs(urlsplit(default).query)["limit"] == ["10"]
    clamped = client.get(f"{ITEMS}?limit=50000&offset=1")
    assert clamped.status_code == 200, "a limit above the maximum is not an error"
    previous = links(clamped.json())["prev"]["href"]
    assert parse_qs(urlsplit(previous).query)["limit"] == ["10000"]


def test_bbox_keeps_features_whose_crs84_geometry_meets_it(client: TestClient) -> None:
    lon, lat = LONLAT["A1"]
    around = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    assert [f["id"] for f in client.get(ITEMS, params={"bbox": around}).json()["features"]] == [
        "A1"]
    # 1e-5° (under a metre) east of A1: its grid envelope holds A1, the CRS84 box does not.
    beside = f"{lon + 1e-5},{lat - 0.001},{lon + 0.002},{lat + 0.001}"
    body = client.get(ITEMS, params={"bbox": beside}).json()
    assert body["numberMatched"] == 0 and body["features"] == []
    with_heights = f"{lon - 0.001},{lat - 0.001},0,{lon + 0.001},{lat + 0.001},100"
    assert client.get(ITEMS, params={"bbox": with_heights}).json()["numberMatched"] == 1


def test_bbox_across_the_antimeridian_and_far_away(client: TestClient) -> None:
    # West edge 179° > east edge: the box runs 179°E → 180° → -1.2°, which holds every asset
    # west of -1.2°.
    body = client.get(ITEMS, params={"bbox": "179,50,-1.2,60"}).json()
    expected = sorted(i for i, (lon, _) in LONLAT.items() if lon < -1.2)
    assert [f["id"] for f in body["features"]] == expected and len(expected) == 2
    assert client.get(ITEMS, params={"bbox": "100,-10,120,10"}).json()["numberMatched"] == 0
    assert client.get(ITEMS, params={"bbox": "-180,-90,180,90"}).json()["numberMatched"] == 5


def test_polygons_are_matched_by_intersection(client: TestClient) -> None:
    # A point inside Beeby (455000-460000 E): only that parish, not its neighbours.
    x, y = TO_LONLAT.transform(457_500, 305_000)
    body = client.get("/ogc/collections/community_areas/items",
                      params={"bbox": f"{x - 0.001},{y - 0.001},{x + 0.001},{y + 0.001}"}).json()
    assert [f["id"] for f in body["features"]] == ["E04999002"]
    assert body["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_attribute_filters_by_declared_filter_fields(client: TestClient) -> None:
    body = client.get(ITEMS, params={"category": "village_hall"}).json()
    assert [f["id"] for f in body["features"]] == ["A1", "A5"] and body["numberMatched"] == 2
    repeated = client.get(f"{ITEMS}?status=open&status=closed&limit=1").json()
    assert repeated["numberMatched"] == 4 and repeated["numberReturned"] == 1
    following = links(repeated)["next"]["href"]
    assert parse_qs(urlsplit(following).query)["status"] == ["open", "closed"]


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("colour=red", "unknown parameter 'colour'"),
        ("properties=name", "unknown parameter 'properties'"),
        ("status=shut", "shut"),
        ("limit=0", "limit must be at least 1"),
        ("limit=ten", "limit must be a whole number"),
        ("limit=5&limit=6", "more than once"),
        ("offset=-1", "offset must be at least 0"),
        ("bbox=-1.3,52.6,-1.1", "not 4"),
        ("bbox=-1.3,52.6,-1.1,x", "must be numbers"),
        ("bbox=-1.3,52.7,-1.1,52.6", "south edge"),
        ("bbox=-1.3,52.6,-1.1,95", "latitudes"),
        ("bbox=-200,52.6,-1.1,52.7", "longitudes"),
        ("bbox=-1.3,52.6,nan,-1.1,52.7,inf", "finite"),
        ("datetime=yesterday", "RFC 3339"),
        ("datetime=2024-13-01T00:00:00Z", "not a real date"),
        ("datetime=../..", "open at both ends"),
        ("datetime=2024-02-01T00:00:00Z/2024-01-01T00:00:00Z", "ends before it starts"),
        ("f=xml", "f=json or f=html"),
    ],
)
def test_bad_item_queries_are_400_with_the_canonical_body(
    client: TestClient, query: str, mentions: str
) -> None:
    assert_canonical_error(client.get(f"{ITEMS}?{query}"), 400, mentions=mentions)


@pytest.mark.parametrize(
    "value",
    ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00.5+01:00", "2024-01-01T00:00:00Z/..",
     "../2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z/2025-01-01T00:00:00Z"],
)
def test_datetime_matches_every_feature_of_layers_without_time(
    client: TestClient, value: str
) -> None:
    assert client.get(ITEMS, params={"datetime": value}).json()["numberMatched"] == 5


def test_unknown_parameters_are_refused_on_every_resource(client: TestClient) -> None:
    for url in ("/ogc?x=1", "/ogc/conformance?x=1", "/ogc/collections?x=1",
                "/ogc/collections/assets?x=1", f"{ITEMS}/A1?x=1"):
        assert_canonical_error(client.get(url), 400, mentions="'x'")


def test_accept_header_and_f_parameter(client: TestClient) -> None:
    assert client.get("/ogc", headers={"Accept": "text/html,*/*;q=0.8"}).status_code == 200
    assert client.get(ITEMS, headers={"Accept": "application/json"}).status_code == 200
    assert client.get(ITEMS, headers={"Accept": "application/geo+json"}).status_code == 200
    refused = client.get("/ogc/collections", headers={"Accept": "image/png"})
    assert_canonical_error(refused, 406, mentions="f=json")
    assert_canonical_error(client.get(ITEMS, headers={"Accept": "application/json;q=0"}), 406)
    chosen = client.get("/ogc/collections?f=json", headers={"Accept": "text/html"})
    assert chosen.status_code == 200 and chosen.headers["content-type"] == "application/json"


def test_one_feature_with_self_and_collection_links(client: TestClient) -> None:
    response = client.get(f"{ITEMS}/A3")
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "Feature" and body["id"] == "A3"
    assert body["properties"]["name"] == XSS_NAME
    found = links(body)
    assert found["self"]["type"] == "application/geo+json"
    assert found["collection"]["href"] == "http://testserver/ogc/collections/assets"
    assert_canonical_error(client.get(f"{ITEMS}/A99"), 404, mentions="A99")
    assert_canonical_error(client.get("/ogc/collections/parks/items/A1"), 404, mentions="parks")
    assert_canonical_error(client.get("/ogc/collections/parks/items"), 404, mentions="parks")


def test_a_page_without_bbox_reads_only_its_features_on_both_backends(store_location: str) -> None:
    """The first page of a big layer is paged and counted by the store, never read whole."""
    from assetmap.api import create_app
    from assetmap.config import Settings
    from assetmap.store import open_store

    store = open_store(store_location)
    asked: list[int | None] = []
    read = store.read

    def counting_read(layer, **options):  # type: ignore[no-untyped-def]
        asked.append(options.get("limit"))
        return read(layer, **options)

    store.read = counting_read  # type: ignore[method-assign]
    # Without the lifespan: the map's warm-up threads would read the layer meanwhile.
    client = TestClient(create_app(Settings(store=store_location), store=store))
    body = client.get(ITEMS, params={"limit": 2, "offset": 1, "status": "open"}).json()
    wanted = sorted(i for i, s in zip(ASSETS["id"], ASSETS["status"], strict=True) if s == "open")
    assert [f["id"] for f in body["features"]] == wanted[1:3]
    assert body["numberMatched"] == len(wanted) and body["numberReturned"] == 2
    assert asked == [2]  # one read of the page itself, no read of every id
    beyond = client.get(ITEMS, params={"offset": 10_000}).json()
    assert beyond["features"] == [] and beyond["numberMatched"] == len(ASSETS)
    store.close()
