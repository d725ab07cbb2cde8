"""Extractors per CMS family, separate from crawling: the spider asks, an extractor answers."""

from __future__ import annotations

from lxml import etree
from scrapy.http import TextResponse

from govspider.extract.base import ColumnLink, ColumnPage, Extractor, Follow
from govspider.extract.generic import GenericExtractor
from govspider.extract.gkml import GkmlExtractor
from govspider.extract.hanweb import HanwebExtractor
from govspider.extract.trs import TrsExtractor
from govspider.tree import pin

# Most specific first; the generic extractor answers for every page. A catalogue tree
# (gkml) sits inside sites of any family, so it is recognised before the site's CMS.
EXTRACTORS: list[type[Extractor]] = [
    HanwebExtractor,
    GkmlExtractor,
    TrsExtractor,
    GenericExtractor,
]
FAMILIES = tuple(cls.family for cls in EXTRACTORS)


def extractor_for(
    response: TextResponse, family: str = "", selectors: dict[str, str] | None = None
) -> Extractor:
    """The extractor named for the site, else the first whose detect() accepts the page."""
    root = response.selector.root
    if isinstance(root, etree._Element):
        pin(root)  # every step of this page's extraction walks the same tree
    if family:
        for cls in EXTRACTORS:
            if cls.family == family:
                return cls(selectors)
        known = ", ".join(FAMILIES)
        raise ValueError(f"未知的建站系统类型 {family!r}(可选: {known})")
    for cls in EXTRACTORS:
        if cls.detect(response):
            return cls(selectors)
    return GenericExtractor(selectors)


__all__ = ["FAMILIES", "ColumnLink", "ColumnPage", "Extractor", "Follow", "extractor_for"]
