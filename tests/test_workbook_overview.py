"""The overview sheets read back: 汇总 with charts, 内容更新情况, 突出问题网站名单, 即将超期,
and the set-up for people (font, frozen bold header, filter, print set-up, highlights)."""

from __future__ import annotations

import datetime as dt

from test_analysis_report import AS_OF
from test_workbook import rows, workbook  # noqa: F401 - the shared fixture


def test_summary_sheet_order_group_and_filter(workbook) -> None:  # noqa: F811
    _, wb, _ = workbook
    ws = wb["抽查情况表"]
    table = rows(ws)
    assert [(r[1], r[3], r[5]) for r in table[1:]] == [
        ("通山县人民政府", 100, "县市区"),
        ("市教育局", 81.7, "市直部门"),
        ("市招商局", "单项否决", "市直部门"),
        ("市水利局", "—", "市直部门"),
    ]
    assert ws.auto_filter.ref == "A1:F5" and ws.freeze_panes == "A2"
    assert ws["A1"].font.b and ws["A1"].font.name == "宋体"
    assert ws.print_title_rows == "$1:$1" or ws.print_title_rows == "1:1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    fills = {r[1].value: r[1].fill.fgColor.rgb for r in ws.iter_rows(min_row=2)}
    assert fills["市招商局"].endswith("FCE4D6") and not fills["通山县人民政府"].endswith("FCE4D6")
    assert wb.sheetnames[0] == "汇总"


def test_content_updates_sheet(workbook) -> None:  # noqa: F811
    _, wb, _ = workbook
    table = rows(wb["内容更新情况"])
    assert table[0] == ("单位名称", "概况信息", "业务动态", "服务信息", "互动交流", "综合评级")
    assert table[1:] == [
        ("通山县人民政府", None, "2019.05", None, None, "A"),
        ("市教育局", None, "2019.04", None, None, "B"),
        ("市招商局", None, "2019.05", None, None, "C"),  # snap()'s default 工作动态
        ("市水利局", None, None, None, None, "无法打开"),
    ]


def test_problem_sites_sheet(workbook) -> None:  # noqa: F811
    _, wb, _ = workbook
    table = rows(wb["突出问题网站名单"])
    assert table == [
        ("序号", "县、市/部门", "单位名称", "存在突出问题"),
        (1, "市直部门", "市招商局", "首页长期未更新"),
    ]


def test_totals_sheet_figures_and_charts(workbook) -> None:  # noqa: F811
    _, wb, _ = workbook
    ws = wb["汇总"]
    figures = {r[0]: r[1:] for r in rows(ws)[1:]}
    assert figures["抽查网站(个)"][0] == 4
    assert figures["评分网站(个)"][0] == 3
    assert figures["合格(个)"] == (2, "66.67%")
    assert figures["总体合格率"][0] == "66.67%"
    assert figures["A 级"] == (1, "33.33%") and figures["C 级"] == (1, "33.33%")
    assert figures["平均每网站空白栏目(个)"][0] == round(2 / 3, 2)
    assert figures["首页长期未更新"][0] == 1  # the veto at 市招商局
    assert figures["首页更新量少"][0] == 1  # fewer than 10 items at 市教育局
    assert figures["多个栏目空白"][0] == 1
    assert len(ws._charts) == 2


def test_expiring_sheet(workbook) -> None:  # noqa: F811
    _, wb, _ = workbook
    ws = wb["即将超期"]
    table = rows(ws)
    assert table[0][-3:] == ("更新时限", "超期日期", "剩余天数")
    newest = AS_OF - dt.timedelta(days=3)
    assert table[1:] == [
        ("通山县人民政府", "工作动态", "http://a/gzdt", "动态要闻类",
         dt.datetime.combine(newest, dt.time()), "2周",
         dt.datetime.combine(newest + dt.timedelta(days=15), dt.time()), 12),
        # 市招商局's (snap()'s default 工作动态, dated the day before) expires in 14 days
        ("市招商局", "工作动态", "http://c_veto/gzdt", "动态要闻类",
         dt.datetime.combine(AS_OF - dt.timedelta(days=1), dt.time()), "2周",
         dt.datetime.combine(AS_OF + dt.timedelta(days=14), dt.time()), 14),
    ]  # fmt: skip
    assert ws["C2"].hyperlink.target == "http://a/gzdt"
