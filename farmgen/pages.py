"""Every page of a generated site, by path under the site's prefix, with its content type."""

from __future__ import annotations

import datetime as dt
from html import escape

from farmgen import markup
from farmgen.markup import article, col_href, crumb, href, item_rows, page
from farmgen.spec import GenColumn, GenItem, GenSite

HTML = "text/html; charset={}"
DOWN_URL = "http://127.0.0.1:9/wsbs/"  # the discard port: nothing listens on loopback
# a 办事指南 column's online system by its kind: (status, body); missing is not served
ONLINE_ANSWERS = {
    "ok": (200, "<html><head><title>网上办事大厅</title></head><body><h1>网上办事大厅</h1>"
                "<p>个人办事 法人办事 办件查询</p></body></html>"),
    "login": (200, "<html><head><title>用户登录</title></head><body><form>"
                   "<input name='u'><input type='password' name='p'></form></body></html>"),
    "error": (500, "<html><head><title>500 Internal Server Error</title></head><body>"
                   "</body></html>"),
    "page": (200, "<html><body><p>系统升级中，暂停服务</p></body></html>"),
}  # fmt: skip
# a side block that says 暂无 on pages whose main list is full: a placeholder out of place
SIDE_EMPTY = '<div class="side-box"><h3>热点推荐</h3><p>暂无内容</p></div>'


def _side_menu(site: GenSite, col: GenColumn) -> str:
    """The left menu of a second-level page: the channel's children."""
    parent = next((c for c in site.columns if col in c.children or c is col), None)
    if parent is None or not parent.children:
        return ""
    links = "".join(
        f'<li><a href="{col_href(site, c)}">{escape(c.name)}</a></li>' for c in parent.children
    )
    return (
        f'<div class="sub-menu"><h3 class="title">{escape(parent.name)}</h3><ul>{links}</ul></div>'  # noqa: E501
    )


def _list_pages(site: GenSite, col: GenColumn) -> dict[str, str]:
    pinned = [i for i in col.items if i.pinned]
    rest = [i for i in col.items if not i.pinned]
    rest.sort(key=lambda i: i.date, reverse=col.order == "desc")
    items = pinned + rest
    side = _side_menu(site, col) or (SIDE_EMPTY if len(col.name) % 3 == 0 else "")
    if not items:
        main = crumb(col) + markup.empty_list(site, col)
        return {f"{col.slug}/index.html": page(site, col.name, main, side)}
    if site.layout == "script":
        main = crumb(col) + markup.script_list(site, items)
        return {f"{col.slug}/index.html": page(site, col.name, main, side)}
    if site.layout == "hanweb":
        main = crumb(col) + markup.hanweb_list(site, col, items)
        return {f"{col.slug}/index.html": page(site, col.name, main, side)}
    size = site.page_size
    chunks = [items[k : k + size] for k in range(0, len(items), size)]
    out = {}
    layout = "ul" if site.layout in ("iframe", "trs") else site.layout
    for k, chunk in enumerate(chunks):
        name = "index.html" if k == 0 else f"index_{k}.html"
        body = item_rows(site, col, chunk, layout) + markup.pager(site, col, k, len(chunks))
        if site.layout == "iframe":
            frame = name.replace("index", "list")
            out[f"{col.slug}/{frame}"] = (
                f'<html><head><meta charset="{site.encoding}"></head><body>'
                f"{body.replace('/index', '/list')}</body></html>"
            )
            body = f'<iframe src="{href(site, f"{col.slug}/{frame}")}" width="100%"></iframe>'
        out[f"{col.slug}/{name}"] = page(site, col.name, crumb(col) + body, side)
    return out


def _column_pages(site: GenSite, col: GenColumn) -> dict[str, str]:
    if col.kind == "channel":
        main = crumb(col) + "".join(
            f'<div class="box"><h3>{escape(c.name)}</h3>'
            f'<a class="more" href="{col_href(site, c)}">更多</a></div>'
            for c in col.children
        )
        return {f"{col.slug}/index.html": page(site, col.name, main, _side_menu(site, col))}
    if col.kind == "page":
        body = article(site, col.name, col.page_date, col.page_text, col.placeholder)
        return {f"{col.slug}/index.html": page(site, col.name, crumb(col) + body)}
    return _list_pages(site, col)


