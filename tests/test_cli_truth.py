"""What the command line tells a user is true: reports from nothing, reports before the
crawl, database URLs that cannot be used, and the exit codes cron sees."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from cli import exitcodes
from govspider.items import Column, Entry, SiteSnapshot
from pipelines.db import make_engine, save_snapshot
from tests.conftest import FROZEN_NOW
from tests.services import free_port, postgres_server, run_cli


def snap(site_id: str, name: str, crawled_at: dt.datetime, round: str = "2026Q2") -> SiteSnapshot:
    day = crawled_at.date()
    entries = [
        Entry(f"动态{i}", f"http://{site_id}/d/{i}.html", day - dt.timedelta(days=i))
        for i in range(12)
    ]
    return SiteSnapshot(
        site_id=site_id, site_name=name, home_url=f"http://{site_id}/", round=round,
        crawled_at=crawled_at, status="ok",
        columns=[Column(name="工作动态", url=f"http://{site_id}/gzdt/", path=["工作动态"],
                        entries=entries)],
        home_entries=entries,
    )  # fmt: skip


def results(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)["抽查情况表"]
    return {r[1]: r[4] for r in ws.iter_rows(min_row=2, values_only=True) if r[1]}


def one_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr[-3000:]  # no traceback
    return lines[0]


# ---- report from nothing ------------------------------------------------------------


def test_report_on_a_missing_database_refuses_and_creates_nothing(tmp_path):
    db, out = tmp_path / "sub" / "none.db", tmp_path / "r.xlsx"
    result = run_cli(
        "report", "--db", f"sqlite:///{db}", "--as-of", "2026-06-30", "--out", str(out)
    )
    assert result.returncode == exitcodes.USAGE
    assert one_line(result.stderr) == (
        f"错误: 数据库中没有抓取记录: sqlite:///{db}(文件不存在, 请先运行 govspider crawl)"
    )
    assert not db.exists() and not db.parent.exists() and not out.exists()


def test_report_on_an_empty_database_refuses_and_adds_nothing(tmp_path):
    db, out = tmp_path / "empty.db", tmp_path / "r.xlsx"
    make_engine(f"sqlite:///{db}").dispose()  # the schema, but no crawl yet
    before = db.read_bytes()
    result = run_cli("report", "--db", f"sqlite:///{db}", "--out", str(out))
    assert result.returncode == exitcodes.USAGE
    assert one_line(result.stderr) == (
        f"错误: 数据库中没有抓取记录: sqlite:///{db}(请先运行 govspider crawl)"
    )
    assert db.read_bytes() == before and not out.exists()


# ---- a report before the crawl --------------------------------------------------------


@pytest.fixture
def two_rounds(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'rounds.db'}"
    engine = make_engine(url)
    save_snapshot(engine, snap("a", "甲局", dt.datetime(2026, 6, 1, 9)))
    save_snapshot(engine, snap("a", "甲局", dt.datetime(2026, 9, 1, 9), round="2026Q3"))
    save_snapshot(engine, snap("b", "乙局", dt.datetime(2026, 9, 2, 9), round="2026Q3"))
    engine.dispose()
    return url


def test_as_of_uses_only_snapshots_taken_by_then(two_rounds, tmp_path):
    out = tmp_path / "june.xlsx"
    result = run_cli("report", "--db", two_rounds, "--as-of", "2026-06-10", "--out", str(out))
    assert result.returncode == exitcodes.OK, result.stderr[-2000:]
    # 甲局's June snapshot is scored at June (its September one is not used); 乙局 had none
    assert results(out) == {"甲局": "合格", "乙局": "未监测"}
    assert "注意: 1个站点在监测时间点 2026-06-10 及以前没有快照, 本报告中为 未监测: 乙局" in (
        result.stdout
    )
    ws = openpyxl.load_workbook(out)["抽查情况表"]
    problems = {r[1]: r[2] for r in ws.iter_rows(min_row=2, values_only=True) if r[1]}
    assert problems["乙局"] == (
        "监测时间点(2026-06-10)前没有该站点的快照，本报告未监测，需抓取后重新评分。"
    )


def test_as_of_before_every_crawl_scores_nothing(two_rounds, tmp_path):
    out = tmp_path / "2020.xlsx"
    result = run_cli("report", "--db", two_rounds, "--as-of", "2020-01-01", "--out", str(out))
    assert result.returncode == exitcodes.OK, result.stderr[-2000:]
    assert results(out) == {"甲局": "未监测", "乙局": "未监测"}  # no 单项否决 from the future
    assert "注意: 2个站点在监测时间点 2020-01-01 及以前没有快照" in result.stdout


def test_as_of_after_the_crawl_has_no_note(two_rounds, tmp_path):
    out = tmp_path / "q3.xlsx"
    result = run_cli("report", "--db", two_rounds, "--as-of", "2026-09-10", "--out", str(out))
    assert result.returncode == exitcodes.OK, result.stderr[-2000:]
    assert "注意" not in result.stdout and set(results(out).values()) == {"合格"}


# ---- database URLs ------------------------------------------------------------------


def sites_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.yaml"
    port = free_port()  # nothing listens: a crawl would fail, but none must start
    path.write_text(f"sites:\n  - {{id: a, name: 甲局, url: 'http://127.0.0.1:{port}/'}}\n")
    return path


@pytest.mark.parametrize("command", ["crawl", "report"])
def test_plain_file_path_as_db_is_one_line(tmp_path, command):
    args = ["--sites", str(sites_file(tmp_path))] if command == "crawl" else ["--out", "x.xlsx"]
    result = run_cli(command, *args, "--db", "var/govspider-typo.db")
    assert result.returncode == exitcodes.USAGE
    assert one_line(result.stderr) == (
        "错误: 数据库地址无效: var/govspider-typo.db: 不是数据库 URL"
        "(SQLite 文件写作 sqlite:///var/govspider-typo.db, "
        "PostgreSQL 写作 postgresql://用户@主机/库名)"
    )
    assert "抓取" not in result.stdout


def test_db_whose_parent_is_a_file_is_one_line(tmp_path):
    (tmp_path / "plain").write_text("not a folder")
    url = f"sqlite:///{tmp_path / 'plain' / 'x.db'}"
    result = run_cli("crawl", "--sites", str(sites_file(tmp_path)), "--db", url)
    assert result.returncode == exitcodes.USAGE
    assert one_line(result.stderr) == (
        f"错误: 数据库地址不可用: {url}: 上级路径 {tmp_path / 'plain'} 是文件, 不是目录"
    )


def test_db_in_an_unwritable_place_is_one_line(tmp_path):
    # /proc takes no new files, not even from root
    result = run_cli("crawl", "--sites", str(sites_file(tmp_path)), "--db", "sqlite:////proc/g.db")
    assert result.returncode == exitcodes.USAGE
    line = one_line(result.stderr)
    assert line.startswith("错误: 数据库地址不可用: sqlite:////proc/g.db: 无法在 /proc 创建文件(")
    assert not Path("/proc/g.db").exists()
    upgrade = run_cli("db", "upgrade", "--db", "sqlite:////proc/g.db")
    assert upgrade.returncode == exitcodes.USAGE
    assert one_line(upgrade.stderr) == line


def test_unreachable_postgres_is_one_line_with_the_password_masked(tmp_path):
    url = f"postgresql://gov:s3cret@127.0.0.1:{free_port()}/govspider"
    result = run_cli("crawl", "--sites", str(sites_file(tmp_path)), "--db", url)
    assert result.returncode == exitcodes.USAGE
    line = one_line(result.stderr)
    assert "s3cret" not in line + result.stdout
    assert ": 连接被拒绝(" in line
    assert line.startswith(
        f"错误: 无法连接数据库: postgresql+psycopg2://gov:***@127.0.0.1:{url.split(':')[3]}"
    )


@pytest.mark.slow
def test_postgresql_url_as_typed(tmp_path):
    with postgres_server() as driver_url:
        url = "postgresql://" + driver_url.split("://", 1)[1]  # as a user types it
        out = tmp_path / "pg.xlsx"
        empty = run_cli("report", "--db", url, "--out", str(out))
        assert empty.returncode == exitcodes.USAGE
        assert one_line(empty.stderr).startswith("错误: 数据库中没有抓取记录: postgresql")
        assert not out.exists()
        upgrade = run_cli("db", "upgrade", "--db", url)
        assert upgrade.returncode == exitcodes.OK, upgrade.stderr
        engine = make_engine(url)
        save_snapshot(engine, snap("a", "甲局", dt.datetime(2026, 6, 1, 9)))
        engine.dispose()
        result = run_cli("report", "--db", url, "--as-of", "2026-06-10", "--out", str(out))
        assert result.returncode == exitcodes.OK, result.stderr[-2000:]
        assert results(out) == {"甲局": "合格"}


# ---- exit codes -----------------------------------------------------------------------


def test_usage_error_exit_code():
    result = run_cli("report", "--no-such-option")
    assert result.returncode == exitcodes.USAGE


def test_crawl_of_only_failed_sites_exits_incomplete(tmp_path):
    db = tmp_path / "f.db"
    result = run_cli(
        "crawl", "--sites", str(sites_file(tmp_path)), "--db", f"sqlite:///{db}",
        "--now", FROZEN_NOW, "-s", "RETRY_TIMES=0",
    )  # fmt: skip
    assert result.returncode == exitcodes.INCOMPLETE, result.stderr[-2000:]
    assert result.stdout.startswith("抓取完成(2026Q2): 站点1个, 正常0个, 部分失败0个, 失败1个;")
    rows = sqlite3.connect(db).execute("SELECT site_id, status FROM site_snapshot").fetchall()
    assert rows == [("a", "failed")]  # stored as a monitoring failure
    outcome = sqlite3.connect(db).execute("SELECT outcome FROM crawl_run").fetchall()
    assert outcome == [("finished",)]
