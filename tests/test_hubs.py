"""What counts as a hub: a hub category and not closed, for the analysis and the finder alike."""

from __future__ import annotations

import pandas as pd

from assetmap.hubs import hub_mask, not_closed

ASSETS = pd.DataFrame({
    "category": ["village_hall", "village_hall", "cafe", "community_library", "village_hall"],
    "status": ["open", "at_risk", "open", "Closed", None],
})


def test_open_and_at_risk_halls_count_cafes_and_closed_libraries_do_not() -> None:
    mask = hub_mask(ASSETS, ["village_hall", "community_library"])
    assert mask.tolist() == [True, True, False, False, True]


def test_closed_is_read_in_any_case_and_an_empty_status_is_open() -> None:
    assert not_closed(ASSETS).tolist() == [True, True, True, False, True]
