"""TRS / 拓尔思 WCM: static list pages whose pager is written by createPageHTML(...) in JS.

A TRS list page holds its items in plain HTML (``./202405/t20240520_123.html`` links) and
writes its pager with a script, so the static page has no pager links at all. The call's
arguments say how many pages there are and how they are named::

    createPageHTML(5, 0, "index", "html");                 // WCM 6/7
    createPageHTML('page_div', 5, 0, 'index', 'html', 98); // WCM 8 and later
    var countPage = 5; createPageHTML(countPage, currentPage, "index", "html");

Page 0 is ``index.html``, page k is ``index_k.html`` in the column's directory.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

from scrapy.http import TextResponse

from govspider.extract.base import ColumnPage, Follow
from govspider.extract.generic import GenericExtractor

CREATE_PAGE_RE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
GENERATOR_RE = re.compile(rb"<meta[^>]+(?:TRS\s*WCM|TRSWCM|trs\.com\.cn)", re.I)
TRS_URL_RE = re.compile(rb"""href=["'][^"']*/t(?:19|20)\d{6}_\d+\.s?html?["']""")
_VAR_RE = r"(?:var\s+)?{name}\s*=\s*['\"]?([\w.]+)['\"]?\s*;"


def _resolve(arg: str, scripts: str) -> str:
    """A createPageHTML argument: a literal, or the value of the variable it names."""
    arg = arg.strip().strip("'\"")
    if re.fullmatch(r"[A-Za-z_]\w*", arg) and arg not in ("index", "html", "shtml", "htm"):
        m = re.search(_VAR_RE.format(name=re.escape(arg)), scripts)
        if m:
            return m.group(1)
    return arg


def parse_create_page(scripts: str) -> tuple[int, int, str, str] | None:
    """(pages, current page index, name prefix, extension) from a createPageHTML call."""
    for m in CREATE_PAGE_RE.finditer(scripts):
        args = [_resolve(a, scripts) for a in m.group(1).split(",")]
        if len(args) >= 5 and not args[0].isdigit():
            args = args[1:]  # the newer form names the pager's element first
        if len(args) < 4 or not (args[0].isdigit() and args[1].isdigit()):
            continue
        return int(args[0]), int(args[1]), args[2] or "index", args[3] or "html"
    return None


class TrsExtractor(GenericExtractor):
    """Generic structure reading plus the TRS pager."""

    family = "trs"

    @classmethod
    def detect(cls, response: TextResponse) -> bool:
        body = response.body
        return (
            b"createPageHTML" in body
            or bool(GENERATOR_RE.search(body[:4096]))
            or len(TRS_URL_RE.findall(body)) >= 2
        )

    def column_page(
        self, response: TextResponse, today: dt.date, column_name: str = ""
    ) -> ColumnPage:
        page = super().column_page(response, today, column_name)
        scripts = "\n".join(response.xpath("//script[not(@src)]/text()").getall())
        pager = parse_create_page(scripts)
        if pager:
            pages, current, prefix, ext = pager
            if pages > 1 and current < pages - 1:
                page.last_page = Follow(urljoin(response.url, f"{prefix}_{pages - 1}.{ext}"))
                if current + 1 < pages:
                    page.next_pages.append(urljoin(response.url, f"{prefix}_{current + 1}.{ext}"))
        return page
