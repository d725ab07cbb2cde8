"""What an extractor answers about a page, independent of how the page was fetched."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlencode, urljoin, urlparse, urlsplit

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
    reason: str = ""  # why the link is not a column (a script or mail link, a file), if so


@dataclass
class Follow:
    """One more request a column's list needs: a list page, a data endpoint or a frame.

    Plain data (no scrapy.Request) so that it travels in request meta and pickles.
    """

    url: str
    kind: str = "page"  # page | data | frame
    method: str = "GET"
    formdata: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """What makes the request unique within a site: the URL, plus the form of a POST."""
        if self.method == "GET":
            return self.url
        return f"{self.method} {self.url} {urlencode(sorted(self.formdata.items()))}"


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
    # a script on the page builds the list (innerHTML, appendChild, document.write)
    list_script: bool = False
    # the page loads script files, any of which may fill an empty list (AJAX)
    script_files: bool = False
    # requests without which the list cannot be seen at all: an iframe, a data endpoint
    follow: list[Follow] = field(default_factory=list)
    # the list's last page: where an oldest-first list keeps its newest items
    last_page: Follow | None = None
    # "page": no list but an article/introduction (机构概况, 联系我们), dated by itself
    kind: str = "list"
    page_date: dt.date | None = None
    page_date_text: str = ""

    @property
    def needs_render(self) -> bool:
        """Only a browser can show this list: nothing static to read and nothing to follow."""
        # an empty list with no script to fill it is an empty list, not a browser's job
        return (
            not self.entries
            and not self.placeholder
            and not self.follow
            and self.kind != "page"
            and (self.list_script or (self.empty_container and self.script_files))
        )


PINNED_RE = re.compile(r"^\s*[\[【(（]?\s*置顶\s*[\]】)）]?\s*")
PINNED_MARK_RE = re.compile(r"置顶|\b(?:zd|zhiding|settop|istop|is-?top)\b", re.I)


def list_order(entries: list[Entry]) -> str:
    """Return "asc" when a list runs oldest first, "desc" newest first, "" when it cannot tell.

    Pinned items are left out: they sit on top whatever their date.
    """
    dates = [e.date for e in entries if e.date and not e.pinned]
    ups = sum(1 for a, b in zip(dates, dates[1:], strict=False) if b > a)
    downs = sum(1 for a, b in zip(dates, dates[1:], strict=False) if b < a)
    if ups > downs:
        return "asc"
    if downs > ups:
        return "desc"
    return ""


def clean_text(text: str) -> str:
    """Whitespace runs (no-break and the other Unicode spaces too) as one space, none at
    the ends. str.split's whitespace is exactly the regex's \\s, and it is several times
    faster than re.sub on a page's text."""
    return " ".join(text.split())


