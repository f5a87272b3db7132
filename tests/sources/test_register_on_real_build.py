"""README, "Your own register on the real build": the lines it shows, run as they are.

The commands are read from the README block itself (only the store path is
moved into a temporary folder), so the README cannot drift from what works.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.store import open_store
from tests.conftest import REAL_DATA

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"real data folder {REAL_DATA} is absent"),
]
MARKER = "<!-- register-on-real-build:"


def readme_steps() -> list[list[str]]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text.split(MARKER, 1)[1], re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert all(line.startswith(".venv/bin/assetmap ") for line in lines)
    return [shlex.split(line)[1:] for line in lines]


def test_the_readme_steps_load_a_register_onto_the_real_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT_ROOT)  # the README's paths are from the repository root
    monkeypatch.setenv("COLUMNS", "400")  # a wide terminal: gaps prints every column
    store = tmp_path / "real.gpkg"
    steps = readme_steps()
    assert [step[0] for step in steps] == ["build-real", "import", "gaps"]
    outputs = []
    for step in steps:
        assert main([str(store) if arg == "data/real.gpkg" else arg for arg in step]) == 0
        outputs.append(capsys.readouterr().out)
    _, imported, gaps = outputs
    assert "8 rows: 7 new, 0 changed, 0 unchanged, 0 errors, 1 skipped" in imported
    assert "placed by postcode LE11 3AA" in imported
    assets = open_store(str(store)).read(load_catalog(PROJECT_ROOT / "layers")["assets"])
    mine = assets[assets["id"].str.startswith("reg-")].set_index("id")
    assert len(mine) == 7 and mine.loc["reg-1007", "status"] == "closed"
    assert mine.loc["reg-1001", "community_area_code"] == "E07000130-U1"  # in Loughborough
    assert mine.loc["reg-1006", "district_code"] == "E07000135"
    # Loughborough: its library and the example community centre.
    row = next(line for line in gaps.splitlines() if "E07000130-U1" in line)
    assert re.search(r"^\s+\d+\s+Loughborough\s.*\sE07000130-U1\s+Unparished \(no local council\)"
                     r"\s+64,437\s+2\s", row)
    assert "Public libraries: Libraries Hacked" in gaps  # the attribution travels
