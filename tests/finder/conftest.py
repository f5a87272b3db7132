"""The finder's data on the tiny hand-made county."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.finder import FinderData
from assetmap.layers import load_catalog
from assetmap.store import open_store


@pytest.fixture
def tiny_data(tiny_gpkg: Path) -> FinderData:
    return FinderData.from_store(open_store(str(tiny_gpkg)), load_catalog(PROJECT_ROOT / "layers"))
