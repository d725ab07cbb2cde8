"""Extractors on saved pages (tests/fixtures/pages), time frozen, against expected output.

Each NAME.html has a NAME.json: the page's URL and the day it is read on, the family the
page must be recognised as, and what it holds (items with dates and pinned flags, the
order, the last page, a request to follow, sub-columns, a placeholder, whether only a
browser can show the list). The farm pages' expectations come from the farm's model
(make_fixtures.py); the others are written by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from govspider.extract import extractor_for
from govspider.extract.base import list_order

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
CASES = sorted(p.stem for p in PAGES.glob("*.json"))


def load(name: str) -> tuple[HtmlResponse, dict]:
    expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    body = (PAGES / f"{name}.html").read_bytes()
    response = HtmlResponse(
        url=expected["url"],
        body=body,
        headers={"Content-Type": expected["content_type"]},
        request=Request(expected["url"]),
    )
    return response, expected


@pytest.mark.parametrize("name", CASES)
def test_saved_page(name):
    response, want = load(name)
    today = dt.date.fromisoformat(want["today"])
    extractor = extractor_for(response)
    assert extractor.family == want["family"]
    page = extractor.column_page(response, today)
    got = {e.url: [e.date.isoformat() if e.date else None, e.pinned] for e in page.entries}
    assert got == want["items"]
    assert all(e.date_source == ("list" if e.date else "") for e in page.entries)
    if "order" in want:
        assert list_order(page.entries) == want["order"]
    assert page.needs_render == want.get("needs_render", False)
    assert page.placeholder == want.get("placeholder", "")
    last = want.get("last_page")
    if isinstance(last, str):
        assert page.last_page is not None and page.last_page.url == last
    elif isinstance(last, dict):
        assert page.last_page is not None
        assert (page.last_page.url, page.last_page.method) == (last["url"], last["method"])
        assert page.last_page.formdata["columnid"] == last["columnid"]
    if "follow" in want:
        follow = page.follow[0]
        assert (follow.url, follow.method, follow.kind) == (
            want["follow"]["url"],
            want["follow"]["method"],
            "data",
        )
        assert follow.formdata["columnid"] == want["follow"]["columnid"]
    if "frame" in want:
        assert [(f.url, f.kind) for f in page.follow] == [(want["frame"], "frame")]
    if "sub_columns" in want:
        subs = [[s.name, s.url] for s in page.sub_columns]
        assert subs == want["sub_columns"]
        assert {s.relation for s in page.sub_columns} == {"child"}


def test_titles_lose_the_pinned_mark_and_keep_their_text():
    response, _want = load("newyear_dates_list")
    page = extractor_for(response).column_page(response, dt.date(2026, 1, 5))
    titles = [e.title for e in page.entries]
    assert titles[0] == "关于公开征集2024年为民办实事项目的公告"
    assert "关于印发《2026年工作计划》的通知" in titles
    # the date texts are the list's own, not dates read out of the titles
    texts = {e.title: e.date_text for e in page.entries}
    assert texts["关于12月28日停水的公告"] == "12-30"
    assert texts["关于自2026年3月1日起施行新规定的通知"] == "２０２５－１２－２８"


def test_gbk_pages_are_read_as_gbk():
    response, _want = load("trs7_gbk_vars_pager")
    page = extractor_for(response).column_page(response, dt.date(2026, 6, 30))
    assert all("\ufffd" not in e.title for e in page.entries)
    assert any("人力资源和社会保障局" in e.title or "江城" in e.title for e in page.entries)
