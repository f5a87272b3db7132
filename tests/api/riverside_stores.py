"""The hand-worked Riverside county as a fresh store on each backend (scenario and impact tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from assetmap.store import open_store

__all__ = ["riverside_location", "riverside_tables"]


def riverside_tables() -> dict[str, pd.DataFrame]:
    from tests.analysis.riverside import make_inputs

    inputs = make_inputs()
    metadata = pd.DataFrame({"key": list(inputs.metadata), "value": list(inputs.metadata.values())})
    return {"districts": inputs.districts, "community_areas": inputs.community_areas,
            "small_areas": inputs.small_areas, "assets": inputs.assets,
            "assetmap_metadata": metadata}


@pytest.fixture(params=["gpkg", "postgis"])
def riverside_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh Riverside county is stored, as ASSETMAP_STORE would name it."""
    if request.param == "gpkg":
        path = tmp_path / "riverside.gpkg"
        shutil.copy(request.getfixturevalue("riverside_gpkg"), path)
        return str(path)
    url: str = request.getfixturevalue("postgis_url")
    loader = open_store(url)
    loader.replace_tables(riverside_tables())
    loader.close()
    return url
