"""Crawl health: a site that cannot be reached is a monitoring failure with its reason."""

from __future__ import annotations

import socket
import sqlite3

from cli import exitcodes
from tests.conftest import FROZEN_NOW
from tests.services import free_port, run_cli


def test_unreachable_sites_are_failed_with_the_reason(tmp_path):
    closed = free_port()  # nothing listens there: connection refused
    # a server that accepts connections and never answers: a timeout
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        "sites:\n"
        f"  - {{id: refused, name: 甲局, url: 'http://127.0.0.1:{closed}/'}}\n"
        "  - {id: nodns, name: 乙局, url: 'http://expired-domain.invalid/'}\n"
        f"  - {{id: silent, name: 丙局, url: 'http://127.0.0.1:{silent.getsockname()[1]}/'}}\n",
        encoding="utf-8",
    )
    db = tmp_path / "h.db"
    try:
        result = run_cli(
            "crawl", "--sites", str(sites), "--db", f"sqlite:///{db}", "--now", FROZEN_NOW,
            "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=1",
        )  # fmt: skip
    finally:
        silent.close()
    # no site could be crawled: cron must see a failure, not 0
    assert result.returncode == exitcodes.INCOMPLETE, result.stderr[-2000:]
    rows = dict(
        sqlite3.connect(db).execute("SELECT site_id, status || ':' || error FROM site_snapshot")
    )
    assert rows["refused"] == "failed:首页无法获取(连接被拒绝)"
    assert rows["nodns"] == "failed:首页无法获取(域名解析失败)"
    assert rows["silent"] == "failed:首页无法获取(超时)"
    # the summary printed at the end names each, in the analysts' language
    assert "站点3个, 正常0个, 部分失败0个, 失败3个" in result.stdout
    assert "甲局: 首页无法获取(连接被拒绝)" in result.stdout


def test_farm_crawl_summary_counts_match_the_snapshots(farm_crawl):
    con = sqlite3.connect(farm_crawl.db_path)
    statuses = [s for (s,) in con.execute("SELECT status FROM site_snapshot")]
    pages = con.execute("SELECT SUM(pages_fetched) FROM site_snapshot").fetchone()[0]
    con.close()
    head = farm_crawl.stdout.splitlines()[0]
    assert f"站点{len(statuses)}个" in head
    assert f"正常{statuses.count('ok')}个" in head and f"失败{statuses.count('failed')}个" in head
    assert f"页面{pages}个" in head
