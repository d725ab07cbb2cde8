"""Reading page markup: the class/id words that mark menus, sides and footers, and small
helpers over lxml elements shared by the extractors."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from govspider.extract.base import PINNED_MARK_RE, clean_text
from govspider.tree import memo

NAV_RE = re.compile(r"nav|menu|daohang|\bdh\b|channel", re.I)
SIDE_RE = re.compile(r"left|side|sub|lanmu|erji|zlm|sec-?menu", re.I)
SKIP_RE = re.compile(r"foot|bottom|copyright|yqlj|friend|links?\b|banner|share", re.I)
LIST_AREA_RE = re.compile(r"list|news|content|main|\bcon\b|lb|article|data", re.I)
CRUMB_RE = re.compile(r"crumb|position|location|dqwz|weizhi|curr", re.I)
MORE_RE = re.compile(r"^\s*(?:更多|more|查看更多|>>|»|＞＞)", re.I)
TITLE_CLASS_RE = re.compile(r"tit|title|hd|head|\bbt\b|name|caption", re.I)
NEXT_PAGE_RE = re.compile(r"^\s*(?:下一页|下页|next|>)\s*$", re.I)
PAGER_RE = re.compile(
    r"^\s*(?:上一页|下一页|上页|下页|首页|尾页|末页|prev|next|[<>]|\d+)\s*$", re.I
)
CRUMB_SPLIT_RE = re.compile(r"\s*(?:>>|>|»|→|／|/|＞|›)\s*")
ITEM_TAGS = ("li", "tr", "dd")
# div-based lists (<div class="item"><a/><span>date</span></div>): one link, no inner blocks
BLOCK_ITEM_TAGS = ("div", "p")
LAST_PAGE_RE = re.compile(r"^\s*(?:尾页|末页|最后一页|last)\s*$", re.I)


def attrs(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def ancestors(el: etree._Element) -> Iterator[etree._Element]:
    el = el.getparent()
    while el is not None:
        yield el
        el = el.getparent()


def in_area(el: etree._Element, regex: re.Pattern, tags: tuple[str, ...] = ()) -> bool:
    """The element or an ancestor has one of ``tags`` or class/id words ``regex`` finds.

    Asked for many elements of a page (every link, item and list), each walking up to the
    root: on the page being read (govspider.tree) every element's answer is kept, so each
    element is looked at once per question."""
    known = memo(el, ("in_area", regex, tags))
    chain: list[etree._Element] = []
    node: etree._Element | None = el
    found = False
    while node is not None:
        if known is not None and (answer := known.get(node)) is not None:
            found = answer
            break
        chain.append(node)
        if isinstance(node.tag, str) and (node.tag in tags or regex.search(attrs(node))):
            found = True
            break
        node = node.getparent()
    if known is not None:
        # every element walked lies below the one that answered: the same answer
        known.update(dict.fromkeys(chain, found))
    return found


def text_of(el: etree._Element) -> str:
    return clean_text("".join(el.itertext()))


def starts_with(el: etree._Element, prefixes: tuple[str, ...]) -> bool:
    """text_of(el).startswith(prefixes), reading only as much text as the prefixes need
    (an outer div's whole text is most of the page). The cleaned text of a leading part
    is a leading part of the cleaned whole, so once it is longer than every prefix (none
    holds a space) it answers for the whole."""
    longest = max(map(len, prefixes))
    firsts = {p[:1] for p in prefixes}
    chunks: list[str] = []
    for chunk in el.itertext():
        if not chunks and "" not in firsts:
            lead = chunk.lstrip()  # str.lstrip's whitespace is str.split's (clean_text)
            if not lead:
                continue  # leading whitespace only: nothing of the cleaned text yet
            if lead[0] not in firsts:
                return False  # the cleaned text's first character starts no prefix
        chunks.append(chunk)
        head = clean_text("".join(chunks))
        if len(head) > longest:
            return head.startswith(prefixes)
    return clean_text("".join(chunks)).startswith(prefixes)


def link_text(a: etree._Element) -> str:
    """A link's text, else its image's alt. Every step of a page's extraction asks it of
    the same links (items, pager, sub-columns, menus): on the pinned page (govspider.tree)
    each link's answer is kept."""
    known = memo(a, "link_text")
    if known is not None and (text := known.get(a)) is not None:
        return text
    text = text_of(a)
    if not text:
        # the first alt of an image inside (.//img/@alt, without compiling an XPath)
        alt = next((v for img in a.iter("img") if (v := img.get("alt")) is not None), None)
        text = clean_text(alt) if alt is not None else ""
    if known is not None:
        known[a] = text
    return text


def menu_heading(a: etree._Element) -> str:
    """The heading (h1-h4, or a title-classed element) of the menu a link sits in."""
    for anc in list(ancestors(a))[:4]:
        for el in anc.iter("h1", "h2", "h3", "h4", "dt", "div", "span", "p"):
            if el.tag in ("div", "span", "p") and not TITLE_CLASS_RE.search(attrs(el)):
                continue
            if a in el.iterdescendants():
                continue
            text = strip_label(text_of(el))
            if text and len(text) <= 20:
                return text
    return ""


def pin_marked(el: etree._Element) -> bool:
    """A 置顶 mark on the item: its class, or a marker element or image inside it."""
    marks = [el.get("class") or ""]
    for d in el.iterdescendants():
        if isinstance(d.tag, str) and d.tag != "a":
            marks.append(f"{d.get('class') or ''} {d.get('alt') or ''} {d.get('src') or ''}")
    return bool(PINNED_MARK_RE.search(" ".join(marks)))


def strip_label(text: str) -> str:
    return re.sub(r"[\s>»＞]*(?:更多|more)[\s>»＞.]*$", "", text, flags=re.I).strip(" ：:·-|")
