"""Spider edge cases on small sites served here: redirected home pages, unreadable items."""

from __future__ import annotations

import sqlite3

from tests.conftest import FROZEN_NOW
from tests.services import run_cli

HOME = """<html><head><meta charset="utf-8"></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li>
<li><a href="/tzgg/">通知公告</a></li></ul></div>
<div class="box"><h3>工作动态</h3><a class="more" href="/gzdt/">更多</a><ul>
<li><a href="/gzdt/1.html">江城市召开防汛工作会议</a><span>2026-06-28</span></li></ul></div>
</body></html>"""
DATED_LIST = """<html><head><meta charset="utf-8"></head><body><ul class="list">
<li><a href="/gzdt/1.html">江城市召开防汛工作会议</a><span>2026-06-28</span></li>
</ul></body></html>"""
UNDATED_LIST = """<html><head><meta charset="utf-8"></head><body><ul class="list">
<li><a href="/tzgg/1.html">关于做好防汛工作的通知</a></li>
<li><a href="/tzgg/2.html">关于开展安全检查的通知</a></li></ul></body></html>"""


def crawl(tmp_path, url: str) -> dict[str, tuple]:
    sites = tmp_path / "sites.yaml"
    sites.write_text(f"- {{id: s, name: 江城市某局, url: '{url}/'}}\n", encoding="utf-8")
    db = tmp_path / "e.db"
    result = run_cli(
        "crawl", "--sites", str(sites), "--db", f"sqlite:///{db}", "--now", FROZEN_NOW,
        "-s", "RETRY_TIMES=0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    con = sqlite3.connect(db)
    rows = con.execute("SELECT name, status, error, newest_date, blank FROM column_snapshot")
    return {r[0]: r[1:] for r in rows}


def test_home_page_that_redirects_to_a_new_address_is_crawled_there(serve, tmp_path):
    new = serve({
        "/": (200, HOME, {}), "/gzdt/": (200, DATED_LIST, {}), "/tzgg/": (200, DATED_LIST, {}),
    })  # fmt: skip
    old = serve({"/": (301, "", {"Location": f"{new}/"})})
    columns = crawl(tmp_path, old)
    assert set(columns) == {"工作动态", "通知公告"}
    assert columns["工作动态"][2] == "2026-06-28"


def test_items_that_cannot_be_opened_make_a_monitoring_failure_not_a_stale_column(serve, tmp_path):
    url = serve({
        "/": (200, HOME, {}), "/gzdt/": (200, DATED_LIST, {}), "/tzgg/": (200, UNDATED_LIST, {}),
        "/tzgg/1.html": (500, "error", {}), "/tzgg/2.html": (503, "busy", {}),
    })  # fmt: skip
    columns = crawl(tmp_path, url)
    status, error, newest, blank = columns["通知公告"]
    assert status == "failed"
    assert error.startswith("详情页无法获取,发布日期未知")
    assert newest is None and not blank
    assert columns["工作动态"][0] == "ok"


def test_which_home_redirects_stay_within_the_site():
    from govspider.extract.base import moved_within_site

    listed = "http://www.jiangcheng.gov.cn/"
    assert moved_within_site("https://jiangcheng.gov.cn/index.html", listed)
    assert moved_within_site("http://www.jc.gov.cn/", listed)  # a new government domain
    assert moved_within_site("https://www.jiangcheng.com.cn/", "http://jiangcheng.com.cn/")
    assert not moved_within_site("http://parked-domains.example.com/", listed)
    assert moved_within_site("http://cdn.example.com/", listed, ["cdn.example.com"])
    assert not moved_within_site("http://localhost:8000/", "http://127.0.0.1:8000/")
