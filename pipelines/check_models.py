"""Tables of the availability probes and of the link check, beside the crawl snapshots."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pipelines.base import Base

# a link check's verdicts as stored in LinkCheckRow.verdict, and as analysts read them
CONFIRMED = "confirmed"
SUSPECTED = "suspected"
OK = "ok"
VERDICT_NAMES = {CONFIRMED: "确认失效", SUSPECTED: "疑似失效", OK: "正常"}


class ProbeRow(Base):
    """One request of a site's home page by `govspider probe` (one visit of the rule)."""

    __tablename__ = "probe_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    site_name: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(Text)
    probed_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latency_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # "" when ok; else timeout | dns | refused | reset | tls | http | error
    error_kind: Mapped[str] = mapped_column(String(16), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    # the page opened only with a permissive TLS setting: what was wrong (Chinese)
    tls_problem: Mapped[str] = mapped_column(String(100), default="")


class LinkCheckRunRow(Base):
    """One link check of one snapshot; its presence means the links were measured."""

    __tablename__ = "link_check_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    # a re-crawl deletes the snapshot, and with it the check of its links
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("site_snapshot.id", ondelete="CASCADE"), index=True, unique=True
    )
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    round: Mapped[str] = mapped_column(String(32), default="")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime)
    links: Mapped[int] = mapped_column(Integer, default=0)  # link occurrences on pages
    urls: Mapped[int] = mapped_column(Integer, default=0)  # distinct URLs checked
    confirmed: Mapped[int] = mapped_column(Integer, default=0)
    suspected: Mapped[int] = mapped_column(Integer, default=0)
    rechecked: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[str] = mapped_column(Text, default="")  # timeout, delays, user agent


class LinkCheckRow(Base):
    """A checked URL of a site that failed, was flagged, or has a TLS problem.

    Links that are simply fine are counted in LinkCheckRunRow, not stored one by one.
    """

    __tablename__ = "link_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("link_check_run.id", ondelete="CASCADE"), index=True
    )
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("site_snapshot.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    page_url: Mapped[str] = mapped_column(Text)  # the home page when the link is on it
    text: Mapped[str] = mapped_column(Text, default="")
    on_home: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(8), default="a")
    pages: Mapped[int] = mapped_column(Integer, default=1)  # pages the link sits on
    offsite: Mapped[bool] = mapped_column(Boolean, default=False)
    verdict: Mapped[str] = mapped_column(String(16))  # confirmed | suspected | ok
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error_kind: Mapped[str] = mapped_column(String(16), default="")
    status_text: Mapped[str] = mapped_column(String(200), default="")  # 404, 超时, ...
    first_status_text: Mapped[str] = mapped_column(String(200), default="")
    rechecked: Mapped[bool] = mapped_column(Boolean, default=False)
    final_url: Mapped[str] = mapped_column(Text, default="")
    redirects: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[str] = mapped_column(String(8), default="")
    tls_problem: Mapped[str] = mapped_column(String(100), default="")
    flag: Mapped[str] = mapped_column(String(32), default="")  # 外链变异 | 域名失效
    detail: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime)
