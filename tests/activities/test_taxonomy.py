"""The documented taxonomy is the one the activities layer declares."""

from __future__ import annotations

import pytest

from assetmap.activities import AUDIENCES, TAXONOMY, audience, category
from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.layers import load_catalog

ACTIVITIES = load_catalog(PROJECT_ROOT / "layers")["activities"]


def test_the_layer_declares_every_category_with_its_label() -> None:
    assert ACTIVITIES.field("category").choices == tuple(c.code for c in TAXONOMY)
    assert all(ACTIVITIES.label("category", c.code) == c.label for c in TAXONOMY)
    assert all(c.description.endswith(".") for c in TAXONOMY)


def test_the_issue_s_categories_and_audiences_are_there() -> None:
    codes = {c.code for c in TAXONOMY}
    assert {"lunch_club", "toddler_group", "dementia_cafe", "warm_space", "youth_club",
            "advice_session", "food_bank", "exercise_class", "library_service"} <= codes
    assert {"everyone", "children", "families", "young_people", "adults", "older_people",
            "carers", "people_with_dementia"} <= {a.code for a in AUDIENCES}


def test_lookups_name_the_choices_when_the_code_is_unknown() -> None:
    assert category("dementia_cafe").label == "Dementia café"
    assert audience("carers").label == "Carers"
    with pytest.raises(ValidationFailed, match="not an activity category; use one of lunch_club"):
        category("bingo")
    with pytest.raises(ValidationFailed, match="not an audience"):
        audience("pensioners")
