"""The farm's CMS family sites over real HTTP, read with plain regexes (not the extractors).

Each check reads the served bytes the way the family's own JavaScript would, so a truth
value that disagrees with what the site really serves fails here, not in the crawl.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import urllib.request
from urllib.parse import urlencode, urljoin

import pytest

from tests.test_demo_farm import fetch

ISO = re.compile(r"(\d{4})[-/](\d{2})[-/](\d{2})")


def dates_in(text: str) -> list[dt.date]:
    """Dates a reader sees: links' addresses (/art/2026/12/12/...) left out."""
    text = re.sub(r'(?:href|src)="[^"]*"', "", text)
    return [dt.date(int(y), int(m), int(d)) for y, m, d in ISO.findall(text)]


def shows_dates(farm_server, sid: str, name: str) -> bool:
    """False for a column whose list shows no dates (its truth comes from detail pages)."""
    site = farm_server.farm.site(sid)
    col = next(c for c in site.all_columns() if c.name == name)
    return col.list_dates and not col.undated


def sites_of(truth: dict, family: str) -> list[str]:
    return [sid for sid, t in truth.items() if t["family"] == family and t["skin"] != "box"]


@pytest.fixture(scope="module")
def truth(farm_server):
    return farm_server.truth()


def page_text(farm_server, site_id: str, url: str) -> str:
    status, _headers, body = fetch(url)
    assert status == 200, url
    return body.decode(farm_server.farm.site(site_id).encoding)


def test_trs_pager_exists_only_as_a_script_and_names_every_page(farm_server, truth):
    checked = 0
    for sid in sites_of(truth, "trs"):
        for col in truth[sid]["columns"]:
            if col["pages"] < 2 or not shows_dates(farm_server, sid, col["name"]):
                continue
            html = page_text(farm_server, sid, col["url"])
            assert "下一页" not in html and "createPageHTML(" in html
            n = int(re.search(r"createPageHTML\((?:'page_div', )?(\d+)|countPage = (\d+)", html)
                    .group(1) or re.search(r"countPage = (\d+)", html).group(1))  # fmt: skip
            assert n == col["pages"]
            texts = [html] + [
                page_text(farm_server, sid, urljoin(col["url"], f"index_{k}.html"))
                for k in range(1, n)
            ]
            newest = max(d for t in texts for d in dates_in(t.split("xxgk_list", 1)[1]))
            assert newest.isoformat() == col["newest_date"], col["url"]
            checked += 1
    assert checked >= 2


def _proxy(farm_server, sid: str, column_id: str, start: int, end: int) -> str:
    url = (
        farm_server.base_url(sid).rstrip("/")
        + "/module/web/jpage/dataproxy.jsp?"
        + urlencode({"startrecord": start, "endrecord": end, "perpage": 5})
    )
    data = urlencode({"columnid": column_id, "webid": "9"}).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as reply:
        assert reply.headers["Content-Type"].startswith("text/xml")
        return reply.read().decode(farm_server.farm.site(sid).encoding)


def test_hanweb_records_come_from_the_page_and_dataproxy(farm_server, truth):
    for sid in sites_of(truth, "hanweb"):
        site = farm_server.farm.site(sid)
        for col in truth[sid]["columns"]:
            number = re.search(r"/col/col(\d+)/", col["url"]).group(1)
            model = next(c for c in site.all_columns() if str(c.number) == number)
            html = page_text(farm_server, sid, col["url"])
            embedded = re.findall(r"<record>", html)
            expected = 0 if site.skin == "hanweb6" or model.ajax else min(len(model.items), 15)
            assert len(embedded) == expected, col["url"]
            assert "dataproxy.jsp" in html
            reply = _proxy(farm_server, sid, number, 1, 1000)
            assert f"<totalrecord>{len(model.items)}</totalrecord>" in reply
            got = dates_in(reply)
            newest = max(got).isoformat() if got else None
            if model.list_dates:
                assert newest == col["newest_date"], col["url"]
            else:
                assert newest is None
            if model.order == "asc" and len(model.items) > 15:
                first = max(dates_in(_proxy(farm_server, sid, number, 1, 15)))
                assert first.isoformat() < col["newest_date"]  # the newest are further on


def test_gkml_trees_name_every_category_and_tables_date_publication(farm_server, truth):
    for sid in sites_of(truth, "gkml"):
        site = farm_server.farm.site(sid)
        catalog = next(c for c in site.columns if c.catalog)
        tree = page_text(farm_server, sid, farm_server.base_url(sid).rstrip("/") + catalog.path)
        assert "<iframe" in tree
        for child in catalog.children:
            assert child.path.replace("&", "&amp;") in tree or f"'{child.number}'" in tree
            url = farm_server.base_url(sid).rstrip("/") + child.path
            table = page_text(farm_server, sid, url)
            head = re.findall(r"<th>(.*?)</th>", table)
            col = re.findall(r"<tr>(.*?)</tr>", table)[1:]
            at = head.index("发布日期")
            published = [dates_in(re.findall(r"<td>(.*?)</td>", row)[at])[0] for row in col]
            truth_col = next(c for c in truth[sid]["columns"] if c["url"] == url)
            assert max(published).isoformat() == truth_col["newest_date"]
            assert "成文日期" in head


def test_script_lists_and_frames_of_the_culture_site(farm_server, truth):
    cols = {c["name"]: c for c in truth["culture"]["columns"]}
    rendered = page_text(farm_server, "culture", cols["文旅要闻"]["url"])
    assert "/content/" not in rendered.split('class="rightlist"', 1)[1].split("<script", 1)[0]
    packed = re.search(r'atob\("([^"]+)"\)', rendered).group(1)
    rows = json.loads(base64.b64decode(packed).decode("utf-8"))
    assert max(r["d"] for r in rows) == cols["文旅要闻"]["newest_date"]
    literal = page_text(farm_server, "culture", cols["通知公告"]["url"])
    rows = json.loads(re.search(r"var itemObj = (\[.*?\]);", literal).group(1))
    assert max(r["aPd"][:10] for r in rows) == cols["通知公告"]["newest_date"]
    framed = page_text(farm_server, "culture", cols["政策文件"]["url"])
    src = re.search(r'<iframe[^>]+src="([^"]+)"', framed).group(1)
    inner = page_text(farm_server, "culture", urljoin(cols["政策文件"]["url"], src))
    assert max(dates_in(inner.replace(".", "-"))).isoformat() == cols["政策文件"]["newest_date"]


def test_every_family_has_three_sites_and_gbk_among_them(truth):
    for family in ("trs", "hanweb", "gkml", "generic"):
        sites = [t for t in truth.values() if t["family"] == family]
        assert len(sites) >= 3, family
        assert len({t["skin"] for t in sites}) >= 2 or family == "hanweb", family
    assert {t["encoding"] for t in truth.values() if t["family"] in ("trs", "hanweb", "gkml")} >= {
        "gbk",
        "utf-8",
    }
