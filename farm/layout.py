"""Pieces every skin shares: host tokens, date styles, the page frame and the footer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from farm.model import FarmColumn, FarmItem, FarmSite

# Links to another host are rendered as a token plus a path; FarmServer replaces the token by
# "http://127.0.0.1:PORT" once the ports are known (the pages are rendered before binding).
TOKEN_RE = re.compile(rb"@@HOST:([\w-]+):(\w*)@@")


def host_token(site_id: str, alias: str = "") -> str:
    return f"@@HOST:{site_id}:{alias}@@"


def resolve_tokens(data: bytes, base_url: Callable[[str, str], str]) -> bytes:
    """Replace host tokens by real origins; ``base_url(site_id, alias)`` ends with "/"."""
    return TOKEN_RE.sub(
        lambda m: base_url(m[1].decode(), m[2].decode()).rstrip("/").encode("ascii"), data
    )


DATE_STYLES = {
    "iso": "{d:%Y-%m-%d}",
    "bracket_iso": "[{d:%Y-%m-%d}]",
    "md": "{d:%m-%d}",
    "bracket_md": "[{d:%m-%d}]",
    "dot_paren": "({d:%Y.%m.%d})",
    "cn": "{d.year}年{d.month}月{d.day}日",
    "slash": "{d:%Y/%m/%d}",
}


def format_date(day: dt.date, style: str) -> str:
    return DATE_STYLES[style].format(d=day)


@dataclass
class Ctx:
    """What a skin needs to render one page of a site."""

    site: FarmSite
    city: str
    host: str  # alias of the host the page is served from

    def href(self, host: str, path: str) -> str:
        """A root-relative path on the same host, an absolute (token) URL across hosts."""
        return path if host == self.host else host_token(self.site.id, host) + path

    def col_href(self, col: FarmColumn) -> str:
        return self.href(col.host, col.path)

    def item_href(self, col: FarmColumn, item: FarmItem) -> str:
        return self.href(col.host, item.path)

    def home_href(self) -> str:
        return self.href("", "/")

    def date_text(self, col: FarmColumn, item: FarmItem) -> str:
        """The date as printed beside an item in a list; empty where the column shows none."""
        if col.undated or not col.list_dates:
            return ""
        return format_date(item.date, self.site.date_format)


def a(href: str, text: str, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_")}="{escape(v)}"' for k, v in attrs.items())
    return f'<a href="{escape(href)}"{extra}>{escape(text)}</a>'


def document(ctx: Ctx, title: str, body: str, meta: dict[str, str] | None = None) -> str:
    """The full HTML document around a skin's body."""
    site = ctx.site
    tags = {"SiteName": site.name, "SiteDomain": site.domain, "SiteIDCode": site.id_code}
    tags.update(meta or {})
    metas = "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in tags.items())
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
        f'<meta charset="{site.encoding}">\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={site.encoding}">\n'
        f"{metas}\n<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="/css/{site.skin}.css">\n</head>\n<body>\n'
        f"{body}\n{footer(ctx)}\n</body>\n</html>\n"
    )


def footer(ctx: Ctx) -> str:
    site = ctx.site
    digits = "".join(c for c in site.id_code if c.isdigit())
    icp = f"鄂ICP备{digits[-8:]}号-1"
    police = f"鄂公网安备 {digits}0{digits[-3:]}号"
    off = set(site.marks_missing)
    marks = {
        "id_code": f"网站标识码：{site.id_code}　",
        "icp": f'<a href="https://beian.miit.gov.cn/" target="_blank">{icp}</a>　',
        "police": '<a href="http://www.beian.gov.cn/portal/registerSystemInfo?'
        f'recordcode={digits}" target="_blank">'
        f'<img src="/images/ga.png" alt="公安备案">{police}</a>',
        "party_gov": f'<a href="https://bszs.conac.cn/sitename?method=show&amp;id={digits}" '
        'target="_blank"><img src="/images/dzjg.png" alt="党政机关"></a>',
    }
    shown = {k: ("" if k in off else v) for k, v in marks.items()}
    return (
        '<div class="footer">\n'
        f"<p>主办单位：{escape(site.name)}　承办单位：{escape(site.name)}办公室</p>\n"
        f"<p>地址：{escape(ctx.city)}人民大道{len(site.id) * 7 + 1}号　"
        f"联系电话：0719-{digits[-7:]}</p>\n"
        f"<p>{shown['id_code']}{shown['icp']}{shown['police']}</p>\n"
        f"<p>{shown['party_gov']}</p>\n"
        "</div>"
    )


