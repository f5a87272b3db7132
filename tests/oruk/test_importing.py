"""``assetmap import oruk`` planning and writing: the profile's example mapped into the register
(organisation, activity, place), matched to what the register holds, all or nothing, audited;
on both backends."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.crs import metric_to_lonlat
from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog, load_catalog
from assetmap.oruk.feed import Feed, FeedService
from assetmap.oruk.importing import OrukOptions, OrukPlan, apply_oruk, plan_oruk
from assetmap.register.audit import AUDIT_TABLE
from assetmap.store import Store, open_store
from tests.oruk.conftest import example

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
LOCATION_ID = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


@pytest.fixture
def catalog() -> LayerCatalog:
    return load_catalog(PROJECT_ROOT / "layers")


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


def _feed(*services: dict[str, Any]) -> Feed:
    return Feed("feed.json", [FeedService(f"feed.json [{n}]", s) for n, s in enumerate(services)])


def _in_the_county(name: str = "MyCity Civic Center", postcode: str = "LZ1 9ZZ",
                   xy: tuple[float, float] = (453_500, 306_500)) -> dict[str, Any]:
    """The profile's example service, its place moved into the tiny county."""
    service: dict[str, Any] = copy.deepcopy(example("service_full.json"))
    location = service["service_at_locations"][0]["location"]
    location["longitude"], location["latitude"] = metric_to_lonlat(*xy)
    location["name"] = name
    location["addresses"][0]["postal_code"] = postcode
    return service


def _rows(store: Store, catalog: LayerCatalog, layer: str) -> dict[str, dict[str, Any]]:
    frame = store.read(catalog[layer])
    return {str(r["id"]): r for r in frame.drop(columns=frame.geometry.name).to_dict("records")}


def _counts(plan: OrukPlan) -> dict[str, tuple[int, int, int]]:
    return {p.layer.name: (len(p.creates), len(p.updates), len(p.unchanged)) for p in plan.plans}


def test_the_profiles_example_outside_the_county_writes_nothing(
        store: Store, catalog: LayerCatalog) -> None:
    feed = _feed(example("service_full.json"))  # latitude 100, longitude 101
    plan = plan_oruk(store, catalog, feed, OrukOptions("mental_wellbeing", "community_centre"))
    assert plan.ok and _counts(plan) == {"assets": (0, 0, 0)}
    lines = [p.line() for p in plan.warnings]
    assert lines == [
        "location 'MyCity Civic Center': longitude/latitude = '101, 100': are not degrees: they "
        "look like British National Grid metres; left out — fix: give longitude/latitude",
        "feed.json [0] (Community Counselling): service_at_locations: runs at no place in the "
        "county the register can use; skipped — fix: check where the feed says it runs",
    ]


def test_a_service_becomes_an_activity_with_its_organisation_and_place(
        store: Store, catalog: LayerCatalog) -> None:
    before = _rows(store, catalog, "activities")
    plan = plan_oruk(store, catalog, _feed(_in_the_county()),
                     OrukOptions("mental_wellbeing", "community_centre"))
    assert plan.ok, [p.line() for p in plan.errors]
    assert _counts(plan) == {"assets": (1, 0, 0), "organisations": (1, 0, 0),
                             "activities": (1, 0, 0)}
    results = apply_oruk(store, plan, "cli:tester")
    assert [r.created for r in results] == [1, 1, 1]
    activity = _rows(store, catalog, "activities")[f"oruk-{SERVICE_ID}"]
    assert activity["name"] == "Community Counselling"
    assert activity["category"] == "mental_wellbeing"
    assert activity["schedule"] == "Th,Fr 10:00-18:00"
    assert activity["cost"] == "£35.00 per 1 hour session"
    assert (activity["age_min"], activity["age_max"]) == (12, 100)
    assert activity["organisation_id"] == f"oruk-{ORG_ID}"
    assert activity["asset_ids"] == f"oruk-{LOCATION_ID}"
    assert activity["status"] == "active" and activity["website"] == "http://example.com/counselling"
    org = _rows(store, catalog, "organisations")[f"oruk-{ORG_ID}"]
    assert (org["name"], org["company_number"]) == ("Example Organization Inc.", "1234567")
    place = _rows(store, catalog, "assets")[f"oruk-{LOCATION_ID}"]
    assert (place["name"], place["category"], place["postcode"]) == (
        "MyCity Civic Center", "community_centre", "LZ1 9ZZ")
    assert place["district_code"] == "E07999001"  # placed by the register's own rules
    audit = store.records(AUDIT_TABLE)
    assert {(r["action"], r["layer"], r["actor"]) for r in audit
            if str(r["feature_id"]).startswith("oruk-")} == {
        ("import", layer, "cli:tester") for layer in ("assets", "organisations", "activities")}
    assert set(_rows(store, catalog, "activities")) - set(before) == {f"oruk-{SERVICE_ID}"}
    again = plan_oruk(store, catalog, _feed(_in_the_county()),
                      OrukOptions("mental_wellbeing", "community_centre"))
    assert _counts(again) == {"activities": (0, 0, 1)}  # the place and the group are known now


