"""办事指南 elements and forms, 访谈/调查征集 counts and "no consultation channel": read on
hand-made pages, then from a real crawl of the demo farm, scored, and read back from the
workbook (互动与服务 and 扣分明细) against the farm's own model."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from parsel import Selector
from sqlalchemy import create_engine

from analysis.report import build_report
from exports.workbook import write_workbook
from farm.guides import ELEMENTS, form_path, is_guide_column
from govspider.extract.guides import download_verdict, read_guide
from tests.conftest import FARM_DATE

TABLE_GUIDE = """<html><body><div class="nav">办理时间 联系电话</div><table>
<tr><th>事项名称</th><td>婚姻登记</td></tr><tr><th>设定依据</th><td>《婚姻登记条例》</td></tr>
<tr><th>受理条件</th><td>双方自愿</td></tr><tr><th>申请材料</th><td>身份证、户口簿</td></tr>
<tr><th>办理地点</th><td>民政局一楼</td></tr><tr><th>办理时间</th><td></td></tr>
<tr><th>咨询电话</th><td>暂无</td></tr><tr><th>办理流程</th><td>申请—审查—登记</td></tr>
</table><p>表格下载：<a href="/files/sqb.docx">申请表</a> <a href="/x.html">说明</a></p>
<div class="footer">办理时间：工作日 联系电话：0719-8600000</div></body></html>"""

LINE_GUIDE = """<html><body><h3>一、事项名称：失业登记</h3><h3>二、办理依据</h3>
<p>《就业促进法》</p><h3>三、申请条件</h3><p>失业人员</p><p>办理材料：身份证</p>
<p>办理地点：人社局大厅</p><p>受理时间：工作日</p><p>联系方式：0719-8611111</p>
<p>办理程序：受理、审核、办结</p></body></html>"""


def test_a_table_guide_misses_the_empty_and_placeholder_elements():
    guide = read_guide(Selector(text=TABLE_GUIDE), "http://example.gov.cn/bszn/1.html")
    # the nav and footer mention 办理时间 and 联系电话: they do not fill the guide's cells
    assert guide.missing == ["办理时间", "联系电话"]
    assert [f.url for f in guide.forms] == ["http://example.gov.cn/files/sqb.docx"]


def test_a_guide_in_headings_and_lines_has_all_eight_by_their_synonyms():
    guide = read_guide(Selector(text=LINE_GUIDE), "http://example.gov.cn/a.html")
    assert guide.missing == [] and guide.present == ELEMENTS
    assert guide.forms == []


def test_a_form_counts_as_downloaded_only_when_a_file_comes():
    assert download_verdict(200, "application/msword", "", b"\xd0\xcf\x11\xe0") == ""
    assert download_verdict(404, "text/html", "", b"<html>") == "HTTP 404"
    assert download_verdict(200, "text/html; charset=utf-8", "", b"<html>no") != ""
    assert download_verdict(200, "text/html", "attachment; filename=a.doc", b"<html>") == ""
    assert download_verdict(200, "application/pdf", "", b"") == "文件为空"


@pytest.fixture(scope="module")
def report(farm_crawl):
    return build_report(create_engine(farm_crawl.db_url), FARM_DATE)


@pytest.fixture(scope="module")
def book(report, tmp_path_factory):
    return load_workbook(write_workbook(report, tmp_path_factory.mktemp("sg") / "r.xlsx"))


def _rows(book, sheet: str) -> list[tuple]:
    return [r for r in list(book[sheet].iter_rows(values_only=True))[1:] if r and r[0]]


FORM_WORDS = {
    "file": "可下载",
    "missing": "无法下载(HTTP 404)",
    "page": "无法下载(下载得到的是网页",
}


def test_each_guide_has_its_missing_elements_and_its_form_verdict(book, farm_crawl):
    rows = _rows(book, "互动与服务")
    checked = 0
    for site in farm_crawl.server.farm.sites:
        if site.home_status != 200:
            continue
        for col in site.all_columns():
            if not is_guide_column(col) or col.failed:
                continue
            for item in col.items[:5]:
                (row,) = [
                    r for r in rows if r[0] == site.name and r[1].endswith(f"《{item.title}》")
                ]
                assert row[2] == "办事服务类" and row[3].endswith(item.path), row
                want = "、".join(e for e in ELEMENTS if e in col.guide_missing) or "无"
                assert row[6] == want, (site.id, row)
                assert form_path(item) in row[9] and FORM_WORDS[col.form] in row[9], row
                checked += 1
            # the column's own row sums its guides up
            (own,) = [r for r in rows if r[0] == site.name and r[1] == ">".join(col.names)]
            assert own[6] == want, own
    assert checked >= 8
    kinds = {c.form for s in farm_crawl.server.farm.sites for c in s.all_columns() if c.items}
    assert kinds >= {"file", "missing", "page"}


def _findings(book) -> dict[str, dict[str, tuple]]:
    out: dict[str, dict[str, tuple]] = {}
    for r in _rows(book, "扣分明细"):
        out.setdefault(r[0], {})[r[2]] = r
    return out


def test_guide_elements_and_forms_are_scored_with_their_evidence(book, farm_crawl):
    found = _findings(book)
    for site in farm_crawl.server.farm.sites:
        if site.home_status != 200 or site.expected["score"] == "单项否决":
            continue
        guides = [c for c in site.all_columns() if is_guide_column(c) and c.items]
        missing = {e for c in guides for e in c.guide_missing}
        mine = found.get(site.name, {})
        row = mine.get(f"办事指南缺少要素{len(missing)}类")
        if missing:
            assert row is not None and row[3] == 2 * len(missing), (site.id, mine)
            assert all(e in row[4] for e in missing) and guides[0].items[0].path in row[4]
        else:
            assert not any(t.startswith("办事指南缺少要素") for t in mine), (site.id, mine)
        broken = [i for c in guides if c.form != "file" for i in c.items[:5]]
        row = mine.get(f"办事指南附件表格无法下载{len(broken)}个")
        if broken:
            assert row is not None and row[3] == 0 and form_path(broken[0]) in row[4], mine
        else:
            assert not any(t.startswith("办事指南附件表格无法下载") for t in mine), site.id


def _whole(site) -> bool:
    """The farm site's crawl is whole: no column fails (error page or no date anywhere)."""
    return not any(c.failed or c.undated for c in site.all_columns())


