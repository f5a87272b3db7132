"""``assetmap serve``: run the web service."""

from __future__ import annotations

import argparse

from assetmap import __version__
from assetmap.cli._common import Commands
from assetmap.config import Settings

__all__ = ["add_serve_command"]


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from assetmap.api import create_app
    from assetmap.api.access_log import access_log_config
    from assetmap.store import location_label

    overrides: dict[str, object] = {"host": args.host, "port": args.port}
    given = {name: value for name, value in overrides.items() if value is not None}
    if args.store:
        given["store"] = args.store
    if given:  # validated as the environment is: ``--port 0`` is refused like ASSETMAP_PORT=0
        settings = Settings.model_validate(settings.model_dump() | given)
    app = create_app(settings)
    print(
        f"assetmap {__version__}: serving {location_label(settings.store)} "
        f"at http://{settings.host}:{settings.port}/"
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info",
                log_config=access_log_config())  # addresses cut to their network
    return 0


def add_serve_command(commands: Commands) -> None:
    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    serve.add_argument("--store", default=None, help="GeoPackage to serve (default: the sample)")
    serve.set_defaults(handler=_serve)
