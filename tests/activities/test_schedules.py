"""Schedules in OpenStreetMap opening_hours syntax: parse errors with the parser's message,
next sessions, open now, open on a given day and part of it, and sessions a week."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assetmap.activities import (
    LONDON,
    is_open,
    next_occurrences,
    open_during,
    parse_schedule,
    schedule_problem,
    sessions_per_week,
)
from assetmap.errors import ValidationFailed

TUESDAY_9AM = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)  # Tuesday 1 December 2026


def test_a_schedule_that_does_not_parse_gives_the_parsers_message() -> None:
    assert schedule_problem("Tu 10:00-12:00") is None
    problem = schedule_problem("Tu 10:00-25:99")
    assert problem == "'Tu 10:00-25:99' is not valid opening_hours syntax at character 13: " \
        "expected minute"
    with pytest.raises(ValidationFailed, match="is not valid opening_hours syntax") as caught:
        parse_schedule("every other Tuesday")
    assert caught.value.details[0]["field"] == "schedule"
    assert "Tu 10:00-12:00" in caught.value.details[0]["fix"]


def test_next_sessions_of_weekly_monthly_and_one_off_schedules() -> None:
    weekly = next_occurrences("Tu 10:00-12:00", 2, TUESDAY_9AM)
    assert [(o.start.isoformat(), o.end.hour) for o in weekly] == [
        ("2026-12-01T10:00:00+00:00", 12), ("2026-12-08T10:00:00+00:00", 12)]
    monthly = next_occurrences("Mo[1] 14:00-16:00", 2, TUESDAY_9AM)
    assert [o.start.date().isoformat() for o in monthly] == ["2026-12-07", "2027-01-04"]
    one_off = next_occurrences("2026 Dec 24 10:00-12:00", 3, TUESDAY_9AM)
    assert [o.start.date().isoformat() for o in one_off] == ["2026-12-24"]
    assert next_occurrences("2026 Nov 24 10:00-12:00", 3, TUESDAY_9AM) == []


def test_occurrences_are_in_london_time_across_the_clock_change() -> None:
    spring = dt.datetime(2027, 3, 22, 9, 0, tzinfo=LONDON)  # BST begins on Sunday 28 March
    starts = [o.start for o in next_occurrences("Mo 10:00-11:00", 2, spring)]
    assert [s.utcoffset() for s in starts] == [dt.timedelta(0), dt.timedelta(hours=1)]
    assert [s.hour for s in starts] == [10, 10]


def test_comments_travel_with_the_session() -> None:
    (session,) = next_occurrences('Tu 10:00-10:30 "Rhyme Time"', 1, TUESDAY_9AM)
    assert session.comment == "Rhyme Time"


def test_open_now_and_naive_times_are_london_time() -> None:
    assert is_open("Tu 10:00-12:00", dt.datetime(2026, 12, 1, 10, 30))
    assert not is_open("Tu 10:00-12:00", dt.datetime(2026, 12, 1, 12, 30))
    assert not is_open('unknown "by arrangement"', TUESDAY_9AM)
    # 10:30 in London in July is 09:30 UTC.
    assert is_open("Tu 10:00-12:00", dt.datetime(2027, 7, 6, 9, 30, tzinfo=dt.UTC))


def test_open_on_a_day_and_part_of_the_day() -> None:
    assert open_during("Tu 18:00-20:00", "Tu", "evening", after=TUESDAY_9AM)
    assert not open_during("Tu 10:00-12:00", "Tu", "evening", after=TUESDAY_9AM)
    assert open_during("Tu 10:00-12:00", "Tu", after=TUESDAY_9AM)
    assert not open_during("Mo-Fr 09:00-17:00", "Sa", after=TUESDAY_9AM)
    # The third Thursday of the month is within five weeks of any date.
    assert open_during("Th[3] 14:00-16:00", "Th", "afternoon", after=TUESDAY_9AM)
    with pytest.raises(ValidationFailed, match="not a day"):
        open_during("Tu 10:00-12:00", "Tuesday", after=TUESDAY_9AM)  # type: ignore[arg-type]


@pytest.mark.parametrize(("schedule", "per_week"), [
    ("Tu 10:00-12:00", 1.0),
    ("Tu,Th 10:00-12:00", 2.0),
    ("Mo-Fr 09:00-17:00", 5.0),
    ("24/7", 7.0),
    ("Mo[1] 14:00-16:00", 12 / 52),
    ("Nov-Mar Mo 10:00-16:00", pytest.approx(21 / 52, abs=1 / 52)),
    ("2026 Dec 24 10:00-12:00", 1 / 52),
])
def test_sessions_a_week(schedule: str, per_week: float) -> None:
    assert sessions_per_week(schedule, TUESDAY_9AM) == per_week


DAYS = st.sampled_from(["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"])


@settings(max_examples=40, deadline=None)
@given(day=DAYS, hour=st.integers(0, 21), length=st.integers(1, 2),
       start=st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2030, 1, 1)))
def test_a_weekly_session_comes_once_a_week_on_its_day(
    day: str, hour: int, length: int, start: dt.datetime
) -> None:
    # 01:00 on a Sunday does not exist once a year (clocks go forward): tested on its own below.
    assume(not (day == "Su" and hour == 1))
    schedule = f"{day} {hour:02d}:00-{hour + length:02d}:00"
    assert schedule_problem(schedule) is None
    sessions = next_occurrences(schedule, 3, start)
    assert len(sessions) == 3
    assert all(s.start.strftime("%a")[:2] == day and s.start.hour == hour for s in sessions)
    assert all(s.end - s.start == dt.timedelta(hours=length) for s in sessions[1:])
    gaps = {b.start - a.start for a, b in itertools.pairwise(sessions)}
    assert gaps == {dt.timedelta(weeks=1)} or sessions[0].start == start.replace(tzinfo=LONDON)
    assert open_during(schedule, day, after=start)  # type: ignore[arg-type]


def test_a_session_in_the_hour_the_clocks_skip_does_not_happen_that_week() -> None:
    # 29 March 2026: 01:00 becomes 02:00 in London, so the 01:00-02:00 session is not held.
    sessions = next_occurrences("Su 01:00-02:00", 3, dt.datetime(2026, 3, 22, 3))
    assert [s.start.date() for s in sessions] == [
        dt.date(2026, 4, 5), dt.date(2026, 4, 12), dt.date(2026, 4, 19)]
    assert all(s.start.hour == 1 and s.end - s.start == dt.timedelta(hours=1) for s in sessions)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_any_text_either_parses_or_says_why(text: str) -> None:
    problem = schedule_problem(text)
    if problem is None:
        parse_schedule(text)
    else:
        assert "is not valid opening_hours syntax" in problem
        with pytest.raises(ValidationFailed):
            parse_schedule(text)


def test_the_opening_hours_field_format_refuses_with_the_parsers_message() -> None:
    from assetmap.config import PROJECT_ROOT
    from assetmap.layers import load_catalog
    from assetmap.store.validation import clean_properties

    activities = load_catalog(PROJECT_ROOT / "layers")["activities"]
    assert activities.field("schedule").format == "opening_hours"
    cleaned = clean_properties(activities, {"schedule": "  Tu 10:00-12:00 "}, partial=True)
    assert cleaned == {"schedule": "Tu 10:00-12:00"}
    with pytest.raises(ValidationFailed) as caught:
        clean_properties(activities, {"schedule": "Tu 10-25"}, partial=True)
    (detail,) = caught.value.details
    assert detail["field"] == "schedule"
    assert detail["problem"].startswith("'Tu 10-25' is not valid opening_hours syntax")
