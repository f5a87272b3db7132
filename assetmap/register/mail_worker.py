"""One round of the outbox's work, and the thread that repeats it beside the app.

A round queues what is due (today's digest, stewards' yearly questions), sends what waits
and removes the words of mail sent longer ago than the retention. The app runs rounds in a
background thread when an SMTP host is set; ``assetmap outbox send`` runs one (cron). Every
worker of every process may run them at once: claims and locks keep each mail single.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from assetmap.layers import LayerCatalog
from assetmap.register.digest import queue_digests
from assetmap.register.mail_sending import MailSettings, SendReport, send_due
from assetmap.register.notifications import MailContext
from assetmap.register.outbox import purge_sent_bodies
from assetmap.register.steward_asks import queue_still_right
from assetmap.store.base import Store

__all__ = ["OutboxWorker", "Round", "RoundReport", "run_round"]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Round:
    """Everything a round needs."""

    store: Store
    catalog: LayerCatalog
    context: MailContext
    smtp: MailSettings
    retention_days: int
    stale_after_days: int = 365


@dataclass(frozen=True)
class RoundReport:
    digests: int = 0
    asks: int = 0
    sent: int = 0
    failed: int = 0
    purged: int = 0


def _queued(what: str, queue: Callable[[], int]) -> int:
    """Run one queueing step; a failure is logged and must not stop the mail already waiting."""
    try:
        return queue()
    except Exception:  # logged with its traceback; the next round tries again
        _LOG.exception("queueing %s failed; the next round tries again", what)
        return 0


def run_round(
    work: Round, *, now: dt.datetime | None = None, worker: str | None = None
) -> RoundReport:
    """Queue what is due, send until nothing due is left, purge old bodies."""
    moment = now or dt.datetime.now(dt.UTC)
    digests = _queued("the daily digest", lambda: queue_digests(
        work.store, work.catalog, work.context, now=moment))
    asks = _queued("stewards' questions", lambda: queue_still_right(
        work.store, work.catalog, work.context, stale_after_days=work.stale_after_days,
        now=moment))
    sent = failed = 0
    while True:
        report: SendReport = send_due(work.store, work.smtp, now=moment, worker=worker)
        sent, failed = sent + report.sent, failed + report.failed
        if not report.sent:  # nothing due, or the server is down: wait for the next round
            break
    purged = purge_sent_bodies(work.store, retention_days=work.retention_days, now=moment)
    return RoundReport(digests, asks, sent, failed, purged)


class OutboxWorker:
    """Runs :func:`run_round` every ``poll_seconds`` in a daemon thread until stopped.

    A round that fails (the store unreachable a moment) is logged and the next one tries
    again: a request never waits for mail, and mail problems never reach a request.
    """

    def __init__(
        self, work: Round, *, poll_seconds: float,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._work, self._poll, self._clock = work, poll_seconds, clock
        self._stop = threading.Event()
        self._name = f"outbox-{uuid.uuid4().hex[:8]}"
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._thread.join(timeout=timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                run_round(self._work, now=self._clock(), worker=self._name)
            except Exception:  # a bad round must not end the thread
                _LOG.exception("the outbox round failed; trying again in %s s", self._poll)
            self._stop.wait(self._poll)
