"""Letter lists of 政务咨询 columns (领导信箱, 咨询, 留言): a table whose header names the
reply, read row by row into (letter URL, title, sent date, reply date, status)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from scrapy.http import TextResponse

from govspider.dates import find_date
from govspider.items import Column, Entry

_REPLY = re.compile(r"回复|答复|办结|处理时间")
_SENT = re.compile(r"来信|提交|留言时间|写信|咨询时间|发布时间|日期")
_STATUS = re.compile(r"状态|进度")
_NO_REPLY_STATUS = re.compile(r"未回复|未办结|办理中|处理中|待回复|待处理|已受理")


@dataclass
class Letter:
    url: str
    title: str
    sent: dt.date | None
    reply: dt.date | None
    status: str


def _header_index(cells: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, text in enumerate(cells):
        if "reply" not in out and _REPLY.search(text) and not _STATUS.search(text):
            out["reply"] = i
        elif "status" not in out and _STATUS.search(text):
            out["status"] = i
        elif "sent" not in out and _SENT.search(text):
            out["sent"] = i
    return out


def read_letters(response: TextResponse, today: dt.date) -> list[Letter]:
    """Letters of every table on the page whose header names a reply date or status."""
    letters: list[Letter] = []
    for table in response.xpath("//table"):
        # the header asked of lxml directly (most tables are layout, not letters): the
        # table's first tr, its th/td children, each one's text nodes joined
        first = next(table.root.iter("tr"), None)
        if first is None:
            continue
        header = [" ".join(c.itertext()).strip() for c in first if c.tag in ("th", "td")]
        index = _header_index(header)
        if "reply" not in index and "status" not in index:
            continue
        rows = table.xpath(".//tr")
        for row in rows[1:]:
            cells = row.xpath("./td")
            link = row.xpath(".//a[@href]")
            if not cells or not link:
                continue
            texts = [" ".join(c.xpath(".//text()").getall()).strip() for c in cells]

            def cell(key: str, texts: list[str] = texts, index: dict = index) -> str:
                i = index.get(key)
                return texts[i] if i is not None and i < len(texts) else ""

            sent, reply = _date(cell("sent"), today), _date(cell("reply"), today)
            letters.append(
                Letter(
                    response.urljoin(link[0].attrib["href"]),
                    " ".join(link[0].xpath(".//text()").getall()).strip(),
                    sent,
                    reply,
                    cell("status")[:32],
                )
            )
    return letters


def _date(text: str, today: dt.date) -> dt.date | None:
    found = find_date(text, today) if text else None
    return found[0] if found else None


def merge_letters(column: Column, letters: list[Letter]) -> None:
    """Put the letters' reply dates and status on the column's entries (adding letters
    the list reader did not take as items)."""
    by_url = {e.url: e for e in column.entries}
    for letter in letters:
        entry = by_url.get(letter.url)
        if entry is None:
            entry = Entry(letter.title, letter.url, letter.sent, date_source="list")
            column.entries.append(entry)
            by_url[letter.url] = entry
        entry.date = entry.date or letter.sent
        entry.reply_date = letter.reply
        entry.status = letter.status or ("已回复" if letter.reply else "")


def unanswered(status: str, reply: dt.date | None) -> bool:
    """A letter with no reply date, or whose status says it is not answered."""
    return reply is None or bool(_NO_REPLY_STATUS.search(status or ""))
