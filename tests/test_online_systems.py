"""Online service systems and guides that fail to load: the verdicts on hand-made
answers, then real crawls over 127.0.0.1 read back from the workbook.

A guide page that answers HTTP 500, times out or has its connection reset is 监测失败
for that guide (with its URL and the reason), never a guide missing all eight elements,
and the site's other results stand. A 网上办事大厅 link on a 办事服务 column page that
answers 404 is a finding; one on another host that redirects to a login page opens."""

from __future__ import annotations

import re

import pandas as pd
from openpyxl import load_workbook
from parsel import Selector

from analysis.frames import tuples
from analysis.online_facts import online_facts, online_table
from govspider.extract.online import not_judged, online_links, online_verdict
from tests.conftest import FARM_DATE, FROZEN_NOW
from tests.services import run_cli
from tests.static_sites import RESET


def _sel(html: str) -> Selector:
    return Selector(text=html)


def test_what_counts_as_an_online_system_opening():
    page = (
        "<html><head><title>网上办事大厅</title></head><body><p>个人办事 法人办事</p></body></html>"
    )
    assert online_verdict(200, "text/html", b"", _sel(page)) == ""
    login = "<html><body><form><input name=u><input type=password name=p></form></body></html>"
    assert online_verdict(200, "text/html", b"", _sel(login)) == ""  # a login wall opens
    app = '<html><body><div id="app"></div><script src="/app.js"></script></body></html>'
    assert online_verdict(200, "text/html", b"", _sel(app)) == ""  # built by script
    # a real page that mentions 404 somewhere in a long text still opens
    long_page = "<html><body><p>" + "办事指南说明。" * 40 + "热线4040404</p></body></html>"
    assert online_verdict(200, "text/html", b"", _sel(long_page)) == ""
    assert online_verdict(404, "text/html", b"", _sel("<html></html>")) == "HTTP 404"
    assert online_verdict(401, "text/html", b"", _sel("<html></html>")) == ""  # asks a login
    # refused or throttled may be a firewall turning the monitor away: not judged
    assert not_judged(403) and not_judged(429) and not not_judged(404) and not not_judged(500)
    assert online_verdict(500, "text/html", b"", None) == "HTTP 500"
    title = "<html><head><title>404 Not Found</title></head><body>x</body></html>"
    assert "标题“404 Not Found”" in online_verdict(200, "text/html", b"", _sel(title))
    upkeep = "<html><body><p>系统维护中，请稍后访问</p></body></html>"
    assert "系统维护中" in online_verdict(200, "text/html", b"", _sel(upkeep))
    assert "建设中" in online_verdict(200, "text/html", b"", _sel("<p>栏目建设中</p>"))
    assert online_verdict(200, "text/html", b"", _sel("<html><body> </body></html>")) != ""
    assert "application/pdf" in online_verdict(200, "application/pdf", b"%PDF", None)


def test_online_links_are_named_by_their_text():
    html = """<a href="/wsbs/1">在线办理</a><a href="http://zwfw.example.gov.cn/">湖北政务服务网</a>
    <a href="/bszn/1.html">婚姻登记办事指南</a><a href="javascript:void(0)">我要办理</a>
    <a href="/x"><img alt=""><span>网上办事大厅</span></a><a href="/wsbs/1">在线办理</a>"""
    links = online_links(_sel(html), "http://www.example.gov.cn/bszn/")
    assert [(x.url, x.text) for x in links] == [
        ("http://www.example.gov.cn/wsbs/1", "在线办理"),
        ("http://zwfw.example.gov.cn/", "湖北政务服务网"),
        ("http://www.example.gov.cn/x", "网上办事大厅"),
    ]


def _systems(*states: str) -> pd.DataFrame:
    notes = {"open": "", "broken": "HTTP 404", "unchecked": "未监测:超时(已重试1次)"}
    rows = pd.DataFrame(
        {
            "site_id": "s",
            "kind": "online",
            "page_url": "http://x.gov.cn/bszn/1.html",
            "text": "在线办理",
            "context": [f"http://x.gov.cn/wsbs/{i}" for i in range(len(states))],
            "correct": ["" if st == "unchecked" else "HTTP 200 text/html" for st in states],
            "note": [notes[st] for st in states],
        }
    )
    return list(tuples(online_table(rows)))  # a site's rows, as service_facts hands them


def test_a_system_that_did_not_answer_is_never_counted_as_not_opening():
    # alone it leaves the count 未监测, with the reason as evidence
    value, said = online_facts(_systems("open", "unchecked"), nothing_to_check=True)
    assert value is None and len(said) == 1 and "未监测(超时(已重试1次))" in said[0]
    # beside one shown not to open, the count is that one, and the other is named
    value, said = online_facts(_systems("broken", "unchecked"), nothing_to_check=True)
    assert value == 1 and "无法打开(HTTP 404)" in said[0] and "未监测" in said[1]
    assert online_facts(_systems("open"), nothing_to_check=False) == (0.0, [])
    # no system linked: 0 only when the guides were read (or no service column at all)
    assert online_facts(None, nothing_to_check=True) == (0.0, [])
    assert online_facts(None, nothing_to_check=False) == (None, [])


