"""Checks of a crawled page's own text: serious wording errors, forbidden content, personal
data in the open, and (home page) the site marks a government site must show.

The word lists are data (govspider/data/page_checks.yaml). Every hit keeps the sentence
around it and the page URL, so an analyst can verify it; personal data is kept masked
only, never in clear.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import re
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

import yaml
from lxml import etree
from parsel import Selector

from govspider.items import PageFinding

WORDING = "wording"
FORBIDDEN = "forbidden"
ID_NUMBER = "id_number"
MOBILE = "mobile"
MARK = "mark"
DOMAIN = "domain"
CHECKED = "checked"  # one per snapshot: the home page's text was checked (facts measured)

# the site marks of 《政府网站发展指引》 looked for on the home page, in report order
MARK_NAMES = {
    "id_code": "网站标识码",
    "icp": "ICP备案编号",
    "police": "公安机关备案号",
    "party_gov": "党政机关网站标识",
}
_MARK_TEXT = {
    "id_code": re.compile(r"网站标识码\s*[:：]?\s*[0-9A-Za-z]{10}"),
    "icp": re.compile(r"[\u4e00-\u9fa5]ICP[备证]\s*\d{6,}\s*号(?:\s*-\s*\d+)?", re.I),
    "police": re.compile(r"[\u4e00-\u9fa5]公网安备\s*\d{10,}\s*号"),
}
_PARTY_GOV_HOSTS = ("conac.cn", "dzjg")  # 党政机关网站标识 links to bszs.conac.cn

# the leading lookahead lets the regex engine pass non-digits fast (a page's whole text)
_ID = re.compile(r"(?=\d)(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")
_MOBILE_HINT = re.compile(r"1[3-9]\d{9}")  # a literal start: scanned far faster than _MOBILE
# 17 digits in a row, led by a digit class: the engine scans for it in C (a leading
# lookahead or repeat defeats that scan), three times faster than _ID over a page
_ID_HINT = re.compile(r"\d\d{16}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CONTEXT_CHARS = 60  # at most this many characters either side of a hit


@dataclass(frozen=True)
class _Term:
    kind: str
    word: str
    right: str
    note: str
    exceptions: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def terms() -> tuple[_Term, ...]:
    """The wording errors and forbidden words of the data file."""
    text = resources.files("govspider").joinpath("data", "page_checks.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    out = []
    for row in data.get("wording") or []:
        if row["wrong"] == row["right"]:
            raise ValueError(f"page_checks.yaml: {row['wrong']} 的错误写法与正确写法相同")
        out.append(
            _Term(
                WORDING,
                row["wrong"],
                row["right"],
                row.get("note", ""),
                tuple(row.get("except") or ()),
            )
        )
    for row in data.get("forbidden") or []:
        out.append(
            _Term(
                FORBIDDEN,
                row["word"],
                "",
                row.get("note", "禁用内容"),
                tuple(row.get("except") or ()),
            )
        )
    return tuple(out)


# asked of lxml directly: through parsel every text node would become a Selector object
_TEXT_NODES = etree.XPath(
    "//title//text() | //body//text()[not(ancestor::script) and not(ancestor::style)]",
    smart_strings=False,
)
_LAST_TEXT: dict = {}  # the last page's text: the home page's checks and marks share it


def page_text(sel: Selector) -> str:
    """The visible text of a page: body text nodes outside scripts and styles, one a line."""
    root = sel.root
    if _LAST_TEXT.get("root") is root:
        return _LAST_TEXT["text"]
    nodes = _TEXT_NODES(root) if isinstance(root, etree._Element) else []
    text = "\n".join(s for s in (n.strip() for n in nodes) if s)
    _LAST_TEXT.update(root=root, text=text)
    return text


def id_number_valid(number: str) -> bool:
    """An 18-digit resident ID whose birth date exists and whose check digit is right."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not dt.date(1900, 1, 1) <= born <= dt.date(2100, 1, 1):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def mask(value: str) -> str:
    """138****5678 for a mobile, 420102********123X for an ID number."""
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], at most CONTEXT_CHARS either side."""
    left = max(start - CONTEXT_CHARS, 0)
    for m in _SENTENCE_END.finditer(text, left, start):
        left = m.end()
    right = min(end + CONTEXT_CHARS, len(text))
    m = _SENTENCE_END.search(text, end, right)
    right = m.end() if m else right
    return text[left:right].replace("\n", " ").strip()


def _excepted(text: str, start: int, end: int, exceptions: tuple[str, ...]) -> bool:
    for phrase in exceptions:
        pos = text.find(phrase, max(0, start - len(phrase)), end + len(phrase))
        while pos != -1 and pos <= start:
            if pos + len(phrase) >= end:
                return True
            pos = text.find(phrase, pos + 1, end + len(phrase))
    return False


def check_text(text: str, url: str) -> list[PageFinding]:
    """Wording errors, forbidden words and personal data in one page's text."""
    spans: list[tuple[int, int, _Term]] = []
    lowered = text.lower()
    for term in terms():
        needle = term.word.lower()
        pos = lowered.find(needle)
        while pos != -1:
            end = pos + len(needle)
            if not _excepted(text, pos, end, term.exceptions):
                spans.append((pos, end, term))
            pos = lowered.find(needle, end)
    # a shorter wrong form inside a longer one found at the same place is the same error
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    found: list[PageFinding] = []
    covered_to = -1
    for start, end, term in spans:
        if end <= covered_to:
            continue
        covered_to = max(covered_to, end)
        context = _sentence(text, start, end)
        found.append(PageFinding(term.kind, url, term.word, term.right, context, term.note))
    for m in _ID.finditer(text) if _ID_HINT.search(text) else ():
        if id_number_valid(m.group(1)):
            found.append(_personal(ID_NUMBER, text, m, url, "居民身份证号码"))
    if _MOBILE_HINT.search(text):
        for m in _MOBILE.finditer(text):
            found.append(_personal(MOBILE, text, m, url, "手机号码"))
    return found


