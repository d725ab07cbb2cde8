"""Markup of generated sites: page chrome, navigation, lists in several layouts, dates."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from html import escape

from farmgen.spec import GenColumn, GenItem, GenSite

_CN = "〇一二三四五六七八九"
_FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[units] if units else "")


def fmt_date(day: dt.date, style: str, salt: str = "") -> str:
    """A list date as the site writes it; "mixed" varies item by item."""
    if style == "mixed":
        styles = ["iso", "slash", "cn", "dot", "time"]
        style = styles[zlib.crc32(salt.encode()) % len(styles)]
    if style == "slash":
        return f"{day:%Y/%m/%d}"
    if style == "dot":
        return f"({day:%Y.%m.%d})"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "cnnum":
        year = "".join(_CN[int(c)] for c in str(day.year))
        return f"{year}年{_cn_number(day.month)}月{_cn_number(day.day)}日"
    if style == "full":
        return f"{day:%Y-%m-%d}".translate(_FULL)
    if style == "yearless":
        return f"[{day:%m-%d}]"
    if style == "time":
        return f"{day:%Y-%m-%d} 09:{zlib.crc32(salt.encode()) % 60:02d}"
    return f"{day:%Y-%m-%d}"


def href(site: GenSite, path: str) -> str:
    """Site-relative paths under the site's prefix; anything with a scheme as it is."""
    if ":" in path:
        return path
    return f"/{site.id}/{path}"


def col_href(site: GenSite, col: GenColumn) -> str:
    return href(site, f"{col.slug}/index.html")


def _nav(site: GenSite) -> str:
    lis = []
    for col in site.columns:
        subs = "".join(
            f'<li><a href="{col_href(site, c)}">{escape(c.name)}</a></li>' for c in col.children
        )
        sub = f'<ul class="sub">{subs}</ul>' if subs and site.skin != "portal" else ""
        lis.append(f'<li><a href="{col_href(site, col)}">{escape(col.name)}</a>{sub}</li>')
    for n in site.noise:
        if n.where == "nav":
            lis.append(f'<li><a href="{escape(href(site, n.href))}">{escape(n.text)}</a></li>')
    home = f'<li><a href="{href(site, "index.html")}">首页</a></li>'
    if site.skin == "portal":  # flat anchors, no list
        body = home.replace("<li>", "").replace("</li>", "") + "".join(
            x.replace("<li>", "").replace("</li>", "") for x in lis
        )
        return f'<div id="{site.nav_class}">{body}</div>'
    tag = "nav" if site.skin == "modern" else "div"
    return f'<{tag} class="{site.nav_class}"><ul>{home}{"".join(lis)}</ul></{tag}>'


def _links(site: GenSite, where: str) -> str:
    return " | ".join(
        f'<a href="{escape(href(site, n.href))}">{escape(n.text)}</a>'
        for n in site.noise
        if n.where == where
    )


def page(site: GenSite, title: str, main: str, side: str = "") -> str:
    """A whole page of the site: header links, navigation, main area and footer."""
    top_class = ["topbar", "top-nav", "header-links", "toolbar"][len(site.id + title) % 4]
    charset = "gbk" if site.encoding == "gbk" else "utf-8"
    side_html = f'<div class="left-side">{side}</div>' if side else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{escape(title)}</title>'
        f"</head><body>"
        f'<div class="header"><div class="{top_class}">{_links(site, "top")}</div>'
        f'<div class="logo">{escape(site.name)}</div></div>'
        f'{_nav(site)}<div class="container">{side_html}<div class="main">{main}</div></div>'
        f'<div class="footer">{_links(site, "footer")}<p>版权所有：{escape(site.name)}</p>'
        f'<a href="{href(site, "sitemap.html")}">网站地图</a></div></body></html>'
    )


