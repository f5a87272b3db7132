"""Duplicates in an import: the same id, or the same place in the file or already stored."""

from __future__ import annotations

from assetmap.store import Store
from tests.register.imports.asset_files import (
    HEADER,
    csv_row,
    plan_csv,
)


# -- duplicates ------------------------------------------------------------------------------
def test_duplicate_id_in_the_file(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "One", 452_500, 305_500)
                    + csv_row("N1", "Two", 453_500, 305_500))
    [problem] = plan.errors
    assert (problem.where, problem.field, problem.value) == ("line 3", "id", "N1")
    assert "same id as line 2" in problem.problem


def test_duplicate_name_and_postcode_against_another_asset(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "ASHBY village hall", 459_000, 309_000,
                                            postcode="lz1 1aa"))
    [problem] = plan.errors
    assert problem.field == "name"
    assert "existing asset A1 (Ashby Village Hall)" in problem.problem
    assert "give this row its id, A1" in problem.fix


def test_same_name_close_by_is_a_duplicate_and_same_id_is_an_update(store: Store) -> None:
    near = plan_csv(store, HEADER + csv_row("N1", "Beeby Church Hall", 457_020, 305_020))
    assert "within 50 m" in near.errors[0].problem
    same_id = plan_csv(store, HEADER + csv_row("A2", "Beeby Church Hall", 457_020, 305_020,
                                               category="church_hall"))
    assert same_id.ok and [p.feature_id for p in same_id.updates] == ["A2"]


def test_duplicate_name_and_postcode_within_the_file(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "St. Mary's Hall", 452_500, 305_500,
                                            postcode="LZ1 1AA")
                    + csv_row("N2", "St Marys Hall", 458_000, 305_500, postcode="LZ1 1AA"))
    [problem] = plan.errors
    assert problem.where == "line 3" and "same place as line 2" in problem.problem
