"""Sites of every degenerate shape, crawled for real from loopback and reported in one round.

Each shape is data: a few static pages under the site's own path prefix on one test server
(a second server is the "elsewhere" a home page redirects to). One crawl, one report: the
report completes, each odd site gets its own row (监测失败 naming the reason and the
re-run command where nothing can be concluded, never 空白 or 未更新 without evidence), and
the ordinary site beside them is scored as usual.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from analysis.text import fullwidth
from tests.conftest import FARM_DATE, FROZEN_NOW
from tests.services import run_cli
from tests.static_sites import StaticSite

pytestmark = pytest.mark.slow


def day(days_ago: int) -> str:
    return (FARM_DATE - dt.timedelta(days=days_ago)).isoformat()


def page(body: str) -> str:
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'


def nav(prefix: str, names: dict[str, str]) -> str:
    items = "".join(
        f'<li><a href="{prefix}{slug}/">{name}</a></li>' for slug, name in names.items()
    )
    return f'<div class="nav"><ul><li><a href="{prefix}">首页</a></li>{items}</ul></div>'


def dated_rows(prefix: str, slug: str, ages: list[int]) -> str:
    return "".join(
        f'<li><a href="{prefix}{slug}/{i}.html">江城市召开第{i}次工作会议</a>'
        f"<span>{day(a)}</span></li>"
        for i, a in enumerate(ages)
    )


def dated_list(prefix: str, slug: str, ages: list[int]) -> str:
    return page(f'<ul class="list">{dated_rows(prefix, slug, ages)}</ul>')


def undated_list(prefix: str, slug: str) -> str:
    rows = "".join(
        f'<li><a href="{prefix}{slug}/{i}.html">关于做好第{i}项工作的通知</a></li>'
        for i in range(3)
    )
    return page(f'<ul class="list">{rows}</ul>')


def home_block(prefix: str, slug: str, ages: list[int]) -> str:
    more = f'<a class="more" href="{prefix}{slug}/">更多</a>'
    rows = dated_rows(prefix, slug, ages)
    return f'<div class="box"><h3>工作动态</h3>{more}<ul>{rows}</ul></div>'


TWO = {"gzdt": "工作动态", "tzgg": "通知公告"}
FRESH = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]


def site_pages(elsewhere: str) -> dict[str, dict[str, tuple[int, str, dict]]]:
    """site id -> {path: (status, body, headers)}; every site's pages under /<id>/."""
    out: dict[str, dict[str, tuple[int, str, dict]]] = {}
    p = "/ok/"  # the ordinary site: dated home items, two dated columns
    out["ok"] = {
        p: (200, page(nav(p, TWO) + home_block(p, "gzdt", FRESH)), {}),
        f"{p}gzdt/": (200, dated_list(p, "gzdt", FRESH), {}),
        f"{p}tzgg/": (200, dated_list(p, "tzgg", [3, 20]), {}),
    }
    p = "/nohomedate/"  # columns, but not one dated item on the home page
    out["nohomedate"] = {
        p: (200, page(nav(p, TWO) + "<p>欢迎访问</p>"), {}),
        f"{p}gzdt/": (200, dated_list(p, "gzdt", [2, 5]), {}),
        f"{p}tzgg/": (200, dated_list(p, "tzgg", [4]), {}),
    }
    p = "/nocolumn/"  # a home page with text and no navigation, no dated item
    out["nocolumn"] = {
        p: (200, page('<div class="main"><p>本网站正在建设中。</p></div>'), {}),
    }
    p = "/failedcols/"  # every column page is an error
    out["failedcols"] = {
        p: (200, page(nav(p, TWO) + "<p>欢迎访问</p>"), {}),
        f"{p}gzdt/": (500, "error", {}),
        f"{p}tzgg/": (503, "busy", {}),
    }
    p = "/containers/"  # the only column is a directory of sub-columns, which all fail
    out["containers"] = {
        p: (200, page(nav(p, {"zwgk": "政务公开"}) + "<p>欢迎访问</p>"), {}),
        f"{p}zwgk/": (
            200,
            page(
                '<div class="sub-nav"><h3>政务公开</h3><ul>'
                f'<li><a href="{p}zwgk/ghjh/">规划计划</a></li>'
                f'<li><a href="{p}zwgk/tjxx/">统计信息</a></li></ul></div>'
            ),
            {},
        ),
        f"{p}zwgk/ghjh/": (500, "error", {}),
        f"{p}zwgk/tjxx/": (500, "error", {}),
    }
    p = "/nolinks/"  # nothing to follow at all
    out["nolinks"] = {p: (200, page("<p>欢迎访问江城市某局网站</p>"), {})}
    p = "/undated/"  # lists whose items show no date, not even on their own pages
    out["undated"] = {
        p: (200, page(nav(p, TWO) + "<p>欢迎访问</p>"), {}),
        f"{p}gzdt/": (200, undated_list(p, "gzdt"), {}),
        f"{p}tzgg/": (200, undated_list(p, "tzgg"), {}),
        **{
            f"{p}{slug}/{i}.html": (200, page(f"<h1>通知{i}</h1><p>正文</p>"), {})
            for slug in TWO
            for i in range(3)
        },
    }
    p = "/moved/"  # the home page redirects to another host, whose page shows nothing
    out["moved"] = {p: (302, "", {"Location": f"{elsewhere}/landing/"})}
    return out


