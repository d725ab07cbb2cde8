"""Shared fixtures: the demo farm served on loopback and one real crawl of it."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from farm.farm import load_farm
from farm.server import FarmServer
from govspider.rendering import default_chromium
from tests.services import run_cli

FARM_DATE = dt.date(2026, 6, 30)
FROZEN_NOW = f"{FARM_DATE.isoformat()}T10:00:00"


def crawl_exit_code(truth: dict, site_ids: list[str] | None = None) -> int:
    """What `govspider crawl` of these farm sites exits with: 1 when one cannot be crawled."""
    from cli import exitcodes

    failed = any(truth[s]["home_failed"] for s in site_ids or list(truth))
    return exitcodes.INCOMPLETE if failed else exitcodes.OK


def pytest_configure(config: pytest.Config) -> None:
    """One seed for the generated sites per run: random unless GOVSPIDER_SEED is set, fixed
    for the whole session (tests and subprocesses read it from the environment)."""
    from farmgen.server import seed_from_env

    os.environ["GOVSPIDER_SEED"] = str(seed_from_env())


def _seed_line() -> str:
    return f"generated sites: GOVSPIDER_SEED={os.environ['GOVSPIDER_SEED']} (set it to reproduce)"


def pytest_report_header(config: pytest.Config) -> str:
    return _seed_line()


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
    terminalreporter.write_line(_seed_line())  # shown under -q too, where the header is not


@dataclass
class FarmCrawl:
    server: FarmServer
    truth: dict
    sites_file: Path
    db_url: str
    db_path: Path
    stdout: str
    hits: dict[str, int]  # URL -> times the farm served it during this crawl


@pytest.fixture(scope="session")
def farm_server():
    with FarmServer(load_farm(FARM_DATE)) as server:
        yield server


@pytest.fixture(scope="session")
def farm_crawl(farm_server, tmp_path_factory) -> FarmCrawl:
    """The whole farm crawled once by `govspider crawl` in its own process."""
    if default_chromium() is None and not os.environ.get("GOVSPIDER_CHROMIUM"):
        # some farm sites build their lists with JavaScript; their truth needs a browser
        pytest.skip("需要 Chromium: apt-get install chromium (.ci/run 会安装)")
    work = tmp_path_factory.mktemp("farm-crawl")
    sites_file = farm_server.write_site_list(work / "sites.yaml")
    db_path = work / "govspider.db"
    db_url = f"sqlite:///{db_path}"
    before = dict(farm_server.hits)  # other tests share the session's farm
    result = run_cli("crawl", "--sites", str(sites_file), "--db", db_url, "--now", FROZEN_NOW)
    # the farm has a site whose home page answers 500: not crawled, so the exit code says so
    assert result.returncode == crawl_exit_code(farm_server.truth()), result.stderr[-3000:]
    hits = {u: n - before.get(u, 0) for u, n in farm_server.hits.items() if n > before.get(u, 0)}
    return FarmCrawl(
        farm_server, farm_server.truth(), sites_file, db_url, db_path, result.stdout, hits
    )


@pytest.fixture
def serve():
    """Start static loopback sites: serve({path: (status, body[, headers[, delay]])}) -> URL."""
    from tests.static_sites import StaticSite

    servers: list[StaticSite] = []

    def start(pages: dict) -> str:
        servers.append(StaticSite(pages))
        return servers[-1].url

    yield start
    for server in servers:
        server.stop()
