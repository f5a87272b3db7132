"""The stale-records list: never checked first, then oldest; closed assets left out."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
from shapely.geometry import Point

from assetmap.register.stale import stale_features


def test_stale_records_are_ordered_and_closed_ones_skipped() -> None:
    frame = gpd.GeoDataFrame(
        {
            "id": ["fresh", "old", "never", "older", "closed"],
            "status": ["open", "open", "at_risk", "open", "closed"],
            "last_verified": ["2026-06-01", "2025-11-01", None, "2024-01-01", "2020-01-01"],
        },
        geometry=[Point(0, 0)] * 5,
        crs="EPSG:27700",
    )
    stale = stale_features(frame, today=dt.date(2026, 11, 22), days=365)
    assert stale["id"].tolist() == ["never", "older", "old"]
    assert stale["days_since_verified"].tolist()[1:] == [1056, 386]
    assert stale_features(frame, today=dt.date(2026, 11, 22), days=2000).id.tolist() == ["never"]