def breadcrumb_links(ctx: Ctx, col: FarmColumn | None, *, item: bool = False) -> list[str]:
    """Links from 首页 down to the column; the column itself is plain text on its own page."""
    crumbs = [a(ctx.home_href(), "首页")]
    chain = [col.parent, col] if col is not None and col.parent else [col] if col else []
    for i, c in enumerate(chain):
        last = i == len(chain) - 1 and not item
        crumbs.append(f"<span>{escape(c.name)}</span>" if last else a(ctx.col_href(c), c.name))
    return crumbs


def pages_of(col: FarmColumn, page_size: int) -> list[list[FarmItem]]:
    """The column's items in list order cut into pages; a blank column still has one page."""
    items = col.display_items
    return [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]


def article_meta(col: FarmColumn, item: FarmItem) -> dict[str, str]:
    """The metadata tags of a detail page; PubDate only where the column shows dates."""
    meta = {"ColumnName": col.name, "ArticleTitle": item.title}
    if not col.undated:
        meta["PubDate"] = f"{item.date:%Y-%m-%d} {item.time}"
    return meta


def publish_line(col: FarmColumn, item: FarmItem) -> str:
    """The 发布时间 text of a detail page; empty for undated columns."""
    return "" if col.undated else f"发布时间：{item.date:%Y-%m-%d} {item.time}"


def error_page(status: int) -> bytes:
    reason = {404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}
    text = f"{status} {reason.get(status, 'Error')}"
    return f"<html><head><title>{text}</title></head><body><h1>{text}</h1></body></html>".encode()


@dataclass
class Row:
    """One linked item as a list or block shows it."""

    title: str
    href: str
    date: str  # as printed, "" when not shown
    pinned: bool = False


@dataclass
class Block:
    """A home-page block: a title, its 更多 link and the newest items."""

    title: str
    more: str
    rows: list[Row]


@dataclass
class NavEntry:
    text: str
    href: str
    children: list[tuple[str, str]]  # (text, href) of the dropdown


def column_rows(ctx: Ctx, col: FarmColumn, items: list[FarmItem]) -> list[Row]:
    return [Row(i.title, ctx.item_href(col, i), ctx.date_text(col, i), i.pinned) for i in items]


PIN_MARK = '<span class="zd">[置顶]</span>'


def pin(row: Row) -> str:
    """The 置顶 mark a pinned row shows before its link."""
    return PIN_MARK if row.pinned else ""


def nav_entries(ctx: Ctx) -> list[NavEntry]:
    """首页, the first-level columns with their dropdowns, then off-site entries."""
    entries = [NavEntry("首页", ctx.home_href(), [])]
    for col in ctx.site.columns:
        subs = [(c.name, ctx.col_href(c)) for c in col.children] if col.dropdown else []
        entries.append(NavEntry(col.name, ctx.col_href(col), subs))
    entries += [NavEntry(link.text, link.url, []) for link in ctx.site.offsite_nav]
    return entries


def home_blocks(ctx: Ctx) -> list[Block]:
    """头条 (if any), one block per column shown on the home page, then mirrored blocks."""
    site = ctx.site
    blocks = []
    if site.lead:
        rows = [Row(i.title, ctx.item_href(c, i), ctx.date_text(c, i)) for c, i in site.lead]
        blocks.append(Block("头条新闻", "", rows))
    for col in site.all_columns():
        if col.home:
            rows = column_rows(ctx, col, col.items[: col.home])
            blocks.append(Block(col.name, ctx.col_href(col), rows))
    for title, more, items in site.offsite_blocks:
        rows = [Row(t, url, format_date(day, site.date_format)) for t, url, day in items]
        blocks.append(Block(title, more, rows))
    return blocks


def side_entries(ctx: Ctx, col: FarmColumn) -> list[tuple[str, str, bool]]:
    """Sibling sub-columns for the left menu of a second-level page: (text, href, current)."""
    if col.parent is None:
        return []
    return [(c.name, ctx.col_href(c), c is col) for c in col.parent.children]
