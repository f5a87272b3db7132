"""The PostgreSQL server behind a PostGIS store: checking it at start-up, naming it without
its password, and the driver errors that mean "try again" or "the server is down".
"""

from __future__ import annotations

import re

import psycopg
from psycopg.conninfo import conninfo_to_dict

from assetmap.errors import StoreError

__all__ = ["CLASHES", "FIX", "check_server", "display_url", "first_line"]

FIX = (
    "start the server (`docker compose up db`, or scripts/postgis.sh for tests) or correct "
    "the URL in ASSETMAP_STORE"
)
# Writes the server undid because another transaction got in the way.
CLASHES = (
    psycopg.errors.TransactionRollback,
    psycopg.errors.DeadlockDetected,
    psycopg.errors.SerializationFailure,
)
_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*):[^@\s]*@")


def display_url(url: str) -> str:
    """The connection target without its password, for messages and logs."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(unreadable URL)"
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = parts.get("host") or "localhost"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


def check_server(url: str, display: str) -> None:
    """Fail at start-up, with the fix, when the server or PostGIS is not there."""
    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as connection:
            installed = connection.execute(
                "SELECT extversion FROM pg_extension WHERE extname = 'postgis'"
            ).fetchone()
            on_path = connection.execute("SELECT to_regtype('geometry')").fetchone()
    except psycopg.ProgrammingError as exc:  # a malformed URL
        raise StoreError(
            f"ASSETMAP_STORE is not a usable PostgreSQL URL ({first_line(exc)}); write it as "
            "postgresql://USER:PASSWORD@HOST:5432/DATABASE"
        ) from exc
    except psycopg.OperationalError as exc:
        raise StoreError(
            f"Cannot connect to the PostGIS store at {display}: {first_line(exc)}; {FIX}"
        ) from exc
    if installed is None:
        raise StoreError(
            f"PostGIS is not installed in {display}: run `CREATE EXTENSION postgis;` in that "
            "database as a superuser (the postgis/postgis image and scripts/postgis.sh do this)"
        )
    if on_path is None or on_path[0] is None:
        raise StoreError(
            f"PostGIS is installed in {display} but not on the search_path; add its schema "
            "(usually public) to the search_path"
        )


def first_line(exc: BaseException) -> str:
    """The driver's message, minus any password it quotes back from the URL."""
    text = _PASSWORD_IN_URL.sub(r"\1@", str(exc).strip())
    return text.splitlines()[0] if text else type(exc).__name__
