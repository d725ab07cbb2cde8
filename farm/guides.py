"""Service guides (办事指南) of the demo farm: a guide column's item pages show the eight
element categories in a table, less the ones the column's `guide_missing` leaves empty,
and link one form (表格下载) that the farm serves as a Word file, or, with the column's
`form` key, as a 404 (`form: missing`) or an HTML page at status 200 (`form: page`).
With the column's `online` key the guides also link 在线办理 to the column's online
system: a page that opens (`ok`), a login page (`login`), a 404 (`missing`), a 500
(`error`), a 系统维护中 page at 200 (`page`), or a loopback port where nothing listens
(`down`: no HTTP answer, which must come out 未监测, never a fault of the site)."""

from __future__ import annotations

import posixpath
from html import escape

from farm.layout import Ctx, error_page
from farm.model import FarmColumn, FarmItem, FarmPage

ELEMENTS = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话",
            "办理流程"]  # fmt: skip
FORM_KINDS = {"file", "missing", "page"}
ONLINE_KINDS = {"", "ok", "login", "missing", "error", "page", "down"}
ONLINE_BROKEN = {"missing", "error", "page"}  # the kinds that are a finding
DOWN_URL = "http://127.0.0.1:9/wsbs/"  # the discard port: nothing listens on loopback
# the first bytes of an old Word file (OLE compound document), then filler
DOC_BYTES = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504


def guide_spec_problem(col: FarmColumn) -> str:
    """What is wrong with a column's guide keys in farm.yaml, "" when nothing."""
    if set(col.guide_missing) - set(ELEMENTS) or col.form not in FORM_KINDS:
        return f"guide_missing names {ELEMENTS}; form is one of {FORM_KINDS}"
    if col.online not in ONLINE_KINDS:
        return f"online is one of {sorted(ONLINE_KINDS)}"
    return ""


def is_guide_column(col: FarmColumn) -> bool:
    return col.category == "办事服务类" and "指南" in col.name


def form_path(item: FarmItem) -> str:
    root, _ = posixpath.splitext(item.path)
    return f"{root}_sqb.doc"


def _values(ctx: Ctx, item: FarmItem) -> dict[str, str]:
    return {
        "事项名称": item.title,
        "设定依据": "《中华人民共和国行政许可法》及本市有关规定",
        "申请条件": "申请人为本市居民或在本市依法登记的单位",
        "办理材料": "1.申请表；2.申请人身份证明复印件；3.相关证明材料",
        "办理地点": f"{ctx.site.name}政务服务窗口（市民之家二楼）",
        "办理时间": "工作日上午8:30-12:00，下午14:30-17:30",
        "联系电话": "0719-8612345",
        "办理流程": "申请—受理—审查—决定—送达",
    }


def with_guide(
    pages: dict[str, FarmPage], html: str, ctx: Ctx, col: FarmColumn, item: FarmItem
) -> str:
    """A guide column's item page with the element table and form link above the footer
    (its form added to `pages`); any other page as it is."""
    if not is_guide_column(col):
        return html
    pages[form_path(item)] = form_page(col)
    values = _values(ctx, item)
    rows = "".join(
        f"<tr><th>{name}</th><td>{'' if name in col.guide_missing else escape(values[name])}"
        "</td></tr>\n"
        for name in ELEMENTS
    )
    form = f'<p>表格下载：<a href="{form_path(item)}">{escape(item.title)}申请表.doc</a></p>\n'
    if col.online:
        url = online_url(col)
        if col.online != "down":
            pages[url] = online_page(col)
        form += f'<p><a href="{url}" class="btn">在线办理</a></p>\n'
    block = f'<table class="guide">\n{rows}</table>\n{form}'
    return html.replace('<div class="footer">', block + '<div class="footer">', 1)


def form_page(col: FarmColumn) -> FarmPage:
    """The response of a guide's form link."""
    if col.form == "missing":
        return FarmPage(error_page(404), status=404)
    if col.form == "page":
        body = "<html><head><title>文件不存在</title></head><body>文件不存在</body></html>"
        return FarmPage(body.encode("utf-8"))
    return FarmPage(DOC_BYTES, "application/msword")


def online_url(col: FarmColumn) -> str:
    """Where a guide column's 在线办理 link points (a path on the column's host)."""
    return DOWN_URL if col.online == "down" else f"/wsbs/{col.slug}/index.html"


def online_page(col: FarmColumn) -> FarmPage:
    """The response of a guide column's online system."""
    if col.online == "missing":
        return FarmPage(error_page(404), status=404)
    if col.online == "error":
        return FarmPage(error_page(500), status=500)
    if col.online == "page":
        body = "<html><head><title>提示</title></head><body><p>系统维护中，请稍后访问</p>"
        body += "</body></html>"
        return FarmPage(body.encode("utf-8"))
    if col.online == "login":
        body = (
            "<html><head><title>江城市网上办事大厅 - 用户登录</title></head><body>"
            '<form action="/wsbs/login" method="post"><input name="user"> '
            '<input type="password" name="pwd"><button>登录</button></form></body></html>'
        )
        return FarmPage(body.encode("utf-8"))
    body = (
        "<html><head><title>江城市网上办事大厅</title></head><body><h1>网上办事大厅</h1>"
        "<p>个人办事、法人办事、部门服务，事项申报、进度查询、结果公示。</p></body></html>"
    )
    return FarmPage(body.encode("utf-8"))
