"""The monitoring workbook analysts open (sheets in the style of the seed appendix tables)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis.report import Report
from exports.interaction_sheet import write_interaction_sheet

SUMMARY_SHEET = "抽查情况表"
SUMMARY_HEADERS = ["序号", "单位名称", "抽查发现的突出问题", "得分", "结果"]
COLUMNS_SHEET = "栏目明细"
COLUMNS_HEADERS = [
    "单位名称",
    "栏目名称",
    "栏目地址",
    "栏目类别",
    "最近更新日期",
    "条目数",
    "状态",
    "距监测时间点天数",
]
FINDINGS_SHEET = "扣分明细"
FINDINGS_HEADERS = ["单位名称", "指标", "问题", "扣分", "证据"]
RERUN_SHEET = "重新监测"
RERUN_HEADERS = ["序号", "单位名称", "原因", "重新抓取命令"]
RATING_SHEET = "评级汇总"
RATING_HEADERS = ["序号", "单位名称", "分组", "得分", "结果", "评级"]
NOTES_SHEET = "监测说明"
RECTIFY_SHEET = "整改情况"
RECTIFY_HEADERS = ["序号", "单位名称", "上轮", "上轮发现的问题", "整改情况"]
LINKS_SHEET = "链接明细"
LINKS_HEADERS = ["单位名称", "链接地址", "所在页面", "链接文字", "是否首页", "状态", "判定"]

DATE_FORMAT = "yyyy-mm-dd"
VETO_CELL = "单项否决"
NO_SCORE_CELL = "—"
_STATUS_CELL = {"veto": VETO_CELL, "unmeasured": "未监测", "failed": "监测失败"}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_RESULT_ORDER = {"合格": 0, "不合格": 1, "监测失败": 2}


def _number(value: object) -> float | int | None:
    """A clean number for a cell: 98.8 rather than 98.80000000000001, 100 rather than 100.0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def _sheet(wb: Workbook, title: str, headers: list[str], widths: list[int]) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.append(headers)
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    return ws


def ordered_sites(report: Report) -> pd.DataFrame:
    """Sites as the table lists them: by group, scored sites best first, then vetoes, failures."""
    sites = report.sites.copy()
    if sites.empty:
        return sites
    group_rank = {g: i for i, g in enumerate(dict.fromkeys(sites["group"].fillna("")))}
    sites["_g"] = sites["group"].fillna("").map(group_rank)
    sites["_r"] = sites["result"].map(_RESULT_ORDER).fillna(3)
    sites["_r"] = sites["_r"].where(~sites["veto"].astype(bool), 1.5)
    sites["_s"] = [-(s if s is not None and not pd.isna(s) else -1) for s in sites["score"]]
    return sites.sort_values(["_g", "_r", "_s", "site_id"], kind="stable").drop(
        columns=["_g", "_r", "_s"]
    )


def score_cell(row: pd.Series) -> object:
    """得分 as the seed tables write it: the number, 单项否决, or — when not monitored."""
    if bool(row["veto"]):
        return VETO_CELL
    number = _number(row["score"])
    return NO_SCORE_CELL if number is None else number


def _summary(wb: Workbook, report: Report, sites: pd.DataFrame) -> None:
    ws = _sheet(wb, SUMMARY_SHEET, SUMMARY_HEADERS, [6, 26, 80, 10, 10])
    for i, row in enumerate(sites.itertuples(index=False), start=1):
        ws.append(
            [
                i,
                row.site_name,
                row.problems or None,
                score_cell(pd.Series(row._asdict())),
                row.result,
            ]
        )
        ws.cell(row=ws.max_row, column=3).alignment = _WRAP


def _columns(wb: Workbook, report: Report, order: list[str]) -> None:
    ws = _sheet(wb, COLUMNS_SHEET, COLUMNS_HEADERS, [24, 28, 50, 20, 14, 8, 10, 10])
    cols = report.columns
    if cols.empty:
        return
    rank = {sid: i for i, sid in enumerate(order)}
    cols = cols.assign(_k=cols["site_id"].map(rank)).sort_values("_k", kind="stable")
    for row in cols.itertuples(index=False):
        newest = row.newest_date if isinstance(row.newest_date, dt.date) else None
        age = None if row.age_days is None or pd.isna(row.age_days) else int(row.age_days)
        ws.append(
            [
                row.site_name,
                row.display_name,
                row.url,
                row.category,
                newest,
                int(row.item_count),
                row.status,
                age,
            ]
        )
        r = ws.max_row
        ws.cell(row=r, column=5).number_format = DATE_FORMAT
        if row.url:
            ws.cell(row=r, column=3).hyperlink = row.url


