"""With several workers a report rendered by one is served by the others from the store (not
rendered again); a changed register is a new render; a GeoPackage keeps renders in memory."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient

from shapely.geometry import Point

from assetmap.api import create_app
from assetmap.api.shared_renders import RENDERED, RENDERED_BODIES
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.store import open_store
from tests.api.pages.conftest import StuckRender
from tests.api.riverside_stores import riverside_location, riverside_tables

__all__ = ["riverside_location"]

REPORT = "/reports/E07000901"
ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]


def _worker(location: str) -> TestClient:
    """One worker process's app: its own memory, the shared store."""
    return TestClient(create_app(Settings(store=location)))


def test_a_report_one_worker_rendered_is_served_by_the_other(
    riverside_location: str, renders: list[str]
) -> None:
    first, second = _worker(riverside_location), _worker(riverside_location)
    made = first.get(REPORT)
    assert made.status_code == 200 and "<html" in made.text
    served = second.get(REPORT)
    assert served.status_code == 200
    store = open_store(riverside_location)
    kept = store.records(RENDERED)
    store.close()
    if not riverside_location.startswith("postgresql"):
        # One process serves a GeoPackage: each app renders its own, nothing in the file.
        assert renders == ["E07000901", "E07000901"] and kept == []
        return
    # The same bytes (folium's map ids are random: two renders would differ), so one ETag
    # whichever worker answers, and a 304 from the one that did not render.
    assert renders == ["E07000901"] and len(kept) == 1
    assert served.text == made.text and served.headers["etag"] == made.headers["etag"]
    zipped = second.get(REPORT, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.text == made.text
    assert second.get(REPORT, headers={"If-None-Match": made.headers["etag"]}).status_code == 304


def test_a_changed_register_is_rendered_anew_and_the_old_render_dropped(
    postgis_url: str, renders: list[str]
) -> None:
    riverside_location = postgis_url
    loader = open_store(riverside_location)
    loader.replace_tables(riverside_tables())
    loader.close()
    first, second = _worker(riverside_location), _worker(riverside_location)
    before = first.get(REPORT)
    store = open_store(riverside_location)
    with store.transaction() as tx:
        tx.add(ASSETS, {"id": "NEW1", "name": "New Hall", "category": "village_hall",
                        "status": "open"}, Point(452_000, 305_000))
    after = second.get(REPORT)
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert renders == ["E07000901", "E07000901"]
    assert len(store.records(RENDERED)) == 1 and len(store.records(RENDERED_BODIES)) == 1
    store.close()


def test_a_report_asked_of_two_workers_at_once_is_rendered_once(
    postgis_url: str, stuck_render: StuckRender
) -> None:
    """The second worker waits for the first's render (the store's lock), then serves it."""
    loader = open_store(postgis_url)
    loader.replace_tables(riverside_tables())
    loader.close()
    first, second = _worker(postgis_url), _worker(postgis_url)
    answers: dict[str, Any] = {}
    asking = [threading.Thread(target=lambda: answers.update(first=first.get(REPORT)))]
    asking[0].start()
    assert stuck_render.started.wait(30)
    asking.append(threading.Thread(target=lambda: answers.update(second=second.get(REPORT))))
    asking[1].start()
    asking[1].join(0.5)
    waiting = asking[1].is_alive()  # held by the lock, not rendering
    stuck_render.release.set()
    for thread in asking:
        thread.join(30)
    assert waiting and stuck_render.calls == ["E07000901"]
    assert answers["first"].status_code == answers["second"].status_code == 200
    assert answers["second"].headers["etag"] == answers["first"].headers["etag"]
