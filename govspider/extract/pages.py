"""What a column page with no list shows: a placeholder, an empty list, or an article.

Read from the page's main area only: text in scripts, menus, side boxes and footers says
nothing about this column (a side box's 暂无内容, a script's fallback 暂无数据).
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree
from scrapy.http import TextResponse

from govspider.detail_dates import response_date
from govspider.extract.base import NON_PAGE_SUFFIXES, PLACEHOLDER_RE, clean_text
from govspider.extract.markup import NAV_RE, SIDE_RE, SKIP_RE, link_text, text_of

_NOT_MAIN = ("script", "style", "noscript", "select", "option", "form")
# an introduction page: this much text in paragraphs, and few links in the main area
ARTICLE_MIN_CHARS = 40
ARTICLE_MAX_LINKS = 4
# the site's header (logo, top links) is no part of any column's content
HEADER_RE = re.compile(r"\bheader\b", re.I)
# an article's links to its neighbours: 上一篇：<a>…</a>
PREV_NEXT_RE = re.compile(r"^\s*(?:上一篇|下一篇|上一条|下一条|上篇|下篇)")
# any of the words of a menu, side box, footer or header: one search instead of four
_OUTSIDE_RE = re.compile(
    "|".join(f"(?:{r.pattern})" for r in (NAV_RE, SIDE_RE, SKIP_RE, HEADER_RE)), re.I
)


_OUTSIDE_TAGS = frozenset((*_NOT_MAIN, "nav", "footer", "header"))


def outside_elements(root: etree._Element) -> set[etree._Element]:
    """Every element that lies in a menu, side box or footer, or in a script: one walk in
    document order (an element is outside when its parent is, or when it is marked
    itself: a script, menu, side box or footer by tag or class/id words), not one walk up
    the ancestors per element. The last page's set is kept: the steps of one page's
    extraction share it."""
    cached = _LAST_OUTSIDE.get("root")
    if cached is root:
        return _LAST_OUTSIDE["set"]
    out: set[etree._Element] = set()
    search, known = _OUTSIDE_RE.search, _OUTSIDE_WORDS
    for el in root.iter(etree.Element):  # elements only: no comments, no PIs
        if el.getparent() in out or el.tag in _OUTSIDE_TAGS:
            out.add(el)
            continue
        cls, ident = el.get("class"), el.get("id")
        if cls or ident:
            words = f"{cls or ''} {ident or ''}"
            marked = known.get(words)
            if marked is None:
                if len(known) >= _WORDS_CACHE:
                    known.clear()
                marked = known[words] = search(words) is not None
            if marked:
                out.add(el)
    _LAST_OUTSIDE.update(root=root, set=out)
    return out


_LAST_OUTSIDE: dict = {}
# class/id words repeat on every page of a template: each is searched once
_OUTSIDE_WORDS: dict[str, bool] = {}
_WORDS_CACHE = 8192


def attachment(a: etree._Element) -> bool:
    """True for a link to a file (an article's 附件), which no list of pages is made of."""
    path = (a.get("href") or "").split("?")[0].split("#")[0].lower()
    return path.endswith(NON_PAGE_SUFFIXES)


def prev_next(a: etree._Element) -> bool:
    """True for an article's 上一篇/下一篇 link."""
    parent = a.getparent()
    return parent is not None and bool(PREV_NEXT_RE.match(text_of(parent)))


def _main_parts(root: etree._Element) -> list[str]:
    body = root.find(".//body")
    if body is None:
        return []
    outside = outside_elements(root)
    parts = []
    # elements only (etree.Element): comments and processing instructions hold no text
    for el in body.iter(etree.Element):
        if el in outside:
            continue
        parts.append(el.text or "")
        parts.extend(c.tail or "" for c in el.iterchildren(etree.Element))
    return parts


def main_text(root: etree._Element) -> str:
    """The text of the page's main area."""
    return clean_text(" ".join(_main_parts(root)))


def placeholder(root: etree._Element) -> str:
    """The placeholder (暂无信息, 没有记录...) the main area shows, or ""."""
    # PLACEHOLDER_RE matches no whitespace, so it finds the same words, first to last,
    # in the text before clean_text collapses its spaces: the collapsing is not needed
    match = PLACEHOLDER_RE.search(" ".join(_main_parts(root)))
    return match.group(0) if match else ""


def is_article(root: etree._Element) -> bool:
    """Whether the main area holds an introduction/article: ARTICLE_MIN_CHARS characters
    (whitespace not counted) in paragraphs without links. Many long-titled links in the
    main area make a list we could not read, not an article. Stops as soon as it knows."""
    body = root.find(".//body")
    if body is None:
        return False
    outside = outside_elements(root)
    links = 0
    for a in body.iter("a"):
        if a not in outside and len(link_text(a)) >= 8 and not prev_next(a) and not attachment(a):
            links += 1
            if links > ARTICLE_MAX_LINKS:
                return False
    chars = 0
    for p in body.iter("p", "article"):
        if p not in outside and p.find(".//a") is None:
            # str.split's whitespace is the regex's \s: the characters a reader sees
            chars += sum(map(len, "".join(p.itertext()).split()))
            if chars >= ARTICLE_MIN_CHARS:
                return True
    return False


def page_date(response: TextResponse, today: dt.date) -> tuple[dt.date | None, str]:
    """A single page's own visible date (meta, 发布时间 label, headline), never its URL's."""
    found = response_date(response, today)
    if found.date and found.source != "url":
        return found.date, found.raw[:64]
    return None, ""
