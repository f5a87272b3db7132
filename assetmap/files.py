"""Writing files so that a reader never sees half of one: stage beside, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_atomically", "write_files"]


def write_files(files: Mapping[Path, bytes]) -> None:
    """Write every file or none: each is staged beside its destination, then moved in."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
            staged.append((Path(name), path))
            os.fchmod(handle, 0o644)  # mkstemp's 0600 would hide the file from colleagues
            with os.fdopen(handle, "wb") as file:
                file.write(data)
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (same folder, so ``os.replace`` renames)."""
    write_files({path: data})
