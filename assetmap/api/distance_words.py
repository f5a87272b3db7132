"""How far a place is, as a page says it: never "0.0 km".

The standard pages give kilometres and miles to one decimal ("1.2 km (0.7 miles) away"), and
"less than 100 metres" below that. A catalogue with ``hub.distance_in_words: "yes"`` (Easy
Read) says it in plain words instead: "less than 100 metres away", "about 400 metres away",
"about half a mile away", "about 2 miles away". Distances are straight-line ones.
"""

from __future__ import annotations

from assetmap.finder import distance_parts
from assetmap.messages import Messages

__all__ = ["distance_text"]

METRES_PER_MILE = 1609.344
NEAR_M = 100  # closer than this is "less than 100 metres"
HALF_MILE_FROM_M = 650  # from here on, miles read more naturally than hundreds of metres


def _in_words(t: Messages, metres: float) -> str:
    if metres < HALF_MILE_FROM_M:
        return t("hub.distance_metres", metres=int(max(NEAR_M, round(metres, -2))))
    miles = metres / METRES_PER_MILE
    if miles < 0.75:
        return t("hub.distance_half_mile")
    whole = round(miles)
    return t("hub.distance_mile") if whole == 1 else t("hub.distance_miles", miles=whole)


def distance_text(t: Messages, metres: float) -> str:
    """``metres`` (straight-line) as the page's language says it."""
    if metres < NEAR_M:
        return t("hub.distance_near")
    if t.get("hub.distance_in_words", "") == "yes":
        return _in_words(t, metres)
    km, miles = distance_parts(metres)
    return t("hub.distance", km=km, miles=miles)
