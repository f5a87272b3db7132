"""The directory as HSDS-UK 3.0 documents: each one valid by the profile's schemas, with what
a consumer needs (who runs it, when, where, what it costs, what it is)."""

from __future__ import annotations

import pytest

from assetmap.errors import NotFound, ValidationFailed
from assetmap.oruk import Directory, ProfileSchemas, ServiceQuery, oruk_id

ASHBY = (452_000.0, 305_050.0)  # 50 m from Ashby Village Hall, 5 km from Beeby Church Hall


def _names(page: dict[str, object]) -> list[str]:
    contents = page["contents"]
    assert isinstance(contents, list)
    return [item["name"] for item in contents]


def test_every_document_follows_the_profile(directory: Directory,
                                            schemas: ProfileSchemas) -> None:
    services = directory.services(ServiceQuery())
    assert schemas.problems("service_list", services) == []
    assert schemas.problems("service_list", directory.services(ServiceQuery(origin=ASHBY))) == []
    for item in services["contents"]:
        full = directory.service(item["id"])
        assert schemas.problems("service", full) == []
        for phone in full["phones"]:
            assert schemas.problems("phone", phone) == []
    organizations = directory.organizations(1, 50)
    assert schemas.problems("organization_list", organizations) == []
    for item in organizations["contents"]:
        assert schemas.problems("organization", directory.organization(item["id"])) == []
    taxonomies = directory.taxonomies(1, 50)
    assert schemas.problems("taxonomy_list", taxonomies) == []
    for item in taxonomies["contents"]:
        assert schemas.problems("taxonomy", directory.taxonomy(item["id"])) == []
    terms = directory.taxonomy_terms(1, 500)
    assert schemas.problems("taxonomy_term_list", terms) == []
    assert all(schemas.problems("taxonomy_term", directory.taxonomy_term(t["id"])) == []
               for t in terms["contents"])


def test_a_service_is_fully_nested(directory: Directory) -> None:
    lunch = directory.service(oruk_id("service", "act-lunch"))
    assert lunch["name"] == "Tuesday lunch club" and lunch["status"] == "active"
    assert lunch["description"] == "Lunch club at Ashby Village Hall."
    assert lunch["minimum_age"] == 60 and lunch["assured_date"] == "2026-10-01"
    assert lunch["organization"]["name"] == "Ashby Friends"
    assert lunch["organization_id"] == oruk_id("organization", "org-friends")
    [schedule] = lunch["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY", "TU", "12:00:00", "14:00:00")
    [link] = lunch["service_at_locations"]
    location = link["location"]
    assert link["location_id"] == location["id"] == oruk_id("location", "A1")
    assert (location["latitude"], location["longitude"]) == (52.62, -1.3)
    [address] = location["addresses"]
    assert (address["address_1"], address["city"], address["postal_code"],
            address["state_province"]) == ("1 Main St", "Ashby Parva", "LZ1 1AA", "Tinyshire")
    assert [a["description"] for a in location["accessibility"]] == [
        "Step-free access", "hearing loop"]
    assert lunch["phones"][0]["number"] == "0116 496 0000"
    [contact] = lunch["contacts"]
    assert contact["name"] == "Ashby Friends" and contact["email"] == "friends@example.org"
    assert contact["phones"][0]["number"] == "0116 496 0000"
    [cost] = lunch["cost_options"]
    assert (cost["amount"], cost["amount_description"]) == (3.5, "£3.50 a meal")
    terms = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["name"],
              a["taxonomy_term"]["description"] != "") for a in lunch["attributes"]}
    assert terms == {("activity_category", "Lunch club", True),
                     ("audience", "Older people", True)}


def test_what_hsds_cannot_pattern_is_published_as_its_text(directory: Directory) -> None:
    warm = directory.service(oruk_id("service", "act-warm"))
    assert warm["status"] == "defunct"  # ended: a consumer that copied it takes it down
    assert warm["schedules"] == [{"id": warm["schedules"][0]["id"],
                                  "service_id": warm["id"],
                                  "description": "Mo-Fr 10:00-16:00; PH off"}]
    toddlers = directory.service(oruk_id("service", "act-toddlers"))
    assert toddlers["status"] == "temporarily closed"
    assert toddlers["schedules"][0]["byday"] == "1MO"
    assert toddlers["cost_options"][0]["amount"] == 0
    # A9 is not in the register: the service keeps the place it has.
    assert [s["location"]["name"] for s in toddlers["service_at_locations"]] == [
        "Beeby Church Hall"]


