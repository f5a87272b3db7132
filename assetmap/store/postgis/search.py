"""Full-text search in PostGIS: a generated ``tsvector`` column with a GIN index per layer.

The column, ``assetmap_search_<hash of the search fields>``, is ``GENERATED ALWAYS … STORED``,
so PostgreSQL itself keeps it in step with every INSERT, UPDATE and COPY, whoever makes them.
A table replaced by a bulk import comes back without it; the first search then finds the
column missing (an error the query raises, so an in-step search pays nothing to check) and
adds it, under an advisory lock, before searching again.

So that PostGIS finds what the GeoPackage's FTS5 (``porter unicode61 remove_diacritics 2``)
finds, each field's text is accent-folded with ``translate()`` (the table of
:data:`~assetmap.store.search_terms.ACCENT_FOLDING`), split on anything not a letter or digit,
then stemmed by the text search configuration ``assetmap_search``: Snowball English with no stop
words (``english`` would drop "for" or "the" from documents, which FTS5 keeps). The words
searched for come from :func:`~assetmap.store.search_terms.search_terms` and reach
``plainto_tsquery`` as a parameter, never as tsquery syntax.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any

import psycopg
from psycopg import sql

from assetmap.layers import LayerSpec
from assetmap.store.postgis.queries import table_columns
from assetmap.store.search_terms import ACCENT_FOLDING, SearchQuery, plan_search

__all__ = ["add_search_column", "search_column", "search_layer"]

CONFIG = "assetmap_search"
_DICTIONARY = "assetmap_search_stem"
# Token types the default parser makes of letters and digits: stem the words, keep the numbers.
_WORDS = "asciiword, word, asciihword, hword, hword_asciipart, hword_part"
_NUMBERS = "numword, numhword, hword_numpart, int, uint"
_FOLD_FROM = "".join(ACCENT_FOLDING)
_FOLD_TO = "".join(ACCENT_FOLDING.values())
_MISSING = (psycopg.errors.UndefinedColumn, psycopg.errors.UndefinedObject)


def search_column(layer: LayerSpec) -> str:
    """The column's name changes with the fields searched, so a changed layer is re-indexed."""
    key = ",".join(layer.search) + "|" + ",".join(layer.search_within)
    return f"assetmap_search_{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def within_column(layer: LayerSpec, field: str) -> str:
    """A ``text[]`` of a semicolon-list field's values, for ``within`` (GIN, ``&&``)."""
    return f"{search_column(layer)}_{layer.search_within.index(field)}"


def _ensure_config(connection: psycopg.Connection[Any]) -> None:
    exists = connection.execute(
        "SELECT 1 FROM pg_ts_config WHERE cfgname = %s "
        "AND cfgnamespace = current_schema()::regnamespace",
        [CONFIG],
    ).fetchone()
    if exists:
        return
    connection.execute(
        sql.SQL("CREATE TEXT SEARCH DICTIONARY {} (TEMPLATE = snowball, Language = english)")
        .format(sql.Identifier(_DICTIONARY))
    )
    config = sql.Identifier(CONFIG)
    connection.execute(
        sql.SQL("CREATE TEXT SEARCH CONFIGURATION {} (COPY = pg_catalog.simple)").format(config)
    )
    connection.execute(
        sql.SQL("ALTER TEXT SEARCH CONFIGURATION {} ALTER MAPPING FOR {} WITH {}").format(
            config, sql.SQL(_WORDS), sql.Identifier(_DICTIONARY)
        )
    )
    connection.execute(
        sql.SQL("ALTER TEXT SEARCH CONFIGURATION {} ALTER MAPPING FOR {} WITH simple").format(
            config, sql.SQL(_NUMBERS)
        )
    )


def _vector(layer: LayerSpec, existing: set[str]) -> sql.Composable:
    """The generated column's expression: the first field weighted A, the others B."""
    parts: list[sql.Composable] = []
    for index, field in enumerate(layer.search):
        text = (sql.SQL("coalesce({}::text, '')").format(sql.Identifier(field))
                if field in existing else sql.Literal(""))
        parts.append(sql.SQL(
            "setweight(to_tsvector({config}::regconfig, regexp_replace(translate({text}, "
            "{fold_from}, {fold_to}), '[^[:alnum:]]+', ' ', 'g')), {weight})"
        ).format(config=sql.Literal(CONFIG), text=text, fold_from=sql.Literal(_FOLD_FROM),
                 fold_to=sql.Literal(_FOLD_TO), weight=sql.Literal("A" if index == 0 else "B")))
    return sql.SQL(" || ").join(parts)


