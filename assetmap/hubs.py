"""What counts as a hub: one rule for the gap analysis, the siting search and the public finder.

A hub is an asset whose category the assets layer lists in ``hub_categories``
(``layers/assets.yaml``: community hubs, village halls, community centres,
community-managed libraries, church halls open to community use, …) and whose
status is not ``closed``: open and at-risk places still serve their residents
today. Closed assets never count and are never shown to residents.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["CLOSED", "hub_mask", "not_closed"]

CLOSED = "closed"


def not_closed(assets: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """True for assets whose ``status`` is anything but closed (any case; empty = open)."""
    status = assets["status"].astype("string").str.strip().str.lower()
    return np.asarray((status != CLOSED).fillna(True), dtype=bool)


def hub_mask(assets: pd.DataFrame, hub_categories: Iterable[str]) -> npt.NDArray[np.bool_]:
    """True for the ``assets`` rows that count as hubs: a hub category and not closed."""
    in_category = np.asarray(assets["category"].isin(set(hub_categories)), dtype=bool)
    return in_category & not_closed(assets)
