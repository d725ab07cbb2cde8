"""What a column page with no list shows: a placeholder, an empty list, or an article.

Read from the page's main area only: text in scripts, menus, side boxes and footers says
nothing about this column (a side box's 暂无内容, a script's fallback 暂无数据).
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree
from scrapy.http import TextResponse

from govspider.detail_dates import extract_detail_date
from govspider.extract.base import NON_PAGE_SUFFIXES, PLACEHOLDER_RE, clean_text
from govspider.extract.markup import NAV_RE, SIDE_RE, SKIP_RE, in_area, link_text, text_of

_NOT_MAIN = ("script", "style", "noscript", "select", "option", "form")
# an introduction page: this much text in paragraphs, and few links in the main area
ARTICLE_MIN_CHARS = 40
ARTICLE_MAX_LINKS = 4
# the site's header (logo, top links) is no part of any column's content
HEADER_RE = re.compile(r"\bheader\b", re.I)
# an article's links to its neighbours: 上一篇：<a>…</a>
PREV_NEXT_RE = re.compile(r"^\s*(?:上一篇|下一篇|上一条|下一条|上篇|下篇)")


def _outside(el: etree._Element) -> bool:
    """True when the element lies in a menu, side box or footer, or in a script."""
    for anc in [el, *el.iterancestors()]:
        if isinstance(anc.tag, str) and anc.tag in _NOT_MAIN:
            return True
    return (
        in_area(el, NAV_RE, ("nav",))
        or in_area(el, SIDE_RE)
        or in_area(el, SKIP_RE, ("footer",))
        or in_area(el, HEADER_RE, ("header",))
    )


def attachment(a: etree._Element) -> bool:
    """True for a link to a file (an article's 附件), which no list of pages is made of."""
    path = (a.get("href") or "").split("?")[0].split("#")[0].lower()
    return path.endswith(NON_PAGE_SUFFIXES)


def prev_next(a: etree._Element) -> bool:
    """True for an article's 上一篇/下一篇 link."""
    parent = a.getparent()
    return parent is not None and bool(PREV_NEXT_RE.match(text_of(parent)))


def main_text(root: etree._Element) -> str:
    """The text of the page's main area."""
    body = root.find(".//body")
    if body is None:
        return ""
    parts = []
    for el in body.iter():
        if not isinstance(el.tag, str) or _outside(el):
            continue
        parts.append(el.text or "")
        parts.extend(c.tail or "" for c in el if isinstance(c.tag, str) and not _outside(el))
    return clean_text(" ".join(parts))


def placeholder(root: etree._Element) -> str:
    """The placeholder (暂无信息, 没有记录...) the main area shows, or ""."""
    match = PLACEHOLDER_RE.search(main_text(root))
    return match.group(0) if match else ""


def article_text(root: etree._Element) -> str:
    """The text of an introduction/article in the main area, "" when there is none.

    Many long-titled links in the main area make a list we could not read, not an article.
    """
    body = root.find(".//body")
    if body is None:
        return ""
    links = [
        a
        for a in body.iter("a")
        if len(link_text(a)) >= 8 and not _outside(a) and not prev_next(a) and not attachment(a)
    ]
    if len(links) > ARTICLE_MAX_LINKS:
        return ""
    texts = [
        clean_text("".join(p.itertext()))
        for p in body.iter("p", "article")
        if not _outside(p) and p.find(".//a") is None
    ]
    text = " ".join(t for t in texts if t)
    return text if len(re.sub(r"\s", "", text)) >= ARTICLE_MIN_CHARS else ""


def page_date(response: TextResponse, today: dt.date) -> tuple[dt.date | None, str]:
    """A single page's own visible date (meta, 发布时间 label, headline), never its URL's."""
    found = extract_detail_date(response.body, today, response.url)
    if found.date and found.source != "url":
        return found.date, found.raw[:64]
    return None, ""
