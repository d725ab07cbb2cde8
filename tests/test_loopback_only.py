"""Every server a test, the farms or a bench starts binds to 127.0.0.1, never to all
interfaces: the sources of tests/, farm/, farmgen/ and bench/ are searched for the
addresses they bind, and the two computed ones are checked where they are made."""

from __future__ import annotations

import inspect
import ipaddress
import re
from pathlib import Path

import pytest

from bench.synthfarm import host_of
from farm.server import FarmServer
from tests.services import ROOT

FOLDERS = ("tests", "farm", "farmgen", "bench")
SUFFIXES = {".py", ".yaml", ".yml", ".conf", ".cfg", ".toml", ".sh", ".json", ".ini"}
LOOPBACK = {'"127.0.0.1"', "'127.0.0.1'", "127.0.0.1"}
# (file, address expression) bound from a value checked in the tests below
COMPUTED = {("farm/server.py", "self.host"), ("bench/synthfarm.py", "{host_of(k)}")}
BINDS = (
    # an address tuple: bind((HOST, port)), XServer((HOST, 0), ...)
    re.compile(r"\(\(\s*([^,()]+?)\s*,\s*(?:\d+|[\w.]*port\w*)\s*\)"),
    # command lines and configs: --bind HOST, "-h", HOST, bind_address = HOST, --host HOST
    re.compile(r"""(?:--bind\b|--host\b|bind_address|"-h")["']?\s*[,=]?\s*["']?([^"'\s,)\]\\]+)"""),
    # nginx: listen HOST:PORT; (a bare port listens on every interface)
    re.compile(r"\blisten\s+([^;\s]+?)(?::\w+|:\{[^}]*\})?;"),
)
ANYWHERE = re.compile(
    r"""0\.0\.0\.0|INADDR_ANY|["']::["']|\(\(\s*["']{2}\s*,|host\s*=\s*["'](?!127\.0\.0\.1)"""
)


def bound_addresses(text: str) -> list[tuple[int, str]]:
    """(line number, address expression) of every bind in the text; all-interface binds
    are returned as they are written."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern in BINDS:
            found += [(number, m.group(1)) for m in pattern.finditer(line)]
        found += [(number, m.group(0)) for m in ANYWHERE.finditer(line)]
    return found


def sources() -> list[Path]:
    """The files searched (not this one, whose examples bind elsewhere on purpose)."""
    me = Path(__file__).resolve()
    return [
        p for folder in FOLDERS for p in sorted((ROOT / folder).rglob("*"))
        if p.suffix in SUFFIXES and "fixtures" not in p.parts and "__pycache__" not in p.parts
        and p.resolve() != me
    ]  # fmt: skip


def test_every_server_binds_to_127_0_0_1():
    checked, wrong = 0, []
    for path in sources():
        rel = path.relative_to(ROOT).as_posix()
        for number, address in bound_addresses(path.read_text(encoding="utf-8", errors="replace")):
            checked += 1
            if address not in LOOPBACK and (rel, address) not in COMPUTED:
                wrong.append(f"{rel}:{number}: {address}")
    assert wrong == []
    assert checked >= 15  # the search really finds the servers (farms, tests, services)


def test_the_computed_addresses_are_loopback():
    host = inspect.signature(FarmServer.__init__).parameters["host"].default
    assert host == "127.0.0.1"
    # nobody starts the demo farm on another address
    calls = [
        m.group(0)
        for p in sources() + sorted((ROOT / "cli").rglob("*.py"))
        for m in re.finditer(r"FarmServer\([^)]*host\s*=", p.read_text(encoding="utf-8"))
    ]
    assert calls == []
    # the nginx bench farm gives each site its own loopback address (127.0.0.0/8)
    assert all(ipaddress.ip_address(host_of(k)).is_loopback for k in range(0, 62_500, 7))


@pytest.mark.parametrize(
    "line",
    [
        'server = ThreadingHTTPServer(("0.0.0.0", 8000), Handler)',
        'sock.bind(("", 0))',
        'sock.bind(("192.168.1.5", port))',
        '[exe, "--port", str(port), "--bind", "0.0.0.0"]',
        'f"bind_address = 0.0.0.0\\n"',
        "listen 8080;",
        "listen *:8080;",
        'FarmServer(farm, host="10.0.0.2")',
        '"-h", "*"',
    ],
)
def test_the_search_catches_other_addresses(line):
    found = bound_addresses(line)
    assert found and any(address not in LOOPBACK for _, address in found), found


@pytest.mark.parametrize(
    "line",
    [
        'server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)',
        '"--bind", "127.0.0.1"',
        'f"listen 127.0.0.1:{port};\\n"',
    ],
)
def test_the_search_passes_loopback(line):
    found = bound_addresses(line)
    assert found and all(address in LOOPBACK for _, address in found), found
