"""Store each site's snapshot in SQL as one transaction, inside one crawl run."""

from __future__ import annotations

from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from twisted.internet.threads import deferToThread

from govspider.clock import crawl_now
from govspider.items import STATUS_FAILED, SiteSnapshot
from pipelines.db import database_url, make_engine, save_snapshot
from pipelines.models import CrawlRun


class SnapshotStorePipeline:
    def __init__(self, crawler) -> None:  # noqa: ANN001
        self.crawler = crawler
        self.url = database_url(crawler.settings.get("GOVSPIDER_DATABASE_URL"))
        self.engine = None
        self.run_id: int | None = None
        self.counts = {"ok": 0, "failed": 0}

    @classmethod
    def from_crawler(cls, crawler) -> SnapshotStorePipeline:  # noqa: ANN001
        return cls(crawler)

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
        with Session(self.engine) as session, session.begin():
            run = session.get(CrawlRun, self.run_id)
            run.finished_at = crawl_now(self.crawler.settings.get("GOVSPIDER_NOW"))
            run.sites_ok = self.counts["ok"]
            run.sites_failed = self.counts["failed"]
        self.engine.dispose()
