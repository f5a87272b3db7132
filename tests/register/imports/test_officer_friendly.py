"""Issue 16 (officers): a file written from what the pages show imports as it reads (category
labels, not only codes), and a postcode far from the row's coordinates is a warning row."""

from __future__ import annotations

from assetmap.store import Store
from tests.register.imports.asset_files import HEADER, csv_row, plan_csv


def test_category_labels_as_the_pages_show_them_are_read_as_codes(store: Store) -> None:
    plan = plan_csv(store, HEADER
                    + csv_row("N1", "Label Hall", 452_500, 305_500, category="Community Centre")
                    + csv_row("N2", "Cafe Hall", 453_500, 305_500, category="community café")
                    + csv_row("N3", "Status Hall", 454_000, 305_500, status="At risk"))
    assert plan.errors == []
    stored = {row.feature_id: row.properties for row in plan.creates}
    assert stored["N1"]["category"] == "community_centre"
    assert stored["N2"]["category"] == "community_cafe"
    assert stored["N3"]["status"] == "at_risk"


def test_an_unknown_category_lists_the_labels_and_codes_to_use(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "Town Hall", 452_500, 305_500,
                                            category="Town hall"))
    [problem] = plan.errors
    assert problem.field == "category" and "Community centre (community_centre)" in problem.fix


def test_facility_labels_in_a_list_are_read_as_codes(store: Store) -> None:
    text = ("id,name,category,status,easting,northing,accessibility\n"
            "N1,Loop Hall,village_hall,open,452500,305500,Step free; hearing loop\n")
    plan = plan_csv(store, text)
    assert plan.errors == []
    assert plan.creates[0].properties["accessibility"] == "step_free;hearing_loop"


def test_a_postcode_far_from_the_coordinates_is_a_warning_not_a_refusal(store: Store) -> None:
    # LZ2 1AA lies at 462 010, 305 010: 9.5 km east of this row's point.
    plan = plan_csv(store, HEADER
                    + csv_row("N1", "Far Hall", 452_500, 305_500, postcode="lz2 1aa")
                    + csv_row("N2", "Near Hall", 452_100, 305_100, postcode="LZ1 1AA"))
    assert plan.errors == [] and len(plan.creates) == 2
    [warning] = [w for w in plan.warnings if w.field == "postcode"]
    assert warning.where == "line 2" and warning.value == "LZ2 1AA"
    assert "9.5 km from the row's coordinates" in warning.problem
