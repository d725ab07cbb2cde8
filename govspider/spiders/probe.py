"""The `probe` spider: availability probes as a Scrapy job, so scrapyd can run them.

It makes no Scrapy requests: the probe (govspider.probe) runs on the crawl's asyncio
loop with its own 15-second, no-retry client, and stores one row per site.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from govspider.clock import crawl_now
from govspider.probe import probe_sites, store_probes, targets_from_sites
from govspider.sitelist import SiteListError, load_sites, select_sites
from pipelines.db import make_engine


class ProbeSpider(scrapy.Spider):
    name = "probe"

    def __init__(self, sites: str | None = None, site: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sites_file = sites
        self.site_filter = site

    async def start(self) -> AsyncIterator[scrapy.Request]:
        settings = self.crawler.settings
        sites_file = self.sites_file or settings.get("GOVSPIDER_SITES")
        if not sites_file:
            raise SiteListError("未指定站点名单: 用 -a sites=FILE 或设置 GOVSPIDER_SITES")
        targets = targets_from_sites(select_sites(load_sites(sites_file), self.site_filter))
        frozen = settings.get("GOVSPIDER_NOW")
        rows = await probe_sites(targets, now=crawl_now(frozen) if frozen else None)
        engine = make_engine(settings.get("GOVSPIDER_DATABASE_URL"))
        try:
            await maybe_deferred_to_future(deferToThread(store_probes, engine, rows))
        finally:
            engine.dispose()
        failed = sum(1 for r in rows if not r.ok)
        self.logger.info("probed %d sites, %d failed", len(rows), failed)
        for row in rows:
            self.crawler.stats.inc_value("govspider/probes")
            if not row.ok:
                self.crawler.stats.inc_value("govspider/probes_failed")
        return
        yield  # an async generator that schedules nothing
