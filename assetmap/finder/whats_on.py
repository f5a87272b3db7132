"""Find activities: by words ("dementia café", "yoga", "toddler"), near a place or county-wide,
on a day and for someone; and the places whose name or kind matches the words.

Near a place, the activities at the nearest venues (64 of them, a few hundred activities,
enough for a common word such as "club") are kept when they match the words, as the store's
full-text search finds them once per word (:class:`~assetmap.finder.word_matches.WordMatches`).
When too few match there, a rare word's matches are few anywhere and are all ranked by
distance; otherwise the 256 nearest venues are searched. An activity's distance is that of
its nearest venue. The next sessions come from the activity's OpenStreetMap schedule
(:func:`assetmap.activities.next_occurrences`), in Europe/London time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assetmap.activities import AUDIENCES, LONDON, Occurrence, next_occurrences
from assetmap.errors import ValidationFailed
from assetmap.finder.activities import Activity, ActivityIndex, Venue
from assetmap.finder.hubs import HubIndex, NearbyHub
from assetmap.finder.word_matches import Matcher, WordMatches
from assetmap.layers import LayerSpec
from assetmap.store.search_terms import search_terms

__all__ = [
    "DAY_CHOICES",
    "FoundActivity",
    "check_audience",
    "check_day",
    "find_activities",
    "find_places",
    "sessions_of",
]

# ``day``: today, the next seven days, or a day of the week (OSM's two-letter codes).
DAY_CHOICES = ("today", "week", "mo", "tu", "we", "th", "fr", "sa", "su")
_WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
# Words are searched at the nearest venues first; when too few match there, every match is
# ranked by distance if there are fewer than _ALL_OF_A_RARE_WORD, else the further venues.
_NEAREST, _FURTHER = 64, 256
_ALL_OF_A_RARE_WORD = 500
_SESSIONS_SHOWN = 3
_SESSIONS_LOOKED_AT = 12


@dataclass(frozen=True)
class FoundActivity:
    activity: Activity
    venue: Venue  # where it runs nearest the place searched (its first venue county-wide)
    distance_m: float | None
    sessions: tuple[Occurrence, ...]  # the next ones (on the day asked for, if one was)


def check_day(value: str | None) -> str | None:
    code = (value or "").strip().lower()
    if not code:
        return None
    if code not in DAY_CHOICES:
        raise ValidationFailed(
            f"Unknown day {value!r}. Choose from: {', '.join(DAY_CHOICES)}.",
            key="error.day_unknown",
            details=[{"field": "day", "problem": f"not one of {', '.join(DAY_CHOICES)}"}],
        )
    return code


def check_audience(value: str | None) -> str | None:
    code = (value or "").strip().lower()
    if not code:
        return None
    codes = [a.code for a in AUDIENCES]
    if code not in codes:
        raise ValidationFailed(
            f"Unknown audience {value!r}. Choose from: {', '.join(codes)}.",
            key="error.audience_unknown",
            details=[{"field": "audience", "problem": f"not one of {', '.join(codes)}"}],
        )
    return code


def _on_day(day: str | None, now: dt.datetime) -> Callable[[Occurrence], bool]:
    if day is None:
        return lambda _: True
    if day == "today":
        return lambda o: o.start.date() <= now.date() <= o.end.date()
    if day == "week":
        return lambda o: o.start < now + dt.timedelta(days=7)
    weekday = _WEEKDAYS.index(day)
    return lambda o: o.start.weekday() == weekday


def sessions_of(activity: Activity, day: str | None = None,
                now: dt.datetime | None = None) -> tuple[Occurrence, ...]:
    """The next sessions of an activity (on ``day``, if given); none for a paused one."""
    if not activity.schedule or activity.status != "active":
        return ()
    moment = (now or dt.datetime.now(LONDON)).astimezone(LONDON)
    wanted = _on_day(day, moment)
    looked_at = _SESSIONS_SHOWN if day is None else _SESSIONS_LOOKED_AT
    found = [o for o in next_occurrences(activity.schedule, looked_at, after=moment)
             if wanted(o)]
    return tuple(found[:_SESSIONS_SHOWN])


def _for(activity: Activity, audience: str | None) -> bool:
    return audience is None or audience in activity.audience or "everyone" in activity.audience


@dataclass(frozen=True)
class _Wanted:
    day: str | None
    audience: str | None
    now: dt.datetime
    limit: int


def _collect(
    index: ActivityIndex, candidates: Iterable[tuple[float | None, str, Venue]], wanted: _Wanted
) -> list[FoundActivity]:
    """Keep candidates (in the order given) that suit the filters, up to ``limit``."""
    found: list[FoundActivity] = []
    for distance, activity_id, venue in candidates:
        activity = index.activities.get(activity_id)
        if activity is None or not _for(activity, wanted.audience):
            continue
        sessions = sessions_of(activity, wanted.day, wanted.now)
        if wanted.day is not None and not sessions:
            continue
        found.append(FoundActivity(activity, venue, distance, sessions))
        if len(found) >= wanted.limit:
            break
    return found


def _by_distance(
    index: ActivityIndex, ids: Iterable[str], distances: dict[str, tuple[float, Venue]]
) -> list[tuple[float, str, Venue]]:
    """Each activity at its nearest venue among ``distances``, nearest first, then by name."""
    ranked: list[tuple[float, str, Venue]] = []
    for activity_id in dict.fromkeys(ids):
        activity = index.activities.get(activity_id)
        if activity is None:
            continue
        places = [distances[a] for a in activity.asset_ids if a in distances]
        if places:
            distance, venue = min(places, key=lambda p: p[0])
            ranked.append((distance, activity_id, venue))
    ranked.sort(key=lambda c: (c[0], index.activities[c[1]].name.lower(), c[1]))
    return ranked


def _everywhere(index: ActivityIndex, ids: Sequence[str],
                near: tuple[float, float]) -> dict[str, tuple[float, Venue]]:
    """Distances from ``near`` to every venue of the given activities."""
    distances: dict[str, tuple[float, Venue]] = {}
    for activity_id in ids:
        activity = index.activities.get(activity_id)
        for place in activity.asset_ids if activity else ():
            venue = index.venue_by_id[place]
            distance = float(np.hypot(venue.easting - near[0], venue.northing - near[1]))
            distances[place] = (distance, venue)
    return distances


def _near(index: ActivityIndex, words: Matcher, what: str, has_words: bool,
          near: tuple[float, float], wanted: _Wanted) -> list[FoundActivity]:
    matches = words.matching(what) if has_words else None

    def around(k: int) -> list[FoundActivity]:
        venues = index.nearest_venues(near[0], near[1], k)
        distances = {venue.id: (distance, venue) for venue, distance in venues}
        ids = [a for venue, _ in venues for a in index.by_venue.get(venue.id, ())]
        ids = ids if matches is None else matches.among(ids)
        return _collect(index, _by_distance(index, ids, distances), wanted)

    found = around(_NEAREST)
    if len(found) >= wanted.limit or len(index.venues) <= _NEAREST:
        return found
    few = None if matches is None else matches.fewer_than(_ALL_OF_A_RARE_WORD)
    if few is not None:
        # Too few nearby, and a rare word has few matches anywhere: rank them all by distance.
        return _collect(index, _by_distance(index, few, _everywhere(index, few, near)), wanted)
    # A common word (or none) and strict filters: look further around.
    return around(_FURTHER)


def find_activities(
    index: ActivityIndex,
    store: Any,
    layer: LayerSpec,
    what: str,
    *,
    words: Matcher | None = None,
    near: tuple[float, float] | None = None,
    day: str | None = None,
    audience: str | None = None,
    now: dt.datetime | None = None,
    limit: int = 10,
) -> list[FoundActivity]:
    """Activities matching ``what`` (every word; none: anything), nearest ``near`` first.

    Without ``near``, county-wide, best match first. Nothing when there are neither words nor
    a place (the whole county's activities are not a useful list).
    """
    moment = (now or dt.datetime.now(LONDON)).astimezone(LONDON)
    wanted = _Wanted(day, audience, moment, limit)
    has_words = bool(search_terms(what))
    if near is not None:
        return _near(index, words or WordMatches(store, layer, index.activities), what,
                     has_words, near, wanted)
    if not has_words:
        return []
    ids = store.search(layer, what, limit=_ALL_OF_A_RARE_WORD)
    candidates = [(None, i, index.venue_by_id[index.activities[i].asset_ids[0]])
                  for i in ids if i in index.activities]
    return _collect(index, candidates, wanted)


def find_places(hubs: HubIndex, store: Any, layer: LayerSpec, what: str,
                easting: float, northing: float, limit: int = 10) -> list[NearbyHub]:
    """Hubs near a point whose name or kind holds every word of ``what``, nearest first."""
    nearby = hubs.nearest(easting, northing, 200)
    if not nearby or not search_terms(what):
        return []
    matching = set(store.search(layer, what, within={"id": [f.hub.id for f in nearby]}))
    return [f for f in nearby if f.hub.id in matching][:limit]
