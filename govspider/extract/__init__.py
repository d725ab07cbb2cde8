"""Extractors per CMS family, separate from crawling: the spider asks, an extractor answers."""

from __future__ import annotations

from scrapy.http import TextResponse

from govspider.extract.base import ColumnLink, ColumnPage, Extractor
from govspider.extract.generic import GenericExtractor

# Most specific first; the generic extractor answers for every page.
EXTRACTORS: list[type[Extractor]] = [GenericExtractor]


def extractor_for(response: TextResponse, family: str = "") -> Extractor:
    """The extractor named for the site, else the first whose detect() accepts the page."""
    if family:
        for cls in EXTRACTORS:
            if cls.family == family:
                return cls()
        known = ", ".join(c.family for c in EXTRACTORS)
        raise ValueError(f"未知的建站系统类型 {family!r}(可选: {known})")
    for cls in EXTRACTORS:
        if cls.detect(response):
            return cls()
    return GenericExtractor()


__all__ = ["ColumnLink", "ColumnPage", "Extractor", "extractor_for"]
