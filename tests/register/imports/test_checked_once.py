"""An import checks each value once, on both backends: the plan's checks are the store's, so
the store takes the plan's checked rows as they are (and still refuses unchecked ones)."""

from __future__ import annotations

from typing import Any

import pytest

from shapely.geometry import Point

from assetmap import field_rules
from assetmap.errors import ValidationFailed
from assetmap.layers import FieldSpec
from assetmap.register.imports import apply_import
from assetmap.store import Store
from tests.register.imports.asset_files import ASSETS, HEADER, csv_row, plan_csv


def test_each_website_is_checked_once_from_file_to_store(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    rule = field_rules.FORMAT_RULES["url"]

    def counting(text: str, spec: FieldSpec) -> Any:
        checked.append(text)
        return rule(text, spec)

    monkeypatch.setitem(field_rules.FORMAT_RULES, "url", counting)
    text = HEADER + "".join(
        csv_row(f"N{n}", f"New Hall {n}", 451_000 + 500 * n, 301_000 + 300 * n,
                website=f"https://hall-{n}.example.org/") for n in range(1, 6))
    plan = plan_csv(any_store, text)
    assert plan.ok, plan.errors
    apply_import(any_store, plan, actor="olive.officer")
    assert sorted(checked) == [f"https://hall-{n}.example.org/" for n in range(1, 6)]
    saved = any_store.get(ASSETS, "N3")
    assert saved is not None and saved.properties["website"] == "https://hall-3.example.org/"


def test_the_store_still_refuses_rows_it_was_not_handed_checked(any_store: Store) -> None:
    bad = {"id": "N9", "name": "Bad Link Hall", "category": "village_hall", "status": "open",
           "website": "javascript:alert(1)"}
    with pytest.raises(ValidationFailed, match="website"), any_store.transaction() as tx:
        tx.add_many(ASSETS, [(bad, Point(455_000, 305_000))])
    assert any_store.get(ASSETS, "N9") is None
