"""Reading a letter table: sent date, reply date and status per letter."""

from __future__ import annotations

import datetime as dt

from scrapy.http import HtmlResponse

from govspider.extract.letters import merge_letters, read_letters, unanswered
from govspider.items import Column, Entry

TODAY = dt.date(2026, 6, 30)
PAGE = """<html><body><table>
<tr><th>序号</th><th>信件标题</th><th>来信时间</th><th>答复时间</th><th>办理状态</th></tr>
<tr><td>1</td><td><a href="/x/1.html">关于路灯的咨询</a></td><td>2026-06-27</td>
<td></td><td>办理中</td></tr>
<tr><td>2</td><td><a href="/x/2.html">反映噪音问题</a></td><td>2026年6月10日</td>
<td>2026-06-15</td><td>已办结</td></tr>
</table><table><tr><th>标题</th><th>日期</th></tr>
<tr><td><a href="/n/1.html">一般新闻</a></td><td>2026-06-01</td></tr></table></body></html>"""


def _response() -> HtmlResponse:
    return HtmlResponse("http://127.0.0.1:9/x/", body=PAGE.encode(), encoding="utf-8")


def test_letter_rows_with_reply_and_status():
    letters = read_letters(_response(), TODAY)
    assert [(x.url, x.sent, x.reply, x.status) for x in letters] == [
        ("http://127.0.0.1:9/x/1.html", dt.date(2026, 6, 27), None, "办理中"),
        ("http://127.0.0.1:9/x/2.html", dt.date(2026, 6, 10), dt.date(2026, 6, 15), "已办结"),
    ]  # the news table names no reply: not letters


def test_merge_puts_replies_on_the_entries():
    col = Column("局长信箱", "http://127.0.0.1:9/x/")
    col.entries = [Entry("反映噪音问题", "http://127.0.0.1:9/x/2.html", dt.date(2026, 6, 10))]
    merge_letters(col, read_letters(_response(), TODAY))
    by_url = {e.url: e for e in col.entries}
    assert by_url["http://127.0.0.1:9/x/2.html"].reply_date == dt.date(2026, 6, 15)
    assert by_url["http://127.0.0.1:9/x/1.html"].date == dt.date(2026, 6, 27)
    assert unanswered("办理中", None) and not unanswered("已办结", dt.date(2026, 6, 15))
    assert unanswered("办理中", dt.date(2026, 6, 15))
