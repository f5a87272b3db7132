"""Where the data came from, read from the store's metadata in one place.

The store's dataset-level metadata (key/value text) says:

* ``synthetic``: ``"true"`` (any case) for the invented sample county;
* ``notice``: a sentence every page and file must show (e.g. that the data is synthetic);
* ``attribution``: the licence lines real open data requires, one per line;
* ``source:<name>`` = ``"detail | vintage | attribution"``: one per data source of a real import;
* ``seed`` and ``generated``/``created``: how the sample was made.

:meth:`DatasetInfo.from_metadata` is the only parser of these keys. Pages,
exports and reports take what they show from a :class:`DatasetInfo`.
:data:`NO_PARISHES` is the sentence shown when no parish boundaries are loaded
(a store built from open data may have none; pages then say so rather than
inventing areas).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "NOT_STATED",
    "NO_PARISHES",
    "SOURCE_PREFIX",
    "SYNTHETIC_STATEMENT",
    "DatasetInfo",
    "Source",
    "attribution_lines",
    "is_synthetic",
    "merge_metadata",
    "sources_from_metadata",
]

NO_PARISHES = (
    "Parish and unparished-area boundaries are not loaded, so parishes and unparished areas "
    "are not shown and cannot be ranked."
)
SOURCE_PREFIX = "source:"
NOT_STATED = "not stated"
# What a file says about synthetic data whose store gives no notice of its own.
SYNTHETIC_STATEMENT = "Synthetic data: invented places, people and assets."


@dataclass(frozen=True)
class Source:
    """One data source: what it is, how current it is, and the credit it requires."""

    name: str
    detail: str
    vintage: str
    attribution: str
    synthetic: bool = False


def attribution_lines(metadata: Mapping[str, str] | str | None) -> list[str]:
    """The store's ``attribution`` as separate, non-empty lines (text, never markup)."""
    text = metadata if isinstance(metadata, str) or metadata is None else metadata.get(
        "attribution", ""
    )
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def is_synthetic(metadata: Mapping[str, str]) -> bool:
    """Whether the metadata says the data is synthetic (``synthetic`` is "true", any case)."""
    return str(metadata.get("synthetic") or "").strip().lower() == "true"


@dataclass(frozen=True)
class DatasetInfo:
    """What every page and file must say about the data behind it."""

    synthetic: bool = False
    notice: str = ""  # stripped; "" when the store gives none
    attribution: tuple[str, ...] = ()  # licence lines, stripped, none empty
    sources: tuple[Source, ...] = ()

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, str] | None) -> DatasetInfo:
        metadata = metadata or {}
        return cls(
            synthetic=is_synthetic(metadata),
            notice=str(metadata.get("notice") or "").strip(),
            attribution=tuple(attribution_lines(metadata)),
            sources=sources_from_metadata(metadata),
        )

    @property
    def attribution_text(self) -> str:
        """The attribution lines as one text, one line each ("" when there are none)."""
        return "\n".join(self.attribution)

    @property
    def statement(self) -> str:
        """Notice and attribution as one text, for places with room for only one."""
        parts = [part for part in (self.notice, self.attribution_text) if part]
        if self.synthetic and not parts:
            parts = [SYNTHETIC_STATEMENT]
        return " ".join(dict.fromkeys(parts))

    def members(self) -> dict[str, Any]:
        """JSON members: ``synthetic`` always, ``notice``/``attribution`` (lines) when known."""
        found: dict[str, Any] = {"synthetic": self.synthetic}
        if self.notice:
            found["notice"] = self.notice
        if self.attribution:
            found["attribution"] = list(self.attribution)
        return found


def sources_from_metadata(metadata: Mapping[str, str]) -> tuple[Source, ...]:
    """The data sources a store's metadata declares, honestly "unknown" when it names none.

    The synthetic sample gives one clearly labelled synthetic source. Real
    imports record ``source:<name>`` = ``"detail | vintage | attribution"``.
    """
    if is_synthetic(metadata):
        seed = metadata.get("seed") or "unknown"
        return (
            Source(
                name="Synthetic sample county",
                detail=f"Synthetic sample county (assetmap.sample, seed {seed})",
                vintage=metadata.get("generated") or metadata.get("created") or "made by code",
                attribution="Invented places, people and assets: not real data.",
                synthetic=True,
            ),
        )
    found = []
    for key in sorted(metadata):
        if not key.startswith(SOURCE_PREFIX) or not key[len(SOURCE_PREFIX) :].strip():
            continue
        parts = [part.strip() for part in str(metadata[key]).split("|")]
        parts += [""] * (3 - len(parts))
        detail, vintage = parts[0], parts[1]
        attribution = " | ".join(p for p in parts[2:] if p)
        found.append(
            Source(
                name=key[len(SOURCE_PREFIX) :].strip(),
                detail=detail or NOT_STATED,
                vintage=vintage or NOT_STATED,
                attribution=attribution or NOT_STATED,
            )
        )
    if found:
        return tuple(found)
    return (
        Source(
            name="unknown source",
            detail="The data store does not record where its layers came from.",
            vintage="unknown",
            attribution=metadata.get("attribution") or "unknown",
        ),
    )


def merge_metadata(current: Mapping[str, str], updates: Mapping[str, str],
                   attribution: str | None = None) -> pd.DataFrame:
    """The metadata table after an import: updated keys, attribution lines appended once."""
    merged = dict(current)
    merged.update(updates)
    if attribution:
        lines = [line for line in merged.get("attribution", "").splitlines() if line.strip()]
        lines += [line.strip() for line in attribution.splitlines()
                  if line.strip() and line.strip() not in lines]
        merged["attribution"] = "\n".join(lines)
    return pd.DataFrame({"key": list(merged), "value": list(merged.values())})
