"""Files are written all or nothing: atomic replacement, sets, and a staging folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from assetmap.formats.files import Staging, replacing, write_atomically, write_files


def test_write_atomically_replaces_the_file_readable_by_colleagues(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "a.txt"
    write_atomically(path, b"one")
    write_atomically(path, b"two")
    assert path.read_bytes() == b"two"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["a.txt"], "no staged file left behind"


def test_write_files_writes_none_when_one_fails(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file where a folder is needed")
    good = tmp_path / "good.txt"
    with pytest.raises(OSError):
        write_files({good: b"x", tmp_path / "blocked" / "b.txt": b"y"})
    assert not good.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"]


def test_staging_moves_files_in_only_on_commit(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Staging(out) as staging:
        staging.write("a/b.csv", b"1")
        assert not (out / "a" / "b.csv").exists()
        moved = staging.commit()
    assert moved == [out / "a" / "b.csv"]
    assert (out / "a" / "b.csv").read_bytes() == b"1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "the staging folder is removed"


def test_staging_without_commit_leaves_out_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="boom"), Staging(out) as staging:
        staging.write("x.txt", b"1")
        raise RuntimeError("boom")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_staging_outside_its_block_is_refused(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "out")
    with pytest.raises(RuntimeError, match="outside its with-block"):
        staging.write("x", b"")
    with pytest.raises(RuntimeError, match="outside its with-block"):
        staging.commit()


def test_replacing_moves_the_written_file_in_only_on_success(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "store.gpkg"
    with replacing(path) as temporary:
        assert temporary.parent == path.parent and temporary.suffix == ".gpkg"
        assert not temporary.exists(), "left for the writer to create"
        temporary.write_bytes(b"new")
    assert path.read_bytes() == b"new"
    with pytest.raises(RuntimeError, match="half-way"), replacing(path) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("half-way")
    assert path.read_bytes() == b"new"
    assert [p.name for p in path.parent.iterdir()] == ["store.gpkg"]
