"""Failure counts per client in the store: shared by every process, on both backends."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from assetmap.errors import TooManyRequests
from assetmap.register.rate_limits import Limit, check_allowed, record_failure
from assetmap.store import open_store

LIMIT = Limit(bucket="sign-in", attempts=3, window_seconds=600)
NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def test_a_client_is_refused_once_its_failures_are_used_up(store_location: str) -> None:
    store = open_store(store_location)
    for n in range(1, 4):
        check_allowed(store, LIMIT, "k1", NOON)
        assert record_failure(store, LIMIT, "k1", NOON) == n
    with pytest.raises(TooManyRequests) as refused:
        check_allowed(store, LIMIT, "k1", NOON + dt.timedelta(seconds=60))
    assert refused.value.retry_after == 540 and "9 minutes" in refused.value.message
    check_allowed(store, LIMIT, "k2", NOON)  # another client is not held up
    check_allowed(store, Limit("other", 3, 600), "k1", NOON)  # nor another bucket
    # A new window starts once the old one is over.
    check_allowed(store, LIMIT, "k1", NOON + dt.timedelta(seconds=600))
    assert record_failure(store, LIMIT, "k1", NOON + dt.timedelta(seconds=601)) == 1
    store.close()


def test_failures_from_parallel_workers_are_all_counted(store_location: str) -> None:
    barrier = threading.Barrier(6)

    def fail() -> None:
        store = open_store(store_location)  # each its own store, as separate workers
        barrier.wait()
        record_failure(store, LIMIT, "k1", NOON)
        store.close()

    threads = [threading.Thread(target=fail) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reader = open_store(store_location)
    (row,) = reader.records("assetmap_rate_limits")
    reader.close()
    assert row["count"] == "6"
