"""Page text in message catalogues, so other languages and Easy Read can be added.

Each catalogue is ``assetmap/messages/<code>.yaml``: a flat mapping of keys to
text with ``{name}`` placeholders. ``en`` is complete; any other catalogue may
give only some keys and falls back to ``en`` for the rest. ``en-easy`` is the
Easy Read version. A page picks ``?lang=`` first, then the browser's
``Accept-Language``, then English.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["DEFAULT_LANGUAGE", "Messages", "available_languages", "choose_language", "messages"]

DEFAULT_LANGUAGE = "en"
_DIRECTORY = Path(__file__).parent


@cache
def available_languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in _DIRECTORY.glob("*.yaml")))


@cache
def _catalogue(code: str) -> dict[str, str]:
    raw = yaml.safe_load((_DIRECTORY / f"{code}.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in raw.items()}


class Messages:
    """Look up text by key: ``t("find.title")`` or ``t("find.results", count=3)``."""

    def __init__(self, code: str) -> None:
        self.code = code
        self._text: Mapping[str, str] = {**_catalogue(DEFAULT_LANGUAGE), **_catalogue(code)}

    @property
    def html_lang(self) -> str:
        """The page's ``lang`` attribute (Easy Read is still English)."""
        return self._text.get("meta.html_lang", "en-GB")

    def __call__(self, key: str, **values: Any) -> str:
        text = self._text.get(key)
        if text is None:
            raise KeyError(f"No message {key!r} in the {DEFAULT_LANGUAGE} catalogue")
        return text.format(**values) if values else text

    def get(self, key: str, default: str) -> str:
        return self._text.get(key, default)


def choose_language(requested: str | None, accept_language: str | None) -> str:
    """``?lang=`` if we have it, else the best ``Accept-Language`` match, else English."""
    languages = available_languages()
    if requested and requested.strip().lower() in languages:
        return requested.strip().lower()
    ranked: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            ranked.append((quality, tag.strip().lower()))
    for _, tag in sorted(ranked, key=lambda item: -item[0]):
        for candidate in (tag, tag.split("-")[0]):
            if candidate in languages:
                return candidate
    return DEFAULT_LANGUAGE


def messages(code: str) -> Messages:
    return Messages(code if code in available_languages() else DEFAULT_LANGUAGE)