def _generated(table: sql.Identifier, column: str, kind: str, expression: sql.Composable,
               index_name: str) -> list[sql.Composed]:
    return [
        sql.SQL("ALTER TABLE {} ADD COLUMN {} {} GENERATED ALWAYS AS ({}) STORED").format(
            table, sql.Identifier(column), sql.SQL(kind), expression),
        sql.SQL("CREATE INDEX {} ON {} USING gin ({})").format(
            sql.Identifier(index_name), table, sql.Identifier(column)),
    ]


def add_search_column(connection: psycopg.Connection[Any], layer: LayerSpec) -> None:
    """Add the layer's search columns and indexes if missing (and drop ones for older fields)."""
    with connection.transaction():
        connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"assetmap:search:{layer.table}"],
        )
        existing = table_columns(connection, layer.table)
        column = search_column(layer)
        if not existing or column in existing:
            return
        _ensure_config(connection)
        table = sql.Identifier(layer.table)
        for old in [c for c in existing if c.startswith("assetmap_search_")]:
            connection.execute(sql.SQL("ALTER TABLE {} DROP COLUMN {}").format(
                table, sql.Identifier(old)))
        statements = _generated(table, column, "tsvector", _vector(layer, set(existing)),
                                f"{layer.table[:30]}_{column}")
        for field in layer.search_within:
            values = (sql.SQL("regexp_split_to_array(trim(coalesce({}::text, '')), "
                              "'\\s*;\\s*')").format(sql.Identifier(field))
                      if field in existing else sql.SQL("ARRAY[]::text[]"))
            name = within_column(layer, field)
            statements += _generated(table, name, "text[]", values, f"{layer.table[:30]}_{name}")
        for statement in statements:
            connection.execute(statement)
        connection.execute(sql.SQL("ANALYZE {}").format(table))


def _query(
    layer: LayerSpec, query: SearchQuery, limit: int | None, ranked: bool
) -> tuple[sql.Composed, list[Any]]:
    column = sql.Identifier(search_column(layer))
    clauses: list[sql.Composable] = []
    parameters: list[Any] = []
    if query.terms:
        clauses.append(sql.SQL("{} @@ plainto_tsquery({}::regconfig, %s)").format(
            column, sql.Literal(CONFIG)))
        parameters.append(" ".join(query.terms))
    for field, values in query.within:
        clauses.append(sql.SQL("{} && %s::text[]").format(
            sql.Identifier(within_column(layer, field))))
        parameters.append(list(values))
    order = (sql.SQL("ORDER BY ts_rank({}, plainto_tsquery({}::regconfig, %s)) DESC, {}").format(
        column, sql.Literal(CONFIG), sql.Identifier(layer.id_field)) if query.terms
        else sql.SQL("ORDER BY {}").format(sql.Identifier(layer.id_field)))
    parameters += [" ".join(query.terms)] if query.terms and ranked else []
    statement = sql.SQL("SELECT {id}::text FROM {table} WHERE {where} {order} LIMIT %s").format(
        id=sql.Identifier(layer.id_field), table=sql.Identifier(layer.table),
        where=sql.SQL(" AND ").join(clauses), order=order if ranked else sql.SQL(""))
    return statement, [*parameters, limit]


def search_layer(
    connection: psycopg.Connection[Any],
    layer: LayerSpec,
    text: str,
    limit: int | None,
    within: Mapping[str, Collection[str]] | None,
    *,
    ranked: bool = True,
) -> list[str]:
    """:meth:`PostGISStore.search` on an autocommit connection."""
    query = plan_search(layer, text, within)
    if query is None:
        return []
    statement, parameters = _query(layer, query, limit, ranked)
    try:
        rows = connection.execute(statement, parameters).fetchall()
    except psycopg.errors.UndefinedTable:
        return []
    except _MISSING:
        add_search_column(connection, layer)
        if not table_columns(connection, layer.table):
            return []
        rows = connection.execute(statement, parameters).fetchall()
    return [str(feature_id) for (feature_id,) in rows]