def _personal(kind: str, text: str, m: re.Match, url: str, note: str) -> PageFinding:
    context = _sentence(text, m.start(1), m.end(1))
    masked = mask(m.group(1))
    context = _ID.sub(lambda x: mask(x.group(1)), context)
    context = _MOBILE.sub(lambda x: mask(x.group(1)), context)
    return PageFinding(kind, url, masked, "", context, note)


def check_page(sel: Selector, url: str) -> list[PageFinding]:
    """check_text over a page's visible text."""
    return check_text(page_text(sel), url)


def site_marks(sel: Selector, url: str) -> list[PageFinding]:
    """The marks the home page shows (one finding each, with the text seen) and its domain."""
    text = page_text(sel)
    out = [PageFinding(CHECKED, url, "首页", "", "已检查页面文字和网站标识")]
    for key, pattern in _MARK_TEXT.items():
        m = pattern.search(text)
        if m:
            out.append(PageFinding(MARK, url, key, MARK_NAMES[key], m.group(0)))
    hrefs = sel.xpath("//a/@href | //img/@src | //script/@src").getall()
    mark = next((h for h in hrefs if any(k in h.lower() for k in _PARTY_GOV_HOSTS)), None)
    if mark:
        out.append(PageFinding(MARK, url, "party_gov", MARK_NAMES["party_gov"], mark[:200]))
    domain, source = site_domain(sel, url)
    if domain:
        out.append(PageFinding(DOMAIN, url, domain, "", source))
    return out


def site_domain(sel: Selector, url: str) -> tuple[str, str]:
    """The site's domain and where it was read: the address, else (an address that is an IP
    or localhost, e.g. a mirror under test) the page's SiteDomain meta; ("", "") if neither."""
    host = (urlsplit(url).hostname or "").lower()
    if host and host != "localhost" and not _is_ip(host):
        return host, "网址"
    meta = sel.xpath("//meta[translate(@name,'sitedomain','SITEDOMAIN')='SITEDOMAIN']/@content")
    declared = (meta.get() or "").strip().lower()
    return (declared, "页面SiteDomain标记") if declared else ("", "")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
