"""Plain words for the codes the analysis uses, so a report never shows snake_case or EPSG.

The analysis, its JSON and ``docs/METHOD.md`` keep the codes (``no_hub``,
``urban_catchment_m``): they are what a query string, the CLI's ``--set`` and a GIS
client use. Everything a councillor reads in a report (page, PDF, CLI table) goes
through :func:`plain_words` or :data:`THRESHOLD_LABELS` first.
"""

from __future__ import annotations

import re

__all__ = ["THRESHOLD_LABELS", "plain_words", "threshold_label"]

THRESHOLD_LABELS = {
    "urban_catchment_m": "Catchment radius in urban areas (metres)",
    "rural_catchment_m": "Catchment radius in rural areas (metres)",
    "poor_access_share": "Poor access: share of residents outside every catchment above",
    "over_capacity_residents_per_hub": "Over capacity: residents per hub above",
    "high_need_share": "High need: share of residents in deprived areas above",
    "deprived_deciles": "Deprived areas: IMD deciles 1 to",
    "urban_density_per_km2": "Urban from this many residents per km²",
    "activity_weighting": "Count hubs by how active they are",
    "activity_full_sessions": "Sessions a week at which a hub counts in full",
    "weight_uncovered": "Score weight: residents outside every catchment",
    "weight_distance": "Score weight: distance to the nearest hub",
    "weight_capacity": "Score weight: residents per hub",
    "weight_need": "Score weight: deprivation",
}

_WORDS = {
    "no_hub": "no hub",
    "poor_access": "poor access",
    "over_capacity": "over capacity",
    "high_need": "high need",
    "under_served": "under-served",
    "last_verified": "the date it was last checked",
    "areas_served": "the areas it serves",
    "opening_hours": "opening hours",
    "rank_band": "rank band",
    "hub_count": "hubs",
    "residents_per_hub": "residents per hub",
    "set_cover": "fewest sites",
    "p_median": "shortest mean distance",
    "town_council": "town council",
    "parish_council": "parish council",
    "parish_meeting": "parish meeting",
    **{code: label[0].lower() + label[1:] for code, label in THRESHOLD_LABELS.items()},
}
_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_EPSG_AFTER_GRID = re.compile(r"British National Grid,?\s*(?:\()?EPSG:27700\)?")
_EPSG = {"EPSG:27700": "British National Grid", "EPSG:4326": "longitude and latitude (WGS 84)"}


def threshold_label(name: str) -> str:
    """A threshold's plain name (its code with spaces when it has none)."""
    return THRESHOLD_LABELS.get(name, name.replace("_", " ").capitalize())


def plain_words(text: str) -> str:
    """``text`` with every known code in plain words, and no EPSG code in prose."""
    text = _EPSG_AFTER_GRID.sub("British National Grid", text)
    for code, words in _EPSG.items():
        text = text.replace(code, words)
    return _CODE.sub(lambda m: _WORDS.get(m.group(0), m.group(0).replace("_", " ")), text)
