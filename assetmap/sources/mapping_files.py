"""Read a YAML mapping file (OpenStreetMap tags, a council's register columns) into a model.

Every problem names the file, the key (``rules[3].category``) and the fix,
the way layer files do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assetmap.errors import ConfigError

__all__ = ["load_mapping_file", "mapping_error"]

M = TypeVar("M", bound=BaseModel)


def _key(location: tuple[int | str, ...]) -> str:
    text = ""
    for step in location:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(file)"


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
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)} — fix: check the "
            "indentation, and quote values containing ':' or '#'"
        ) from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top of the file")
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        lines, details = [], []
        for error in exc.errors():
            key = _key(tuple(error["loc"]))
            problem = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                fix = f"remove `{error['loc'][-1]}` or correct its spelling (not a known key)"
            elif error["type"] == "missing":
                fix = f"add `{error['loc'][-1]}`"
            else:
                fix = "correct the value"
            lines.append(f"{path}: {key}: {problem} — fix: {fix}")
            details.append({"file": str(path), "field": key, "problem": problem, "fix": fix})
        raise ConfigError("\n".join(lines), details=details) from exc
