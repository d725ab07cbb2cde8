"""Data classes of the demo farm: sites, their columns, items and pre-rendered pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MAIN_HOST = ""  # host alias of a site's own server; other aliases are its extra domains


@dataclass
class FarmPage:
    """One pre-rendered response: status, body bytes (with host tokens) and content type."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds to sleep before answering (a slow page)


@dataclass
class FarmItem:
    """One article listed in a column."""

    title: str
    date: dt.date
    time: str  # "HH:MM", shown on the detail page
    path: str  # detail page path on the column's host
    number: int
    pinned: bool = False  # shown on top of the list, marked 置顶
    reply: dt.date | None = None  # a letter's reply date (columns with `replies`)


@dataclass
class FarmColumn:
    """One column (栏目); first-level columns with children are channel (container) pages."""

    name: str
    category: str
    number: int
    slug: str
    parent: FarmColumn | None = None
    host: str = MAIN_HOST
    children: list[FarmColumn] = field(default_factory=list)
    ages: list[int] = field(default_factory=list)  # days before farm_date, as in farm.yaml
    items: list[FarmItem] = field(default_factory=list)  # newest first
    placeholder: str | None = None  # text a blank column shows instead of items
    home: int = 0  # items shown in a home-page block; 0 = no block
    status: int = 200  # HTTP status of the column's first list page
    delay: float = 0.0
    undated: bool = False  # neither the list nor the detail pages show a date
    list_dates: bool = True  # False: dates only on the detail pages
    dropdown: bool = True  # a first-level column's sub-columns appear in the nav dropdown
    order: str = "desc"  # "asc": the list runs oldest first, the newest on its last page
    pinned: int = 0  # this many of the oldest items are pinned (置顶) on top of the list
    js: str = ""  # "data": items in a script's data literal; "render": built by script only
    frame: bool = False  # the list sits in an iframe of the column page
    ajax: bool = False  # Hanweb: no records in the page, all through dataproxy.jsp
    catalog: bool = False  # a 信息公开目录 tree: sub-columns load into an iframe
    path: str = ""  # path of the first list page
    # a letter list: sent age -> reply age (None: unanswered); shown as a table with status
    replies: dict[int, int | None] = field(default_factory=dict)
    page_paths: list[str] = field(default_factory=list)  # paths of list pages 1..n
    # a 办事指南 column: element categories its guides leave empty; how its forms answer
    guide_missing: tuple[str, ...] = ()
    form: str = "file"  # file | missing (404) | page (an HTML page at 200)
    # its guides' 在线办理 link: "" none; ok | login (opens); missing (404) | error (500) |
    # page (an error page at 200); down (nothing answers: 未监测, not a fault)
    online: str = ""

    @property
    def display_items(self) -> list[FarmItem]:
        """The items in the order the list shows them: pinned ones first."""
        pinned = [i for i in self.items if i.pinned]
        rest = [i for i in self.items if not i.pinned]
        return pinned + (rest[::-1] if self.order == "asc" else rest)

    @property
    def names(self) -> list[str]:
        return [self.parent.name, self.name] if self.parent else [self.name]

    @property
    def label(self) -> str:
        """How problem texts name the column: 陆溪镇>要闻信息 for a sub-column."""
        return ">".join(self.names)

    @property
    def container(self) -> bool:
        return bool(self.children)

    @property
    def failed(self) -> bool:
        return self.status >= 400

    @property
    def blank(self) -> bool:
        return not self.container and not self.failed and not self.items

    def walk(self) -> list[FarmColumn]:
        """This column followed by its sub-columns."""
        return [self, *self.children]


@dataclass
class OffsiteLink:
    """A link from a site to another host (another farm site or an outside URL)."""

    text: str
    url: str  # absolute URL or a host token plus path


@dataclass
class FarmSite:
    """One demo website: its columns, its pages per host and the hand-written expectation."""

    id: str
    name: str
    group: str
    encoding: str
    skin: str
    date_format: str
    domain: str  # the real-looking domain printed in the footer (never resolved)
    purpose: str
    expected: dict
    columns: list[FarmColumn] = field(default_factory=list)  # first-level, navigation order
    hosts: dict[str, dict[str, FarmPage]] = field(default_factory=dict)  # alias -> path -> page
    home_status: int = 200
    offsite_nav: list[OffsiteLink] = field(default_factory=list)
    offsite_blocks: list[tuple[str, str, list[tuple[str, str, dt.date]]]] = field(
        default_factory=list
    )  # (block title, 更多 URL, [(title, URL, date)]) mirrored from other sites
    friend_links: list[OffsiteLink] = field(default_factory=list)
    # a 头条 block repeating items of columns that also have their own home block
    lead: list[tuple[FarmColumn, FarmItem]] = field(default_factory=list)
    page_size: int = 10
    id_code: str = ""  # 网站标识码
    family: str = "generic"  # the CMS family label of the accuracy corpus
    version: int = 0  # the family template version the skin imitates (0: the skin's default)
    # paragraphs planted in a page's text (page-check tests): {page: home|column name, text, hits}
    notes: list[dict] = field(default_factory=list)
    marks_missing: tuple[str, ...] = ()  # footer marks left out: id_code, icp, police, party_gov
    # Hanweb dataproxy.jsp records per host alias and column id, in list order
    records: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def pages(self) -> dict[str, FarmPage]:
        """Pages of the site's main host, by path (with query string where there is one)."""
        return self.hosts[MAIN_HOST]

    @property
    def extra_domains(self) -> list[str]:
        """Aliases of the extra hosts the site also serves pages from."""
        return [alias for alias in self.hosts if alias != MAIN_HOST]

    def all_columns(self) -> list[FarmColumn]:
        return [c for top in self.columns for c in top.walk()]

    def home_items(self) -> list[tuple[str, str, dt.date | None]]:
        """On-site items linked from the home page: (host alias, path, date or None)."""
        shown = list(self.lead)
        for col in self.all_columns():
            if col.home:  # a failing column never has a block: render.py refuses that spec
                shown += [(col, item) for item in col.items[: col.home]]
        return [(c.host, i.path, None if c.undated else i.date) for c, i in shown]
