"""``assetmap serve``: run the web service, in one process or several (``--workers``).

Each worker is its own process with its own app, built from the settings in the
environment (``create_app`` is uvicorn's factory), so command-line overrides are handed on
through ``ASSETMAP_*`` variables. Nothing a request needs lives only in one worker: the
store holds the data, staged imports and rate-limit counters; caches are keyed by the
store's version. A GeoPackage is one file on one disk, written under one lock: several
workers are refused for it (use PostGIS).
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from assetmap import __version__
from assetmap.cli._common import Commands
from assetmap.config import ENV_PREFIX, Settings
from assetmap.errors import ConfigError

__all__ = ["add_serve_command", "uvicorn_options"]

_FACTORY = "assetmap.api.app:create_app"


def _settings(args: argparse.Namespace, settings: Settings) -> tuple[Settings, dict[str, str]]:
    """The settings with the command's overrides, and those overrides as environment variables."""
    overrides: dict[str, object] = {"host": args.host, "port": args.port, "store": args.store}
    given = {name: value for name, value in overrides.items() if value is not None}
    if given:  # validated as the environment is: ``--port 0`` is refused like ASSETMAP_PORT=0
        settings = Settings.model_validate(settings.model_dump() | given)
    return settings, {f"{ENV_PREFIX}{name.upper()}": str(value) for name, value in given.items()}


def _check_workers(workers: int, settings: Settings) -> None:
    from assetmap.store import is_database

    if workers < 1:
        raise ConfigError(f"--workers {workers}: give 1 or more worker processes")
    if workers > 1 and not is_database(settings.store):
        raise ConfigError(
            f"--workers {workers}: a GeoPackage store is served by one process (SQLite has one "
            "writer at a time, and its file is on one machine's disk). Serve it with "
            "--workers 1, or move the register to PostGIS (`assetmap copy`, then "
            "ASSETMAP_STORE=postgresql://…) to run several workers or machines."
        )


def uvicorn_options(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """What uvicorn is told besides the app: address, workers, whose client addresses to trust."""
    return {
        "host": settings.host,
        "port": settings.port,
        "workers": args.workers,
        "log_level": "info",
        # Off unless asked for: X-Forwarded-For from anyone else would let a client choose
        # the address rate limits count against.
        "proxy_headers": args.proxy_headers,
        "forwarded_allow_ips": args.forwarded_allow_ips if args.proxy_headers else None,
    }


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from assetmap.api import create_app
    from assetmap.api.access_log import access_log_config
    from assetmap.store import location_label

    settings, environment = _settings(args, settings)
    _check_workers(args.workers, settings)
    options = uvicorn_options(args, settings)
    print(
        f"assetmap {__version__}: serving {location_label(settings.store)} "
        f"at http://{settings.host}:{settings.port}/ ({args.workers} worker"
        f"{'s' if args.workers > 1 else ''})"
    )
    if args.workers == 1:
        uvicorn.run(create_app(settings), log_config=access_log_config(), **options)
    else:
        os.environ.update(environment)  # read by each worker's create_app()
        uvicorn.run(_FACTORY, factory=True, log_config=access_log_config(), **options)
    return 0


def add_serve_command(commands: Commands) -> None:
    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    serve.add_argument("--store", default=None, help="store to serve (default: ASSETMAP_STORE)")
    serve.add_argument(
        "--workers", type=int, default=1, metavar="N",
        help="worker processes (default 1); more than 1 needs a PostGIS store",
    )
    serve.add_argument(
        "--proxy-headers", action="store_true",
        help="behind a reverse proxy: take the client address and scheme from its "
        "X-Forwarded-For and X-Forwarded-Proto headers",
    )
    serve.add_argument(
        "--forwarded-allow-ips", default="127.0.0.1", metavar="ADDRESSES",
        help="with --proxy-headers: the proxies trusted to send them, comma-separated "
        "addresses or networks (default 127.0.0.1; '*' trusts any)",
    )
    serve.set_defaults(handler=_serve)
