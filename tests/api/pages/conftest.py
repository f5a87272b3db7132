"""Fixtures the page tests share."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings


@pytest.fixture
def browser(tiny_gpkg: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=str(tiny_gpkg))), follow_redirects=False,
                    base_url="https://testserver") as client:
        yield client


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The districts report_html was asked to render, in order (by any app in the test)."""
    from assetmap.api.pages import reports as report_pages

    calls: list[str] = []
    real = getattr(report_pages, "report_html")  # noqa: B009 - not in its __all__

    def counting(report: Any, **options: Any) -> str:
        calls.append(report.district_code)
        return str(real(report, **options))

    monkeypatch.setattr(report_pages, "report_html", counting)
    return calls


@dataclass
class StuckRender:
    """report_html held until ``release`` is set; ``started`` is set once one is under way."""

    release: threading.Event = field(default_factory=threading.Event)
    started: threading.Event = field(default_factory=threading.Event)
    calls: list[str] = field(default_factory=list)  # the districts asked for, in order


@pytest.fixture
def stuck_render(monkeypatch: pytest.MonkeyPatch) -> StuckRender:
    from assetmap.api.pages import reports as report_pages

    stuck = StuckRender()
    real = getattr(report_pages, "report_html")  # noqa: B009 - not in its __all__

    def held(report: Any, **options: Any) -> str:
        stuck.calls.append(report.district_code)
        stuck.started.set()
        stuck.release.wait(30)
        return str(real(report, **options))

    monkeypatch.setattr(report_pages, "report_html", held)
    return stuck
