"""What is particular to the PostGIS backend: connecting, real PostGIS tables, loading.

The shared behaviour is in test_contract.py, run on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import psycopg
import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.errors import StoreError
from assetmap.layers import load_catalog
from assetmap.store import open_store
from assetmap.store.postgis import PostGISStore, display_url
from assetmap.store.postgis.bulk import _text_array
from tests.conftest import tiny_tables

CATALOG = load_catalog(PROJECT_ROOT / "layers")


@pytest.fixture
def store(postgis_url: str) -> Iterator[PostGISStore]:
    backend = PostGISStore(postgis_url)
    backend.replace_tables(tiny_tables())
    yield backend
    backend.close()


def test_unreachable_server_names_the_url_without_its_password_and_the_fix() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://ann:s3cret@127.0.0.1:1/assets")
    message = caught.value.message
    assert "postgresql://ann@127.0.0.1:1/assets" in message
    assert "s3cret" not in message
    assert "scripts/postgis.sh" in message and "ASSETMAP_STORE" in message


@pytest.mark.parametrize(
    "url", ["postgresql://ann:s3cret@db/assets?colour=red", "postgresql://ann:s3cret@[db/assets"]
)
def test_malformed_url_says_how_to_write_one(url: str) -> None:
    with pytest.raises(StoreError, match="postgresql://USER:PASSWORD@HOST:5432/DATABASE") as caught:
        open_store(url)
    assert "s3cret" not in caught.value.message


def test_display_url_never_shows_the_password() -> None:
    assert display_url("postgresql://ann:s3cret@db:5433/assets") == "postgresql://ann@db:5433/assets"
    assert "s3cret" not in display_url("host=db user=ann password=s3cret dbname=assets")


def test_database_without_postgis_says_how_to_add_it(postgis_server: str) -> None:
    # The maintenance database `postgres` never has the extension.
    url = postgis_server.rsplit("/", 1)[0] + "/postgres"
    with pytest.raises(StoreError, match=r"CREATE EXTENSION postgis") as caught:
        open_store(url)
    assert "assetmap:assetmap" not in caught.value.message


def test_postgres_scheme_opens_the_same_store(postgis_url: str, store: PostGISStore) -> None:
    other = open_store(postgis_url.replace("postgresql://", "postgres://", 1))
    try:
        assert other.name == "postgis"
        assert other.count(CATALOG["assets"]) == 5
    finally:
        other.close()


def _sql(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as connection:
        cursor = connection.execute(query)
        return cursor.fetchall() if cursor.description else []


def test_layers_are_postgis_tables_other_tools_can_open(
    postgis_url: str, store: PostGISStore
) -> None:
    # What QGIS and ogr2ogr read: typed geometry columns in EPSG:27700 with a spatial index.
    columns = _sql(
        postgis_url,
        "SELECT f_table_name, type, srid FROM geometry_columns "
        "WHERE f_table_schema = current_schema() ORDER BY 1",
    )
    assert columns == [
        ("assets", "POINT", 27700),
        ("community_areas", "MULTIPOLYGON", 27700),
        ("districts", "MULTIPOLYGON", 27700),
        ("postcodes", "POINT", 27700),
    ]
    gist = _sql(
        postgis_url,
        "SELECT tablename FROM pg_indexes WHERE schemaname = current_schema() "
        "AND indexdef ILIKE '%USING gist%' ORDER BY 1",
    )
    assert [row[0] for row in gist] == ["assets", "community_areas", "districts", "postcodes"]


def test_failure_inside_the_database_changes_nothing(
    postgis_url: str, store: PostGISStore
) -> None:
    # A view on `assets` stops it being dropped: found only after `districts` was rewritten.
    _sql(postgis_url, "CREATE VIEW open_assets AS SELECT * FROM assets WHERE status = 'open'")
    tables = tiny_tables()
    with pytest.raises(StoreError, match="Nothing was changed"):
        store.replace_tables(
            {"districts": tables["districts"].iloc[:1], "assets": tables["assets"]}
        )
    assert store.count(CATALOG["districts"]) == 2


def test_loaded_records_keep_their_ids_and_new_ones_follow(store: PostGISStore) -> None:
    audit = pd.DataFrame({"id": [5, 9], "actor": ["ann", "bob"], "action": ["add", "delete"]})
    store.replace_tables({"assetmap_audit": audit})
    with store.transaction() as tx:
        new_id = tx.insert_record("assetmap_audit", {"actor": "cy", "action": "change"})
    assert [(r["id"], r["actor"]) for r in store.records("assetmap_audit")] == [
        (5, "ann"), (9, "bob"), (new_id, "cy")
    ]
    assert new_id == 10


def test_bad_frames_are_refused_before_anything_is_written(store: PostGISStore) -> None:
    with pytest.raises(Exception, match="Table name 'Bad Name'"):
        store.replace_tables({"Bad Name": pd.DataFrame({"a": [1]})})
    repeated = pd.DataFrame({"id": [1, 1], "actor": ["ann", "bob"]})
    with pytest.raises(Exception, match="every row needs its own id"):
        store.replace_tables({"assetmap_audit": repeated})
    nested = pd.DataFrame({"key": ["a"], "value": [{"not": "text"}]})
    with pytest.raises(Exception, match=r"column 'value', row 1"):
        store.replace_tables({"assetmap_metadata": nested})
    assert store.metadata()["title"] == "Tiny test county"


def test_a_dropped_connection_is_replaced_without_an_error(
    postgis_url: str, store: PostGISStore
) -> None:
    # A server restart or an idle timeout kills pooled connections; the next read reconnects.
    with store._pool.connection() as connection:
        pid = connection.info.backend_pid
    with psycopg.connect(postgis_url, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    assert store.count(CATALOG["assets"]) == 5


def test_a_bulk_lookup_sends_every_id_exactly_as_given(postgis_server: str) -> None:
    # Ids stored before ids had a safe pattern may hold what an array literal escapes.
    odd = ['A1"', "A1\\", '\\"', "{A1}", "A1,A2", "NULL", "", " A1 ", "A1'", "Å1", "a\tb\nc"]
    with psycopg.connect(postgis_server) as connection:
        rows = connection.execute("SELECT unnest(%s::text[])", [_text_array(odd)]).fetchall()
        assert [row[0] for row in rows] == odd
        assert connection.execute("SELECT %s::text[]", [_text_array([])]).fetchone() == ([],)
