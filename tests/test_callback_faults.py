"""A callback that fails never loses a site: real crawls of small sites served here.

Faults are injected into the extractor of a real `govspider crawl` process (the process
patches one method before it starts); the pages come over HTTP from 127.0.0.1.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from cli import exitcodes
from tests.conftest import FROZEN_NOW
from tests.services import ROOT

HOME = """<html><head><meta charset="utf-8"></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li>
<li><a href="/tzgg/">通知公告</a></li></ul></div>
<div class="box"><h3>工作动态</h3><a class="more" href="/gzdt/">更多</a><ul>
<li><a href="/gzdt/1.html">江城市召开防汛工作会议</a><span>2026-06-28</span></li></ul></div>
</body></html>"""
DATED_LIST = """<html><head><meta charset="utf-8"></head><body><ul class="list">
<li><a href="/gzdt/1.html">江城市召开防汛工作会议</a><span>2026-06-28</span></li>
<li><a href="/gzdt/2.html">江城市部署安全生产工作</a><span>2026-06-12</span></li>
</ul></body></html>"""
UNDATED_LIST = """<html><head><meta charset="utf-8"></head><body><ul class="list">
<li><a href="/tzgg/1.html">关于做好防汛工作的通知</a></li>
<li><a href="/tzgg/2.html">关于开展安全检查的通知</a></li></ul></body></html>"""
ARTICLE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<h1>{title}</h1><div class="info">发布时间:{date}  来源:江城市人民政府办公室</div>
<div class="content"><p>各有关单位:现将有关事项通知如下。</p></div></body></html>"""

# the crawl process: one function of ours raises when it is given one URL (or a response
# from it), then the command runs as a user would run it
FAULTY_CRAWL = """
import importlib, sys

spec, target = sys.argv[1], sys.argv[2]
module_name, _, path = spec.partition(":")
owner = importlib.import_module(module_name)
*parents, name = path.split(".")
for parent in parents:
    owner = getattr(owner, parent)
original = getattr(owner, name)

def faulty(*args, **kwargs):
    if any(a == target or getattr(a, "url", None) == target for a in (*args, *kwargs.values())):
        raise ValueError("injected fault")
    return original(*args, **kwargs)

setattr(owner, name, faulty)
from cli.main import main
sys.exit(main(sys.argv[3:]))
"""
COLUMN_PAGE = "govspider.extract.generic:GenericExtractor.column_page"
HOME_ENTRIES = "govspider.extract.generic:GenericExtractor.home_entries"
DETAIL_DATE = "govspider.spiders.site:response_date"


def site_pages(**extra: tuple) -> dict:
    items = (
        (1, "关于做好防汛工作的通知", "2026-06-20"),
        (2, "关于开展安全检查的通知", "2026-05-01"),
    )
    articles = {f"/tzgg/{n}.html": (200, ARTICLE.format(title=t, date=d)) for n, t, d in items}
    return {"/": (200, HOME), "/gzdt/": (200, DATED_LIST), "/tzgg/": (200, UNDATED_LIST),
            **articles, **extra}  # fmt: skip


def crawl(tmp_path, urls: list[str], *settings: str, fault: tuple[str, str] | None = None):
    """Crawl the sites s0, s1, ... in a fresh process; (sites, columns, stdout, stderr)."""
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        "".join(f"- {{id: s{i}, name: 站点{i}, url: '{u}/'}}\n" for i, u in enumerate(urls)),
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    args = ["crawl", "--sites", str(sites), "--db", f"sqlite:///{db}", "--now", FROZEN_NOW,
            "-s", "RETRY_TIMES=0", *(x for s in settings for x in ("-s", s))]  # fmt: skip
    head = ["-c", FAULTY_CRAWL, *fault] if fault else ["-m", "cli"]
    result = subprocess.run(
        [sys.executable, *head, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    # a site that failed makes the crawl INCOMPLETE; anything else (a crash, usage) is wrong
    assert result.returncode in (exitcodes.OK, exitcodes.INCOMPLETE), result.stderr[-3000:]
    con = sqlite3.connect(db)
    snaps = {r[0]: r[1:] for r in con.execute("SELECT site_id, status, error FROM site_snapshot")}
    columns = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            "SELECT s.site_id, c.name, c.status, c.error, c.newest_date FROM column_snapshot c "
            "JOIN site_snapshot s ON s.id = c.snapshot_id"
        )
    }
    con.close()
    return snaps, columns, result.stdout, result.stderr


