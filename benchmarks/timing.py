"""What the latency benchmarks share: p50 and p99 of repeated calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["p50_p99"]


def p50_p99(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median and 99th percentile, in milliseconds, of ``repeat`` calls."""
    spent = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        spent.append((time.perf_counter() - start) * 1000)
    spent.sort()
    return statistics.median(spent), spent[min(len(spent) - 1, int(len(spent) * 0.99))]
