"""The workbook read back with openpyxl: sheets, headers, rows, date cells, sums."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_analysis_report import AS_OF, entry, snap

from analysis.report import build_report
from exports.tables import write_csv, write_json
from exports.workbook import write_workbook
from govspider.items import Column
from pipelines.db import make_engine, save_snapshot


@pytest.fixture
def workbook(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    home12 = [entry(2, i, "h") for i in range(12)]
    save_snapshot(
        engine,
        snap(
            "a_ok",
            "通山县人民政府",
            group="县市区",
            home_entries=home12,
            columns=[Column("工作动态", "http://a/gzdt", entries=[entry(3)])],
        ),
    )
    save_snapshot(
        engine,
        snap(
            "b_ded",
            "市教育局",
            home_entries=home12[:4],
            columns=[
                Column("工作动态", "http://b/gzdt", entries=[entry(20), entry(25, 1)]),
                Column("领导班子", "http://b/ldbz", blank=True),
                Column("组织机构", "http://b/zzjg", blank=True),
            ],
        ),
    )
    save_snapshot(engine, snap("c_veto", "市招商局", home_entries=[entry(30)]))
    # a site whose home page failed has no column (snap() would give it a default one)
    save_snapshot(engine, snap("d_fail", "市水利局", status="failed", home_status=503, columns=[]))
    extra = pd.DataFrame(
        [
            {"site_id": "b_ded", "broken_links_other": 3},
            {"site_id": "a_ok", "broken_links_other": 0},
            {"site_id": "c_veto", "broken_links_other": 0},
        ]
    )
    report = build_report(engine, AS_OF, extra_facts=extra)
    engine.dispose()
    path = write_workbook(report, tmp_path / "out" / "监测报告.xlsx")
    return report, openpyxl.load_workbook(path), tmp_path


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_summary_sheet(workbook) -> None:
    _, wb, _ = workbook
    table = rows(wb["抽查情况表"])
    assert table[0] == ("序号", "单位名称", "抽查发现的突出问题", "得分", "结果", "分组")
    body = {r[1]: r[:5] for r in table[1:]}
    assert [r[0] for r in table[1:]] == [1, 2, 3, 4]
    assert body["通山县人民政府"][2:] == (None, 100, "合格")
    # 首页<10 (5) + 工作动态 (3) + 2 blank (10) + 3 broken links (0.3)
    assert body["市教育局"][2:] == (
        "1.首页栏目信息更新总量少于10条；2.不可用链接数3个；3.2周内工作动态栏目未更新；"
        "4.领导班子、组织机构空白。",
        81.7,
        "合格",
    )
    assert body["市招商局"][2:] == ("2周内首页栏目信息更新总量为0。", "单项否决", "不合格")
    assert body["市水利局"][2:] == ("首页无法获取(HTTP 503)，需重新监测。", "—", "监测失败")


def test_summary_score_is_100_minus_the_findings_rows(workbook) -> None:
    _, wb, _ = workbook
    findings = rows(wb["扣分明细"])
    assert findings[0] == ("单位名称", "指标", "问题", "扣分", "证据", "复核")
    total: dict[str, float] = defaultdict(float)
    for name, _ind, text, pts, evidence, _review in findings[1:]:
        assert text and evidence
        if isinstance(pts, int | float):
            total[name] += pts
        else:
            assert pts in {"单项否决", "未监测", "监测失败"}
    checked = 0
    for _, name, _p, score, _r, _g in rows(wb["抽查情况表"])[1:]:
        if isinstance(score, int | float):
            assert score == pytest.approx(100 - total[name])
            checked += 1
    assert checked == 2
    vetoes = [r for r in findings[1:] if r[3] == "单项否决"]
    assert [(r[0], r[1]) for r in vetoes] == [("市招商局", "首页不更新")]


def test_columns_sheet_with_real_date_cells(workbook) -> None:
    report, wb, _ = workbook
    ws = wb["栏目明细"]
    head = rows(ws)[0]
    assert head[:7] == (
        "单位名称",
        "栏目名称",
        "栏目地址",
        "栏目类别",
        "最近更新日期",
        "条目数",
        "状态",
    )
    data = rows(ws)[1:]
    # a_ok 1, b_ded 3, c_veto snap()'s default 工作动态; the failed d_fail none
    assert len(data) == len(report.columns) == 5
    by_url = {r[2]: r for r in data}
    assert by_url["http://b/gzdt"][1:] == (
        "工作动态",
        "http://b/gzdt",
        "动态要闻类",
        dt.datetime.combine(AS_OF - dt.timedelta(days=20), dt.time()),
        2,
        "未更新",
        20,
    )
    assert by_url["http://b/ldbz"][4:7] == (None, 0, "空白")
    for i in range(2, ws.max_row + 1):
        cell = ws.cell(row=i, column=5)
        if cell.value is not None:
            assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_rerun_and_rating_sheets(workbook) -> None:
    _, wb, _ = workbook
    assert rows(wb["重新监测"])[1:] == [(1, "市水利局", "首页无法获取(HTTP 503)，需重新监测", None)]
    ratings = {r[1]: r[5] for r in rows(wb["评级汇总"])[1:]}
    assert ratings == {"通山县人民政府": "A", "市教育局": "B", "市招商局": "C", "市水利局": None}
    notes = dict(rows(wb["监测说明"])[1:])
    assert notes["监测时间点"].date() == AS_OF
    assert "互动访谈类栏目(1年内互动访谈活动次数)" in notes["本轮未监测的指标"]
    assert "链接可用性(首页确认不可用的链接数)" in notes["本轮未监测的指标"]
    assert "首页以外" not in notes["本轮未监测的指标"]


def test_csv_and_json_carry_the_same_findings(workbook) -> None:
    report, _, tmp = workbook
    paths = write_csv(report, tmp / "csv")
    findings = pd.read_csv(tmp / "csv" / "findings.csv", encoding="utf-8-sig")
    assert len(paths) == 4 and len(findings) == len(report.findings)
    doc = json.loads(write_json(report, tmp / "r.json").read_text("utf-8"))
    assert doc["as_of"] == AS_OF.isoformat()
    assert [s["result"] for s in doc["sites"]] == list(report.sites["result"])
    assert len(doc["findings"]) == len(report.findings)