RULES = {"互动访谈类": ("互动访谈", 3), "调查征集类": ("调查征集", 6)}


def test_interviews_and_surveys_are_counted_in_the_year_and_scored(book, farm_crawl):
    found = _findings(book)
    year_ago = dt.date(FARM_DATE.year - 1, FARM_DATE.month, FARM_DATE.day)
    seen = set()
    for site in farm_crawl.server.farm.sites:
        if site.home_status != 200 or site.expected["score"] == "单项否决":
            continue
        mine = found.get(site.name, {})
        for category, (word, few) in RULES.items():
            cols = [c for c in site.all_columns() if c.category == category]
            if not cols and not _whole(site):
                want = f"{category}栏目未监测"
            else:
                n = len({i.path for c in cols for i in c.items if i.date >= year_ago})
                want = (
                    f"1年内未开展{word}活动"
                    if n == 0
                    else (f"1年内{word}活动少于{few}次" if n < few else None)
                )
            texts = [t for t in mine if word in t]
            assert texts == ([want] if want else []), (site.id, category, texts)
            if want:
                points = "未监测" if "未监测" in want else (5 if "未开展" in want else 3)
                assert mine[want][3] == points, mine[want]
                # evidence: the columns and their count, or the whole tree without one
                said = f"1年内{n if cols else ''}" if cols else f"没有{category}栏目"
                assert points == "未监测" or said in mine[want][4], mine[want]
                seen.add((category, points))
    # the farm shows every case of both: none, fewer, not measured
    assert seen == {(c, p) for c in RULES for p in (5, 3, "未监测")}


