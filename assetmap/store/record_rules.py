"""Checks both backends make before deleting records (one place, so they cannot drift)."""

from __future__ import annotations

from collections.abc import Mapping

from assetmap.errors import StoreError
from assetmap.store.validation import record_columns

__all__ = ["check_deletion"]


def check_deletion(table: str, where: Mapping[str, str | None]) -> None:
    """Refuse an unknown table, or a deletion without a condition (which would empty it)."""
    record_columns(table)
    if not where:
        raise StoreError(f"Deleting records of {table} needs a condition")