def test_a_place_the_register_holds_is_linked_not_added(store: Store,
                                                        catalog: LayerCatalog) -> None:
    service = _in_the_county("Ashby Village Hall", "LZ1 1AA", (452_300, 305_300))
    plan = plan_oruk(store, catalog, _feed(service), OrukOptions("mental_wellbeing"))
    assert plan.linked == 1 and _counts(plan) == {"organisations": (1, 0, 0),
                                                  "activities": (1, 0, 0)}
    assert plan.plans[-1].creates[0].properties["asset_ids"] == "A1"


def test_without_new_places_an_unknown_place_is_named_and_its_service_skipped(
        store: Store, catalog: LayerCatalog) -> None:
    plan = plan_oruk(store, catalog, _feed(_in_the_county()), OrukOptions("mental_wellbeing"))
    assert plan.plans == []
    assert [p.problem for p in plan.warnings] == [
        "is not in the register", "runs at no place in the county the register can use; "
                                  "skipped"]
    assert "--new-places" in plan.warnings[0].fix


def test_a_service_of_no_known_category_is_an_error_and_nothing_is_written(
        store: Store, catalog: LayerCatalog) -> None:
    plan = plan_oruk(store, catalog, _feed(_in_the_county()),
                     OrukOptions(None, "community_centre"))
    assert not plan.ok
    [error] = plan.errors
    assert (error.where, error.field) == ("feed.json [0] (Community Counselling)", "category")
    assert "--category" in error.fix
    assets_before = set(_rows(store, catalog, "assets"))
    with pytest.raises(ValidationFailed, match="nothing was written"):
        apply_oruk(store, plan, "cli:tester")
    assert set(_rows(store, catalog, "assets")) == assets_before  # not even the new place


def test_terms_naming_the_registers_categories_and_audiences_are_used(
        store: Store, catalog: LayerCatalog) -> None:
    service = _in_the_county()
    term = service["attributes"][0]["taxonomy_term"]
    term.update(name="Dementia café", term="dementia_cafe")
    service["attributes"].append({"id": "6f4b3d9e-1c55-4b7e-9d8e-2f9a4f1d1a11",
                                  "taxonomy_term": {**term, "name": "Carers", "term": "carers"}})
    plan = plan_oruk(store, catalog, _feed(service), OrukOptions(None, "community_centre"))
    activity = plan.plans[-1].creates[0].properties
    assert (activity["category"], activity["audience"]) == ("dementia_cafe", "carers")


def test_our_own_feed_reads_back_into_the_register(store_location: str, store: Store,
                                                   catalog: LayerCatalog) -> None:
    """What /oruk publishes, imported: the register's activities are recognised; once they
    are gone, they come back with their category, audience, schedule, places and group."""
    with TestClient(create_app(Settings(store=store_location))) as client:
        listed = client.get("/oruk/services").json()["contents"]
        published = [client.get(f"/oruk/services/{s['id']}").json() for s in listed]
    feed = _feed(*published)
    plan = plan_oruk(store, catalog, feed)
    assert plan.plans == [] and sorted(p.problem for p in plan.warnings) == [
        f"is already in the register as activity {i}; left as it is"
        for i in ("AC1", "AC2", "AC3", "AC4")]
    original = _rows(store, catalog, "activities")
    with store.transaction() as tx:
        for activity_id in original:
            tx.delete(catalog["activities"], activity_id)
    plan = plan_oruk(store, catalog, feed)
    assert plan.ok and plan.linked == 4 and _counts(plan) == {"activities": (4, 0, 0)}
    apply_oruk(store, plan, "cli:tester")
    back = {str(a["name"]): a for a in _rows(store, catalog, "activities").values()}
    for before in original.values():
        after = back[str(before["name"])]
        for name in ("category", "audience", "asset_ids", "organisation_id", "status", "cost"):
            assert after[name] == before[name], name
    assert back["Friendship Lunch"]["schedule"] == "We 12:00-14:00"
    assert back["Memory Café"]["schedule"] == "Th[2] 14:00-16:00"
    # HSDS cannot pattern "; PH off": published as its text, read back from it.
    assert back["Stay and Play"]["schedule"] == "Tu 09:30-11:30; PH off"
