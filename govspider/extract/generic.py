"""The generic extractor: menus, home-page blocks and dated lists found by page structure.

It relies on what almost every government site shares: a navigation menu whose class
or id says nav/menu, blocks on the home page with a 更多 link, and column pages whose
main list is the largest group of sibling elements that each hold a link and a date.

Longer than 300 lines: the structural heuristics for menus, blocks and lists share
one candidate model and are tuned together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from scrapy.http import TextResponse

from govspider.dates import find_date, parse_date
from govspider.extract.base import (
    HOME_NAMES,
    PINNED_RE,
    ColumnLink,
    ColumnPage,
    Extractor,
    Follow,
    absolute,
    clean_text,
    is_page_url,
    url_path,
)
from govspider.extract.markup import (
    BLOCK_ITEM_TAGS,
    CRUMB_RE,
    CRUMB_SPLIT_RE,
    ITEM_TAGS,
    LAST_PAGE_RE,
    LIST_AREA_RE,
    NAV_RE,
    NEXT_PAGE_RE,
    PAGER_RE,
    SIDE_RE,
    SKIP_RE,
    attrs,
    in_area,
    link_text,
    menu_heading,
    pin_marked,
    starts_with,
    text_of,
)
from govspider.extract.menus import block_links, column_link, menu_links
from govspider.extract.pages import is_article, page_date, placeholder
from govspider.extract.scripts import builds_list, script_entries
from govspider.extract.splitlists import whole_list
from govspider.items import Entry

_NO_LINK = ColumnLink(name="", url="")
_CRUMB_STARTS = ("当前位置", "您的位置", "您现在的位置")


@dataclass
class _Candidate:
    element: etree._Element
    title: str
    url: str
    date: dt.date | None
    date_text: str
    pinned: bool = False


def _longer_than(el: etree._Element, limit: int) -> bool:
    """len(text_of(el)) > limit, reading no more text than needed: the cleaned text holds
    every non-space character, so once there are more than `limit` it is longer."""
    seen = 0
    for chunk in el.itertext():
        seen += sum(map(len, chunk.split()))
        if seen > limit:
            return True
    return len(text_of(el)) > limit


def _block_item(el: etree._Element) -> bool:
    """A div or p that is one list item: exactly one link and no list or block inside."""
    links = 0
    for a in el.iter("a"):
        if a.get("href"):
            links += 1
            if links > 1:  # a wrapper of many links: no need to count them all
                return False
    if links != 1:
        return False
    return not any(d.tag in ("div", "p", "li", "tr", "ul", "table") for d in el.iterdescendants())


class GenericExtractor(Extractor):
    """Finds columns and dated lists on any site by page structure alone."""

    family = "generic"

    @classmethod
    def detect(cls, response: TextResponse) -> bool:
        return True

    # ---- items -------------------------------------------------------------------------
    def _candidates(self, response: TextResponse, today: dt.date) -> list[_Candidate]:
        """Every li/tr/dd that holds a page link, with the date its text shows."""
        root = response.selector.root
        if self.selectors.get("items"):
            elements = [sel.root for sel in response.css(self.selectors["items"])]
        else:
            elements = list(root.iter(*ITEM_TAGS, *BLOCK_ITEM_TAGS))
        out = []
        for el in elements:
            if el.tag in BLOCK_ITEM_TAGS and not _block_item(el):
                continue
            if el.tag == "li" and el.find(".//li") is not None:
                continue  # a menu entry with a dropdown, not a list item
            if el.tag == "tr" and el.find(".//table") is not None:
                continue
            if el.tag == "dd" and (el.find(".//li") is not None or el.find(".//tr") is not None):
                continue  # a block's body holding a whole list, not one item
            found = self._candidate(response, el, today)
            if found:
                out.append(found)
        return out

    def _candidate(
        self, response: TextResponse, el: etree._Element, today: dt.date
    ) -> _Candidate | None:
        anchors = [a for a in el.iter("a") if a.get("href")]
        if not anchors:
            return None
        if len(anchors) == 1:
            best = anchors[0]
        else:
            best = max(anchors, key=lambda a: len(a.get("title") or link_text(a)))
        url = absolute(response, best.get("href"))
        if not url:
            return None
        anchor_text = link_text(best)
        title = clean_text(best.get("title") or "") or anchor_text
        full = text_of(el)
        rest = full.replace(anchor_text, " ", 1) if anchor_text else full
        date_sel = self.selectors.get("date")
        if date_sel:
            cells = [text_of(c) for c in el.cssselect(date_sel)]
            day = next((d for d in (parse_date(c, today) for c in cells) if d), None)
            found = (day, next(c for c in cells if parse_date(c, today))) if day else None
        else:
            found = find_date(rest, today) or find_date(full, today)
        date, date_text = found if found else (None, "")
        pinned = bool(PINNED_RE.match(title) or "置顶" in rest) or pin_marked(el)
        title = PINNED_RE.sub("", title) if pinned else title
        return _Candidate(el, title, url, date, date_text, pinned)

    def _groups(self, candidates: list[_Candidate]) -> list[list[_Candidate]]:
        groups: dict[etree._Element, list[_Candidate]] = defaultdict(list)
        for c in candidates:
            groups[c.element.getparent()].append(c)
        return list(groups.values())

    @staticmethod
    def _entries(group: list[_Candidate]) -> list[Entry]:
        seen: set[str] = set()
        entries = []
        for c in group:
            if c.url in seen or not c.title or c.title in HOME_NAMES:
                continue
            seen.add(c.url)
            entries.append(
                Entry(
                    title=c.title,
                    url=c.url,
                    date=c.date,
                    date_text=c.date_text,
                    date_source="list" if c.date else "",
                    pinned=c.pinned,
                )
            )
        return entries

    def _main_list(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """The page's main list: the sibling group with the most dated items."""
        if self.selectors.get("items"):
            return candidates  # the site list says which elements are the items
        usable = [
            c
            for c in candidates
            if not in_area(c.element, NAV_RE, ("nav",)) and not in_area(c.element, SKIP_RE)
        ]
        groups = self._groups(usable)
        dated = [g for g in groups if any(c.date for c in g) and not self._is_side(g)]
        if dated:
            best = max(dated, key=lambda g: (sum(1 for c in g if c.date), len(g)))
            return whole_list(best, dated)
        # no dates anywhere: the largest group of long titles in a list-like area
        plain = [
            g
            for g in groups
            if not self._is_side(g)
            and in_area(g[0].element, LIST_AREA_RE)
            and sum(1 for c in g if len(c.title) >= 6) >= 1
        ]
        return max(plain, key=len) if plain else []

    @staticmethod
    def _is_side(group: list[_Candidate]) -> bool:
        return in_area(group[0].element, SIDE_RE) and not any(c.date for c in group)

    def home_entries(self, response: TextResponse, today: dt.date) -> list[Entry]:
        dated = [
            c
            for c in self._candidates(response, today)
            if c.date and not in_area(c.element, NAV_RE, ("nav",))
        ]
        return self._entries(dated)

    # ---- navigation ----------------------------------------------------------------------
    def navigation(self, response: TextResponse) -> list[ColumnLink]:
        """Columns from the navigation menus and from home-page blocks' 更多 links."""
        links = menu_links(response, self.selectors.get("nav"))
        links.extend(block_links(response))
        return links

    # ---- column pages -----------------------------------------------------------------------
    def column_page(
        self, response: TextResponse, today: dt.date, column_name: str = ""
    ) -> ColumnPage:
        candidates = self._candidates(response, today)
        main = self._main_list(candidates)
        page = ColumnPage(entries=self._entries(main))
        if not page.entries:
            page.entries = script_entries(response, today)
        page.breadcrumb = self._breadcrumb(response)
        entry_urls = {e.url for e in page.entries}
        own_name = column_name or (page.breadcrumb[-1] if page.breadcrumb else "")
        page.sub_columns = self._sub_columns(response, entry_urls, own_name)
        self._pages(response, page)
        if page.entries and not any(e.date for e in page.entries):
            self._undated_article(response, page)
        if not page.entries:
            self._why_empty(response, page, today)
        return page

    @staticmethod
    def _undated_article(response: TextResponse, page: ColumnPage) -> None:
        """An article's few stray links (its own title, 上一篇/下一篇) are not a list.

        Only when no item shows a date and the main area reads as an article: a real list
        of undated items has more long-titled links than an article allows.
        """
        if is_article(response.selector.root):
            page.entries = []

    def _pages(self, response: TextResponse, page: ColumnPage) -> None:
        """Next-page and last-page links of the list's pager."""
        for a in response.selector.root.iter("a"):
            text = link_text(a)
            url = absolute(response, a.get("href"))
            if not url or url == response.url:
                continue
            if NEXT_PAGE_RE.match(text):
                page.next_pages.append(url)
            elif LAST_PAGE_RE.match(text) and page.last_page is None:
                page.last_page = Follow(url)

    def _why_empty(self, response: TextResponse, page: ColumnPage, today: dt.date) -> None:
        """A list with no items: a placeholder, a frame to follow, or one that JS fills."""
        root = response.selector.root
        page.placeholder = placeholder(root)
        if page.placeholder:
            return
        for frame in root.iter("iframe", "frame"):
            url = absolute(response, frame.get("src"))
            if url and is_page_url(url) and len(page.follow) < 2:
                page.follow.append(Follow(url, kind="frame"))
        page.empty_container = any(
            self._is_empty_list(el) for el in root.iter("ul", "ol", "tbody", "table", "div")
        )
        scripts = list(root.iter("script"))
        page.list_script = any(builds_list(s.text or "") for s in scripts if not s.get("src"))
        page.script_files = any(s.get("src") for s in scripts)
        if not page.follow and not page.list_script and is_article(root):
            page.kind = "page"
            page.page_date, page.page_date_text = page_date(response, today)

    @staticmethod
    def _is_empty_list(el: etree._Element) -> bool:
        """A list-like element (by class or id) with no item in it, outside menus."""
        words = attrs(el)
        if not LIST_AREA_RE.search(words) or in_area(el, NAV_RE, ("nav",)) or in_area(el, SKIP_RE):
            return False
        if el.tag in ("ul", "ol"):
            return el.find("li") is None
        # text_of(x) is "" exactly when x's text is whitespace only (str.strip's is
        # clean_text's): asked chunk by chunk, a long cell is not joined and split
        if el.tag in ("table", "tbody"):
            return not any(chunk.strip() for td in el.iter("td") for chunk in td.itertext())
        return len(el) == 0 and not (el.text or "").strip()

    @staticmethod
    def _breadcrumb(response: TextResponse) -> list[str]:
        root = response.selector.root
        for el in root.iter("div", "p", "span", "td", "nav"):
            if not (CRUMB_RE.search(attrs(el)) or starts_with(el, _CRUMB_STARTS)):
                continue
            if _longer_than(el, 120):
                continue  # a wrapper around the crumb and the page: its text is not read
            text = text_of(el)
            text = re.sub(r"^.*?(?:位置|位置是)\s*[:：]?\s*", "", text)
            parts = [p.strip() for p in CRUMB_SPLIT_RE.split(text) if p.strip()]
            parts = [p for p in parts if p not in HOME_NAMES and p != "正文"]
            if parts:
                return parts
        return []

    def _sub_columns(
        self, response: TextResponse, entry_urls: set[str], own_name: str
    ) -> list[ColumnLink]:
        """Links in a side menu, and links to pages below this column's own path.

        A link is this column's child when its URL lies below the column's directory or
        the menu it sits in is headed by the column's own name (a channel page listing
        its sub-columns); otherwise it is a sibling (a side menu headed by the parent).
        """
        root = response.selector.root
        here = urlsplit(response.url).path
        here_dir = here if here.endswith("/") else here.rsplit("/", 1)[0] + "/"
        found: dict[str, ColumnLink] = {}
        for a in root.iter("a"):
            url = absolute(response, a.get("href"))
            if not url or url in entry_urls or found.get(url, _NO_LINK).relation == "child":
                continue
            path = url_path(url)
            in_side = in_area(a, SIDE_RE) and not in_area(a, SKIP_RE)
            if PAGER_RE.match(link_text(a)):
                continue
            # a sub-column lives in a sub-directory; same-directory pages are items or pages
            below = path.startswith(here_dir) and "/" in path[len(here_dir) :]
            if not (in_side or below) or in_area(a, NAV_RE, ("nav",)) and not in_side:
                continue
            link = column_link(response, a, [], source="submenu")
            if link:
                # the same link may sit in the global menu and in this page's own list
                headed_by_self = bool(own_name) and menu_heading(a) == own_name
                link.relation = "child" if below or headed_by_self else "sibling"
                found[url] = link
        return list(found.values())
