"""One organisation and one activity for the finder and the Open Referral directory alike."""

from __future__ import annotations

from pathlib import Path

from assetmap.activities import Activity, Organisation
from assetmap.config import PROJECT_ROOT
from assetmap.finder import FinderData
from assetmap.layers import load_catalog
from assetmap.oruk.loading import load_directory
from assetmap.store import open_store


def test_the_finder_and_the_directory_read_the_same_records(tiny_gpkg: Path) -> None:
    tiny_store = open_store(str(tiny_gpkg))
    catalog = load_catalog(PROJECT_ROOT / "layers")
    finder = FinderData.from_store(tiny_store, catalog).activities
    directory = load_directory(tiny_store, catalog)
    café = finder.activities["AC3"]
    listed = next(a for a in directory.activities if a.id == "AC3")
    assert type(café) is type(listed) is Activity
    assert (café.name, café.asset_ids, café.schedule) == (listed.name, listed.asset_ids,
                                                          listed.schedule)
    assert café.category_label == "Dementia café"  # the finder adds the words residents read
    assert type(finder.organisations["O3"]) is type(directory.organisations["O3"]) is Organisation
