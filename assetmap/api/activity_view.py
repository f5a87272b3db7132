"""Activities as the residents' pages and the finder API show them (``pages/finder.py``,
``pages/organisations.py``, ``routes/finder.py``): sessions in words, who it is for, cost,
who runs it and where, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from assetmap.activities import AUDIENCES, Occurrence
from assetmap.api.distance_words import distance_text
from assetmap.finder import Activity, FinderData, FoundActivity, Venue
from assetmap.finder.activities import safe_link
from assetmap.finder.whats_on import DAY_CHOICES, sessions_of
from assetmap.messages import Messages

__all__ = [
    "activity_json",
    "activity_view",
    "audience_choices",
    "day_choices",
    "organisation_activities",
    "venue_activities",
]

_AUDIENCE_LABELS = {a.code: a.label for a in AUDIENCES}


def _clock(moment: dt.datetime) -> str:
    """``9:30am``, ``2pm``, ``12 noon``."""
    if moment.hour == 12 and moment.minute == 0:
        return "12 noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}" if moment.minute else f"{hour}{suffix}"


def session_text(t: Messages, session: Occurrence) -> str:
    """``Tuesday 1 December, 9:30am to 11:30am``."""
    day = f"{session.start:%A} {session.start.day} {session.start:%B}"
    return t("activity.session", day=day, start=_clock(session.start), end=_clock(session.end))


def _hub_url(venue: Venue, lang_query: str) -> str | None:
    if not venue.is_hub:
        return None
    return f"/hubs/{quote(venue.id, safe='')}" + (f"?{lang_query}" if lang_query else "")


def _audience(t: Messages, activity: Activity) -> str:
    labels = [t.get(f"audience.{code}", _AUDIENCE_LABELS.get(code, code))
              for code in activity.audience]
    text = ", ".join(labels) if labels else t("hub.not_known")
    if activity.age_min is not None and activity.age_max is not None:
        text += " " + t("activity.ages", low=activity.age_min, high=activity.age_max)
    return text


def _cost(t: Messages, activity: Activity) -> str:
    if not activity.cost:
        return t("hub.not_known")
    return t("activity.free") if activity.cost.strip().lower() == "free" else activity.cost


def activity_view(
    t: Messages, data: FinderData, activity: Activity, venue: Venue | None,
    sessions: tuple[Occurrence, ...], lang_query: str, distance_m: float | None = None,
) -> dict[str, Any]:
    """What one activity's entry shows (every value text; the template escapes it)."""
    organisation = data.activities.organisations.get(activity.organisation_id or "")
    suffix = f"?{lang_query}" if lang_query else ""
    distance = None if distance_m is None else distance_text(t, distance_m)
    return {
        "activity": activity,
        "sessions": [session_text(t, s) for s in sessions],
        "first_session": session_text(t, sessions[0]) if sessions else None,
        "no_sessions": t("activity.paused") if activity.status == "paused"
        else t("activity.no_sessions"),
        "venue": venue,
        "venue_url": _hub_url(venue, lang_query) if venue is not None else None,
        "distance": distance,
        "audience": _audience(t, activity),
        "cost": _cost(t, activity),
        "organisation": organisation,
        "organisation_url": (f"/organisations/{quote(organisation.id, safe='')}{suffix}"
                             if organisation is not None else None),
        "website": safe_link(activity.website),
    }


def found_view(t: Messages, data: FinderData, found: FoundActivity, lang_query: str
               ) -> dict[str, Any]:
    return activity_view(t, data, found.activity, found.venue, found.sessions, lang_query,
                         found.distance_m)


def _by_next_session(views: list[dict[str, Any]], starts: list[dt.datetime | None]
                     ) -> list[dict[str, Any]]:
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    order = sorted(range(len(views)), key=lambda i: (starts[i] or never,
                                                     views[i]["activity"].name.lower()))
    return [views[i] for i in order]


def venue_activities(t: Messages, data: FinderData, venue_id: str, lang_query: str,
                     now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """What's on at one place, soonest first (those with no date to come last)."""
    index = data.activities
    venue = index.venue_by_id.get(venue_id)
    views, starts = [], []
    for activity_id in index.by_venue.get(venue_id, []):
        activity = index.activities[activity_id]
        sessions = sessions_of(activity, None, now)
        views.append(activity_view(t, data, activity, venue, sessions, lang_query))
        starts.append(sessions[0].start if sessions else None)
    return _by_next_session(views, starts)


def organisation_activities(t: Messages, data: FinderData, organisation_id: str,
                            lang_query: str, now: dt.datetime | None = None
                            ) -> list[dict[str, Any]]:
    """Where and when an organisation runs things: one row per activity and place."""
    index = data.activities
    views, starts = [], []
    for activity_id in index.by_organisation.get(organisation_id, []):
        activity = index.activities[activity_id]
        sessions = sessions_of(activity, None, now)
        for place in activity.asset_ids:
            views.append(activity_view(t, data, activity, index.venue_by_id[place], sessions,
                                       lang_query))
            starts.append(sessions[0].start if sessions else None)
    return _by_next_session(views, starts)


def day_choices(t: Messages) -> list[tuple[str, str]]:
    return [(code, t(f"day.{code}")) for code in DAY_CHOICES]


def audience_choices(t: Messages) -> list[tuple[str, str]]:
    return [(a.code, t.get(f"audience.{a.code}", a.label)) for a in AUDIENCES
            if a.code != "everyone"]


def activity_json(found: FoundActivity, data: FinderData) -> dict[str, Any]:
    """One found activity in the finder API (times ISO 8601, Europe/London offsets)."""
    activity, venue = found.activity, found.venue
    organisation = data.activities.organisations.get(activity.organisation_id or "")
    return {
        "id": activity.id,
        "name": activity.name,
        "category": activity.category,
        "category_label": activity.category_label,
        "description": activity.description,
        "status": activity.status,
        "audience": list(activity.audience),
        "age_min": activity.age_min,
        "age_max": activity.age_max,
        "cost": activity.cost,
        "schedule": activity.schedule,
        "next_sessions": [{"start": s.start.isoformat(), "end": s.end.isoformat()}
                          for s in found.sessions],
        "venue": {"id": venue.id, "name": venue.name, "lon": round(venue.lon, 6),
                  "lat": round(venue.lat, 6), "address": venue.address,
                  "postcode": venue.postcode,
                  "page": f"/hubs/{quote(venue.id, safe='')}" if venue.is_hub else None},
        "distance_m": None if found.distance_m is None else round(found.distance_m, 1),
        "organisation": None if organisation is None else {
            "id": organisation.id, "name": organisation.name,
            "page": f"/organisations/{quote(organisation.id, safe='')}"},
        "email": activity.email,
        "phone": activity.phone,
        "website": safe_link(activity.website),
    }
