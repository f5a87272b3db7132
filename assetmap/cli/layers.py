"""``assetmap layers validate``: check the layer declarations."""

from __future__ import annotations

import argparse
from pathlib import Path

from assetmap.cli._common import Commands
from assetmap.config import Settings

__all__ = ["add_layers_command"]


def _layers_validate(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.layers import load_catalog

    folder: Path = settings.layers_dir if args.dir is None else args.dir
    catalog = load_catalog(folder)
    print(f"ok: {len(catalog)} layers valid in {folder} ({', '.join(catalog)})")
    return 0


def add_layers_command(commands: Commands) -> None:
    layers = commands.add_parser("layers", help="layer declarations")
    layer_commands = layers.add_subparsers(dest="layers_command", required=True, metavar="ACTION")
    validate = layer_commands.add_parser("validate", help="check every file in layers/")
    # The default comes from the settings when the command runs, not when the parser is built.
    validate.add_argument("--dir", type=Path, default=None,
                          help="layers folder (default: ASSETMAP_LAYERS_DIR, else layers/)")
    validate.set_defaults(handler=_layers_validate)
