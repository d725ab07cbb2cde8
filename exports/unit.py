"""One unit's own workbook (自查表): its findings, evidence, columns and 即将超期 columns."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from openpyxl import Workbook

from analysis.report import Report
from exports import overview_sheets, workbook
from exports.bulk import save

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# names Windows keeps for devices, with or without an extension
_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?", re.I)
MAX_NAME_BYTES = 150  # well under the 255 bytes a file name may have, with 自查- and .xlsx


def safe_file_name(name: str, fallback: str = "unit") -> str:
    """A unit or site name as one file name: path separators, characters Windows refuses
    and control characters become _, no leading or trailing dots or spaces (so never
    '..'), no device name, at most MAX_NAME_BYTES bytes of UTF-8."""
    safe = _UNSAFE.sub("_", name).strip(". ")
    if _RESERVED.fullmatch(safe):
        safe = f"_{safe}"
    while len(safe.encode("utf-8")) > MAX_NAME_BYTES:
        safe = safe[:-1]
    return safe.rstrip(". ") or fallback


def unit_report(report: Report, unit: str) -> Report:
    """The report cut down to the one site whose 单位名称 or id is `unit`."""
    sites = report.sites
    mine = sites[(sites["site_name"] == unit) | (sites["site_id"] == unit)]
    if mine.empty:
        raise ValueError(f"本轮报告中没有单位“{unit}”(请用站点名单中的单位名称或编号)")
    ids = set(mine["site_id"])

    def cut(frame):  # noqa: ANN001, ANN202 - a DataFrame with site_id
        if frame is None or frame.empty or "site_id" not in frame:
            return frame
        return frame[frame["site_id"].isin(ids)]

    return dataclasses.replace(
        report,
        sites=mine,
        columns=cut(report.columns),
        findings=cut(report.findings),
        links=cut(report.links),
        rectification=cut(report.rectification),
        rerun=[r for r in report.rerun if r.site_id in ids],
    )


def write_unit_workbook(report: Report, unit: str, path: str | Path, warn_days: int = 14) -> Path:
    """Write the unit's workbook; returns the path (a folder path gets 自查-<单位>.xlsx)."""
    mine = unit_report(report, unit)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        name = str(mine.sites["site_name"].iloc[0])
        path = path / f"自查-{safe_file_name(name)}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    sites = workbook.ordered_sites(mine)
    order = list(sites["site_id"])
    workbook._summary(wb, sites)
    workbook._findings(wb, mine, order)
    overview_sheets.soon_stale(wb, mine, order, warn_days)
    workbook._columns(wb, mine, order)()  # written and finished here
    workbook._links(wb, mine, order)
    workbook._rectification(wb, mine, order)
    workbook._notes(wb, mine)
    save(wb, path)  # with the bulk sheets' rows
    return path
