"""Comparison with the previous round: layout changes are monitoring failures, not findings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from analysis.report import build_report
from govspider.items import Column, Entry, SiteSnapshot
from pipelines.db import make_engine, save_snapshot
from pipelines.models import CrawlRun

AS_OF = dt.date(2026, 6, 30)
FRESH = dt.date(2026, 6, 25)


def column(name: str, slug: str, items: int, newest: dt.date = FRESH) -> Column:
    entries = [
        Entry(f"{name}信息{i}", f"http://a.gov.cn/{slug}/{i}.html", newest - dt.timedelta(days=i))
        for i in range(items)
    ]
    return Column(name=name, url=f"http://a.gov.cn/{slug}/", path=[name], entries=entries,
                  blank=not entries)  # fmt: skip


def snapshot(round_name: str, columns: list[Column], crawled: dt.datetime) -> SiteSnapshot:
    day = crawled.date() - dt.timedelta(days=2)
    home = [Entry(f"要闻{i}", f"http://a.gov.cn/yw/{i}.html", day) for i in range(12)]
    return SiteSnapshot(site_id="a", site_name="甲局", home_url="http://a.gov.cn/",
                        round=round_name, crawled_at=crawled, columns=columns,
                        home_entries=home)  # fmt: skip


def five_columns(empty: set[str] = frozenset()) -> list[Column]:
    names = {"gzdt": "工作动态", "tzgg": "通知公告", "zcjd": "政策解读", "ldbz": "领导班子",
             "zcwj": "政策文件"}  # fmt: skip
    return [column(n, s, 0 if s in empty else 3) for s, n in names.items()]


def report_for(tmp_path, previous: list[Column], current: list[Column], run_args=None):
    engine = make_engine(f"sqlite:///{tmp_path / 'h.db'}")
    save_snapshot(engine, snapshot("2026Q1", previous, dt.datetime(2026, 3, 20, 9)))
    run_id = None
    if run_args is not None:
        with Session(engine) as s, s.begin():
            run = CrawlRun(round="2026Q2", started_at=dt.datetime(2026, 6, 30, 9), args=run_args)
            s.add(run)
            s.flush()
            run_id = run.id
    save_snapshot(engine, snapshot("2026Q2", current, dt.datetime(2026, 6, 30, 9)), run_id)
    report = build_report(engine, AS_OF)
    engine.dispose()
    return report


def test_site_with_far_fewer_columns_is_a_monitoring_failure(tmp_path):
    report = report_for(tmp_path, five_columns(), [column("工作动态", "gzdt", 3)])
    site = report.sites.iloc[0]
    assert site["result"] == "监测失败"
    assert site["score"] is None
    assert "疑似网站改版：上轮抓取到5个栏目，本轮1个" in site["problems"]
    assert [r.site_id for r in report.rerun] == ["a"]


def test_site_keeping_most_columns_is_scored(tmp_path):
    current = five_columns()[:3]  # 3 of 5: not under half
    report = report_for(tmp_path, five_columns(), current)
    assert report.sites.iloc[0]["result"] == "合格"


def test_column_emptied_since_last_round_is_not_reported_blank(tmp_path):
    report = report_for(tmp_path, five_columns(), five_columns(empty={"ldbz"}))
    cols = report.columns.set_index("name")
    assert cols.loc["领导班子", "status"] == "监测失败"
    assert "疑似栏目改版: 上轮有3条信息,本轮0条" in cols.loc["领导班子", "error"]
    site = report.sites.iloc[0]
    assert site["score"] == 100
    assert "空白" not in site["problems"] and "1个栏目监测失败" in site["problems"]


def test_column_blank_in_both_rounds_is_blank(tmp_path):
    report = report_for(tmp_path, five_columns(empty={"ldbz"}), five_columns(empty={"ldbz"}))
    cols = report.columns.set_index("name")
    assert cols.loc["领导班子", "status"] == "空白"
    assert report.sites.iloc[0]["score"] == 95


def test_rerun_names_the_command_with_the_site_list_used(tmp_path):
    report = report_for(
        tmp_path, five_columns(), [column("工作动态", "gzdt", 3)], {"sites": "/srv/名单.yaml"}
    )
    assert report.rerun[0].command == "govspider crawl --sites '/srv/名单.yaml' --site a"


Q1_FRESH = dt.date(2026, 3, 18)


def stale_column(name: str, slug: str, newest: dt.date) -> Column:
    return column(name, slug, 1, newest)


def test_rectification_compares_with_the_previous_round(tmp_path):
    from openpyxl import load_workbook

    from exports.workbook import write_workbook

    # Q1 (crawled 03-20): 工作动态 and 部门动态 stale, 领导班子 blank
    previous = [
        stale_column("工作动态", "gzdt", dt.date(2026, 2, 1)),
        stale_column("部门动态", "bmdt", dt.date(2026, 2, 1)),
        column("领导班子", "ldbz", 0),
        column("通知公告", "tzgg", 3, Q1_FRESH),
    ]
    # Q2: 工作动态 fresh again, 部门动态 still stale, 领导班子 still blank
    current = [
        column("工作动态", "gzdt", 3),
        stale_column("部门动态", "bmdt", dt.date(2026, 5, 1)),
        column("领导班子", "ldbz", 0),
        column("通知公告", "tzgg", 3),
    ]
    report = report_for(tmp_path, previous, current)
    rows = {(r.problem, r.status) for r in report.rectification.itertuples()}
    assert ("2周内(工作动态、部门动态)栏目未更新", "未整改") in rows
    assert ("领导班子空白", "未整改") in rows
    assert all(r.previous_round == "2026Q1" for r in report.rectification.itertuples())
    out = write_workbook(report, tmp_path / "r.xlsx")
    ws = load_workbook(out)["整改情况"]
    sheet = list(ws.iter_rows(values_only=True))
    assert sheet[0] == ("序号", "单位名称", "上轮", "上轮发现的问题", "整改情况")
    assert len(sheet) == 1 + len(report.rectification)


def test_a_problem_gone_is_rectified(tmp_path):
    previous = [
        stale_column("工作动态", "gzdt", dt.date(2026, 2, 1)),
        column("通知公告", "tzgg", 3, Q1_FRESH),
        column("部门动态", "bmdt", 3, Q1_FRESH),
    ]
    current = [
        column("工作动态", "gzdt", 3),
        column("通知公告", "tzgg", 3),
        column("部门动态", "bmdt", 3),
    ]
    report = report_for(tmp_path, previous, current)
    assert list(report.rectification["status"]) == ["已整改"]
    assert list(report.rectification["problem"]) == ["2周内工作动态栏目未更新"]


def test_first_round_has_nothing_to_compare(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'one.db'}")
    save_snapshot(engine, snapshot("2026Q2", five_columns(), dt.datetime(2026, 6, 30, 9)))
    report = build_report(engine, AS_OF)
    engine.dispose()
    assert report.rectification.empty