HEAD = '<html><head><meta charset="utf-8"><title>江城市某局</title></head><body>'
NAV = """<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/bszn/">办事指南</a></li></ul></div>"""


def _list(items: list[tuple[str, str, str]], extra: str = "") -> str:
    rows = "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in items)
    return f'{HEAD}{NAV}<ul class="list">{rows}</ul>{extra}</body></html>'


def _guide(title: str, online: str, form: str = "") -> str:
    rows = "".join(
        f"<tr><th>{k}</th><td>{v}</td></tr>"
        for k, v in [("事项名称", title), ("设定依据", "《婚姻登记条例》"),
                     ("申请条件", "双方自愿"), ("办理材料", "身份证"), ("办理地点", "一楼"),
                     ("办理时间", "工作日"), ("联系电话", ""), ("办理流程", "申请—登记")]
    )  # fmt: skip
    form = f'<p><a href="{form}">申请表下载</a></p>' if form else ""
    return (f'{HEAD}{NAV}<table>{rows}</table><p><a href="{online}">在线办理</a></p>{form}'
            "</body></html>")  # fmt: skip


GUIDES = [
    ("/bszn/1.html", "婚姻登记办事指南", "2026-06-01"),
    ("/bszn/2.html", "收养登记办事指南", "2026-05-20"),
    ("/bszn/3.html", "殡葬服务办事指南", "2026-05-10"),
    ("/bszn/4.html", "社会救助办事指南", "2026-05-01"),
]
NEWS = [
    (f"/gzdt/{i}.html", f"江城市某局召开第{i}次会议", f"2026-06-{28 - i:02d}") for i in range(3)
]


def _sites(serve, tmp_path) -> tuple[str, str, str]:
    hall = serve({
        "/hall": (302, "", {"Location": "/sso/login.html"}),
        "/sso/login.html": (200, "<html><head><title>政务服务网 用户登录</title></head><body>"
                                 "<form><input name=u><input type=password name=p></form>"
                                 "</body></html>"),
    })  # fmt: skip
    whole = serve({
        "/": (200, _list(NEWS)),
        "/gzdt/": (200, _list(NEWS)),
        # the column page links the online hall, which is gone (404: not in the table)
        # and a declaration system that turns the monitor away (403: not judged)
        "/bsfw/": (200, _list(NEWS[:1], '<p><a href="/wsdt/">网上办事大厅</a> '
                                        '<a href="/sbxt/">在线申报</a></p>')),
        "/sbxt/": (403, "<html><body>Forbidden</body></html>"),
        "/bszn/": (200, _list(GUIDES)),
        # its application form turns the monitor away too (403: not judged, not 无法下载)
        "/bszn/1.html": (200, _guide("婚姻登记", f"{hall}/hall", "/files/sqb.doc")),
        "/files/sqb.doc": (403, "<html><body>Forbidden</body></html>"),
        "/bszn/2.html": (500, "<html><body>Internal Server Error</body></html>"),
        "/bszn/3.html": (200, _guide("殡葬服务", "/wsbs/3"), {}, 4),  # over the timeout
        "/bszn/4.html": (RESET, ""),
    })  # fmt: skip
    only_failed = serve({
        "/": (200, _list(NEWS)),
        "/gzdt/": (200, _list(NEWS)),
        "/bszn/": (200, _list(GUIDES[1:2])),
        "/bszn/2.html": (500, "<html><body>Internal Server Error</body></html>"),
    })  # fmt: skip
    return hall, whole, only_failed


def _rows(book, sheet: str) -> list[tuple]:
    return [r for r in list(book[sheet].iter_rows(values_only=True))[1:] if r and r[0]]


