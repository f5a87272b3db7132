"""When things happen: OpenStreetMap ``opening_hours`` schedules, read by opening-hours-py.

An activity's ``schedule`` and an asset's ``opening_times`` hold the OSM syntax
(https://wiki.openstreetmap.org/wiki/Key:opening_hours), e.g. ``Tu 10:00-12:00`` (weekly),
``Mo[1] 14:00-16:00`` (the first Monday of each month), ``Mo-Fr 09:00-17:00; PH off``,
``2026 Dec 24 10:00-12:00`` (a one-off date). The parser is the maintained Rust library
``opening-hours-py``; this module adds the questions residents and planners ask of a
schedule: does it parse (and if not, the parser's own message), when are the next sessions,
is it open now, is it open on a Tuesday evening, how many sessions a week does it give.

Every time is local time in the county, Europe/London (GMT and BST); a naive datetime given
here is taken to be London time. Public holidays (``PH``) are England's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Literal
from zoneinfo import ZoneInfo

import opening_hours

from assetmap.errors import ValidationFailed

__all__ = [
    "DAYS",
    "LONDON",
    "PARTS_OF_DAY",
    "Occurrence",
    "PartOfDay",
    "Weekday",
    "is_open",
    "next_occurrences",
    "open_during",
    "parse_schedule",
    "schedule_problem",
    "sessions_per_week",
]

LONDON = ZoneInfo("Europe/London")
Weekday = Literal["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
PartOfDay = Literal["morning", "afternoon", "evening"]
DAYS: tuple[Weekday, ...] = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
# What residents mean by the parts of a day, as (from, until) local times.
PARTS_OF_DAY: dict[PartOfDay, tuple[dt.time, dt.time]] = {
    "morning": (dt.time(6), dt.time(12)),
    "afternoon": (dt.time(12), dt.time(17)),
    "evening": (dt.time(17), dt.time(23, 59, 59)),
}
# Sessions a week are counted over a whole year, so monthly and seasonal patterns weigh
# what they really give (the first Monday of the month: 12 in 52 weeks, 0.23 a week).
_REFERENCE_WEEKS = 52
# Far enough ahead to find the next session of a monthly or yearly pattern.
_HORIZON = dt.timedelta(days=400)
# The parser raises its own ParserError (absent from the library's type stubs).
_PARSE_ERRORS: tuple[type[Exception], ...] = (
    getattr(opening_hours, "ParserError", SyntaxError), SyntaxError, ValueError,
)
_LOCATION = re.compile(r"-->\s*(\d+):(\d+)")


@dataclass(frozen=True)
class Occurrence:
    """One session: local start and end (Europe/London) and the schedule's comment, if any."""

    start: dt.datetime
    end: dt.datetime
    comment: str = ""


def _message(error: Exception, text: str) -> str:
    """The parser's message on one line: where (column) and what it expected."""
    raw = str(error)
    expected = [line.split("=", 1)[1].strip() for line in raw.splitlines() if "= " in line]
    where = _LOCATION.search(raw)
    column = f"at character {where.group(2)}" if where else "somewhere"
    what = expected[0] if expected else raw.strip().splitlines()[0]
    return f"{text!r} is not valid opening_hours syntax {column}: {what}"


@lru_cache(maxsize=4096)
def _parsed(text: str) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(text, timezone=LONDON, country="GB")


def schedule_problem(text: str) -> str | None:
    """None when ``text`` parses; otherwise the parser's message, naming where it failed."""
    try:
        _parsed(text.strip())
    except _PARSE_ERRORS as exc:
        return _message(exc, text)
    return None


def parse_schedule(text: str) -> opening_hours.OpeningHours:
    """The parsed schedule; ``ValidationFailed`` carrying the parser's message if it fails."""
    problem = schedule_problem(text)
    if problem is not None:
        raise ValidationFailed(
            problem,
            details=[{"field": "schedule", "problem": problem,
                      "fix": "use OpenStreetMap opening_hours syntax, e.g. Tu 10:00-12:00"}],
        )
    return _parsed(text.strip())


def _local(moment: dt.datetime | None) -> dt.datetime:
    if moment is None:
        return dt.datetime.now(LONDON)
    return moment.replace(tzinfo=LONDON) if moment.tzinfo is None else moment.astimezone(LONDON)


def _openings(text: str, start: dt.datetime, end: dt.datetime) -> Iterator[Occurrence]:
    """The open intervals between ``start`` and ``end``, lazily (the parser yields them).

    A session wholly inside the hour the clocks skip in spring (``Su 01:00-02:00`` on the last
    Sunday of March) comes back from the parser as an empty interval: it does not happen.
    """
    for begin, finish, state, comment in parse_schedule(text).intervals(start, end):
        if state == opening_hours.State.OPEN:
            occurrence = Occurrence(_local(begin), _local(finish or end), comment or "")
            if occurrence.end > occurrence.start:
                yield occurrence


def next_occurrences(
    text: str, count: int = 3, after: dt.datetime | None = None
) -> list[Occurrence]:
    """The next ``count`` sessions from ``after`` (default now); one running now comes first.

    Looks up to 400 days ahead, so a monthly or yearly session is found; a schedule that never
    opens again (a past one-off date) gives an empty list.
    """
    if count <= 0:
        return []
    start = _local(after)
    return list(islice(_openings(text, start, start + _HORIZON), count))


def is_open(text: str, at: dt.datetime | None = None) -> bool:
    """Open at ``at`` (default now)?"""
    return bool(parse_schedule(text).is_open(_local(at)))


def open_during(
    text: str,
    day: Weekday,
    part: PartOfDay | None = None,
    *,
    weeks: int = 5,
    after: dt.datetime | None = None,
) -> bool:
    """Open at some time on ``day`` (in ``part`` of it, if given) in the next ``weeks`` weeks.

    Five weeks by default, so "first Tuesday of the month" counts as open on a Tuesday.
    """
    if day not in DAYS:
        raise ValidationFailed(f"{day!r} is not a day; use one of {', '.join(DAYS)}")
    start = _local(after).replace(hour=0, minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=(DAYS.index(day) - start.weekday()) % 7)
    since, until = PARTS_OF_DAY[part] if part else (dt.time(0), dt.time(23, 59, 59))
    for week in range(weeks):
        date = (start + dt.timedelta(weeks=week)).date()
        window_start = dt.datetime.combine(date, since, LONDON)
        window_end = dt.datetime.combine(date, until, LONDON)
        if next(_openings(text, window_start, window_end), None) is not None:
            return True
    return False


def sessions_per_week(text: str, since: dt.datetime | None = None) -> float:
    """Average sessions a week over the 52 weeks from ``since`` (default now).

    A session is one opening; an opening longer than a day (``24/7``) counts once a day, so
    ``Mo-Fr 09:00-17:00`` gives 5, ``Tu 10:00-12:00; Th 10:00-12:00`` 2 and ``Mo[1] 14:00-16:00``
    12/52.
    """
    return _sessions_per_week(text.strip(), _local(since))


@lru_cache(maxsize=16_384)
def _sessions_per_week(text: str, start: dt.datetime) -> float:
    # Cached: registers repeat schedules ("We 12:00-14:00"), and a year of openings is the
    # dearest question asked of one.
    end = start + dt.timedelta(weeks=_REFERENCE_WEEKS)
    sessions = 0
    for opening in _openings(text, start, end):
        days = (opening.end - opening.start) / dt.timedelta(days=1)
        sessions += max(1, round(days)) if days > 1 else 1
    return sessions / _REFERENCE_WEEKS
