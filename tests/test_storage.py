"""Snapshots in SQL: one per site and round, replaced whole, never mixed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from govspider.items import Column, Entry, Link, SiteSnapshot
from pipelines.db import make_engine, save_snapshot
from pipelines.models import ColumnEntryRow, ColumnRow, LinkRow, SiteSnapshotRow

NOW = dt.datetime(2026, 6, 30, 10, 0)


def snapshot(column_names: list[str], round_name: str = "2026Q2") -> SiteSnapshot:
    columns = [
        Column(
            name=name,
            url=f"http://a.gov.cn/{i}/",
            path=["信息公开", name],
            entries=[
                Entry(
                    title=f"{name}条目", url=f"http://a.gov.cn/{i}/1.html", date=dt.date(2026, 6, 1)
                )
            ],
        )
        for i, name in enumerate(column_names)
    ]
    return SiteSnapshot(
        site_id="a", site_name="甲局", home_url="http://a.gov.cn/", round=round_name,
        crawled_at=NOW, columns=columns,
        links=[Link(url="http://a.gov.cn/x", page_url="http://a.gov.cn/", on_home=True)],
    )  # fmt: skip


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'g.db'}")
    yield eng
    eng.dispose()


def names(engine) -> list[str]:
    with Session(engine) as s:
        return sorted(s.scalars(select(ColumnRow.name)).all())


def test_snapshot_round_trips_with_dates_and_paths(engine):
    save_snapshot(engine, snapshot(["通知公告"]))
    with Session(engine) as s:
        col = s.scalars(select(ColumnRow)).one()
        assert col.path == "信息公开 > 通知公告"
        assert col.newest_date == dt.date(2026, 6, 1)
        assert col.item_count == 1
        assert s.scalar(select(func.count()).select_from(LinkRow)) == 1


def test_recrawl_in_same_round_replaces_the_whole_snapshot(engine):
    save_snapshot(engine, snapshot(["通知公告", "工作动态"]))
    save_snapshot(engine, snapshot(["政策文件"]))
    assert names(engine) == ["政策文件"]
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(SiteSnapshotRow)) == 1
        assert s.scalar(select(func.count()).select_from(ColumnEntryRow)) == 1
        assert s.scalar(select(func.count()).select_from(LinkRow)) == 1


def test_another_round_keeps_the_previous_snapshot(engine):
    save_snapshot(engine, snapshot(["通知公告"], "2026Q1"))
    save_snapshot(engine, snapshot(["工作动态"], "2026Q2"))
    assert names(engine) == ["工作动态", "通知公告"]


def test_a_failed_write_leaves_the_old_snapshot_in_place(engine):
    save_snapshot(engine, snapshot(["通知公告"]))
    bad = snapshot(["工作动态"])
    bad.columns[0].name = None  # NOT NULL: the insert fails after the delete ran
    with pytest.raises(IntegrityError):
        save_snapshot(engine, bad)
    assert names(engine) == ["通知公告"]
