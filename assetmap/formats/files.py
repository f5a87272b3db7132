"""Writing files so that a reader never sees half of one: stage beside, then rename.

:func:`write_atomically` replaces one file, :func:`write_files` a set (every
file or none). :func:`replacing` gives a writer that needs a file name (GDAL)
a path beside the destination that replaces it on success. :class:`Staging`
collects a set in a hidden folder beside its destination: a fetch writes every
download there and moves them into ``--out`` only once all succeeded, so a
failure half-way leaves ``--out`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import TracebackType

__all__ = ["Staging", "replacing", "write_atomically", "write_files"]


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


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A fresh name beside ``path`` to write to; it replaces ``path`` when the block succeeds.

    The file is not created (writers such as GDAL create it themselves) and has
    ``path``'s suffix; on any failure it is removed and ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    temporary.unlink()
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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
