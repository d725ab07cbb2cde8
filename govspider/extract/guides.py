"""Service guides (办事指南): which of the eight element categories a guide page shows, and
the forms (表格下载) it links to.

An element counts when its label (or a usual synonym) stands in the page's text with
something after it before the next label; a label followed by nothing, 暂无 or 待补充 is
missing. The label lists are here, in one table, so they can be extended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

# category -> labels that name it (longest first is not needed: any match counts)
ELEMENTS: dict[str, tuple[str, ...]] = {
    "事项名称": ("事项名称", "项目名称", "服务事项", "事项名"),
    "设定依据": ("设定依据", "法律依据", "办理依据", "政策依据", "实施依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件", "申办条件"),
    "办理材料": ("办理材料", "申请材料", "申报材料", "所需材料", "提交材料", "材料目录"),
    "办理地点": ("办理地点", "受理地点", "办公地点", "办理地址", "窗口地址"),
    "办理时间": ("办理时间", "受理时间", "办公时间", "工作时间"),
    "联系电话": ("联系电话", "咨询电话", "联系方式", "咨询方式"),
    "办理流程": ("办理流程", "办事流程", "办理程序", "流程图", "受理流程"),
}
GUIDE_COLUMN = re.compile(r"办事指南|服务指南|办事事项|事项指南")
_FORM_EXT = re.compile(r"\.(?:docx?|xlsx?|pdf|wps|et|zip|rar|7z)$", re.I)
_FORM_TEXT = re.compile(r"表格|表单|下载|附件|样表|申请表|登记表")
_EMPTY = re.compile(r"^[\s:：、,，。.;；\-—/／]*(?:暂无|待补充|待定|空)?[\s:：。.\-—/／]*$")
_LABELS = sorted(
    ((label, cat) for cat, labels in ELEMENTS.items() for label in labels),
    key=lambda x: -len(x[0]),
)
MAX_FORMS = 3  # forms checked per guide


@dataclass
class FormLink:
    url: str
    text: str


@dataclass
class Guide:
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    forms: list[FormLink] = field(default_factory=list)


# lxml's XPath straight on the tree: plain strings, not a parsel Selector per text node
_MAIN_NODES = etree.XPath(
    "//body//text()[not(ancestor::script) and not(ancestor::style)"
    " and not(ancestor::*[contains(@class,'footer') or contains(@class,'header')"
    " or contains(@class,'nav')])]",
    smart_strings=False,
)
_LINKS = etree.XPath("//a[@href]")
_TEXTS = etree.XPath(".//text()", smart_strings=False)


def _main_nodes(sel: Selector) -> list[str]:
    """Text nodes of the page body outside scripts, styles, headers and footers."""
    return [s for s in (n.strip() for n in _MAIN_NODES(sel.root)) if s]


# the labels in _LABELS' order: the first that matches is the one the loop would find
_LABEL_RE = re.compile("|".join(re.escape(label) for label, _ in _LABELS))
_CATEGORY = dict(_LABELS)


def _label_at(text: str) -> tuple[str, str] | None:
    """(category, rest of the text) when the text starts with an element label."""
    stripped = text.lstrip("【[（(一二三四五六七八九十0123456789、.． ")
    match = _LABEL_RE.match(stripped)
    if match is None:
        return None
    return _CATEGORY[match.group(0)], stripped[match.end() :]


def read_guide(sel: Selector, url: str) -> Guide:
    """The element categories a guide page shows with content, and its form links."""
    nodes = _main_nodes(sel)
    filled: set[str] = set()
    current: str | None = None
    for text in nodes:
        hit = _label_at(text) if len(text) <= 40 or _label_at(text[:12]) else None
        if hit:
            current, rest = hit
            rest = rest.lstrip(":：】]）) ")
            if rest and not _EMPTY.match(rest):
                filled.add(current)
                current = None
            continue
        if current and not _EMPTY.match(text):
            filled.add(current)
            current = None
    guide = Guide(
        present=[c for c in ELEMENTS if c in filled],
        missing=[c for c in ELEMENTS if c not in filled],
    )
    seen: set[str] = set()
    for link in _LINKS(sel.root):
        href = link.get("href").strip()
        text = " ".join(_TEXTS(link)).strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        # neither a file's name nor a form's words: skipped below whatever it joins to
        # (a link's own last path segment is the joined one's, or the joined one ends in /)
        path = urlsplit(href).path
        if path and not _FORM_EXT.search(path) and not _FORM_TEXT.search(text):
            continue
        target = urljoin(url, href)
        if urlsplit(target).scheme not in ("http", "https") or target in seen:
            continue
        # a file link, or a link named as a form (表格下载, 申请表) that is not a page
        if not _FORM_EXT.search(urlsplit(target).path) and not (
            _FORM_TEXT.search(text) and "download" in target.lower()
        ):
            continue
        seen.add(target)
        guide.forms.append(FormLink(target, text[:200] or target.rsplit("/", 1)[-1]))
        if len(guide.forms) >= MAX_FORMS:
            break
    return guide


def is_guide_column(name: str) -> bool:
    """A column whose items are service guides (办事指南, 服务指南...)."""
    return bool(GUIDE_COLUMN.search(name or ""))


def download_verdict(status: int, content_type: str, disposition: str, body_start: bytes) -> str:
    """ "" when the response is a file a user gets, else why not (Chinese)."""
    if status >= 400:
        return f"HTTP {status}"
    ctype = content_type.split(";")[0].strip().lower()
    html = ctype in ("text/html", "application/xhtml+xml") or b"<html" in body_start[:512].lower()
    if html and "attachment" not in disposition.lower():
        return "下载得到的是网页而不是文件"
    if not body_start:
        return "文件为空"
    return ""
