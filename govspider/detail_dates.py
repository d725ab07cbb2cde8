"""Publication date of an article (detail) page.

Evidence is tried from the most to the least reliable: `<meta>` tags (and JSON-LD),
a labelled date in the text (发布时间：2024-05-20, the one nearest the headline), a
timestamp next to the headline, and finally a date in the URL (TRS ./202405/t20240520_123.html).
Footers, sidebars and related-article lists are not read: their dates are other pages'.
A timestamp with a time zone is read in Beijing time, and no date after the crawl date
(`today`) is ever a publication date.

Longer than 300 lines: every evidence rule of an article page's date, in order of
trust, so their precedence is read in one place.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree

from govspider.clock import in_china
from govspider.dates import DateMatch, find_dates, parse_date
from govspider.tree import pin

__all__ = ["DetailDate", "decode_html", "extract_detail_date", "response_date"]


@dataclass
class DetailDate:
    """A detail page's date, where it came from and the text it was read from."""

    date: dt.date | None
    source: str  # "meta" | "label" | "text" | "htmldate" | "url" | ""
    raw: str
    # the best candidate of another kind, so a disputed date can be explained
    runner_up: DetailDate | None = None
    # the visible date and the page's metadata differ by more than a day: which one is
    # right cannot be told from the page, so an analyst must see both (日期存疑)
    doubtful: bool = False

    def evidence(self) -> str:
        """The date's text for the evidence; 日期存疑 names both dates when they differ."""
        if not self.doubtful or self.runner_up is None:
            return self.raw
        other = self.runner_up
        return f"日期存疑:页面{self.date} meta{other.date}"


# ---------------------------------------------------------------- decoding

