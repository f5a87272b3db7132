"""The profile's schemas (from ../shared/standards, skipped where absent) and a small directory."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.oruk import Directory, ProfileSchemas
from assetmap.oruk.loading import directory_terms
from assetmap.oruk.records import Activity, Organisation, Place

PROFILE = PROJECT_ROOT.parent / "shared" / "standards" / "oruk-3.0"
EXAMPLES = PROFILE / "examples"


@functools.cache
def _loaded() -> ProfileSchemas:
    return ProfileSchemas(PROFILE)


def profile_schemas() -> ProfileSchemas:
    """The UK profile's own schemas, read where the workspace keeps them (never copied);
    the test skips where that folder is absent."""
    if not (PROFILE / "schema").is_dir():
        pytest.skip(f"the Open Referral UK profile {PROFILE} is absent")
    return _loaded()


@pytest.fixture
def schemas() -> ProfileSchemas:
    return profile_schemas()


def example(name: str) -> Any:
    if not EXAMPLES.is_dir():
        pytest.skip(f"the Open Referral UK examples {EXAMPLES} are absent")
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def example_path(name: str) -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip(f"the Open Referral UK examples {EXAMPLES} are absent")
    return EXAMPLES / name


@pytest.fixture
def directory() -> Directory:
    """Two groups, three activities at two halls (and one at a place the register lacks)."""
    friends = Organisation("org-friends", "Ashby Friends", kind="charity", kind_label="Charity",
                           charity_number="1234567", email="friends@example.org",
                           website="https://friends.example.org")
    parish = Organisation("org-parish", "Beeby Parish Council", kind="parish_council",
                          kind_label="Parish council")
    activities = [
        Activity("act-lunch", "Tuesday lunch club", category="lunch_club",
                 organisation_id="org-friends", asset_ids=("A1",), schedule="Tu 12:00-14:00",
                 audience=("older_people",), age_min=60, cost="£3.50 a meal",
                 phone="0116 496 0000", status="active", last_verified="2026-10-01"),
        Activity("act-toddlers", "Little Steps", category="toddler_group",
                 description="Songs and play for under-fives.", organisation_id="org-parish",
                 asset_ids=("A2", "A9"), schedule="Mo[1] 10:00-11:30", cost="free",
                 audience=("children", "families"), status="paused"),
        Activity("act-warm", "Warm welcome", category="warm_space", asset_ids=("A2",),
                 schedule="Mo-Fr 10:00-16:00; PH off", email="warm@example.org",
                 status="ended"),
    ]
    places = {
        "A1": Place("A1", "Ashby Village Hall", -1.30, 52.62, 452_000, 305_000,
                    "1 Main St, Ashby Parva", "LZ1 1AA", ("step_free", "hearing_loop")),
        "A2": Place("A2", "Beeby Church Hall", -1.22, 52.62, 457_000, 305_000),
    }
    return Directory({o.id: o for o in (friends, parish)}, activities, places,
                     directory_terms(), county="Tinyshire",
                     facility_labels={"step_free": "Step-free access"})
