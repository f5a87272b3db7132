"""``main``: settings are read once, inside the error handling; a bad variable is one line."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assetmap import __version__
from assetmap.cli import build_parser, main
from assetmap.config import PROJECT_ROOT
from assetmap.sources import IMPORT_KIND_HELP

BAD_PORT = "ASSETMAP_PORT: Input should be a valid integer"


def _assert_one_line_naming_port(err: str) -> None:
    assert err.startswith("error: invalid setting ASSETMAP_PORT: ")
    assert BAD_PORT in err and "(fix or unset ASSETMAP_PORT)" in err
    assert err.count("\n") == 1 and "Traceback" not in err and "pydantic" not in err


@pytest.mark.parametrize("argv", [["--version"], ["layers", "validate"], ["users", "list"]])
def test_a_bad_variable_is_one_line_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    monkeypatch.setenv("ASSETMAP_PORT", "abc")
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    _assert_one_line_naming_port(captured.err)


@pytest.mark.parametrize("argv", [["--version"], ["layers", "validate"]])
def test_a_bad_variable_is_one_line_from_the_command(argv: list[str]) -> None:
    env = {**os.environ, "ASSETMAP_PORT": "abc", "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run([sys.executable, "-m", "assetmap.cli", *argv], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    _assert_one_line_naming_port(done.stderr)


def test_every_bad_variable_is_named_nested_ones_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSETMAP_PORT", "0")
    monkeypatch.setenv("ASSETMAP_THRESHOLDS__URBAN_CATCHMENT_M", "far")
    assert main(["--version"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: invalid settings: ASSETMAP_PORT: ")
    assert "ASSETMAP_THRESHOLDS__URBAN_CATCHMENT_M: Input should be a valid number" in err
    assert err.count("\n") == 1


def test_version_with_good_settings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"assetmap {__version__}\n"


def test_building_the_parser_reads_no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSETMAP_PORT", "abc")
    assert "layers" in build_parser().format_help()


def test_layers_validate_defaults_to_the_layers_dir_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSETMAP_LAYERS_DIR", str(tmp_path))
    assert main(["layers", "validate"]) == 2
    assert str(tmp_path) in capsys.readouterr().err
    monkeypatch.setenv("ASSETMAP_LAYERS_DIR", str(PROJECT_ROOT / "layers"))
    assert main(["layers", "validate"]) == 0
    assert f"valid in {PROJECT_ROOT / 'layers'}" in capsys.readouterr().out


def test_a_bad_command_line_setting_is_refused_before_serving(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: invalid setting: port: Input should be greater than or equal")


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_commands_and_their_order_in_help() -> None:
    commands = _choices(build_parser())
    assert list(commands) == ["serve", "sample", "gaps", "report", "export", "copy", "import",
                              "build-real", "users", "fetch", "layers", "repair-ids",
                              "purge-contacts"]
    datasets = ["postcodes", "assets", "osm", "register", "organisations", "activities", "oruk",
                *IMPORT_KIND_HELP]
    assert list(_choices(commands["import"])) == datasets
    assert list(_choices(commands["users"])) == ["add", "list", "revoke", "link", "steward"]
    assert list(_choices(commands["layers"])) == ["validate"]
    validate = _choices(commands["layers"])["validate"].format_help()
    assert "default: ASSETMAP_LAYERS_DIR, else layers/" in validate
