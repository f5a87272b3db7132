"""Writing files all or nothing: atomic single files, and a staging folder for a set.

A fetch writes every file into a hidden staging folder beside ``--out`` and
moves them into ``--out`` only once every download has succeeded, so a failure
half-way leaves ``--out`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType

from assetmap.files import write_atomically

__all__ = ["Staging", "write_atomically"]


class Staging:
    """Collect files for ``out`` in ``out``'s parent, then move them in with ``commit``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._folder: Path | None = None
        self._files: list[PurePosixPath] = []

    def __enter__(self) -> Staging:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        # Same filesystem as out, so the final os.replace is a rename, not a copy.
        self._folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.partial-",
                                             dir=self.out.parent))
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def write(self, relative: str, data: bytes) -> None:
        if self._folder is None:
            raise RuntimeError("Staging used outside its with-block")
        path = PurePosixPath(relative)
        target = self._folder.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self._files.append(path)

    def commit(self) -> list[Path]:
        """Move every staged file into ``out`` (each one atomically) and return their paths."""
        if self._folder is None:
            raise RuntimeError("Staging used outside its with-block")
        moved = []
        for relative in self._files:
            target = self.out.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._folder.joinpath(*relative.parts), target)
            moved.append(target)
        return moved
