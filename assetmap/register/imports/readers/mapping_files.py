"""Read a YAML mapping file (OpenStreetMap tags, a council's register columns) into a model.

Every problem names the file, the key (``rules[3].category``) and the fix,
the way layer files do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assetmap.errors import ConfigError
from assetmap.layers import describe_validation_error, read_yaml_mapping

__all__ = ["load_mapping_file", "mapping_error"]

M = TypeVar("M", bound=BaseModel)


def mapping_error(path: Path, key: str, problem: str, fix: str) -> ConfigError:
    return ConfigError(f"{path}: {key}: {problem} — fix: {fix}",
                       details=[{"file": str(path), "field": key, "problem": problem, "fix": fix}])


def load_mapping_file(path: Path, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Parse and validate ``path``; ``context`` reaches the model's validators (e.g. the layer)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the mapping file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text; save the mapping file as UTF-8") from exc
    raw = read_yaml_mapping(text, path, expected="a mapping of keys at the top of the file")
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        raise describe_validation_error(exc, path, raw) from exc
