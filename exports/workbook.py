"""The monitoring workbook analysts open (sheets in the style of the seed appendix tables)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from analysis.frames import tuples
from analysis.overview import verdicts
from analysis.report import Report
from exports.bulk import save
from exports.forked import ForkedRows
from exports.interaction_sheet import write_interaction_sheet
from exports.sheet import Sheet, unlinked_notes

SUMMARY_SHEET = "抽查情况表"
SUMMARY_HEADERS = ["序号", "单位名称", "抽查发现的突出问题", "得分", "结果", "分组"]
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
FINDINGS_HEADERS = ["单位名称", "指标", "问题", "扣分", "证据", "复核"]
RERUN_SHEET = "重新监测"
RERUN_HEADERS = ["序号", "单位名称", "原因", "重新抓取命令"]
RATING_SHEET = "评级汇总"
RATING_HEADERS = ["序号", "单位名称", "分组", "得分", "结果", "评级"]
NOTES_SHEET = "监测说明"
RECTIFY_SHEET = "整改情况"
RECTIFY_HEADERS = ["序号", "单位名称", "上轮", "上轮发现的问题", "整改情况"]
LINKS_SHEET = "链接明细"
LINKS_HEADERS = ["单位名称", "链接地址", "所在页面", "链接文字", "是否首页", "状态", "判定"]

VETO_CELL = "单项否决"
NO_SCORE_CELL = "—"
_STATUS_CELL = {"veto": VETO_CELL, "unmeasured": "未监测", "failed": "监测失败"}
_RESULT_ORDER = {"合格": 0, "不合格": 1, "监测失败": 2}


def _number(value: object) -> float | int | None:
    """A clean number for a cell: 98.8 rather than 98.80000000000001, 100 rather than 100.0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def ordered_sites(report: Report) -> pd.DataFrame:
    """Sites as the seed 001 appendix lists them: scored sites by 得分 (best first), then
    vetoed sites, then sites not monitored."""
    sites = report.sites.copy()
    if sites.empty:
        return sites
    # 待复测 passes keep their verdict 合格 for ordering (seed 001: by 得分, vetoes last)
    sites["_r"] = verdicts(sites).map(_RESULT_ORDER).fillna(3)
    sites["_r"] = sites["_r"].where(~sites["veto"].astype(bool), 1.5)
    sites["_s"] = [-(s if s is not None and not pd.isna(s) else -1) for s in sites["score"]]
    return sites.sort_values(["_r", "_s", "site_id"], kind="stable").drop(columns=["_r", "_s"])


def score_cell(row: Mapping[str, object] | pd.Series) -> object:
    """得分 as the seed tables write it: the number, 单项否决, or — when not monitored."""
    if bool(row["veto"]):
        return VETO_CELL
    number = _number(row["score"])
    return NO_SCORE_CELL if number is None else number


def in_order(frame: pd.DataFrame, order: list[str], *keys: str) -> pd.DataFrame:
    """Rows in the sites' order (then by `keys`), for the per-site detail sheets."""
    rank = {sid: i for i, sid in enumerate(order)}
    return frame.assign(_k=frame["site_id"].map(rank)).sort_values(["_k", *keys], kind="stable")


def _summary(wb: Workbook, sites: pd.DataFrame) -> None:
    sheet = Sheet(wb, SUMMARY_SHEET, SUMMARY_HEADERS, [6, 26, 80, 10, 10, 12], wrap=[3],
                  bulk=True)  # fmt: skip
    for i, row in enumerate(tuples(sites, index=False), start=1):
        values = [i, row.site_name, row.problems or None, score_cell(row._asdict()),
                  row.result, row.group or None]  # fmt: skip
        sheet.append(values, highlight=row.result == "不合格")
    sheet.finish()


def _columns(wb: Workbook, report: Report, order: list[str]) -> Callable[[], None]:
    """栏目明细, its rows written by a second process (exports.forked) when it is large;
    returns what finishes the sheet, to be called once the other sheets are written."""
    sheet = Sheet(wb, COLUMNS_SHEET, COLUMNS_HEADERS, [24, 28, 50, 20, 14, 8, 10, 10],
                  links=[3], dates=[5], bulk=True)  # fmt: skip

    def fill(sheet: Sheet) -> None:
        cols = report.columns
        for row in [] if cols.empty else tuples(in_order(cols, order), index=False):
            newest = row.newest_date if isinstance(row.newest_date, dt.date) else None
            age = None if row.age_days is None or pd.isna(row.age_days) else int(row.age_days)
            values = [row.site_name, row.display_name, row.url, row.category, newest,
                      int(row.item_count), row.status, age]  # fmt: skip
            sheet.append(values, highlight=row.status in {"未更新", "空白"})

    return ForkedRows(sheet, fill, len(report.columns)).finish


