"""Navigation: the columns a home page's menus and 更多 blocks lead to."""

from __future__ import annotations

import re

from lxml import etree
from scrapy.http import TextResponse

from govspider.extract.base import HOME_NAMES, ColumnLink, absolute, clean_text, is_page_url
from govspider.extract.markup import (
    MORE_RE,
    NAV_RE,
    SKIP_RE,
    TITLE_CLASS_RE,
    ancestors,
    attrs,
    in_area,
    link_text,
    strip_label,
    text_of,
)


def menu_links(response: TextResponse, nav_selector: str | None = None) -> list[ColumnLink]:
    """Columns from the navigation menus: a site's own CSS selector, or menu-like boxes."""
    root = response.selector.root
    if nav_selector:
        out: list[ColumnLink] = []
        for sel in response.css(nav_selector):
            out.extend(menu_tree(response, sel.root))
        return out
    containers = []
    for el in root.iter("nav", "div", "ul", "dl", "td", "table"):
        is_nav = el.tag == "nav" or NAV_RE.search(attrs(el))
        inside_known = any(anc in containers for anc in ancestors(el))
        if is_nav and not inside_known and not in_area(el, SKIP_RE):
            containers.append(el)
    if not containers:
        row = unmarked_menu(root)
        containers = [row] if row is not None else []
    out: list[ColumnLink] = []
    for box in containers:
        out.extend(menu_tree(response, box))
        out.extend(unfollowable(response, box))
    return out


MENU_CELLS = {"tr": "td", "ul": "li"}


def _menu_cell(cell: etree._Element) -> bool:
    links = [a for a in cell.iter("a") if a.get("href")]
    return len(links) == 1 and 2 <= len(strip_label(link_text(links[0]))) <= 8


def unmarked_menu(root: etree._Element) -> etree._Element | None:
    """A menu no class or id names: the page's first row of at least four cells (td or li)
    that each hold one short link, with no date in the row (a row of news is a list)."""
    for row in root.iter(*MENU_CELLS):
        cells = [c for c in row if c.tag == MENU_CELLS[row.tag]]
        if sum(1 for c in cells if _menu_cell(c)) < 4 or in_area(row, SKIP_RE):
            continue
        if not ITEM_DATE_RE.search(text_of(row)):
            return row
    return None


def unfollowable(response: TextResponse, box: etree._Element) -> list[ColumnLink]:
    """A menu's links that lead to no page (script, mail, a file), kept to say why not."""
    out = []
    for a in box.iter("a"):
        href = (a.get("href") or "").strip()
        name = strip_label(link_text(a) or clean_text(a.get("title") or ""))
        if not name or not href or href.startswith("#"):
            continue
        url = absolute(response, href)
        if url is None:
            out.append(ColumnLink(name=name, url=href, path=[name], reason=_scheme(href)))
        elif not is_page_url(url):
            out.append(ColumnLink(name=name, url=url, path=[name], reason="文件下载"))
    return out


def _scheme(href: str) -> str:
    low = href.lower()
    if low.startswith("javascript:"):
        return "脚本链接"
    return "邮件链接" if low.startswith(("mailto:", "tel:")) else "无效链接"


def menu_tree(response: TextResponse, box: etree._Element) -> list[ColumnLink]:
    """Links of one menu box, first level and dropdown sub-levels with their parent."""
    out: list[ColumnLink] = []
    top_lists = [ul for ul in box.iter("ul") if not any(a.tag == "ul" for a in ancestors(ul))]
    for ul in top_lists:
        for li in ul.findall("li"):
            first = next((a for a in li.iter("a") if a.get("href")), None)
            if first is None or first.xpath("ancestor::ul[1]")[0] is not ul:
                continue
            parent = column_link(response, first, [])
            if parent:
                out.append(parent)
            parent_name = parent.name if parent else link_text(first)
            # the dropdown's links: in a nested list, or in plain boxes (div.ejNav > a)
            for a in li.iter("a"):
                link = None if a is first else column_link(response, a, [parent_name])
                if link:
                    out.append(link)
    for dl in box.iter("dl"):
        dt_el = dl.find("dt")
        parent_name = ""
        if dt_el is not None:
            a = dt_el.find(".//a")
            link = column_link(response, a, []) if a is not None else None
            if link:
                out.append(link)
            parent_name = link.name if link else text_of(dt_el)
        for dd in dl.findall("dd"):
            for a in dd.iter("a"):
                link = column_link(response, a, [parent_name] if parent_name else [])
                if link:
                    out.append(link)
    if not top_lists and box.find(".//dl") is None:
        for a in box.iter("a"):
            link = column_link(response, a, [])
            if link:
                out.append(link)
    return out


