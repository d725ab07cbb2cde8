"""End to end from SQL: snapshots saved with save_snapshot, scored by build_report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analysis.report import build_report
from govspider.items import Column, Entry, SiteSnapshot
from pipelines.db import make_engine, save_snapshot

AS_OF = dt.date(2019, 5, 20)


def entry(days_old: int | None, i: int = 0, prefix: str = "n") -> Entry:
    date = None if days_old is None else AS_OF - dt.timedelta(days=days_old)
    return Entry(title=f"{prefix}{i}", url=f"http://x/{prefix}/{days_old}/{i}", date=date)


def snap(site_id: str, name: str, round: str = "2019Q2", **kw) -> SiteSnapshot:
    # a crawled site without any column is 监测失败 or flagged for re-run: give it one
    kw.setdefault("columns", [Column("工作动态", f"http://{site_id}/gzdt", entries=[entry(1)])])
    return SiteSnapshot(
        site_id=site_id,
        site_name=name,
        home_url=f"http://{site_id}/",
        group=kw.pop("group", "市直部门"),
        round=round,
        crawled_at=kw.pop("crawled_at", dt.datetime(2019, 5, 20, 9)),
        **kw,
    )


@pytest.fixture
def engine(tmp_path: Path):
    eng = make_engine(f"sqlite:///{tmp_path / 'govspider.db'}")
    yield eng
    eng.dispose()


def test_column_ages_categories_and_statuses(engine) -> None:
    save_snapshot(
        engine,
        snap(
            "edu",
            "市教育局",
            home_entries=[entry(2, i, "h") for i in range(12)],
            columns=[
                Column("工作动态", "http://edu/gzdt", entries=[entry(15), entry(40, 1)]),
                Column("通知公告", "http://edu/tzgg", entries=[entry(30)]),
                Column("领导班子", "http://edu/ldbz", blank=True, placeholder="暂无信息"),
                Column(
                    "要闻信息",
                    "http://edu/yw",
                    path=["陆溪镇", "要闻信息"],
                    depth=2,
                    entries=[entry(3)],
                ),
                Column("统计数据", "http://edu/tj", status="failed", error="timeout"),
                Column("规划计划", "http://edu/gh", entries=[entry(None)]),
                Column("杂项", "http://edu/zx", category="政务咨询类", entries=[entry(900)]),
            ],
        ),
    )
    r = build_report(engine, AS_OF)
    cols = r.columns.set_index("name")
    assert list(cols["status"]) == ["未更新", "正常", "空白", "正常", "监测失败", "未更新", "正常"]
    assert cols.loc["工作动态", "age_days"] == 15
    assert cols.loc["工作动态", "newest_date"] == AS_OF - dt.timedelta(days=15)
    assert cols.loc["工作动态", "item_count"] == 2
    assert cols.loc["杂项", "category"] == "政务咨询类"  # the site's override wins
    assert cols.loc["要闻信息", "display_name"] == "陆溪镇>要闻信息"
    assert cols.loc["规划计划", "age_days"] is None
    site = r.sites.iloc[0]
    # 工作动态 3 + 领导班子 5 + 规划计划 (undated items) 5; home has 12 new items
    assert site["score"] == 87 and site["rating"] == "B"
    # 统计数据 could not be crawled: the pass stands on what was measured, and says so
    assert site["result"] == "合格(1个栏目待复测)" and site["verdict"] == "合格"
    assert site["problems"] == (
        "1.2周内工作动态栏目未更新；2.1年内规划计划栏目未更新；3.领导班子空白；"
        "4.1个栏目监测失败(统计数据)，需重新监测。"
    )
    assert [x.site_id for x in r.rerun] == ["edu"]


def test_failed_crawl_is_not_scored_and_is_rerun(engine) -> None:
    save_snapshot(
        engine, snap("wr", "市水利局", status="failed", home_status=500, error="HTTP 500")
    )
    save_snapshot(engine, snap("to", "市林业局", status="failed", error="timeout"))
    r = build_report(engine, AS_OF)
    sites = r.sites.set_index("site_id")
    assert list(sites["result"]) == ["监测失败", "监测失败"]
    assert sites["score"].isna().all() and not sites["veto"].any()
    assert sites.loc["wr", "problems"] == "首页无法获取(HTTP 500)，需重新监测。"
    assert sites.loc["to", "problems"] == "首页无法获取(timeout)，需重新监测。"
    assert {x.site_id for x in r.rerun} == {"wr", "to"}
    assert not r.findings["status"].isin(["veto", "deduction"]).any()


def test_home_new_items_in_the_2_weeks_before_the_time_point(engine) -> None:
    home = [entry(14, 0, "h"), entry(15, 1, "h"), entry(-2, 2, "h")] + [
        entry(1, i, "k") for i in range(8)
    ]
    save_snapshot(engine, snap("a", "甲", home_entries=home))
    r = build_report(engine, AS_OF)
    found = r.findings.set_index("rule_id")
    assert found.loc["home_few_updates", "value"] == 9  # 14 days old counts, 15 and future don't
    assert r.sites.iloc[0]["score"] == 95


def test_newest_snapshot_per_site_or_the_given_round(engine) -> None:
    old = snap(
        "a",
        "甲",
        round="2019Q1",
        crawled_at=dt.datetime(2019, 3, 1),
        home_entries=[entry(2, i) for i in range(3)],
    )
    new = snap("a", "甲", round="2019Q2", home_entries=[entry(2, i) for i in range(12)])
    other = snap(
        "b",
        "乙",
        round="2019Q1",
        crawled_at=dt.datetime(2019, 3, 1),
        home_entries=[entry(2, i) for i in range(12)],
    )
    for s in (old, new, other):
        save_snapshot(engine, s)
    latest = build_report(engine, AS_OF).sites.set_index("site_id")
    assert latest.loc["a", "score"] == 100 and latest.loc["b", "score"] == 100
    q1 = build_report(engine, AS_OF, round="2019Q1").sites.set_index("site_id")
    assert q1.loc["a", "score"] == 95
    q2 = build_report(engine, AS_OF, round="2019Q2")
    s = q2.sites.set_index("site_id")
    assert (
        s.loc["b", "result"] == "监测失败" and s.loc["b", "problems"] == "本轮未监测，需重新监测。"
    )
    assert [x.site_id for x in q2.rerun] == ["b"]


def test_extra_facts_overlay_and_profile_choice(engine) -> None:
    save_snapshot(engine, snap("a", "甲", home_entries=[entry(2, i) for i in range(12)]))
    extra = pd.DataFrame([{"site_id": "a", "broken_links_other": 12}])
    r = build_report(engine, AS_OF, profile="national-2015", extra_facts=extra)
    assert r.profile_name == "national-2015" and r.as_of == AS_OF
    assert r.sites.iloc[0]["score"] == 98.8
    assert r.sites.iloc[0]["problems"] == "不可用链接数12个。"
    with pytest.raises(ValueError, match="未知的事实字段"):
        build_report(engine, AS_OF, extra_facts=pd.DataFrame([{"site_id": "a", "typo": 1}]))


def test_time_point_is_an_input(engine) -> None:
    save_snapshot(
        engine,
        snap(
            "a",
            "甲",
            home_entries=[entry(2, i) for i in range(12)],
            columns=[Column("工作动态", "http://a/d", entries=[entry(10)])],
        ),
    )
    assert build_report(engine, AS_OF).sites.iloc[0]["score"] == 100
    later = build_report(engine, AS_OF + dt.timedelta(days=5)).sites.iloc[0]
    assert later["score"] == 97  # 工作动态 is now 15 days old; home items 7 days, still 12
    much_later = build_report(engine, AS_OF + dt.timedelta(days=13)).sites.iloc[0]
    assert much_later["veto"]  # home items now 15 days old: none in the 2 weeks
