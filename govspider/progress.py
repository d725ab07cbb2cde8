"""A progress line on the terminal during a long crawl: sites done, pages, errors."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from govspider.items import STATUS_FAILED, SiteSnapshot

# what the spider counted as errors (SiteSpider.count_fetch), as its snapshots store them
ERRORS_STAT = "govspider/errors"


class CrawlProgress:
    """Prints `进度: 站点 3/12, 失败 1, 页面 240, 错误 2, 用时 15秒` every few seconds."""

    def __init__(self, crawler, interval: float) -> None:  # noqa: ANN001
        self.crawler = crawler
        self.interval = interval
        self.sites_done = 0
        self.sites_failed = 0
        self.pages = 0
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler) -> CrawlProgress:  # noqa: ANN001
        interval = crawler.settings.getfloat("GOVSPIDER_PROGRESS_INTERVAL", 0)
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.site_done, signal=signals.item_scraped)
        crawler.signals.connect(ext.page, signal=signals.response_received)
        return ext

    def opened(self, spider) -> None:  # noqa: ANN001
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def closed(self, spider, reason: str) -> None:  # noqa: ANN001
        if self.loop and self.loop.running:
            self.loop.stop()
        self.show()

    def site_done(self, item, response, spider) -> None:  # noqa: ANN001
        self.sites_done += 1
        if isinstance(item, SiteSnapshot) and item.status == STATUS_FAILED:
            self.sites_failed += 1

    def page(self, response, request, spider) -> None:  # noqa: ANN001
        self.pages += 1

    def show(self) -> None:
        total = len(getattr(self.crawler.spider, "targets", []) or [])
        elapsed = int(time.monotonic() - self.started)
        errors = self.crawler.stats.get_value(ERRORS_STAT, 0)
        print(
            f"进度: 站点 {self.sites_done}/{total}, 失败 {self.sites_failed}, "
            f"页面 {self.pages}, 错误 {errors}, 用时 {elapsed}秒",
            file=sys.stderr,
            flush=True,
        )