_CHARSET_RE = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# GB2312/GBK pages routinely use characters outside their declared set; GB18030 is a
# superset of both and decodes them all.
_GB_FAMILY = {"gb2312", "gbk", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312"}
# Declarations that Chinese sites use wrongly often enough not to be trusted.
_UNTRUSTED = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(data: bytes) -> str:
    """Bytes of a page -> text: BOM, declared charset, UTF-8, then GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    m = _CHARSET_RE.search(data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else ""
    if declared in _GB_FAMILY:
        # A page that is valid UTF-8 yet says gb2312 was re-encoded without fixing its
        # <meta>; GBK text with Chinese in it is almost never valid UTF-8.
        if not data.isascii() and _is_utf8(data):
            return data.decode("utf-8")
        return data.decode("gb18030", errors="replace")
    if declared and declared not in _UNTRUSTED:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    if _is_utf8(data):
        return data.decode("utf-8")
    return data.decode("gb18030", errors="replace")


# ---------------------------------------------------------------- meta

# Lower-cased meta name/property/itemprop -> rank (lower is better).
_META_KEYS = {
    "pubdate": 0,
    "publishdate": 0,
    "publish_date": 0,
    "publishtime": 0,
    "publish-date": 0,
    "article:published_time": 0,
    "datepublished": 0,
    "og:release_date": 1,
    "firstpublishedtime": 1,
    "dc.date.issued": 1,
    "dcterms.issued": 1,
    "dc.date": 2,
    "dcterms.created": 2,
    "date": 3,
    "releasedate": 1,
    "release_date": 1,
    "created": 3,
    # the other keys sites use (htmldate reads the same family)
    "firstpublishtime": 1,
    "og:published_time": 0,
    "og:article:published_time": 0,
    "article.published": 1,
    "published": 1,
    "published_time": 1,
    "pubtime": 1,
    "apub:time": 1,
    "weibo: article:create_at": 1,
    "sailthru.date": 2,
    "parsely-pub-date": 1,
    "dc.date.created": 2,
    "citation_publication_date": 2,
    "citation_date": 2,
    "prism.publicationdate": 2,
    "og:time": 2,
    "datecreated": 3,
}
# JSON-LD and the page's script data: datePublished, pubDate, publishDate, pubtime...
_JSONLD_RE = re.compile(
    r'["\']?(?:datePublished|pubDate|publishDate|publish_?[Tt]ime|pubtime|firstPublishTime)["\']?'
    r'\s*[:=]\s*["\']([^"\']{8,40})["\']'
)
# 2024-05-19T16:30:00Z, 2024-05-19 16:30:00+00:00: a moment in a stated time zone
_ZONED_RE = re.compile(
    r"\s*((?:19|20)\d{2}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))"
)


def _meta_date(content: str, today: dt.date) -> dt.date | None:
    """A meta value's date: a zoned timestamp on Beijing's calendar, never after today."""
    zoned = _ZONED_RE.match(content)
    date = None
    if zoned:
        try:
            date = in_china(dt.datetime.fromisoformat(zoned.group(1))).date()
        except ValueError:
            date = None
    if date is None:
        date = parse_date(content[:40], today)
    return date if date is not None and date <= today else None


def _from_meta(doc: etree._Element, html: str, today: dt.date) -> DetailDate | None:
    best: tuple[int, dt.date, str] | None = None
    for el in doc.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").lower()
        rank = _META_KEYS.get(key.strip())
        content = el.get("content") or ""
        if rank is None or not content:
            continue
        date = _meta_date(content, today)
        if date is not None and (best is None or rank < best[0]):
            best = (rank, date, content)
    if best is not None:
        return DetailDate(best[1], "meta", best[2])
    for m in _JSONLD_RE.finditer(html):
        if (date := _meta_date(m.group(1), today)) is not None:
            return DetailDate(date, "meta", m.group(1))
    return None


# ---------------------------------------------------------------- text and labels

_STRONG_LABELS = (
    "发布时间|发布日期|发表时间|发表日期|发表于|发稿时间|发布于|上线时间|刊发时间|publish(?:ed)?"
)
# 发布 alone is a label only as a word of its own (not "…10 Plus发布 2019-09-05", the
# tail of a sidebar headline) or with a colon after it
_WEAK_LABELS = (
    "发文日期|成文日期|印发日期|更新时间|更新日期|录入时间|添加时间|创建时间"
    r"|(?<![A-Za-z0-9\u4e00-\u9fff])发布|发布(?=\s*[:：])"
)
# Bare 时间/日期 only when not the tail of a longer word (报名日期, 截止时间, 出生日期).
# the lookahead names every label's first character: the engine skips other positions fast
_LABEL_RE = re.compile(
    r"(?=[发上刊成印更录添创时日p])"
    rf"(?:(?P<strong>{_STRONG_LABELS})|(?P<weak>{_WEAK_LABELS})|(?<![\u4e00-\u9fff])(?P<bare>时间|日期))",
    re.I,
)
_AFTER_LABEL = re.compile(r"\s*[:：]?\s*")
# Month/day/year as ASP pages print it ("9/17/2004 5:54:13 AM"); only read after a label.
_US_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?!\d)")
# Header clocks ("今天是2024年5月20日 星期一") show the visit date, not the article's.
_CLOCK_BEFORE = re.compile(r"(?:今天是|今日|今天|现在是|当前时间)\s*[:：]?\s*$")
_CLOCK_AFTER = re.compile(r"^\s*(?:星期|周[一二三四五六日天]|礼拜)")
_SKIP_TAGS = {"script", "style", "noscript", "textarea", "select", "option", "title"}
# Blocks that carry other pages' dates (footers, sidebars, related-article lists), by
# tag or by a class/id word that starts so: footer, copyright, xgwz (相关文章), sidebar...
_OTHER_PAGES_TAGS = {"footer", "aside"}
_OTHER_PAGES_WORDS = re.compile(
    r"(?:^|[^a-z0-9])(?:foot|copyright|relat|xgwz|xgxx|xglj|xgyd|recommend|tuijian|sidebar"
    r"|aside|side(?:[^a-z]|$)|hot(?:news|list|[^a-z]|$))"
)


def _other_pages(node: etree._Element, tag: str) -> bool:
    if tag in _OTHER_PAGES_TAGS:
        return True
    cls, ident = node.get("class"), node.get("id")
    if not cls and not ident:
        return False
    names = f"{cls or ''} {ident or ''}"
    known = _OTHER_PAGES_NAMES.get(names)
    if known is None:
        low = names.lower()
        known = bool(low.strip()) and bool(_OTHER_PAGES_WORDS.search(low))
        if len(_OTHER_PAGES_NAMES) >= _NAMES_CACHE:
            _OTHER_PAGES_NAMES.clear()
        _OTHER_PAGES_NAMES[names] = known
    return known


# class/id words repeat on every page of a template: each is searched once
_OTHER_PAGES_NAMES: dict[str, bool] = {}
_NAMES_CACHE = 8192


_WALK_EVENTS = ("start", "end", "comment", "pi")


def _page_text(doc: etree._Element) -> str:
    """Visible text, one space between nodes, without scripts, styles, footers, sidebars
    and related-article lists."""
    parts: list[str] = []
    # lxml's own walk (iterative, so a hostile page nested thousands deep is read too):
    # a skipped element's text and subtree are left out, its tail (the parent's) is kept
    walk = etree.iterwalk(doc, events=_WALK_EVENTS)
    for event, node in walk:
        if event == "start":
            tag = node.tag.lower() if isinstance(node.tag, str) else ""
            if not tag or tag in _SKIP_TAGS or _other_pages(node, tag):
                walk.skip_subtree()
            elif node.text:
                parts.append(node.text)
        elif node.tail:  # "end", or a comment or processing instruction: no text of its own
            parts.append(node.tail)
    return _collapse(" ".join(parts))


def _collapse(text: str) -> str:
    r"""re.sub(r"\s+", " ", text) by str.split (the same whitespace, several times faster)."""
    words = text.split()
    if not words:
        return " " if text else ""
    lead = " " if text[0].isspace() else ""
    return lead + " ".join(words) + (" " if text[-1].isspace() else "")


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# 10-08, 09月07日, 18-03-08 after a label; the day may run into a clock time (10-0812:00)
_YEARLESS_RE = re.compile(
    r"(?:(?P<yy>\d{2})-)?(?P<m>\d{1,2})\s*(?:-|月)\s*(?P<d>\d{2}|\d(?!\d))日?(?=\d{1,2}:\d{2}|\D|$)"
)


def _date_at(
    text: str, pos: int, today: dt.date, anchor: dt.date | None = None
) -> tuple[dt.date, str] | None:
    """A date starting right at `pos` (after a label). A date printed without its year
    (or with two digits of it) is read only with `anchor`, a full date the page or the
    list that linked it gives (metadata, URL): the year is never today's."""
    head = text[pos : pos + 40]
    us = _US_DATE_RE.match(head)
    if us:
        month, day, year = (int(g) for g in us.groups())
        if month > 12:  # 17/9/2004 is day-first
            month, day = day, month
        elif day <= 12 and anchor is not None and anchor == _make(year, day, month):
            month, day = day, month  # 06/02/2022 read day-first as the metadata says
        try:
            return dt.date(year, month, day), us.group(0)
        except ValueError:
            return None
    for c in find_dates(head, today):
        if c.start == 0 and c.has_year:
            return c.date, head[c.start : c.end]
        break
    m = _YEARLESS_RE.match(head)
    if m is None or anchor is None:
        return None
    return _with_year(int(m["m"]), int(m["d"]), m["yy"], anchor, m.group(0))


def _with_year(
    month: int, day: int, yy: str | None, anchor: dt.date, raw: str
) -> tuple[dt.date, str] | None:
    """month/day on the anchor's calendar: its year, or the year before when the day
    would fall after the anchor (a page is published before it is updated)."""
    years = [2000 + int(yy)] if yy is not None else [anchor.year, anchor.year - 1]
    for year in years:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if yy is not None or date <= anchor:
            return date, raw
    return None


# any metadata that carries a full date, including update times: only a year is taken
_ANCHOR_KEYS = re.compile(r"date|time|pub|publish|creat|modif|updat|release", re.I)
_URL_MONTH_RE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])/")


