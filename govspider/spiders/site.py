"""The one generic spider: walks every listed site and yields one SiteSnapshot per site.

Sites are data rows; what a page means is the extractor's business. The crawl state
(govspider.crawlstate) counts each site's outstanding requests; whoever finishes the
last one yields the site's snapshot, so each site is stored as one unit when it is done.
Everything a callback needs travels in the request's meta, so any crawler process
sharing the state (scrapy-redis) can handle any page. Every callback and errback goes
through `closes_request`: whatever the page does, its request is counted off, and an
exception makes the column (or, on the home page, the site) 监测失败 with its reason.
A site still open when the crawl closes is stored as 监测失败 (`unfinished_snapshots`).

Longer than 300 lines: every callback of a site's walk is here, so the request
accounting (begin/finish per request) can be checked in one file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from govspider.clock import crawl_now, round_of
from govspider.crawlstate import CrawlState, LocalCrawlState, RedisCrawlState
from govspider.detail_dates import response_date
from govspider.errors import FAILURE_NAMES, describe_failure
from govspider.extract import FAMILIES, ColumnLink, ColumnPage, Extractor, Follow, extractor_for
from govspider.extract.base import list_order, moved_within_site, page_links, same_site
from govspider.extract.letters import merge_letters, read_letters
from govspider.extract.noncolumns import OFF_SITE, non_column_reason
from govspider.extract.verdict import UNDATED, settle_empty
from govspider.guard import canonical_url
from govspider.items import (
    STATUS_FAILED,
    STATUS_OK,
    STATUS_PARTIAL,
    Column,
    NonColumn,
    SiteSnapshot,
)
from govspider.pagecheck import check_page, site_marks
from govspider.progress import ERRORS_STAT
from govspider.rendering import NO_BROWSER, render_failure
from govspider.sitelist import Site, SiteListError, load_sites, select_sites
from govspider.spiders.guides import GUIDE_PAGES, GuideChecks
from govspider.spiders.online import OnlineChecks, is_service_page

RENDER_UA_MARK = "(rendering)"
DETAIL_FAILED = "详情页无法获取,发布日期未知"
PARSE_FAILED = "解析出错"
UNFINISHED = "抓取结束时未完成"
NOT_STARTED = "抓取结束时尚未开始"
SITE_POLL_SECONDS = 0.5  # how often a full start() looks whether another process stored a site
ERROR_STATUSES = list(range(400, 600))


def closes_request(callback: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """Wrap a callback or errback: the request is counted off whatever happens.

    An exception inside is recorded (column or site 监测失败, `解析出错: <type>` and the
    URL), logged once with its traceback and counted; it never leaves the site open.
    """

    @functools.wraps(callback)
    def run(self: SiteSpider, result: Response | Failure) -> Iterator[Any]:
        request = result.request
        site = self._site_of(request)
        try:
            yield from callback(self, result)
        except Exception as exc:  # noqa: BLE001 - any fault of a page is a monitoring failure
            url = result.url if isinstance(result, Response) else request.url
            self._parse_failed(site, request, url, exc)
        yield from self._finish_one(site)

    return run


class SiteSpider(GuideChecks, OnlineChecks, scrapy.Spider):
    name = "site"
    browser_problem = ""

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
        spider.detail_pages = settings.getint("GOVSPIDER_DETAIL_PAGES", 3)
        spider.list_pages = settings.getint("GOVSPIDER_LIST_PAGES", 3)
        spider.guide_pages = settings.getint("GOVSPIDER_GUIDE_PAGES", GUIDE_PAGES)
        spider.render = settings.getbool("GOVSPIDER_RENDER", True)
        spider.render_timeout = settings.getint("DOWNLOAD_TIMEOUT", 15) * 1000
        spider.base_user_agent = settings.get("USER_AGENT") or "govspider"
        spider.targets = select_sites(load_sites(spider.sites_file), spider.site_filter)
        spider.sites_by_id = {s.id: s for s in spider.targets}
        unknown = [f"{s.name}({s.cms})" for s in spider.targets if s.cms and s.cms not in FAMILIES]
        if unknown:
            raise SiteListError(
                f"建站系统类型无法识别: {'、'.join(unknown)}(可选: {', '.join(FAMILIES)})"
            )
        spider.state = make_state(settings, spider.round)
        at_once = settings.get("GOVSPIDER_SITES_IN_PROGRESS")
        if at_once in (None, ""):
            at_once = 2 * settings.getint("CONCURRENT_REQUESTS", 16)
        spider.sites_in_progress = int(at_once)
        spider.started_sites, spider.open_sites = set(), set()
        spider._site_closed = None
        return spider

    async def _room_for_a_site(self) -> None:
        """Wait until fewer than GOVSPIDER_SITES_IN_PROGRESS of the sites this process
        started are still open: the next site starts when one is stored, so what open
        sites hold (columns, links, findings, queued requests) does not grow with the list."""
        if self.sites_in_progress <= 0:
            return
        from twisted.internet import reactor  # the crawl's own, installed by now

        while True:
            self.open_sites = self.state.still_open(self.open_sites)
            if len(self.open_sites) < self.sites_in_progress:
                return
            # a site this process stores wakes the wait at once; one that another process
            # of a shared run stores (Redis) is seen at the next look
            self._site_closed = Deferred()
            timer = reactor.callLater(SITE_POLL_SECONDS, self._wake)
            await maybe_deferred_to_future(self._site_closed)
            if timer.active():
                timer.cancel()

    def _wake(self) -> None:
        waiting, self._site_closed = self._site_closed, None
        if waiting is not None and not waiting.called:
            waiting.callback(None)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # set by the Rendering add-on (applied after the spider is built) when no browser
        # can be launched: said once, here, and the pages that need one fail with it
        self.browser_problem = self.settings.get("GOVSPIDER_BROWSER_PROBLEM") or ""
        if self.render and self.browser_problem:
            self.logger.warning(self.browser_problem)
        for site in self.targets:
            await self._room_for_a_site()
            if not self.state.start_site(site.id):
                continue  # another crawler process of this run has it
            self.started_sites.add(site.id)
            self.open_sites.add(site.id)
            self.state.claim(site.id, canonical_url(site.url))
            try:
                request = self._request(
                    site, site.url, self.parse_home, render=self._site_renders(site), home=True
                )
            except Exception as exc:  # noqa: BLE001 - one site's bad address stops only it
                self.state.begin(site.id)
                self._parse_failed(site, None, site.url, exc)
                for snapshot in self._finish_one(site):
                    yield snapshot
                continue
            yield request

    # ---- bookkeeping --------------------------------------------------------------------
    def _request(
        self,
        site: Site,
        url: str,
        callback,  # noqa: ANN001
        *,
        follow: Follow | None = None,
        render: bool = False,
        **meta: Any,
    ) -> scrapy.Request:
        # error statuses reach the callbacks (they are monitoring facts); redirects are
        # still followed, which handle_httpstatus_all would stop
        meta.update(site_id=site.id, handle_httpstatus_list=ERROR_STATUSES)
        if render:
            # only these requests go through Chromium; the page is closed after reading
            meta.update(
                playwright=True,
                rendered=True,
                playwright_page_goto_kwargs={
                    "wait_until": "networkidle",
                    "timeout": self.render_timeout,
                },
            )
        # a browser fetch says so in its User-Agent: the site's logs tell it from the first read
        headers = {"User-Agent": f"{self.base_user_agent} {RENDER_UA_MARK}"} if render else None
        # the state's per-site claim replaces the dupefilter, so the pending count stays exact
        if follow is not None and follow.method == "POST":
            request = scrapy.FormRequest(
                follow.url,
                formdata=follow.formdata,
                callback=callback,
                errback=self.on_error,
                meta=meta,
                dont_filter=True,
            )
        else:
            request = scrapy.Request(
                url,
                callback=callback,
                errback=self.on_error,
                meta=meta,
                headers=headers,
                dont_filter=True,
            )
        # counted once the request exists: a URL Scrapy refuses leaves no count behind
        self.state.begin(site.id)
        return request

    def _site_renders(self, site: Site) -> bool:
        return self.render and not self.browser_problem and bool(site.options.get("render"))

    def _extractor(self, response: TextResponse, site: Site) -> Extractor:
        return extractor_for(response, site.cms, site.options.get("selectors") or {})

    def _finish_one(self, site: Site) -> Iterator[SiteSnapshot]:
        if self.state.end(site.id):
            yield self._snapshot(site)

    def _parse_failed(
        self, site: Site, request: scrapy.Request | None, url: str, exc: Exception
    ) -> None:
        """A page our code could not read: its column (or the site) is 监测失败."""
        reason = f"{PARSE_FAILED}: {type(exc).__name__}({url})"
        self.logger.error("%s: %s", site.name, reason, exc_info=exc)
        self.count_fetch(site.id, errors=1)
        self.crawler.stats.inc_value("govspider/parse_errors")
        if request is not None and request.meta.get("guide_check"):
            self._guide_failed(site, request, reason)  # a guide or form: the site goes on
            return
        column: Column | None = request.meta.get("column") if request is not None else None
        if column is None:
            self.state.set_fields(site.id, status=STATUS_FAILED, error=reason)
            return
        column.status = STATUS_FAILED
        column.blank = False
        column.error = reason
        self.state.record_column(site.id, column)

    def unfinished_snapshots(self) -> list[SiteSnapshot]:
        """Sites still open when the crawl closes, each as 监测失败 with the reason.

        Called by the store pipeline before it closes. With a shared (Redis) state the
        other processes of the run finish such sites, so nothing is stored here."""
        if not isinstance(self.state, LocalCrawlState):
            return []
        snaps = []
        for site_id in self.state.unfinished():
            pending = self.state.pending[site_id]
            self.logger.error("site %s closed with %d requests open", site_id, pending)
            self.state.set_fields(
                site_id, status=STATUS_FAILED, error=f"{UNFINISHED}(尚有{pending}个请求未处理)"
            )
            snaps.append(self._snapshot(self.sites_by_id[site_id]))
        # sites waiting for their turn (GOVSPIDER_SITES_IN_PROGRESS) when the crawl closed
        for site in self.targets:
            if site.id not in self.started_sites:
                self.started_sites.add(site.id)
                self.state.set_fields(site.id, status=STATUS_FAILED, error=NOT_STARTED)
                snaps.append(self._snapshot(site))
        return snaps

    def _snapshot(self, site: Site) -> SiteSnapshot:
        base = SiteSnapshot(
            site_id=site.id,
            site_name=site.name,
            home_url=site.url,
            group=site.group,
            round=self.round,
            crawled_at=self.now,
        )
        snap = self.state.assemble(base)
        if self._site_closed is not None:
            from twisted.internet import reactor

            reactor.callLater(0, self._wake)  # not inside this callback: start() goes on later
        getattr(self, "_forms_checked", {}).pop(site.id, None)
        snap.finished_at = crawl_now(self.settings.get("GOVSPIDER_NOW"))
        if snap.status != STATUS_FAILED:
            failed = [c for c in snap.columns if c.status == STATUS_FAILED]
            snap.status = STATUS_PARTIAL if failed else STATUS_OK
            snap.error = f"{len(failed)}个栏目监测失败" if failed else ""
        self.logger.info(
            "site %s (%s) done: %s, %d columns, %d pages, %d errors",
            site.id,
            site.name,
            snap.status,
            len(snap.columns),
            snap.pages_fetched,
            snap.errors,
        )
        return snap

    def _check_text(self, site: Site, response: TextResponse, home: bool = False) -> None:
        """Wording errors, forbidden words, personal data (and on the home page the site
        marks) of the page's text, kept with the page URL."""
        found = check_page(response.selector, response.url)
        if home:
            found += site_marks(response.selector, response.url)
        self.state.add_findings(site.id, found)

    def _site_of(self, response_or_request: Response | scrapy.Request) -> Site:
        return self.sites_by_id[response_or_request.meta["site_id"]]

    def count_fetch(self, site_id: str, pages: int = 0, errors: int = 0) -> None:
        """Count pages and errors for the site's snapshot and for the progress line, in one
        place, so the crawl summary (from the snapshots) and the last progress line agree."""
        self.state.count(site_id, pages=pages, errors=errors)
        if errors:
            self.crawler.stats.inc_value(ERRORS_STAT, errors)

    # ---- callbacks ------------------------------------------------------------------------
    @closes_request
    def parse_home(self, response: Response) -> Iterator[Any]:
        site = self._site_of(response)
        self.count_fetch(site.id, pages=1)
        failure = None
        if response.status >= 400 or not isinstance(response, TextResponse):
            reason = f"HTTP {response.status}" if response.status >= 400 else not_page(response)
            failure = f"首页无法获取({reason})"
        elif not moved_within_site(response.url, site.url, site.extra_domains):
            # a parked or expired domain says nothing about the site: ask for the address
            failure = f"首页跳转到站外地址({response.url}),请核实网址"
        if failure:
            self.count_fetch(site.id, errors=1)
            self.state.set_fields(
                site.id, home_status=response.status, status=STATUS_FAILED, error=failure
            )
        else:
            extractor = self._extractor(response, site)
            # a home page that redirects (http→https, an old domain to the new one) makes
            # the address it landed on part of the site as well
            base = response.url
            self.state.set_fields(
                site.id,
                home_status=response.status,
                cms=extractor.family,
                # another site's feed shown on this home page is not this site's update
                home_entries=[
                    e
                    for e in extractor.home_entries(response, self.today)
                    if self._on_site(site, e.url, base)
                ],
            )
            self.state.add_links(site.id, page_links(response, on_home=True))
            self._check_text(site, response, home=True)
            non_columns = []
            for link in self._merge_links(extractor.navigation(response)):
                reason = link.reason or self._not_column(site, link, base)
                if reason:
                    non_columns.append(NonColumn(link.name, link.url, reason, response.url))
                    continue
                yield from self._follow_column(site, link, found_on=response.url, base=base)
            self.state.set_fields(site.id, non_columns=non_columns)

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

    @staticmethod
    def _skipped(site: Site, name: str) -> bool:
        patterns = site.options.get("skip") or []
        return any(re.search(p, name) for p in patterns)

    @staticmethod
    def _on_site(site: Site, url: str, base: str) -> bool:
        return same_site(url, site.url, site.extra_domains) or same_site(
            url, base, site.extra_domains
        )

    def _not_column(self, site: Site, link: ColumnLink, base: str) -> str:
        """Why a navigation link is not a column (off-site, 网站地图, English...), or ""."""
        if not self._on_site(site, link.url, base):
            return OFF_SITE
        return non_column_reason(link.name, link.url, site.options.get("not_columns") or ())

    def _follow_column(
        self, site: Site, link: ColumnLink, found_on: str, base: str
    ) -> Iterator[Any]:
        if link.reason or self._not_column(site, link, base):
            return
        if self._skipped(site, link.name) or len(link.path) > self.max_depth:
            return
        if not self.state.claim(site.id, canonical_url(link.url)):
            return
        column = Column(
            name=link.name,
            url=link.url,
            path=list(link.path),
            depth=len(link.path),
            found_on=found_on,
            category=(site.options.get("categories") or {}).get(link.name, ""),
        )
        render = self._site_renders(site)
        yield self._request(
            site, link.url, self.parse_column, render=render, column=column, base=base
        )

    @closes_request
    def parse_column(self, response: Response) -> Iterator[Any]:
        site = self._site_of(response)
        column: Column = response.meta["column"]
        self.count_fetch(site.id, pages=1)
        column.http_status = response.status
        if response.status >= 400 or not isinstance(response, TextResponse):
            column.status = STATUS_FAILED
            column.error = (
                f"HTTP {response.status}" if response.status >= 400 else not_page(response)
            )
            self.count_fetch(site.id, errors=1)
            self.state.record_column(site.id, column)
            return
        extractor = self._extractor(response, site)
        page = extractor.column_page(response, self.today, column.name)
        column.cms = extractor.family
        column.rendered = column.rendered or bool(response.meta.get("rendered"))
        column.entries = page.entries
        merge_letters(column, read_letters(response, self.today))
        column.placeholder = page.placeholder
        if page.breadcrumb and page.breadcrumb[-1] == column.name:
            column.path = page.breadcrumb
            column.depth = len(page.breadcrumb)
        children = [s for s in page.sub_columns if s.relation == "child"]
        # settled once the whole list has been read (frames, data endpoints, last page)
        column.is_container = column.is_container or bool(children)
        self.state.add_links(site.id, page_links(response, on_home=False))
        self._check_text(site, response)
        if is_service_page(column.name):
            yield from self._online_requests(site, response)
        for sub in page.sub_columns:
            parent = column.path if sub.relation == "child" else column.path[:-1]
            sub.path = [*parent, sub.name]
            yield from self._follow_column(
                site, sub, found_on=response.url, base=response.meta.get("base", site.url)
            )
        yield from self._after_list(site, column, page, response)

    @closes_request
    def parse_list_more(self, response: Response) -> Iterator[Any]:
        """A frame, data endpoint or further page of a column's list: merge its items."""
        site = self._site_of(response)
        column: Column = response.meta["column"]
        self.count_fetch(site.id, pages=1)
        if response.status >= 400 or not isinstance(response, TextResponse):
            # the list could not be seen whole: its newest date is unknown
            column.status = STATUS_FAILED
            why = f"HTTP {response.status}" if response.status >= 400 else not_page(response)
            column.error = f"列表数据无法获取({why})"
            self.count_fetch(site.id, errors=1)
            self.state.record_column(site.id, column)
            return
        page = self._extractor(response, site).column_page(response, self.today, column.name)
        self._check_text(site, response)
        column.rendered = column.rendered or bool(response.meta.get("rendered"))
        seen = {e.url for e in column.entries}
        column.entries += [e for e in page.entries if e.url not in seen]
        merge_letters(column, read_letters(response, self.today))
        column.placeholder = column.placeholder or page.placeholder
        yield from self._after_list(site, column, page, response)

    def _after_list(
        self, site: Site, column: Column, page: ColumnPage, response: TextResponse
    ) -> Iterator[Any]:
        """The next request the list needs, or, when it is complete, the column's record."""
        budget = response.meta.get("list_budget", self.list_pages)
        base = response.meta.get("base", site.url)
        step = None
        if not column.entries and budget > 0:
            step = next((f for f in page.follow if self._claim_follow(site, f, base)), None)
        if step is None and column.entries and list_order(page.entries) == "asc" and budget > 0:
            # oldest first: the newest items are on the last page
            target = page.last_page or (Follow(page.next_pages[0]) if page.next_pages else None)
            step = target if target and self._claim_follow(site, target, base) else None
        if step is not None:
            yield self._request(
                site,
                step.url,
                self.parse_list_more,
                follow=step,
                column=column,
                list_budget=budget - 1,
                base=base,
            )
            return
        if not column.entries and page.needs_render and not response.meta.get("rendered"):
            if not self.render or self.browser_problem:
                column.status = STATUS_FAILED
                column.error = (
                    render_failure(NO_BROWSER)
                    if self.render
                    else "列表由脚本生成,需浏览器渲染(未启用)"
                )
                self.state.record_column(site.id, column)
                return
            callback = self.parse_list_more if "list_budget" in response.meta else self.parse_column
            yield self._request(
                site,
                response.url,
                callback,
                render=True,
                column=column,
                list_budget=budget,
                base=base,
            )
            return
        column.is_container = column.is_container and not column.entries and not column.placeholder
        if not column.entries and not column.is_container:
            settle_empty(column, page, response.url)
        # a list that shows no dates: the newest items' own pages tell their dates; pinned
        # items sit on top whatever their age, so they do not stand for the newest
        undated = [] if any(e.date for e in column.entries) else column.entries
        queue = [e.url for e in undated if not e.pinned][: self.detail_pages]
        yield from self._guide_requests(site, column)
        yield from self._next_detail(site, column, queue)

    def _claim_follow(self, site: Site, follow: Follow, base: str) -> bool:
        if not self._on_site(site, follow.url, base):
            return False
        key = canonical_url(follow.url) if follow.method == "GET" else follow.key
        return self.state.claim(site.id, key)

    def _next_detail(self, site: Site, column: Column, queue: list[str]) -> Iterator[Any]:
        """Fetch the detail pages one after another, then record the column."""
        if queue:
            # the entry travels with its request: a redirect does not lose which item it was
            yield self._request(
                site,
                queue[0],
                self.parse_detail,
                column=column,
                detail_queue=queue[1:],
                entry_url=queue[0],
            )
            return
        if column.error.startswith(DETAIL_FAILED) and not any(e.date for e in column.entries):
            # no date could be read because we could not open the items: that is our
            # failure, and must not read as "not updated"
            column.status = STATUS_FAILED
        elif column.entries and not any(e.date for e in column.entries):
            # items whose date neither the list nor their pages show in a form we read:
            # uncertain, so never "not updated"
            column.status = STATUS_FAILED
            column.error = UNDATED
        self.state.record_column(site.id, column)

    @closes_request
    def parse_detail(self, response: Response) -> Iterator[Any]:
        site = self._site_of(response)
        column: Column = response.meta["column"]
        # an HTTP error is an error here too, as the progress line counted it before
        self.count_fetch(site.id, pages=1, errors=int(response.status >= 400))
        if response.status >= 400 or not isinstance(response, TextResponse):
            why = f"HTTP {response.status}" if response.status >= 400 else not_page(response)
            column.error = f"{DETAIL_FAILED}({why})"
        else:
            found = response_date(response, self.today)
            self._check_text(site, response)
            entry_url = response.meta.get("entry_url", response.url)
            entry = next((e for e in column.entries if e.url == entry_url), None)
            # only a date a reader can see counts (indicators: an item with no visible
            # date is not updated); a date read from the URL is kept as a hint only
            if entry and found.date and found.source == "url":
                entry.date_text, entry.date_source = found.raw[:64], "url"
            elif entry and found.date:
                entry.date = found.date
                # 日期存疑: the page's date and its metadata differ; both go in the evidence
                entry.date_text = found.evidence()[:64]
                entry.date_source = "meta" if found.source == "meta" else "detail"
        yield from self._next_detail(site, column, response.meta["detail_queue"])

    @closes_request
    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        site = self._site_of(request)
        self.count_fetch(site.id, errors=1)
        reason = describe_failure(failure)
        if request.meta.get("rendered"):  # the browser's fault, not the site's
            reason = render_failure(_browser_error(failure, reason))
        if request.meta.get("home"):
            self.state.set_fields(site.id, status=STATUS_FAILED, error=f"首页无法获取({reason})")
        elif request.meta.get("guide_check"):
            self._guide_failed(site, request, reason)
        elif "detail_queue" in request.meta:
            # an unreachable article leaves its date unknown; the column goes on
            column = request.meta["column"]
            column.error = f"{DETAIL_FAILED}({reason})"
            yield from self._next_detail(site, column, request.meta["detail_queue"])
        else:
            column: Column = request.meta["column"]
            column.status = STATUS_FAILED
            column.error = reason
            self.state.record_column(site.id, column)
        self.logger.warning("%s: %s (%s)", site.name, request.url, reason)

    parse_guide = closes_request(GuideChecks._read_guide_page)
    parse_form = closes_request(GuideChecks._read_form)
    parse_online = closes_request(OnlineChecks._read_online)

    def closed(self, reason: str) -> None:
        unfinished = self.state.unfinished()
        if unfinished:
            self.logger.error(
                "crawl closed (%s) before these sites finished: %s", reason, unfinished
            )


def not_page(response: Response) -> str:
    """Why a response is not read as a page: the guard's reason (binary, login...)."""
    return response.meta.get("guard_reason") or "不是网页"


def _browser_error(failure: Failure, kind: str) -> str:
    """The first line of a Playwright error (e.g. 'Executable doesn't exist'), else kind."""
    if kind != FAILURE_NAMES["error"]:
        return kind
    first = str(failure.value).strip().splitlines()
    return first[0][:100] if first and first[0] else kind


def make_state(settings, round_name: str) -> CrawlState:  # noqa: ANN001
    """Redis-backed state when GOVSPIDER_REDIS_URL is set (several processes), else local."""
    redis_url = settings.get("GOVSPIDER_REDIS_URL")
    if not redis_url:
        return LocalCrawlState()
    run_id = settings.get("GOVSPIDER_RUN_ID") or round_name
    return RedisCrawlState(redis_url, run_id)
