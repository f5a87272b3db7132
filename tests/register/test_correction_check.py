"""check_correction: the correction form's "check your answers" step checks a suggestion as
submit_correction does and stores nothing, on both backends."""

from __future__ import annotations

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.errors import NotFound, ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.corrections import CORRECTIONS_TABLE, check_correction
from assetmap.store import open_store

ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]


def test_it_gives_what_would_be_proposed_and_stores_nothing(store_location: str) -> None:
    store = open_store(store_location)
    proposed = check_correction(store, ASSETS, "A1", {"name": "Ashby Village Hall",
                                                      "phone": "0116 496 0123"}, "", "")
    assert proposed == {"phone": "0116 496 0123"}  # the unchanged name is no suggestion
    assert check_correction(store, ASSETS, "A1", {"status": "closed"}, None, None) == {
        "status": "closed"}
    assert store.records(CORRECTIONS_TABLE) == []


def test_it_refuses_what_submit_correction_refuses(store_location: str) -> None:
    store = open_store(store_location)
    with pytest.raises(ValidationFailed) as refused:
        check_correction(store, ASSETS, "A1", {"postcode": "nowhere", "name": ""}, "", "")
    assert sorted(d["field"] for d in refused.value.details) == ["name", "postcode"]
    with pytest.raises(ValidationFailed, match="nothing to send"):
        check_correction(store, ASSETS, "A1", {}, "  ", "")
    with pytest.raises(NotFound):
        check_correction(store, ASSETS, "A5", {"phone": "0116 496 0123"}, "", "")  # closed
    assert store.records(CORRECTIONS_TABLE) == []
