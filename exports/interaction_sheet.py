"""The 互动与服务 sheet: interaction and service channels per site, then what the page
checks found (wording errors, forbidden words, masked personal data) with evidence."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from analysis.report import Report

SHEET = "互动与服务"
HEADERS = [
    "单位名称", "渠道/事项", "类别", "地址", "最近回复日期", "超期未回复数", "缺少要素",
    "1年内条数", "最近日期", "证据",
]  # fmt: skip
WIDTHS = [24, 30, 14, 50, 14, 12, 12, 10, 14, 80]
PAGE_CHECK_HEADERS = ["单位名称", "检查项", "页面地址", "发现内容", "正确写法", "所在语句"]
DATE_FORMAT = "yyyy-mm-dd"


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def write_interaction_sheet(wb: Workbook, report: Report, order: list[str]) -> None:
    """Append the 互动与服务 sheet; sites in the summary's order."""
    ws = wb.create_sheet(SHEET)
    ws.append(HEADERS)
    for i, width in enumerate(WIDTHS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    rank = {sid: i for i, sid in enumerate(order)}
    table = report.interaction
    if not table.empty:
        table = table.assign(_o=table["site_id"].map(rank)).sort_values("_o", kind="stable")
        for r in table.itertuples():
            ws.append(
                [
                    r.site_name, r.channel, r.category, r.url, _cell(r.latest_reply),
                    _cell(r.overdue), _cell(r.missing_elements), _cell(r.items_1y),
                    _cell(r.newest_date), r.evidence,
                ]
            )  # fmt: skip
            if isinstance(r.newest_date, dt.date):
                ws.cell(row=ws.max_row, column=9).number_format = DATE_FORMAT
    checks = report.page_checks
    if checks.empty:
        return
    ws.append([])
    ws.append(PAGE_CHECK_HEADERS)
    for i in range(1, len(PAGE_CHECK_HEADERS) + 1):
        ws.cell(row=ws.max_row, column=i).font = Font(bold=True)
    checks = checks.assign(_o=checks["site_id"].map(rank)).sort_values("_o", kind="stable")
    for r in checks.itertuples():
        ws.append([r.site_name, r.check, r.page_url, r.found, r.correct, r.context])
        ws.cell(row=ws.max_row, column=6).alignment = Alignment(wrap_text=True, vertical="top")
