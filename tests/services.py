"""Real services for tests, started and stopped by the tests themselves on 127.0.0.1."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"127.0.0.1:{port} did not open within {seconds}s")


def run_cli(
    *args: str, timeout: float = 300, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run `govspider ARGS` in a fresh process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server; yields its URL."""
    exe = shutil.which("redis-server")
    if not exe:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster with trust auth; yields a SQLAlchemy URL."""
    initdb, postgres = _pg_bin("initdb"), _pg_bin("postgres")
    if not initdb or not postgres:
        pytest.skip("PostgreSQL server binaries are not installed (.ci/run installs them)")
    data = Path(tempfile.mkdtemp(prefix="govspider-pg-"))
    # postgres refuses to run as root; CI runs as root, so use the package's own user
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        shutil.chown(data, "postgres", "postgres")
    subprocess.run(
        [*prefix, initdb, "-D", str(data / "db"), "-A", "trust", "-U", "govspider", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    port = free_port()
    proc = subprocess.Popen(
        [*prefix, postgres, "-D", str(data / "db"), "-p", str(port), "-k", str(data),
         "-h", "127.0.0.1", "-c", "fsync=off"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port)
        time.sleep(0.5)  # the port opens a moment before connections are accepted
        yield f"postgresql+psycopg2://govspider@127.0.0.1:{port}/postgres"
    finally:
        proc.terminate()
        proc.wait(20)
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def scrapyd_server(workdir: Path) -> Iterator[str]:
    """A scrapyd on 127.0.0.1 with its eggs, logs and queues under workdir."""
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {workdir / 'eggs'}\nlogs_dir = {workdir / 'logs'}\n"
        f"items_dir =\ndbs_dir = {workdir / 'dbs'}\nmax_proc = 2\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [str(VENV_BIN / "scrapyd")],
        cwd=workdir,
        stdout=open(workdir / "scrapyd.out", "wb"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        urllib.request.urlopen(f"{base}/daemonstatus.json", timeout=10).read()
        yield base
    finally:
        proc.terminate()
        proc.wait(20)
