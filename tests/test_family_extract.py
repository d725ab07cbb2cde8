"""Family extractors piece by piece: pagers, data endpoints, trees, overrides, the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from scrapy.http import FormRequest, HtmlResponse, Request, XmlResponse

from govspider.extract import FAMILIES, Follow, extractor_for
from govspider.extract.base import list_order
from govspider.extract.gkml import _category_url
from govspider.extract.trs import parse_create_page
from govspider.items import Entry

TODAY = dt.date(2026, 6, 30)
BASE = "http://www.example.gov.cn"


def html(url: str, body: str, charset: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(
        url=url,
        body=body.encode(charset),
        headers={"Content-Type": f"text/html; charset={charset}"},
        request=Request(url),
    )


@pytest.mark.parametrize(
    ("script", "want"),
    [
        ('createPageHTML(5, 0, "index", "html");', (5, 0, "index", "html")),
        ("createPageHTML('page_div', 7, 2, 'index', 'shtml', 130);", (7, 2, "index", "shtml")),
        (
            'var countPage = 4;var currentPage = 1;var prePage = "list";'
            'createPageHTML(countPage, currentPage, prePage, "html");',
            (4, 1, "list", "html"),
        ),
        ("document.write('no pager here');", None),
    ],
)
def test_trs_pager_forms(script, want):
    assert parse_create_page(script) == want


def test_trs_last_page_is_relative_to_the_column_directory():
    body = (
        '<html><body><ul class="list"><li><a href="./202601/t20260101_1.html">标题一二三四五</a>'
        '<span>2026-01-01</span></li><li><a href="./202602/t20260201_2.html">标题六七八九十</a>'
        "<span>2026-02-01</span></li></ul>"
        '<script>createPageHTML(3, 1, "index", "html");</script></body></html>'
    )
    response = html(f"{BASE}/xxgk/tzgg/index_1.html", body)
    extractor = extractor_for(response)
    assert extractor.family == "trs"
    page = extractor.column_page(response, TODAY)
    assert page.last_page == Follow(f"{BASE}/xxgk/tzgg/index_2.html")
    assert list_order(page.entries) == "asc"


def _reply(records: list[str], total: int, start: int, end: int) -> XmlResponse:
    recs = "".join(f"<record><![CDATA[{r}]]></record>" for r in records)
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>{total}</totalrecord>'
        f"<recordset>{recs}</recordset></datastore>"
    )
    url = f"{BASE}/module/web/jpage/dataproxy.jsp?startrecord={start}&endrecord={end}&perpage=5"
    request = FormRequest(url, formdata={"columnid": "1234", "webid": "3", "unitid": "41234"})
    return XmlResponse(url=url, body=body.encode(), request=request)


def test_hanweb_dataproxy_reply_gives_records_and_asks_for_the_last_range():
    rows = [
        f'<li><a href="/art/2026/{m}/1/art_1234_{m}.html">第{m}号通知事项公告</a>'
        f"<span>2026-0{m}-01</span></li>"
        for m in range(1, 6)
    ]
    response = _reply(rows, total=23, start=1, end=5)
    extractor = extractor_for(response, "hanweb")
    page = extractor.column_page(response, TODAY)
    assert [e.date for e in page.entries] == [dt.date(2026, m, 1) for m in range(1, 6)]
    assert page.entries[0].url == f"{BASE}/art/2026/1/1/art_1234_1.html"
    last = page.last_page
    assert last is not None and last.method == "POST"
    assert last.url.endswith("dataproxy.jsp?startrecord=19&endrecord=23&perpage=5")
    assert last.formdata == {"columnid": "1234", "webid": "3", "unitid": "41234"}


def test_hanweb_empty_reply_is_an_empty_list_with_nothing_more_to_fetch():
    page = extractor_for(_reply([], 0, 1, 15), "hanweb").column_page(_reply([], 0, 1, 15), TODAY)
    assert page.entries == [] and page.follow == [] and page.last_page is None
    assert not page.needs_render


def test_hanweb_posts_differ_by_form_so_the_crawl_state_keeps_both():
    a = Follow("http://x/dataproxy.jsp?startrecord=1", "data", "POST", {"columnid": "1"})
    b = Follow("http://x/dataproxy.jsp?startrecord=1", "data", "POST", {"columnid": "2"})
    assert a.key != b.key and Follow("http://x/a").key == "http://x/a"


def test_gkml_category_url_from_the_frame_src():
    url = _category_url(f"{BASE}/gkml/index.html", "77", None, "list.html?chnlid=5&page=1")
    assert url == f"{BASE}/gkml/list.html?chnlid=77&page=1"
    assert _category_url(f"{BASE}/gkml/", "77", None, "") is None


def test_list_order_ignores_pinned_items():
    def e(day: int, pinned: bool = False) -> Entry:
        return Entry("t", f"u{day}", dt.date(2026, 1, day), pinned=pinned)

    assert list_order([e(1, True), e(20), e(15), e(10)]) == "desc"
    assert list_order([e(28, True), e(2), e(5), e(9)]) == "asc"
    assert list_order([e(3)]) == ""


def test_site_selectors_override_structure():
    body = (
        '<html><body><div class="topbar"><a href="/a/">栏目甲</a><a href="/b/">栏目乙</a></div>'
        '<div class="x"><p class="row"><a href="/a/1.html">第一条信息的标题</a>'
        '<em class="d">2026-06-01</em><em>2026-05-01</em></p>'
        '<p class="row"><a href="/a/2.html">第二条信息的标题</a><em class="d">2026-06-03</em></p>'
        "</div></body></html>"
    )
    response = html(f"{BASE}/a/", body)
    selectors = {"nav": "div.topbar", "items": "p.row", "date": "em.d"}
    extractor = extractor_for(response, "generic", selectors)
    home = html(f"{BASE}/", body)
    assert [c.name for c in extractor.navigation(home)] == ["栏目甲", "栏目乙"]
    page = extractor.column_page(response, TODAY)
    assert [(e.url, e.date) for e in page.entries] == [
        (f"{BASE}/a/1.html", dt.date(2026, 6, 1)),
        (f"{BASE}/a/2.html", dt.date(2026, 6, 3)),
    ]


def test_data_literal_takes_the_date_field_not_a_date_in_the_title():
    body = (
        '<html><body><ul id="l"></ul><script>var itemObj = [{"aT": "关于2026年5月1日起调整'
        '公交线路的通告", "aPd": "2026-04-20 17:00", "aU": "/gg/1.html"}];</script></body></html>'
    )
    page = extractor_for(html(f"{BASE}/gg/", body)).column_page(html(f"{BASE}/gg/", body), TODAY)
    assert [(e.date, e.date_text) for e in page.entries] == [
        (dt.date(2026, 4, 20), "2026-04-20 17:00")
    ]
    assert not page.needs_render


def test_unknown_family_is_refused_with_the_choices():
    response = html(f"{BASE}/", "<html><body></body></html>")
    with pytest.raises(ValueError, match="未知的建站系统类型") as info:
        extractor_for(response, "dedecms")
    assert all(f in str(info.value) for f in FAMILIES)
    assert extractor_for(response).family == "generic"


def test_a_site_list_naming_an_unknown_family_is_refused_before_crawling(tmp_path):
    from scrapy.utils.test import get_crawler

    from govspider.sitelist import SiteListError
    from govspider.spiders.site import SiteSpider

    sites = tmp_path / "sites.yaml"
    sites.write_text(
        "sites:\n- {name: 甲局, url: 'http://127.0.0.1:9/', cms: dedecms}\n", encoding="utf-8"
    )
    with pytest.raises(SiteListError, match="甲局"):
        SiteSpider.from_crawler(get_crawler(SiteSpider), sites=str(sites))


EMPTY_LIST = (
    '<html><head>{script}</head><body><div class="main"><h2>通知公告</h2>'
    '<ul class="list"></ul></div></body></html>'
)


@pytest.mark.parametrize(
    ("script", "rendered", "blank", "needs_render"),
    [
        ("", False, True, False),  # nothing could fill it: the list is empty
        ('<script src="/js/list.js"></script>', False, False, True),  # AJAX may fill it
        # the spider renders it once; seen empty after the browser ran it, it is empty
        ('<script src="/js/list.js"></script>', True, True, True),
    ],
)
def test_an_empty_list_is_blank_only_when_no_script_could_fill_it(
    script, rendered, blank, needs_render
):
    from govspider.extract.verdict import UNRENDERED, settle_empty
    from govspider.items import STATUS_FAILED, Column

    response = html(f"{BASE}/tzgg/", EMPTY_LIST.format(script=script))
    page = extractor_for(response, "generic", None).column_page(response, TODAY)
    assert page.empty_container and page.needs_render is needs_render
    column = Column(name="通知公告", url=f"{BASE}/tzgg/", rendered=rendered)
    settle_empty(column, page, response.url)
    assert column.blank is blank
    if not blank:
        assert (column.status, column.error) == (STATUS_FAILED, UNRENDERED)
    else:
        assert column.blank_evidence == "列表为空"
