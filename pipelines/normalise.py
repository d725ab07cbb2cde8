"""Tidy a snapshot before storage: one entry per URL, trimmed titles, sane dates."""

from __future__ import annotations

import datetime as dt

from govspider.items import Entry, SiteSnapshot


def _unique(entries: list[Entry], latest: dt.date | None) -> list[Entry]:
    seen: set[str] = set()
    out = []
    for e in entries:
        if e.url in seen:
            continue
        seen.add(e.url)
        e.title = " ".join(e.title.split())[:500]
        # a date after the crawl cannot be a publication date already made; keep the
        # text as evidence but do not let it make a column look fresh
        if e.date and latest and e.date > latest:
            e.date = None
            e.date_source = "future"
        out.append(e)
    return out


class SnapshotNormalisePipeline:
    def process_item(self, item: SiteSnapshot) -> SiteSnapshot:
        # the crawl date (Beijing time) is the last day anything can have been published
        latest = item.crawled_at.date() if item.crawled_at else None
        item.home_entries = _unique(item.home_entries, latest)
        for col in item.columns:
            col.name = " ".join(col.name.split())
            col.entries = _unique(col.entries, latest)
            if col.page_date and latest and col.page_date > latest:
                col.page_date = None
        seen = set()
        links = []
        for link in item.links:
            key = (link.url, link.page_url, link.kind)
            if key not in seen:
                seen.add(key)
                links.append(link)
        item.links = links
        return item