@pytest.fixture(scope="module")
def round_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("degenerate")
    elsewhere = StaticSite({"/landing/": (200, page("<p>该网站已迁移</p>"), {})})
    # another host: localhost is not the 127.0.0.1 the site list names
    other = f"http://localhost:{elsewhere.server_address[1]}"
    shapes = site_pages(other)
    main = StaticSite({path: v for pages in shapes.values() for path, v in pages.items()})
    base = f"http://127.0.0.1:{main.server_address[1]}"
    sites = tmp / "sites.yaml"
    sites.write_text(
        "".join(f"- {{id: {sid}, name: 某局{sid}, url: '{base}/{sid}/'}}\n" for sid in shapes),
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp / 'd.db'}"
    crawl = run_cli(
        "crawl", "--sites", str(sites), "--db", db, "--now", FROZEN_NOW,
        "-s", "RETRY_TIMES=0", "-s", "GOVSPIDER_RENDER=false",
    )  # fmt: skip
    out = tmp / "r.xlsx"
    report = run_cli("report", "--db", db, "--as-of", FARM_DATE.isoformat(), "--out", str(out))
    yield crawl, report, out
    for server in (main, elsewhere):
        server.stop()


def _sheet(path, name: str) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and ("单位名称" in r or "站点" in r))
    keys = [str(k) if k is not None else "" for k in rows[head]]
    return [dict(zip(keys, r, strict=False)) for r in rows[head + 1 :] if any(r)]


FAILED = {
    "nocolumn": "首页未识别到栏目,也没有带日期的信息",
    "failedcols": "全部2个栏目监测失败(HTTP 500、HTTP 503)",
    "containers": "只识别到栏目目录",
    "nolinks": "首页未识别到栏目,也没有带日期的信息",
    "undated": "全部2个栏目监测失败(日期未识别",
    "moved": "首页跳转到站外地址(http://localhost:",
}


def test_the_report_completes_and_says_how_many_sites_could_not_be_scored(round_report):
    crawl, report, out = round_report
    # the home page that redirects off the site is a crawl failure: the crawl says so
    assert crawl.returncode == 1, crawl.stderr[-2000:]
    assert report.returncode == 1, report.stdout + report.stderr[-2000:]
    assert "Traceback" not in report.stderr
    assert out.exists()
    assert f"无法评分(监测失败){len(FAILED)}个" in report.stdout, report.stdout
    for sid in FAILED:
        assert f"--site {sid}" in report.stdout, report.stdout


def test_each_degenerate_site_is_a_monitoring_failure_with_its_reason(round_report):
    _, report, out = round_report
    rows = {r["单位名称"]: r for r in _sheet(out, "抽查情况表")}
    for sid, reason in FAILED.items():
        row = rows[f"某局{sid}"]
        assert row["结果"] == "监测失败", (sid, row)
        # the 通报 text is in full-width punctuation, as the published tables
        assert fullwidth(reason) in str(row["抽查发现的突出问题"]), (sid, row)
    rerun = {r.get("单位名称"): r for r in _sheet(out, "重新监测")}
    for sid in FAILED:
        assert any(f"--site {sid}" in str(v) for v in rerun[f"某局{sid}"].values()), rerun


def test_no_blank_or_stale_finding_without_evidence(round_report):
    _, _, out = round_report
    columns = _sheet(out, "栏目明细")
    odd = [c for c in columns if str(c["单位名称"]).removeprefix("某局") in FAILED]
    assert {c["单位名称"] for c in odd} == {"某局containers", "某局failedcols", "某局undated"}
    for col in odd:
        assert col["状态"] not in {"空白", "未更新"}, col
    assert all(c["状态"] == "监测失败" for c in odd if c["单位名称"] == "某局undated"), odd


def test_ordinary_sites_beside_them_are_scored_as_usual(round_report):
    _, _, out = round_report
    rows = {r["单位名称"]: r for r in _sheet(out, "抽查情况表")}
    assert rows["某局ok"]["结果"] == "合格", rows["某局ok"]
    assert rows["某局ok"]["得分"] == 100, rows["某局ok"]
    # no dated item on the home page: judged on its first-level column pages, not a crash
    nohome = rows["某局nohomedate"]
    assert nohome["结果"] != "监测失败", nohome
    assert isinstance(nohome["得分"], int | float) or nohome["得分"] == "单项否决", nohome


def test_one_sites_unreadable_facts_cost_only_that_site_its_score():
    """Facts that make the column analysis fail (a depth that is not a number) for one site,
    and a home page without items for another (once a KeyError for the whole round)."""
    from analysis.record_facts import facts_from_records
    from analysis.report import report_from_facts

    sites = [{"site_id": s, "site_name": s, "home_crawled": True} for s in ("bad", "bare", "good")]
    columns = [
        {"site_id": "bad", "name": "工作动态", "depth": "第一层", "newest_date": FARM_DATE},
        {"site_id": "good", "name": "工作动态", "newest_date": FARM_DATE},
    ]
    home = [
        {"site_id": "good", "title": f"t{i}", "url": f"http://good/{i}", "date": FARM_DATE}
        for i in range(12)
    ]
    report = report_from_facts(facts_from_records(sites, columns, home), FARM_DATE)
    result = report.sites.set_index("site_id")
    assert result.loc["bad", "result"] == "监测失败"
    assert result.loc["bad", "rerun_reason"].startswith("监测数据无法评分(ValueError")
    assert result.loc["good", "score"] == 100
    assert result.loc["bare", "result"] != "监测失败"  # no home items: judged, not a crash
    assert list(report.not_scored().index) == [0]
    assert {r.site_id for r in report.rerun} >= {"bad"}
