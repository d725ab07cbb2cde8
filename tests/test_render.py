"""JavaScript rendering for real: Chromium through scrapy-playwright on the farm's pages."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import FROZEN_NOW
from tests.services import ROOT, run_cli

needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(),
    reason="Chromium is not installed here (apt-get install -y chromium; CI installs it)",
)


def columns(db: Path, site_id: str) -> dict[str, dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = con.execute(
        "SELECT c.*, (SELECT COUNT(*) FROM column_entry e WHERE e.column_id = c.id) AS n "
        "FROM column_snapshot c JOIN site_snapshot s ON s.id = c.snapshot_id "
        "WHERE s.site_id = ?",
        (site_id,),
    ).fetchall()
    con.close()
    return {r["name"]: dict(r) for r in rows}


def crawl_culture(farm_server, tmp_path, *settings: str) -> dict[str, dict]:
    sites = farm_server.write_site_list(tmp_path / "sites.yaml")
    db = tmp_path / "render.db"
    extra = [x for s in settings for x in ("-s", s)]
    result = run_cli("crawl", "--sites", str(sites), "--site", "culture",
                     "--db", f"sqlite:///{db}", "--now", FROZEN_NOW, *extra)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return columns(db, "culture")


def truth_of(farm_server, site_id: str) -> dict[str, dict]:
    return {c["name"]: c for c in farm_server.truth()[site_id]["columns"]}


@needs_chromium
def test_script_built_list_is_read_through_chromium(farm_server, tmp_path):
    got = crawl_culture(farm_server, tmp_path)
    truth = truth_of(farm_server, "culture")
    js = got["文旅要闻"]
    assert js["rendered"] and js["status"] == "ok" and not js["blank"]
    assert js["n"] == truth["文旅要闻"]["item_count_first_page"]
    assert js["newest_date"] == truth["文旅要闻"]["newest_date"]
    assert farm_server.hits[truth["文旅要闻"]["url"] + " [browser]"] >= 1
    # a data literal and an iframe are read without a browser
    for name in ("通知公告", "政策文件"):
        assert not got[name]["rendered"] and got[name]["newest_date"] == truth[name]["newest_date"]


def test_without_rendering_a_script_built_list_is_a_failure_not_blank(farm_server, tmp_path):
    got = crawl_culture(farm_server, tmp_path, "GOVSPIDER_RENDER=False")
    js = got["文旅要闻"]
    assert js["status"] == "failed" and not js["blank"] and "浏览器渲染" in js["error"]
    assert got["通知公告"]["status"] == "ok" and got["通知公告"]["n"] > 0


@needs_chromium
def test_a_site_rendered_throughout_keeps_pages_closed_and_capped(farm_server, tmp_path):
    """Every page of one site through Chromium: right answers, at most N pages open, all closed."""
    rows = [dict(r, render=True) for r in farm_server.site_rows() if r["id"] == "audit"]
    sites = tmp_path / "sites.yaml"
    sites.write_text(yaml.safe_dump({"sites": rows}, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "all.db"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "site", "-a", f"sites={sites}",
         "-s", f"GOVSPIDER_DATABASE_URL=sqlite:///{db}", "-s", f"GOVSPIDER_NOW={FROZEN_NOW}",
         "-s", "GOVSPIDER_RENDER_PAGES=2", "-s", "GOVSPIDER_DETAIL_PAGES=0",
         "-s", "LOG_LEVEL=INFO"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    stats = {k: int(v) for k, v in re.findall(r"'(playwright/[\w/]+)': (\d+)", result.stderr)}
    got = columns(db, "audit")
    truth = truth_of(farm_server, "audit")
    assert set(got) == set(truth)
    assert all(c["rendered"] for c in got.values())
    assert {n: c["newest_date"] for n, c in got.items()} == {
        n: c["newest_date"] for n, c in truth.items()
    }
    assert stats["playwright/page_count"] >= len(truth)
    assert stats["playwright/page_count/closed"] == stats["playwright/page_count"]
    assert stats["playwright/page_count/max_concurrent"] <= 2
    assert stats["playwright/context_count"] == 1
    assert stats.get("playwright/request_count/aborted", 0) > 0  # images and styles skipped


def test_a_missing_browser_is_said_once_and_fails_the_script_built_list_with_that_reason(
    farm_server, tmp_path
):
    sites = farm_server.write_site_list(tmp_path / "sites.yaml")
    db = tmp_path / "nobrowser.db"
    result = run_cli("crawl", "--sites", str(sites), "--site", "culture",
                     "--db", f"sqlite:///{db}", "--now", FROZEN_NOW,
                     "-s", f"GOVSPIDER_CHROMIUM={tmp_path / 'no-such-chromium'}")  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    said = [line for line in result.stderr.splitlines() if "未找到 Chromium：" in line]
    assert len(said) == 1 and "no-such-chromium" in said[0], result.stderr[-3000:]
    assert "请求失败" not in result.stderr + result.stdout
    got = columns(db, "culture")
    js = got["文旅要闻"]
    assert js["status"] == "failed" and not js["blank"], js
    assert js["error"] == "浏览器渲染失败(未找到 Chromium)", js
    assert got["通知公告"]["status"] == "ok" and got["通知公告"]["n"] > 0


@needs_chromium
def test_with_the_browser_present_nothing_says_it_is_missing(farm_server, tmp_path):
    sites = farm_server.write_site_list(tmp_path / "sites.yaml")
    db = tmp_path / "browser.db"
    result = run_cli("crawl", "--sites", str(sites), "--site", "culture",
                     "--db", f"sqlite:///{db}", "--now", FROZEN_NOW,
                     "-s", "GOVSPIDER_CHROMIUM=/usr/bin/chromium")  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "未找到 Chromium" not in result.stderr and "请求失败" not in result.stderr
    js = columns(db, "culture")["文旅要闻"]
    assert js["rendered"] and js["status"] == "ok" and js["error"] in ("", None), js
