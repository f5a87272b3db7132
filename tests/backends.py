"""Both store backends for tests: ``store_location`` names a fresh tiny county in a GeoPackage
or in PostGIS (a fresh schema per test on the server scripts/postgis.sh starts).

The server comes from ``ASSETMAP_TEST_POSTGIS_URL``. Where it is unreachable the
PostGIS tests skip, except in CI (``ASSETMAP_REQUIRE_POSTGIS=1``, exported by
.ci/run, or ``CI=true``), where they fail: a green CI must have run them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from assetmap.store import open_store
from assetmap.store.postgis import display_url

# scripts/setup.sh --test records the URL of the database scripts/postgis.sh made (its port
# may not be 5432 where another cluster was there first).
_RECORDED = Path(__file__).resolve().parents[1] / ".venv" / "assetmap-test-postgis-url"
POSTGIS_URL = os.environ.get("ASSETMAP_TEST_POSTGIS_URL") or (
    _RECORDED.read_text().strip() if _RECORDED.is_file()
    else "postgresql://assetmap:assetmap@127.0.0.1:5432/assetmap_test"
)


def postgis_required() -> bool:
    return (
        os.environ.get("ASSETMAP_REQUIRE_POSTGIS") == "1"
        or os.environ.get("CI", "").lower() == "true"
    )


def with_search_path(url: str, schema: str) -> str:
    """``url`` with its connections' search_path set to ``schema`` (then public, for PostGIS)."""
    options = quote(f"-csearch_path={schema},public", safe="")
    return f"{url}{'&' if '?' in url else '?'}options={options}"


@pytest.fixture(scope="session")
def postgis_server() -> str:
    try:
        psycopg.connect(POSTGIS_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        message = (
            f"PostGIS test server unreachable at {display_url(POSTGIS_URL)} "
            f"({str(exc).strip().splitlines()[0]}): run scripts/postgis.sh or set "
            "ASSETMAP_TEST_POSTGIS_URL"
        )
        if postgis_required():
            pytest.fail(message)
        pytest.skip(message)
    return POSTGIS_URL


@pytest.fixture
def postgis_url(postgis_server: str) -> Iterator[str]:
    """A URL whose tables live in a new, empty schema, dropped after the test."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgis_server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield with_search_path(postgis_server, schema)
    finally:
        with psycopg.connect(postgis_server, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema))
            )


@pytest.fixture(params=["gpkg", "postgis"])
def store_location(request: pytest.FixtureRequest) -> str:
    """Where a fresh tiny county is stored, as ASSETMAP_STORE would name it."""
    from tests.conftest import tiny_tables

    if request.param == "gpkg":
        return str(request.getfixturevalue("tiny_gpkg"))
    url: str = request.getfixturevalue("postgis_url")
    loader = open_store(url)
    loader.replace_tables(tiny_tables())
    loader.close()
    return url