def column_link(
    response: TextResponse, a: etree._Element, path: list[str], source: str = "nav"
) -> ColumnLink | None:
    name = strip_label(link_text(a) or clean_text(a.get("title") or ""))
    url = absolute(response, a.get("href"))
    if not name or not url or name.lower() in HOME_NAMES or not is_page_url(url):
        return None
    if url.rstrip("/") == response.url.rstrip("/"):
        return None
    return ColumnLink(name=name, url=url, path=[*path, name], source=source)


def block_links(response: TextResponse) -> list[ColumnLink]:
    """Columns named by home-page blocks: the block heading and its 更多 link."""
    root = response.selector.root
    out = []
    for a in root.iter("a"):
        label = link_text(a) or clean_text(a.get("title") or "")
        if not MORE_RE.match(label) or in_area(a, SKIP_RE):
            continue
        url = absolute(response, a.get("href"))
        if not url or not is_page_url(url):
            continue
        tabs = tab_links(response, a)
        if tabs:
            out.extend(tabs)
            continue
        title = block_title(a)
        if title:
            out.append(ColumnLink(name=title, url=url, path=[title], source="block"))
    return out


# a month-day (with or without the year) in an item's text: the item is news, not a tab
ITEM_DATE_RE = re.compile(r"(?:\d{4}\s*[-./年]\s*)?\d{1,2}\s*[-./月]\s*\d{1,2}")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _in_dated_item(a: etree._Element, bar: etree._Element) -> bool:
    for anc in ancestors(a):
        if anc is bar:
            return False
        if anc.tag in ("li", "tr", "dd", "dt") and ITEM_DATE_RE.search(text_of(anc)):
            return True
    return False


def tab_links(response: TextResponse, more: etree._Element) -> list[ColumnLink]:
    """The tabs of a block whose title bar holds several column links beside its 更多.

    One 更多 then serves the tab shown first; every tab is a column of its own. A bar with
    a heading of its own is a titled block (its links are items), and links in dated items
    are news, never tabs.
    """
    bar = more.getparent()
    if bar is None or any(True for _ in bar.iter(*HEADING_TAGS)):
        return []
    tabs = []
    for a in bar.iter("a"):
        name = strip_label(link_text(a))
        if a is more or not 2 <= len(name) <= 12 or MORE_RE.match(name):
            continue
        if _in_dated_item(a, bar):
            continue
        url = absolute(response, a.get("href"))
        if url and is_page_url(url):
            tabs.append(ColumnLink(name=name, url=url, path=[name], source="block"))
    return tabs if len(tabs) >= 2 else []


def block_title(more: etree._Element) -> str:
    """The heading of the block a 更多 link belongs to."""
    for anc in list(ancestors(more))[:4]:
        for el in anc.iter():
            if el is more or not isinstance(el.tag, str) or more in el.iterancestors():
                continue
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "strong", "b") or (
                el.tag in ("span", "div", "p", "em", "a")
                and TITLE_CLASS_RE.search(attrs(el))
                and el.find(".//li") is None
            ):
                text = strip_label(text_of(el))
                if 2 <= len(text) <= 20 and not MORE_RE.match(text):
                    return text
    return strip_label(clean_text(more.get("title") or ""))