def test_by_postcode_nearest_first_within_proximity(directory: Directory) -> None:
    near = directory.services(ServiceQuery(origin=ASHBY, proximity_m=1_000))
    assert _names(near) == ["Tuesday lunch club"]
    assert near["contents"][0]["distance"] == 50.0
    everything = directory.services(ServiceQuery(origin=ASHBY))
    assert _names(everything) == ["Tuesday lunch club", "Little Steps", "Warm welcome"]


def test_search_and_filters(directory: Directory) -> None:
    assert _names(directory.services(ServiceQuery(search="toddler"))) == ["Little Steps"]
    assert _names(directory.services(ServiceQuery(search="Beeby songs"))) == ["Little Steps"]
    assert _names(directory.services(ServiceQuery(search="cafe"))) == []
    lunch_term = oruk_id("taxonomy_term", "activity_category", "lunch_club")
    by_term = directory.services(ServiceQuery(taxonomy_term_id=lunch_term))
    assert _names(by_term) == ["Tuesday lunch club"]
    assert _names(directory.services(ServiceQuery(taxonomy_term_id="families"))) == [
        "Little Steps"]
    audiences = oruk_id("taxonomy", "audience")
    assert _names(directory.services(ServiceQuery(taxonomy_id=audiences))) == [
        "Little Steps", "Tuesday lunch club"]
    parish = oruk_id("organization", "org-parish")
    assert _names(directory.services(ServiceQuery(organization_id=parish))) == ["Little Steps"]


@pytest.mark.parametrize("query", [ServiceQuery(taxonomy_term_id="knitting"),
                                   ServiceQuery(taxonomy_id="colours")])
def test_an_unknown_filter_value_is_refused_not_silently_empty(
        directory: Directory, query: ServiceQuery) -> None:
    with pytest.raises(ValidationFailed, match="/oruk/taxonom"):
        directory.services(query)


def test_pages(directory: Directory) -> None:
    pages = [directory.services(ServiceQuery(per_page=2, page=p)) for p in (1, 2, 3)]
    assert [p["size"] for p in pages] == [2, 1, 0]
    assert [(p["first_page"], p["last_page"], p["empty"]) for p in pages] == [
        (True, False, False), (False, True, False), (False, True, True)]
    assert {p["total_items"] for p in pages} == {3} and {p["total_pages"] for p in pages} == {2}


def test_organisations_taxonomies_and_terms(directory: Directory) -> None:
    friends = directory.organization(oruk_id("organization", "org-friends"))
    assert [s["name"] for s in friends["services"]] == ["Tuesday lunch club"]
    assert friends["organization_identifiers"][0]["identifier_scheme"] == "GB-CHC"
    assert friends["organization_identifiers"][0]["identifier"] == "1234567"
    parish = directory.organization(oruk_id("organization", "org-parish"))
    assert parish["description"] == "Parish council."  # required: said when it says nothing
    assert _names(directory.taxonomies(1, 10)) == ["Activity categories", "Audiences"]
    categories = directory.taxonomy(oruk_id("taxonomy", "activity_category"))
    assert "Dementia café" in [t["name"] for t in categories["taxonomy_terms"]]
    audiences = directory.taxonomy_terms(1, 100, oruk_id("taxonomy", "audience"))
    assert "Carers" in _names(audiences)
    assert all(t["taxonomy"] == "audience" for t in audiences["contents"])


@pytest.mark.parametrize("method", ["service", "organization", "taxonomy", "taxonomy_term"])
def test_unknown_ids_are_not_found(directory: Directory, method: str) -> None:
    with pytest.raises(NotFound, match="for the ids"):
        getattr(directory, method)("00000000-0000-0000-0000-000000000000")
