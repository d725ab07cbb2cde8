"""Shortcuts the extractors take for speed give exactly the answers of the slow way:
link joins (per-origin cache key, plain concatenation for a simple /path) against urljoin
+ urldefrag, the list-builder test against its regex, the placeholder search against the
collapsed main text, the breadcrumb's length and first-character tests against text_of."""

from __future__ import annotations

import itertools
import random
from urllib.parse import urldefrag, urljoin

import pytest
from lxml import html

from govspider.extract import base
from govspider.extract.base import PLACEHOLDER_RE, clean_text
from govspider.extract.generic import _longer_than
from govspider.extract.markup import starts_with, text_of
from govspider.extract.pages import main_text, placeholder
from govspider.extract.scripts import BUILDS_LIST_RE, builds_list

BASES = [
    "http://127.0.0.1:8080/g000/col/index.html",
    "https://www.example.gov.cn/",
    "http://h/a/b?q=1#f",
    "http://h",
    "http://user@h:1/x;p?q",
]
# each one a case where the base's path or urljoin's parsing matters
TRICKY = [
    "/", "//", "//?x", "//#f", "///x", "/\n/x", "/\r/", "/\t/a", "/a\n", "/a/../b",
    "/a/./b", "/..", "/.", "/.hidden", "/a?", "/a#", "/a;", "/a;p?q#f", "/a//b", "/a b",
    "/中文/页面.html", "//other.host/x", "/x.html?id=1&p=2", "/a/b/", "/\x01", "?q", "#top",
    "x.html", "../up.html", "./here/", "http://a.gov.cn/x", "javascript:void(0)", "",
]  # fmt: skip


def expected(page: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    url = urldefrag(urljoin(page, href))[0]
    return url if url.startswith(("http://", "https://")) else None


def _fresh() -> None:
    for cached in (base._absolute, base._joined, base._directory, base._origin):
        cached.cache_clear()


@pytest.mark.parametrize(("page", "href"), list(itertools.product(BASES, TRICKY)))
def test_join_is_urljoin(page, href):
    _fresh()
    assert base._absolute(page, href) == expected(page, href)


def test_join_is_urljoin_on_random_paths_and_through_the_caches():
    rng = random.Random(15)
    pieces = ["/", ".", "..", "a", "?", "#", ";", "=", "\n", "\t", " ", "中", "x.html", "//"]
    hrefs = [
        "/" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 7))) for _ in range(3000)
    ]
    _fresh()
    for page in BASES:  # cached answers of one page must hold for the next
        for href in hrefs:
            try:
                want = expected(page, href)
            except ValueError:
                with pytest.raises(ValueError):
                    base._absolute(page, href)
                continue
            assert base._absolute(page, href) == want, (page, href)


SCRIPTS = [
    'x.appendChild(li); "<li>"', "x.appendCh\u0131ld(li)<li>", 'el.\u0131nnerHTML="<tr>"',
    'document.WRITE("<A HREF")', "$(x).HTML('<LI>')", "createElement('LI')",
    "var cfg={'menu':['m1','m2']};", "el.innerText='<li>'", "\u017f", "\u212aa", "",
    "ınsertAdjacentHTML('beforeend', '<li>')", "list.append(item) // <li",
]  # fmt: skip


@pytest.mark.parametrize("script", SCRIPTS)
def test_list_builder_test_is_its_regex(script):
    assert builds_list(script) == bool(BUILDS_LIST_RE.search(script))


def test_placeholder_pattern_matches_no_whitespace():
    # placeholder() searches the uncollapsed text: only right while no match holds a space
    for space in (" ", "\t", "\n", "\u3000", "\xa0"):
        assert not PLACEHOLDER_RE.search(f"暂无{space}信息")
    assert all(not ch.isspace() for ch in PLACEHOLDER_RE.pattern)


PAGES = [
    "<html><body><div class='main'><p>暂无\n  信息</p><p>暂无信息</p></div></body></html>",
    "<html><body><div><span>  当前位置：首页 &gt; 通知公告</span>"
    "<p>" + "正文" * 100 + "</p></div><td>\n 您的位置 x</td><p>当 前位置</p></body></html>",
    "<html><body><p> </p><p>\n<b></b>当前</p><div>栏目建设中<!-- c -->正在建设中</div>"
    "<nav>信息正在更新</nav></body></html>",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_text_shortcuts(page):
    root = html.fromstring(page)
    found = PLACEHOLDER_RE.search(main_text(root))
    assert placeholder(root) == (found.group(0) if found else "")
    prefixes = ("当前位置", "您的位置", "您现在的位置")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert starts_with(el, prefixes) == text_of(el).startswith(prefixes)
        for limit in (0, 3, 120):
            assert _longer_than(el, limit) == (len(text_of(el)) > limit)
    assert clean_text(" ".join(root.itertext()))  # the pages hold text at all