def item_rows(site: GenSite, col: GenColumn, items: list[GenItem], layout: str) -> str:
    """Items in the site's list layout (the dates only when the list shows them)."""

    def date_of(item: GenItem) -> str:
        if not col.list_dates:
            return ""
        return fmt_date(item.date, site.date_style, item.path)

    def link(item: GenItem) -> str:
        mark = '<span class="zd">[置顶]</span>' if item.pinned else ""
        return f'{mark}<a href="{href(site, item.path)}" title="{escape(item.title)}">' + (
            f"{escape(item.title)}</a>"
        )

    if layout == "table":
        rows = "".join(f"<tr><td>{link(i)}</td><td>{date_of(i)}</td></tr>" for i in items)
        return f'<table class="list-table" width="100%">{rows}</table>'
    if layout == "div":
        rows = "".join(
            f'<div class="news-item">{link(i)}<span class="time">{date_of(i)}</span></div>'
            for i in items
        )
        return f'<div class="news-list">{rows}</div>'
    if layout == "dl":
        rows = "".join(f"<dd>{link(i)}<em>{date_of(i)}</em></dd>" for i in items)
        return f'<dl class="list"><dt>{escape(col.name)}</dt>{rows}</dl>'
    rows = "".join(f'<li>{link(i)}<span class="date">{date_of(i)}</span></li>' for i in items)
    return f'<ul class="list">{rows}</ul>'


def empty_list(site: GenSite, col: GenColumn) -> str:
    """A blank column's list area: its placeholder, or an empty list element."""
    if col.placeholder:
        return f'<div class="list"><p class="nodata">{escape(col.placeholder)}</p></div>'
    if site.layout == "table":
        return '<table class="list-table"><tr><th>标题</th><th>发布日期</th></tr></table>'
    return '<ul class="list"></ul>'


def script_list(site: GenSite, items: list[GenItem]) -> str:
    """A list only a script writes, from a data literal in the page."""
    data = [
        {"aT": i.title, "aPd": f"{i.date:%Y-%m-%d} 10:00", "aU": href(site, i.path)} for i in items
    ]
    literal = json.dumps(data, ensure_ascii=False)
    return (
        f'<ul id="dataList" class="list"></ul><script>var itemObj = {literal};'
        "var box=document.getElementById('dataList');"
        "if(!itemObj.length){box.innerHTML='<li>暂无数据</li>';}"
        "for(var i=0;i<itemObj.length;i++){box.innerHTML+='<li><a href=\"'+itemObj[i].aU+'\">'"
        "+itemObj[i].aT+'</a><span>'+itemObj[i].aPd+'</span></li>';}</script>"
    )


def hanweb_list(site: GenSite, col: GenColumn, items: list[GenItem]) -> str:
    """Hanweb-like: every record in a text/xml datastore that jpage pages through."""
    records = "".join(
        f"<record><![CDATA[\n{item_rows(site, col, [i], 'ul')[17:-5]}\n]]></record>" for i in items
    )
    return (
        f'<div id="{col.slug.replace("/", "_")}"><script type="text/xml"><datastore>'
        f"<totalrecord>{len(items)}</totalrecord><recordset>{records}</recordset>"
        "</datastore></script></div>"
        '<script src="/module/web/jpage/jpage.js"></script>'
    )


def pager(site: GenSite, col: GenColumn, current: int, pages: int) -> str:
    if pages <= 1:
        return ""
    if site.layout == "trs":
        return f'<div class="page"><script>createPageHTML({pages}, {current}, "index", "html");</script></div>'  # noqa: E501

    def name(k: int) -> str:
        return href(site, f"{col.slug}/{'index' if k == 0 else f'index_{k}'}.html")

    parts = [f'<a href="{name(0)}">首页</a>']
    if current + 1 < pages:
        parts.append(f'<a href="{name(current + 1)}">下一页</a>')
    parts.append(f'<a href="{name(pages - 1)}">尾页</a>')
    return f'<div class="pagination">{"".join(parts)}</div>'


def crumb(col: GenColumn) -> str:
    parts = ["首页", *([col.parent] if col.parent else []), col.name]
    return f'<div class="position">当前位置：{" > ".join(escape(p) for p in parts)}</div>'


def article(site: GenSite, title: str, day: dt.date | None, text: str, placeholder: str) -> str:
    """A page column's body, or a detail page: title, date line, text."""
    info = f'<div class="info">发布时间：{day:%Y-%m-%d} 来源：本网</div>' if day else ""
    body = f"<p>{escape(placeholder)}</p>" if placeholder else (
        "".join(f"<p>{escape(s)}。</p>" for s in text.split("。") if s)
    )  # fmt: skip
    box = ["article", "detail", "content-box", "zw-box"][len(title) % 4]
    return (
        f'<div class="{box}"><h2 class="title">{escape(title)}</h2>{info}'
        f'<div class="TRS_Editor content">{body}</div></div>'
    )
