"""The one generic spider: walks every listed site and yields one SiteSnapshot per site.

Sites are data rows; what a page means is the extractor's business. The spider keeps
a count of outstanding requests per site and emits the site's snapshot when it drops
to zero, so each site is stored as one unit as soon as it is done.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from govspider.clock import crawl_now, round_of
from govspider.errors import describe_failure
from govspider.extract import ColumnLink, Extractor, extractor_for
from govspider.extract.base import page_links, same_site
from govspider.items import (
    STATUS_FAILED,
    STATUS_OK,
    STATUS_PARTIAL,
    Column,
    SiteSnapshot,
)
from govspider.sitelist import Site, SiteListError, load_sites, select_sites


@dataclass
class SiteCrawl:
    """The state of one site's crawl while its requests are in flight."""

    site: Site
    snapshot: SiteSnapshot
    pending: int = 0
    seen: set[str] = field(default_factory=set)
    columns: dict[str, Column] = field(default_factory=dict)
    extractor: Extractor | None = None
    done: bool = False


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(
        self,
        sites: str | None = None,
        site: str | None = None,
        round: str | None = None,  # noqa: A002 - the word analysts use (监测轮次)
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sites_file = sites
        self.site_filter = site
        self.round_arg = round
        self.crawls: dict[str, SiteCrawl] = {}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> SiteSpider:  # noqa: ANN001
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.sites_file = spider.sites_file or settings.get("GOVSPIDER_SITES")
        if not spider.sites_file:
            raise SiteListError("未指定站点名单: 用 -a sites=FILE 或设置 GOVSPIDER_SITES")
        spider.now = crawl_now(settings.get("GOVSPIDER_NOW"))
        spider.today = spider.now.date()
        spider.round = spider.round_arg or settings.get("GOVSPIDER_ROUND") or round_of(spider.now)
        spider.max_depth = settings.getint("GOVSPIDER_MAX_DEPTH", 3)
        spider.targets = select_sites(load_sites(spider.sites_file), spider.site_filter)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for site in self.targets:
            snap = SiteSnapshot(
                site_id=site.id,
                site_name=site.name,
                home_url=site.url,
                group=site.group,
                round=self.round,
                crawled_at=self.now,
            )
            crawl = SiteCrawl(site=site, snapshot=snap)
            self.crawls[site.id] = crawl
            crawl.seen.add(site.url)
            yield self._request(crawl, site.url, self.parse_home, home=True)

    # ---- bookkeeping --------------------------------------------------------------------
    def _request(self, crawl: SiteCrawl, url: str, callback, **meta: Any) -> scrapy.Request:  # noqa: ANN001
        crawl.pending += 1
        meta.update(site_id=crawl.site.id, handle_httpstatus_all=True)
        # our own per-site seen-set replaces the dupefilter, so the pending count stays exact
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, meta=meta, dont_filter=True
        )

    def _finish_one(self, crawl: SiteCrawl) -> Iterator[SiteSnapshot]:
        crawl.pending -= 1
        if crawl.pending == 0 and not crawl.done:
            crawl.done = True
            yield self._snapshot(crawl)

    def _snapshot(self, crawl: SiteCrawl) -> SiteSnapshot:
        snap = crawl.snapshot
        snap.columns = list(crawl.columns.values())
        snap.finished_at = crawl_now(self.settings.get("GOVSPIDER_NOW"))
        if snap.status != STATUS_FAILED:
            failed = [c for c in snap.columns if c.status == STATUS_FAILED]
            snap.status = STATUS_PARTIAL if failed else STATUS_OK
            if failed:
                snap.error = f"{len(failed)}个栏目监测失败"
        self.logger.info(
            "site %s (%s) done: %s, %d columns, %d pages, %d errors",
            crawl.site.id,
            crawl.site.name,
            snap.status,
            len(snap.columns),
            snap.pages_fetched,
            snap.errors,
        )
        return snap

    def _crawl_of(self, response_or_request: Response | scrapy.Request) -> SiteCrawl:
        return self.crawls[response_or_request.meta["site_id"]]

    # ---- callbacks ------------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        crawl = self._crawl_of(response)
        snap = crawl.snapshot
        snap.pages_fetched += 1
        snap.home_status = response.status
        if response.status >= 400 or not isinstance(response, TextResponse):
            snap.status = STATUS_FAILED
            snap.error = (
                f"首页无法获取(HTTP {response.status})"
                if response.status >= 400
                else "首页不是网页"
            )
            snap.errors += 1
        else:
            crawl.extractor = extractor_for(response, crawl.site.cms)
            snap.cms = crawl.extractor.family
            snap.home_entries = crawl.extractor.home_entries(response, self.today)
            snap.links.extend(page_links(response, on_home=True))
            for link in self._merge_links(crawl.extractor.navigation(response)):
                yield from self._follow_column(crawl, link, found_on=response.url)
        yield from self._finish_one(crawl)

    @staticmethod
    def _merge_links(links: list[ColumnLink]) -> list[ColumnLink]:
        """One link per URL; a menu's name and path beat a block heading's."""
        by_url: dict[str, ColumnLink] = {}
        for link in links:
            if link.url not in by_url or (
                by_url[link.url].source != "nav" and link.source == "nav"
            ):
                by_url[link.url] = link
        return list(by_url.values())

    def _skipped(self, site: Site, name: str) -> bool:
        patterns = site.options.get("skip") or []
        return any(re.search(p, name) for p in patterns)

    def _follow_column(
        self, crawl: SiteCrawl, link: ColumnLink, found_on: str
    ) -> Iterator[scrapy.Request]:
        site = crawl.site
        if link.url in crawl.seen or not same_site(link.url, site.url, site.extra_domains):
            return
        if self._skipped(site, link.name) or len(link.path) > self.max_depth:
            return
        crawl.seen.add(link.url)
        column = Column(
            name=link.name,
            url=link.url,
            path=list(link.path),
            depth=len(link.path),
            found_on=found_on,
            category=(site.options.get("categories") or {}).get(link.name, ""),
        )
        crawl.columns[link.url] = column
        yield self._request(crawl, link.url, self.parse_column, column_url=link.url)

    def parse_column(self, response: Response) -> Iterator[Any]:
        crawl = self._crawl_of(response)
        snap = crawl.snapshot
        column = crawl.columns[response.meta["column_url"]]
        snap.pages_fetched += 1
        column.http_status = response.status
        if response.status >= 400 or not isinstance(response, TextResponse):
            column.status = STATUS_FAILED
            column.error = f"HTTP {response.status}" if response.status >= 400 else "不是网页"
            snap.errors += 1
            yield from self._finish_one(crawl)
            return
        extractor = crawl.extractor or extractor_for(response, crawl.site.cms)
        page = extractor.column_page(response, self.today)
        column.cms = extractor.family
        column.entries = page.entries
        if page.breadcrumb and page.breadcrumb[-1] == column.name:
            column.path = page.breadcrumb
            column.depth = len(page.breadcrumb)
        children = [s for s in page.sub_columns if s.relation == "child"]
        column.is_container = not page.entries and bool(children) and not page.placeholder
        column.blank = not page.entries and not column.is_container
        column.placeholder = page.placeholder
        snap.links.extend(page_links(response, on_home=False))
        for sub in page.sub_columns:
            parent = column.path if sub.relation == "child" else column.path[:-1]
            sub.path = [*parent, sub.name]
            yield from self._follow_column(crawl, sub, found_on=response.url)
        yield from self._finish_one(crawl)

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        crawl = self._crawl_of(request)
        snap = crawl.snapshot
        snap.errors += 1
        reason = describe_failure(failure)
        if request.meta.get("home"):
            snap.status = STATUS_FAILED
            snap.error = f"首页无法获取({reason})"
        else:
            column = crawl.columns[request.meta["column_url"]]
            column.status = STATUS_FAILED
            column.error = reason
        self.logger.warning("%s: %s (%s)", crawl.site.name, request.url, reason)
        yield from self._finish_one(crawl)

    def closed(self, reason: str) -> None:
        unfinished = [c.site.name for c in self.crawls.values() if not c.done]
        if unfinished:
            self.logger.error(
                "crawl closed (%s) before these sites finished: %s", reason, unfinished
            )