def year_anchor(doc: etree._Element, html: str, url: str, today: dt.date) -> dt.date | None:
    """A full date to read a yearless printed date by: the page's metadata or script
    data (dateUpdate too), else its URL (t20190907_, /2019/09/)."""
    for el in doc.iter("meta"):
        key = el.get("name") or el.get("property") or el.get("itemprop") or ""
        content = el.get("content") or ""
        if content and _ANCHOR_KEYS.search(key) and (d := _meta_date(content, today)):
            return d
    for m in _JSONLD_RE.finditer(html):
        if (d := _meta_date(m.group(1), today)) is not None:
            return d
    found = _from_url(url, today)
    if found is not None:
        return found.date
    m = _URL_MONTH_RE.search(url.split("?", 1)[0])
    if m:
        # the month's last day: a yearless day in that month is not after it
        first_next = dt.date(int(m[1]) + int(m[2]) // 12, int(m[2]) % 12 + 1, 1)
        return first_next - dt.timedelta(days=1)
    return None


_TIERS = ("strong", "weak", "bare")


def _from_labels(
    text: str, today: dt.date, head: tuple[int, int] | None, anchor: dt.date | None = None
) -> DetailDate | None:
    """The best labelled date: 发布时间 over 更新时间 over a bare 时间; within a tier the
    one nearest the headline (a sidebar's 发布时间 is another page's), else the first."""
    best: tuple[tuple[int, int], DetailDate] | None = None
    for m in _LABEL_RE.finditer(text):
        tier = _TIERS.index(m.lastgroup or "bare")
        if best is not None and best[0][0] < tier:
            continue
        gap = _AFTER_LABEL.match(text, m.end())
        hit = _date_at(text, gap.end() if gap else m.end(), today, anchor)
        if hit is None or hit[0] > today:
            continue
        if head is None:
            distance = m.start()
        elif m.start() >= head[1]:
            distance = m.start() - head[1]
        else:  # above the headline: a date line there is rarer than under it
            distance = 2 * (head[0] - m.start())
        key = (tier, distance)
        if best is None or key < best[0]:
            best = (key, DetailDate(hit[0], "label", text[m.start() : m.end()] + " " + hit[1]))
    return best[1] if best else None


def _headline(doc: etree._Element) -> list[str]:
    """Candidate headline strings: h1/h2 texts, then pieces of <title>."""
    heads: list[str] = []
    for el in doc.iter("h1", "h2"):
        t = " ".join(el.text_content().split())
        if len(t) >= 4:
            heads.append(t)
    title = doc.find(".//title")
    if title is not None:
        t = " ".join(title.text_content().split())
        pieces = sorted(re.split(r"\s*(?:[-_|–—»]|&raquo;|--)\s*", t), key=len, reverse=True)
        heads += [t] + [p for p in pieces if len(p) >= 4]
    return heads


def _plausible(text: str, c: DateMatch) -> bool:
    """A timestamp printed on its own, not a date inside a sentence."""
    if not c.has_year:
        return False
    before = text[max(0, c.start - 12) : c.start]
    after = text[c.end : c.end + 8]
    if _CLOCK_BEFORE.search(before) or _CLOCK_AFTER.match(after):
        return False
    if c.standalone or c.bracketed:
        return True
    # "2005-04-05 06:40更新", "于2005年8月12日16:12:21在": prose does not write clock
    # times with a colon, so such a token is a timestamp whatever surrounds it.
    return ":" in text[c.start : c.end]


_WINDOW_AFTER = 600
_WINDOW_BEFORE = 300


_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_DATE_RE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?"
    r"\s+((?:19|20)\d{2})\b",
    re.I,
)


