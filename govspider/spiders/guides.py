"""Service guides during the crawl: the first items of a 办事指南 column are opened as
guides (their element categories read), the forms they link to are downloaded to see
that they really come (HTTP status, content type), and their links to online handling
are checked (govspider.spiders.online). Results are page findings of kind
`guide` and `form`; a guide or form that could not be fetched says why in `note`.

A mixin of SiteSpider: the callbacks here are wrapped by site.py's `closes_request`, so
each request is counted off whatever happens.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from govspider.extract.guides import download_verdict, is_guide_column, read_guide
from govspider.extract.online import not_judged
from govspider.guard import canonical_url
from govspider.items import STATUS_FAILED, Column, PageFinding
from govspider.sitelist import Site
from govspider.spiders.online import ONLINE

GUIDE = "guide"  # text: guide title, correct: missing categories (、), context: column URL
FORM = "form"  # page_url: guide, text: link text, context: form URL, correct: status/type
GUIDE_PAGES = 5  # guides opened per guide column (GOVSPIDER_GUIDE_PAGES)
FORMS_PER_SITE = 10


class GuideChecks:
    """Requests and callbacks of the service-guide check (see the module docstring)."""

    guide_pages: int = GUIDE_PAGES

    def _guide_requests(self, site: Site, column: Column) -> Iterator[scrapy.Request]:
        """Requests for the first guides of a 办事指南 column whose list was read."""
        if column.status == STATUS_FAILED or not is_guide_column(column.name):
            return
        picked = 0
        for entry in column.entries:
            if picked >= self.guide_pages:
                break
            if not self.state.claim(site.id, "guide:" + canonical_url(entry.url)):
                continue
            picked += 1
            yield self._request(
                site,
                entry.url,
                self.parse_guide,
                guide_check=GUIDE,
                guide_column=column.url,
                guide_title=entry.title,
            )

    def _read_guide_page(self, response: Response) -> Iterator[Any]:
        site = self._site_of(response)
        self.count_fetch(site.id, pages=1, errors=int(response.status >= 400))
        meta = response.meta
        title, column_url = meta.get("guide_title", ""), meta.get("guide_column", "")
        if response.status >= 400 or not isinstance(response, TextResponse):
            why = f"HTTP {response.status}" if response.status >= 400 else "不是网页"
            why = meta.get("guide_reason") or meta.get("guard_reason") or why
            self.state.add_findings(
                site.id, [PageFinding(GUIDE, response.url, title, "", column_url, why)]
            )
            return
        guide = read_guide(response.selector, response.url)
        found = [PageFinding(GUIDE, response.url, title, "、".join(guide.missing), column_url)]
        self.state.add_findings(site.id, found)
        self._check_text(site, response)
        for form in guide.forms:
            if self.state.claim(site.id, "form:" + canonical_url(form.url)) and self._form_budget(
                site
            ):
                yield self._request(
                    site,
                    form.url,
                    self.parse_form,
                    guide_check=FORM,
                    download_check=True,
                    guide_page=response.url,
                    form_text=form.text,
                )
        yield from self._online_requests(site, response)

    def _form_budget(self, site: Site) -> bool:
        """At most FORMS_PER_SITE forms downloaded per site (in this process)."""
        if not hasattr(self, "_forms_checked"):
            self._forms_checked: dict[str, int] = {}
        self._forms_checked[site.id] = self._forms_checked.get(site.id, 0) + 1
        return self._forms_checked[site.id] <= FORMS_PER_SITE

    def _read_form(self, response: Response) -> Iterator[Any]:
        site = self._site_of(response)
        # a fetch like any page: the crawl summary counts it as the progress line does
        self.count_fetch(site.id, pages=1, errors=int(response.status >= 400))
        # our guard stopped it, or a 403/429 that may be for us only: 未监测, not 无法下载
        unjudged = response.meta.get("guard_reason") or not_judged(response.status)
        if unjudged:
            self._form_finding(site, response.request, "", unjudged)
            return
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        disposition = response.headers.get(b"Content-Disposition", b"").decode("latin-1")
        why = download_verdict(response.status, ctype, disposition, response.body[:512])
        self._form_finding(site, response.request, f"HTTP {response.status} {ctype}", why)
        yield from ()  # nothing to follow from a form

    def _form_finding(self, site: Site, request: scrapy.Request, seen: str, why: str) -> None:
        meta = request.meta
        self.state.add_findings(
            site.id,
            [
                PageFinding(
                    FORM,
                    meta.get("guide_page", ""),
                    meta.get("form_text", ""),
                    seen.strip(),
                    request.url,
                    why,
                )
            ],
        )

    def _guide_failed(self, site: Site, request: scrapy.Request, reason: str) -> None:
        """A guide or form that could not be fetched or read: recorded with the reason; the
        site's other findings stand."""
        if request.meta.get("guide_check") == FORM:
            self._form_finding(site, request, "", reason)
            return
        if request.meta.get("guide_check") == ONLINE:
            self._online_unchecked(site, request, reason)
            return
        meta = request.meta
        self.state.add_findings(
            site.id,
            [
                PageFinding(
                    GUIDE,
                    request.url,
                    meta.get("guide_title", ""),
                    "",
                    meta.get("guide_column", ""),
                    reason,
                )
            ],
        )
