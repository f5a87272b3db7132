"""``fetch_county``: download every dataset for a county into a folder, with a manifest.

Everything is written to a staging folder first and moved into ``out`` only
when every dataset has been downloaded and checked, ``manifest.json`` last. The
manifest lists each file with its source URL, retrieval time, licence,
attribution and feature/row count, for the importers and for the record.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import time
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import httpx
from tqdm import tqdm

from assetmap import __version__
from assetmap.errors import ValidationFailed
from assetmap.formats.files import Staging
from assetmap.sources.fetch.cache import ResponseCache
from assetmap.sources.fetch.endpoints import Endpoints, load_endpoints
from assetmap.sources.fetch.http import Downloader, RetryPolicy
from assetmap.sources.fetch.steps import County, StepContext, run_step

__all__ = ["MANIFEST", "FetchSummary", "FetchedFile", "fetch_county"]

MANIFEST = "manifest.json"
_GSS = re.compile(r"^[EWSN]\d{8}$")


@dataclass(frozen=True)
class FetchedFile:
    """One manifest entry."""

    dataset: str
    title: str
    path: str
    format: str
    count: int
    count_unit: str
    selection: str
    source: str
    source_url: str
    retrieved_at: str
    requests: int
    from_cache: bool
    licence: str
    attribution: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class FetchSummary:
    out: Path
    county: County
    files: list[FetchedFile]
    network_requests: int

    @property
    def attribution(self) -> list[str]:
        return list(dict.fromkeys(f.attribution for f in self.files))

    def lines(self, import_kinds: Collection[str] = ()) -> list[str]:
        """What to print: each file, the totals, the attribution, and how to import them."""
        width = max(len(f.path) for f in self.files)
        lines = []
        for f in self.files:
            origin = (f"cache (retrieved {f.retrieved_at})" if f.from_cache
                      else urlsplit(f.source_url).hostname)
            lines.append(f"{f.path:<{width}}  {f.count:>9,} {f.count_unit:<8}  from {origin}")
        county = self.county
        lines.append(f"wrote {len(self.files)} files and {MANIFEST} for {county.name} "
                     f"({county.code}, {len(county.districts)} districts) to {self.out} "
                     f"({self.network_requests} requests)")
        lines.append("attribution: " + " ".join(self.attribution))
        # Datasets named like an importer: the commands, in manifest order (districts come
        # before the areas the importers place in them).
        steps = [f for f in self.files if f.dataset in import_kinds]
        if steps:
            lines.append(f"next, import them into a store ({MANIFEST} lists each file's source, "
                         "licence and count; `assetmap import KIND --help` for options):")
            lines += [f"  assetmap import {f.dataset} {shlex.quote(str(self.out / f.path))} "
                      f"--attribution {shlex.quote(f.attribution)}" for f in steps]
        return lines


def fetch_county(
    county: str, out: Path, *, endpoints: Endpoints | None = None,
    cache_dir: Path | None = None, refresh: bool = False,
    transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep,
    progress: bool = True,
) -> FetchSummary:
    """Download every dataset in ``endpoints`` for ``county`` (a GSS code) into ``out``."""
    code = county.strip().upper()
    if not _GSS.fullmatch(code):
        raise ValidationFailed(f"--county {county!r}: give a county's GSS code, e.g. E10000018 "
                               "(Leicestershire)")
    if out.exists() and not out.is_dir():
        raise ValidationFailed(f"--out {out} is a file; give a folder to write into")
    config = endpoints or load_endpoints()
    known = County(code)
    downloader = Downloader(
        user_agent=config.user_agent.format(version=__version__), timeout_s=config.timeout_s,
        policy=RetryPolicy(config.retries, config.backoff_s, config.max_wait_s),
        cache=ResponseCache(cache_dir) if cache_dir is not None else None, refresh=refresh,
        transport=transport, sleep=sleep,
    )
    files: list[FetchedFile] = []
    with downloader, Staging(out) as staging:
        datasets = tqdm(config.datasets.items(), desc=f"fetch {code}", unit="dataset",
                        disable=not progress)
        for name, dataset in datasets:
            datasets.set_postfix_str(name)
            with tqdm(desc=name, unit=" records", leave=False, disable=not progress) as bar:
                download = run_step(dataset, StepContext(name, known, downloader, config, bar))
            staging.write(dataset.file, download.content)
            responses = download.responses
            files.append(FetchedFile(
                dataset=name, title=dataset.title, path=dataset.file,
                format=PurePosixPath(dataset.file).suffix.lstrip("."),
                count=download.count, count_unit=download.unit, selection=download.selection,
                source=dataset.source, source_url=download.source_url,
                retrieved_at=min(r.retrieved_at for r in responses), requests=len(responses),
                from_cache=all(r.from_cache for r in responses), licence=dataset.licence,
                attribution=dataset.attribution, bytes=len(download.content),
                sha256=hashlib.sha256(download.content).hexdigest(),
            ))
        summary = FetchSummary(out, known, files, downloader.requests_made)
        staging.write(MANIFEST, _manifest(summary, config))
        staging.commit()
    return summary


def _manifest(summary: FetchSummary, config: Endpoints) -> bytes:
    county = summary.county
    document: dict[str, Any] = {
        "generator": f"assetmap {__version__} fetch",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "county": {
            "code": county.code, "name": county.name,
            "districts": [{"code": c, "name": n} for c, n in sorted(county.districts.items())],
            "envelope_lon_lat": list(county.envelope) if county.envelope else None,
        },
        "endpoints": str(config.source_path),
        "crs": "GeoJSON files are EPSG:4326 (longitude, latitude), as RFC 7946 requires",
        "attribution": summary.attribution,
        "files": [asdict(f) for f in summary.files],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