def _english_date(window: str) -> tuple[dt.date, str] | None:
    """'September 10th, 2005' in a blog header: the first valid one in `window`."""
    for m in _EN_DATE_RE.finditer(window):
        month = _EN_MONTHS.index(m.group(1).lower()) + 1
        try:
            return dt.date(int(m.group(3)), month, int(m.group(2))), m.group(0)
        except ValueError:
            continue
    return None


def _headline_span(doc: etree._Element, text: str) -> tuple[int, int] | None:
    """Where the headline sits in the page text: the best headline that appears in it.

    Only that one: falling back to weaker pieces of <title> (the site name) lands on
    sidebars and comment lists."""
    for head in _headline(doc):
        pos = text.find(head)
        if pos >= 0:
            return pos, pos + len(head)
    return None


def _from_text(
    text: str, today: dt.date, head: tuple[int, int] | None, far: bool = True
) -> DetailDate | None:
    """A timestamp next to the headline; with `far`, else the page's first clock-time
    timestamp (a forum post's sign-off), which ranks below the metadata."""
    limit = today
    cands = [c for c in find_dates(text, today) if c.date <= limit and _plausible(text, c)]
    if head is not None:
        pos, end = head
        after = [c for c in cands if end <= c.start <= end + _WINDOW_AFTER]
        before = [c for c in cands if pos - _WINDOW_BEFORE <= c.start < pos]
        if after or before:
            c = after[0] if after else before[-1]
            return DetailDate(c.date, "text", text[c.start : c.end].strip())
        english = _english_date(text[max(0, pos - _WINDOW_BEFORE) : end + _WINDOW_AFTER])
        if english is not None and english[0] <= limit:
            return DetailDate(english[0], "text", english[1])
    if not far:
        return None
    # Forum posts sign off at the bottom ("本贴由 X 于2005年8月12日16:12:21在...发表"):
    # the first timestamp with a clock time; comments and replies come after it.
    for c in cands:
        if ":" in text[c.start : c.end]:
            return DetailDate(c.date, "text", text[c.start : c.end].strip())
    return None


