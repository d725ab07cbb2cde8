"""Store each site's snapshot in SQL as one transaction, inside one crawl run.

At the close, the sites the spider could not finish are stored too, as 监测失败 with
the reason: a site is never left out of the round because its crawl was cut short.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from twisted.internet.threads import deferToThread

from govspider.clock import crawl_now
from govspider.items import STATUS_FAILED, SiteSnapshot
from pipelines.db import database_url, make_engine, save_snapshot
from pipelines.models import CrawlRun
from pipelines.normalise import SnapshotNormalisePipeline
from pipelines.validate import snapshot_problems

logger = logging.getLogger(__name__)

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
        try:
            await maybe_deferred_to_future(
                deferToThread(save_snapshot, self.engine, item, self.run_id)
            )
        except SQLAlchemyError as exc:
            # the site's earlier snapshot stays as it was (one transaction); the crawl goes on
            reason = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
            raise DropItem(f"{item.site_name}: 结果无法写入数据库({reason}),该站点未完成") from None
        self.counts["failed" if item.status == STATUS_FAILED else "ok"] += 1
        return item

    def close_spider(self) -> None:
        if self.engine is None:
            return
        # Ctrl-C/SIGTERM stop the engine before the spider closes: the sites it did not
        # finish were not crawled by this run (the summary lists them, a new run does them);
        # a crawl that ends by itself with sites still open stores them as 监测失败
        if getattr(self.crawler.engine, "running", True):
            self._store_unfinished()
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

    def _store_unfinished(self) -> None:
        """The spider's still-open sites, each as a 监测失败 snapshot (tidied, checked)."""
        leftovers = getattr(self.crawler.spider, "unfinished_snapshots", None)
        for snap in leftovers() if leftovers else []:
            snap = SnapshotNormalisePipeline().process_item(snap)
            problems = snapshot_problems(snap)
            if problems:
                logger.error("未完成站点 %s 的快照无效: %s", snap.site_name, ";".join(problems))
                continue
            save_snapshot(self.engine, snap, self.run_id)
            self.counts["failed" if snap.status == STATUS_FAILED else "ok"] += 1