def _findings(wb: Workbook, report: Report, order: list[str]) -> None:
    sheet = Sheet(wb, FINDINGS_SHEET, FINDINGS_HEADERS, [24, 24, 50, 10, 90, 8], wrap=[3, 5],
                  bulk=True)  # fmt: skip
    found = report.findings
    for row in [] if found.empty else tuples(in_order(found, order, "order"), index=False):
        points = _STATUS_CELL.get(row.status, _number(row.points))
        review = getattr(row, "review", "") or None
        sheet.append([row.site_name, row.indicator, row.text, points, row.evidence or None, review])
    sheet.finish()


def _links(wb: Workbook, report: Report, order: list[str]) -> None:
    sheet = Sheet(wb, LINKS_SHEET, LINKS_HEADERS, [24, 60, 50, 24, 8, 24, 20], links=[2, 3],
                  bulk=True)  # fmt: skip
    links = report.links
    rows = [] if links is None or links.empty else tuples(in_order(links, order), index=False)
    for row in rows:
        home = "是" if row.on_home else "否"
        values = [row.site_name, row.url, row.page_url, row.text or None, home]
        sheet.append([*values, row.status_text, row.verdict_text])
    sheet.finish()


def _rerun(wb: Workbook, report: Report) -> None:
    sheet = Sheet(wb, RERUN_SHEET, RERUN_HEADERS, [6, 26, 60, 70], wrap=[3, 4], bulk=True)
    for i, item in enumerate(report.rerun, start=1):
        sheet.append([i, item.site_name, item.reason, item.command or None])
    sheet.finish()


def _rectification(wb: Workbook, report: Report, order: list[str]) -> None:
    sheet = Sheet(wb, RECTIFY_SHEET, RECTIFY_HEADERS, [6, 26, 10, 60, 22], wrap=[4], bulk=True)
    rows = report.rectification
    for i, row in enumerate(
        [] if rows.empty else tuples(in_order(rows, order), index=False), start=1
    ):
        sheet.append([i, row.site_name, row.previous_round, row.problem, row.status],
                     highlight=row.status == "未整改")  # fmt: skip
    sheet.finish()


def _ratings(wb: Workbook, sites: pd.DataFrame) -> None:
    sheet = Sheet(wb, RATING_SHEET, RATING_HEADERS, [6, 26, 14, 10, 10, 8], bulk=True)
    for i, row in enumerate(tuples(sites, index=False), start=1):
        sheet.append([i, row.site_name, row.group or None, score_cell(row._asdict()),
                      row.result, row.rating or None])  # fmt: skip
    sheet.finish()


def notes_rows(report: Report) -> list[tuple[str, object]]:
    """监测说明: the round's settings and counts."""
    results = verdicts(report.sites).value_counts() if not report.sites.empty else {}
    return [
        ("监测时间点", report.as_of),
        ("评分规则", f"{report.profile_name} {report.profile_description}".strip()),
        ("监测轮次", report.round or "各站点最新一次抓取"),
        ("合格线", _number(report.pass_mark)),
        ("站点数", len(report.sites)),
        ("合格", int(results.get("合格", 0))),
        ("不合格", int(results.get("不合格", 0))),
        ("监测失败", int(results.get("监测失败", 0))),
        ("未监测(监测时间点前无快照)", int(results.get("未监测", 0))),
        ("本轮未监测的指标", "、".join(report.unmeasured) or "无"),
        ("说明", "未监测的指标不扣分也不视为达标;监测失败的站点不评分,已列入“重新监测”。"),
    ]


def _notes(wb: Workbook, report: Report) -> None:
    sheet = Sheet(wb, NOTES_SHEET, ["项目", "内容"], [20, 90], wrap=[2])
    from exports.review_sheet import overruled_notes

    for key, value in [*notes_rows(report), *overruled_notes(report), *unlinked_notes(wb)]:
        sheet.append([key, value])
    sheet.finish()


def write_workbook(report: Report, path: str | Path, warn_days: int = 14) -> Path:
    """Write the monitoring workbook; returns the path written."""
    from exports.overview_sheets import write_overview_sheets

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    sites = ordered_sites(report)
    order = list(sites["site_id"]) if not sites.empty else []
    _summary(wb, sites)
    _findings(wb, report, order)
    finish_columns = _columns(wb, report, order)  # written beside the sheets below
    _links(wb, report, order)
    finish_interaction = write_interaction_sheet(wb, report, order)  # the same
    _rerun(wb, report)
    _rectification(wb, report, order)
    _ratings(wb, sites)
    write_overview_sheets(wb, report, order, warn_days)
    from exports.review_sheet import review_sheet

    review_sheet(wb, report, order)
    finish_columns()
    finish_interaction()
    _notes(wb, report)  # last: it names the sheets whose URLs went past Excel's link limit
    save(wb, path)  # with the bulk sheets' rows
    return path
