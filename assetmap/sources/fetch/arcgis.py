"""ArcGIS REST feature-service queries (the ONS Open Geography Portal), paged.

A query is first counted (``returnCountOnly``), then read page by page with
``resultOffset``/``resultRecordCount`` until the server stops saying
``exceededTransferLimit``; the count then proves no page was lost. ArcGIS
reports errors as JSON with HTTP 200, so every body is checked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assetmap.sources.fetch.errors import FetchError, RetryableResponse
from assetmap.sources.fetch.http import Check, Downloader, Request, Response

__all__ = ["Progress", "QueryResult", "envelope_params", "query_all", "query_url", "where_in"]

_MAX_PAGES = 1000
_RETRYABLE_CODES = frozenset({429, 500, 502, 503, 504})


class Progress(Protocol):
    def update(self, n: float | None = 1) -> bool | None: ...


@dataclass
class QueryResult:
    features: list[dict[str, Any]]
    request: Request  # the query without paging, for the manifest
    responses: list[Response] = field(default_factory=list)


def query_url(base_url: str, service: str, layer: int = 0) -> str:
    return f"{base_url.rstrip('/')}/{service}/FeatureServer/{layer}/query"


def where_in(field_name: str, codes: Sequence[str]) -> str:
    quoted = ",".join("'" + code.replace("'", "''") + "'" for code in codes)
    return f"{field_name} IN ({quoted})"


def envelope_params(box: tuple[float, float, float, float]) -> list[tuple[str, str]]:
    """Features intersecting a lon/lat box (EPSG:4326)."""
    return [("where", "1=1"), ("geometry", ",".join(f"{v:.6f}" for v in box)),
            ("geometryType", "esriGeometryEnvelope"), ("inSR", "4326"),
            ("spatialRel", "esriSpatialRelIntersects")]


def query_all(
    downloader: Downloader, url: str, selection: Sequence[tuple[str, str]], *, geojson: bool,
    page_size: int, hint: str, progress: Progress | None = None,
) -> QueryResult:
    """Every feature matching ``selection``: GeoJSON features, or ``{"attributes": …}`` rows."""
    shape = [("outFields", "*"), ("returnGeometry", "true" if geojson else "false")]
    if geojson:
        shape += [("outSR", "4326"), ("f", "geojson")]
    else:
        shape += [("f", "json")]
    check = _checker(url, hint)
    counted = downloader.fetch(
        Request(url, [*selection, ("returnCountOnly", "true"), ("f", "json")]), check
    )
    expected = json.loads(counted.content).get("count")
    result = QueryResult([], Request(url, [*selection, *shape]), [counted])
    seen: set[object] = set()
    offset = 0
    for _ in range(_MAX_PAGES):
        page = Request(url, [*selection, *shape, ("resultOffset", str(offset)),
                             ("resultRecordCount", str(page_size))])
        response = downloader.fetch(page, check)
        result.responses.append(response)
        payload = json.loads(response.content)
        batch = payload.get("features") or []
        for feature in batch:
            key = feature.get("id")  # GeoJSON features carry the object id; guard overlaps
            if key is None or key not in seen:
                result.features.append(feature)
                seen.add(key)
        if progress is not None:
            progress.update(len(batch))
        if not _exceeded(payload):
            break
        # Advance by what came back (the server may cap below page_size); an empty page
        # that still says "exceeded" happens too, so step over it rather than loop.
        offset += len(batch) or page_size
    else:
        raise FetchError(f"{url}: still paging after {_MAX_PAGES} pages; {hint}")
    if isinstance(expected, int) and len(result.features) != expected:
        raise FetchError(
            f"{url}: counted {expected:,} features but the pages held {len(result.features):,}; "
            "the layer may have changed while paging: run again with --refresh"
        )
    return result


def _exceeded(payload: dict[str, Any]) -> bool:
    # f=json puts the flag at the top; f=geojson puts it in the collection's properties.
    properties = payload.get("properties") or {}
    return bool(payload.get("exceededTransferLimit") or properties.get("exceededTransferLimit"))


def _checker(url: str, hint: str) -> Check:
    def check(content: bytes) -> None:
        try:
            payload = json.loads(content)
        except ValueError as exc:
            raise FetchError(f"{url}: the answer is not JSON ({content[:80]!r}…); {hint}") from exc
        if not isinstance(payload, dict):
            raise FetchError(f"{url}: expected a JSON object, got {type(payload).__name__}; {hint}")
        error = payload.get("error")
        if error is None:
            return
        code = error.get("code") if isinstance(error, dict) else None
        message = error.get("message", error) if isinstance(error, dict) else error
        details = "; ".join(str(d) for d in (error.get("details") or [])
                            if d != message) if isinstance(error, dict) else ""
        text = f"{code} {message}" + (f" ({details})" if details else "")
        if code in _RETRYABLE_CODES:
            raise RetryableResponse(f"ArcGIS error {text}")
        raise FetchError(f"{url}: the ArcGIS server answered with an error: {text}; {hint}")

    return check
