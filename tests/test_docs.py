"""The docs keep up with the code: settings, commands, endpoints and thresholds are described."""

from __future__ import annotations

import re

import pytest

from assetmap.analysis import GapThresholds
from assetmap.api import create_app
from assetmap.cli import build_parser
from assetmap.config import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
METHOD = (PROJECT_ROOT / "docs" / "METHOD.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [n for n in Settings.model_fields if n != "thresholds"])
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"ASSETMAP_{name.upper()}" in README


def test_every_command_is_in_the_readme() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert commands is not None
    for command in commands:
        assert re.search(rf"assetmap {command}\b", README), command


def test_every_public_endpoint_is_in_the_readme(tiny_gpkg) -> None:  # type: ignore[no-untyped-def]
    # The OpenAPI paths, not app.routes: included routers hide their paths from the latter.
    paths = create_app(Settings(store=str(tiny_gpkg))).openapi()["paths"]
    documented = [path for path in paths if path.startswith(("/api", "/reports"))]
    assert len(documented) > 15  # the app's JSON API is all there
    any_name = re.compile(r"\{[^}]*\}")  # README may call {feature_id} {id}
    readme = any_name.sub("{}", README)
    missing = [path for path in documented if f"`{any_name.sub('{}', path)}" not in readme]
    assert missing == [], f"README does not describe: {missing}"


@pytest.mark.parametrize("name", list(GapThresholds().as_flat_dict()))
def test_every_threshold_is_in_the_method(name: str) -> None:
    assert name in METHOD


ARCHITECTURE = (PROJECT_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
_PATH = re.compile(r"`((?:assetmap|layers|tests|docs|web|benchmarks|scripts)/[\w./-]*)")


@pytest.mark.parametrize("doc", ["README.md", "docs/ARCHITECTURE.md"])
def test_every_path_the_docs_name_exists(doc: str) -> None:
    text = (PROJECT_ROOT / doc).read_text(encoding="utf-8")
    named = {match.rstrip(".") for match in _PATH.findall(text)}
    assert len(named) > 10  # the pattern still finds the layout's paths
    missing = sorted(path for path in named if not (PROJECT_ROOT / path).exists())
    assert missing == [], f"{doc} names paths that do not exist: {missing}"


def test_the_architecture_answers_where_each_concern_lives() -> None:
    for question in ("the gap analysis", "the siting", "what counts as a hub", "who may write",
                     "how an import is checked", "how a CSV is made safe for Excel",
                     "how a point is assigned to an area", "what the public finder searches"):
        assert f"| {question}" in ARCHITECTURE, question
