"""Properties and text marked as checked: taken as they are only for the layer and field they
were checked for, and never changed after the check."""

from __future__ import annotations

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.field_rules import CheckedText, checked_text
from assetmap.layers import load_catalog
from assetmap.store.validation import CheckedProperties, checked_properties, clean_properties

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS, ORGANISATIONS = CATALOG["assets"], CATALOG["organisations"]
GOOD = {"id": "N1", "name": "Beeby Pavilion", "category": "village_hall", "status": "open",
        "website": "https://beeby.example.org/"}


def test_checked_properties_are_the_clean_values_and_read_only() -> None:
    checked = checked_properties(ASSETS, {**GOOD, "name": "  Beeby Pavilion "})
    assert checked["name"] == "Beeby Pavilion"
    assert clean_properties(ASSETS, checked) == clean_properties(ASSETS, GOOD)
    with pytest.raises(TypeError, match="read-only"):
        checked["website"] = "javascript:alert(1)"
    with pytest.raises(TypeError, match="read-only"):
        checked.update(website="javascript:alert(1)")
    assert checked["website"] == "https://beeby.example.org/"


def test_properties_checked_for_another_layer_are_checked_again() -> None:
    other = CheckedProperties(ORGANISATIONS, {**GOOD, "website": "javascript:alert(1)"})
    with pytest.raises(ValidationFailed, match="website"):
        clean_properties(ASSETS, other)


def test_a_plain_dict_is_always_checked() -> None:
    with pytest.raises(ValidationFailed, match="website"):
        clean_properties(ASSETS, {**GOOD, "website": "javascript:alert(1)"})


def test_text_checked_for_another_field_is_checked_again() -> None:
    # Checked as a name (any one line of text), it is not thereby a website.
    as_name = checked_text(ASSETS.field("name"), "javascript:alert(1)")
    assert isinstance(as_name, CheckedText)
    with pytest.raises(ValidationFailed, match="website"):
        clean_properties(ASSETS, {**GOOD, "website": as_name})


def test_checked_text_is_stored_as_plain_text() -> None:
    marked = checked_text(ASSETS.field("website"), " https://beeby.example.org/ ")
    cleaned = clean_properties(ASSETS, {**GOOD, "website": marked})
    assert cleaned["website"] == "https://beeby.example.org/"
    assert type(cleaned["website"]) is str
