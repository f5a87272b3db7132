"""opening_hours to HSDS schedules and back: exact where HSDS can say it, text where not."""

from __future__ import annotations

from datetime import date

import pytest

from assetmap.oruk.schedules import Session, hsds_sessions, osm_from_hsds

DECEMBER = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "sessions"),
    [
        ("Tu 10:00-12:00", [Session("WEEKLY", "TU", "10:00", "12:00")]),
        ("Mo-Fr 09:00-12:00,13:00-17:00",
         [Session("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "12:00"),
          Session("WEEKLY", "MO,TU,WE,TH,FR", "13:00", "17:00")]),
        ("Mo[1] 14:00-16:00", [Session("MONTHLY", "1MO", "14:00", "16:00")]),
        ("Mo[1,3] 10:00-11:30", [Session("MONTHLY", "1MO,3MO", "10:00", "11:30")]),
        ("Fr[-1] 19:00-21:00", [Session("MONTHLY", "-1FR", "19:00", "21:00")]),
        ("Th,Fr 10:00-18:00, Mo[1] 10:00-12:00",
         [Session("WEEKLY", "TH,FR", "10:00", "18:00"),
          Session("MONTHLY", "1MO", "10:00", "12:00")]),
        ("Tu,Th 10:00-12:00; Mo[1] 14:00-16:00",
         [Session("WEEKLY", "TU,TH", "10:00", "12:00"),
          Session("MONTHLY", "1MO", "14:00", "16:00")]),
    ],
)
def test_regular_patterns_become_rrule_parts(text: str, sessions: list[Session]) -> None:
    assert hsds_sessions(text, start=DECEMBER) == sessions


@pytest.mark.parametrize(
    "text",
    [
        "Tu 10:00-12:00; Tu off",  # a later rule takes Tuesday away again
        "Sa 22:00-02:00",  # past midnight
        "week 1-53/2 Tu 10:00-12:00",  # fortnightly: HSDS interval, not said here
        "2026 Dec 24 10:00-12:00",  # a one-off date
        "24/7",
        "not a schedule",
    ],
)
def test_what_hsds_cannot_say_exactly_gives_none(text: str) -> None:
    assert hsds_sessions(text, start=DECEMBER) is None


def test_back_from_hsds_to_opening_hours() -> None:
    assert osm_from_hsds("WEEKLY", "TH,FR", "10:00:00", "18:00:00", 1) == "Th,Fr 10:00-18:00"
    assert osm_from_hsds("monthly", "2MO,-1FR", "10:00Z", "12:00") == "Mo[2],Fr[-1] 10:00-12:00"
    assert osm_from_hsds("WEEKLY", "1MO", "10:00", "12:00") is None  # nth needs MONTHLY
    assert osm_from_hsds("WEEKLY", "TU", "10:00", "12:00", interval=2) is None
    assert osm_from_hsds("WEEKLY", "TU", "12:00", "10:00") is None
    assert osm_from_hsds("DAILY", "TU", "10:00", "12:00") is None
    assert osm_from_hsds("WEEKLY", None, "10:00", "12:00") is None


@pytest.mark.parametrize("text", ["Tu,Th 10:00-12:00", "Mo[1] 14:00-16:00", "Fr[-1] 19:00-21:00"])
def test_round_trip(text: str) -> None:
    sessions = hsds_sessions(text, start=DECEMBER)
    assert sessions is not None and len(sessions) == 1
    s = sessions[0]
    assert osm_from_hsds(s.freq, s.byday, f"{s.opens_at}:00", f"{s.closes_at}:00") == text
