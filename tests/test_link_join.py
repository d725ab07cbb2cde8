"""Link joining: the shortcuts of extract.base (per-origin cache key, plain concatenation
for a simple /path) give exactly what urljoin + urldefrag give, on links where urljoin
does more than concatenate."""

from __future__ import annotations

import itertools
import random
from urllib.parse import urldefrag, urljoin

import pytest

from govspider.extract import base

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
