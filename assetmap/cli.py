"""The ``assetmap`` command line.

Errors print ``error: <message>`` (naming the file, row or field and the fix)
and exit with status 2; nothing is half-written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from assetmap import __version__
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.errors import AssetmapError

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assetmap.api import create_app

    overrides: dict[str, object] = {"host": args.host, "port": args.port}
    if args.store:
        overrides["store"] = args.store
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    app = create_app(settings)
    print(
        f"assetmap {__version__}: serving {settings.store} at http://{settings.host}:{settings.port}/"
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


def _sample(args: argparse.Namespace) -> int:
    from assetmap.sample import write_sample

    counts = write_sample(
        args.out, seed=args.seed, scale=args.scale, n_assets=args.assets, progress=True
    )
    summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
    print(f"wrote synthetic sample ({args.scale}, seed {args.seed}) to {args.out}: {summary}")
    return 0


def _layers_validate(args: argparse.Namespace) -> int:
    from assetmap.layers import load_catalog

    catalog = load_catalog(args.dir)
    print(f"ok: {len(catalog)} layers valid in {args.dir} ({', '.join(catalog)})")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assetmap", description="Map community assets and find gaps in provision."
    )
    parser.add_argument("--version", action="version", version=f"assetmap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    serve.add_argument("--store", default=None, help="GeoPackage to serve (default: the sample)")
    serve.set_defaults(handler=_serve)

    sample = commands.add_parser("sample", help="generate the synthetic sample county")
    sample.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "sample.gpkg")
    sample.add_argument("--seed", type=int, default=42)
    sample.add_argument("--scale", choices=("county", "england"), default="county")
    sample.add_argument("--assets", type=int, default=None, help="override the number of assets")
    sample.set_defaults(handler=_sample)

    layers = commands.add_parser("layers", help="layer declarations")
    layer_commands = layers.add_subparsers(dest="layers_command", required=True, metavar="ACTION")
    validate = layer_commands.add_parser("validate", help="check every file in layers/")
    validate.add_argument("--dir", type=Path, default=Settings().layers_dir)
    validate.set_defaults(handler=_layers_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except AssetmapError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
