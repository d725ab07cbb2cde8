"""Database access: the URL to use, engines, and writing a snapshot as one unit.

Longer than 300 lines: opening (WAL, busy timeout, clear errors) and the one-transaction
snapshot write belong together; split them and a caller could write without the guards."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, delete, event, insert, inspect, select
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from govspider.items import SiteSnapshot
from pipelines.dburl import (  # noqa: F401 - re-exported: callers import them from here
    DEFAULT_DB_PATH,
    DatabaseUrlError,
    NoSnapshots,
    database_url,
    masked,
    parse_url,
)
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


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _connect(url: URL) -> Engine:
    try:
        engine = create_engine(url, future=True)
    except (ImportError, ArgumentError) as exc:
        raise DatabaseUrlError(
            f"数据库地址不可用: {url.render_as_string(hide_password=True)}: {exc}"
        ) from None
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            # readers never block the writer, and two crawls can share one file
            # a read-only file keeps its mode; writing to it fails clearly later
            with contextlib.suppress(sqlite3.OperationalError):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


_DRIVER_REASONS = (
    ("connection refused", "连接被拒绝"),
    ("could not translate host name", "域名解析失败"),
    ("password authentication failed", "用户名或密码错误"),
    ("does not exist", "数据库或用户不存在"),
    ("timeout", "连接超时"),
    ("unable to open database file", "无法打开数据库文件"),
    ("file is not a database", "不是 SQLite 数据库文件"),
    ("database is locked", "数据库被另一个进程锁定, 等待30秒仍未释放(另一次抓取或程序正在写入)"),
    ("readonly database", "数据库文件只读"),
    ("database or disk is full", "磁盘已满"),
    ("disk i/o error", "磁盘读写错误"),
)


def unreachable(url: URL, exc: DBAPIError, head: str = "无法连接数据库") -> DatabaseUrlError:
    """One line for a database that does not answer: the reason in Chinese, then the
    driver's own words."""
    lines = str(exc.orig or exc).strip().splitlines()
    why = lines[0] if lines else type(exc).__name__
    cn = next((zh for en, zh in _DRIVER_REASONS if en in why.lower()), "")
    return DatabaseUrlError(
        f"{head}: {url.render_as_string(hide_password=True)}: " + (f"{cn}({why})" if cn else why)
    )


def check_writable(engine: Engine) -> None:
    """Before a crawl: a SQLite file another process keeps locked, or one that cannot be
    written, is one DatabaseUrlError now rather than a traceback once the crawl has begun."""
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.exec_driver_sql("ROLLBACK")
    except DBAPIError as exc:
        raise unreachable(engine.url, exc, "数据库无法写入") from None


_OS_REASONS = {
    errno.EACCES: "没有写权限",
    errno.EPERM: "没有写权限",
    errno.EROFS: "只读文件系统",
    errno.ENOENT: "该位置不能创建文件",
    errno.ENOTDIR: "上级路径不是目录",
    errno.ENOSPC: "磁盘已满",
}


