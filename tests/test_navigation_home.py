"""A navigation-only home page is judged on its column pages, never vetoed for having no dates."""

from __future__ import annotations

import datetime as dt

from analysis.report import build_report
from govspider.items import Column, Entry, SiteSnapshot
from pipelines.db import make_engine, save_snapshot

AS_OF = dt.date(2026, 6, 30)


def site(
    home_dates: list[dt.date], column_dates: list[dt.date], notice: dt.date = AS_OF
) -> SiteSnapshot:
    home = [Entry(f"要闻{i}", f"http://a.gov.cn/yw/{i}.html", d) for i, d in enumerate(home_dates)]
    entries = [
        Entry(f"动态{i}", f"http://a.gov.cn/gzdt/{i}.html", d) for i, d in enumerate(column_dates)
    ]
    columns = [
        Column(name="工作动态", url="http://a.gov.cn/gzdt/", path=["工作动态"], entries=entries),
        Column(name="通知公告", url="http://a.gov.cn/tzgg/", path=["通知公告"],
               entries=[Entry("通知", "http://a.gov.cn/tzgg/1.html", notice)]),
    ]  # fmt: skip
    return SiteSnapshot(site_id="a", site_name="甲局", home_url="http://a.gov.cn/", round="2026Q2",
                        crawled_at=dt.datetime(2026, 6, 30, 9), columns=columns,
                        home_entries=home)  # fmt: skip


def score(tmp_path, snap: SiteSnapshot):
    engine = make_engine(f"sqlite:///{tmp_path / 'n.db'}")
    save_snapshot(engine, snap)
    report = build_report(engine, AS_OF)
    engine.dispose()
    return report


def test_navigation_home_with_fresh_columns_is_not_vetoed(tmp_path):
    fresh = [AS_OF - dt.timedelta(days=i) for i in range(12)]
    report = score(tmp_path, site([], fresh))
    row = report.sites.iloc[0]
    assert not row["veto"] and row["score"] == 100


def test_navigation_home_with_stale_columns_is_vetoed_with_that_evidence(tmp_path):
    report = score(tmp_path, site([], [dt.date(2026, 5, 1)], notice=dt.date(2026, 5, 2)))
    row = report.sites.iloc[0]
    assert row["veto"]
    veto = report.findings[report.findings["status"] == "veto"].iloc[0]
    assert veto["text"] == "2周内首页栏目信息更新总量为0"
    assert "首页为导航页" in veto["evidence"]


def test_few_column_items_on_a_navigation_home_count_as_few_home_items(tmp_path):
    report = score(tmp_path, site([], [AS_OF - dt.timedelta(days=1)]))
    finding = report.findings[report.findings["rule_id"].str.contains("home")].iloc[0]
    assert finding["status"] == "deduction"
    assert "首页为导航页(无带日期的条目),按一级栏目页统计" in finding["evidence"]
    assert "新增信息2条" in finding["evidence"]


def test_a_home_page_with_old_dated_items_is_still_vetoed(tmp_path):
    report = score(tmp_path, site([dt.date(2026, 5, 1)], [AS_OF]))
    assert report.sites.iloc[0]["veto"]
