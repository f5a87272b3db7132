"""The ``assetmap`` command line: :func:`main`, and one module per command group.

``serve``, ``sample``, ``layers``, ``analysis`` (``gaps``, ``report``), ``export``,
``copying`` (``copy``), ``imports`` and ``asset_imports`` (``import …``), ``real``
(``fetch``, ``build-real``), ``users``, ``repair`` (``repair-ids``) and ``privacy``
(``purge-contacts``), ``outbox`` (``outbox send|list``). Each adds its commands to the
parser with a handler ``(args, settings) -> int``; :func:`main` builds the settings
once, inside its error handling, and passes them on.

Errors print ``error: <message>`` (naming the file, row or field and the fix)
and exit with status 2; nothing is half-written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from assetmap import __version__
from assetmap.cli._common import Handler
from assetmap.cli.analysis import add_analysis_commands
from assetmap.cli.copying import add_copy_command
from assetmap.cli.export import add_export_command
from assetmap.cli.imports import add_import_command
from assetmap.cli.layers import add_layers_command
from assetmap.cli.outbox import add_outbox_command
from assetmap.cli.privacy import add_purge_command
from assetmap.cli.real import add_build_real_command, add_fetch_command
from assetmap.cli.repair import add_repair_command
from assetmap.cli.sample import add_sample_command
from assetmap.cli.serve import add_serve_command
from assetmap.cli.users import add_users_command
from assetmap.config import load_settings
from assetmap.errors import AssetmapError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; building it reads no setting (defaults resolve when run)."""
    parser = argparse.ArgumentParser(
        prog="assetmap", description="Map community assets and find gaps in provision."
    )
    parser.add_argument("--version", action="version", version=f"assetmap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_serve_command(commands)
    add_sample_command(commands)
    add_analysis_commands(commands)
    add_export_command(commands)
    add_copy_command(commands)
    add_import_command(commands)
    add_build_real_command(commands)
    add_users_command(commands)
    add_fetch_command(commands)
    add_layers_command(commands)
    add_repair_command(commands)
    add_purge_command(commands)
    add_outbox_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        # First, so a bad ASSETMAP_* variable is one line for every command, --version too.
        settings = load_settings()
        args = build_parser().parse_args(argv)
        handler: Handler = args.handler
        return handler(args, settings)
    except AssetmapError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # settings given on the command line (serve --port 0)
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
        )
        print(f"error: invalid setting: {problems} (check ASSETMAP_* variables)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
