"""The 互动与服务 sheet (interaction and service channels per site) and the 页面检查 sheet
(wording errors, forbidden words, masked personal data, with evidence)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from openpyxl import Workbook

from analysis.frames import tuples
from analysis.report import Report
from exports.forked import ForkedRows
from exports.sheet import Sheet

SHEET = "互动与服务"
HEADERS = [
    "单位名称", "渠道/事项", "类别", "地址", "最近回复日期", "超期未回复数", "缺少要素",
    "1年内条数", "最近日期", "证据",
]  # fmt: skip
WIDTHS = [24, 30, 14, 50, 14, 12, 12, 10, 14, 80]
PAGE_CHECK_SHEET = "页面检查"
PAGE_CHECK_HEADERS = ["单位名称", "检查项", "页面地址", "发现内容", "正确写法", "所在语句"]
PAGE_CHECK_WIDTHS = [24, 16, 50, 24, 24, 80]


def _in_order(table: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    rank = {sid: i for i, sid in enumerate(order)}
    return table.assign(_o=table["site_id"].map(rank)).sort_values("_o", kind="stable")


def write_interaction_sheet(wb: Workbook, report: Report, order: list[str]) -> Callable[[], None]:
    """Append 互动与服务 and 页面检查; sites in the summary's order. Crawled text goes
    through Sheet, which keeps formula-like text as text. The 互动与服务 rows are written
    by a second process when many (exports.forked): returns what finishes that sheet."""
    sheet = Sheet(wb, SHEET, HEADERS, WIDTHS, wrap=[10], links=[4], dates=[5, 9], bulk=True)
    table = report.interaction

    def fill(sheet: Sheet) -> None:
        for r in [] if table.empty else tuples(_in_order(table, order)):
            sheet.append([
                r.site_name, r.channel, r.category, r.url, r.latest_reply, r.overdue,
                r.missing_elements, r.items_1y, r.newest_date, r.evidence,
            ])  # fmt: skip

    rows = ForkedRows(sheet, fill, len(table))
    checks = report.page_checks
    sheet = Sheet(
        wb, PAGE_CHECK_SHEET, PAGE_CHECK_HEADERS, PAGE_CHECK_WIDTHS, wrap=[6], links=[3], bulk=True
    )
    if not checks.empty:
        for r in tuples(_in_order(checks, order)):
            sheet.append([r.site_name, r.check, r.page_url, r.found, r.correct, r.context])
    sheet.finish()
    return rows.finish
