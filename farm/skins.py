"""Three page skins modelled on common government CMS layouts, with their URL schemes.

- ``box``: TRS-style directories (``/xxgk/tzgg/``, ``index_1.html``, ``./202605/t20260520_1.html``),
  ``div.nav`` menu and ``div.box`` blocks;
- ``table``: Hanweb-style table layout (``/col/col1001/index.html?uid=..&pageNum=2``,
  ``/art/2026/5/20/art_1001_1.html``), ``div#menu`` and 更多 as an image or "more";
- ``dl``: ``div.menu`` with ``dl/dt/dd`` blocks, the date inside the ``li`` text after the title.

Longer than 300 lines: three page skins as literal templates beside their URL
schemes; splitting them would separate a skin from its paths.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from farm.layout import (
    Ctx,
    a,
    article_meta,
    breadcrumb_links,
    column_rows,
    document,
    home_blocks,
    nav_entries,
    pages_of,
    pin,
    publish_line,
    side_entries,
)
from farm.model import FarmColumn, FarmItem
from farm.scripted import frame_list, script_list


class Skin:
    """Renders the four kinds of page and decides their URLs."""

    name = ""
    family = "generic"  # the CMS family whose markup the skin imitates
    generator = ""  # <meta name="generator"> of every page, when the CMS writes one

    # -- URL scheme ------------------------------------------------------------------
    def column_path(self, col: FarmColumn) -> str:
        raise NotImplementedError

    def page_path(self, col: FarmColumn, page_no: int) -> str:
        """Path of list page ``page_no`` (1-based); page 1 is the column's own path."""
        raise NotImplementedError

    def detail_path(self, col: FarmColumn, number: int, day: dt.date) -> str:
        raise NotImplementedError

    def page_chunks(self, col: FarmColumn, page_size: int) -> list[list[FarmItem]]:
        """The items of each list page, in list order."""
        return pages_of(col, page_size)

    def extra_pages(self, ctx: Ctx, col: FarmColumn) -> dict[str, str]:
        """Pages beyond the list pages a column needs (a frame's list), by path."""
        return {}

    def data_records(self, ctx: Ctx, col: FarmColumn) -> list[str]:
        """Records a data endpoint serves for the column (Hanweb dataproxy.jsp), in order."""
        return []

    def meta(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        tags = {"generator": self.generator} if self.generator else {}
        return tags | (extra or {})

    # -- pages -----------------------------------------------------------------------
    def home(self, ctx: Ctx) -> str:
        body = self.header(ctx) + self.home_body(ctx) + self.friends(ctx)
        return document(ctx, ctx.site.name, body, self.meta())

    def listing(self, ctx: Ctx, col: FarmColumn, items: list[FarmItem], page_no: int) -> str:
        body = self.header(ctx) + self.list_body(ctx, col, items, page_no)
        return document(
            ctx, f"{col.name}_{ctx.site.name}", body, self.meta({"ColumnName": col.name})
        )

    def channel(self, ctx: Ctx, col: FarmColumn) -> str:
        body = self.header(ctx) + self.channel_body(ctx, col)
        return document(
            ctx, f"{col.name}_{ctx.site.name}", body, self.meta({"ColumnName": col.name})
        )

    def detail(self, ctx: Ctx, col: FarmColumn, item: FarmItem, paragraphs: list[str]) -> str:
        crumbs = " &gt; ".join(breadcrumb_links(ctx, col, item=True))
        text = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        info = publish_line(col, item)
        body = (
            self.header(ctx)
            + f'<div class="{self.crumb_class}">当前位置：{crumbs} &gt; 正文</div>\n'
            + f'<div class="article">\n<h1>{escape(item.title)}</h1>\n'
            + f'<div class="info"><span>{info}</span>　<span>来源：{escape(ctx.site.name)}</span>'
            + '　<span>【字体：<a href="javascript:;">大</a> <a href="javascript:;">小</a>】</span>'
            + f'</div>\n<div class="TRS_Editor">\n{text}\n</div>\n</div>\n'
        )
        return document(
            ctx, f"{item.title}_{ctx.site.name}", body, self.meta(article_meta(col, item))
        )

    # -- pieces ----------------------------------------------------------------------
    crumb_class = "position"

    def header(self, ctx: Ctx) -> str:
        raise NotImplementedError

    def home_body(self, ctx: Ctx) -> str:
        raise NotImplementedError

    def list_body(self, ctx: Ctx, col: FarmColumn, items: list[FarmItem], page_no: int) -> str:
        raise NotImplementedError

    def channel_body(self, ctx: Ctx, col: FarmColumn) -> str:
        crumbs = " &gt; ".join(breadcrumb_links(ctx, col))
        subs = "\n".join(f"<li>{a(ctx.col_href(c), c.name)}</li>" for c in col.children)
        return (
            f'<div class="{self.crumb_class}">当前位置：{crumbs}</div>\n'
            f'<div class="channel">\n<h2>{escape(col.name)}</h2>\n'
            f'<ul class="sub-columns">\n{subs}\n</ul>\n</div>\n'
        )

    def friends(self, ctx: Ctx) -> str:
        links = "\n".join(f"<li>{a(link.url, link.text)}</li>" for link in ctx.site.friend_links)
        return f'<div class="friend-links">\n<h3>友情链接</h3>\n<ul>\n{links}\n</ul>\n</div>\n'


_ON = {True: ' class="on"', False: ""}
_CUR = {True: ' class="cur"', False: ""}


def _pager(n_pages: int, page_no: int, href) -> str:
    """首页/上一页/下一页/尾页 links; the current end of the range is plain text."""
    parts = [f"共{n_pages}页", f"当前第{page_no}页"]
    for text, target, active in (
        ("首页", 1, page_no > 1),
        ("上一页", page_no - 1, page_no > 1),
        ("下一页", page_no + 1, page_no < n_pages),
        ("尾页", n_pages, page_no < n_pages),
    ):
        parts.append(a(href(target), text) if active else f"<span>{text}</span>")
    return " ".join(parts)


class BoxSkin(Skin):
    """TRS-style: directory per column, relative links on list pages, JS page counter."""

    name = "box"
    family = "trs"

    def column_path(self, col: FarmColumn) -> str:
        return "/" + "/".join(c.slug for c in ([col.parent] if col.parent else []) + [col]) + "/"

    def page_path(self, col: FarmColumn, page_no: int) -> str:
        return col.path if page_no == 1 else f"{col.path}index_{page_no - 1}.html"

    def detail_path(self, col: FarmColumn, number: int, day: dt.date) -> str:
        return f"{col.path}{day:%Y%m}/t{day:%Y%m%d}_{number}.html"

    def header(self, ctx: Ctx) -> str:
        items = []
        for entry in nav_entries(ctx):
            if entry.children:
                subs = "".join(f"<li>{a(h, t)}</li>" for t, h in entry.children)
                link = a(entry.href, entry.text)
                items.append(f'<li class="has-sub">{link}<ul class="sub">{subs}</ul></li>')
            else:
                items.append(f"<li>{a(entry.href, entry.text)}</li>")
        nav = "\n".join(items)
        return (
            f'<div class="header"><div class="logo"><h1>{escape(ctx.site.name)}</h1></div>'
            '<div class="search"><form action="/search/" method="get">'
            '<input name="q" type="text"><button>搜索</button></form></div></div>\n'
            f'<div class="nav"><ul>\n{nav}\n</ul></div>\n'
        )

    def _list(self, rows, relative_to: str = "") -> str:
        lis = []
        for row in rows:
            href = row.href
            if relative_to and href.startswith(relative_to):
                href = "./" + href[len(relative_to) :]  # TRS lists link relatively
            date = f'<span class="date">{escape(row.date)}</span>' if row.date else ""
            link = a(href, row.title, title=row.title, target="_blank")
            lis.append(f"<li>{pin(row)}{link}{date}</li>")
        return '<ul class="list">\n' + "\n".join(lis) + "\n</ul>"

    def home_body(self, ctx: Ctx) -> str:
        boxes = []
        for block in home_blocks(ctx):
            more = (
                f'<a class="more" href="{escape(block.more)}">更多&gt;&gt;</a>'
                if block.more
                else ""
            )
            boxes.append(
                f'<div class="box"><div class="box-hd"><h3>{escape(block.title)}</h3>{more}</div>\n'
                f"{self._list(block.rows)}\n</div>"
            )
        return '<div class="main">\n' + "\n".join(boxes) + "\n</div>\n"

    def list_body(self, ctx: Ctx, col: FarmColumn, items: list[FarmItem], page_no: int) -> str:
        crumbs = " &gt; ".join(breadcrumb_links(ctx, col))
        side = side_entries(ctx, col)
        side_html = ""
        if side:
            lis = "".join(f"<li{_ON[cur]}>{a(h, t)}</li>" for t, h, cur in side)
            side_html = (
                f'<div class="side"><h2>{escape(col.parent.name)}</h2><ul>{lis}</ul></div>\n'
            )
        if items:
            listing = self._list(column_rows(ctx, col, items), relative_to=col.path)
        elif col.placeholder:
            listing = f'<ul class="list">\n<li class="nodata">{escape(col.placeholder)}</li>\n</ul>'
        else:
            listing = '<ul class="list">\n</ul>'
        n_pages = len(col.page_paths)
        pager = ""
        if n_pages > 1:
            rel = lambda n: "./" if n == 1 else f"index_{n - 1}.html"  # noqa: E731
            pager = (
                f'<div class="page"><script>createPageHTML({n_pages}, {page_no - 1}, '
                f'"index", "html");</script>{_pager(n_pages, page_no, rel)}</div>'
            )
        return (
            f'<div class="position">当前位置：{crumbs}</div>\n<div class="container">\n'
            f'{side_html}<div class="content"><h2 class="col-title">{escape(col.name)}</h2>\n'
            f"{listing}\n{pager}\n</div>\n</div>\n"
        )


class TableSkin(Skin):
    """Hanweb-style: table layout, numbered column URLs, ``pageNum`` query pagination."""

    name = "table"
    crumb_class = "dqwz"

    def column_path(self, col: FarmColumn) -> str:
        return f"/col/col{col.number}/index.html"

    def page_path(self, col: FarmColumn, page_no: int) -> str:
        return col.path if page_no == 1 else f"{col.path}?uid=4{col.number}&pageNum={page_no}"

    def detail_path(self, col: FarmColumn, number: int, day: dt.date) -> str:
        return f"/art/{day.year}/{day.month}/{day.day}/art_{col.number}_{number}.html"

    def header(self, ctx: Ctx) -> str:
        cells = []
        for entry in nav_entries(ctx):
            sub = ""
            if entry.children:
                sub = '<div class="submenu">' + " ".join(a(h, t) for t, h in entry.children)
                sub += "</div>"
            cells.append(f'<td class="menu-item">{a(entry.href, entry.text)}{sub}</td>')
        return (
            '<table width="1000" align="center" cellpadding="0" cellspacing="0"><tr>'
            f'<td class="banner"><img src="/images/banner.jpg" alt="{escape(ctx.site.name)}">'
            "</td></tr></table>\n"
            '<div id="menu"><table width="1000" align="center"><tr>\n'
            + "\n".join(cells)
            + "\n</tr></table></div>\n"
        )

    def _rows(self, rows) -> str:
        trs = []
        for row in rows:
            date = f'<td class="date" width="80">{escape(row.date)}</td>' if row.date else ""
            trs.append(
                f'<tr><td class="title">{pin(row)}'
                f"{a(row.href, row.title, title=row.title, target='_blank')}</td>{date}</tr>"
            )
        return "\n".join(trs)

    def home_body(self, ctx: Ctx) -> str:
        tables = []
        for i, block in enumerate(home_blocks(ctx)):
            if not block.more:
                more = ""
            elif i % 2:  # real sites mix both kinds of 更多 link
                more = f'<a href="{escape(block.more)}">more</a>'
            else:
                more = f'<a href="{escape(block.more)}"><img src="/images/more.gif" alt="更多"></a>'
            tables.append(
                '<table class="lm" width="490"><tr>'
                f'<td class="lm-title">{escape(block.title)}</td><td align="right">{more}</td>'
                f'</tr>\n<tr><td colspan="2"><table class="lm-list" width="100%">\n'
                f"{self._rows(block.rows)}\n</table></td></tr></table>"
            )
        return (
            '<table width="1000" align="center"><tr><td>\n'
            + "\n".join(tables)
            + "\n</td></tr></table>\n"
        )

    def list_body(self, ctx: Ctx, col: FarmColumn, items: list[FarmItem], page_no: int) -> str:
        crumbs = " &gt; ".join(breadcrumb_links(ctx, col))
        side = side_entries(ctx, col)
        left = ""
        if side:
            lis = "".join(f"<li{_CUR[cur]}>{a(h, t)}</li>" for t, h, cur in side)
            left = (
                f'<td class="left" width="220" valign="top"><div class="side-title">'
                f"{escape(col.parent.name)}</div><ul>{lis}</ul></td>\n"
            )
        if items:
            rows = self._rows(column_rows(ctx, col, items))
        elif col.placeholder:
            rows = f'<tr><td align="center">{escape(col.placeholder)}</td></tr>'
        else:
            rows = ""
        n_pages = len(col.page_paths)
        pager = ""
        if n_pages > 1:
            total = len(col.items)
            pager = (
                f'<div class="pages">共{total}条记录 '
                f"{_pager(n_pages, page_no, lambda n: self.page_path(col, n))}</div>"
            )
        return (
            f'<div class="dqwz">当前位置：{crumbs}</div>\n'
            f'<table width="1000" align="center"><tr>\n{left}<td valign="top">'
            f'<div class="lm-name">{escape(col.name)}</div>\n'
            f'<table class="list-table" width="100%">\n{rows}\n</table>\n{pager}\n'
            "</td></tr></table>\n"
        )


class DlSkin(Skin):
    """``div.menu`` navigation, ``dl`` blocks, the date as text after the title."""

    name = "dl"
    crumb_class = "crumb"

    def column_path(self, col: FarmColumn) -> str:
        return f"/channel/{col.number}.html"

    def page_path(self, col: FarmColumn, page_no: int) -> str:
        return col.path if page_no == 1 else f"/channel/{col.number}_{page_no}.html"

    def detail_path(self, col: FarmColumn, number: int, day: dt.date) -> str:
        return f"/content/{day:%Y%m}/{number}.html"

    def frame_path(self, col: FarmColumn) -> str:
        return f"/channel/{col.number}_list.html"

    def extra_pages(self, ctx: Ctx, col: FarmColumn) -> dict[str, str]:
        if not col.frame:
            return {}
        rows = self._lis(column_rows(ctx, col, col.display_items))
        body = f'<div class="rightlist"><ul class="list">\n{rows}\n</ul></div>'
        return {self.frame_path(col): document(ctx, col.name, body, self.meta())}

    def header(self, ctx: Ctx) -> str:
        parts = []
        for entry in nav_entries(ctx):
            if entry.children:
                drop = "".join(a(h, t) for t, h in entry.children)
                parts.append(
                    f'<span class="menu-item">{a(entry.href, entry.text)}'
                    f'<span class="drop">{drop}</span></span>'
                )
            else:
                parts.append(a(entry.href, entry.text))
        return (
            f'<div class="top"><span class="site-name">{escape(ctx.site.name)}</span></div>\n'
            '<div class="menu">\n' + "\n".join(parts) + "\n</div>\n"
        )

    def _lis(self, rows) -> str:
        dated = [(r, f" {escape(r.date)}" if r.date else "") for r in rows]
        return "\n".join(
            f"<li>{pin(r)}{a(r.href, r.title, target='_blank')}{d}</li>" for r, d in dated
        )

    def home_body(self, ctx: Ctx) -> str:
        dls = []
        for block in home_blocks(ctx):
            more = f'<a class="more" href="{escape(block.more)}">更多</a>' if block.more else ""
            dls.append(
                f'<dl class="block"><dt><span>{escape(block.title)}</span>{more}</dt>\n'
                f"<dd><ul>\n{self._lis(block.rows)}\n</ul></dd></dl>"
            )
        return '<div class="content">\n' + "\n".join(dls) + "\n</div>\n"

    def list_body(self, ctx: Ctx, col: FarmColumn, items: list[FarmItem], page_no: int) -> str:
        crumbs = " &gt; ".join(breadcrumb_links(ctx, col))
        side = side_entries(ctx, col)
        left = ""
        if side:
            dds = "".join(
                f"<dd>{a(h, t, class_='cur') if cur else a(h, t)}</dd>" for t, h, cur in side
            )
            left = f'<div class="leftmenu"><dl><dt>{escape(col.parent.name)}</dt>{dds}</dl></div>\n'
        if col.js and items:
            listing = script_list(col, items, f"list{col.number}")
        elif col.frame:
            listing = frame_list(self.frame_path(col))
        elif items:
            listing = f"<ul>\n{self._lis(column_rows(ctx, col, items))}\n</ul>"
        elif col.placeholder:
            listing = f'<ul></ul>\n<p class="empty">{escape(col.placeholder)}</p>'
        else:
            listing = "<ul></ul>"
        n_pages = len(col.page_paths)
        pager = ""
        if n_pages > 1:
            pager = (
                f'<div class="pagebar">{_pager(n_pages, page_no, lambda n: self.page_path(col, n))}'
                "</div>"
            )
        return (
            f'<div class="crumb">当前位置：{crumbs}</div>\n{left}'
            f'<div class="rightlist"><div class="title">{escape(col.name)}</div>\n'
            f"{listing}\n{pager}\n</div>\n"
        )


SKINS: dict[str, Skin] = {s.name: s for s in (BoxSkin(), TableSkin(), DlSkin())}
