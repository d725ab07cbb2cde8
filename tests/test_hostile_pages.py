"""Hostile pages (govspider.guard): each is recorded with its reason, none crashes the crawl
or becomes a finding against the site. Real crawls over HTTP on 127.0.0.1."""

from __future__ import annotations

import re
import sqlite3
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from govspider.guard import canonical_url, trap_reason
from tests.conftest import FROZEN_NOW
from tests.services import run_cli

COLUMNS = {
    "pdf": "通知公告", "gbk": "政策文件", "js": "工作动态", "meta": "部门动态",
    "off": "人事信息", "login": "财政信息", "huge": "规划计划", "ok": "统计数据",
    "nocs": "机构职能", "broken": "政务服务", "fut": "公示公告",
    "jsoff": "招标采购", "jsl": "新闻发布", "metaoff": "人大建议",
}  # fmt: skip
NAV = "".join(f'<li><a href="/{k}/">{v}</a></li>' for k, v in COLUMNS.items())
HOME = (
    '<html><head><meta charset="utf-8"></head><body>'
    f'<div class="nav"><ul>{NAV}</ul></div></body></html>'
)
LIST = """<html><head><meta charset="{cs}"></head><body><ul class="list">
<li><a href="/a/1.html">江城市召开防汛工作会议</a><span>2026-06-28</span></li>
</ul></body></html>"""
LOGIN = """<html><body><form action="/login.jsp" method="post">用户名<input name="u">
密码<input type="password" name="p"><button>登录</button></form></body></html>"""


def pages(other: str) -> dict[str, tuple[int, bytes, dict]]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    ok = LIST.format(cs="utf-8").encode()
    return {
        "/": (200, HOME.encode(), html),
        "/ok/": (200, ok, html),
        "/pdf/": (200, b"%PDF-1.4\n" + bytes(range(256)) * 8, html),
        # GBK bytes under a UTF-8 header and meta: Scrapy alone would read mojibake
        "/gbk/": (200, LIST.format(cs="utf-8").encode("gbk"), html),
        "/js/": (200, b"<html><script>window.location.href='/js2/';</script></html>", html),
        "/js2/": (200, ok, html),
        "/meta/": (
            200,
            b'<html><head><meta http-equiv="refresh" content="0;url=/meta2/"></head></html>',
            html,
        ),  # fmt: skip
        "/meta2/": (200, ok, html),
        "/off/": (302, b"", {**html, "Location": f"{other}/elsewhere/"}),
        "/login/": (302, b"", {**html, "Location": "/login.jsp?from=/login/"}),
        "/login.jsp?from=/login/": (200, LOGIN.encode(), html),
        "/huge/": (200, b"<html><body>" + b"x" * 300_000 + b"</body></html>", html),
        # off the site by script and by meta refresh; a chain of script redirects
        "/jsoff/": (
            200,
            f"<html><script>location.replace('{other}/elsewhere/')</script></html>".encode(),
            html,
        ),
        "/metaoff/": (
            200,
            f'<html><head><meta http-equiv="refresh" content="0;url={other}'
            '/elsewhere/"></head></html>'.encode(),
            html,
        ),
        **{
            f"/jsl{'' if i == 0 else i}/": (
                200,
                f"<html><script>location.href='/jsl{i + 1}/'</script></html>".encode(),
                html,
            )
            for i in range(6)
        },
        # GBK with no charset anywhere: neither header nor meta
        "/nocs/": (
            200,
            LIST.replace('<meta charset="{cs}">', "").encode("gbk"),
            {"Content-Type": "text/html"},
        ),
        # unclosed li, div and p, an unquoted attribute, a stray NUL and invalid bytes,
        # an attribute never closed, no </ul></body></html>
        "/broken/": (
            200,
            '<html><body><div class=main><p>本栏目<ul class="list">'
            "<li><a href=/a/2.html>市政府常务会议</a><span>2026-06-27</span>"
            "<li><a href='/a/3.html'>关于防汛的通知</a><span>2026-06-20</span>"
            '<li><a href="/a/4.html" title="未闭合>'.encode()
            + b"\x00\xff\xfe<",
            html,
        ),
        # a date after the crawl date (a typo for 2026) is never the newest
        "/fut/": (
            200,
            LIST.format(cs="utf-8")
            .replace(
                "<li>",
                "<li><a href='/a/9.html'>"
                "关于2027年度预算的公示</a><span>2027-06-29</span></li><li>",
                1,
            )
            .encode(),
            html,
        ),
    }


