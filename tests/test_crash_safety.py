"""Crash safety: a crawl killed halfway keeps the earlier round and stores no half
snapshot; --resume completes the rest; two processes share one SQLite file (WAL, busy
timeout); a database that cannot be opened or written is one clear message."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import FROZEN_NOW
from tests.services import ROOT, run_cli

HOME = (
    '<html><head><meta charset="utf-8"></head><body><div class="nav"><ul>'
    '<li><a href="/gzdt/">工作动态</a></li></ul></div></body></html>'
)
LIST = (
    '<html><head><meta charset="utf-8"></head><body><ul class="list">'
    '<li><a href="/a/1.html">江城市召开防汛工作会议</a><span>2026-06-28</span></li>'
    "</ul></body></html>"
)


class _Site(ThreadingHTTPServer):
    hang = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.server.hang.is_set() and self.path.startswith("/slow"):
            time.sleep(60)
        body = (HOME if self.path.endswith("/") and "gzdt" not in self.path else LIST).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site():
    server = _Site(("127.0.0.1", 0), _Handler)
    server.hang = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.hang.clear()
    server.shutdown()
    server.server_close()


def rows(db, round_name: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT s.site_id, s.status, c.name, c.newest_date FROM site_snapshot s"
            " JOIN column_snapshot c ON c.snapshot_id = s.id WHERE s.round = ?"
            " ORDER BY s.site_id",
            (round_name,),
        ).fetchall()


def crawl_args(sites, db, round_name: str) -> list[str]:
    return ["crawl", "--sites", str(sites), "--db", f"sqlite:///{db}", "--now", FROZEN_NOW,
            "--round", round_name, "-s", "DOWNLOAD_TIMEOUT=120", "-s", "RETRY_TIMES=0"]  # fmt: skip


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_crawl_keeps_the_earlier_round_and_resume_completes_it(site, tmp_path, sig):
    base = f"http://127.0.0.1:{site.server_address[1]}"
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        f"- {{id: fast, name: 甲局, url: '{base}/fast/'}}\n"
        f"- {{id: slow, name: 乙局, url: '{base}/slow/'}}\n",
        encoding="utf-8",
    )
    db = tmp_path / "g.db"
    assert run_cli(*crawl_args(sites, db, "2026Q1")).returncode == 0
    earlier = rows(db, "2026Q1")
    assert {r[0] for r in earlier} == {"fast", "slow"}

    site.hang.set()  # the second site now hangs: the crawl is stopped while it waits
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", *crawl_args(sites, db, "2026Q2")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline and not (db.exists() and rows(db, "2026Q2")):
        time.sleep(0.3)
    os.kill(proc.pid, sig)
    if sig == signal.SIGINT:
        time.sleep(1)
        os.kill(proc.pid, sig)  # a second Ctrl-C: Scrapy stops at once
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in out + err
    assert rows(db, "2026Q1") == earlier
    assert [r[0] for r in rows(db, "2026Q2")] == ["fast"]  # the slow site left no half row
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    site.hang.clear()
    resumed = run_cli(*crawl_args(sites, db, "2026Q2"), "--resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "未完成的站点1个" in resumed.stdout
    assert [(r[0], r[3]) for r in rows(db, "2026Q2")] == [
        ("fast", "2026-06-28"),
        ("slow", "2026-06-28"),
    ]


WRITER = """
import sys, datetime as dt
from govspider.items import SiteSnapshot, Column
from pipelines.db import make_engine, save_snapshot
engine = make_engine(sys.argv[1])
for i in range(40):
    snap = SiteSnapshot(site_id=f"{sys.argv[2]}{i}", site_name="甲", home_url="http://a.gov.cn/",
                        group="", round="2026Q2", crawled_at=dt.datetime(2026, 6, 30))
    snap.columns = [Column(name=f"栏目{j}", url=f"http://a.gov.cn/{j}/") for j in range(30)]
    save_snapshot(engine, snap)
print("done")
"""


def test_two_processes_write_one_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, name], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    with sqlite3.connect(tmp_path / "g.db") as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT count(*) FROM site_snapshot").fetchone()[0] == 80
        assert con.execute("SELECT count(*) FROM column_snapshot").fetchone()[0] == 80 * 30
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


LOCKER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(120)
"""


@pytest.mark.slow
def test_a_database_another_process_keeps_locked_is_one_clear_message(site, tmp_path):
    base = f"http://127.0.0.1:{site.server_address[1]}"
    sites = tmp_path / "sites.yaml"
    sites.write_text(f"- {{id: fast, name: 甲局, url: '{base}/fast/'}}\n", encoding="utf-8")
    db = tmp_path / "g.db"
    assert run_cli(*crawl_args(sites, db, "2026Q1")).returncode == 0
    earlier = rows(db, "2026Q1")
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert locker.stdout.readline().strip() == "locked"
        result = run_cli(*crawl_args(sites, db, "2026Q2"))  # waits out the busy timeout
    finally:
        locker.kill()
        locker.wait()
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stdout + result.stderr, result.stderr
    assert lines[0].startswith(f"错误: 数据库无法写入: sqlite:///{db}: 数据库被另一个进程锁定")
    assert rows(db, "2026Q1") == earlier and rows(db, "2026Q2") == []
    # once the other process lets go, the same crawl runs
    assert run_cli(*crawl_args(sites, db, "2026Q2")).returncode == 0
    assert [r[0] for r in rows(db, "2026Q2")] == ["fast"]


def test_a_database_that_cannot_be_opened_is_one_clear_message(tmp_path):
    sites = tmp_path / "s.yaml"
    sites.write_text("- {id: a, name: 甲, url: 'http://127.0.0.1:9/'}\n", encoding="utf-8")
    (tmp_path / "dir.db").mkdir()  # a directory where the file should be
    result = run_cli("crawl", "--sites", str(sites), "--db", f"sqlite:///{tmp_path / 'dir.db'}")
    assert result.returncode == 2
    assert "dir.db 是目录" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_a_database_is_one_clear_message(tmp_path):
    sites = tmp_path / "s.yaml"
    sites.write_text("- {id: a, name: 甲, url: 'http://127.0.0.1:9/'}\n", encoding="utf-8")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all " * 100)
    result = run_cli("crawl", "--sites", str(sites), "--db", f"sqlite:///{garbage}")
    assert result.returncode == 2
    assert "不是 SQLite 数据库文件" in result.stderr
    assert "Traceback" not in result.stderr
    assert garbage.read_bytes().startswith(b"this is not sqlite")