def test_no_consultation_channel_is_a_veto_only_for_a_site_crawled_whole(book, farm_crawl):
    found = _findings(book)
    summary = {r[1]: r for r in _rows(book, "抽查情况表") if r[1]}
    for site in farm_crawl.server.farm.sites:
        if site.home_status != 200:
            continue
        none = not any(c.category == "政务咨询类" for c in site.all_columns())
        row = found.get(site.name, {}).get("未开设政务咨询栏目")
        if none and _whole(site):
            assert row is not None and row[3] == "单项否决", (site.id, found.get(site.name))
            assert "栏目均已抓取" in row[4]
            assert summary[site.name][3] == "单项否决"
        else:
            assert row is None, site.id
    assert any("未开设政务咨询栏目" in m for m in found.values()), (
        "the farm has a site without a consultation channel"
    )


ONLINE_WORDS = {"broken": "无法打开(", "unchecked": "未监测(", "open": "可打开"}


def test_each_online_system_is_checked_against_the_farm(book, farm_crawl):
    """Every 在线办理 link of the farm's guides has its row in 互动与服务 with the verdict
    its kind asks for, and the sites' findings follow: a 404/500/error page is a 0-point
    finding with the URL and what it answered, no HTTP answer is 未监测 with the reason,
    a system that opens (a login page included) is no finding."""
    rows = _rows(book, "互动与服务")
    found = _findings(book)
    kinds = set()
    for t in farm_crawl.truth.values():
        if t["home_failed"] or t["expected"]["score"] == "单项否决":
            continue
        mine = found.get(t["name"], {})
        systems = t["online_systems"]
        for system in systems:
            state = "broken" if system["broken"] else "unchecked" if system["unchecked"] else "open"
            (row,) = [r for r in rows if r[0] == t["name"] and r[3] == system["url"]]
            assert row[1].startswith("在线办事系统") and row[2] == "办事服务类", row
            assert ONLINE_WORDS[state] in row[9], (system, row)
            kinds.add(system["kind"])
        broken = [s for s in systems if s["broken"]]
        row = mine.get(f"在线办事系统无法打开{len(broken)}个")
        if broken:
            assert row is not None and row[3] == 0, (t["name"], mine)
            assert all(s["url"] in row[4] for s in broken), row
            assert "HTTP 404" in row[4] or "HTTP 500" in row[4] or "错误或占位页面" in row[4]
        else:
            assert not any(k.startswith("在线办事系统无法打开") for k in mine), (t["name"], mine)
        unmeasured = mine.get("在线办事系统未监测")
        if systems and not broken and any(s["unchecked"] for s in systems):
            assert unmeasured is not None and unmeasured[3] == "未监测", mine
            assert "连接被拒绝" in unmeasured[4] and "127.0.0.1:9" in unmeasured[4], unmeasured
        elif systems:
            assert unmeasured is None, (t["name"], unmeasured)
    # every kind of answer is on the farm: opens, login page, 404, 500, error page, down
    assert kinds == {"ok", "login", "missing", "error", "page", "down"}
    # a site with no online link whose guides were read has nothing unopened, and nothing
    # 未监测 either
    market = found.get("江城市市场监督管理局", {})
    assert not any(k.startswith("在线办事系统") for k in market), market


def test_services_offered_is_unmeasured_for_the_round_with_its_reason(book, report):
    """服务不实用's 未提供办事服务 is never a pass or a fail by default: no site has a
    finding of it, and the round's 未监测 list says why."""
    assert not report.findings["rule_id"].eq("services_missing").any()
    (said,) = [u for u in report.unmeasured if u.startswith("服务不实用")]
    assert "判断不了单位是否应当面向公众提供服务" in said
    cells = [str(c) for r in book["监测说明"].iter_rows(values_only=True) for c in r if c]
    assert any("服务不实用" in c and "面向公众提供服务" in c for c in cells)