class _Site(ThreadingHTTPServer):
    pages: dict[str, tuple[int, bytes, dict]]
    hits: list[str]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.server.hits.append(self.path)
        status, body, headers = self.server.pages.get(self.path, (404, b"not found", {}))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile():
    other = _Site(("127.0.0.1", 0), _Handler)
    other.pages, other.hits = {"/elsewhere/": (200, LIST.format(cs="utf-8").encode(), {})}, []
    site = _Site(("127.0.0.1", 0), _Handler)
    site.pages, site.hits = pages(f"http://127.0.0.1:{other.server_address[1]}"), []
    for server in (site, other):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, other
    for server in (site, other):
        server.shutdown()
        server.server_close()


def crawl(tmp_path, url: str, *settings: str) -> tuple[dict[str, tuple], str, list[str]]:
    sites = tmp_path / "sites.yaml"
    sites.write_text(f"- {{id: s, name: 江城市某局, url: '{url}/'}}\n", encoding="utf-8")
    db = tmp_path / "e.db"
    sets = [a for s in ("RETRY_TIMES=0", "DOWNLOAD_MAXSIZE=100000", *settings) for a in ("-s", s)]
    result = run_cli(
        "crawl", "--sites", str(sites), "--db", f"sqlite:///{db}", "--now", FROZEN_NOW, *sets
    )
    assert result.returncode == 0, result.stderr[-2000:]
    con = sqlite3.connect(db)
    rows = con.execute("SELECT name, status, error, newest_date FROM column_snapshot")
    columns = {r[0]: r[1:] for r in rows}
    titles = [r[0] for r in con.execute("SELECT title FROM column_entry")]
    con.close()
    return columns, result.stdout + result.stderr, titles


def test_hostile_pages_are_recorded_with_their_reasons(hostile, tmp_path):
    site, other = hostile
    columns, output, titles = crawl(tmp_path, f"http://127.0.0.1:{site.server_address[1]}")
    assert "Traceback" not in output
    assert "DeprecationWarning" not in output  # ScrapyDeprecationWarning is shown by default
    assert columns["统计数据"] == ("ok", "", "2026-06-28")
    # corrected or followed within the site: read as they are
    assert columns["政策文件"][0] == "ok" and columns["政策文件"][2] == "2026-06-28"
    assert "江城市召开防汛工作会议" in titles and not any("�" in t for t in titles)
    assert columns["工作动态"][0::2] == ("ok", "2026-06-28")  # location.href=
    assert columns["部门动态"][0::2] == ("ok", "2026-06-28")  # meta refresh
    # not readable: 监测失败 with the reason, never blank or stale
    assert columns["通知公告"][:2] == ("failed", "不是网页(PDF文件),未解析")
    assert columns["人事信息"][0] == "failed" and "重定向到站外" in columns["人事信息"][1]
    assert columns["招标采购"][0] == "failed" and "脚本跳转到站外" in columns["招标采购"][1]
    assert columns["人大建议"][0] == "failed" and "重定向到站外" in columns["人大建议"][1]
    assert columns["新闻发布"][:2] == ("failed", "脚本跳转次数过多")
    assert other.hits == []  # the off-site page was never fetched
    assert columns["财政信息"][:2] == ("failed", "需要登录才能查看(登录页)")
    assert columns["规划计划"][:2] == ("failed", "页面过大(超过下载上限)")
    # no charset declared, GBK bytes: read as GBK, not mojibake
    assert columns["机构职能"][0::2] == ("ok", "2026-06-28")
    assert columns["政务服务"][0::2] == ("ok", "2026-06-27")  # broken HTML still read
    assert columns["公示公告"][0::2] == ("ok", "2026-06-28")  # not 2027-06-29
    assert all(c[2] is None for n, c in columns.items() if c[0] == "failed"), columns


