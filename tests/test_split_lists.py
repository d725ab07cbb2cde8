"""A list printed in parts (five items per <ul>, each in its own wrapper) is one list.

Real case: 平潭 工作进展情况 (tests/fixtures/real_lists/pingtan_gzjzqk_list) prints 75 items
in 15 wrapped parts; only the first part was read. Blocks that carry their own heading
stay apart, and so do parts with text between them.
"""

from __future__ import annotations

import datetime as dt

from scrapy.http import HtmlResponse, Request

from govspider.extract.generic import GenericExtractor

TODAY = dt.date(2024, 6, 1)
URL = "http://www.example.gov.cn/zwgk/tzgg/"


def _items(start: int, count: int) -> str:
    return "".join(
        f'<li><a href="./2024{m:02d}/t2024{m:02d}01_{m}.html">关于第{m}项工作的通知公告</a>'
        f"<span>2024-{m:02d}-01</span></li>"
        for m in range(start, start + count)
    )


def _read(body: str) -> list:
    html = f"<html><body><div class='main'>{body}</div></body></html>"
    response = HtmlResponse(URL, body=html.encode(), encoding="utf-8", request=Request(URL))
    return GenericExtractor().column_page(response, TODAY).entries


def test_wrapped_parts_of_one_list_are_read_together():
    parts = "".join(
        f'<div class="part"><ul>{_items(1 + 2 * k, 2)}</ul><div class="line"></div></div>'
        for k in range(3)
    )
    entries = _read(f"<div class='list'>{parts}</div>")
    assert [e.date.month for e in entries] == [1, 2, 3, 4, 5, 6]


def test_sibling_lists_split_by_empty_rules_are_one_list():
    entries = _read(f"<ul>{_items(1, 3)}</ul><hr/><ul>{_items(4, 3)}</ul>")
    assert len(entries) == 6


def test_blocks_with_their_own_heading_stay_apart():
    blocks = (
        f'<div class="box"><h3>通知公告</h3><ul>{_items(1, 3)}</ul></div>'
        f'<div class="box"><h3>工作动态</h3><ul>{_items(4, 2)}</ul></div>'
    )
    entries = _read(blocks)
    assert [e.date.month for e in entries] == [1, 2, 3]


def test_text_between_parts_keeps_them_apart():
    entries = _read(f"<ul>{_items(1, 3)}</ul><p>以下为往期</p><ul>{_items(4, 2)}</ul>")
    assert len(entries) == 3
