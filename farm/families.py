"""Skins with the markup of the CMS families government sites run, in several versions.

- ``trs`` / ``trs7``: TRS WCM list pages whose pager exists only as a createPageHTML(...)
  call (WCM 8 form with the pager element and total; WCM 7 form with variables);
- ``hanweb`` / ``hanweb6``: Hanweb JCMS list pages; version 5 embeds the first records in a
  <datastore> block, version 6 (and ``ajax`` columns) load every record through
  ``dataproxy.jsp`` POSTs, which the farm server answers;
- ``gkml`` / ``gkml2`` / ``gkml3``: a 信息公开目录 tree whose category lists load into an
  iframe: links targeting the frame, ``loadList(id)`` with a src template in a script,
  or ``showCatalog(id)`` where only the frame's own src shows the URL pattern.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from farm.layout import Ctx, a, breadcrumb_links, format_date, pin
from farm.layout import Row as _Row
from farm.model import FarmColumn, FarmItem
from farm.skins import BoxSkin, DlSkin, TableSkin

PROXY = "/module/web/jpage/dataproxy.jsp"
FIRST_SCREEN = 3  # jpage's groupSize: pages of records embedded in the list page


class TrsSkin(BoxSkin):
    """TRS WCM 8: ``div.xxgk_list`` lists, pager written by createPageHTML only."""

    name = "trs"
    family = "trs"
    generator = "TRS WCM 8.0"

    def _pager_script(self, n_pages: int, page_no: int, total: int) -> str:
        return (
            f'<div id="page_div" class="page"></div><script type="text/javascript">'
            f"createPageHTML('page_div', {n_pages}, {page_no - 1}, 'index', 'html', {total});"
            "</script>"
        )

    def list_body(self, ctx: Ctx, col: FarmColumn, items: list[FarmItem], page_no: int) -> str:
        crumbs = " &gt; ".join(breadcrumb_links(ctx, col))
        lis = []
        for item in items:
            href = "./" + item.path[len(col.path) :]
            date = ctx.date_text(col, item)
            row = _Row(item.title, href, date, item.pinned)
            lis.append(
                f"<li>{pin(row)}{a(href, item.title, title=item.title, target='_blank')}"
                + (f"<span>{escape(date)}</span>" if date else "")
                + "</li>"
            )
        if not items and col.placeholder:
            lis.append(f'<li class="nodata">{escape(col.placeholder)}</li>')
        n_pages = len(col.page_paths)
        pager = self._pager_script(n_pages, page_no, len(col.items)) if n_pages > 1 else ""
        return (
            f'<div class="position">当前位置：{crumbs}</div>\n<div class="container">\n'
            f'<div class="xxgk_list"><h2 class="col-title">{escape(col.name)}</h2>\n'
            f"<ul>\n" + "\n".join(lis) + f"\n</ul>\n{pager}\n</div>\n</div>\n"
        )


class Trs7Skin(TrsSkin):
    """TRS WCM 7: the pager's arguments are script variables."""

    name = "trs7"
    generator = "TRS WCM 7.0"

    def _pager_script(self, n_pages: int, page_no: int, total: int) -> str:
        return (
            '<div class="page"><script language="javascript">\n'
            f"var countPage = {n_pages};\nvar currentPage = {page_no - 1};\n"
            'var prePage = "index";\n'
            'createPageHTML(countPage, currentPage, prePage, "html");\n</script></div>'
        )


