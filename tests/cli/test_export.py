"""``assetmap export``: one layer or all, in the format asked, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pyogrio

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog

LAYERS = list(load_catalog(PROJECT_ROOT / "layers"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_one_layer_format_from_suffix(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "assets.geojson"
    code, printed, _ = run(capsys, "export", "assets", "--out", str(out), "--store",
                           str(tiny_gpkg))
    assert code == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    assert len(body["features"]) == 5 and body["notice"] == "Synthetic test data: invented places."
    assert f"wrote {out} (5 features, EPSG:4326" in printed
    assert "Synthetic test data" in printed


def test_export_all_layers_into_a_folder(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "exports"
    code, _, _ = run(capsys, "export", "--all", "--format", "gpkg", "--out", str(folder),
                     "--store", str(tiny_gpkg))
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.gpkg" for n in LAYERS)
    assert pyogrio.read_info(folder / "community_areas.gpkg", layer="community_areas")[
        "features"] == 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["assets", "--out", "x.xlsx"], "--format csv|geojson|gpkg"),
        (["assets", "--format", "csv", "--out", "x.gpkg"], "ends in .gpkg but the format is csv"),
        (["parks", "--out", "x.csv"], "No layer named 'parks'"),
        (["--out", "x.csv"], "give --all"),
        (["assets", "--all", "--format", "csv", "--out", "dir"], "give --all"),
        (["--all", "--out", "dir"], "--format"),
    ],
)
def test_export_errors_name_the_fix_and_write_nothing(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
    message: str,
) -> None:
    out = tmp_path / "out"
    argv = [str(out / a) if a.startswith(("x.", "dir")) else a for a in argv]
    code, _, err = run(capsys, "export", *argv, "--store", str(tiny_gpkg))
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert not out.exists()
