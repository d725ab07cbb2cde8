"""The generic extractor: menus, home-page blocks and dated lists found by page structure.

It relies on what almost every government site shares: a navigation menu whose class
or id says nav/menu, blocks on the home page with a 更多 link, and column pages whose
main list is the largest group of sibling elements that each hold a link and a date.
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
    PINNED_MARK_RE,
    PINNED_RE,
    PLACEHOLDER_RE,
    ColumnLink,
    ColumnPage,
    Extractor,
    Follow,
    absolute,
    clean_text,
    is_page_url,
)
from govspider.extract.scripts import builds_list, script_entries
from govspider.items import Entry

NAV_RE = re.compile(r"nav|menu|daohang|\bdh\b|channel", re.I)
SIDE_RE = re.compile(r"left|side|sub|lanmu|erji|zlm|sec-?menu", re.I)
SKIP_RE = re.compile(r"foot|bottom|copyright|yqlj|friend|links?\b|banner|share", re.I)
LIST_AREA_RE = re.compile(r"list|news|content|main|\bcon\b|lb|article|data", re.I)
CRUMB_RE = re.compile(r"crumb|position|location|dqwz|weizhi|curr", re.I)
MORE_RE = re.compile(r"^\s*(?:更多|more|查看更多|>>|»|＞＞)", re.I)
TITLE_CLASS_RE = re.compile(r"tit|title|hd|head|\bbt\b|name|caption", re.I)
NEXT_PAGE_RE = re.compile(r"^\s*(?:下一页|下页|next|>)\s*$", re.I)
PAGER_RE = re.compile(
    r"^\s*(?:上一页|下一页|上页|下页|首页|尾页|末页|prev|next|[<>]|\d+)\s*$", re.I
)
CRUMB_SPLIT_RE = re.compile(r"\s*(?:>>|>|»|→|／|/|＞|›)\s*")
ITEM_TAGS = ("li", "tr", "dd")
LAST_PAGE_RE = re.compile(r"^\s*(?:尾页|末页|最后一页|last)\s*$", re.I)
_NO_LINK = ColumnLink(name="", url="")


@dataclass
class _Candidate:
    element: etree._Element
    title: str
    url: str
    date: dt.date | None
    date_text: str
    pinned: bool = False


def _attrs(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _ancestors(el: etree._Element):
    el = el.getparent()
    while el is not None:
        yield el
        el = el.getparent()


def _in_area(el: etree._Element, regex: re.Pattern, tags: tuple[str, ...] = ()) -> bool:
    for anc in [el, *_ancestors(el)]:
        if not isinstance(anc.tag, str):
            continue
        if anc.tag in tags or regex.search(_attrs(anc)):
            return True
    return False


def _text(el: etree._Element) -> str:
    return clean_text("".join(el.itertext()))


def _link_text(a: etree._Element) -> str:
    text = _text(a)
    if not text:
        imgs = a.xpath(".//img/@alt")
        text = clean_text(imgs[0]) if imgs else ""
    return text


def _menu_heading(a: etree._Element) -> str:
    """The heading (h1-h4, or a title-classed element) of the menu a link sits in."""
    for anc in list(_ancestors(a))[:4]:
        for el in anc.iter("h1", "h2", "h3", "h4", "dt", "div", "span", "p"):
            if el.tag in ("div", "span", "p") and not TITLE_CLASS_RE.search(_attrs(el)):
                continue
            if a in el.iterdescendants():
                continue
            text = _strip_label(_text(el))
            if text and len(text) <= 20:
                return text
    return ""


def _pin_marked(el: etree._Element) -> bool:
    """A 置顶 mark on the item: its class, or a marker element or image inside it."""
    marks = [el.get("class") or ""]
    for d in el.iterdescendants():
        if isinstance(d.tag, str) and d.tag != "a":
            marks.append(f"{d.get('class') or ''} {d.get('alt') or ''} {d.get('src') or ''}")
    return bool(PINNED_MARK_RE.search(" ".join(marks)))


def _strip_label(text: str) -> str:
    return re.sub(r"[\s>»＞]*(?:更多|more)[\s>»＞.]*$", "", text, flags=re.I).strip(" ：:·-|")


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
            elements = list(root.iter(*ITEM_TAGS))
        out = []
        for el in elements:
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
        best = max(anchors, key=lambda a: len(a.get("title") or _link_text(a)))
        url = absolute(response, best.get("href"))
        if not url:
            return None
        link_text = _link_text(best)
        title = clean_text(best.get("title") or "") or link_text
        full = _text(el)
        rest = full.replace(link_text, " ", 1) if link_text else full
        date_sel = self.selectors.get("date")
        if date_sel:
            cells = [_text(c) for c in el.cssselect(date_sel)]
            day = next((d for d in (parse_date(c, today) for c in cells) if d), None)
            found = (day, next(c for c in cells if parse_date(c, today))) if day else None
        else:
            found = find_date(rest, today) or find_date(full, today)
        date, date_text = found if found else (None, "")
        pinned = bool(PINNED_RE.match(title) or "置顶" in rest) or _pin_marked(el)
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
            if not _in_area(c.element, NAV_RE, ("nav",)) and not _in_area(c.element, SKIP_RE)
        ]
        groups = self._groups(usable)
        dated = [g for g in groups if any(c.date for c in g) and not self._is_side(g)]
        if dated:
            return max(dated, key=lambda g: (sum(1 for c in g if c.date), len(g)))
        # no dates anywhere: the largest group of long titles in a list-like area
        plain = [
            g
            for g in groups
            if not self._is_side(g)
            and _in_area(g[0].element, LIST_AREA_RE)
            and sum(1 for c in g if len(c.title) >= 6) >= 1
        ]
        return max(plain, key=len) if plain else []

    @staticmethod
    def _is_side(group: list[_Candidate]) -> bool:
        return _in_area(group[0].element, SIDE_RE) and not any(c.date for c in group)

    def home_entries(self, response: TextResponse, today: dt.date) -> list[Entry]:
        dated = [
            c
            for c in self._candidates(response, today)
            if c.date and not _in_area(c.element, NAV_RE, ("nav",))
        ]
        return self._entries(dated)

    # ---- navigation ----------------------------------------------------------------------
    def navigation(self, response: TextResponse) -> list[ColumnLink]:
        """Columns from the navigation menus and from home-page blocks' 更多 links."""
        links = self._menu_links(response)
        links.extend(self._block_links(response))
        return links

    def _menu_links(self, response: TextResponse) -> list[ColumnLink]:
        root = response.selector.root
        if self.selectors.get("nav"):
            out: list[ColumnLink] = []
            for sel in response.css(self.selectors["nav"]):
                out.extend(self._menu_tree(response, sel.root))
            return out
        containers = []
        for el in root.iter("nav", "div", "ul", "dl", "td", "table"):
            is_nav = el.tag == "nav" or NAV_RE.search(_attrs(el))
            inside_known = any(anc in containers for anc in _ancestors(el))
            if is_nav and not inside_known and not _in_area(el, SKIP_RE):
                containers.append(el)
        out: list[ColumnLink] = []
        for box in containers:
            out.extend(self._menu_tree(response, box))
        return out

    def _menu_tree(self, response: TextResponse, box: etree._Element) -> list[ColumnLink]:
        out: list[ColumnLink] = []
        top_lists = [ul for ul in box.iter("ul") if not any(a.tag == "ul" for a in _ancestors(ul))]
        for ul in top_lists:
            for li in ul.findall("li"):
                first = next((a for a in li.iter("a") if a.get("href")), None)
                if first is None or first.xpath("ancestor::ul[1]")[0] is not ul:
                    continue
                parent = self._column_link(response, first, [])
                if parent:
                    out.append(parent)
                parent_name = parent.name if parent else _link_text(first)
                for sub in li.iter("ul"):
                    for a in sub.iter("a"):
                        link = self._column_link(response, a, [parent_name])
                        if link:
                            out.append(link)
        for dl in box.iter("dl"):
            dt_el = dl.find("dt")
            parent_name = ""
            if dt_el is not None:
                a = dt_el.find(".//a")
                link = self._column_link(response, a, []) if a is not None else None
                if link:
                    out.append(link)
                parent_name = link.name if link else _text(dt_el)
            for dd in dl.findall("dd"):
                for a in dd.iter("a"):
                    link = self._column_link(response, a, [parent_name] if parent_name else [])
                    if link:
                        out.append(link)
        if not top_lists and box.find(".//dl") is None:
            for a in box.iter("a"):
                link = self._column_link(response, a, [])
                if link:
                    out.append(link)
        return out

    @staticmethod
    def _column_link(
        response: TextResponse, a: etree._Element, path: list[str], source: str = "nav"
    ) -> ColumnLink | None:
        name = _strip_label(_link_text(a) or clean_text(a.get("title") or ""))
        url = absolute(response, a.get("href"))
        if not name or not url or name.lower() in HOME_NAMES or not is_page_url(url):
            return None
        if url.rstrip("/") == response.url.rstrip("/"):
            return None
        return ColumnLink(name=name, url=url, path=[*path, name], source=source)

    def _block_links(self, response: TextResponse) -> list[ColumnLink]:
        root = response.selector.root
        out = []
        for a in root.iter("a"):
            label = _link_text(a) or clean_text(a.get("title") or "")
            if not MORE_RE.match(label) or _in_area(a, SKIP_RE):
                continue
            url = absolute(response, a.get("href"))
            if not url or not is_page_url(url):
                continue
            title = self._block_title(a)
            if title:
                out.append(ColumnLink(name=title, url=url, path=[title], source="block"))
        return out

    @staticmethod
    def _block_title(more: etree._Element) -> str:
        """The heading of the block a 更多 link belongs to."""
        for anc in list(_ancestors(more))[:4]:
            for el in anc.iter():
                if el is more or not isinstance(el.tag, str) or more in el.iterancestors():
                    continue
                if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "strong", "b") or (
                    el.tag in ("span", "div", "p", "em", "a")
                    and TITLE_CLASS_RE.search(_attrs(el))
                    and el.find(".//li") is None
                ):
                    text = _strip_label(_text(el))
                    if 2 <= len(text) <= 20 and not MORE_RE.match(text):
                        return text
        return _strip_label(clean_text(more.get("title") or ""))

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
        if not page.entries:
            self._why_empty(response, page)
        return page

    def _pages(self, response: TextResponse, page: ColumnPage) -> None:
        """Next-page and last-page links of the list's pager."""
        for a in response.selector.root.iter("a"):
            text = _link_text(a)
            url = absolute(response, a.get("href"))
            if not url or url == response.url:
                continue
            if NEXT_PAGE_RE.match(text):
                page.next_pages.append(url)
            elif LAST_PAGE_RE.match(text) and page.last_page is None:
                page.last_page = Follow(url)

    def _why_empty(self, response: TextResponse, page: ColumnPage) -> None:
        """A list with no items: a placeholder, a frame to follow, or one that JS fills."""
        root = response.selector.root
        body = root.find(".//body")
        text = _text(body) if body is not None else ""
        match = PLACEHOLDER_RE.search(text)
        page.placeholder = match.group(0) if match else ""
        if page.placeholder:
            return
        for frame in root.iter("iframe", "frame"):
            url = absolute(response, frame.get("src"))
            if url and is_page_url(url) and len(page.follow) < 2:
                page.follow.append(Follow(url, kind="frame"))
        page.empty_container = any(
            self._is_empty_list(el) for el in root.iter("ul", "ol", "tbody", "table", "div")
        )
        page.list_script = any(
            builds_list(script.text or "")
            for script in root.iter("script")
            if not script.get("src")
        )

    @staticmethod
    def _is_empty_list(el: etree._Element) -> bool:
        """A list-like element (by class or id) with no item in it, outside menus."""
        attrs = _attrs(el)
        if (
            not LIST_AREA_RE.search(attrs)
            or _in_area(el, NAV_RE, ("nav",))
            or _in_area(el, SKIP_RE)
        ):
            return False
        if el.tag in ("ul", "ol"):
            return el.find("li") is None
        if el.tag in ("table", "tbody"):
            return not any(_text(td) for td in el.iter("td"))
        return len(el) == 0 and not _text(el)

    @staticmethod
    def _breadcrumb(response: TextResponse) -> list[str]:
        root = response.selector.root
        for el in root.iter("div", "p", "span", "td", "nav"):
            text = _text(el)
            if not (
                CRUMB_RE.search(_attrs(el))
                or text.startswith(("当前位置", "您的位置", "您现在的位置"))
            ):
                continue
            if len(text) > 120:
                continue
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
            path = urlsplit(url).path
            in_side = _in_area(a, SIDE_RE) and not _in_area(a, SKIP_RE)
            if PAGER_RE.match(_link_text(a)):
                continue
            # a sub-column lives in a sub-directory; same-directory pages are items or pages
            below = path.startswith(here_dir) and "/" in path[len(here_dir) :]
            if not (in_side or below) or _in_area(a, NAV_RE, ("nav",)) and not in_side:
                continue
            link = self._column_link(response, a, [], source="submenu")
            if link:
                # the same link may sit in the global menu and in this page's own list
                headed_by_self = bool(own_name) and _menu_heading(a) == own_name
                link.relation = "child" if below or headed_by_self else "sibling"
                found[url] = link
        return list(found.values())
