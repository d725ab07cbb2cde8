"""Two crawler processes share one round through Redis and write to one PostgreSQL."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from pipelines.models import ColumnRow, CrawlRun, SiteSnapshotRow
from tests.conftest import FROZEN_NOW, crawl_exit_code
from tests.services import ROOT, postgres_server, redis_server, run_cli


@pytest.fixture(scope="module")
def services():
    with redis_server() as redis_url, postgres_server() as pg_url:
        yield redis_url, pg_url


def test_two_processes_share_one_round(services, farm_server, tmp_path):
    redis_url, pg_url = services
    sites_file = farm_server.write_site_list(tmp_path / "sites.yaml")
    upgrade = run_cli("db", "upgrade", "--db", pg_url)
    assert upgrade.returncode == 0, upgrade.stderr
    hits_before = dict(farm_server.hits)
    cmd = [
        sys.executable, "-m", "cli", "crawl", "--sites", str(sites_file),
        "--db", pg_url, "--now", FROZEN_NOW, "-s", f"GOVSPIDER_REDIS_URL={redis_url}",
        "-s", "GOVSPIDER_RUN_ID=round-test", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    ]  # fmt: skip
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    truth = farm_server.truth()
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == crawl_exit_code(truth), err[-3000:]

    engine = create_engine(pg_url)
    with Session(engine) as s:
        snaps = s.scalars(select(SiteSnapshotRow).where(SiteSnapshotRow.round == "2026Q2")).all()
        assert sorted(x.site_id for x in snaps) == sorted(truth)  # exactly one per site
        assert s.scalar(select(func.count()).select_from(CrawlRun)) == 2
        for snap in snaps:
            want = {c["url"] for c in truth[snap.site_id]["columns"]}
            got = set(s.scalars(select(ColumnRow.url).where(ColumnRow.snapshot_id == snap.id)))
            if truth[snap.site_id]["home_failed"]:
                assert snap.status == "failed" and got == set()
            else:
                assert got == want, snap.site_id
                assert snap.status in ("ok", "partial")
    engine.dispose()

    fetched = {u: n - hits_before.get(u, 0) for u, n in farm_server.hits.items()}
    failing = {c["url"] for t in truth.values() for c in t["columns"] if c["failed"]}
    failing |= {farm_server.base_url(sid) for sid, t in truth.items() if t["home_failed"]}
    # an online system answering HTTP 500 is asked once more before it is judged, as a
    # failing column is
    failing |= {
        o["url"] for t in truth.values() for o in t["online_systems"] if o["kind"] == "error"
    }
    twice = {u for u, n in fetched.items() if n > 1} - failing
    assert twice == set()
    # both processes fetched pages of the shared queue (their last progress line says how many)
    pages = [int(re.findall(r"页面 (\d+)", err)[-1]) for _, err in outputs]
    assert all(n > 0 for n in pages), pages
    # each distinct page gave exactly one response in one of the two (retries are internal)
    assert sum(pages) == sum(1 for n in fetched.values() if n > 0)
