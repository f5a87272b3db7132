"""Python's cycle collector paused while an import reads, checks and writes many rows.

A 100,000-row import makes millions of small objects (a dict per row, its checked values,
problems, planned rows) that live until the import ends. Each of them counts towards the
collector's next pass, and each pass walks everything alive: reading, checking and planning
took about twice as long with it running. Nothing an import makes needs it (the rows hold
no reference cycles); the collector is switched back on as soon as the last import in the
process is done, and catches up then.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collection_paused"]

_lock = threading.Lock()
_imports = 0  # imports under way in this process (the server may run two at once)
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """The collector off for the block (and for any block of another thread still inside)."""
    global _imports, _was_enabled
    with _lock:
        if _imports == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _imports += 1
    try:
        yield
    finally:
        with _lock:
            _imports -= 1
            if _imports == 0 and _was_enabled:
                gc.enable()