def _check_creatable(url: URL, path: Path) -> None:
    """Create the SQLite file's folder and make sure a file can be written there."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise DatabaseUrlError(
            f"数据库地址不可用: {url.render_as_string(hide_password=True)}: "
            f"无法在 {path.parent} 创建文件({_OS_REASONS.get(exc.errno, exc.strerror or exc)})"
        ) from None


def writable_url(url: str | None = None) -> URL:
    """parse_url, and for a SQLite file not there yet, a check that it can be created."""
    parsed = parse_url(url)
    path = _sqlite_file(parsed)
    if path is not None and not path.exists():
        _check_creatable(parsed, path)
    return parsed


def make_engine(url: str | None = None) -> Engine:
    """An engine with the schema created; SQLite gets foreign keys and a busy timeout.

    A URL that cannot be used raises DatabaseUrlError (one line, password masked)."""
    parsed = writable_url(url)
    engine = _connect(parsed)
    try:
        prepare_schema(engine, Base.metadata)
    except DBAPIError as exc:
        engine.dispose()
        raise unreachable(parsed, exc) from None
    return engine


def snapshot_engine(url: str | None = None) -> Engine:
    """An engine on a database that already holds crawl snapshots, for reading.

    Nothing is created: a SQLite file that does not exist, or a database without any
    snapshot, raises NoSnapshots (`数据库中没有抓取记录: …`)."""
    parsed = parse_url(url)
    shown = parsed.render_as_string(hide_password=True)
    path = _sqlite_file(parsed)
    if path is not None and not path.is_file():
        raise NoSnapshots(f"数据库中没有抓取记录: {shown}(文件不存在, 请先运行 govspider crawl)")
    engine = _connect(parsed)
    try:
        has_table = SiteSnapshotRow.__tablename__ in inspect(engine).get_table_names()
        if has_table:
            with engine.connect() as conn:
                has_table = conn.scalar(select(SiteSnapshotRow.id).limit(1)) is not None
    except DBAPIError as exc:
        engine.dispose()
        raise unreachable(parsed, exc) from None
    if not has_table:
        engine.dispose()
        raise NoSnapshots(f"数据库中没有抓取记录: {shown}(请先运行 govspider crawl)")
    try:
        prepare_schema(engine, Base.metadata)  # an existing schema: only the version check
    except BaseException:
        engine.dispose()
        raise
    return engine


def snapshot_values(snap: SiteSnapshot, run_id: int | None = None) -> tuple[dict, list, dict]:
    """A crawled SiteSnapshot as plain column values: (the snapshot's, [(a column's, its
    entries')], {child model: rows of the snapshot's other children}). No ORM objects:
    a site has thousands of links, and an instrumented object each cost more than the
    insert (measured by `make bench`)."""
    row = {
        "run_id": run_id,
        "round": snap.round,
        "site_id": snap.site_id,
        "site_name": snap.site_name,
        "group": snap.group,
        "home_url": snap.home_url,
        "crawled_at": snap.crawled_at,
        "finished_at": snap.finished_at,
        "status": snap.status,
        "error": snap.error,
        "home_status": snap.home_status,
        "pages_fetched": snap.pages_fetched,
        "errors": snap.errors,
        "cms": snap.cms,
    }
    columns = []
    for col in snap.columns:
        crow = {
            "name": col.name,
            "url": col.url,
            "path": " > ".join(col.path),
            "depth": col.depth,
            "status": col.status,
            "error": col.error,
            "http_status": col.http_status,
            "item_count": len(col.entries),
            "newest_date": col.newest_date,
            "blank": col.blank,
            "placeholder": col.placeholder,
            "is_container": col.is_container,
            "category": col.category,
            "found_on": col.found_on,
            "cms": col.cms,
            "rendered": col.rendered,
            "kind": col.kind,
            "blank_evidence": col.blank_evidence,
        }
        entries = [
            {
                "title": e.title,
                "url": e.url,
                "date": e.date,
                "date_text": e.date_text,
                "date_source": e.date_source,
                "pinned": e.pinned,
                "reply_date": e.reply_date,
                "status": e.status[:32],
            }
            for e in col.entries
        ]
        columns.append((crow, entries))
    children = {
        HomeEntryRow: [
            {"title": e.title, "url": e.url, "date": e.date, "date_text": e.date_text}
            for e in snap.home_entries
        ],
        LinkRow: [
            {
                "url": ln.url,
                "page_url": ln.page_url,
                "text": ln.text,
                "on_home": ln.on_home,
                "kind": ln.kind,
            }
            for ln in snap.links
        ],
        NonColumnRow: [
            {"name": n.name[:200], "url": n.url, "reason": n.reason, "found_on": n.found_on}
            for n in snap.non_columns
        ],
        PageFindingRow: [
            {
                "kind": f.kind,
                "page_url": f.page_url,
                "text": f.text[:200],
                "correct": f.correct[:200],
                "context": f.context,
                "note": f.note[:100],
            }
            for f in snap.page_findings
        ],
    }
    return row, columns, children


def snapshot_row(snap: SiteSnapshot, run_id: int | None = None) -> SiteSnapshotRow:
    """Turn a crawled SiteSnapshot into ORM rows (not yet added to a session)."""
    values, columns, children = snapshot_values(snap, run_id)
    row = SiteSnapshotRow(**values)
    for crow, entries in columns:
        column = ColumnRow(**crow)
        column.entries = [ColumnEntryRow(**e) for e in entries]
        row.columns.append(column)
    row.home_entries = [HomeEntryRow(**v) for v in children[HomeEntryRow]]
    row.links = [LinkRow(**v) for v in children[LinkRow]]
    row.non_columns = [NonColumnRow(**v) for v in children[NonColumnRow]]
    row.page_findings = [PageFindingRow(**v) for v in children[PageFindingRow]]
    return row


def save_snapshot(engine: Engine, snap: SiteSnapshot, run_id: int | None = None) -> int:
    """Write one site's snapshot, replacing that site's snapshot of the same round.

    The delete and the insert share one transaction: a reader sees the old snapshot
    or the new one, never a mix, and a failure leaves the old one in place. Rows go
    in as bulk inserts of plain values (a site has thousands of links), not one ORM
    object each.
    """
    values, columns, children = snapshot_values(snap, run_id)
    with Session(engine) as session, session.begin():
        old_ids = session.scalars(
            select(SiteSnapshotRow.id).where(
                SiteSnapshotRow.round == snap.round, SiteSnapshotRow.site_id == snap.site_id
            )
        ).all()
        if old_ids:
            _delete_snapshots(session, old_ids)
        snapshot_id = session.execute(
            insert(SiteSnapshotRow.__table__).returning(SiteSnapshotRow.__table__.c.id),
            [values],
        ).scalar_one()
        if columns:
            table = ColumnRow.__table__
            column_ids = (
                session.execute(
                    insert(table).returning(table.c.id, sort_by_parameter_order=True),
                    [{**crow, "snapshot_id": snapshot_id} for crow, _ in columns],
                )
                .scalars()
                .all()
            )
            entries = [
                {**e, "column_id": cid}
                for cid, (_, col_entries) in zip(column_ids, columns, strict=True)
                for e in col_entries
            ]
            if entries:
                session.execute(insert(ColumnEntryRow.__table__), entries)
        for model, rows in children.items():
            if rows:
                for r in rows:
                    r["snapshot_id"] = snapshot_id
                session.execute(insert(model.__table__), rows)
        return snapshot_id


def _delete_snapshots(session: Session, ids: list[int]) -> None:
    col_ids = select(ColumnRow.id).where(ColumnRow.snapshot_id.in_(ids))
    session.execute(delete(ColumnEntryRow).where(ColumnEntryRow.column_id.in_(col_ids)))
    session.execute(delete(ColumnRow).where(ColumnRow.snapshot_id.in_(ids)))
    session.execute(delete(HomeEntryRow).where(HomeEntryRow.snapshot_id.in_(ids)))
    session.execute(delete(LinkRow).where(LinkRow.snapshot_id.in_(ids)))
    session.execute(delete(NonColumnRow).where(NonColumnRow.snapshot_id.in_(ids)))
    session.execute(delete(PageFindingRow).where(PageFindingRow.snapshot_id.in_(ids)))
    session.execute(delete(SiteSnapshotRow).where(SiteSnapshotRow.id.in_(ids)))