def test_the_page_budget_stops_a_site_with_its_reason(hostile, tmp_path):
    site, _ = hostile
    url = f"http://127.0.0.1:{site.server_address[1]}"
    columns, output, _ = crawl(tmp_path, url, "GOVSPIDER_MAX_PAGES=4")
    over = [n for n, c in columns.items() if c[1] == "超出每站页面上限(4页)"]
    assert over and all(columns[n][0] == "failed" for n in over)
    assert len(site.hits) <= 4 + 3  # home, three pages, and redirects' first hops


class _Trap(BaseHTTPRequestHandler):
    """An endless site: every column page has a sub-column one directory deeper, links to
    itself under a new session id each time and has a calendar of month pages."""

    def do_GET(self) -> None:  # noqa: N802
        self.server.hits.append(self.path)
        path = urlsplit(self.path).path.split(";")[0]
        n = len(self.server.hits)
        if path == "/":
            body = HOME.replace(NAV, '<li><a href="/d/;jsessionid=A1">政务公开</a></li>')
        else:
            level = path.count("/") - 1
            side = (
                f'<li><a href="{path}l{level}/;jsessionid=S{n}">下级栏目{level}</a></li>'
                f'<li><a href="{path};jsessionid=S{n}x?PHPSESSID={n}">本栏目{level}</a></li>'
                + "".join(f'<li><a href="{path}?month={m}&_t={n}">{m}月活动</a></li>'
                          for m in range(1, 13))
            )  # fmt: skip
            body = LIST.format(cs="utf-8").replace(
                "<body>", f'<body><div class="leftnav"><ul>{side}</ul></div>'
            )
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_an_endless_site_is_bounded_by_depth_identity_and_variants(tmp_path):
    site = _Site(("127.0.0.1", 0), _Trap)
    site.hits = []
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{site.server_address[1]}"
        columns, output, _ = crawl(
            tmp_path, url, "GOVSPIDER_MAX_DEPTH=3", "GOVSPIDER_MAX_QUERY_VARIANTS=5"
        )
    finally:
        site.shutdown()
        site.server_close()
    assert "Traceback" not in output
    # the page each hit asked for, by the test's own reading: no ;jsessionid, _t, PHPSESSID
    pages = [
        re.sub(r";[^?]*", "", p.split("?")[0]) + "?" + re.sub(r"&?(_t|PHPSESSID)=\d+", "", q)
        for p, _, q in (h.partition("?") for h in site.hits if h.startswith("/d/"))
    ]
    # a page under a new session id (or with a new _t) is the same page: fetched once
    assert len(pages) == len(set(pages)), sorted(pages)
    # depth: 政务公开 (1) > 下级栏目1 (2) > 下级栏目2 (3), nothing below
    levels = {urlsplit(p).path.count("/") - 1 for p in pages}
    assert levels == {1, 2, 3}, sorted(pages)
    assert "下级栏目2" in columns and "下级栏目3" not in columns
    # the calendar: at most 5 month pages per path, the rest 监测失败 with the reason
    per_path = {urlsplit(p).path: sum(urlsplit(q).path == urlsplit(p).path and "month=" in q
                                      for q in pages) for p in pages}  # fmt: skip
    assert max(per_path.values()) <= 5, per_path
    refused = [c for n, c in columns.items() if "月活动" in n and c[0] == "failed"]
    assert refused and all("参数变体超过5个" in c[1] and c[2] is None for c in refused)
    assert columns["政务公开"][0::2] == ("ok", "2026-06-28")


