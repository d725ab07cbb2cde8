"""SQLAlchemy 2 models: a crawl run, one snapshot per site and round, its columns and items."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# the probe and link-check tables live beside these; importing them registers them on Base,
# so this module's Base.metadata holds the whole schema
from pipelines import check_models, review_models  # noqa: F401
from pipelines.base import Base


class CrawlRun(Base):
    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    round: Mapped[str] = mapped_column(String(32), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    sites_ok: Mapped[int] = mapped_column(Integer, default=0)
    sites_failed: Mapped[int] = mapped_column(Integer, default=0)
    # "" while running, "finished", or "interrupted" (stopped before its sites were done)
    outcome: Mapped[str] = mapped_column(String(16), default="", server_default="")


class SiteSnapshotRow(Base):
    """One crawl of one site; (round, site_id) is unique so a re-crawl replaces it."""

    __tablename__ = "site_snapshot"
    __table_args__ = (UniqueConstraint("round", "site_id", name="uq_snapshot_round_site"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"), nullable=True)
    round: Mapped[str] = mapped_column(String(32), index=True)
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    site_name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(100), default="")
    home_url: Mapped[str] = mapped_column(Text)
    crawled_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text, default="")
    home_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    cms: Mapped[str] = mapped_column(String(32), default="")

    columns: Mapped[list[ColumnRow]] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", passive_deletes=True
    )
    home_entries: Mapped[list[HomeEntryRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    links: Mapped[list[LinkRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    non_columns: Mapped[list[NonColumnRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    page_findings: Mapped[list[PageFindingRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class ColumnRow(Base):
    __tablename__ = "column_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("site_snapshot.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text, default="")  # "一级 > 二级"
    depth: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text, default="")
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    newest_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    blank: Mapped[bool] = mapped_column(Boolean, default=False)
    placeholder: Mapped[str] = mapped_column(String(100), default="")
    is_container: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str] = mapped_column(String(32), default="")
    found_on: Mapped[str] = mapped_column(Text, default="")
    cms: Mapped[str] = mapped_column(String(32), default="")
    rendered: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(16), default="list", server_default="list")
    blank_evidence: Mapped[str] = mapped_column(Text, default="", server_default="")

    snapshot: Mapped[SiteSnapshotRow] = relationship(back_populates="columns")
    entries: Mapped[list[ColumnEntryRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class ColumnEntryRow(Base):
    __tablename__ = "column_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    column_id: Mapped[int] = mapped_column(
        ForeignKey("column_snapshot.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    date_text: Mapped[str] = mapped_column(String(64), default="")
    date_source: Mapped[str] = mapped_column(String(16), default="")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(32), default="", server_default="")


class HomeEntryRow(Base):
    __tablename__ = "home_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("site_snapshot.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    date_text: Mapped[str] = mapped_column(String(64), default="")


class LinkRow(Base):
    """A link seen on a crawled page; the link checker fills status and verdict."""

    __tablename__ = "page_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("site_snapshot.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    page_url: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    on_home: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(8), default="a")


class NonColumnRow(Base):
    """A navigation link left out as not a column, with the reason (shown as 非栏目)."""

    __tablename__ = "non_column"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("site_snapshot.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(64))
    found_on: Mapped[str] = mapped_column(Text, default="")


class PageFindingRow(Base):
    """What a page's text shows: a wording error, forbidden content, masked personal data,
    a site mark or the domain, with the page URL and the sentence around it."""

    __tablename__ = "page_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("site_snapshot.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    page_url: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(String(200))
    correct: Mapped[str] = mapped_column(String(200), default="")
    context: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(100), default="")
