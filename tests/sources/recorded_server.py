"""Replays the responses in ``recorded/fetch/`` for ``httpx.MockTransport``: no network.

Requests are routed the way the real services read them: ArcGIS by service name
in the path and ``resultOffset``/``returnCountOnly``, Nomis by ``RecordOffset``,
the CSV files by host, Overpass by POST. ``script`` queues answers (responses
or exceptions) for one dataset ahead of its recording, to stage failures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

from assetmap.sources.fetch import Endpoints

RECORDED = Path(__file__).parent / "recorded" / "fetch"

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class RecordedServer:
    def __init__(self, endpoints: Endpoints) -> None:
        self.services = {
            dataset.service: name for name, dataset in endpoints.datasets.items()
            if dataset.kind == "arcgis"
        }
        self.requests: list[httpx.Request] = []
        self.scripted: dict[str, list[Answer]] = defaultdict(list)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def script(self, dataset: str, *answers: Answer) -> None:
        self.scripted[dataset].extend(answers)

    def requests_for(self, dataset: str) -> list[httpx.Request]:
        return [r for r in self.requests if self.dataset_of(r) == dataset]

    def dataset_of(self, request: httpx.Request) -> str:
        host, path = request.url.host, request.url.path
        if host == "services1.arcgis.com":
            return self.services.get(path.split("/services/")[1].split("/")[0], "unknown")
        return {"www.nomisweb.co.uk": "population", "assets.publishing.service.gov.uk": "imd",
                "raw.githubusercontent.com": "libraries", "overpass-api.de": "osm"}.get(host,
                                                                                      "unknown")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        dataset = self.dataset_of(request)
        if self.scripted[dataset]:
            answer = self.scripted[dataset].pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer(request) if callable(answer) else answer
        file = self._recording(dataset, request)
        if file is None or not file.is_file():
            return httpx.Response(404, text=f"no recording for {request.url}")
        return httpx.Response(200, content=file.read_bytes(), headers=_content_type(file))

    def _recording(self, dataset: str, request: httpx.Request) -> Path | None:
        params = request.url.params
        if request.url.host == "services1.arcgis.com":
            if params.get("returnCountOnly") == "true":
                return RECORDED / "arcgis" / f"{dataset}.count.json"
            suffix = "geojson" if params.get("f") == "geojson" else "json"
            return RECORDED / "arcgis" / f"{dataset}.{params.get('resultOffset', '0')}.{suffix}"
        if dataset == "population":
            return RECORDED / "nomis" / f"population.{params.get('RecordOffset', '0')}.csv"
        if dataset in ("imd", "libraries"):
            return RECORDED / "csv" / f"{dataset}.csv"
        if dataset == "osm" and request.method == "POST":
            return RECORDED / "overpass" / "osm.json"
        return None


def recorded(folder: str, name: str, status: int = 200,
             headers: dict[str, str] | None = None) -> httpx.Response:
    file = RECORDED / folder / name
    return httpx.Response(status, content=file.read_bytes(),
                          headers={**_content_type(file), **(headers or {})})


def _content_type(file: Path) -> dict[str, str]:
    kind = {".csv": "text/csv", ".geojson": "application/geo+json"}.get(file.suffix,
                                                                         "application/json")
    return {"Content-Type": f"{kind}; charset=utf-8"}
