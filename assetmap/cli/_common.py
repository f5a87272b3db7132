"""What every command module shares: the handler type and the ``--store`` override."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias

from assetmap.config import Settings

__all__ = ["Commands", "Handler", "with_store"]

# A command's handler: the parsed arguments and the settings ``main`` built once.
Handler: TypeAlias = Callable[[argparse.Namespace, Settings], int]
# What ``add_subparsers`` returns (generic only for type checkers, hence the string).
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def with_store(settings: Settings, store: str | None) -> Settings:
    """``settings`` with ``--store`` in place of ``ASSETMAP_STORE`` when it was given."""
    return settings.model_copy(update={"store": store}) if store else settings
