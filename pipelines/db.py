"""Database access: the URL to use, engines, and writing a snapshot as one unit."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, event, insert, select
from sqlalchemy.orm import Session

from govspider.items import SiteSnapshot
from pipelines.migrate import prepare_schema
from pipelines.models import (
    Base,
    ColumnEntryRow,
    ColumnRow,
    HomeEntryRow,
    LinkRow,
    NonColumnRow,
    PageFindingRow,
    SiteSnapshotRow,
)

DEFAULT_DB_PATH = Path("var") / "govspider.db"


def database_url(url: str | None = None) -> str:
    """The URL given, else GOVSPIDER_DATABASE_URL, else a SQLite file under var/."""
    url = url or os.environ.get("GOVSPIDER_DATABASE_URL")
    if url:
        return url
    DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB_PATH}"


def make_engine(url: str | None = None) -> Engine:
    """An engine with the schema created; SQLite gets foreign keys and a busy timeout."""
    url = database_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    prepare_schema(engine, Base.metadata)
    return engine


def snapshot_row(snap: SiteSnapshot, run_id: int | None = None) -> SiteSnapshotRow:
    """Turn a crawled SiteSnapshot into ORM rows (not yet added to a session)."""
    row = SiteSnapshotRow(
        run_id=run_id,
        round=snap.round,
        site_id=snap.site_id,
        site_name=snap.site_name,
        group=snap.group,
        home_url=snap.home_url,
        crawled_at=snap.crawled_at,
        finished_at=snap.finished_at,
        status=snap.status,
        error=snap.error,
        home_status=snap.home_status,
        pages_fetched=snap.pages_fetched,
        errors=snap.errors,
        cms=snap.cms,
    )
    for col in snap.columns:
        crow = ColumnRow(
            name=col.name,
            url=col.url,
            path=" > ".join(col.path),
            depth=col.depth,
            status=col.status,
            error=col.error,
            http_status=col.http_status,
            item_count=len(col.entries),
            newest_date=col.newest_date,
            blank=col.blank,
            placeholder=col.placeholder,
            is_container=col.is_container,
            category=col.category,
            found_on=col.found_on,
            cms=col.cms,
            rendered=col.rendered,
            kind=col.kind,
            blank_evidence=col.blank_evidence,
        )
        crow.entries = [
            ColumnEntryRow(
                title=e.title,
                url=e.url,
                date=e.date,
                date_text=e.date_text,
                date_source=e.date_source,
                pinned=e.pinned,
                reply_date=e.reply_date,
                status=e.status[:32],
            )
            for e in col.entries
        ]
        row.columns.append(crow)
    row.home_entries = [
        HomeEntryRow(title=e.title, url=e.url, date=e.date, date_text=e.date_text)
        for e in snap.home_entries
    ]
    row.links = [
        LinkRow(url=ln.url, page_url=ln.page_url, text=ln.text, on_home=ln.on_home, kind=ln.kind)
        for ln in snap.links
    ]
    row.non_columns = [
        NonColumnRow(name=n.name[:200], url=n.url, reason=n.reason, found_on=n.found_on)
        for n in snap.non_columns
    ]
    row.page_findings = [
        PageFindingRow(
            kind=f.kind,
            page_url=f.page_url,
            text=f.text[:200],
            correct=f.correct[:200],
            context=f.context,
            note=f.note[:100],
        )
        for f in snap.page_findings
    ]
    return row


def save_snapshot(engine: Engine, snap: SiteSnapshot, run_id: int | None = None) -> int:
    """Write one site's snapshot, replacing that site's snapshot of the same round.

    The delete and the insert share one transaction: a reader sees the old snapshot
    or the new one, never a mix, and a failure leaves the old one in place. Rows go
    in as bulk inserts (a site has thousands of links), not one ORM object each.
    """
    row = snapshot_row(snap, run_id)
    with Session(engine) as session, session.begin():
        old_ids = session.scalars(
            select(SiteSnapshotRow.id).where(
                SiteSnapshotRow.round == snap.round, SiteSnapshotRow.site_id == snap.site_id
            )
        ).all()
        if old_ids:
            _delete_snapshots(session, old_ids)
        snapshot_id = session.execute(
            insert(SiteSnapshotRow).returning(SiteSnapshotRow.id), [_values(row)]
        ).scalar_one()
        if row.columns:
            column_ids = (
                session.execute(
                    insert(ColumnRow).returning(ColumnRow.id, sort_by_parameter_order=True),
                    [{**_values(c), "snapshot_id": snapshot_id} for c in row.columns],
                )
                .scalars()
                .all()
            )
            entries = [
                {**_values(e), "column_id": cid}
                for cid, col in zip(column_ids, row.columns, strict=True)
                for e in col.entries
            ]
            if entries:
                session.execute(insert(ColumnEntryRow), entries)
        children_of = (
            (HomeEntryRow, row.home_entries),
            (LinkRow, row.links),
            (NonColumnRow, row.non_columns),
            (PageFindingRow, row.page_findings),
        )
        for model, children in children_of:
            if children:
                values = [{**_values(c), "snapshot_id": snapshot_id} for c in children]
                session.execute(insert(model), values)
        return snapshot_id


def _values(obj: Base) -> dict:
    """The column values set on an ORM object that is not in a session."""
    return {
        c.key: getattr(obj, c.key)
        for c in obj.__table__.columns
        if c.key != "id" and c.key in obj.__dict__
    }


def _delete_snapshots(session: Session, ids: list[int]) -> None:
    col_ids = select(ColumnRow.id).where(ColumnRow.snapshot_id.in_(ids))
    session.execute(delete(ColumnEntryRow).where(ColumnEntryRow.column_id.in_(col_ids)))
    session.execute(delete(ColumnRow).where(ColumnRow.snapshot_id.in_(ids)))
    session.execute(delete(HomeEntryRow).where(HomeEntryRow.snapshot_id.in_(ids)))
    session.execute(delete(LinkRow).where(LinkRow.snapshot_id.in_(ids)))
    session.execute(delete(NonColumnRow).where(NonColumnRow.snapshot_id.in_(ids)))
    session.execute(delete(PageFindingRow).where(PageFindingRow.snapshot_id.in_(ids)))
    session.execute(delete(SiteSnapshotRow).where(SiteSnapshotRow.id.in_(ids)))