def test_failing_guides_and_online_systems_in_a_real_crawl(serve, tmp_path):
    hall, whole, only_failed = _sites(serve, tmp_path)
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        f"- {{id: a, name: 江城市甲局, url: '{whole}/'}}\n"
        f"- {{id: b, name: 江城市乙局, url: '{only_failed}/'}}\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'o.db'}"
    crawled = run_cli("crawl", "--sites", str(sites), "--db", db, "--now", FROZEN_NOW,
                      "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=2")  # fmt: skip
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    # the last progress line and the summary count the same errors: the 500s, the reset,
    # the timeout and the 404 (transport failures included)
    progress = re.findall(r"错误 (\d+)", crawled.stderr)[-1]
    summary = re.search(r"错误(\d+)个", crawled.stdout).group(1)
    assert progress == summary and int(summary) >= 4, (progress, summary)
    out = tmp_path / "r.xlsx"
    made = run_cli("report", "--db", db, "--as-of", FARM_DATE.isoformat(), "--out", str(out))
    assert made.returncode in (0, 1), made.stderr[-2000:]
    book = load_workbook(out)
    rows = _rows(book, "互动与服务")

    def row_of(site: str, channel_end: str) -> tuple:
        (row,) = [r for r in rows if r[0] == site and str(r[1]).endswith(channel_end)]
        return row

    # each failed guide: 监测失败 with its URL and why; the guide read has its one gap
    for path, title, reason in [("/bszn/2.html", "收养登记办事指南", "HTTP 500"),
                                ("/bszn/3.html", "殡葬服务办事指南", "超时"),
                                ("/bszn/4.html", "社会救助办事指南", "连接")]:  # fmt: skip
        row = row_of("江城市甲局", f"《{title}》")
        assert row[3] == whole + path and row[6] == "监测失败", row
        assert "办事指南无法获取" in row[9] and reason in row[9], row
    assert row_of("江城市甲局", "《婚姻登记办事指南》")[6] == "联系电话"
    assert row_of("江城市甲局", "办事指南")[6] == "联系电话"  # the column sums the guides read
    # the online hall on another host redirects to its login page: it opens
    row = row_of("江城市甲局", "在线办事系统“在线办理”")
    assert row[3] == f"{hall}/hall" and "可打开" in row[9] and "登录页" in row[9], row
    # the hall linked from the 办事服务 column page is gone: does not open, HTTP 404
    row = row_of("江城市甲局", "在线办事系统“网上办事大厅”")
    assert row[3] == f"{whole}/wsdt/" and "无法打开(HTTP 404)" in row[9], row
    assert f"{whole}/bsfw/" in row[9]  # the page the link sits on
    row = row_of("江城市甲局", "在线办事系统“在线申报”")
    assert "未监测(HTTP 403" in row[9] and "无法打开" not in row[9], row

    found: dict[str, dict[str, tuple]] = {}
    for r in _rows(book, "扣分明细"):
        found.setdefault(r[0], {})[r[2]] = r
    a = found["江城市甲局"]
    assert a["办事指南缺少要素1类"][3] == 2, a
    evidence = a["办事指南缺少要素1类"][4]
    assert f"{whole}/bszn/2.html 办事指南监测失败(HTTP 500),未计入" in evidence, evidence
    assert not any("缺少要素8类" in t for t in a)
    online = a["在线办事系统无法打开1个"]
    assert online[3] == 0 and f"{whole}/wsdt/" in online[4] and "HTTP 404" in online[4]
    assert f"{whole}/sbxt/ 未监测(HTTP 403" in online[4]  # named beside, not counted
    # the site's other results stand: scored, its news column read with its newest date
    summary = {r[1]: r for r in _rows(book, "抽查情况表") if r[1]}
    assert isinstance(summary["江城市甲局"][3], int | float), summary["江城市甲局"]
    columns = [r for r in _rows(book, "栏目明细") if r[0] == "江城市甲局" and r[1] == "工作动态"]
    assert columns and str(columns[0][4])[:10] == "2026-06-28", columns

    # a site whose only guide fails: 办事指南 未监测 with the URL and reason, never 8 missing
    b = found["江城市乙局"]
    assert b["办事指南未监测"][3] == "未监测", b
    assert (
        f"{only_failed}/bszn/2.html" in b["办事指南未监测"][4]
        and "HTTP 500" in b["办事指南未监测"][4]
    )
    assert not any(t.startswith("办事指南缺少要素") for t in b), b
    assert isinstance(summary["江城市乙局"][3], int | float), summary["江城市乙局"]
    # the form answered 403: 未监测 with the reason, never counted as 无法下载
    guide = row_of("江城市甲局", "《婚姻登记办事指南》")[9]
    assert f"{whole}/files/sqb.doc 未监测(HTTP 403" in guide and "无法下载" not in guide, guide
    assert not any(t.startswith("办事指南附件表格无法下载") for t in a), a


def test_progress_and_summary_count_a_reset_and_a_failed_guide_alike(serve, tmp_path):
    """Errors are counted in one place: the reset column (no HTTP answer), the menu's 办事服务
    page missing (404) and the guide page at HTTP 500 are three errors on the last
    progress line and in the summary (before, each counted two of them, not the same two)."""
    url = serve({
        "/": (200, _list(NEWS)),
        "/gzdt/": (RESET, ""),
        "/bszn/": (200, _list(GUIDES[1:2])),
        "/bszn/2.html": (500, "<html><body>Internal Server Error</body></html>"),
    })  # fmt: skip
    sites = tmp_path / "sites.yaml"
    sites.write_text(f"- {{id: c, name: 江城市丙局, url: '{url}/'}}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'p.db'}"
    crawled = run_cli("crawl", "--sites", str(sites), "--db", db, "--now", FROZEN_NOW,
                      "-s", "RETRY_TIMES=0")  # fmt: skip
    progress = re.findall(r"错误 (\d+)", crawled.stderr)[-1]
    summary = re.search(r"错误(\d+)个", crawled.stdout).group(1)
    assert (progress, summary) == ("3", "3"), crawled.stdout + crawled.stderr[-2000:]