# ---------------------------------------------------------------- URL

_URL_RES = (
    # TRS: ./202405/t20240520_123.html ; also /20240520/ and /2024-05-20/
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)"),
    # /2024/05/20/ and /2024-05/20/
    re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/"),
)


def _from_url(url: str, today: dt.date) -> DetailDate | None:
    path = url.split("?", 1)[0]
    limit = today
    for rx in _URL_RES:
        # The last match is the most specific (t20240520 after /202405/).
        for m in reversed(list(rx.finditer(path))):
            try:
                date = dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                continue
            if date <= limit:
                return DetailDate(date, "url", m.group(0))
    return None


# ---------------------------------------------------------------- entry point


def extract_detail_date(
    html: str | bytes,
    today: dt.date,
    url: str = "",
    doc: etree._Element | None = None,
    anchor: dt.date | None = None,
    with_htmldate: bool = True,
) -> DetailDate:
    """Publication date of an article page, by stated rules:

    1. a visible labelled date (发布时间：…) nearest the headline, else a timestamp next
       to the headline (never one in a related-articles box, a sidebar or a footer);
    2. else the page's metadata (<meta> keys, JSON-LD, script data);
    3. else the URL (a hint only: callers do not count it as visible).

    The runner-up (the best candidate of another kind: the metadata, else htmldate's
    reading of the page with ``with_htmldate``) is kept; when the visible date and
    the metadata differ by more than a day the result is `doubtful` (日期存疑).
    ``doc``: the page's tree, already parsed from this very text (saves a second parse).
    ``anchor``: a full date from the list page that linked this one, for a yearless date."""
    text_html = decode_html(html) if isinstance(html, bytes) else html
    if doc is None and text_html.strip():
        try:
            doc = lxml.html.document_fromstring(text_html)
        except (etree.ParserError, ValueError):
            doc = None
    if doc is None:
        return _from_url(url, today) or DetailDate(None, "", "")
    meta = _from_meta(doc, text_html, today)
    text = _page_text(doc)
    head = _headline_span(doc, text)
    page_anchor = year_anchor(doc, text_html, url, today) or anchor
    visible = _from_labels(text, today, head, page_anchor) or _from_text(
        text, today, head, far=meta is None
    )
    if visible is not None:
        if meta is not None and meta.date is not None and visible.date is not None:
            visible.runner_up = meta
            visible.doubtful = abs((visible.date - meta.date).days) > 1
        elif with_htmldate:
            visible.runner_up = _from_htmldate(text_html, url, today)
        return visible
    if meta is not None:
        return meta
    return _from_url(url, today) or DetailDate(None, "", "")


def _from_htmldate(html: str, url: str, today: dt.date) -> DetailDate | None:
    """htmldate's reading (time elements, itemprops, date classes; fast mode, original
    date), the runner-up of a visible date on a page without metadata. Never the chosen
    date: on pages with no visible date it reads modified times and related-article
    boxes (tests/test_detail_dates.py), which the rules above exclude."""
    import logging

    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        found = find_date(
            html, url=url or None, extensive_search=False, original_date=True,
            outputformat="%Y-%m-%d", max_date=today.isoformat(),
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - a library's failure on a page is no date
        return None
    if not found:
        return None
    date = dt.date.fromisoformat(found)
    return DetailDate(date, "htmldate", found) if date <= today else None


def response_date(response: Any, today: dt.date) -> DetailDate:
    """extract_detail_date of a Scrapy text response, reading the tree the response has
    already parsed when it was parsed from the same text (the same decoding, no NUL byte,
    no XML declaration, which lxml would refuse in a string): one parse per page."""
    text_html = decode_html(response.body)
    shared = (
        text_html.strip()
        and "\x00" not in text_html
        and not text_html.lstrip().startswith("<?xml")
        and text_html == response.text
    )
    doc = response.selector.root if shared else None
    if not isinstance(doc, etree._Element):
        doc = None
    else:
        pin(doc)  # the page's text checks walk the same tree next
    return extract_detail_date(text_html, today, response.url, doc=doc)
