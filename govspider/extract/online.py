"""Online service systems (在线办事系统, 网上办事大厅): the links that lead to them, and
whether what such a link answers is the system opening.

A link counts when its text says it leads to online handling (在线办理, 网上办理, 我要办理,
网上办事大厅, 政务服务网...). What it answers is judged by `online_verdict`:

- an HTTP status of 400 or more: the system does not open (the status is the evidence),
  except 401 (it asks the user to log in: it opens) and 403/429 (refused or throttled:
  often a firewall turning the monitor away, not users; 未监测, see `not_judged`);
- a page whose title, or whose whole short text, says it is an error or a placeholder
  (页面不存在, 系统维护中, 建设中, 敬请期待...): does not open (the words are the evidence);
- a page with no text, no form and no script: does not open (空白页面);
- anything else opens, a login page included: an online system's entrance usually asks
  the user to log in, and a login page shows the system is there and answering.

A request that gets no HTTP answer at all (timeout, connection refused or reset, DNS) is
no evidence about the site: it is retried once and then recorded as 未监测 with the reason
(govspider.spiders.online), never as a system that does not open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector

ONLINE_TEXT = re.compile(
    r"在线办理|网上办理|我要办理|立即办理|在线申请|网上申请|在线申报|网上申报|在线预约|"
    r"网上办事|在线办事|办事大厅|政务服务网|一网通办"
)
# words of an error or placeholder page (in its title, or as its whole short text)
ERROR_WORDS = re.compile(
    r"(?<!\d)(?:404|403|500|502|503)(?!\d)|not found|forbidden|error|"
    r"页面不存在|找不到|无法访问|无法找到|访问出错|服务器错误|系统错误|出错了|系统维护|维护中|系统升级|升级中|暂停服务|服务暂停|"
    r"建设中|正在建设|敬请期待|即将上线|暂未开通|尚未开通",
    re.I,
)
SHORT_PAGE = 200  # characters of text: a page this short that says an error word is one
MAX_LINKS = 5  # online-system links taken from one page


@dataclass
class OnlineLink:
    url: str
    text: str


def online_links(sel: Selector, url: str) -> list[OnlineLink]:
    """Links of the page whose text names online handling (at most MAX_LINKS)."""
    out: list[OnlineLink] = []
    seen: set[str] = set()
    for link in sel.xpath("//a[@href]"):
        text = " ".join(t.strip() for t in link.xpath(".//text()").getall()).strip()
        text = text or (link.attrib.get("title") or "").strip()
        if not ONLINE_TEXT.search(text):
            continue
        href = link.attrib["href"].strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        target = urljoin(url, href)
        if urlsplit(target).scheme not in ("http", "https") or target in seen:
            continue
        seen.add(target)
        out.append(OnlineLink(target, text[:100]))
        if len(out) >= MAX_LINKS:
            break
    return out


def _visible_text(sel: Selector) -> str:
    nodes = sel.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
    ).getall()
    return re.sub(r"\s+", " ", " ".join(nodes)).strip()


def not_judged(status: int) -> str:
    """Why an HTTP answer says nothing about users opening the system, "" when it does."""
    if status in (403, 429):
        return f"HTTP {status},可能是网站拒绝或限制了监测程序的访问,需人工核实"
    return ""


def online_verdict(status: int, content_type: str, body: bytes, text_sel: Selector | None) -> str:
    """ "" when the response is the system opening, else why it does not (Chinese).
    `text_sel` is the parsed page, None when the response is not a text page; a status
    `not_judged` names is not asked here."""
    if status == 401:  # the system asks for a login: it is there and answering
        return ""
    if status >= 400:
        return f"HTTP {status}"
    if text_sel is None:
        ctype = content_type.split(";")[0].strip() or "未知类型"
        return f"打开的不是网页({ctype})"
    title = re.sub(r"\s+", " ", " ".join(text_sel.xpath("//title//text()").getall())).strip()
    text = _visible_text(text_sel)
    if ERROR_WORDS.search(title):
        return f"打开的是错误或占位页面(标题“{title[:40]}”)"
    if len(text) <= SHORT_PAGE and ERROR_WORDS.search(text):
        return f"打开的是错误或占位页面(“{text[:40]}”)"
    if not text and not text_sel.xpath("//form|//input|//script|//iframe"):
        return "打开的是空白页面"
    return ""


def opened_as(text_sel: Selector | None) -> str:
    """How an opened system's page reads, for the evidence: its title, or 登录页."""
    if text_sel is None:
        return ""
    title = " ".join(text_sel.xpath("//title//text()").getall()).strip()[:40]
    login = bool(text_sel.xpath("//input[@type='password']"))
    return "登录页" + (f"“{title}”" if title else "") if login else (f"“{title}”" if title else "")
