"""What text an import keeps as typed and what it refuses."""

from __future__ import annotations

import pytest

from assetmap.errors import DataError
from assetmap.register.imports import (
    apply_import,
    plan_text,
    problems_csv,
)
from assetmap.store import Store
from tests.conftest import XSS_NAME
from tests.hostile import HOSTILE_VALUES
from tests.register.imports.asset_files import (
    ASSETS,
    errors_by_field,
    plan_csv,
)


# -- what text is kept and what is refused ---------------------------------------------------
def test_html_in_names_is_stored_verbatim(store: Store) -> None:
    name = "<script>alert('x')</script> & Hall"
    text = "id,name,category,status,easting,northing\n" \
        f"N1,\"{name}\",village_hall,open,452500,305500\n"
    plan = plan_csv(store, text)
    assert plan.ok
    apply_import(store, plan, actor="a")
    assert store.get(ASSETS, "N1").properties["name"] == name  # type: ignore[union-attr]
    assert store.get(ASSETS, "A3").properties["name"] == XSS_NAME  # type: ignore[union-attr]


def test_control_characters_and_direction_overrides_in_names_are_refused(store: Store) -> None:
    text = ("id,name,category,status,easting,northing,address\n"
            "N1,Bell\x07 Hall,village_hall,open,452500,305500,\n"
            "N2,\u202eLLAH,village_hall,open,453500,305500,\n"
            "N3,Ok Hall,village_hall,open,454500,305500,\"1 Main St\nAshby\"\n")
    plan = plan_csv(store, text)
    assert [(p.where, p.field) for p in plan.errors] == [("line 2", "name"), ("line 3", "name")]
    found = errors_by_field(plan)
    assert "control character (U+0007)" in found[("line 2", "name")]
    assert "text-direction control" in found[("line 3", "name")]


def test_formula_like_text_is_kept_as_typed_and_defused_in_the_error_report(
    store: Store,
) -> None:
    text = ("id,name,category,status,easting,northing,phone\n"
            "N1,=HYPERLINK(\"http://x\"),village_hall,open,452500,305500,+44 116 496 0000\n"
            "N2,=SUM(A1),bogus,open,453500,305500,\n")
    assert errors_by_field(plan_csv(store, text)).keys() == {("line 3", "category")}
    ok = plan_csv(store, text.replace("bogus", "village_hall").replace("=SUM(A1)", "-Hall"))
    assert ok.ok, plan_text(ok)
    assert ok.creates[0].properties["name"] == '=HYPERLINK("http://x")'
    assert ok.creates[0].properties["phone"] == "+44 116 496 0000"
    bad_value = plan_csv(store, "id,name,category,status,easting,northing\n"
                                "N1,X,=cmd|' /C calc'!A0,open,452500,305500\n")
    assert "'=cmd" in problems_csv(bad_value).decode("utf-8-sig")


# -- issue 15: the same field rules as every other write ---------------------------------------
HOSTILE_CELLS = [(f, v if len(v) < 1000 else "x" * 5_000, says.replace("1,000,000", "5,000"))
                 for f, v, says in HOSTILE_VALUES]


def test_each_hostile_value_is_refused_on_its_line_and_nothing_is_imported(store: Store) -> None:
    header = "id,name,category,status,easting,northing,website,email\n"
    lines = []
    for n, (field, value, _) in enumerate(HOSTILE_CELLS):
        row = {"id": f"H{n}", "name": f"Hall {n}", "website": "", "email": "", field: value}
        lines.append(f"{row['id']},\"{row['name']}\",village_hall,open,{452_500 + n * 100},"
                     f"305500,{row['website']},{row['email']}\n")
    plan = plan_csv(store, header + "".join(lines))
    found = errors_by_field(plan)
    for n, (field, _, says) in enumerate(HOSTILE_CELLS):
        assert says in found[(f"line {n + 2}", field)]
    assert not plan.ok
    assert store.get(ASSETS, "H0") is None


def test_a_megabyte_cell_is_one_line_naming_where_it_is(store: Store) -> None:
    text = ("id,name,category,status,easting,northing\n"
            f"N1,{'x' * 1_000_000},village_hall,open,452500,305500\n")
    with pytest.raises(DataError, match=r"line 2: a cell holds more than 131,072 characters"):
        plan_csv(store, text)
