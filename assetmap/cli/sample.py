"""``assetmap sample``: generate the seeded synthetic sample county."""

from __future__ import annotations

import argparse
from pathlib import Path

from assetmap.cli._common import Commands
from assetmap.config import PROJECT_ROOT, Settings

__all__ = ["add_sample_command"]


def _sample(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.sample import write_sample

    counts = write_sample(
        args.out, seed=args.seed, scale=args.scale, n_assets=args.assets, progress=True
    )
    summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
    print(f"wrote synthetic sample ({args.scale}, seed {args.seed}) to {args.out}: {summary}")
    return 0


def add_sample_command(commands: Commands) -> None:
    sample = commands.add_parser("sample", help="generate the synthetic sample county")
    sample.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "sample.gpkg")
    sample.add_argument("--seed", type=int, default=42)
    sample.add_argument("--scale", choices=("county", "england"), default="county")
    sample.add_argument("--assets", type=int, default=None, help="override the number of assets")
    sample.set_defaults(handler=_sample)
