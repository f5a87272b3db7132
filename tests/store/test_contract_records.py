"""The storage contract's record tables (audit, corrections …) and transactions, on every
backend."""

from __future__ import annotations

import threading

import pytest

from shapely.geometry import Point

from assetmap.errors import NotFound, ValidationFailed
from assetmap.store import Store
from tests.store.contract import ASSETS, AUDIT, CORRECTIONS, audit_row, new_hall


def test_records_round_trip_in_id_order(store: Store) -> None:
    assert store.records(AUDIT) == []
    assert store.count_records(AUDIT) == 0
    with store.transaction() as tx:
        first = tx.insert_record(AUDIT, audit_row("ann", "name", "Old Hall", "New Hall"))
        second = tx.insert_record(AUDIT, audit_row("bob", "email", None, "a@b.example"))
        third = tx.insert_record(AUDIT, audit_row("ann", "status", "open", "closed"))
    assert first < second < third
    rows = store.records(AUDIT)
    assert rows[0] == {"id": first, "at": None, **audit_row("ann", "name", "Old Hall", "New Hall")}
    assert [r["id"] for r in rows] == [first, second, third]
    newest = store.records(AUDIT, newest_first=True)
    assert [r["id"] for r in newest] == [third, second, first]
    assert [r["field"] for r in store.records(AUDIT, where={"actor": "ann"})] == ["name", "status"]
    assert [r["id"] for r in store.records(AUDIT, where={"before": None})] == [second]
    assert [r["id"] for r in store.records(AUDIT, where={"id": str(third)})] == [third]
    assert [r["id"] for r in store.records(AUDIT, limit=1, offset=1)] == [second]
    assert store.count_records(AUDIT) == 3
    assert store.count_records(AUDIT, where={"actor": "ann", "field": "status"}) == 1
    assert store.count_records(AUDIT, where={"actor": "nobody"}) == 0


def test_record_values_are_data_not_sql(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert_record(AUDIT, audit_row("x' OR '1'='1", "name", "a", "b"))
    assert store.records(AUDIT, where={"actor": "' OR '1'='1"}) == []
    assert store.records(AUDIT)[0]["actor"] == "x' OR '1'='1"


def test_update_record_changes_only_the_given_columns(store: Store) -> None:
    with store.transaction() as tx:
        kept = tx.insert_record(CORRECTIONS, {"status": "open", "message": "The hall has closed"})
    with store.transaction() as tx:
        tx.update_record(CORRECTIONS, kept, {"status": "accepted", "decided_by": "ann"})
    (row,) = store.records(CORRECTIONS)
    assert (row["status"], row["decided_by"], row["message"]) == (
        "accepted", "ann", "The hall has closed"
    )
    with pytest.raises(NotFound), store.transaction() as tx:
        tx.update_record(CORRECTIONS, kept + 1000, {"status": "rejected"})


def test_record_writes_roll_back_with_the_transaction(store: Store) -> None:
    # Even the first write to a table, which creates it, is undone.
    with pytest.raises(ValidationFailed), store.transaction() as tx:
        tx.insert_record(AUDIT, audit_row("ann", "name", "a", "b"))
        tx.change(ASSETS, "A1", {"category": "pub"})
    assert store.records(AUDIT) == []
    with store.transaction() as tx:
        kept = tx.insert_record(CORRECTIONS, {"status": "open"})
    with pytest.raises(ValidationFailed), store.transaction() as tx:
        tx.update_record(CORRECTIONS, kept, {"status": "accepted"})
        tx.insert_record(CORRECTIONS, {"status": "open"})
        tx.add(ASSETS, new_hall(category="pub"), Point(453_000, 306_000))
    assert [(r["id"], r["status"]) for r in store.records(CORRECTIONS)] == [(kept, "open")]


def test_delete_records_removes_only_the_matching_rows(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.delete_records(CORRECTIONS, {"status": "open"}) == 0  # no table yet
        gone = tx.insert_record(CORRECTIONS, {"status": "open", "client": "k1"})
        tx.insert_record(CORRECTIONS, {"status": "open", "client": "k2"})
        tx.insert_record(CORRECTIONS, {"status": "accepted", "client": "k1"})
    with store.transaction() as tx:
        assert tx.delete_records(CORRECTIONS, {"status": "open", "client": "k1"}) == 1
    assert [r["client"] for r in store.records(CORRECTIONS)] == ["k2", "k1"]
    assert store.records(CORRECTIONS, where={"id": str(gone)}) == []
    with pytest.raises(Exception, match="needs a condition"), store.transaction() as tx:
        tx.delete_records(CORRECTIONS, {})
    with pytest.raises(ValueError), store.transaction() as tx:  # rolled back with the rest
        tx.delete_records(CORRECTIONS, {"client": "k2"})
        raise ValueError("undo")
    assert store.count_records(CORRECTIONS) == 2


def test_unknown_record_tables_and_columns_are_refused(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert_record(AUDIT, audit_row("ann", "name", "a", "b"))
    with pytest.raises(Exception, match="not a record table"):
        store.records("assets")
    with pytest.raises(Exception, match="no column"), store.transaction() as tx:
        tx.insert_record(AUDIT, {"colour": "red"})
    with pytest.raises(ValidationFailed, match="colour"):
        store.records(AUDIT, where={"colour": "red"})


# -- locking reads -----------------------------------------------------------------------------

def test_transaction_get_sees_its_own_writes(store: Store) -> None:
    with store.transaction() as tx:
        tx.change(ASSETS, "A2", {"status": "closed"})
        tx.add(ASSETS, new_hall(), Point(453_000, 306_000))
        tx.delete(ASSETS, "A3")
        changed, added = tx.get(ASSETS, "A2"), tx.get(ASSETS, "A9")
        assert changed is not None and changed.properties["status"] == "closed"
        assert added is not None and added.geometry is not None
        assert added.geometry.equals(Point(453_000, 306_000))
        assert added.properties["name"] == "New Village Hall"
        assert tx.get(ASSETS, "A3") is None
    assert store.get(ASSETS, "A3") is None


def test_transaction_get_holds_other_writers_until_it_ends(store: Store) -> None:
    finished = threading.Event()

    def other_writer() -> None:
        with store.transaction() as tx:
            tx.change(ASSETS, "A1", {"status": "closed"})
        finished.set()

    with store.transaction() as tx:
        feature = tx.get(ASSETS, "A1")
        assert feature is not None and feature.properties["status"] == "open"
        writer = threading.Thread(target=other_writer)
        writer.start()
        assert not finished.wait(0.3), "a second writer changed a feature read for update"
        tx.change(ASSETS, "A1", {"status": "at_risk"})
    writer.join(timeout=10)
    assert finished.is_set()
    # The waiting write landed after ours, not lost under it.
    final = store.get(ASSETS, "A1")
    assert final is not None and final.properties["status"] == "closed"


# -- replacing whole tables --------------------------------------------------------------------
