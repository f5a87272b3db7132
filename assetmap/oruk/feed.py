"""Read another directory's Open Referral UK feed: a file, or an API's ``/services`` pages.

A file may hold one service (``service_full.json``), a list of them, a page of the
paginated API (``{"contents": [...]}``) or an organisation with its ``services``. A URL
is the API's base: its ``/services`` pages are read in turn and each service is then
read whole from ``/services/{id}`` (list items carry one-to-one fields only).

Every document is checked against the profile's schemas as it is read; the first that
fails stops the read with its problems and their JSON paths (:class:`FeedRejected`), so
nothing of a broken feed reaches the register.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from assetmap.errors import ValidationFailed
from assetmap.oruk.schemas import DocumentKind, ProfileSchemas, SchemaProblem

__all__ = ["Feed", "FeedRejected", "FeedService", "read_feed"]

_PER_PAGE = 100
_TIMEOUT_S = 30.0


class FeedRejected(ValidationFailed):
    """The feed breaks the profile: the first failing document's problems, with paths."""

    def __init__(self, where: str, problems: list[SchemaProblem]) -> None:
        lines = "\n".join(f"  {where} {p.line()}" for p in problems)
        super().__init__(
            f"{where} does not follow the Open Referral UK 3.0 schemas; nothing was imported. "
            f"First problems:\n{lines}",
            details=[{"where": where, **p.as_dict()} for p in problems],
        )
        self.where = where
        self.problems = problems


@dataclass(frozen=True)
class FeedService:
    """One service as read, fully nested, and where it came from (for messages)."""

    where: str  # "service_full.json", "https://…/services/<id>", "feed.json services[3]"
    body: dict[str, Any]


@dataclass
class Feed:
    source: str
    services: list[FeedService] = field(default_factory=list)
    version: str | None = None  # what the API's root says, when it is an API


def _checked(schemas: ProfileSchemas, kind: DocumentKind, where: str, body: Any) -> None:
    problems = schemas.problems(kind, body)
    if problems:
        raise FeedRejected(where, problems)


def _file_services(name: str, body: Any, schemas: ProfileSchemas) -> Iterator[FeedService]:
    if isinstance(body, list):
        for n, item in enumerate(body):
            _checked(schemas, "service", f"{name} [{n}]", item)
            yield FeedService(f"{name} [{n}]", item)
    elif isinstance(body, dict) and "contents" in body:
        _checked(schemas, "service_list", name, body)
        for n, item in enumerate(body["contents"]):
            _checked(schemas, "service", f"{name} contents[{n}]", item)
            yield FeedService(f"{name} contents[{n}]", item)
    elif isinstance(body, dict) and "services" in body and "status" not in body:
        _checked(schemas, "organization", name, body)
        parent = {k: v for k, v in body.items() if k != "services"}
        for n, item in enumerate(body["services"]):
            yield FeedService(f"{name} services[{n}]", {"organization": parent, **item})
    else:
        _checked(schemas, "service", name, body)
        yield FeedService(name, body)


def read_feed_file(path: Path, schemas: ProfileSchemas, *, max_bytes: int,
                   max_services: int) -> Feed:
    if path.stat().st_size > max_bytes:
        raise ValidationFailed(f"{path.name} is larger than {max_bytes:,} bytes; nothing was "
                               "imported (raise ASSETMAP_IMPORT_MAX_BYTES to allow it)")
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(f"{path.name} is not JSON ({exc}); an Open Referral UK file "
                               "holds a service, a list of them or a page of /services") from exc
    feed = Feed(path.name)
    for found in _file_services(path.name, body, schemas):
        feed.services.append(found)
        _check_count(feed, max_services)
    return feed


def _check_count(feed: Feed, max_services: int) -> None:
    if len(feed.services) > max_services:
        raise ValidationFailed(f"{feed.source} lists more than {max_services:,} services; "
                               "nothing was imported (raise ASSETMAP_IMPORT_MAX_ROWS)")


def _get(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> Any:
    try:
        response = client.get(url, params=params, timeout=_TIMEOUT_S)
    except httpx.HTTPError as exc:
        raise ValidationFailed(f"{url}: could not be read ({exc}); nothing was imported") from exc
    if response.status_code != 200:
        raise ValidationFailed(f"{response.url}: answered {response.status_code}, not 200; "
                               "nothing was imported. Is this the base URL of an Open "
                               "Referral UK API (the address before /services)?")
    try:
        return response.json()
    except ValueError as exc:
        raise ValidationFailed(f"{response.url}: did not answer JSON; nothing was imported"
                               ) from exc


def _root_version(client: httpx.Client, base: str, schemas: ProfileSchemas) -> str | None:
    """What ``GET /`` says (the validator reads it to choose a profile); None if it is silent."""
    try:
        response = client.get(base + "/", timeout=_TIMEOUT_S)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    _checked(schemas, "root", f"{base}/", body)
    version = body.get("version") if isinstance(body, dict) else None
    if isinstance(version, str) and "3" not in version:
        raise ValidationFailed(f"{base}/ says it follows {version!r}; assetmap reads Open "
                               "Referral UK 3.0 (HSDS-UK-3.0) feeds only. Nothing was imported.")
    return version if isinstance(version, str) else None


def read_feed_url(url: str, schemas: ProfileSchemas, client: httpx.Client, *,
                  max_services: int) -> Feed:
    base = url.rstrip("/").removesuffix("/services")
    feed = Feed(base, version=_root_version(client, base, schemas))
    page, seen = 1, set()
    while True:
        where = f"{base}/services?page={page}"
        body = _get(client, f"{base}/services", {"page": page, "per_page": _PER_PAGE})
        _checked(schemas, "service_list", where, body)
        for item in body["contents"]:
            if item["id"] in seen:  # an API that ignores ?page= would loop for ever
                raise ValidationFailed(f"{where}: lists service {item['id']} again; nothing "
                                       "was imported. Does the API page its results?")
            seen.add(item["id"])
            item_url = f"{base}/services/{quote(str(item['id']), safe='')}"
            full = _get(client, item_url)
            _checked(schemas, "service", item_url, full)
            feed.services.append(FeedService(item_url, full))
            _check_count(feed, max_services)
        if body["last_page"] or body["empty"] or page >= body["total_pages"]:
            return feed
        page += 1


def read_feed(source: str, schemas: ProfileSchemas, *, max_bytes: int, max_services: int,
              client: httpx.Client | None = None) -> Feed:
    """The feed's services, every document checked against the profile first."""
    if source.startswith(("http://", "https://")):
        if client is not None:
            return read_feed_url(source, schemas, client, max_services=max_services)
        with httpx.Client(follow_redirects=True) as http:
            return read_feed_url(source, schemas, http, max_services=max_services)
    path = Path(source)
    if not path.is_file():
        raise ValidationFailed(f"{source}: no such file (give a JSON file or an http(s) URL)")
    return read_feed_file(path, schemas, max_bytes=max_bytes, max_services=max_services)