def test_session_ids_and_parameter_order_do_not_make_new_pages():
    a = canonical_url("http://A.gov.cn/list;jsessionid=ABC123?b=2&a=1&PHPSESSID=x#top")
    b = canonical_url("http://a.gov.cn/list?a=1&b=2")
    assert a == b == "http://a.gov.cn/list?a=1&b=2"
    assert canonical_url("http://a.gov.cn/list?page=2") != canonical_url("http://a.gov.cn/list")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://a.gov.cn/x/?" + "&".join(f"p{i}=1" for i in range(12)), "参数过多"),
        ("http://a.gov.cn/a/b/a/b/a/b/", "循环重复"),
        ("http://a.gov.cn/" + "x" * 1200, "过长"),
        ("http://a.gov.cn/list/?page=3", ""),
    ],
)
def test_crawler_traps_are_named(url, reason):
    assert (reason in trap_reason(url)) and (bool(trap_reason(url)) == bool(reason))


def test_the_guard_uses_the_current_middleware_signature():
    # Scrapy 2.19 warns (and later stops passing the spider) for process_*(..., spider)
    from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(
        settings_dict={"DOWNLOADER_MIDDLEWARES": {"govspider.guard.PageGuard": 1}}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        manager = DownloaderMiddlewareManager.from_crawler(crawler)
    assert any(type(mw).__name__ == "PageGuard" for mw in manager.middlewares)
    ours = [w for w in caught if "PageGuard" in str(w.message)]
    assert ours == [], [str(w.message) for w in ours]


@pytest.mark.parametrize(
    ("body", "ctype", "kind"),
    [
        (b"PK\x03\x04rest-of-a-docx", "text/html", "压缩包或Office文件"),
        (b"\xd0\xcf\x11\xe0old-xls", "text/html; charset=utf-8", "Office文件"),
        (b"\x89PNG\r\n", "text/html", "图片"),
        (b"plain bytes", "application/vnd.ms-excel", "非网页文件(application/vnd.ms-excel)"),
        (b"data", "application/octet-stream; x=1", "非网页文件(application/octet-stream)"),
        (b"<html><body>ok</body></html>", "application/octet-stream", ""),  # a page mislabelled
        (b"<html><body>ok</body></html>", "text/html", ""),
    ],
)
def test_binary_files_are_named_by_their_bytes_or_type(body, ctype, kind):
    from scrapy.http import Response

    from govspider.guard import binary_kind

    response = Response("http://a.gov.cn/x", body=body, headers={"Content-Type": ctype})
    assert binary_kind(response) == kind


def test_the_guard_forgets_a_site_once_its_snapshot_is_stored(tmp_path):
    from scrapy import Request, signals
    from scrapy.utils.test import get_crawler

    from govspider.guard import PageGuard
    from govspider.items import SiteSnapshot
    from govspider.spiders.site import SiteSpider

    sites = tmp_path / "sites.yaml"
    sites.write_text(
        "sites:\n- {id: s0, name: 甲局, url: 'http://127.0.0.1:9/'}\n"
        "- {id: s1, name: 乙局, url: 'http://127.0.0.2:9/'}\n",
        encoding="utf-8",
    )
    crawler = get_crawler(SiteSpider)
    crawler.spider = SiteSpider.from_crawler(crawler, sites=str(sites))
    guard = PageGuard.from_crawler(crawler)
    for sid, host in (("s0", "127.0.0.1"), ("s1", "127.0.0.2")):
        for n in range(3):
            assert (
                guard.process_request(Request(f"http://{host}:9/cal?d={n}", meta={"site_id": sid}))
                is None
            )
    assert set(guard.seen) == set(guard.variants) == {"s0", "s1"}
    snap = SiteSnapshot(site_id="s0", site_name="甲局", home_url="http://127.0.0.1:9/")
    crawler.signals.send_catch_log(
        signals.item_scraped, item=snap, response=None, spider=crawler.spider
    )
    # the stored site's pages and query variants are gone; the open one's are kept
    assert set(guard.seen) == set(guard.variants) == {"s1"}
    assert len(guard.seen["s1"]) == 3
