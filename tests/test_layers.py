"""Layer declarations: the shipped files validate; broken files say file, field and fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import ConfigError, NotFound
from assetmap.layers import load_catalog, load_layer_file

LAYERS = PROJECT_ROOT / "layers"


@pytest.fixture
def layers_copy(tmp_path: Path) -> Path:
    target = tmp_path / "layers"
    shutil.copytree(LAYERS, target)
    return target


def test_shipped_layers_are_valid() -> None:
    catalog = load_catalog(LAYERS)
    assert {"assets", "community_areas", "districts", "small_areas", "postcodes"} <= set(catalog)
    assets = catalog["assets"]
    assert assets.geometry_type == "Point"
    assert "village_hall" in catalog.hub_categories
    assert "community_cafe" not in catalog.hub_categories
    assert catalog["community_areas"].label("governance", "unparished").startswith("Unparished")


def test_unknown_layer_lists_what_exists() -> None:
    with pytest.raises(NotFound, match="Available layers: activities, assets"):
        load_catalog(LAYERS)["parks"]


def test_bad_field_type_names_file_field_and_fix(layers_copy: Path) -> None:
    path = layers_copy / "assets.yaml"
    path.write_text(path.read_text().replace("type: date}", "type: dat}"))
    with pytest.raises(ConfigError) as caught:
        load_catalog(layers_copy)
    message = caught.value.message
    assert "assets.yaml" in message
    assert "fields[13] (last_verified).type" in message
    assert "fix:" in message
    assert caught.value.details[0]["field"] == "fields[13] (last_verified).type"


def test_missing_key_and_typo_are_both_reported(layers_copy: Path) -> None:
    path = layers_copy / "districts.yaml"
    path.write_text(path.read_text().replace("geometry_type:", "geometry_typo:"))
    with pytest.raises(ConfigError) as caught:
        load_layer_file(path)
    message = caught.value.message
    assert "geometry_type: Field required — fix: add the `geometry_type` key" in message
    assert "geometry_typo" in message and "remove `geometry_typo`" in message


def test_reference_to_undeclared_field_is_refused(layers_copy: Path) -> None:
    path = layers_copy / "assets.yaml"
    path.write_text(path.read_text().replace("tooltip: name", "tooltip: title"))
    with pytest.raises(ConfigError, match="tooltip names 'title', which is not a declared field"):
        load_layer_file(path)


def test_hub_category_must_be_a_category(layers_copy: Path) -> None:
    path = layers_copy / "assets.yaml"
    path.write_text(path.read_text().replace("hub_categories: [community_hub,",
                                             "hub_categories: [pub,"))
    with pytest.raises(ConfigError, match="hub_categories uses 'pub'"):
        load_layer_file(path)


def test_invalid_yaml_gives_line(layers_copy: Path) -> None:
    path = layers_copy / "districts.yaml"
    path.write_text("name: districts\n  title: [unclosed\n")
    with pytest.raises(ConfigError, match=r"districts.yaml: not valid YAML at line \d+"):
        load_layer_file(path)


def test_file_name_must_match_layer_name(layers_copy: Path) -> None:
    (layers_copy / "districts.yaml").rename(layers_copy / "boundaries.yaml")
    with pytest.raises(ConfigError, match=r"rename the file to districts\.yaml"):
        load_catalog(layers_copy)


def test_environment_values_fill_placeholders(
    layers_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = layers_copy / "districts.yaml"
    path.write_text(path.read_text().replace("title: Districts", "title: ${DISTRICT_TITLE:-Areas}"))
    assert load_layer_file(path).title == "Areas"
    monkeypatch.setenv("DISTRICT_TITLE", "Boroughs")
    assert load_layer_file(path).title == "Boroughs"
    path.write_text(path.read_text().replace("${DISTRICT_TITLE:-Areas}", "${NO_SUCH_VARIABLE}"))
    with pytest.raises(ConfigError, match=r"\{NO_SUCH_VARIABLE\} is not set"):
        load_layer_file(path)


def test_two_layers_cannot_share_a_table(layers_copy: Path) -> None:
    path = layers_copy / "postcodes.yaml"
    path.write_text(path.read_text().replace("table: postcodes", "table: assets"))
    with pytest.raises(ConfigError, match="already used by layer 'assets'"):
        load_catalog(layers_copy)


def test_cli_validate(layers_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["layers", "validate", "--dir", str(layers_copy)]) == 0
    assert "ok: 8 layers valid" in capsys.readouterr().out
    path = layers_copy / "assets.yaml"
    path.write_text(path.read_text().replace('"#d62728"', '"red"'))
    assert main(["layers", "validate", "--dir", str(layers_copy)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "assets.yaml: style" in error and "#1f78b4" in error
