"""互动与服务 and the newest date per function group, from a real crawl of the demo farm."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine

from analysis.overview import overview_data
from analysis.report import build_report
from exports.workbook import write_workbook
from tests.conftest import FARM_DATE


@pytest.fixture(scope="module")
def report(farm_crawl):
    return build_report(create_engine(farm_crawl.db_url), FARM_DATE)


@pytest.fixture(scope="module")
def sheet_rows(report, tmp_path_factory):
    path = write_workbook(report, tmp_path_factory.mktemp("ia") / "r.xlsx")
    book = load_workbook(path)
    return [*book["互动与服务"].iter_rows(values_only=True), None,
            *book["页面检查"].iter_rows(values_only=True)]  # fmt: skip


def _farm_columns(farm_crawl, site_id: str):
    return {c.name: c for c in farm_crawl.server.farm.site(site_id).all_columns()}


def test_channels_count_the_items_of_the_last_year(sheet_rows, farm_crawl):
    assert sheet_rows[0][:4] == ("单位名称", "渠道/事项", "类别", "地址")
    rows = {(r[0], r[1]): r for r in sheet_rows[1:] if r and r[0]}
    farm = farm_crawl.server.farm
    year_ago = dt.date(FARM_DATE.year - 1, FARM_DATE.month, FARM_DATE.day)
    checked = 0
    for site in farm.sites:
        if site.home_status != 200:
            continue
        for col in site.all_columns():
            if col.category not in {"政务咨询类", "互动访谈类", "调查征集类"} or col.failed:
                continue
            row = next(r for (name, ch), r in rows.items() if name == site.name and col.name in ch)
            want = sum(1 for i in col.items if i.date >= year_ago)
            assert row[7] == want, (site.id, col.name, row)
            checked += 1
    assert checked >= 10
    portal = rows[("江城市人民政府", "互动交流>市长信箱")]
    # 市长信箱's newest letter (1 day old) was answered the next day: no overdue letter
    assert portal[4] == dt.datetime(2026, 6, 30) and portal[5] == 0


def test_a_site_crawled_whole_without_a_consultation_column_says_so(sheet_rows, farm_crawl):
    names = {r[0] for r in sheet_rows[1:] if r and r[1] == "未开设政务咨询栏目"}
    farm = farm_crawl.server.farm
    without = {
        s.name
        for s in farm.sites
        if s.home_status == 200 and not any(c.category == "政务咨询类" for c in s.all_columns())
    }
    # only sites whose crawl was whole (no failed column) may be said to have none
    failed = {s.name for s in farm.sites if any(c.failed for c in s.all_columns())}
    assert names == without - failed


def test_page_checks_listed_with_the_right_form(sheet_rows):
    rows = [r for r in sheet_rows if r and r[1] == "严重表述错误"]
    assert {(r[0], r[3], r[4]) for r in rows} == {
        ("江城市司法局", "开诚不公", "开诚布公"),
        ("江城市司法局", "中华人民共和国政府信息公开条列", "中华人民共和国政府信息公开条例"),
    }
    personal = [r for r in sheet_rows if r and r[1] in {"居民身份证号码", "手机号码"}]
    assert {r[3] for r in personal} == {"420102********123X", "139****1234"}


def test_newest_date_per_group_in_the_content_updates_sheet(report, farm_crawl, tmp_path):
    path = write_workbook(report, tmp_path / "r.xlsx")
    rows = list(load_workbook(path)["内容更新情况"].iter_rows(values_only=True))
    groups = overview_data()["content_groups"]
    assert list(rows[0][1:5]) == list(groups)
    table = {r[0]: dict(zip(groups, r[1:5], strict=True)) for r in rows[1:]}
    for sid in ("portal", "edu", "culture"):
        site = farm_crawl.server.farm.site(sid)
        for group, cats in groups.items():
            dates = [c.items[0].date for c in site.all_columns()
                     if c.category in cats and c.items and not c.failed]  # fmt: skip
            want = max(dates).strftime("%Y.%m") if dates else None
            assert table[site.name][group] == want, (sid, group)


def test_letters_read_with_reply_dates_and_the_overdue_one_listed(report, farm_crawl):
    truth = farm_crawl.truth["urban"]["letters"]
    engine = create_engine(farm_crawl.db_url)
    from sqlalchemy import select

    from pipelines.models import ColumnEntryRow

    with engine.connect() as conn:
        stored = {
            r.url: r
            for r in conn.execute(
                select(ColumnEntryRow.url, ColumnEntryRow.date, ColumnEntryRow.reply_date)
            )
        }
    for letter in truth:
        row = stored[letter["url"]]
        assert str(row.date) == letter["sent"], letter
        assert (str(row.reply_date) if row.reply_date else None) == letter["reply"], letter
    findings = report.findings
    urban = findings[(findings["site_id"] == "urban") & (findings["status"] == "veto")]
    (veto,) = urban.itertuples()
    assert veto.indicator == "互动回应差"
    overdue = [x for x in truth if x["reply"] is None and x["sent"] < "2026-03-30"]
    overdue = [x for x in overdue if x["sent"] >= "2025-06-30"]
    text = "\n".join(veto.evidence) if isinstance(veto.evidence, list) else str(veto.evidence)
    assert len(overdue) == 1 and overdue[0]["url"] in text
    assert "局长信箱最近回复的信件为2026年6月，且网站总共只有4封回信" in text


def test_sheet_shows_latest_reply_and_overdue_count(sheet_rows):
    row = next(r for r in sheet_rows if r and r[0] == "江城市城市管理执法局" and "局长信箱" in r[1])
    assert row[4] == dt.datetime(2026, 6, 15) and row[5] == 1
