"""An import killed with SIGKILL part-way leaves the store exactly as it was.

Both ways an import writes are covered: row by row inside one transaction
(`import assets`) and whole tables replaced (`import postcodes`). The test
waits until the import is visibly writing, kills it, then compares every
table's content with a copy taken before.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assetmap.store import open_store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def content(path: Path) -> list[str]:
    """Every row of every table, as SQL text (an open reads any hot journal back first)."""
    open_store(str(path)).metadata()  # a normal open, as the service would make
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return list(connection.iterdump())


def start(*arguments: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "assetmap.cli", *arguments],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def kill_when(process: subprocess.Popen[bytes], writing: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not writing():
        assert process.poll() is None, "the import ended before it was seen writing"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def test_killing_an_asset_import_mid_transaction_changes_nothing(
    tiny_gpkg: Path, tmp_path: Path
) -> None:
    rows = ["id,name,category,status,easting,northing"]
    rows += [f"K{n:05d},Kill Test Hall {n},village_hall,open,{451_000 + n % 180 * 100},"
             f"{301_000 + n // 180 * 100}" for n in range(6_000)]
    csv = tmp_path / "many.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = content(tiny_gpkg)
    journal = tiny_gpkg.with_name(tiny_gpkg.name + "-journal")
    process = start("import", "assets", str(csv), "--store", str(tiny_gpkg), "--actor", "t")
    kill_when(process, journal.exists)
    assert content(tiny_gpkg) == before
    # The store is usable afterwards: the same import, run to the end, works.
    finished = start("import", "assets", str(csv), "--store", str(tiny_gpkg), "--actor", "t")
    assert finished.wait(timeout=300) == 0
    assert len(content(tiny_gpkg)) > len(before) + 6_000


def test_killing_a_table_replacing_import_changes_nothing(
    tiny_gpkg: Path, tmp_path: Path
) -> None:
    lines = ["postcode,positional_quality,easting,northing"]
    lines += [f"LZ{n // 1000 + 1} {n % 10}{chr(65 + n // 10 % 26)}{chr(65 + n // 260 % 26)},10,"
              f"{450_000 + n % 200 * 50},{300_000 + n // 200 * 20}" for n in range(60_000)]
    csv = tmp_path / "codepoint.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = content(tiny_gpkg)
    copies = f".{tiny_gpkg.stem}.replacing-*.gpkg"
    process = start("import", "postcodes", str(csv), "--store", str(tiny_gpkg))
    kill_when(process, lambda: any(tiny_gpkg.parent.glob(copies)))
    assert content(tiny_gpkg) == before
    finished = start("import", "postcodes", str(csv), "--store", str(tiny_gpkg))
    assert finished.wait(timeout=300) == 0
    assert not list(tiny_gpkg.parent.glob(copies)), "the killed run's copy is cleared"
