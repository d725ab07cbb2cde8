"""Schema migrations: a database made with the first schema upgrades and keeps every row."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import MetaData, create_engine, func, inspect, select
from sqlalchemy.orm import Session

from govspider.items import Column, Entry, Link, SiteSnapshot
from pipelines.db import make_engine, snapshot_row
from pipelines.migrate import SchemaOutOfDate, current_revision, head_revision, upgrade
from pipelines.models import ColumnEntryRow, ColumnRow, LinkRow, SiteSnapshotRow
from tests.services import run_cli


def first_schema_snapshot(i: int) -> SiteSnapshot:
    return SiteSnapshot(
        site_id=f"s{i}", site_name=f"站点{i}", home_url=f"http://s{i}.gov.cn/", round="2026Q1",
        crawled_at=dt.datetime(2026, 3, 1, 9), status="ok",
        columns=[Column(name="通知公告", url=f"http://s{i}.gov.cn/tzgg/", path=["通知公告"],
                        entries=[Entry("关于开展检查的通知", f"http://s{i}.gov.cn/tzgg/1.html",
                                       dt.date(2026, 2, 20), "2026-02-20", "list")])],
        links=[Link(url=f"http://s{i}.gov.cn/x.html", page_url=f"http://s{i}.gov.cn/")],
    )  # fmt: skip


def save_in_first_schema(engine, snap: SiteSnapshot) -> None:
    """Write a snapshot with only the columns the 0001 tables have (as an old crawl did)."""
    meta = MetaData()
    meta.reflect(engine)
    row = snapshot_row(snap)

    def values(obj, table: str, **extra) -> dict:
        cols = meta.tables[table].columns.keys()
        return {c: getattr(obj, c) for c in cols if c != "id" and hasattr(obj, c)} | extra

    with engine.begin() as conn:
        sid = conn.execute(
            meta.tables["site_snapshot"].insert().values(values(row, "site_snapshot"))
        ).inserted_primary_key[0]
        for col in row.columns:
            cid = conn.execute(
                meta.tables["column_snapshot"]
                .insert()
                .values(values(col, "column_snapshot", snapshot_id=sid))
            ).inserted_primary_key[0]
            for e in col.entries:
                conn.execute(
                    meta.tables["column_entry"]
                    .insert()
                    .values(values(e, "column_entry", column_id=cid))
                )
        for ln in row.links:
            conn.execute(
                meta.tables["page_link"].insert().values(values(ln, "page_link", snapshot_id=sid))
            )


def counts(engine) -> dict[str, int]:
    with Session(engine) as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (SiteSnapshotRow, ColumnRow, ColumnEntryRow, LinkRow)
        }


def test_upgrade_from_first_schema_keeps_every_row(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    for i in range(3):
        save_in_first_schema(engine, first_schema_snapshot(i))
    before = counts(engine)
    tables_before = set(inspect(engine).get_table_names())
    engine.dispose()

    with pytest.raises(SchemaOutOfDate, match="govspider db upgrade"):
        make_engine(url)

    result = run_cli("db", "upgrade", "--db", url)
    assert result.returncode == 0, result.stderr
    assert "0001 →" in result.stdout

    engine = make_engine(url)  # accepted now
    assert current_revision(engine) == head_revision() != "0001"
    assert counts(engine) == before == {
        "site_snapshot": 3, "column_snapshot": 3, "column_entry": 3, "page_link": 3,
    }  # fmt: skip
    assert set(inspect(engine).get_table_names()) > tables_before
    with Session(engine) as s:
        entry = s.scalars(select(ColumnEntryRow)).first()
        assert entry.date == dt.date(2026, 2, 20)
    engine.dispose()


def test_new_database_is_created_at_the_newest_revision(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_tables_without_a_schema_stamp_are_refused_as_an_old_schema(tmp_path):
    from pipelines.migrate import prepare_schema
    from pipelines.models import Base

    # tables with no alembic stamp: made by a govspider before migrations, never half-made
    # by a concurrent process (prepare_schema creates and stamps under the write lock)
    other = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    Base.metadata.create_all(other)
    with pytest.raises(SchemaOutOfDate, match="govspider db upgrade"):
        prepare_schema(other, Base.metadata)
