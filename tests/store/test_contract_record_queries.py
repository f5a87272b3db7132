"""Record reads beyond exact matches (RecordFilter) and pages of groups (record_keys), on
every backend: what the audit page's paging and filters stand on."""

from __future__ import annotations

import pytest

from assetmap.errors import StoreError, ValidationFailed
from assetmap.store import Store
from assetmap.store.base import RecordFilter
from tests.store.contract import AUDIT


def _row(change: str, at: str, actor: str, field: str) -> dict[str, str | None]:
    return {"change_id": change, "at": at, "actor": actor, "action": "change",
            "layer": "assets", "feature_id": "A1", "field": field, "before": None, "after": "x"}


@pytest.fixture
def audited(store: Store) -> Store:
    with store.transaction() as tx:
        for change, at, actor, fields in (
            ("c1", "2026-11-30T09:00:00Z", "ann", ("name", "email")),
            ("c2", "2026-12-01T10:00:00Z", "bob", ("phone",)),
            ("c3", "2026-12-01T23:30:00Z", "ann", ("name", "status", "postcode")),
            ("c4", "2026-12-02T08:00:00Z", "cy", ("website",)),
        ):
            for field in fields:
                tx.insert_record(AUDIT, _row(change, at, actor, field))
    return store


def test_record_keys_page_groups_newest_first(audited: Store) -> None:
    assert audited.record_keys(AUDIT, "change_id") == ["c4", "c3", "c2", "c1"]
    assert audited.record_keys(AUDIT, "change_id", limit=2) == ["c4", "c3"]
    assert audited.record_keys(AUDIT, "change_id", limit=2, offset=2) == ["c2", "c1"]
    assert audited.record_keys(AUDIT, "change_id", where={"actor": "ann"}) == ["c3", "c1"]
    assert audited.count_records(AUDIT) == 7
    assert audited.count_records(AUDIT, distinct="change_id") == 4
    assert audited.count_records(AUDIT, where={"actor": "ann"}, distinct="change_id") == 2


def test_record_filter_ranges_and_lists(audited: Store) -> None:
    december = RecordFilter(at_least={"at": "2026-12-01T00:00:00Z"},
                            below={"at": "2026-12-02T00:00:00Z"})
    assert audited.record_keys(AUDIT, "change_id", where=december) == ["c3", "c2"]
    assert audited.count_records(AUDIT, where=december, distinct="change_id") == 2
    chosen = audited.records(AUDIT, where=RecordFilter(one_of={"change_id": ["c1", "c4"]}))
    assert [(r["change_id"], r["field"]) for r in chosen] == [
        ("c1", "name"), ("c1", "email"), ("c4", "website")]
    assert audited.records(AUDIT, where=RecordFilter(one_of={"change_id": []})) == []
    both = RecordFilter(equal={"actor": "ann"}, one_of={"field": ["name", "phone"]})
    assert [r["change_id"] for r in audited.records(AUDIT, where=both)] == ["c1", "c3"]


def test_unknown_columns_are_refused(audited: Store) -> None:
    with pytest.raises(ValidationFailed):
        audited.records(AUDIT, where=RecordFilter(at_least={"when": "2026"}))
    with pytest.raises(StoreError):
        audited.record_keys(AUDIT, "nope")


def test_an_unwritten_table_has_no_keys(store: Store) -> None:
    assert store.record_keys(AUDIT, "change_id") == []
    assert store.count_records(AUDIT, distinct="change_id") == 0


def test_a_page_of_groups_spans_several_chunks(store: Store) -> None:
    # Five changes of 300 rows each: the scan by id reads them in more than one chunk.
    with store.transaction() as tx:
        tx.insert_records(AUDIT, ("change_id", "at", "actor", "field"), [
            (f"big{n}", "2026-12-01T09:00:00Z", "ann" if n % 2 else "bob", f"f{i}")
            for n in range(5) for i in range(300)])
    assert store.record_keys(AUDIT, "change_id", limit=5) == [
        "big4", "big3", "big2", "big1", "big0"]
    assert store.record_keys(AUDIT, "change_id", limit=2, offset=3) == ["big1", "big0"]
    assert store.record_keys(AUDIT, "change_id", where={"actor": "ann"}, limit=3) == [
        "big3", "big1"]
    assert store.record_keys(AUDIT, "change_id", limit=3, offset=5) == []


def test_the_audit_log_is_indexed_for_its_lookups(store: Store, location: str) -> None:
    with store.transaction() as tx:
        tx.insert_record(AUDIT, _row("c1", "2026-12-01T09:00:00Z", "ann", "name"))
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location) as connection:
            names = {r[0] for r in connection.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'assetmap_audit' "
                "AND schemaname = current_schema()")}
    else:
        import sqlite3

        with sqlite3.connect(location) as connection:
            names = {r[1] for r in connection.execute("PRAGMA index_list('assetmap_audit')")}
    assert {"assetmap_audit_change_id_idx", "assetmap_audit_feature_id_idx"} <= names
