"""The storage contract every backend meets (GeoPackage and PostGIS).

Geometries cross this boundary in the store's CRS, EPSG:27700. Attribute
filters are exact matches on declared fields (several values = any of them);
``bbox`` is (minx, miny, maxx, maxy) in EPSG:27700 and keeps features whose
geometry intersects it.

Besides the declared layers a store keeps *records*: the register's own
non-spatial tables (the audit log, suggested corrections, users), with the
columns named in :data:`RECORD_TABLES`. Every record column is text except the
integer ``id`` the store assigns, so backends need no per-table code.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from assetmap.layers import LayerSpec

__all__ = [
    "RECORD_DEFAULTS",
    "RECORD_TABLES",
    "BBox",
    "Feature",
    "Filters",
    "Record",
    "RecordFilter",
    "RecordWhere",
    "Store",
    "Transaction",
    "feature_from_row",
    "plain_int",
    "plain_text",
    "plain_value",
    "record_filter",
]

BBox = tuple[float, float, float, float]
Filters = Mapping[str, Sequence[str]]
Record = dict[str, Any]

# The register's own tables: name -> text columns (each also has an integer ``id``).
RECORD_TABLES: dict[str, tuple[str, ...]] = {
    # One row per changed field of one write; rows of one write share ``change_id``.
    "assetmap_audit": (
        "change_id", "at", "actor", "action", "layer", "feature_id", "field", "before", "after",
    ),
    # Suggestions from the public, awaiting an officer's decision.
    # ``kind``: a resident's correction, a resident's new place or a steward's edit in review;
    # ``author``: the signed-in steward (none for residents); ``district``: where, for filters;
    # ``position``: a new place's point (WKT, EPSG:27700).
    "assetmap_corrections": (
        "created_at", "layer", "feature_id", "changes", "message", "contact", "status",
        "decided_by", "decided_at", "decision_note", "client", "kind", "author", "district",
        "position",
    ),
    "assetmap_users": ("name", "role", "token_hash", "created_at", "revoked_at", "email"),
    # Who stewards which asset or organisation (register/stewardship.py): one row per pair.
    "assetmap_stewardships": ("user_name", "layer", "feature_id", "created_at", "created_by"),
    # Per-store secrets, e.g. the key that turns a client address into an opaque rate-limit key.
    "assetmap_secrets": ("name", "value", "created_at"),
    # Signed-in browsers: the cookie holds a random id, the store only its SHA-256.
    "assetmap_sessions": (
        "session_hash", "user_name", "role", "via", "created_at", "expires_at", "last_seen",
    ),
    # Failed credential checks per opaque client key, in fixed windows (shared by all workers).
    "assetmap_rate_limits": ("client", "bucket", "window_start", "count"),
    # Accounts at the council's identity provider an admin tied to a user (OpenID Connect).
    "assetmap_identities": ("user_name", "issuer", "subject", "email", "created_at"),
    # OpenID Connect sign-ins under way: state (hashed), nonce and PKCE verifier, minutes long.
    "assetmap_oidc_logins": ("state_hash", "nonce", "code_verifier", "next", "created_at"),
    # Saved, named scenarios (hubs closed and opened), re-run against the live register.
    "assetmap_scenarios": (
        "name", "district", "close", "open", "author", "created_at", "deleted_at", "deleted_by",
    ),
    # Files checked on the /import page, waiting a day to be applied (on any worker), and
    # their bytes (base64) apart, so listing what waits never reads them.
    "assetmap_staged_imports": ("token_hash", "name", "created_at", "state"),
    "assetmap_staged_files": ("token_hash", "data"),
    # Mail waiting to be sent, sent or given up on (register/outbox.py); a sender claims a
    # row until ``claimed_until`` so two workers never send it twice.
    "assetmap_outbox": (
        "kind", "recipient", "subject", "text_body", "html_body", "created_at", "status",
        "attempts", "next_attempt_at", "claimed_by", "claimed_until", "sent_at", "last_error",
        "dedupe_key", "purged_at",
    ),
    # Stewards' one-click "still right" links (register/still_right.py): the token's SHA-256,
    # the record, the steward, until when it works and when it was used.
    "assetmap_still_right": (
        "token_hash", "layer", "feature_id", "user_name", "created_at", "expires_at", "used_at",
    ),
    # Report pages and downloads one worker rendered, for every worker (api/shared_renders.py):
    # keyed by a digest of the in-memory cache key (which holds the store version and day); the
    # bytes (base64) apart, so pruning old entries never reads them.
    "assetmap_rendered": ("cache_key", "version", "made_on"),
    "assetmap_rendered_bodies": ("cache_key", "media_type", "headers", "etag", "body", "gzipped"),
    # Deleted features, kept whole so officers can restore them (register/archive.py):
    # properties as JSON, geometry as WKT in EPSG:27700; restored_* set once restored.
    "assetmap_archive": (
        "layer", "feature_id", "name", "properties", "geometry", "archived_at", "archived_by",
        "change_id", "restored_at", "restored_by",
    ),
}

# What a column added to RECORD_TABLES reads as in rows stored before it was declared: a record
# table written by an older version gains its new columns (filled with these) on first use.
RECORD_DEFAULTS: dict[str, dict[str, str]] = {"assetmap_corrections": {"kind": "correction"}}

# Columns of a record table its reads look rows up by, each with an index (made with the table
# or on the first write to an older one): the audit page fetches a page's changes by
# change_id, a record's history by feature_id.
RECORD_INDEXES: dict[str, tuple[str, ...]] = {
    "assetmap_audit": ("change_id", "feature_id"),
    "assetmap_rendered_bodies": ("cache_key",),
}


@dataclass(frozen=True)
class RecordFilter:
    """Which records to read, beyond exact matches: any of several values, text ranges.

    ``at_least``/``below`` compare text bytewise (ISO times sort as text), half-open:
    ``at_least <= value < below``. An empty ``one_of`` collection matches nothing.
    """

    equal: Mapping[str, str | None] = field(default_factory=dict)
    one_of: Mapping[str, Collection[str]] = field(default_factory=dict)
    at_least: Mapping[str, str] = field(default_factory=dict)
    below: Mapping[str, str] = field(default_factory=dict)

    def columns(self) -> set[str]:
        return {*self.equal, *self.one_of, *self.at_least, *self.below}


# ``where`` of the record reads: exact matches, or a RecordFilter.
RecordWhere = Mapping[str, str | None] | RecordFilter


def record_filter(where: RecordWhere | None) -> RecordFilter:
    """``where`` as a :class:`RecordFilter` (a mapping is exact matches)."""
    if where is None:
        return RecordFilter()
    return where if isinstance(where, RecordFilter) else RecordFilter(equal=where)


@dataclass(frozen=True)
class Feature:
    """One feature: its id (the layer's ``id_field`` value), properties and geometry."""

    id: str
    properties: dict[str, Any] = field(default_factory=dict)
    geometry: BaseGeometry | None = None


@runtime_checkable
class Transaction(Protocol):
    """Writes inside one all-or-nothing transaction."""

    def add(
        self, layer: LayerSpec, properties: Mapping[str, Any], geometry: BaseGeometry | None = None
    ) -> str:
        """Insert a feature; returns its id. Fails if the id exists.

        A plain layer (``geometry_type: none``) takes no geometry; a spatial one needs one.
        """
        ...

    def add_many(
        self,
        layer: LayerSpec,
        features: Sequence[tuple[Mapping[str, Any], BaseGeometry | None]],
    ) -> list[str]:
        """Insert many new features in one go (bulk imports); returns their ids in order.

        Each is checked as :meth:`add` checks one; if any id exists already or repeats,
        ``ValidationFailed`` and nothing is inserted. Other writers of the layer wait.
        """
        ...

    def existing_ids(self, layer: LayerSpec, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` the layer holds, read inside the transaction (locked as ``get``)."""
        ...

    def change(
        self,
        layer: LayerSpec,
        feature_id: str,
        properties: Mapping[str, Any] | None = None,
        geometry: BaseGeometry | None = None,
    ) -> None:
        """Update the given properties and/or geometry of an existing feature."""
        ...

    def delete(self, layer: LayerSpec, feature_id: str) -> None:
        """Remove a feature."""
        ...

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None:
        """Read a feature inside the transaction, locked against other writers until it ends.

        Check-then-write (``If-Match``) is safe only with this read.
        """
        ...

    def lock(self, key: str) -> None:
        """Hold a named lock until the transaction ends (check-then-write on records)."""
        ...

    def replace_table(self, name: str, frame: pd.DataFrame) -> None:
        """Create or wholly replace one table, committed or rolled back with the rest.

        The frame is taken as :meth:`Store.replace_tables` takes it (GeoDataFrames become
        spatial tables in EPSG:27700, plain frames attribute tables); it is checked before
        anything is dropped. For reference data and the metadata table, replaced in the same
        transaction as the audited feature writes they cause.
        """
        ...

    def set_metadata(self, values: Mapping[str, str]) -> None:
        """Set dataset-level keys (e.g. ``attribution``) with the data they describe."""
        ...

    def insert_record(self, table: str, values: Mapping[str, str | None]) -> int:
        """Add a row to a record table (created if missing); returns its new ``id``."""
        ...

    def insert_records(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[str | None]]
    ) -> None:
        """Add many rows (values in ``columns`` order) to a record table in one go: a bulk
        import's audit rows."""
        ...

    def update_record(self, table: str, record_id: int, values: Mapping[str, str | None]) -> None:
        """Change columns of one record; ``NotFound`` if there is no such record."""
        ...

    def delete_records(self, table: str, where: Mapping[str, str | None]) -> int:
        """Remove the records matching ``where`` (exact matches, at least one); returns how many.

        For short-lived rows such as sign-in sessions, which must stop working when deleted.
        """
        ...


@runtime_checkable
class Store(Protocol):
    """Read and write layers; one instance serves many requests."""

    name: str

    def read(
        self,
        layer: LayerSpec,
        *,
        bbox: BBox | None = None,
        filters: Filters | None = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> gpd.GeoDataFrame:
        """Features as a GeoDataFrame in EPSG:27700, ordered by id.

        ``fields`` limits the columns to those named (the id field always comes too).
        """
        ...

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None: ...

    def count(self, layer: LayerSpec, *, filters: Filters | None = None) -> int:
        """Features of the layer (matching ``filters`` when given), counted by the store."""
        ...

    def has_layer(self, layer: LayerSpec) -> bool: ...

    def search(
        self,
        layer: LayerSpec,
        text: str,
        *,
        limit: int | None = None,
        within: Mapping[str, Collection[str]] | None = None,
        ranked: bool = True,
    ) -> list[str]:
        """Ids of the layer's features whose ``search`` fields hold every word of ``text``.

        Stemmed and accent-blind ("toddlers" finds "Toddler", "cafe" finds "Café"), the same
        on every backend (words as :func:`assetmap.store.search_terms.search_terms` takes
        them); best match first (a word in the first field counts most), at most ``limit``.
        ``within`` narrows to features whose semicolon-list field (one of the layer's
        ``search_within``) holds one of the values given, e.g. ``{"asset_ids": ["A1", "A7"]}``;
        with ``within`` and no words, every feature within, by id. Empty when there is
        neither. ``ranked=False`` skips the ranking: any ``limit`` matches, sooner (a probe:
        fewer than ``limit`` back means these are all). Kept in step with every write.
        """
        ...

    def metadata(self) -> dict[str, str]:
        """Dataset-level key/values (e.g. ``synthetic``, ``title``, ``notice``)."""
        ...

    def version(self) -> str:
        """Changes whenever layer data or metadata changes (not records); keys caches."""
        ...

    def records(
        self,
        table: str,
        *,
        where: RecordWhere | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Record]:
        """Rows of a record table (exact matches on ``where``, or a RecordFilter), by ``id``.

        A table nobody has written to yet reads as empty.
        """
        ...

    def count_records(
        self, table: str, *, where: RecordWhere | None = None, distinct: str | None = None
    ) -> int:
        """Rows matching ``where``; with ``distinct``, the different values of that column."""
        ...

    def record_keys(
        self,
        table: str,
        key: str,
        *,
        where: RecordWhere | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[str]:
        """The different values of column ``key`` among rows matching ``where``, the one
        whose newest row is newest first: a page of groups (e.g. the audit's changes).
        """
        ...

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Commit on normal exit, roll everything back on an exception."""
        ...

    def replace_tables(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Create or wholly replace tables, all or nothing (importers, loading a store).

        GeoDataFrames become spatial tables in EPSG:27700; plain frames become
        attribute tables (e.g. ``assetmap_metadata`` with ``key``/``value``).
        Tables not named are left as they are.
        """
        ...

    def close(self) -> None: ...


def plain_value(value: Any) -> Any:
    """pandas/numpy scalars -> plain Python values (NA -> None)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def plain_text(value: Any) -> str | None:
    """A stored value as stripped text; None when missing (None, NA, NaN, NaT) or blank."""
    value = plain_value(value)
    if value is None or value is pd.NaT:
        return None
    return str(value).strip() or None


def plain_int(value: Any) -> int | None:
    """A stored value as a whole number (``"3"``, ``3.0``); None when missing or not a number."""
    found = plain_text(value)
    try:
        return None if found is None else int(float(found))
    except ValueError:
        return None


def feature_from_row(layer: LayerSpec, row: pd.Series) -> Feature:
    """One row of a frame from :meth:`Store.read` as a :class:`Feature`."""
    properties = {name: plain_value(row[name]) for name in layer.field_names}
    return Feature(id=str(row[layer.id_field]), properties=properties, geometry=row.geometry)

