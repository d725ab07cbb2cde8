"""复核: each problem finding with its id, for analysts to mark 误报 or 属实 and import."""

from __future__ import annotations

import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from analysis.frames import tuples
from analysis.report import Report
from analysis.review import REVIEW_HEADERS, REVIEW_SHEET, REVIEWABLE, VERDICTS
from exports.sheet import Sheet


def review_sheet(wb: Workbook, report: Report, order: list[str]) -> None:
    """One row per veto or deduction finding; confirmed ones are filled in as 属实."""
    sheet = Sheet(wb, REVIEW_SHEET, REVIEW_HEADERS, [30, 24, 20, 40, 8, 60, 10, 30, 10],
                  wrap=[4, 6], bulk=True)  # fmt: skip
    found = report.findings
    if not found.empty and "finding_id" in found:
        rank = {sid: i for i, sid in enumerate(order)}
        found = found[found["status"].isin(REVIEWABLE)]
        found = found.assign(_k=found["site_id"].map(rank)).sort_values(["_k", "order"])
        for r in tuples(found, index=False):
            points = "单项否决" if r.status == "veto" else r.points
            if isinstance(points, float) and math.isnan(points):
                points = None
            confirmed = r.review or None
            sheet.append([r.finding_id, r.site_name, r.indicator, r.text, points,
                          r.evidence or None, confirmed, None, None])  # fmt: skip
    check = DataValidation(type="list", formula1=f'"{",".join(VERDICTS)}"', allow_blank=True)
    check.error, check.errorTitle = "复核结论应为 误报 或 属实", "复核结论"
    sheet.ws.add_data_validation(check)
    check.add(f"G2:G{max(sheet.rows + 1, 2) + 500}")
    sheet.finish()


def overruled_notes(report: Report) -> list[tuple[str, str]]:
    """监测说明 rows: each finding left out as 误报, with who decided and why."""
    rows = report.overruled
    if rows is None or rows.empty:
        return [("复核改判", "无")]
    out = []
    for r in rows.itertuples(index=False):
        when = pd.Timestamp(r.decided_at).strftime("%Y-%m-%d") if r.decided_at else ""
        who = f"复核人 {r.reviewer} {when};{r.note or '无说明'}"
        out.append(("复核改判(误报,未计入)", f"{r.site_name}:{r.text}({who})"))
    return out
