"""``assetmap serve``: several workers on PostGIS, refused on a GeoPackage; proxy headers trusted
only when asked for and only from the named proxies."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from assetmap.cli import main
from assetmap.store import open_store
from tests.cli.serving import children, serving
from tests.conftest import tiny_tables

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def test_several_workers_on_a_geopackage_are_refused_naming_postgis(
    tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--workers", "2", "--store", str(tiny_gpkg)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --workers 2: a GeoPackage store is served by one process")
    assert "PostGIS" in err and "--workers 1" in err and err.count("\n") == 1


def test_no_workers_is_refused(tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "0", "--store", str(tiny_gpkg)]) == 2
    assert "give 1 or more worker processes" in capsys.readouterr().err


def test_two_workers_on_postgis_serve_and_trust_the_proxy_they_are_told_of(
    postgis_url: str,
) -> None:
    store = open_store(postgis_url)
    store.replace_tables(tiny_tables())
    store.close()
    with serving("--store", postgis_url, "--workers", "2", "--proxy-headers",
                 "--forwarded-allow-ips", "127.0.0.1", workers=2) as (base, pid):
        assert len(children(pid)) == 2  # two worker processes under the one that listens
        for _ in range(6):
            health = httpx.get(f"{base}/healthz", timeout=10).json()
            assert health["store"] == "postgis" and health["features"]["assets"] == 5
        landing = httpx.get(f"{base}/ogc", headers=FORWARDED, timeout=10).json()
        # Links a client follows name the scheme the proxy was reached by.
        assert {link["href"].split(":", 1)[0] for link in landing["links"]} == {"https"}


def test_without_proxy_headers_a_forwarded_scheme_is_ignored(tiny_gpkg: Path) -> None:
    with serving("--store", str(tiny_gpkg)) as (base, _):
        landing = httpx.get(f"{base}/ogc", headers=FORWARDED, timeout=10).json()
        assert {link["href"].split(":", 1)[0] for link in landing["links"]} == {"http"}
