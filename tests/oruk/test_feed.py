"""Reading another directory's feed: files of the profile's examples, an API through a mock
transport; the first document that breaks the profile stops the read, with JSON paths."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from assetmap.errors import ValidationFailed
from assetmap.oruk import ProfileSchemas
from assetmap.oruk.feed import Feed, FeedRejected, read_feed
from tests.oruk.conftest import example, example_path

BASE = "https://directory.example.org/api"


def _read(source: str, schemas: ProfileSchemas, client: httpx.Client | None = None) -> Feed:
    return read_feed(source, schemas, max_bytes=1_000_000, max_services=100, client=client)


@pytest.mark.parametrize(
    ("name", "where"),
    [("service_full.json", "service_full.json"),
     ("service_list.json", "service_list.json contents[0]"),
     ("organization_full.json", "organization_full.json services[0]")],
)
def test_the_profiles_example_files_are_read(schemas: ProfileSchemas, name: str,
                                             where: str) -> None:
    feed = _read(str(example_path(name)), schemas)
    assert [s.where for s in feed.services] == [where]
    service = feed.services[0].body
    assert service["name"] == "Community Counselling"
    assert service["organization"]["name"] == "Example Organization Inc."


def test_a_file_that_breaks_the_profile_is_refused_with_json_paths(
        schemas: ProfileSchemas, tmp_path: Path) -> None:
    broken = copy.deepcopy(example("service_full.json"))
    broken["schedules"][0]["freq"] = "DAILY"
    broken["organization"]["id"] = "org-1"
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([example("service_full.json"), broken]), encoding="utf-8")
    with pytest.raises(FeedRejected) as caught:
        _read(str(path), schemas)
    assert caught.value.where == "feed.json [1]"
    assert [p.path for p in caught.value.problems] == ["$.organization.id",
                                                       "$.schedules[0].freq"]
    assert "feed.json [1] $.organization.id: 'org-1' is not a 'uuid'" in caught.value.message
    assert "nothing was imported" in caught.value.message


@pytest.mark.parametrize(("content", "mentions"), [
    ("{not json", "is not JSON"), ('{"name": "x"}', "'id' is a required property")])
def test_files_that_are_not_a_feed(schemas: ProfileSchemas, tmp_path: Path, content: str,
                                   mentions: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationFailed, match=mentions):
        _read(str(path), schemas)


def test_too_many_services_are_refused(schemas: ProfileSchemas, tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps([example("service_full.json")] * 3), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="more than 2 services"):
        read_feed(str(path), schemas, max_bytes=1_000_000, max_services=2)


def _service(n: int) -> dict[str, Any]:
    service: dict[str, Any] = copy.deepcopy(example("service_full.json"))
    service["id"] = f"00000000-0000-4000-8000-00000000000{n}"
    service["name"] = f"Service {n}"
    return service


def _api(services: list[dict[str, Any]], *, per_page: int = 2, pages: bool = True,
         broken: str | None = None) -> httpx.Client:
    """An ORUK API over ``services``; ``broken``: the id whose full document lacks a name."""
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        path = request.url.path.removeprefix("/api")
        if path == "/":
            return httpx.Response(200, json={"version": "HSDS-UK-3.0"})
        if path == "/services":
            page = int(request.url.params.get("page", "1")) if pages else 1
            chunk = services[(page - 1) * per_page : page * per_page]
            total_pages = max(1, -(-len(services) // per_page))
            listed = [{k: v for k, v in s.items() if k in ("id", "name", "status")}
                      for s in chunk]
            return httpx.Response(200, json={
                "total_items": len(services), "total_pages": total_pages, "page_number": page,
                "size": len(chunk), "first_page": page == 1, "last_page": page >= total_pages,
                "empty": not chunk, "contents": listed})
        for service in services:
            if path == f"/services/{service['id']}":
                body = {k: v for k, v in service.items() if k != "name" or service["id"] != broken}
                return httpx.Response(200, json=body)
        return httpx.Response(404, json={"error": "not found"})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    client.asked = asked  # type: ignore[attr-defined]
    return client


def test_an_api_is_read_page_by_page_each_service_whole(schemas: ProfileSchemas) -> None:
    client = _api([_service(n) for n in range(1, 4)])
    feed = _read(BASE + "/", schemas, client)
    assert feed.version == "HSDS-UK-3.0" and feed.source == BASE
    assert [s.body["name"] for s in feed.services] == ["Service 1", "Service 2", "Service 3"]
    assert feed.services[0].where == f"{BASE}/services/00000000-0000-4000-8000-000000000001"
    assert feed.services[0].body["schedules"][0]["byday"] == "TH,FR"  # the full document
    assert sum("/services?" in url for url in client.asked) == 2  # type: ignore[attr-defined]


def test_an_api_service_that_breaks_the_profile_stops_the_read(schemas: ProfileSchemas) -> None:
    bad = "00000000-0000-4000-8000-000000000002"
    client = _api([_service(n) for n in range(1, 4)], broken=bad)
    with pytest.raises(FeedRejected) as caught:
        _read(BASE + "/services", schemas, client)
    assert caught.value.where == f"{BASE}/services/{bad}"
    assert [p.line() for p in caught.value.problems] == ["$: 'name' is a required property"]


def test_an_api_that_ignores_page_is_not_read_for_ever(schemas: ProfileSchemas) -> None:
    client = _api([_service(n) for n in range(1, 4)], pages=False)
    with pytest.raises(ValidationFailed, match="again; nothing was imported"):
        _read(BASE, schemas, client)


def test_an_address_that_is_not_an_api(schemas: ProfileSchemas) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(404)))
    with pytest.raises(ValidationFailed, match=r"answered 404.*base URL"):
        _read("https://example.org/nothing", schemas, client)
