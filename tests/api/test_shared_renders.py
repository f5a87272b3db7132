"""Renders kept in the store for other workers: found by their key, bounded in number, and
those of another register version or day dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from assetmap.api import shared_renders
from assetmap.api.cache import Rendered
from assetmap.api.shared_renders import RENDERED, RENDERED_BODIES, keep_shared, shared
from assetmap.store import open_store

DAY = dt.date(2026, 12, 1)


def _page(text: str) -> Rendered:
    return Rendered.of("<p>" + text * 400 + "</p>", "text/html; charset=utf-8",
                       {"Content-Disposition": "inline"})


def test_a_kept_render_comes_back_whole(postgis_url: str) -> None:
    store = open_store(postgis_url)
    page = _page("Westshire")
    keep_shared(store, ("report", "v1", "E07"), "v1", page, today=DAY)
    back = shared(store, ("report", "v1", "E07"))
    assert back == page and back is not None and back.gzipped is not None
    assert shared(store, ("report", "v1", "E08")) is None
    keep_shared(store, ("report", "v1", "E07"), "v1", _page("other"), today=DAY)  # kept once
    assert shared(store, ("report", "v1", "E07")) == page
    assert len(store.records(RENDERED_BODIES)) == 1
    store.close()


def test_only_the_newest_are_kept_and_other_versions_go(
    postgis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_renders, "MOST_KEPT", 2)
    store = open_store(postgis_url)
    keep_shared(store, "old version", "v1", _page("a"), today=DAY)
    for name in ("first", "second", "third"):
        keep_shared(store, name, "v2", _page(name), today=DAY)
    assert [shared(store, k) is not None for k in ("old version", "first", "second", "third")
            ] == [False, False, True, True]
    keep_shared(store, "tomorrow", "v2", _page("t"), today=DAY + dt.timedelta(days=1))
    assert [r["made_on"] for r in store.records(RENDERED)] == ["2026-12-02"]
    assert len(store.records(RENDERED_BODIES)) == 1
    store.close()
