"""A menu that no class or id names (a table row of cells, 鄂尔多斯恩格贝's table#memu) is read.

Only when the page has no marked menu at all; a row of dated news is never a menu.
"""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request

from govspider.extract.generic import GenericExtractor

URL = "http://egb.example.gov.cn/xxgk/"
SEP = '<td><img src="line.jpg"></td>'


def _names(body: str) -> list[str]:
    html = f"<html><body>{body}</body></html>"
    response = HtmlResponse(URL, body=html.encode(), encoding="utf-8", request=Request(URL))
    return [link.name for link in GenericExtractor().navigation(response)]


def _row(names: list[str], extra: str = "") -> str:
    cells = SEP.join(
        f'<td class="td3"><a href="../{i}/">{n}</a>{extra}</td>' for i, n in enumerate(names)
    )
    home = '<td class="td1"><a href="../../">首页</a></td>'
    return f'<table id="memu"><tr>{home}{SEP}{cells}</tr></table>'


def test_a_table_row_of_short_links_is_the_menu():
    names = ["信息公开", "走进恩格贝", "投资恩格贝", "旅游恩格贝"]
    assert _names(_row(names)) == names


def test_a_marked_menu_wins_over_an_unmarked_row():
    marked = '<div class="nav"><ul><li><a href="/a/">政务公开</a></li></ul></div>'
    assert _names(marked + _row(["甲栏目", "乙栏目", "丙栏目", "丁栏目"])) == ["政务公开"]


def test_a_row_of_dated_items_is_not_a_menu():
    assert (
        _names(_row(["通知一", "通知二", "通知三", "通知四"], extra="<span>2020-05-06</span>"))
        == []
    )
