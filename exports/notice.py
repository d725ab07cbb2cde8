"""A draft 通报 (Word) in the seed documents' structure, every figure from one Report."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from analysis.overview import problem_sites, sites_by_kind, summarise
from analysis.report import Report
from analysis.text import fullwidth
from exports.sheet import FONT_NAME, plain
from exports.workbook import SUMMARY_HEADERS, ordered_sites, score_cell

_NUMBERS = "一二三四五六七八九十"


def _cn(i: int) -> str:
    return _NUMBERS[i] if i < len(_NUMBERS) else str(i + 1)


def _text(value: object) -> str:
    value = plain(value)
    return "" if value is None else str(value)


def _table(doc: Document, headers: list[str], rows: list[list[object]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, headers, strict=True):
        cell.text = head
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _text(value)  # plain text runs: never a field or formula


def overall_paragraphs(report: Report, order: list[str]) -> list[str]:
    """一、总体情况: the round's figures as sentences, in a 通报's full-width punctuation."""
    return [fullwidth(text) for text in _overall(report, order)]


def _overall(report: Report, order: list[str]) -> list[str]:
    s = summarise(report, order)
    when = report.as_of.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")
    out = [
        f"截至{when}(监测时间点),本次共抽查政府网站{s.sites}个,其中完成评分{s.checked}个,"
        f"合格{s.passed}个,不合格{s.failed}个,总体合格率{s.pass_rate}"
        + (f";另有{s.not_measured}个网站监测失败,需重新监测。" if s.not_measured else "。")
    ]
    if s.ratings:
        out.append(
            ";".join(f"获得 {r} 级评级的网站 {n} 个,占 {share}" for r, n, share in s.ratings) + "。"
        )
    for group, n, p, f, rate in s.groups:
        out.append(f"{group}:抽查网站{n}个,合格{p}个,不合格{f}个,合格率{rate}。")
    out.append(",".join(f"{label}{value}" for label, value in s.averages) + "。")
    if s.previous:
        prev = dict(s.previous)
        out.append(
            f"与上轮相比:上轮发现问题{prev['上轮发现问题(个)']}个,已整改{prev['上轮问题已整改(个)']}个,"
            f"整改率{prev['整改率']};平均每网站问题由{prev['上轮平均每网站问题(个)']}个"
            f"变为{prev['本轮平均每网站问题(个)']}个(降低{prev['平均每网站问题降低']})。"
        )
    return out


def write_notice(report: Report, path: str | Path) -> Path:
    """Write the draft 通报; returns the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sites = ordered_sites(report)
    order = list(sites["site_id"]) if not sites.empty else []
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT_NAME, Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_NAME)
    title = report.round or report.as_of.isoformat()
    doc.add_heading(f"关于{title}政府网站抽查情况的通报(草稿)", level=1)
    doc.add_paragraph(
        fullwidth(
            f"按照政府网站检查指标({report.profile_name}),对政府网站进行了抽查,现将有关情况通报如下:"
        )
    )
    doc.add_heading("一、总体情况", level=2)
    for text in overall_paragraphs(report, order):
        doc.add_paragraph(text)
    doc.add_heading("二、存在的主要问题", level=2)
    kinds = sites_by_kind(report, order)
    if not kinds:
        doc.add_paragraph("本次抽查未发现扣分问题。")
    for i, (kind, names) in enumerate(kinds):
        doc.add_paragraph(
            fullwidth(f"（{_cn(i)}）{kind}。涉及网站{len(names)}个:{'、'.join(names)}。")
        )
    doc.add_heading("附件1 抽查情况表", level=2)
    rows = [
        [i, r.site_name, r.problems or "", score_cell(r), r.result, r.group or ""]
        for i, (_, r) in enumerate(sites.iterrows(), start=1)
    ]
    _table(doc, SUMMARY_HEADERS, rows)
    doc.add_heading("附件2 存在突出问题的政府网站名单", level=2)
    listed = problem_sites(report, order)
    _table(doc, ["序号", "县、市/部门", "单位名称", "存在突出问题"],
           [[i, g, n, labels] for i, (g, n, labels) in enumerate(listed, start=1)])  # fmt: skip
    doc.save(path)
    return path
