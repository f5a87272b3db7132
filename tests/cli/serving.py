"""Start ``assetmap serve`` as a real process on a port of its own for a test, and stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from assetmap.config import PROJECT_ROOT

# This worktree's range for servers started by tests (8180-8199).
PORTS = iter(range(8185, 8199))


def children(pid: int) -> list[int]:
    """Worker processes uvicorn started under ``pid`` (multiprocessing's spawn), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


@contextmanager
def serving(*arguments: str, workers: int = 1, wait_s: float = 90) -> Iterator[tuple[str, int]]:
    """(base URL, server pid) of ``assetmap serve ARGUMENTS`` once ``/healthz`` answers."""
    port = next(PORTS)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    command = [sys.executable, "-m", "assetmap.cli", "serve", "--port", str(port), *arguments]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise AssertionError(f"serve exited {process.returncode}: {output}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200 and (
                    len(children(process.pid)) >= workers if workers > 1 else True
                ):
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"serve did not answer on {base} within {wait_s:.0f} s")
            time.sleep(0.5)
        yield base, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the session it started: server and workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
