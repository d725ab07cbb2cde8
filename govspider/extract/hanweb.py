"""Hanweb / 大汉 JCMS: list records inside a <datastore> XML block, paged through dataproxy.jsp.

A JCMS list page carries its first records in the page itself::

    <script type="text/xml"><datastore>
      <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?…&columnid=1001"></a>]]>
      </nextgroup>
      <recordset><record><![CDATA[<li><a href="/art/2024/5/20/art_1001_1.html">…</a>
      <span>2024-05-20</span></li>]]></record>…</recordset></datastore></script>

and a ``jpage`` call names the endpoint for the rest (``proxyUrl``, ``totalRecord``,
``perPage``, ``ajaxParam``). Further records come from POSTs to ``dataproxy.jsp`` with
``startrecord``/``endrecord``/``perpage`` in the query and the column's ids in the form;
the reply is the same <datastore> XML. Newer templates embed no records at all and load
even the first ones through that endpoint.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from scrapy.http import HtmlResponse, TextResponse

from govspider.extract.base import ColumnPage, Follow
from govspider.extract.generic import GenericExtractor

RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
TOTAL_RE = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)|<totalrecord>\s*(\d+)", re.I)
PER_PAGE_RE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
PROXY_RE = re.compile(r"proxyUrl\s*[:=]\s*['\"]([^'\"]+)['\"]", re.I)
AJAX_PARAM_RE = re.compile(r"ajaxParam\s*[:=]\s*\{([^}]*)\}", re.I)
PARAM_RE = re.compile(r"['\"]?(\w+)['\"]?\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([\w./-]+))")
NEXTGROUP_RE = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"]", re.S | re.I)
# the records of the first screen: Hanweb shows groupSize pages of perPage records each
FIRST_SCREEN = 3
RANGE_KEYS = ("startrecord", "endrecord", "perpage")


class HanwebExtractor(GenericExtractor):
    """Records from the datastore block or the dataproxy reply; the rest read generically."""

    family = "hanweb"

    @classmethod
    def detect(cls, response: TextResponse) -> bool:
        body = response.body
        return b"<datastore" in body or b"dataproxy.jsp" in body or b"/module/web/jpage/" in body

    def column_page(
        self, response: TextResponse, today: dt.date, column_name: str = ""
    ) -> ColumnPage:
        text = response.text
        records = RECORD_RE.findall(text)
        if "<html" not in text[:2000].lower():  # a dataproxy.jsp reply: XML only
            page = ColumnPage()
        else:
            page = super().column_page(response, today, column_name)
        if records:
            page.entries = self._record_entries(response, records, today)
            page.placeholder = ""
            page.follow = []
        elif page.entries:
            return page  # an older template: a plain HTML list
        elif _is_reply(response) and TOTAL_RE.search(text) and _total(text) == 0:
            page.empty_container = True  # the data endpoint itself says: no records
            return page
        endpoint = self._endpoint(response, text)
        if endpoint is None:
            return page
        proxy, params, per_page = endpoint
        total = _total(text)
        if not records and not _is_reply(response):
            # nothing embedded: the first records come from the endpoint too
            page.follow = [_post(proxy, params, 1, per_page * FIRST_SCREEN, per_page)]
            page.empty_container = False
        elif records and total > len(records):
            start = max(1, total - per_page + 1)
            page.last_page = _post(proxy, params, start, total, per_page)
        return page

    def _record_entries(self, response: TextResponse, records: list[str], today: dt.date):
        # each record becomes one element, whatever its markup (li, tr, div)
        html = "".join(f'<div class="record">{r}</div>' for r in records)
        fragment = HtmlResponse(
            url=response.url,
            body=f"<html><body>{html}</body></html>".encode(),
            encoding="utf-8",
        )
        found = [
            self._candidate(fragment, el, today)
            for el in fragment.selector.root.iter("div")
            if el.get("class") == "record"
        ]
        return self._entries([c for c in found if c])

    @staticmethod
    def _endpoint(response: TextResponse, text: str) -> tuple[str, dict[str, str], int] | None:
        """(proxy URL without query, form parameters, records per page), or None."""
        per_page = int(m.group(1)) if (m := PER_PAGE_RE.search(text)) else 15
        if _is_reply(response):
            form = dict(parse_qsl((response.request.body or b"").decode("utf-8", "replace")))
            query = dict(parse_qsl(urlsplit(response.url).query))
            per_page = int(query.get("perpage") or per_page)
            return response.url.split("?", 1)[0], form, per_page
        proxy_m = PROXY_RE.search(text)
        params: dict[str, str] = {}
        if (m := AJAX_PARAM_RE.search(text)) is not None:
            for p in PARAM_RE.finditer(m.group(1)):
                params[p.group(1)] = next(g for g in p.groups()[1:] if g is not None)
        nextgroup = NEXTGROUP_RE.search(text)
        if nextgroup:
            link = urljoin(response.url, unescape(nextgroup.group(1)))
            params = {**dict(parse_qsl(urlsplit(link).query)), **params}
            proxy = proxy_m.group(1) if proxy_m else link.split("?", 1)[0]
        elif proxy_m:
            proxy = proxy_m.group(1)
        else:
            return None
        if "columnid" not in params:
            return None
        for key in RANGE_KEYS + ("page",):
            params.pop(key, None)
        return urljoin(response.url, proxy), params, per_page


def _is_reply(response: TextResponse) -> bool:
    return response.request is not None and response.request.method == "POST"


def _total(text: str) -> int:
    m = TOTAL_RE.search(text)
    return int(m.group(1) or m.group(2)) if m else 0


def _post(proxy: str, params: dict[str, str], start: int, end: int, per_page: int) -> Follow:
    query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
    return Follow(f"{proxy}?{query}", kind="data", method="POST", formdata=dict(params))
