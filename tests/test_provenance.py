"""One parser of the store's provenance metadata: synthetic flag, notice, attribution, sources."""

from __future__ import annotations

import pytest

from assetmap.provenance import (
    NO_PARISHES,
    SYNTHETIC_STATEMENT,
    DatasetInfo,
    Source,
    attribution_lines,
    is_synthetic,
    merge_metadata,
    sources_from_metadata,
)

OGL = "Contains OS data © Crown copyright and database right 2024"


@pytest.mark.parametrize(("value", "synthetic"), [
    ("true", True), ("True", True), ("TRUE", True), (" true ", True),
    ("false", False), ("", False), ("yes", False), (None, False),
])
def test_synthetic_is_read_case_insensitively(value: str | None, synthetic: bool) -> None:
    metadata = {} if value is None else {"synthetic": value}
    assert is_synthetic(metadata) is synthetic
    assert DatasetInfo.from_metadata(metadata).synthetic is synthetic


def test_from_metadata_reads_notice_attribution_and_sources() -> None:
    info = DatasetInfo.from_metadata({
        "notice": "  Real data, 2024.  ",
        "attribution": f"{OGL}\n\n  Second line  \n",
        "source:assets": "Council register | 2024 | © The council",
    })
    assert info == DatasetInfo(
        synthetic=False,
        notice="Real data, 2024.",
        attribution=(OGL, "Second line"),
        sources=(Source("assets", "Council register", "2024", "© The council"),),
    )
    assert info.attribution_text == f"{OGL}\nSecond line"
    assert info.statement == f"Real data, 2024. {OGL}\nSecond line"
    assert info.members() == {"synthetic": False, "notice": "Real data, 2024.",
                              "attribution": [OGL, "Second line"]}


def test_empty_metadata_says_nothing_it_does_not_know() -> None:
    info = DatasetInfo.from_metadata({})
    assert (info.synthetic, info.notice, info.attribution) == (False, "", ())
    assert info.statement == ""
    assert info.members() == {"synthetic": False}
    assert DatasetInfo.from_metadata(None).members() == {"synthetic": False}
    (source,) = info.sources
    assert (source.name, source.vintage) == ("unknown source", "unknown")


def test_synthetic_data_without_a_notice_still_says_so() -> None:
    info = DatasetInfo.from_metadata({"synthetic": "TRUE", "seed": "7"})
    assert info.statement == SYNTHETIC_STATEMENT
    (source,) = info.sources
    assert source.synthetic and "seed 7" in source.detail


def test_same_notice_and_attribution_are_said_once() -> None:
    info = DatasetInfo.from_metadata({"notice": OGL, "attribution": OGL})
    assert info.statement == OGL


def test_sources_are_sorted_by_key_and_missing_parts_not_stated() -> None:
    sources = sources_from_metadata({
        "source:z": "Zed", "source:a": "A | 2021 | x | y", "source: ": "ignored", "other": "no",
    })
    assert [s.name for s in sources] == ["a", "z"]
    assert sources[0].attribution == "x | y"
    assert (sources[1].vintage, sources[1].attribution) == ("not stated", "not stated")


def test_unknown_source_carries_the_store_attribution() -> None:
    (source,) = sources_from_metadata({"attribution": OGL})
    assert source.attribution == OGL


def test_attribution_lines_from_text_or_metadata() -> None:
    assert attribution_lines(" a \n\n b ") == ["a", "b"]
    assert attribution_lines({"attribution": "a\n"}) == ["a"]
    assert attribution_lines(None) == [] and attribution_lines({}) == []


def test_merge_metadata_appends_attribution_lines_once() -> None:
    table = merge_metadata({"attribution": "a", "title": "Old"}, {"title": "New"}, "a\n b \n")
    assert dict(zip(table["key"], table["value"], strict=True)) == {
        "attribution": "a\nb", "title": "New"}
    table = merge_metadata({"x": "1"}, {})
    assert table.to_dict("records") == [{"key": "x", "value": "1"}]


def test_no_parishes_sentence() -> None:
    assert NO_PARISHES.startswith("Parish and unparished-area boundaries are not loaded")