def test_an_extractor_that_raises_on_one_column_fails_that_column_only(serve, tmp_path):
    broken, other = serve(site_pages()), serve(site_pages())
    target = f"{broken}/tzgg/"
    snaps, columns, out, err = crawl(tmp_path, [broken, other], fault=(COLUMN_PAGE, target))
    status, error, newest = columns[("s0", "通知公告")]
    assert status == "failed"
    assert error == f"解析出错: ValueError({target})"
    assert newest is None
    # the rest of the site and the other site are stored as usual
    assert columns[("s0", "工作动态")] == ("ok", "", "2026-06-28")
    assert snaps["s0"] == ("partial", "1个栏目监测失败")
    assert snaps["s1"] == ("ok", "")
    assert columns[("s1", "通知公告")] == ("ok", "", "2026-06-20")
    # logged once with its traceback, and counted in the crawl summary
    assert err.count("Traceback") == 1 and err.count("ValueError: injected fault") == 1
    assert "失败0个" in out and "部分失败1个" in out and "解析出错1个" in out


def test_a_home_page_that_cannot_be_parsed_makes_the_site_a_monitoring_failure(serve, tmp_path):
    broken, other = serve(site_pages()), serve(site_pages())
    snaps, columns, out, _ = crawl(tmp_path, [broken, other], fault=(HOME_ENTRIES, f"{broken}/"))
    assert snaps["s0"] == ("failed", f"解析出错: ValueError({broken}/)")
    assert snaps["s1"] == ("ok", "")
    assert "失败1个" in out and "解析出错1个" in out


def test_a_detail_page_that_cannot_be_parsed_fails_its_column(serve, tmp_path):
    url = serve(site_pages())
    target = f"{url}/tzgg/1.html"
    snaps, columns, _, _ = crawl(tmp_path, [url], fault=(DETAIL_DATE, target))
    assert columns[("s0", "通知公告")] == ("failed", f"解析出错: ValueError({target})", None)
    assert columns[("s0", "工作动态")] == ("ok", "", "2026-06-28")
    assert snaps["s0"] == ("partial", "1个栏目监测失败")


def test_a_detail_page_behind_a_redirect_chain_dates_its_entry(serve, tmp_path):
    article = ARTICLE.format(title="关于做好防汛工作的通知", date="2026-06-20")
    url = serve(
        site_pages(**{
            "/tzgg/1.html": (302, "", {"Location": "/r/1"}),
            "/r/1": (301, "", {"Location": "/art/2026/1.html"}),
            "/art/2026/1.html": (200, article),
        })
    )  # fmt: skip
    snaps, columns, _, _ = crawl(tmp_path, [url])
    assert snaps["s0"] == ("ok", "")
    # 2026-05-01 is the other, directly reachable item: without the redirected one's date
    # the column would look six weeks older than it is
    assert columns[("s0", "通知公告")] == ("ok", "", "2026-06-20")


def test_sites_still_open_when_the_crawl_closes_are_stored_as_monitoring_failures(serve, tmp_path):
    quick = serve(site_pages())
    # the crawl is closed once one site is stored (the quick one); the slow site's column
    # page answers only after that, so its item pages are never read
    slow = serve(site_pages(**{"/tzgg/": (200, UNDATED_LIST, {}, 10)}))
    snaps, columns, out, _ = crawl(tmp_path, [quick, slow], "CLOSESPIDER_ITEMCOUNT=1")
    assert snaps["s0"] == ("ok", "")
    status, error = snaps["s1"]
    assert status == "failed"
    assert error.startswith("抓取结束时未完成(尚有")
    assert ("s1", "工作动态") in columns  # what was read is kept as evidence
    assert "失败1个" in out and "未完成1个" not in out  # stored, not missing
