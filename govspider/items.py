"""What a crawl of one site produces: one SiteSnapshot item holding everything seen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Column / site crawl states. "failed" is a monitoring failure, never a fault of the site.
STATUS_OK = "ok"
STATUS_PARTIAL = "partial"
STATUS_FAILED = "failed"
# Column kinds: a list of items, or a single page (an introduction such as 机构概况)
KIND_LIST = "list"
KIND_PAGE = "page"


@dataclass
class Entry:
    """One dated (or undated) item in a list: a news item, a notice, a letter."""

    title: str
    url: str
    date: dt.date | None = None
    date_text: str = ""
    # where the date came from: "list", "detail", "meta" (detail page <meta>), "" when none
    date_source: str = ""
    pinned: bool = False
    # a letter (政务咨询): `date` is when it was sent; its reply date and status when shown
    reply_date: dt.date | None = None
    status: str = ""


@dataclass
class Column:
    """One column (栏目) as found on the site, with the items of its list page(s)."""

    name: str
    url: str
    path: list[str] = field(default_factory=list)  # names from the top: ["信息公开", "通知公告"]
    depth: int = 1
    status: str = STATUS_OK  # ok | failed
    error: str = ""  # why it failed: "HTTP 500", "timeout", ...
    http_status: int | None = None
    entries: list[Entry] = field(default_factory=list)
    blank: bool = False  # no items, or only a placeholder such as 暂无信息
    placeholder: str = ""  # the placeholder text seen, as evidence
    # what the page showed that makes the column blank: 页面显示“暂无信息”, 列表为空, 正文为空
    blank_evidence: str = ""
    kind: str = KIND_LIST  # list | page
    page_date: dt.date | None = None  # a page column's own visible date
    is_container: bool = False  # a channel page that only lists sub-columns
    category: str = ""  # per-site override of the column category, if configured
    found_on: str = ""  # the page whose link led here
    cms: str = ""  # extractor family that read the page
    rendered: bool = False  # read through a browser (JavaScript)

    @property
    def newest_date(self) -> dt.date | None:
        if self.kind == KIND_PAGE:
            return self.page_date
        dates = [e.date for e in self.entries if e.date]
        return max(dates) if dates else None


@dataclass
class Link:
    """A link or image seen on a crawled page, kept for the link check."""

    url: str
    page_url: str
    text: str = ""
    on_home: bool = False
    kind: str = "a"  # a | img


@dataclass
class NonColumn:
    """A navigation link left out as not a column (网站地图, English, 登录...), and why."""

    name: str
    url: str
    reason: str
    found_on: str = ""


@dataclass
class PageFinding:
    """Something a page's own text shows: a wording error, forbidden content, personal
    data (masked), or, on the home page, a site mark or the site's domain."""

    kind: str  # wording | forbidden | id_number | mobile | mark | domain
    page_url: str
    text: str  # what was found (masked for personal data; the mark key for a mark)
    correct: str = ""  # the right form of a wording error; the mark's name
    context: str = ""  # the sentence around it (masked), or the text the mark shows
    note: str = ""


@dataclass
class SiteSnapshot:
    """Everything one crawl saw of one site; written to SQL as one unit."""

    site_id: str
    site_name: str
    home_url: str
    group: str = ""
    round: str = ""
    crawled_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    status: str = STATUS_OK  # ok | partial | failed
    error: str = ""
    home_status: int | None = None
    pages_fetched: int = 0
    errors: int = 0
    home_entries: list[Entry] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    cms: str = ""
    non_columns: list[NonColumn] = field(default_factory=list)
    page_findings: list[PageFinding] = field(default_factory=list)