def _home(site: GenSite) -> str:
    blocks = []
    for col in site.all_columns():
        if not col.on_home:
            continue
        newest = sorted(col.items, key=lambda i: i.date, reverse=True)[:5]
        blocks.append(
            f'<div class="box"><div class="box-hd"><h3>{escape(col.name)}</h3>'
            f'<a href="{col_href(site, col)}">更多&gt;&gt;</a></div>'
            f"{item_rows(site, col, newest, 'ul')}</div>"
        )
    return page(site, site.name, "".join(blocks) or "<p>欢迎访问</p>")


def _noise_pages(site: GenSite, today: dt.date) -> dict[str, str]:
    """Pages behind the non-column links: each one would pass for a column if followed."""
    en_items = "".join(
        f'<li><a href="{href(site, f"en/n{k}.html")}">County news {k}</a>'
        f"<span>{today - dt.timedelta(days=k * 40):%Y-%m-%d}</span></li>"
        for k in range(1, 6)
    )
    links = "".join(
        f'<li><a href="{col_href(site, c)}">{escape(c.name)}</a></li>' for c in site.all_columns()
    )
    plain = "<div class='content'><p>{}</p></div>"
    return {
        "en/index.html": f"<html><body><div class='news'><ul class='list'>{en_items}</ul></div>"
        "</body></html>",
        "sitemap.html": page(site, "网站地图", f"<div class='sitemap'><ul>{links}</ul></div>"),
        "login.html": page(site, "用户登录", "<form><input name='u'>用户名 密码</form>"),
        "register.html": page(site, "用户注册", "<form><input name='u'>注册新用户</form>"),
        "search.html": page(site, "站内搜索", plain.format("没有记录") + "<ul class='list'></ul>"),
        "wza/index.html": page(site, "无障碍", plain.format("无障碍浏览服务")),
        "elder/index.html": page(site, "长者模式", plain.format("长者模式")),
        "wap/index.html": page(site, "手机版", plain.format("请用手机访问")),
    }


def online_path(col: GenColumn) -> str:
    """Where a 办事指南 column's 在线办理 link points (site-relative, or DOWN_URL)."""
    return DOWN_URL if col.online == "down" else f"wsbs/{col.slug.replace('/', '_')}.html"


def detail(site: GenSite, col: GenColumn, item: GenItem) -> str:
    """An item's own page; the undated columns show no date here either; a guide links
    its column's online system."""
    day = None if col.undated else item.date
    head = f'<meta name="PubDate" content="{item.date:%Y-%m-%d} 10:00">' if day else ""
    body = article(site, item.title, day, "正文内容。详见附件。", "")
    if col.online:
        body += f'<p><a href="{href(site, online_path(col))}">在线办理</a></p>'
    return page(site, item.title, body).replace("<head>", f"<head>{head}", 1)


def site_pages(site: GenSite, today: dt.date) -> tuple[dict[str, bytes], dict[str, tuple]]:
    """(pages by site-relative path, encoded; detail pages to render on request)."""
    texts = {"index.html": _home(site), **_noise_pages(site, today)}
    details: dict[str, tuple] = {}
    for col in site.all_columns():
        texts.update(_column_pages(site, col))
        for item in col.items:
            details[item.path] = (col, item)
    return {p: t.encode(site.encoding, "replace") for p, t in texts.items()}, details


def content_type(site: GenSite, path: str) -> str:
    if path.endswith(".xml"):
        return "text/xml"
    if path.endswith((".pdf", ".doc")):
        return "application/octet-stream"
    # some GBK sites say their charset only in the page's <meta>
    if site.encoding == "gbk" and len(site.name) % 2:
        return "text/html"
    return HTML.format(site.encoding)
