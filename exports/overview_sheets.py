"""The sheets a 通报 quotes: 汇总 (with charts), 内容更新情况, 突出问题网站名单, 即将超期."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from analysis.overview import CONTENT_UPDATE_HEADERS, expiring, problem_sites, summarise
from analysis.report import Report
from exports.sheet import Sheet

TOTALS_SHEET = "汇总"
TOTALS_HEADERS = ["项目", "数值", "占比"]
CONTENT_SHEET = "内容更新情况"
PROBLEM_SHEET = "突出问题网站名单"
PROBLEM_HEADERS = ["序号", "县、市/部门", "单位名称", "存在突出问题"]
EXPIRING_SHEET = "即将超期"
EXPIRING_HEADERS = [
    "单位名称",
    "栏目名称",
    "栏目地址",
    "栏目类别",
    "最近更新日期",
    "更新时限",
    "超期日期",
    "剩余天数",
]


def _bar(title: str, sheet: Sheet, first: int, last: int, anchor: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.legend = None
    chart.y_axis.title = "网站数(个)"
    chart.height, chart.width = 7, 14
    data = Reference(sheet.ws, min_col=2, min_row=first, max_row=last)
    cats = Reference(sheet.ws, min_col=1, min_row=first, max_row=last)
    chart.add_data(data, titles_from_data=False)
    chart.set_categories(cats)
    sheet.ws.add_chart(chart, anchor)


def totals(wb: Workbook, report: Report, order: list[str]) -> None:
    """汇总: the round's figures, then per rating, per group, per problem kind, the change."""
    s = summarise(report, order)
    sheet = Sheet(wb, TOTALS_SHEET, TOTALS_HEADERS, [34, 12, 12])
    for label, value, share in [
        ("抽查网站(个)", s.sites, None),
        ("评分网站(个)", s.checked, None),
        ("合格(个)", s.passed, s.pass_rate),
        ("不合格(个)", s.failed, None),
        ("监测失败(个)", s.not_measured, None),
        ("总体合格率", s.pass_rate, None),
    ]:
        sheet.append([label, value, share])
    sheet.append(["评级分布", None, None])
    first = sheet.rows + 2
    for rating, n, share in s.ratings:
        sheet.append([f"{rating} 级", n, share])
    if s.ratings:
        _bar("评级分布", sheet, first, sheet.rows + 1, "E2")
    sheet.append(["分组(网站数 / 合格 / 不合格 / 合格率)", None, None])
    for group, n, p, f, rate in s.groups:
        sheet.append([f"{group}:网站{n}个,合格{p}个,不合格{f}个", n, rate])
    for label, value in s.averages:
        sheet.append([label, value, None])
    sheet.append(["问题类型(涉及网站数)", None, None])
    first = sheet.rows + 2
    for kind, n in s.kinds:
        sheet.append([kind, n, None])
    if s.kinds:
        _bar("问题类型", sheet, first, sheet.rows + 1, "E18")
    if s.previous:
        sheet.append(["与上轮比较", None, None])
        for label, value in s.previous:
            sheet.append([label, value, None])
    sheet.finish(autofilter=False)  # a list of figures, not a table to filter
    wb.move_sheet(sheet.ws, offset=-(len(wb.sheetnames) - 1))


def content_updates(wb: Workbook, report: Report, order: list[str]) -> None:
    """内容更新情况 (seed 000): newest date of each column group as YYYY.MM."""
    from analysis.overview import content_updates as rows

    sheet = Sheet(wb, CONTENT_SHEET, CONTENT_UPDATE_HEADERS, [26, 10, 10, 10, 10, 10], bulk=True)
    for row in rows(report, order):
        sheet.append(row, highlight=row[-1] in {"C", "无法打开"})
    sheet.finish()


def problems(wb: Workbook, report: Report, order: list[str]) -> None:
    """突出问题网站名单 (seed 003 附件3): failing sites with short problem labels."""
    sheet = Sheet(wb, PROBLEM_SHEET, PROBLEM_HEADERS, [6, 14, 30, 40], wrap=[4], bulk=True)
    for i, (group, name, labels) in enumerate(problem_sites(report, order), start=1):
        sheet.append([i, group or None, name, labels])
    sheet.finish()


def soon_stale(wb: Workbook, report: Report, order: list[str], days: int) -> None:
    """即将超期: columns that turn 未更新 within `days` of the time point."""
    sheet = Sheet(wb, EXPIRING_SHEET, EXPIRING_HEADERS, [24, 24, 40, 18, 12, 8, 12, 8],
                  links=[3], dates=[5, 7], bulk=True)  # fmt: skip
    for row in expiring(report, order, days):
        sheet.append(row, highlight=row[-1] <= 3)
    sheet.finish()


def write_overview_sheets(wb: Workbook, report: Report, order: list[str], days: int) -> None:
    """Add the four overview sheets (汇总 goes first)."""
    content_updates(wb, report, order)
    problems(wb, report, order)
    soon_stale(wb, report, order, days)
    totals(wb, report, order)
