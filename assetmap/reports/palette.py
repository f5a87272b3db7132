"""Colours shared by the report's interactive and printed maps (colour-blind safe)."""

from __future__ import annotations

__all__ = [
    "BOUNDARY_COLOUR",
    "CATCHMENT_COLOUR",
    "HUB_COLOUR",
    "OUTLINE_COLOUR",
    "SCORE_BANDS",
    "SITE_COLOUR",
    "UNRANKED_FILL",
    "band_label",
    "score_colour",
]

# Sequential ColorBrewer OrRd, five classes: ordered light to dark, colour-blind safe.
SCORE_BANDS: tuple[tuple[float, float, str], ...] = (
    (0, 20, "#fef0d9"),
    (20, 40, "#fdcc8a"),
    (40, 60, "#fc8d59"),
    (60, 80, "#e34a33"),
    (80, 100, "#b30000"),
)
HUB_COLOUR = "#08306b"
CATCHMENT_COLOUR = "#2171b5"
SITE_COLOUR = "#4a1486"
UNRANKED_FILL = "#f0f0f0"
OUTLINE_COLOUR = "#525252"
BOUNDARY_COLOUR = "#1b1b1b"

def score_colour(score: float) -> str:
    """The band colour of a 0–100 score (the top band includes 100)."""
    for low, high, colour in SCORE_BANDS:
        if low <= score < high:
            return colour
    return SCORE_BANDS[-1][2] if score >= SCORE_BANDS[-1][0] else SCORE_BANDS[0][2]


def band_label(low: float, high: float) -> str:
    return f"{low:g}–{high:g}"
