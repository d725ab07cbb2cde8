"""Store each site's snapshot in SQL as one transaction, inside one crawl run."""

from __future__ import annotations

from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.orm import Session
from twisted.internet.threads import deferToThread

from govspider.clock import crawl_now
from govspider.items import STATUS_FAILED, SiteSnapshot
from pipelines.db import database_url, make_engine, save_snapshot
from pipelines.models import CrawlRun

OUTCOME_FINISHED, OUTCOME_INTERRUPTED = "finished", "interrupted"


class SnapshotStorePipeline:
    def __init__(self, crawler) -> None:  # noqa: ANN001
        self.crawler = crawler
        self.url = database_url(crawler.settings.get("GOVSPIDER_DATABASE_URL"))
        self.engine = None
        self.run_id: int | None = None
        self.counts = {"ok": 0, "failed": 0}

    @classmethod
    def from_crawler(cls, crawler) -> SnapshotStorePipeline:  # noqa: ANN001
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.engine = make_engine(self.url)
        spider = self.crawler.spider
        with Session(self.engine) as session, session.begin():
            run = CrawlRun(
                round=getattr(spider, "round", ""),
                started_at=crawl_now(self.crawler.settings.get("GOVSPIDER_NOW")),
                args={
                    "sites": str(getattr(spider, "sites_file", "")),
                    "site": getattr(spider, "site_filter", None),
                },
            )
            session.add(run)
            session.flush()
            self.run_id = run.id
        # the command line reads this run's snapshots (and only these) for its summary
        self.crawler.stats.set_value("govspider/run_id", self.run_id)

    async def process_item(self, item: SiteSnapshot) -> SiteSnapshot:
        # in a thread, so that downloads go on while a large snapshot is written
        await maybe_deferred_to_future(deferToThread(save_snapshot, self.engine, item, self.run_id))
        self.counts["failed" if item.status == STATUS_FAILED else "ok"] += 1
        return item

    def close_spider(self) -> None:
        if self.engine is None:
            return
        with Session(self.engine) as session, session.begin():
            run = session.get(CrawlRun, self.run_id)
            run.finished_at = crawl_now(self.crawler.settings.get("GOVSPIDER_NOW"))
            run.sites_ok = self.counts["ok"]
            run.sites_failed = self.counts["failed"]
            run.outcome = OUTCOME_FINISHED
        self.engine.dispose()

    def spider_closed(self, reason: str) -> None:
        """A crawl stopped before its end (Ctrl-C, SIGTERM, a close condition) is marked
        interrupted: its sites that have no snapshot were not crawled by this run."""
        if self.engine is None or self.run_id is None or reason == "finished":
            return
        with Session(self.engine) as session, session.begin():
            session.get(CrawlRun, self.run_id).outcome = OUTCOME_INTERRUPTED
        self.engine.dispose()
