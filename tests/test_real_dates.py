"""Detail dates on real pages of the development half (tests/fixtures/real_dates), one
test per failure class of issue 25, and the rules of the corpus' split."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from pathlib import Path

import pytest

from bench.real_dates import CORPUS, split_of
from govspider.detail_dates import extract_detail_date

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 1, 5)
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
BY_FILE = {row["file"]: row for row in MANIFEST}


def _read(name: str):
    row = BY_FILE[name]
    assert row["split"] == "development", "tests may only use development pages"
    data = gzip.decompress((CORPUS / "pages" / (name + ".gz")).read_bytes())
    m = re.search(rb'<text id="([^"]+)"', data[:500])
    return extract_detail_date(data, TODAY, url=m.group(1).decode() if m else ""), row


def test_printed_date_and_meta_disagree_both_kept_and_marked():
    # 发布日期：2023-07-19 19:21:00 under the title, <meta name="PubDate"> 2024-04-15
    found, row = _read("pf75b0832b4a5.html")
    assert found.date == dt.date.fromisoformat(row["printed"]) == dt.date(2023, 7, 19)
    assert found.doubtful and found.runner_up.date == dt.date(2024, 4, 15)
    assert "日期存疑" in found.evidence()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("pa3ea7f1336b3.html", dt.date(2019, 10, 8)), ("pb782e38fd23e.html", dt.date(2019, 9, 30))],
)
def test_yearless_printed_date_takes_the_year_from_the_page_metadata(name, expected):
    # 发布时间：10-0812:00 with <meta name="dateUpdate" content="2019-10-08 12:00:57">
    found, row = _read(name)
    assert row["yearless"] and found.date == expected and found.source == "label"


def test_yearless_date_year_from_the_url_never_today():
    html = "<html><body><h1>关于开展安全检查的通知</h1><p>发布时间：09-07</p></body></html>"
    url = "http://www.example.gov.cn/zwgk/201909/t20190907_123.html"
    assert extract_detail_date(html, TODAY, url=url).date == dt.date(2019, 9, 7)
    assert extract_detail_date(html, TODAY).date is None
    anchor = dt.date(2019, 9, 30)  # the linking list page's date
    assert extract_detail_date(html, TODAY, anchor=anchor).date == dt.date(2019, 9, 7)


def test_script_pubdate_is_read():
    # no <meta> date; the page's script data holds "pubDate": "2019-09-11T02:46:57"
    found, _ = _read("p44b0f6724788.html")
    assert found.date == dt.date(2019, 9, 11)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="firstpublishtime" content="2019-09-07 10:00">',
        '<meta property="og:release_date" content="2019-09-07">',
        '<meta name="apub:time" content="2019-9-7 21:30:50">',
        '<script type="application/ld+json">{"pubDate": "2019-09-07T10:00:00"}</script>',
    ],
)
def test_usual_metadata_keys(meta):
    html = f"<html><head>{meta}</head><body><h1>关于开展安全检查的通知</h1></body></html>"
    assert extract_detail_date(html, TODAY).date == dt.date(2019, 9, 7)


def test_a_far_timestamp_does_not_beat_the_metadata():
    # the date under the title is split ("2019 09 / 07 19 : 02"); a comment's
    # timestamp further down must not win over apub:time / pubtime 2019-09-07
    found, _ = _read("p60acef081827.html")
    assert found.date == dt.date(2019, 9, 7)


def test_weak_label_at_the_end_of_a_sidebar_headline_does_not_win():
    html = (
        "<html><body><div class='hot'><a>荣耀Magic 10 Plus发布 2019-09-05 16:41</a></div>"
        "<h1>关于开展安全检查的通知</h1><p>来源：本站 2019-09-07 10:00</p></body></html>"
    )
    assert extract_detail_date(html, TODAY).date == dt.date(2019, 9, 7)


def test_split_is_by_hash_and_nothing_names_a_held_out_page():
    held = [r for r in MANIFEST if r["split"] == "heldout"]
    assert len(held) >= 60
    for row in MANIFEST:
        assert row["split"] == split_of(row["repo"], row["path"], row["seen_before"]), row["file"]
    names = set()
    for row in held:
        names.add(row["file"].removesuffix(".html"))
        names.add(Path(row["path"]).stem)
    names -= {"index", "1", "2", "3", "4", "5", "6", "7", "8", "9", "sample"}
    sources = [
        *ROOT.glob("govspider/**/*.py"),
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("bench/*.py"),
    ]
    sources += list(ROOT.glob("tests/fixtures/**/*.yaml"))
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="replace")
        hit = next((n for n in names if n in text), None)
        assert hit is None, f"{path} names held-out page {hit}"


def test_corpus_size_and_provenance():
    detail = [r for r in MANIFEST if r["kind"] == "detail"]
    assert len(detail) >= 150 and sum(r["government"] for r in detail) >= 60
    for row in MANIFEST:
        assert row["repo"] and row["path"] and re.fullmatch(r"[0-9a-f]{40}", row["commit"])
        assert row["licence"]
