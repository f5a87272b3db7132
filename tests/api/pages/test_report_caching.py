"""Report pages and downloads are rendered once per (district, thresholds, store version), served
with a strong ETag and 304, and rendered in a bounded pool: when it is full the answer is 503 with
Retry-After at once, and cheap requests go on being answered meanwhile."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.api.expensive import RenderPool
from assetmap.api.pages import reports as report_pages
from assetmap.api.state import app_state
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.store import open_store
from tests.api.pages.conftest import StuckRender

REPORT = "/reports/E07000901"
ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]


@pytest.fixture
def riverside_copy(riverside_gpkg: Path, tmp_path: Path) -> Path:
    path = tmp_path / "riverside.gpkg"
    shutil.copyfile(riverside_gpkg, path)
    return path


@pytest.fixture
def client(riverside_copy: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=str(riverside_copy)))) as test_client:
        yield test_client


def test_a_report_is_rendered_once_and_revalidated_with_its_etag(
    client: TestClient, renders: list[str]
) -> None:
    first = client.get(REPORT)
    assert first.status_code == 200 and "<html" in first.text.lower()
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert first.headers["cache-control"] == "public, no-cache"
    again = client.get(REPORT)
    assert again.headers["etag"] == etag and again.text == first.text
    unchanged = client.get(REPORT, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert renders == ["E07000901"]  # three answers, one render


def test_other_thresholds_and_a_changed_register_are_new_renders(
    client: TestClient, riverside_copy: Path, renders: list[str]
) -> None:
    etag = client.get(REPORT).headers["etag"]
    wider = client.get(REPORT, params={"rural_catchment_m": 5000})
    assert wider.headers["etag"] != etag
    store = open_store(str(riverside_copy))
    some_id = str(store.read(ASSETS, limit=1)["id"].iloc[0])
    with store.transaction() as tx:  # an officer closes a hub
        tx.change(ASSETS, some_id, {"status": "closed"})
    after = client.get(REPORT, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert len(renders) == 3


def test_downloads_carry_an_etag_and_answer_304(client: TestClient) -> None:
    for url in (f"{REPORT}.pdf", f"{REPORT}.csv", "/api/layers/assets.csv"):
        first = client.get(url)
        assert first.status_code == 200 and first.content
        assert "attachment" in first.headers["content-disposition"]
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, url


def test_a_full_render_queue_answers_503_at_once_while_cheap_requests_flow(
    riverside_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(Settings(store=str(riverside_copy)))
    pool = RenderPool(running=1, waiting=0, retry_after_s=7)
    object.__setattr__(app_state(app), "render_pool", pool)  # one render at a time, no queue
    release, started = threading.Event(), threading.Event()
    real = getattr(report_pages, "report_html")  # noqa: B009 - not in its __all__

    def stuck(report: Any, **options: Any) -> str:
        started.set()
        release.wait(30)
        return str(real(report, **options))

    monkeypatch.setattr(report_pages, "report_html", stuck)

    async def scenario() -> dict[str, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
            seen: dict[str, Any] = {}
            async with anyio.create_task_group() as tasks:
                async def slow() -> None:
                    seen["slow"] = await web.get(REPORT)

                tasks.start_soon(slow)
                await anyio.to_thread.run_sync(started.wait, 30)
                seen["busy"] = await web.get(f"{REPORT}.pdf")
                seen["cheap"] = await web.get("/healthz")
                seen["admitted"] = pool.admitted
                release.set()
            return seen

    seen = anyio.run(scenario)
    busy = seen["busy"]
    assert busy.status_code == 503 and busy.headers["retry-after"] == "7"
    assert busy.json()["error"]["status"] == 503
    assert "try again in 7 seconds" in busy.json()["error"]["message"]
    assert seen["cheap"].status_code == 200 and seen["admitted"] == 1
    assert seen["slow"].status_code == 200


def test_the_gzipped_and_plain_forms_have_their_own_strong_etags(client: TestClient) -> None:
    zipped = client.get(REPORT, headers={"Accept-Encoding": "gzip"})
    plain = client.get(REPORT, headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert zipped.text == plain.text  # the same page, two byte strings
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert zipped.headers["vary"] == "Accept-Encoding"
    for etag in (zipped.headers["etag"], plain.headers["etag"]):
        assert client.get(REPORT, headers={"If-None-Match": etag}).status_code == 304


def test_visitors_asking_for_a_report_being_rendered_wait_for_that_one_render(
    riverside_copy: Path, stuck_render: StuckRender
) -> None:
    """After a restart the first visitors to a report share its one render: no 503 for them
    even with no queue, and the pool holds one render, not one each."""
    app = create_app(Settings(store=str(riverside_copy)))
    pool = RenderPool(running=1, waiting=0)
    object.__setattr__(app_state(app), "render_pool", pool)

    async def scenario() -> tuple[list[httpx.Response], int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
            answers: list[httpx.Response] = []
            async with anyio.create_task_group() as tasks:
                async def visit() -> None:
                    answers.append(await web.get(REPORT))

                tasks.start_soon(visit)
                await anyio.to_thread.run_sync(stuck_render.started.wait, 30)
                for _ in range(4):
                    tasks.start_soon(visit)
                await anyio.sleep(0.2)  # the four are waiting now
                admitted = pool.admitted
                stuck_render.release.set()
            return answers, admitted

    answers, admitted = anyio.run(scenario)
    assert [a.status_code for a in answers] == [200] * 5
    assert len({a.headers["etag"] for a in answers}) == 1
    assert stuck_render.calls == ["E07000901"] and admitted == 1
