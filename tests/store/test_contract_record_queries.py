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
