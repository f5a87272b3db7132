"""What the benchmarks share: a fresh PostGIS schema holding a copy of a GeoPackage store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
from psycopg import sql

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.store import open_store
from assetmap.store.copying import read_tables

__all__ = ["DEFAULT_URL", "copied_schema"]

DEFAULT_URL = "postgresql://assetmap:assetmap@127.0.0.1:5432/assetmap_test"


@contextmanager
def copied_schema(url: str, source: str) -> Iterator[str]:
    """The store URL of a new schema on ``url`` loaded from ``source``; dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        located = f"{url}{'&' if '?' in url else '?'}options=" + quote(
            f"-csearch_path={schema},public", safe=""
        )
        origin, target = open_store(source), open_store(located)
        try:
            target.replace_tables(read_tables(origin, load_catalog(PROJECT_ROOT / "layers")))
        finally:
            origin.close()
            target.close()
        yield located
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
