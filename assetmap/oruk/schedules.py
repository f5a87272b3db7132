"""OpenStreetMap ``opening_hours`` to HSDS schedules (RFC 5545 parts), and back.

HSDS describes a regular session as ``freq`` (WEEKLY or MONTHLY), ``byday`` (``TU,TH``,
or ``1MO``/``-1FR`` in a month), ``opens_at`` and ``closes_at``. Only the common shapes
of ``opening_hours`` map onto that: rules of weekdays (``Tu,Th``, ``Mo-Fr``) or nth
weekdays of the month (``Mo[1]``, ``Fr[-1]``) with times. The mapping is checked, not
trusted: the sessions the HSDS schedules describe over the coming weeks must be exactly
the ones opening-hours-py computes from the text
(:func:`assetmap.activities.parse_schedule`), or the schedule is published as its
text alone (``description``), never as a wrong pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import opening_hours

from assetmap.activities import LONDON, parse_schedule
from assetmap.errors import ValidationFailed

__all__ = ["Session", "hsds_sessions", "osm_from_hsds"]

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_CHECK_DAYS = 35 * 3  # fifteen weeks: every nth weekday of three months at least
_TIME = r"\d{2}:\d{2}"
_RULE = re.compile(rf"^(?P<days>[A-Za-z0-9\[\],\- ]+?) "
                   rf"(?P<times>{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})*)$")
_DAY_PART = re.compile(r"^(?P<first>Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?P<last>Mo|Tu|We|Th|Fr|Sa|Su))?"
                       r"(?:\[(?P<nth>-?[1-5](?:,-?[1-5])*)\])?$")


@dataclass(frozen=True)
class Session:
    """One regular session: ``freq``, ``byday``, ``opens_at``/``closes_at`` as HSDS has them."""

    freq: str  # "WEEKLY" | "MONTHLY"
    byday: str  # "TU,TH" | "1MO,3MO"
    opens_at: str  # "10:00"
    closes_at: str  # "12:00"


def _expand_days(part: str) -> tuple[list[str], list[str]] | None:
    """``Mo-We`` → weekly MO,TU,WE; ``Mo[1,3]`` → monthly 1MO,3MO; else None."""
    match = _DAY_PART.match(part)
    if match is None:
        return None
    first = _OSM_DAYS.index(match["first"])
    last = _OSM_DAYS.index(match["last"]) if match["last"] else first
    if last < first or (match["nth"] and match["last"]):
        return None  # Fr-Mo wraps the week; Mo-We[1] is beyond what HSDS says plainly
    days = [_DAYS[i] for i in range(first, last + 1)]
    if match["nth"]:
        return [], [f"{n}{days[0]}" for n in match["nth"].split(",")]
    return days, []


def _rule_sessions(rule: str) -> list[Session] | None:
    found = _RULE.match(rule.strip())
    if found is None:
        return None
    weekly: list[str] = []
    monthly: list[str] = []
    for part in re.split(r",(?![^\[]*\])", found["days"].replace(" ", "")):  # not Mo[1,3]
        expanded = _expand_days(part)
        if expanded is None:
            return None
        weekly.extend(expanded[0])
        monthly.extend(expanded[1])
    sessions = []
    for span in found["times"].split(","):
        opens, closes = span.split("-")
        if closes <= opens:
            return None  # past midnight: not one session on one day
        if weekly:
            sessions.append(Session("WEEKLY", ",".join(weekly), opens, closes))
        if monthly:
            sessions.append(Session("MONTHLY", ",".join(monthly), opens, closes))
    return sessions


def _occurs(session: Session, day: date) -> bool:
    for part in session.byday.split(","):
        if session.freq == "WEEKLY" and _DAYS[day.weekday()] == part:
            return True
        if session.freq == "MONTHLY" and part[-2:] == _DAYS[day.weekday()]:
            nth = int(part[:-2])
            from_start = (day.day - 1) // 7 + 1
            from_end = -((_month_length(day) - day.day) // 7 + 1)
            if nth in (from_start, from_end):
                return True
    return False


def _month_length(day: date) -> int:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (following - timedelta(days=1)).day


def _described(sessions: list[Session], start: date) -> set[tuple[datetime, datetime]]:
    spans = set()
    for offset in range(_CHECK_DAYS):
        day = start + timedelta(days=offset)
        for session in sessions:
            if _occurs(session, day):
                opens = datetime.combine(day, time.fromisoformat(session.opens_at), LONDON)
                closes = datetime.combine(day, time.fromisoformat(session.closes_at), LONDON)
                spans.add((opens, closes))
    return spans


def _computed(parsed: opening_hours.OpeningHours, start: date) -> set[tuple[datetime, datetime]]:
    begin = datetime.combine(start, time(), LONDON)
    end = begin + timedelta(days=_CHECK_DAYS)
    return {(opens, closes) for opens, closes, state, _ in parsed.intervals(begin, end)
            if state == opening_hours.State.OPEN}


def hsds_sessions(text: str, *, start: date | None = None) -> list[Session] | None:
    """The sessions ``text`` describes, or None when HSDS's patterns cannot say it exactly."""
    found = _sessions(text, start or date.today())
    return None if found is None else list(found)


@lru_cache(maxsize=8192)  # per text and day: the check walks fifteen weeks of sessions
def _sessions(text: str, first: date) -> tuple[Session, ...] | None:
    try:
        parsed = parse_schedule(text)  # the register's parser: London time, England's holidays
    except ValidationFailed:
        return None
    sessions: list[Session] = []
    # "; " starts a rule that may override earlier ones, ", " one that adds to them: both are
    # read as adding, and the check below refuses the text if an override mattered.
    for rule in re.split(r";\s*|,\s+", str(parsed.normalize())):
        found = _rule_sessions(rule)
        if found is None:
            return None
        sessions.extend(found)
    if not sessions or _described(sessions, first) != _computed(parsed, first):
        return None
    return tuple(sessions)


def _osm_time(value: str) -> str | None:
    """``10:00:00``, ``10:00``, ``10:00:00Z`` → ``10:00``."""
    match = re.match(r"^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$",
                     value.strip())
    return f"{match[1]}:{match[2]}" if match else None


def _osm_days(freq: str, byday: str) -> str | None:
    parts = []
    for part in byday.replace(" ", "").upper().split(","):
        match = re.match(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$", part)
        if match is None:
            return None
        day = _OSM_DAYS[_DAYS.index(match[2])]
        if freq == "MONTHLY" and match[1]:
            parts.append(f"{day}[{int(match[1])}]")
        elif freq == "WEEKLY" and not match[1]:
            parts.append(day)
        else:
            return None
    return ",".join(parts)


def osm_from_hsds(freq: str | None, byday: str | None, opens_at: str | None,
                  closes_at: str | None, interval: int | None = None) -> str | None:
    """One HSDS schedule as ``opening_hours`` (``Th,Fr 10:00-18:00``), or None if it cannot be.

    Every week (``interval`` 1 or absent) or every month on given weekdays, with both times.
    """
    if not (freq and byday and opens_at and closes_at) or interval not in (None, 1):
        return None
    freq = freq.upper()
    if freq not in ("WEEKLY", "MONTHLY"):
        return None
    days = _osm_days(freq, byday)
    opens, closes = _osm_time(opens_at), _osm_time(closes_at)
    if days is None or opens is None or closes is None or closes <= opens:
        return None
    return f"{days} {opens}-{closes}"
