"""Bad files on the command line (issue 15): one `error:` line naming the file, exit 2, no
traceback — a GeoJSON nested 100,000 deep, empty asset and postcode files, lying GeoPackages."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetmap.cli import main
from tests.register.imports.gpkg_tricks import deeply_nested_geojson, miscounted_gpkg


@pytest.mark.parametrize(("command", "name", "says"), [
    ("assets", "deep.geojson", "nested too deeply"),
    ("assets", "empty.csv", "the file is empty"),
    ("assets", "halls.gpkg", "says it holds 1 features"),
    ("postcodes", "empty.csv", "the file is empty"),
    ("postcodes", "blank.csv", "the file is empty"),
])
def test_a_bad_file_is_one_error_line_and_exit_2(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    command: str, name: str, says: str,
) -> None:
    contents = {"deep.geojson": deeply_nested_geojson(), "empty.csv": b"", "blank.csv": b"\n\n",
                "halls.gpkg": miscounted_gpkg(tmp_path)}[name]
    path = tmp_path / name
    path.write_bytes(contents)
    assert main(["import", command, str(path), "--store", str(tiny_gpkg)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and says in err, err
    assert "Traceback" not in err
