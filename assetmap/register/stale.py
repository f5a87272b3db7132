"""Records nobody has checked for a while: the officers' to-do list."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import geopandas as gpd

from assetmap.errors import ValidationFailed
from assetmap.register.editing import VERIFIED_FIELD

__all__ = ["stale_features"]


def stale_features(frame: gpd.GeoDataFrame, *, today: dt.date, days: int) -> gpd.GeoDataFrame:
    """Features not closed whose ``last_verified`` is missing or ``days`` or more old.

    Adds ``days_since_verified`` (missing when never verified); never-verified
    records come first, then the oldest.
    """
    if VERIFIED_FIELD not in frame.columns:
        raise ValidationFailed(f"This layer has no {VERIFIED_FIELD} field, so nothing can be stale")
    live = frame if "status" not in frame.columns else frame[frame["status"] != "closed"]
    verified = pd.to_datetime(live[VERIFIED_FIELD], errors="coerce").dt.date
    age = verified.map(lambda d: None if pd.isna(d) else (today - d).days)
    stale = live.assign(days_since_verified=pd.array(age.tolist(), dtype="Int64"))
    stale = stale[age.isna().to_numpy() | (age.fillna(0).to_numpy() >= days)]
    order = stale["days_since_verified"].fillna(10**9).astype("int64")
    return stale.iloc[(-order).argsort(kind="stable")]