class HanwebSkin(TableSkin):
    """Hanweb JCMS 5: records embedded in a <datastore>, the rest through dataproxy.jsp."""

    name = "hanweb"
    family = "hanweb"
    version = 5

    def page_chunks(self, col: FarmColumn, page_size: int) -> list[list[FarmItem]]:
        return [col.display_items]  # one page: jpage pages through the records itself

    def record(self, ctx: Ctx, col: FarmColumn, item: FarmItem) -> str:
        date = ctx.date_text(col, item)
        link = a(item.path, item.title, title=item.title, target="_blank")
        mark = pin(_Row(item.title, item.path, date, item.pinned))
        return f'<li>{mark}{link}<span class="bt-data-time">{escape(date)}</span></li>'

    def data_records(self, ctx: Ctx, col: FarmColumn) -> list[str]:
        return [self.record(ctx, col, item) for item in col.display_items]

    def _params(self, ctx: Ctx, col: FarmColumn) -> dict[str, str]:
        return {
            "col": "1",
            "appid": "1",
            "webid": str(len(ctx.site.id) + 2),
            "path": "/",
            "columnid": str(col.number),
            "sourceContentType": "1",
            "unitid": f"4{col.number}",
            "webname": ctx.site.name,
            "permissiontype": "0",
        }

    def _store(self, ctx: Ctx, col: FarmColumn, records: list[str]) -> str:
        query = "&".join(f"{k}={v}" for k, v in self._params(ctx, col).items() if k != "col")
        first = records[: ctx.site.page_size * FIRST_SCREEN]
        recs = "\n".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in first)
        return (
            '<script type="text/xml"><datastore>\n'
            f'<nextgroup><![CDATA[<a href="{PROXY}?page=1&{query}"></a>]]></nextgroup>\n'
            f"<recordset>\n{recs}\n</recordset>\n</datastore></script>"
        )

    def _config(self, ctx: Ctx, col: FarmColumn, total: int, embedded: bool) -> str:
        unit = f"4{col.number}"
        per_page = ctx.site.page_size
        if embedded:
            extra = f"totalRecord: {total},"
        else:
            params = ", ".join(f"{k}: '{v}'" for k, v in self._params(ctx, col).items())
            extra = f"ajaxParam: {{{params}}},"
        return (
            f'<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>\n'
            '<script type="text/javascript">\n$(document).ready(function () {\n'
            f"  $('#{unit}').jpage({{ dataStore: dataStore, perPage: {per_page}, "
            f"groupSize: {FIRST_SCREEN}, proxyUrl: '{PROXY}', {extra} "
            "barPosition: 'bottom', showMode: 'full' });\n});\n</script>"
        )

    def list_body(self, ctx: Ctx, col: FarmColumn, items: list[FarmItem], page_no: int) -> str:
        crumbs = " &gt; ".join(breadcrumb_links(ctx, col))
        records = self.data_records(ctx, col)
        embedded = self.version == 5 and not col.ajax
        store = self._store(ctx, col, records) if embedded else ""
        nodata = f'<div class="nodata">{escape(col.placeholder)}</div>' if col.placeholder else ""
        return (
            f'<div class="dqwz">当前位置：{crumbs}</div>\n'
            f'<table width="1000" align="center"><tr><td valign="top">'
            f'<div class="lm-name">{escape(col.name)}</div>\n'
            f'<div id="4{col.number}" class="default_pgContainer">{store}</div>{nodata}\n'
            f"{self._config(ctx, col, len(records), embedded)}\n</td></tr></table>\n"
        )


class Hanweb6Skin(HanwebSkin):
    """Hanweb JCMS 6: nothing embedded, table-row records, an image marks pinned items."""

    name = "hanweb6"
    version = 6

    def record(self, ctx: Ctx, col: FarmColumn, item: FarmItem) -> str:
        date = ctx.date_text(col, item)
        mark = '<img src="/images/zhiding.gif" alt="置顶">' if item.pinned else ""
        link = a(item.path, item.title, title=item.title, target="_blank")
        return f'<tr><td class="bt-title">{mark}{link}</td><td class="bt-date">{date}</td></tr>'


