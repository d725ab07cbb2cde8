"""What an extractor answers about a page, independent of how the page was fetched."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from scrapy.http import TextResponse

from govspider.items import Entry, Link

# Links that are never columns: files, scripts, mail.
NON_PAGE_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".7z",
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".mp4", ".mp3", ".flv", ".wps", ".txt",
)  # fmt: skip
HOME_NAMES = {"首页", "网站首页", "返回首页", "主页", "home", "index"}
PLACEHOLDER_RE = re.compile(
    r"暂无(?:信息|数据|内容|记录|相关信息|文章)|没有(?:记录|数据|信息|相关信息)|信息正在更新中?"
    r"|正在建设中|栏目建设中|无相关信息|内容正在完善"
)


@dataclass
class ColumnLink:
    """A link that leads to a column, with where it sits in the site's menu."""

    name: str
    url: str
    path: list[str] = field(default_factory=list)
    source: str = "nav"  # nav | block | submenu
    relation: str = ""  # for submenu links: "child" (below this column) or "sibling"


@dataclass
class ColumnPage:
    """What a column's list page holds."""

    entries: list[Entry] = field(default_factory=list)
    placeholder: str = ""
    sub_columns: list[ColumnLink] = field(default_factory=list)
    breadcrumb: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    # a list container is present but holds no items: JavaScript may fill it
    empty_container: bool = False


def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def absolute(response: TextResponse, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for script/mail/empty links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    url = urldefrag(urljoin(response.url, href))[0]
    return url if url.startswith(("http://", "https://")) else None


def is_page_url(url: str) -> bool:
    return not urlsplit(url).path.lower().endswith(NON_PAGE_SUFFIXES)


def same_site(url: str, home: str, extra_hosts: Iterable[str] = ()) -> bool:
    """Same scheme, host and port as the home page, or a host the site list adds."""
    parts, home_parts = urlsplit(url), urlsplit(home)
    netloc = parts.netloc.lower()
    if netloc == home_parts.netloc.lower():
        return parts.scheme == home_parts.scheme
    extra = {h.lower() for h in extra_hosts}
    return netloc in extra or (parts.hostname or "") in extra


def page_links(response: TextResponse, on_home: bool) -> list[Link]:
    """Every link and image on a page, once each, for the link check."""
    seen: set[tuple[str, str]] = set()
    links: list[Link] = []
    for a in response.xpath("//a[@href]"):
        url = absolute(response, a.attrib.get("href"))
        if url and ("a", url) not in seen:
            seen.add(("a", url))
            text = clean_text(" ".join(a.xpath(".//text()").getall())) or a.attrib.get("title", "")
            links.append(Link(url=url, page_url=response.url, text=text[:200], on_home=on_home))
    for img in response.xpath("//img[@src]"):
        url = absolute(response, img.attrib.get("src"))
        if url and ("img", url) not in seen:
            seen.add(("img", url))
            alt = img.attrib.get("alt", "")
            links.append(
                Link(url=url, page_url=response.url, text=alt[:200], on_home=on_home, kind="img")
            )
    return links


class Extractor:
    """The interface every CMS family implements."""

    family = "base"

    @classmethod
    def detect(cls, response: TextResponse) -> bool:
        return False

    def navigation(self, response: TextResponse) -> list[ColumnLink]:
        raise NotImplementedError

    def home_entries(self, response: TextResponse, today: dt.date) -> list[Entry]:
        raise NotImplementedError

    def column_page(
        self, response: TextResponse, today: dt.date, column_name: str = ""
    ) -> ColumnPage:
        raise NotImplementedError