def absolute(response: TextResponse, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for script/mail/empty links."""
    if not href:
        return None
    return _absolute(response.url, href)


# The caches serve the pages being read now (each extraction step joins the same links
# of a page; the pages of one directory share their menus): a few thousand entries do
# that, and a fixed size keeps a long crawl's memory flat (65,536 entries each, filled by
# ~300 sites, held ~60 MiB).
JOIN_CACHE = 8192


@functools.lru_cache(maxsize=JOIN_CACHE)
def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    if href[:1] == "/" and href[1:2] != "/" and not any(c in href for c in _UNSAFE):
        # a /path link resolves against the base's scheme and host alone (urljoin reads
        # nothing else of a base when the link's path is absolute): a site's menu, on
        # every page of every directory, is joined once. Not //host links, nor links with
        # tabs or newlines (urlsplit drops them, and "/\n/" would become "//")
        origin = _origin(base)
        if origin is not None:
            if not any(c in href for c in _JOIN_WORK):
                # nothing for urljoin to resolve or drop (dot segments, an empty query,
                # parameters or fragment): the path goes after the host as it is
                return origin[:-1] + href
            return _joined(origin, href)
    # a link with no scheme and a host or a path of its own resolves against the base's
    # directory alone (urljoin reads the base's last segment, query and parameters only
    # for a link without a path), so a menu link on every page of a directory is joined
    # once
    parts = urlparse(href)
    if not parts.scheme and (parts.netloc or parts.path or parts.params):
        directory = _directory(base)
        if directory is not None:
            return _joined(directory, href)
    return _joined(base, href)


@functools.lru_cache(maxsize=4096)
def _directory(base: str) -> str | None:
    """scheme://host/dir/ of an http(s) address, or None."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https"):
        return None
    path = parts.path
    return f"{parts.scheme}://{parts.netloc}{path[: path.rfind('/') + 1]}"


_UNSAFE = ("\t", "\n", "\r")  # urlsplit removes these before it parses
# what urljoin would change in a /path link: without any, the join is plain concatenation
_JOIN_WORK = ("/.", "?", "#", ";")


@functools.lru_cache(maxsize=4096)
def _origin(base: str) -> str | None:
    """scheme://host/ of an http(s) address, or None."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https"):
        return None
    return f"{parts.scheme}://{parts.netloc}/"


@functools.lru_cache(maxsize=JOIN_CACHE)
def _joined(base: str, href: str) -> str | None:
    url = urldefrag(urljoin(base, href))[0]
    return url if url.startswith(("http://", "https://")) else None


@functools.lru_cache(maxsize=JOIN_CACHE)
def url_path(url: str) -> str:
    """urlsplit(url).path, kept for the links of the pages being read (each step asks)."""
    return urlsplit(url).path


def is_page_url(url: str) -> bool:
    return not url_path(url).lower().endswith(NON_PAGE_SUFFIXES)


def same_site(url: str, home: str, extra_hosts: Iterable[str] = ()) -> bool:
    """Same scheme, host and port as the home page, or a host the site list adds."""
    parts, home_parts = urlsplit(url), urlsplit(home)
    netloc = parts.netloc.lower()
    if netloc == home_parts.netloc.lower():
        return parts.scheme == home_parts.scheme
    extra = {h.lower() for h in extra_hosts}
    return netloc in extra or (parts.hostname or "") in extra


def _site_domain(host: str) -> str:
    """The part of a host name that names the organisation: x.gov.cn, example.com, an IP."""
    labels = host.lower().rstrip(".").split(".")
    if host.replace(".", "").isdigit() or len(labels) < 2:
        return host.lower()
    keep = 3 if labels[-2] in {"gov", "com", "org", "edu", "net"} and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def moved_within_site(landed: str, listed: str, extra_hosts: Iterable[str] = ()) -> bool:
    """Whether a home page that redirected to `landed` is still the listed site: the same
    host or organisation domain (www.a.gov.cn -> a.gov.cn, http -> https), another .gov.cn
    host (a government site that changed its domain), or a host the site list adds."""
    new, old = urlsplit(landed).hostname or "", urlsplit(listed).hostname or ""
    if new == old or _site_domain(new) == _site_domain(old):
        return True
    if new.endswith(".gov.cn") and old.endswith(".gov.cn"):
        return True
    return new in {h.lower() for h in extra_hosts}


def page_links(response: TextResponse, on_home: bool) -> list[Link]:
    """Every link and image on a page, once each, for the link check."""
    seen: set[tuple[str, str]] = set()
    links: list[Link] = []
    root = response.selector.root
    for a in root.iter("a"):
        url = absolute(response, a.get("href"))
        if url and ("a", url) not in seen:
            seen.add(("a", url))
            text = clean_text(" ".join(a.itertext())) or a.get("title", "")
            links.append(Link(url=url, page_url=response.url, text=text[:200], on_home=on_home))
    for img in root.iter("img"):
        url = absolute(response, img.get("src"))
        if url and ("img", url) not in seen:
            seen.add(("img", url))
            alt = img.get("alt", "")
            links.append(
                Link(url=url, page_url=response.url, text=alt[:200], on_home=on_home, kind="img")
            )
    return links


class Extractor:
    """The interface every CMS family implements.

    ``selectors`` are a site's overrides from the site list: ``nav`` (navigation menus),
    ``items`` (list items), ``date`` (the date inside an item), all CSS.
    """

    family = "base"

    def __init__(self, selectors: dict[str, str] | None = None) -> None:
        self.selectors = dict(selectors or {})

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