def _findings(wb: Workbook, report: Report, order: list[str]) -> None:
    ws = _sheet(wb, FINDINGS_SHEET, FINDINGS_HEADERS, [24, 24, 50, 10, 90])
    found = report.findings
    if found.empty:
        return
    rank = {sid: i for i, sid in enumerate(order)}
    found = found.assign(_k=found["site_id"].map(rank)).sort_values(["_k", "order"], kind="stable")
    for row in found.itertuples(index=False):
        points = _STATUS_CELL.get(row.status, _number(row.points))
        ws.append([row.site_name, row.indicator, row.text, points, row.evidence or None])
        ws.cell(row=ws.max_row, column=5).alignment = _WRAP


def _links(wb: Workbook, report: Report, order: list[str]) -> None:
    ws = _sheet(wb, LINKS_SHEET, LINKS_HEADERS, [24, 60, 50, 24, 8, 24, 20])
    links = report.links
    if links is None or links.empty:
        return
    rank = {sid: i for i, sid in enumerate(order)}
    links = links.assign(_k=links["site_id"].map(rank)).sort_values("_k", kind="stable")
    for row in links.itertuples(index=False):
        ws.append([row.site_name, row.url, row.page_url, row.text or None,
                   "是" if row.on_home else "否", row.status_text, row.verdict_text])  # fmt: skip
        ws.cell(row=ws.max_row, column=2).hyperlink = row.url


def _rerun(wb: Workbook, report: Report) -> None:
    ws = _sheet(wb, RERUN_SHEET, RERUN_HEADERS, [6, 26, 60, 70])
    for i, item in enumerate(report.rerun, start=1):
        ws.append([i, item.site_name, item.reason, item.command or None])


def _rectification(wb: Workbook, report: Report, order: list[str]) -> None:
    ws = _sheet(wb, RECTIFY_SHEET, RECTIFY_HEADERS, [6, 26, 10, 60, 22])
    rows = report.rectification
    if rows.empty:
        return
    rank = {sid: i for i, sid in enumerate(order)}
    rows = rows.assign(_o=rows["site_id"].map(rank)).sort_values("_o", kind="stable")
    for i, row in enumerate(rows.itertuples(index=False), start=1):
        ws.append([i, row.site_name, row.previous_round, row.problem, row.status])
        ws.cell(row=ws.max_row, column=4).alignment = _WRAP


def _ratings(wb: Workbook, sites: pd.DataFrame) -> None:
    ws = _sheet(wb, RATING_SHEET, RATING_HEADERS, [6, 26, 14, 10, 10, 8])
    for i, row in enumerate(sites.itertuples(index=False), start=1):
        ws.append(
            [
                i,
                row.site_name,
                row.group or None,
                score_cell(pd.Series(row._asdict())),
                row.result,
                row.rating or None,
            ]
        )


def _notes(wb: Workbook, report: Report) -> None:
    ws = _sheet(wb, NOTES_SHEET, ["项目", "内容"], [20, 90])
    results = report.sites["result"].value_counts() if not report.sites.empty else {}
    rows = [
        ("监测时间点", report.as_of),
        ("评分规则", f"{report.profile_name} {report.profile_description}".strip()),
        ("监测轮次", report.round or "各站点最新一次抓取"),
        ("合格线", _number(report.pass_mark)),
        ("站点数", len(report.sites)),
        ("合格", int(results.get("合格", 0))),
        ("不合格", int(results.get("不合格", 0))),
        ("监测失败", int(results.get("监测失败", 0))),
        ("本轮未监测的指标", "、".join(report.unmeasured) or "无"),
        ("说明", "未监测的指标不扣分也不视为达标;监测失败的站点不评分,已列入“重新监测”。"),
    ]
    for key, value in rows:
        ws.append([key, value])
        if isinstance(value, dt.date):
            ws.cell(row=ws.max_row, column=2).number_format = DATE_FORMAT
        ws.cell(row=ws.max_row, column=2).alignment = _WRAP


def write_workbook(report: Report, path: str | Path) -> Path:
    """Write the monitoring workbook; returns the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    sites = ordered_sites(report)
    order = list(sites["site_id"]) if not sites.empty else []
    _summary(wb, report, sites)
    _findings(wb, report, order)
    _columns(wb, report, order)
    _links(wb, report, order)
    write_interaction_sheet(wb, report, order)
    _rerun(wb, report)
    _rectification(wb, report, order)
    _ratings(wb, sites)
    _notes(wb, report)
    wb.save(path)
    return path
