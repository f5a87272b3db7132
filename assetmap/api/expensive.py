"""Expensive work (report pages, PDFs, downloads) off the event loop, in a small pool of its own.

Rendering a district report takes 0.2-2 s of CPU. Run in the shared thread pool, a burst of
them would take every thread the finder, bbox and cluster requests need; so at most
``running`` renders run at once per worker, at most ``waiting`` more queue for a turn, and
beyond that the request is answered at once with 503 and ``Retry-After`` instead of piling
up (a queued render is a client waiting seconds; a longer queue would only lengthen it).

``run_once`` renders a thing once however many ask for it meanwhile: after a restart the
first visitors to a report all wait for one render, taking one place in the queue, rather
than each starting another (which filled the queue and answered 503 under load).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from starlette.exceptions import HTTPException

__all__ = ["RenderPool"]

T = TypeVar("T")


@dataclass
class _Flight:
    """One render under way, and what it came to, for those who asked meanwhile."""

    done: anyio.Event = field(default_factory=anyio.Event)
    result: Any = None
    error: Exception | None = None
    finished: bool = False  # False once done: the render was abandoned (its asker went)


class RenderPool:
    """A bounded queue in front of a few threads; used from the event loop only."""

    def __init__(self, running: int = 2, waiting: int = 8, retry_after_s: int = 5) -> None:
        self._limiter = anyio.CapacityLimiter(running)
        self._most = running + waiting
        self._admitted = 0  # changed only on the event loop: no lock needed
        self._flights: dict[Hashable, _Flight] = {}
        self.retry_after_s = retry_after_s

    async def run_once(self, key: Hashable, work: Callable[..., T], *args: Any) -> T:
        """``run(work, *args)``, shared by every caller asking with ``key`` meanwhile."""
        while (flight := self._flights.get(key)) is not None:
            await flight.done.wait()
            if flight.finished:
                if flight.error is not None:
                    raise flight.error
                shared: T = flight.result
                return shared
            # abandoned (its asker was cancelled): try again, perhaps as the one who renders
        flight = self._flights[key] = _Flight()
        try:
            flight.result = await self.run(work, *args)
        except Exception as error:  # a 503 or a failed render: the same for everyone waiting
            flight.error, flight.finished = error, True
            raise
        else:
            flight.finished = True
            result: T = flight.result
            return result
        finally:
            del self._flights[key]
            flight.done.set()

    @property
    def admitted(self) -> int:
        """Renders running or waiting now."""
        return self._admitted

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        if self._admitted >= self._most:
            raise HTTPException(
                503,
                f"Busy making other reports ({self._admitted} under way); "
                f"try again in {self.retry_after_s} seconds.",
                headers={"Retry-After": str(self.retry_after_s)},
            )
        self._admitted += 1
        try:
            return await anyio.to_thread.run_sync(partial(work, *args), limiter=self._limiter)
        finally:
            self._admitted -= 1
