"""The snapshot tidied before storage: no date after the crawl date is kept as a date."""

import datetime as dt

from govspider.items import KIND_PAGE, Column, Entry, SiteSnapshot
from pipelines.normalise import SnapshotNormalisePipeline

CRAWLED = dt.datetime(2026, 1, 3, 23, 50)  # Beijing time, late on the crawl date


def _snapshot(*dates: dt.date) -> SiteSnapshot:
    entries = [
        Entry(f"通知{i}", f"http://x.gov.cn/{i}.html", d, str(d)) for i, d in enumerate(dates)
    ]
    column = Column("通知公告", "http://x.gov.cn/tzgg/", entries=entries)
    return SiteSnapshot(
        site_id="s", site_name="某局", home_url="http://x.gov.cn/", crawled_at=CRAWLED,
        home_entries=list(entries), columns=[column],
    )  # fmt: skip


def test_a_date_after_the_crawl_date_is_kept_as_text_not_as_a_date():
    snap = SnapshotNormalisePipeline().process_item(
        _snapshot(dt.date(2026, 1, 4), dt.date(2026, 1, 3), dt.date(2025, 12, 30))
    )
    column = snap.columns[0]
    assert column.newest_date == dt.date(2026, 1, 3)  # not tomorrow's
    assert [e.date_source for e in column.entries][0] == "future"
    assert column.entries[0].date_text == "2026-01-04"
    assert max(e.date for e in snap.home_entries if e.date) == dt.date(2026, 1, 3)


def test_a_page_column_dated_after_the_crawl_date_has_no_date():
    snap = _snapshot()
    snap.columns = [
        Column("机构概况", "http://x.gov.cn/jggk/", kind=KIND_PAGE, page_date=dt.date(2026, 1, 4))
    ]
    assert SnapshotNormalisePipeline().process_item(snap).columns[0].newest_date is None
