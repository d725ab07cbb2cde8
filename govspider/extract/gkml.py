"""政府信息公开目录 (gkml): a catalogue tree whose category lists load into an iframe.

The catalogue page shows a tree of categories (机构信息, 政策文件, 人事信息, …) and an
iframe; clicking a category loads its list into the frame, either by a link targeting
the frame or by a script (``loadList('1021')`` setting the frame's ``src``). Each
category is a column of its own; its URL is the list the frame would load.

Category lists are tables with a header row (索引号, 名称, 文号, 成文日期, 发布日期): the
publication date is the 发布日期 column, never the 成文日期 (date written) beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from scrapy.http import TextResponse

from govspider.dates import parse_date
from govspider.extract.base import ColumnLink, ColumnPage, absolute, clean_text
from govspider.extract.generic import GenericExtractor, _Candidate

TREE_RE = re.compile(r"tree|catalog|gkml|mulu|\bml\b|fenlei", re.I)
ONCLICK_ID_RE = re.compile(r"\w+\(\s*['\"]?([\w-]+)['\"]?")
# '/gkml/list.jsp?catid=' + id + '&page=1'  (a frame's src built in a script)
SRC_TEMPLATE_RE = re.compile(
    r"""(?:\.src\s*=|attr\(\s*['"]src['"]\s*,)\s*['"]([^'"]*)['"]\s*\+\s*\w+"""
    r"""(?:\s*\+\s*['"]([^'"]*)['"])?"""
)
# header cells, best first: the publication date beats any other date column
DATE_HEADERS = ("发布日期", "发布时间", "公开日期", "公开时间", "生成日期", "日期", "时间")
WRITTEN_HEADERS = ("成文日期", "成文时间", "发文日期", "印发日期")


def _text(el: etree._Element) -> str:
    return clean_text("".join(el.itertext()))


class GkmlExtractor(GenericExtractor):
    """The catalogue tree as sub-columns; category tables read by their header."""

    family = "gkml"

    @classmethod
    def detect(cls, response: TextResponse) -> bool:
        root = response.selector.root
        if _tree(root) is not None and root.find(".//iframe") is not None:
            return True
        return _date_column(root) is not None

    def column_page(
        self, response: TextResponse, today: dt.date, column_name: str = ""
    ) -> ColumnPage:
        root = response.selector.root
        tree = _tree(root)
        if tree is not None and root.find(".//iframe") is not None:
            page = ColumnPage(breadcrumb=self._breadcrumb(response))
            page.sub_columns = self._categories(response, tree)
            return page
        header = _date_column(root)
        if header is None:
            return super().column_page(response, today, column_name)
        table, date_idx = header
        page = super().column_page(response, today, column_name)
        page.entries = self._entries(self._table_rows(response, table, date_idx, today))
        if page.entries:
            page.placeholder, page.follow, page.empty_container = "", [], False
        return page

    def _categories(self, response: TextResponse, tree: etree._Element) -> list[ColumnLink]:
        scripts = "\n".join(response.xpath("//script[not(@src)]/text()").getall())
        template = SRC_TEMPLATE_RE.search(scripts)
        frame_src = next((f.get("src") for f in response.selector.root.iter("iframe")), "")
        out: dict[str, ColumnLink] = {}
        for el in tree.iter():
            if not isinstance(el.tag, str) or el.find(".//ul") is not None:
                continue  # a branch holding sub-trees, not a category
            url = None
            href = el.get("href") or ""
            if el.tag == "a" and href and not href.startswith(("javascript", "#")):
                url = absolute(response, href)
            elif el.get("onclick") and (m := ONCLICK_ID_RE.search(el.get("onclick"))):
                url = _category_url(response.url, m.group(1), template, frame_src)
            name = _text(el)
            if name and url and url not in out:
                out[url] = ColumnLink(name, url, [name], source="submenu", relation="child")
        return list(out.values())

    def _table_rows(
        self, response: TextResponse, table: etree._Element, date_idx: int, today: dt.date
    ) -> list[_Candidate]:
        rows = []
        for tr in table.iter("tr"):
            cells = [c for c in tr if c.tag in ("td", "th")]
            if len(cells) <= date_idx or tr.find(".//a[@href]") is None:
                continue
            found = self._candidate(response, tr, today)
            if not found:
                continue
            cell = _text(cells[date_idx])
            found.date = parse_date(cell, today)
            found.date_text = cell if found.date else ""
            rows.append(found)
        return rows


def _tree(root: etree._Element) -> etree._Element | None:
    """The catalogue tree: a list or block marked tree/catalog/gkml holding category links."""
    for el in root.iter("ul", "div", "dl"):
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        if (
            TREE_RE.search(attrs)
            and el.find(".//iframe") is None
            and len(el.xpath(".//a | .//*[@onclick]")) >= 2
        ):
            return el
    return None


def _date_column(root: etree._Element) -> tuple[etree._Element, int] | None:
    """The table whose header names a publication-date column, and that column's index."""
    for table in root.iter("table"):
        first = next(table.iter("tr"), None)
        if first is None:
            continue
        heads = [_text(c) for c in first if c.tag in ("td", "th")]
        if not any(h in ("索引号", "名称", "标题", "文件名称") for h in heads):
            continue
        for wanted in DATE_HEADERS:
            for i, head in enumerate(heads):
                if wanted in head and not any(w in head for w in WRITTEN_HEADERS):
                    return table, i
    return None


def _category_url(page_url: str, cat_id: str, template, frame_src: str) -> str | None:
    """Where a category's list lives: the script's src template, else the frame's src."""
    if template:
        return urljoin(page_url, f"{template.group(1)}{cat_id}{template.group(2) or ''}")
    if not frame_src:
        return None
    parts = urlsplit(urljoin(page_url, frame_src))
    query = parse_qsl(parts.query)
    if not query:
        return None
    # the frame shows one category: its id is the query's id-like parameter
    idx = next((i for i, (k, _v) in enumerate(query) if re.search(r"id$", k, re.I)), 0)
    query[idx] = (query[idx][0], cat_id)
    return urlunsplit(parts._replace(query=urlencode(query)))
