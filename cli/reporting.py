"""What `govspider report` adds around the workbook: the printed summary, --warn-days,
--notice (draft 通报), --unit (one unit's own workbook)."""

from __future__ import annotations

import argparse

from analysis.overview import summarise
from analysis.report import Report
from exports.workbook import ordered_sites


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """The report command's options beyond the workbook itself."""
    parser.add_argument(
        "--warn-days", type=int, default=14, help="即将超期: 监测时间点后几天内将超期 (默认 14)"
    )
    parser.add_argument("--notice", metavar="FILE.docx", help="另写一份通报草稿 (Word)")
    parser.add_argument("--unit", help="只写这个单位的自查表 (单位名称或编号), 写入 --out")


def summary_lines(report: Report, worst: int = 5) -> list[str]:
    """A short summary for the terminal: sites, 合格率, the worst sites."""
    sites = ordered_sites(report)
    order = list(sites["site_id"]) if not sites.empty else []
    s = summarise(report, order, worst=worst)
    lines = [
        f"本轮抽查网站{s.sites}个:评分{s.checked}个,合格{s.passed}个,不合格{s.failed}个,"
        f"监测失败{s.not_measured}个;总体合格率{s.pass_rate}。"
    ]
    if s.worst:
        lines.append("得分最低的网站:")
        for name, score, result in s.worst:
            shown = f"{round(score, 2):g}" if isinstance(score, float) else score
            lines.append(f"  {name}  {shown}  {result}")
    return lines


def after_report(report: Report, args: argparse.Namespace) -> None:
    """--notice: the draft 通报 from the same report."""
    if getattr(args, "notice", None):
        from exports.notice import write_notice

        print(f"通报草稿已写入: {write_notice(report, args.notice)}")


def write_unit(report: Report, args: argparse.Namespace) -> int:
    """--unit: the unit's own findings, evidence and 即将超期 columns, into --out."""
    from exports.unit import write_unit_workbook

    path = write_unit_workbook(report, args.unit, args.out, warn_days=args.warn_days)
    print(f"{args.unit} 的自查表已写入: {path}")
    return 0
