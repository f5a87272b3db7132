"""What every page and export must tell its reader about the data behind it.

Two things: the licence lines the data requires (the store's ``attribution``
metadata, one line per source) and whether parish boundaries are loaded at all
(a store built from open data may have none; pages then say so rather than
inventing areas).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["NO_PARISHES", "attribution_lines"]

NO_PARISHES = (
    "Parish and unparished-area boundaries are not loaded, so parishes and unparished areas "
    "are not shown and cannot be ranked."
)


def attribution_lines(metadata: Mapping[str, str] | str | None) -> list[str]:
    """The store's ``attribution`` as separate, non-empty lines (text, never markup)."""
    text = metadata if isinstance(metadata, str) or metadata is None else metadata.get(
        "attribution", ""
    )
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
