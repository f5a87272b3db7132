"""Groups and what they run: the people side of community assets.

``records`` holds the one ``Activity`` and ``Organisation`` the finder and the directory
read; ``taxonomy`` holds the documented categories of activity and the audiences they are for;
``schedules`` reads OpenStreetMap ``opening_hours`` schedules (activities' ``schedule`` and
assets' ``opening_times``) with opening-hours-py. The layers themselves are declared in
``layers/organisations.yaml`` and ``layers/activities.yaml`` (non-spatial: an activity runs at
the assets in its ``asset_ids``).
"""

from assetmap.activities.records import Activity, Organisation
from assetmap.activities.schedules import (
    LONDON,
    Occurrence,
    is_open,
    next_occurrences,
    open_during,
    parse_schedule,
    schedule_problem,
    sessions_per_week,
)
from assetmap.activities.taxonomy import AUDIENCES, TAXONOMY, Audience, Category, audience, category

__all__ = [
    "AUDIENCES",
    "LONDON",
    "TAXONOMY",
    "Activity",
    "Audience",
    "Category",
    "Occurrence",
    "Organisation",
    "audience",
    "category",
    "is_open",
    "next_occurrences",
    "open_during",
    "parse_schedule",
    "schedule_problem",
    "sessions_per_week",
]
