"""One step per kind of dataset: build the request from the config and what is known
about the county, download, check, and return the bytes to write.

Steps run in endpoints-file order and fill in the ``County`` as they go: the
lookup gives its name and districts, the county boundary its envelope.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from assetmap.errors import DataError
from assetmap.formats.csv import data_csv_bytes
from assetmap.sources.fetch import arcgis, nomis, overpass, tables
from assetmap.sources.fetch.arcgis import Progress
from assetmap.sources.fetch.endpoints import (
    ArcGISDataset,
    CsvDataset,
    Endpoints,
    NomisDataset,
    OverpassDataset,
)
from assetmap.sources.fetch.http import Downloader, Request, Response

__all__ = ["County", "Download", "run_step"]

Box = tuple[float, float, float, float]


@dataclass
class County:
    """What the fetch knows about the county so far."""

    code: str
    name: str = ""
    districts: dict[str, str] = field(default_factory=dict)  # LAD code -> name
    envelope: Box | None = None

    def fill(self, template: str, **extra: str) -> str:
        return template.format(county=self.code, county_name=self.name, **extra)


@dataclass
class Download:
    """A file ready to write, with what the manifest says about it."""

    content: bytes
    count: int
    unit: str
    source_url: str
    selection: str
    responses: list[Response]


@dataclass
class StepContext:
    name: str
    county: County
    downloader: Downloader
    endpoints: Endpoints
    progress: Progress | None = None

    def hint(self, field_name: str) -> str:
        return f"check datasets.{self.name}.{field_name} in {self.endpoints.source_path}"


def run_step(dataset: Any, context: StepContext) -> Download:
    step: Callable[[Any, StepContext], Download] = _STEPS[type(dataset)]
    return step(dataset, context)


def _arcgis(dataset: ArcGISDataset, context: StepContext) -> Download:
    county = context.county
    url = arcgis.query_url(context.endpoints.arcgis_base_url, dataset.service, dataset.layer)
    hint = ("service names change with each boundary vintage: "
            + context.hint("service") + " against the ONS Open Geography Portal")
    code_field = dataset.code_field or ""
    if dataset.select in ("county_lookup", "county"):
        selection = [("where", f"{code_field} = '{county.code}'")]
        described = f"{code_field} = {county.code}"
    elif dataset.select == "districts":
        selection = [("where", arcgis.where_in(code_field, sorted(county.districts)))]
        described = f"{code_field} in the county's {len(county.districts)} districts"
    else:
        assert county.envelope is not None  # endpoints validation orders the steps
        selection = arcgis.envelope_params(county.envelope)
        described = ("intersects the county's envelope "
                     f"{', '.join(f'{v:.4f}' for v in county.envelope)} (lon/lat; includes "
                     "neighbouring areas)")
    geojson = dataset.file.endswith(".geojson")
    result = arcgis.query_all(context.downloader, url, selection, geojson=geojson,
                              page_size=dataset.page_size, hint=hint, progress=context.progress)
    rows = [feature.get("attributes") or feature.get("properties") or {}
            for feature in result.features]
    if dataset.select == "county_lookup":
        _learn_districts(dataset, context, rows)
    elif dataset.select == "county":
        county.envelope = _envelope(result.features, context)
    elif dataset.select == "districts":
        missing = sorted(set(county.districts) - {str(r.get(code_field)) for r in rows})
        if missing:
            raise DataError(
                f"{dataset.service}: no boundary for district(s) {', '.join(missing)}; the "
                f"boundary vintage may not match the lookup's: {context.hint('service')}"
            )
    if geojson:
        collection = {"type": "FeatureCollection", "features": result.features}
        content = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
    else:
        content = _rows_csv(rows)
    return Download(content, len(result.features), "features" if geojson else "rows",
                    result.request.full_url, described, result.responses)


def _learn_districts(dataset: ArcGISDataset, context: StepContext,
                     rows: list[dict[str, Any]]) -> None:
    county = context.county
    if not rows:
        raise DataError(
            f"no districts found for county {county.code} in {dataset.service}: check the code "
            f"(a county's GSS code, e.g. E10000018 for Leicestershire) or {context.hint('service')}"
        )
    code_field, name_field = dataset.district_field or "", dataset.district_name_field or ""
    for row in rows:
        county.districts[str(row.get(code_field))] = str(row.get(name_field))
    county.name = str(rows[0].get(dataset.county_name_field or "") or county.code)


def _envelope(features: list[dict[str, Any]], context: StepContext) -> Box:
    points = [p for f in features for p in _positions((f.get("geometry") or {}).get("coordinates"))]
    if not points:
        raise DataError(f"no boundary with geometry for county {context.county.code}: "
                        f"{context.hint('service')}")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _positions(coordinates: Any) -> Iterator[tuple[float, float]]:
    if isinstance(coordinates, list) and coordinates:
        if isinstance(coordinates[0], int | float):
            yield float(coordinates[0]), float(coordinates[1])
        else:
            for part in coordinates:
                yield from _positions(part)


def _rows_csv(rows: list[dict[str, Any]]) -> bytes:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return data_csv_bytes(columns, ([row.get(c) for c in columns] for row in rows))


def _nomis(dataset: NomisDataset, context: StepContext) -> Download:
    county = context.county
    url = f"{context.endpoints.nomis_base_url.rstrip('/')}/{dataset.dataset}.data.csv"
    if "{district}" in dataset.geography:
        geography = ",".join(county.fill(dataset.geography, district=code)
                             for code in sorted(county.districts))
    else:
        geography = county.fill(dataset.geography)
    params = [("geography", geography), *((k, str(v)) for k, v in dataset.params.items())]
    hint = context.hint("geography") + " and its params against the Nomis dataset"
    table = nomis.fetch_table(context.downloader, url, params, page_size=dataset.page_size,
                              hint=hint, progress=context.progress)
    selection = f"geography {geography}"
    if dataset.pivot_code_column:
        content, count = nomis.pivot(table, dataset.pivot_code_column, hint=hint)
        return Download(content, count, "areas", table.request.full_url,
                        f"{selection}; {len(table.rows):,} Nomis rows, one row per area",
                        table.responses)
    return Download(table.to_csv(), len(table.rows), "rows", table.request.full_url, selection,
                    table.responses)


def _csv(dataset: CsvDataset, context: StepContext) -> Download:
    county = context.county
    response = context.downloader.fetch(Request(dataset.url), tables.checker(dataset.url))
    keep: Callable[[str], bool] | None = None
    wanted = ""
    if dataset.filter_districts:
        codes = set(county.districts)
        keep, wanted = codes.__contains__, "one of " + ", ".join(sorted(codes))
    elif dataset.filter_equals:
        target = county.fill(dataset.filter_equals)
        keep, wanted = target.__eq__, repr(target)
    content, count = tables.filter_rows(response.content, url=dataset.url,
                                        column=dataset.filter_column, keep=keep, wanted=wanted)
    if context.progress is not None:
        context.progress.update(count)
    selection = f"{dataset.filter_column} is {wanted}" if keep else "the whole file"
    return Download(content, count, "rows", dataset.url, selection, [response])


def _overpass(dataset: OverpassDataset, context: StepContext) -> Download:
    area = context.county.fill(dataset.area)
    query = overpass.build_query(area, dataset.filters, dataset.timeout_s)
    request = Request(dataset.url, data=[("data", query)], method="POST")
    response = context.downloader.fetch(request, overpass.checker(dataset.url, context.hint("url")))
    collection = overpass.to_geojson(json.loads(response.content))
    count = len(collection["features"])
    if not count:
        raise DataError(
            f"{dataset.url}: OpenStreetMap has nothing matching in area{area}; does the county's "
            f"boundary relation carry these tags? {context.hint('area')}"
        )
    if context.progress is not None:
        context.progress.update(count)
    # The same query as a GET URL, so the manifest's source can be replayed as it stands.
    source_url = str(httpx.URL(dataset.url, params={"data": query}))
    content = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
    return Download(content, count, "features", source_url, f"area{area}", [response])


_STEPS: dict[type, Callable[[Any, StepContext], Download]] = {
    ArcGISDataset: _arcgis, NomisDataset: _nomis, CsvDataset: _csv, OverpassDataset: _overpass,
}
