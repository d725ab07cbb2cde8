"""A crawl stopped half-way: Ctrl-C tells what this run did and exits non-zero; a killed
process leaves no half-written snapshot."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli import exitcodes
from govspider.items import SiteSnapshot
from pipelines.db import make_engine, save_snapshot
from tests.conftest import FROZEN_NOW
from tests.services import ROOT

pytestmark = pytest.mark.slow


def start_slow_crawl(sites: Path, db: Path) -> subprocess.Popen:
    # one request at a time with a pause: the crawl takes long enough to be stopped in it
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "crawl", "--sites", str(sites), "--db", f"sqlite:///{db}",
         "--now", FROZEN_NOW, "-s", "CONCURRENT_REQUESTS=1", "-s", "DOWNLOAD_DELAY=0.25"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for_run_snapshots(proc: subprocess.Popen, db: Path, n: int) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the crawl ended before it could be stopped"
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=1)
                done = con.execute(
                    "SELECT COUNT(*) FROM site_snapshot WHERE run_id IS NOT NULL"
                ).fetchone()[0]
                con.close()
                if done >= n:
                    return
            except sqlite3.OperationalError:
                pass  # the schema is being created
        time.sleep(0.2)
    proc.kill()
    raise TimeoutError(f"no {n} snapshots within 240s")


def test_ctrl_c_summary_is_this_run_only(farm_server, tmp_path):
    sites = farm_server.write_site_list(tmp_path / "sites.yaml")
    ids = [row["id"] for row in farm_server.site_rows()]
    db = tmp_path / "int.db"
    # an earlier run of the same round stored every site: its figures must not be shown
    engine = make_engine(f"sqlite:///{db}")
    for sid in ids:
        save_snapshot(
            engine,
            SiteSnapshot(site_id=sid, site_name=sid, home_url="http://x/", round="2026Q2",
                         crawled_at=dt.datetime(2026, 6, 1), status="ok", pages_fetched=1000),
        )  # fmt: skip
    engine.dispose()
    proc = start_slow_crawl(sites, db)
    wait_for_run_snapshots(proc, db, 2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == exitcodes.INCOMPLETE, err[-3000:]
    con = sqlite3.connect(db)
    run_id, outcome = con.execute("SELECT id, outcome FROM crawl_run").fetchone()
    assert outcome == "interrupted"
    done = con.execute("SELECT COUNT(*) FROM site_snapshot WHERE run_id = ?", (run_id,)).fetchone()
    assert 2 <= done[0] < len(ids)
    pages = con.execute(
        "SELECT SUM(pages_fetched) FROM site_snapshot WHERE run_id = ?", (run_id,)
    ).fetchone()[0]
    head = out.splitlines()[0]
    assert head.startswith(f"抓取中断(2026Q2): 完成 {done[0]}/{len(ids)} 个站点, "), out
    assert f"; 页面{pages}个," in head  # this run's pages, not the earlier run's thousands
    assert "未抓取: " in out


def test_killed_crawl_leaves_no_half_written_snapshot(farm_server, tmp_path):
    sites = farm_server.write_site_list(tmp_path / "sites.yaml")
    db = tmp_path / "kill.db"
    proc = start_slow_crawl(sites, db)
    wait_for_run_snapshots(proc, db, 1)
    proc.kill()  # SIGKILL: no handler runs, a transaction may be open
    proc.communicate(timeout=60)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    snapshots = con.execute("SELECT id, site_id, status FROM site_snapshot").fetchall()
    assert snapshots
    # every stored snapshot is whole: its columns and each column's items are all there
    orphans = con.execute(
        "SELECT COUNT(*) FROM column_snapshot"
        " WHERE snapshot_id NOT IN (SELECT id FROM site_snapshot)"
    ).fetchone()[0]
    assert orphans == 0
    truth = farm_server.truth()
    for snap_id, site_id, status in snapshots:
        columns = con.execute(
            "SELECT id, item_count FROM column_snapshot WHERE snapshot_id = ?", (snap_id,)
        ).fetchall()
        if status != "failed":
            assert len(columns) == len(truth[site_id]["columns"]), site_id
        for col_id, item_count in columns:
            n = con.execute(
                "SELECT COUNT(*) FROM column_entry WHERE column_id = ?", (col_id,)
            ).fetchone()[0]
            assert n == item_count, (site_id, col_id)
    # the killed run never finished: it is not shown as a finished run
    assert con.execute("SELECT outcome, finished_at FROM crawl_run").fetchall() == [("", None)]
