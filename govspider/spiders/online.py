"""Online service systems during the crawl: links to online handling (在线办理, 网上办事大厅)
on service guides and on 办事服务 column pages are requested, and what they answer is
judged (govspider.extract.online). Results are page findings of kind `online`:

- page_url: the page the link sits on; text: the link text; context: the system's URL;
- correct: what was seen (`HTTP 200 text/html 登录页“…”`), "" when no HTTP answer came;
- note: "" when the system opened, else why not; a request that got no HTTP answer
  (timeout, refused, reset, DNS) has `UNCHECKED` before its reason: 未监测, not a fault.

The system may live on another host (a provincial 政务服务网): the guard lets these
requests leave the site and reach login pages (meta `online_check`). Each is retried once
on a transport failure (meta max_retry_times), at most ONLINE_PER_SITE per site.

A mixin of SiteSpider: the callback is wrapped by site.py's `closes_request`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from govspider.extract.online import not_judged, online_links, online_verdict, opened_as
from govspider.guard import canonical_url
from govspider.items import PageFinding
from govspider.sitelist import Site

ONLINE = "online"
ONLINE_PER_SITE = 5
UNCHECKED = "未监测:"  # note prefix: the request got no HTTP answer (our side or the net)
RETRIES = 1
SERVICE_PAGE = re.compile(r"办事|服务指南|政务服务|便民服务|网上服务|在线服务|表格下载")


def is_service_page(column_name: str) -> bool:
    """A column page where links to online handling are looked for."""
    return bool(SERVICE_PAGE.search(column_name or ""))


class OnlineChecks:
    """Requests and callback of the online-system check (see the module docstring)."""

    def _online_requests(self, site: Site, response: TextResponse) -> Iterator[scrapy.Request]:
        """Requests for the page's links to online handling not yet checked for the site."""
        for link in online_links(response.selector, response.url):
            if not self.state.claim(site.id, "online:" + canonical_url(link.url)):
                continue
            if not self._online_slot(site):
                return
            yield self._request(
                site,
                link.url,
                self.parse_online,
                guide_check=ONLINE,
                online_check=True,
                max_retry_times=RETRIES,
                online_page=response.url,
                online_text=link.text,
            )

    def _online_slot(self, site: Site) -> bool:
        """One of the site's ONLINE_PER_SITE checks (claimed, so shared by processes)."""
        return any(self.state.claim(site.id, f"online-slot:{i}") for i in range(ONLINE_PER_SITE))

    def _read_online(self, response: Response) -> Iterator[Any]:
        site = self._site_of(response)
        self.count_fetch(site.id, pages=1, errors=int(response.status >= 400))
        # our guard stopped it (page budget, trap), or a 403/429 that may be for us only
        unjudged = response.meta.get("guard_reason") or not_judged(response.status)
        if unjudged:
            self._online_unchecked(site, response.request, unjudged)
            return
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        sel = response.selector if isinstance(response, TextResponse) else None
        why = online_verdict(response.status, ctype, response.body[:512], sel)
        seen = f"HTTP {response.status} {ctype.split(';')[0].strip()}".strip()
        if not why and response.url != response.request.url:
            seen += f" 跳转至 {response.url}"
        if not why:
            seen += f" {opened_as(sel)}".rstrip()
        self._online_finding(site, response.request, seen, why)
        yield from ()  # nothing to follow from an online system

    def _online_finding(self, site: Site, request: scrapy.Request, seen: str, why: str) -> None:
        meta = request.meta
        self.state.add_findings(
            site.id,
            [
                PageFinding(
                    ONLINE,
                    meta.get("online_page", ""),
                    meta.get("online_text", ""),
                    seen.strip(),
                    meta.get("redirect_urls", [request.url])[0],
                    why,
                )
            ],
        )

    def _online_unchecked(self, site: Site, request: scrapy.Request, reason: str) -> None:
        """No HTTP answer after the retry, or our code failed on it: 未监测 with the reason."""
        tried = f"(已重试{RETRIES}次)" if request.meta.get("retry_times") else ""
        self._online_finding(site, request, "", f"{UNCHECKED}{reason}{tried}")