class GkmlSkin(DlSkin):
    """A 信息公开目录 tree; category links target the list frame."""

    name = "gkml"
    family = "gkml"
    headers = ("索引号", "名称", "文号", "成文日期", "发布日期")

    def column_path(self, col: FarmColumn) -> str:
        if col.catalog:
            return "/gkml/index.html"
        if col.parent is not None and col.parent.catalog:
            return self.category_path(col.number)
        return super().column_path(col)

    def category_path(self, number: int) -> str:
        return f"/gkml/list.jsp?catid={number}"

    def detail_path(self, col: FarmColumn, number: int, day: dt.date) -> str:
        if col.parent is not None and col.parent.catalog:
            return f"/gkml/content/{day:%Y%m}/t{day:%Y%m%d}_{number}.html"
        return super().detail_path(col, number, day)

    def page_chunks(self, col: FarmColumn, page_size: int) -> list[list[FarmItem]]:
        if col.parent is not None and col.parent.catalog:
            return [col.display_items[:page_size]]
        return super().page_chunks(col, page_size)

    def tree(self, ctx: Ctx, col: FarmColumn) -> str:
        nodes = "\n".join(f"<li>{a(c.path, c.name, target='gkmlFrame')}</li>" for c in col.children)
        return f'<ul id="tree" class="gkml-tree">\n{nodes}\n</ul>'

    def channel_body(self, ctx: Ctx, col: FarmColumn) -> str:
        if not col.catalog:
            return super().channel_body(ctx, col)
        crumbs = " &gt; ".join(breadcrumb_links(ctx, col))
        first = col.children[0].path
        return (
            f'<div class="crumb">当前位置：{crumbs}</div>\n<div class="gkml-wrap">\n'
            f'<div class="gkml-side"><h3>{escape(col.name)}</h3>\n{self.tree(ctx, col)}\n</div>\n'
            f'<div class="gkml-main"><iframe id="gkmlFrame" name="gkmlFrame" src="{first}" '
            'width="100%" height="760" frameborder="0"></iframe></div>\n</div>\n'
        )

    def _cells(self, ctx: Ctx, col: FarmColumn, item: FarmItem, n: int) -> dict[str, str]:
        written = item.date - dt.timedelta(days=3 + item.number % 5)
        return {
            "索引号": f"{ctx.site.id_code}/{item.date.year}-{item.number:05d}",
            "名称": a(item.path, item.title, title=item.title, target="_blank"),
            "标题": a(item.path, item.title, title=item.title, target="_blank"),
            "文号": f"{ctx.site.name[2:4]}发〔{item.date.year}〕{item.number % 97 + 1}号",
            "成文日期": format_date(written, ctx.site.date_format),
            "发布日期": ctx.date_text(col, item),
            "序号": str(n),
        }

    def listing(self, ctx: Ctx, col: FarmColumn, items: list[FarmItem], page_no: int) -> str:
        if col.parent is None or not col.parent.catalog:
            return super().listing(ctx, col, items, page_no)
        head = "".join(f"<th>{h}</th>" for h in self.headers)
        rows = []
        for n, item in enumerate(items, 1):
            cells = self._cells(ctx, col, item, n)
            rows.append("<tr>" + "".join(f"<td>{cells[h]}</td>" for h in self.headers) + "</tr>")
        if not items:
            text = escape(col.placeholder or "暂无信息")
            rows.append(f'<tr><td colspan="{len(self.headers)}">{text}</td></tr>')
        enc = ctx.site.encoding
        return (
            f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="{enc}">\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={enc}">\n'
            f"<title>{escape(col.name)}</title>\n</head>\n<body>\n"
            f'<table class="gkml-list" width="100%">\n<tr>{head}</tr>\n'
            + "\n".join(rows)
            + "\n</table>\n</body>\n</html>\n"
        )


class Gkml2Skin(GkmlSkin):
    """Tree nodes call loadList(id); a script builds the frame's src from the id."""

    name = "gkml2"

    def category_path(self, number: int) -> str:
        return f"/xxgk/gkml/list_{number}.html"

    def tree(self, ctx: Ctx, col: FarmColumn) -> str:
        nodes = "\n".join(
            f'<li><span class="node" onclick="loadList(\'{c.number}\')">'
            f"{escape(c.name)}</span></li>"
            for c in col.children
        )
        return (
            f'<ul id="catalogTree" class="ztree">\n{nodes}\n</ul>\n'
            '<script type="text/javascript">\n'
            "function loadList(id) {\n"
            "  document.getElementById('gkmlFrame').src = '/xxgk/gkml/list_' + id + '.html';\n"
            "}\n</script>"
        )


class Gkml3Skin(GkmlSkin):
    """Tree entries call showCatalog(id); only the frame's src shows the URL pattern."""

    name = "gkml3"
    headers = ("序号", "标题", "发布日期", "成文日期")

    def category_path(self, number: int) -> str:
        return f"/gkml/list.html?chnlid={number}&page=1"

    def tree(self, ctx: Ctx, col: FarmColumn) -> str:
        nodes = "\n".join(
            f"<dd onclick=\"showCatalog('{c.number}')\">{escape(c.name)}</dd>" for c in col.children
        )
        return (
            f'<div class="mulu"><dl>\n<dt>目录分类</dt>\n{nodes}\n</dl></div>\n'
            '<script type="text/javascript">\nfunction showCatalog(id) {\n'
            "  var f = document.getElementById('gkmlFrame');\n"
            "  f.contentWindow.location.replace(f.getAttribute('data-base') + id);\n}\n</script>"
        )


FAMILY_SKINS = (
    TrsSkin(),
    Trs7Skin(),
    HanwebSkin(),
    Hanweb6Skin(),
    GkmlSkin(),
    Gkml2Skin(),
    Gkml3Skin(),
)
