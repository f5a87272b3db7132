"""Counting failures per client in the store, so every worker process enforces one limit.

One row per (client, bucket): when its window began and how many failures fell in it.
A window opens at a client's first failure and lasts ``window_seconds``; at ``attempts``
failures the client is refused (HTTP 429, ``Retry-After`` the rest of the window), even
with a right answer, so guessing gains nothing by carrying on. A success does not reset
the count: a client holding one valid token could otherwise interleave it with guesses.

Clients are opaque keys (:mod:`assetmap.register.client_keys`), never addresses.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from assetmap.errors import TooManyRequests
from assetmap.store.base import Record, Store

__all__ = ["RATE_LIMITS_TABLE", "Limit", "any_failures", "check_allowed", "record_failure"]

RATE_LIMITS_TABLE = "assetmap_rate_limits"


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` failures per ``window_seconds`` in ``bucket``."""

    bucket: str
    attempts: int
    window_seconds: int
    # Shown to the person refused, then "Try again in N minutes."
    message: str = "Too many failed attempts from your connection."


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _row(store: Store, limit: Limit, client: str) -> Record | None:
    rows = store.records(RATE_LIMITS_TABLE, where={"client": client, "bucket": limit.bucket})
    return rows[0] if rows else None


def _window(row: Record) -> tuple[dt.datetime, int]:
    return dt.datetime.fromisoformat(str(row["window_start"])), int(row["count"])


def _seconds_left(limit: Limit, start: dt.datetime, now: dt.datetime) -> float:
    return limit.window_seconds - (now - start).total_seconds()


def any_failures(store: Store, limit: Limit) -> bool:
    """Whether anyone has a failure counted in ``bucket`` (else nobody can be held back).

    Lets a caller skip working out the client's key, which may have to make a secret.
    """
    return store.count_records(RATE_LIMITS_TABLE, where={"bucket": limit.bucket}) > 0


def check_allowed(store: Store, limit: Limit, client: str, now: dt.datetime | None = None) -> None:
    """Raise :class:`TooManyRequests` if ``client`` has used up its failures in this window."""
    row = _row(store, limit, client)
    if row is None:
        return
    moment = now or _now()
    start, count = _window(row)
    left = _seconds_left(limit, start, moment)
    if count >= limit.attempts and left > 0:
        wait = math.ceil(left)
        minutes = max(1, math.ceil(wait / 60))
        raise TooManyRequests(
            f"{limit.message} Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            retry_after=wait,
        )


def record_failure(store: Store, limit: Limit, client: str, now: dt.datetime | None = None) -> int:
    """Count one failure for ``client``; returns the failures in its current window."""
    moment = now or _now()
    with store.transaction() as transaction:
        # One writer per client at a time, so parallel failures are all counted.
        transaction.lock(f"rate:{limit.bucket}:{client}")
        row = _row(store, limit, client)
        if row is None:
            transaction.insert_record(RATE_LIMITS_TABLE, {
                "client": client, "bucket": limit.bucket,
                "window_start": moment.isoformat(), "count": "1",
            })
            return 1
        start, count = _window(row)
        if _seconds_left(limit, start, moment) <= 0:
            start, count = moment, 0
        transaction.update_record(RATE_LIMITS_TABLE, int(row["id"]), {
            "window_start": start.isoformat(), "count": str(count + 1),
        })
        return count + 1
