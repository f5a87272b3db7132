"""Full-text search in a GeoPackage: one SQLite FTS5 table per searchable layer.

``assetmap_search_<table>`` holds the layer's ``search`` fields (``porter unicode61
remove_diacritics 2``: stemmed, accents folded) with the feature id, under the layer row's
rowid. No trigger sits on the layer table: GDAL's own SQLite has no FTS5, so a trigger would
break every GDAL or QGIS edit of the file. Instead:

* the store's own writes keep the index in step in their transaction
  (:func:`before_write` / :func:`after_write`);
* ``assetmap_search_state`` records the layer's ``gpkg_contents.last_change`` when the index
  was last known to match it. Any other write (a bulk import replacing the table, GDAL, QGIS)
  stamps ``last_change`` anew, so the next search finds the index out of step and rebuilds it
  first, under the write lock.

Search terms come from :func:`assetmap.store.search_terms.search_terms`: letters and digits
only, each one quoted, so no FTS5 syntax (``"``, ``*``, ``-``, ``NEAR``, ``AND``) from a
resident ever reaches ``MATCH``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from assetmap.layers import LayerSpec
from assetmap.store.geopackage.sqlite import quote, table_columns
from assetmap.store.search_terms import SearchQuery, plan_search, search_terms

__all__ = [
    "PendingWrite",
    "after_write",
    "before_write",
    "index_in_step",
    "matching_ids",
    "rebuild_index",
    "search_layer",
]

STATE_TABLE = "assetmap_search_state"
_ID = "assetmap_id"  # the feature id, stored but not searched
_TOKENIZER = "porter unicode61 remove_diacritics 2"
_FIRST_WEIGHT, _OTHER_WEIGHT = 10.0, 1.0  # a word in the name counts ten times one elsewhere


def index_table(layer: LayerSpec) -> str:
    return f"assetmap_search_{layer.table}"


def _indexed(layer: LayerSpec) -> tuple[str, ...]:
    """The index's columns after the id: the searched fields, then the ``within`` fields."""
    return (*layer.search, *[f for f in layer.search_within if f not in layer.search])


def _fields_key(layer: LayerSpec) -> str:
    return ",".join(layer.search) + "|" + ",".join(layer.search_within)


def index_in_step(connection: sqlite3.Connection, layer: LayerSpec) -> bool:
    """Whether the index exists for the layer's search fields and matches its table."""
    try:
        row = connection.execute(
            f"SELECT s.fields = ? AND s.stamp IS c.last_change FROM {STATE_TABLE} s "
            "JOIN gpkg_contents c ON c.table_name = s.table_name WHERE s.table_name = ?",
            (_fields_key(layer), layer.table),
        ).fetchone()
    except sqlite3.OperationalError:  # no state table: nothing indexed yet
        return False
    return bool(row and row[0])


def _stamp(connection: sqlite3.Connection, layer: LayerSpec) -> None:
    connection.execute(
        f"INSERT OR REPLACE INTO {STATE_TABLE} (table_name, fields, stamp) "
        "SELECT table_name, ?, last_change FROM gpkg_contents WHERE table_name = ?",
        (_fields_key(layer), layer.table),
    )


def rebuild_index(connection: sqlite3.Connection, layer: LayerSpec) -> None:
    """Index every row of the layer afresh; the caller holds the write lock (BEGIN IMMEDIATE)."""
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} "
        "(table_name TEXT PRIMARY KEY, fields TEXT NOT NULL, stamp TEXT)"
    )
    index = quote(index_table(layer))
    connection.execute(f"DROP TABLE IF EXISTS {index}")
    existing = set(table_columns(connection, layer.table))
    columns = ", ".join(quote(f) for f in _indexed(layer))
    connection.execute(
        f"CREATE VIRTUAL TABLE {index} USING fts5({_ID} UNINDEXED, {columns}, "
        f"tokenize = '{_TOKENIZER}')"
    )
    values = ", ".join(quote(f) if f in existing else "NULL" for f in _indexed(layer))
    connection.execute(
        f"INSERT INTO {index} (rowid, {_ID}, {columns}) "
        f"SELECT rowid, {quote(layer.id_field)}, {values} FROM {quote(layer.table)}"
    )
    _stamp(connection, layer)


def _phrase(words: tuple[str, ...]) -> str:
    # Words hold letters and digits only; doubling quotes would escape any that did not.
    return '"' + " ".join(words).replace('"', '""') + '"'


