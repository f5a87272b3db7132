"""What the analysis knows of activity: how busy each hub is, and who works in each area.

**Activity level.** A hub's level is the sessions a week of the running (``status: active``)
activities at it, from their schedules (:func:`assetmap.activities.sessions_per_week`, over
the 52 weeks from 1 January of the analysis year, so monthly and winter-only sessions weigh
what they give). An activity listed at several assets shares its sessions among them. With the
``activity_weighting`` setting on (off by default, so results are unchanged unless a
planner chooses it), each hub counts in residents per hub as
``min(1, level / activity_full_sessions)``, and never less than a tenth: a building nobody
has recorded an activity at is still a place to meet, but a daily hub weighs more than a hall
opened once a month. Buildings are still counted as they are for ``no_hub``.

**Groups known to work in an area.** An organisation works in a community area when its
``areas_served`` names the area, or when it runs a running activity at an asset in the area;
organisations serving a whole district (a district code in ``areas_served``) are listed
apart, as district-wide. An area with no hub and no group known to work there is the
sharpest gap: nobody on the ground the council can work with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assetmap.activities import schedule_problem, sessions_per_week
from assetmap.field_rules import split_list

__all__ = [
    "ACTIVITY_FLOOR",
    "KnownGroups",
    "activity_levels",
    "groups_table",
    "hub_weights",
    "known_groups",
]

ACTIVITY_FLOOR = 0.1  # the least a hub counts for when weighted by its activity


def _running(activities: pd.DataFrame | None) -> pd.DataFrame:
    if activities is None or not len(activities):
        return pd.DataFrame(columns=["asset_ids", "schedule", "organisation_id", "status"])
    return activities[(activities["status"] == "active").to_numpy()]


def activity_levels(activities: pd.DataFrame | None, since: dt.datetime) -> pd.Series:
    """Sessions a week at each asset id, from the running activities' schedules.

    A schedule that does not parse (stored before schedules were checked) gives nothing.
    """
    levels: dict[str, float] = {}
    for row in _running(activities).itertuples():
        venues = split_list(str(row.asset_ids or ""))
        schedule = str(row.schedule or "")
        if not venues or not schedule or schedule_problem(schedule) is not None:
            continue
        share = sessions_per_week(schedule, since) / len(venues)
        for venue in venues:
            levels[venue] = levels.get(venue, 0.0) + share
    return pd.Series(levels, dtype=float)


def hub_weights(hub_ids: pd.Series, levels: pd.Series, full_sessions: float) -> np.ndarray:
    """Each hub's weight: ``min(1, level / full_sessions)``, at least :data:`ACTIVITY_FLOOR`."""
    level = hub_ids.astype(str).map(levels).fillna(0.0).to_numpy(dtype=float)
    weights: np.ndarray = np.maximum(ACTIVITY_FLOOR, np.minimum(1.0, level / full_sessions))
    return weights


@dataclass(frozen=True)
class KnownGroups:
    """Per community area code, the names of organisations known to work there."""

    # Serving the area, or running things in it; and district code -> organisations serving it.
    local: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    district_wide: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def in_area(self, code: str) -> tuple[str, ...]:
        return self.local.get(code, ())


def known_groups(
    organisations: pd.DataFrame | None,
    activities: pd.DataFrame | None,
    asset_areas: Mapping[str, str],
    district_codes: set[str],
) -> KnownGroups:
    """Who works where: ``asset_areas`` maps asset id to its community area code."""
    if organisations is None or not len(organisations):
        return KnownGroups()
    names = dict(zip(organisations["id"].astype(str), organisations["name"].astype(str),
                     strict=True))
    local: dict[str, set[str]] = {}
    wide: dict[str, set[str]] = {}
    for org_id, served in zip(organisations["id"].astype(str), organisations["areas_served"],
                              strict=True):
        for code in split_list(None if pd.isna(served) else str(served)):
            (wide if code in district_codes else local).setdefault(code, set()).add(org_id)
    for row in _running(activities).itertuples():
        organiser = None if pd.isna(row.organisation_id) else str(row.organisation_id)
        if organiser is None or organiser not in names:
            continue
        for venue in split_list(str(row.asset_ids or "")):
            if venue in asset_areas:
                local.setdefault(asset_areas[venue], set()).add(organiser)

    def named(found: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
        return {code: tuple(sorted(names[i] for i in ids)) for code, ids in found.items()}

    return KnownGroups(named(local), named(wide))


def groups_table(areas: pd.DataFrame, known: KnownGroups, district_code: str) -> pd.DataFrame:
    """Per area of ``areas`` (ranked community areas): ``code``, ``name``, ``hub_count``,
    ``groups`` (names joined by "; "), ``district_wide`` (organisations serving the whole
    district) and ``no_hub_no_group``: neither a hub nor a group known to work there."""
    groups = [known.in_area(str(code)) for code in areas["code"]]
    hubs = areas["hub_count"].to_numpy()
    return pd.DataFrame({
        "code": areas["code"].to_numpy(),
        "name": (areas["name"] if "name" in areas.columns else areas["code"]).to_numpy(),
        "hub_count": hubs,
        "groups": ["; ".join(g) for g in groups],
        "district_wide": "; ".join(known.district_wide.get(district_code, ())),
        "no_hub_no_group": (hubs == 0) & np.array([not g for g in groups], dtype=bool),
    })
