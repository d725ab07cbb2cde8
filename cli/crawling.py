"""Run a crawl in this process and tell what this run (and only this run) stored."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from cli import exitcodes


@dataclass
class CrawlOutcome:
    """How this process's crawl ended, read from its crawler when it is over."""

    run_id: int | None
    reason: str  # Scrapy's finish reason: finished, shutdown, ...
    distributed: bool = False
    since_id: int = 0  # the newest snapshot id before the crawl began

    @property
    def interrupted(self) -> bool:
        return self.reason != "finished"


def run_crawl(
    sites_file: str | Path,
    site: str | None,
    settings,  # noqa: ANN001
    round_name: str | None = None,
) -> CrawlOutcome:
    """Crawl the listed sites (or one) in this process and wait for the crawl to end.

    Ctrl-C (or SIGTERM) stops the crawl gracefully: what was stored stays, the run is
    marked interrupted, and the outcome says so."""
    from scrapy.crawler import CrawlerProcess

    since_id = newest_snapshot_id(settings.get("GOVSPIDER_DATABASE_URL"))
    process = CrawlerProcess(settings)
    if settings.get("LOG_LEVEL") == "WARNING":
        # a page that keeps failing is in the crawl summary and the report, in Chinese;
        # the retry middleware's English line would only repeat it (set after Scrapy
        # configured logging, which resets the levels of its own loggers)
        logging.getLogger("scrapy.downloadermiddlewares.retry").setLevel(logging.CRITICAL)
    crawler = process.create_crawler("site")
    process.crawl(crawler, sites=str(sites_file), site=site, round=round_name)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return CrawlOutcome(
        run_id=stats.get("govspider/run_id"),
        reason=str(stats.get("finish_reason") or "shutdown"),
        distributed=bool(settings.get("GOVSPIDER_REDIS_URL")),
        since_id=since_id,
    )


def newest_snapshot_id(db_url: str | None) -> int:
    """The highest snapshot id so far (0 for none); creates the database if need be."""
    from sqlalchemy import func, select

    from pipelines.db import check_writable, make_engine
    from pipelines.models import SiteSnapshotRow

    engine = make_engine(db_url)  # a URL that cannot be used fails here, in one line
    try:
        check_writable(engine)  # so does a file another process keeps locked
        with engine.connect() as conn:
            return int(conn.scalar(select(func.max(SiteSnapshotRow.id))) or 0)
    finally:
        engine.dispose()


@dataclass
class CrawlSummary:
    text: str
    exit_code: int
    stored: list[str] = field(default_factory=list)  # site ids with a snapshot of this run


def crawl_summary(
    db_url: str | None,
    round_name: str,
    sites: dict[str, str],
    started: dt.datetime,
    outcome: CrawlOutcome,
) -> CrawlSummary:
    """Sites ok / partial / failed, pages and errors of the snapshots this run stored.

    `sites` maps the ids asked for to their names. A snapshot left in the database by an
    earlier run is not counted: an interrupted run says how many it finished."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from pipelines.db import make_engine
    from pipelines.models import ColumnRow, SiteSnapshotRow

    engine = make_engine(db_url)
    with Session(engine) as session:
        query = select(SiteSnapshotRow).where(
            SiteSnapshotRow.round == round_name, SiteSnapshotRow.site_id.in_(list(sites))
        )
        if outcome.distributed:  # whichever process finished a site stored it
            query = query.where(SiteSnapshotRow.id > outcome.since_id)
        else:
            query = query.where(SiteSnapshotRow.run_id == outcome.run_id)
        rows = session.scalars(query).all() if outcome.run_id is not None else []
        stored = [r.site_id for r in rows]
        counts = {"ok": 0, "partial": 0, "failed": 0}
        lines = []
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
            if row.status != "ok":
                lines.append(f"  {row.site_name}: {row.error}")
        pages = sum(r.pages_fetched for r in rows)
        errors = sum(r.errors for r in rows)
        # pages our code could not read: a fault to fix in the extractors, not in the site
        broken_columns = session.scalars(
            select(ColumnRow.id).where(
                ColumnRow.snapshot_id.in_([r.id for r in rows]),
                ColumnRow.error.startswith("解析出错"),
            )
        ).all()
        broken_sites = sum((r.error or "").startswith("解析出错") for r in rows)
        parse_errors = len(broken_columns) + broken_sites
    engine.dispose()
    missing = [name for sid, name in sites.items() if sid not in stored]
    took = (dt.datetime.now() - started).seconds
    parsed = f"(其中解析出错{parse_errors}个)" if parse_errors else ""
    figures = (
        f"正常{counts['ok']}个, 部分失败{counts['partial']}个, 失败{counts['failed']}个"
        f"; 页面{pages}个, 错误{errors}个{parsed}, 用时{took}秒"
    )
    if outcome.interrupted:
        head = f"抓取中断({round_name}): 完成 {len(rows)}/{len(sites)} 个站点, {figures}"
    else:
        head = (
            f"抓取完成({round_name}): 站点{len(sites)}个, 正常{counts['ok']}个, "
            f"部分失败{counts['partial']}个, 失败{counts['failed']}个"
            + (f", 未完成{len(missing)}个" if missing else "")
            + f"; 页面{pages}个, 错误{errors}个{parsed}, 用时{took}秒"
        )
    if missing:
        # in distributed mode another process may still store these sites
        label = "尚未完成, 其他进程可能仍在抓取" if outcome.distributed else "未抓取"
        lines.append(f"  {label}: {'、'.join(missing)}")
    complete = not outcome.interrupted and not missing and not counts["failed"]
    code = exitcodes.OK if complete else exitcodes.INCOMPLETE
    return CrawlSummary("\n".join([head, *lines]), code, stored)