def match_expression(layer: LayerSpec, query: SearchQuery) -> str:
    """FTS5 query: every word in the searched fields, and per ``within`` field any value."""
    searched = "{" + " ".join(layer.search) + "}"
    parts = [f"{searched} : {_phrase((term,))}" for term in query.terms]
    for field, values in query.within:
        phrases = [_phrase(words) for words in dict.fromkeys(search_terms_all(v) for v in values)
                   if words]
        if not phrases:
            return ""
        parts.append("(" + " OR ".join(f"{{{field}}} : {p}" for p in phrases) + ")")
    return " AND ".join(parts)


def search_terms_all(value: str) -> tuple[str, ...]:
    """A value's words as the index holds them (stop words too: ids are not sentences)."""
    if value.isascii() and value.isalnum():  # most ids: one word as it is
        return (value.lower(),)
    return search_terms(value, keep_stop_words=True)


def _holds(stored: object, wanted: frozenset[str]) -> bool:
    return stored is not None and any(v.strip() in wanted for v in str(stored).split(";"))


def matching_ids(
    connection: sqlite3.Connection, layer: LayerSpec, query: SearchQuery, limit: int | None,
    *, ranked: bool = True,
) -> list[str]:
    """Ids of matching features, best first (bm25, the first field weighing most)."""
    weights = ", ".join(
        "0.0" if field not in layer.search else str(_FIRST_WEIGHT if i == 0 else _OTHER_WEIGHT)
        for i, field in enumerate(_indexed(layer))
    )
    expression = match_expression(layer, query)
    if not expression:
        return []
    index = quote(index_table(layer))
    order = f"bm25({index}, 0.0, {weights}), {_ID}" if query.terms else _ID
    order = order if ranked else "rowid"  # FTS5's own order: streams, stops at the limit
    listed = ", ".join([_ID, *(quote(field) for field, _ in query.within)])
    rows = connection.execute(
        f"SELECT {listed} FROM {index} WHERE {index} MATCH ? ORDER BY {order}",
        (expression,),
    )
    found: list[str] = []
    wanted = [frozenset(values) for _, values in query.within]
    for row in rows:
        # The index matches words; a value is matched whole (and with its case) here.
        if all(_holds(row[i + 1], values) for i, values in enumerate(wanted)):
            found.append(str(row[0]))
            if limit is not None and len(found) >= limit:
                break
    return found


def search_layer(
    connection: sqlite3.Connection,
    layer: LayerSpec,
    text: str,
    limit: int | None,
    within: Mapping[str, Collection[str]] | None,
    write_lock: threading.Lock,
    *,
    ranked: bool = True,
) -> list[str]:
    """:meth:`GeoPackageStore.search`: rebuild the index first if it is out of step."""
    query = plan_search(layer, text, within)
    if query is None or not table_columns(connection, layer.table):
        return []
    if not index_in_step(connection, layer):
        with write_lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                if not index_in_step(connection, layer):  # another writer may have rebuilt it
                    rebuild_index(connection, layer)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
    return matching_ids(connection, layer, query, limit, ranked=ranked)


@dataclass(frozen=True)
class PendingWrite:
    """A write to an indexed layer, seen before it runs: the row it will replace, if any."""

    layer: LayerSpec
    feature_id: str
    old_rowid: int | None


def _rowid(connection: sqlite3.Connection, layer: LayerSpec, feature_id: str) -> int | None:
    row = connection.execute(
        f"SELECT rowid FROM {quote(layer.table)} WHERE {quote(layer.id_field)} = ?",
        (feature_id,),
    ).fetchone()
    return None if row is None else int(row[0])


def before_write(
    connection: sqlite3.Connection, layer: LayerSpec, feature_id: str
) -> PendingWrite | None:
    """Call before adding, changing or deleting a feature; None when there is nothing to keep
    in step (the layer is not searched, or its index is already out of step and will be
    rebuilt by the next search).
    """
    if not layer.search or not index_in_step(connection, layer):
        return None
    return PendingWrite(layer, feature_id, _rowid(connection, layer, feature_id))


def after_write(connection: sqlite3.Connection, pending: PendingWrite | None) -> None:
    """Call after the write and its ``last_change`` stamp: the feature's entry as it is now."""
    if pending is None:
        return
    layer = pending.layer
    index = quote(index_table(layer))
    if pending.old_rowid is not None:
        connection.execute(f"DELETE FROM {index} WHERE rowid = ?", (pending.old_rowid,))
    existing = set(table_columns(connection, layer.table))
    values = ", ".join(quote(f) if f in existing else "NULL" for f in _indexed(layer))
    columns = ", ".join(quote(f) for f in _indexed(layer))
    connection.execute(
        f"INSERT INTO {index} (rowid, {_ID}, {columns}) "
        f"SELECT rowid, {quote(layer.id_field)}, {values} FROM {quote(layer.table)} "
        f"WHERE {quote(layer.id_field)} = ?",
        (pending.feature_id,),
    )
    _stamp(connection, layer)
