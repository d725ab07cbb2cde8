"""The demo farm over real HTTP on loopback: serving, encodings, failures and ground truth.

The pages are parsed here with plain regular expressions, independently of the renderer,
so a truth value that disagrees with what a crawler would see fails a test.
"""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from farm.farm import load_farm
from farm.server import FarmServer

FARM_DATE = dt.date(2026, 6, 30)

# An item link: the detail-page URL shapes of the three skins.
DETAIL = r"[^\"]*(?:/t\d{8}_\d+|/art_\d+_\d+|/content/\d{6}/\d+)\.html"
DATE_RES = {
    "iso": r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})",
    "bracket_iso": r"\[(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\]",
    "md": r"(?P<m>\d{2})-(?P<d>\d{2})",
    "bracket_md": r"\[(?P<m>\d{2})-(?P<d>\d{2})\]",
    "dot_paren": r"\((?P<y>\d{4})\.(?P<m>\d{2})\.(?P<d>\d{2})\)",
    "cn": r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日",
    "slash": r"(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})",
}


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def item_re(date_format: str) -> re.Pattern[str]:
    """An item link followed (in any skin's markup) by an optional date in the site's style."""
    gap = r'(?:</td><td class="date"[^>]*>|<span class="date">| )?'
    date = DATE_RES[date_format]
    return re.compile(rf'<a href="(?P<href>{DETAIL})"[^>]*>[^<]*</a>{gap}(?:{date})?')


def listed_items(html: str, date_format: str) -> list[tuple[str, dt.date | None]]:
    """(href, date or None) of every item link on a page; a year-less date gets the latest
    year that does not put it after FARM_DATE."""
    rows = []
    for m in item_re(date_format).finditer(html):
        day = None
        if m["m"]:
            month, mday = int(m["m"]), int(m["d"])
            year = int(m["y"]) if m.groupdict().get("y") else FARM_DATE.year
            if not m.groupdict().get("y") and (month, mday) > (FARM_DATE.month, FARM_DATE.day):
                year -= 1
            day = dt.date(year, month, mday)
        rows.append((m["href"], day))
    return rows


def pub_date(html: str) -> dt.date | None:
    m = re.search(r'<meta name="PubDate" content="(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}">', html)
    return dt.date.fromisoformat(m[1]) if m else None


@pytest.fixture(scope="module")
def farm():
    return load_farm(FARM_DATE)


@pytest.fixture(scope="module")
def server(farm):
    with FarmServer(farm) as running:
        yield running


@pytest.fixture(scope="module")
def truth(server):
    return server.truth()


def get_html(server, site_id: str, url: str) -> str:
    status, _headers, body = fetch(url)
    assert status == 200, url
    return body.decode(server.farm.site(site_id).encoding)


def test_server_starts_serves_and_stops(farm):
    with FarmServer(farm) as running:
        url = running.base_url("audit")
        assert fetch(url)[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


def test_every_home_page_serves_with_its_footer(server, truth):
    for row in server.site_rows():
        status, _headers, body = fetch(row["url"])
        if truth[row["id"]]["home_failed"]:
            assert status == 500, row["id"]
            continue
        html = body.decode(server.farm.site(row["id"]).encoding)
        assert status == 200 and f"<title>{row['name']}</title>" in html, row["id"]
        # affairs leaves some marks out on purpose (the site-mark check's demo site)
        left_out = {"icp": "ICP备", "police": "公网安备"}
        skip = {left_out.get(k) for k in truth[row["id"]]["marks_missing"]}
        for mark in ("网站标识码：", "ICP备", "公网安备"):
            assert (mark in html) != (mark in skip), (row["id"], mark)


def test_head_and_unknown_paths(server):
    url = server.base_url("edu")
    status, headers, body = fetch(url, method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == len(fetch(url)[2])
    assert fetch(url + "no/such/page.html")[0] == 404


@pytest.mark.parametrize("site_id, charset", [("finance", "gbk"), ("audit", "gb2312")])
def test_chinese_legacy_encodings(server, site_id, charset):
    status, headers, body = fetch(server.base_url(site_id))
    assert status == 200
    assert headers["Content-Type"] == f"text/html; charset={charset}"
    html = body.decode("gb18030")
    assert f'<meta charset="{charset}">' in html and server.farm.site(site_id).name in html
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_failing_pages_fail_with_their_status(server, truth):
    failed = [(sid, c) for sid, t in truth.items() for c in t["columns"] if c["failed"]]
    assert {c["status"] for _sid, c in failed} == {404, 500}
    for _sid, col in failed:
        assert fetch(col["url"])[0] == col["status"], col["url"]
        assert not col["blank"] and col["newest_date"] is None
    homes = [sid for sid, t in truth.items() if t["home_failed"]]
    assert homes and all(fetch(server.base_url(sid))[0] == 500 for sid in homes)


PLAIN_SKINS = ("box", "table", "dl")  # lists in plain HTML; family markup: test_family_farm.py


def plain_list(site, model) -> bool:
    """A newest-first list in the page's own HTML, readable by this module's regexes."""
    return site.skin in PLAIN_SKINS and model.order == "desc" and not (model.js or model.frame)


def test_truth_columns_match_the_served_pages(server, truth):
    """URL serves; item count, newest date and blank flag agree with the page itself."""
    for site_id, site_truth in truth.items():
        site = server.farm.site(site_id)
        models = {tuple(c.names): c for c in site.all_columns()}
        for col in site_truth["columns"]:
            if col["failed"] or not plain_list(site, models[tuple(col["path"])]):
                continue
            html = get_html(server, site_id, col["url"])
            assert "当前位置：" in html, col["url"]
            # a letter box's table repeats its items with reply dates (tested on its own)
            html = re.sub(r'<table class="letters">.*?</table>', "", html, flags=re.S)
            items = listed_items(html, site.date_format)
            assert len(items) == col["item_count_first_page"], col["url"]
            assert col["blank"] == (not col["container"] and not items)
            dates = [d for _href, d in items if d]
            model = models[tuple(col["path"])]
            if items and not model.list_dates:  # dates only on the detail pages
                assert not dates
                detail = get_html(server, site_id, urljoin(col["url"], items[0][0]))
                dates = [pub_date(detail)]
            newest = max(dates).isoformat() if dates else None
            assert newest == col["newest_date"], col["url"]
            if dates:
                # the newest item, wherever the list shows it (pinned items sit on top)
                href = (
                    max(items, key=lambda x: x[1] or dt.date.min)[0]
                    if model.list_dates
                    else items[0][0]
                )
                detail = get_html(server, site_id, urljoin(col["url"], href))
                assert pub_date(detail) == max(dates), col["url"]
                assert f"发布时间：{max(dates):%Y-%m-%d} " in detail


def test_undated_column_shows_no_date_anywhere(server, truth):
    col = next(c for c in truth["fenghu"]["columns"] if c["name"] == "统计信息")
    html = get_html(server, "fenghu", col["url"])
    items = listed_items(html, "iso")
    assert items and col["newest_date"] is None and not col["blank"]
    detail = get_html(server, "fenghu", urljoin(col["url"], items[0][0]))
    assert pub_date(detail) is None and "发布时间" not in detail


def test_home_new_items_counted_from_the_home_page(server, truth):
    """Distinct on-site item URLs dated within the 2 weeks up to FARM_DATE."""
    for row in server.site_rows():
        if truth[row["id"]]["home_failed"]:
            continue
        html = get_html(server, row["id"], row["url"])
        on_site = {urlsplit(row["url"]).netloc, *row.get("extra_domains", [])}
        fresh = {
            urljoin(row["url"], href)
            for href, day in listed_items(html, server.farm.site(row["id"]).date_format)
            if day
            and 0 <= (FARM_DATE - day).days <= 14
            and urlsplit(urljoin(row["url"], href)).netloc in on_site
        }
        assert len(fresh) == truth[row["id"]]["home_new_items_2w"], row["id"]


def test_pagination_reaches_every_item(server, truth):
    paged = 0
    for site_id, site_truth in truth.items():
        site = server.farm.site(site_id)
        for col in site_truth["columns"]:
            if col["failed"] or col["pages"] < 2 or site.skin not in PLAIN_SKINS:
                continue
            paged += 1
            url, seen, pages = col["url"], [], 0
            while url:
                html = get_html(server, site_id, url)
                seen += [urljoin(url, href) for href, _day in listed_items(html, site.date_format)]
                pages += 1
                nxt = re.search(r'<a href="([^"]+)">下一页</a>', html)
                url = urljoin(url, nxt[1].replace("&amp;", "&")) if nxt else None
            model = next(c for c in site.all_columns() if c.names == col["path"])
            assert pages == col["pages"] and len(set(seen)) == len(model.ages), col["url"]
    assert paged >= 3  # one per skin at least


def test_container_and_second_level_pages(server, truth):
    for site_id, site_truth in truth.items():
        if server.farm.site(site_id).skin not in PLAIN_SKINS:
            continue  # catalogue trees: test_family_farm.py
        by_parent: dict[str, list[dict]] = {}
        for col in site_truth["columns"]:
            if len(col["path"]) == 2:
                by_parent.setdefault(col["path"][0], []).append(col)
        for col in site_truth["columns"]:
            if not col["container"]:
                continue
            html = get_html(server, site_id, col["url"])
            for child in by_parent[col["name"]]:
                assert child["url"].split("/", 3)[3] in html, child["url"]  # links to each
        for parent, children in by_parent.items():
            for child in children:
                if child["failed"]:
                    continue
                html = get_html(server, site_id, child["url"])
                crumb = html.split("当前位置：", 1)[1].split("</div>", 1)[0]
                assert f">{parent}</a> &gt; " in crumb, child["url"]
                assert all(f">{c['name']}</a>" in html for c in children), child["url"]


def test_offsite_links_are_on_pages_but_not_columns(server, truth):
    links = truth["commerce"]["offsite_links"]
    html = get_html(server, "commerce", server.base_url("commerce"))
    assert "http://www.gov.cn/" in links and any(server.base_url("portal") in x for x in links)
    all_column_urls = {c["url"] for c in truth["commerce"]["columns"]}
    for link in links:
        assert f'href="{link}"' in html and link not in all_column_urls
    mirrored = [h for h, _d in listed_items(html, "iso") if h.startswith(server.base_url("portal"))]
    assert len(mirrored) == 6 and all(fetch(u)[0] == 200 for u in mirrored)


def test_required_special_sites_exist(farm, truth):
    assert len(truth) >= 12
    expected = {sid: t["expected"] for sid, t in truth.items()}
    assert truth["finance"]["encoding"] == "gbk"
    assert {"md", "bracket_md"} <= {t["date_format"] for t in truth.values()}
    nature = truth["nature"]["columns"]
    blanks = [c for c in nature if c["blank"]]
    assert len(blanks) >= 2
    assert {c.placeholder for c in farm.site("nature").all_columns() if c.placeholder} >= {
        "暂无信息",
        "暂无数据",
        "信息正在更新中...",
    }
    vetoes = {sid for sid, e in expected.items() if e["score"] == "单项否决"}
    # justice: the serious-wording-error veto of the page checks (added with them)
    # urban: the overdue letter of 互动回应差 (added with the letter reader)
    assert vetoes == {"invest", "xiping", "justice", "urban"}
    assert truth["invest"]["home_new_items_2w"] == 0
    assert expected["water"] == {
        "score": None,
        "result": "监测失败",
        "problems": ["首页无法获取(HTTP 500),需重新监测"],
    }
    assert any(c["status"] == 500 for c in truth["health"]["columns"])
    assert any(c["status"] == 404 for c in truth["agri"]["columns"])
    assert len(truth["commerce"]["offsite_links"]) >= 3
    clean = [sid for sid, e in expected.items() if e["score"] == 100 and not e["problems"]]
    assert clean and all(expected[sid]["result"] == "合格" for sid in clean)
    mid = [sid for sid, e in expected.items() if isinstance(e["score"], int) and e["score"] < 100]
    assert len(mid) >= 5
    assert any("陆溪镇>要闻信息" in p for p in expected["qinghe"]["problems"])


def test_hand_written_expectations_agree_with_the_facts(truth):
    """Not a scorer: only the facts an expectation must not contradict."""
    for sid, t in truth.items():
        e = t["expected"]
        problems = "；".join(e["problems"])
        assert (e["result"] == "监测失败") == t["home_failed"], sid
        if t["home_failed"]:
            continue
        assert ("2周内首页栏目信息更新总量为0" in problems) == (t["home_new_items_2w"] == 0), sid
        if e["score"] != "单项否决":
            few = 0 < t["home_new_items_2w"] < 10
            assert ("首页栏目信息更新总量少于10条" in problems) == few, sid
            assert e["result"] == ("合格" if e["score"] >= 60 else "不合格"), sid
            n_failed = sum(c["failed"] for c in t["columns"])
            assert (f"{n_failed}个栏目监测失败(" in problems) == bool(n_failed), sid
        labels = {">".join(c["path"]) for c in t["columns"]}
        for named in re.findall(r"[\u4e00-\u9fff]+>[\u4e00-\u9fff]+?(?=、|\)|空白|栏目)", problems):
            assert named in labels, (sid, named)


def test_expectations_do_not_depend_on_the_farm_date(truth):
    """Newest ages keep away from the calendar-month window edges, so truth stays put."""
    for other in (dt.date(2026, 3, 31), dt.date(2025, 8, 31), dt.date(2027, 1, 3)):
        farm = load_farm(other)
        for site in farm.sites:
            assert farm.home_new_items(site) == truth[site.id]["home_new_items_2w"], site.id
            for col in site.all_columns():
                if col.ages:
                    assert not (171 <= col.ages[0] <= 189 or 355 <= col.ages[0] <= 375)


def test_request_counter_and_slow_page(farm):
    with FarmServer(farm) as server:
        url = next(c["url"] for c in server.truth()["health"]["columns"] if c["name"] == "政策解读")
        started = time.monotonic()
        fetch(url)
        assert time.monotonic() - started >= 0.45
        assert server.requests_served == 1 and server.fetched_twice() == []
        fetch(url)
        assert server.requests_served == 2 and server.fetched_twice() == [url]


def test_site_list_file(server, tmp_path):
    path = server.write_site_list(tmp_path / "sites.yaml")
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["sites"]
    assert [r["id"] for r in rows] == [s.id for s in server.farm.sites]
    assert all({"id", "name", "url", "group"} <= set(r) for r in rows)
    portal = next(r for r in rows if r["id"] == "portal")
    assert portal["extra_domains"] and all("extra_domains" not in r for r in rows[1:])


def test_command_line_serves_until_interrupted(tmp_path):
    out = tmp_path / "sites.yaml"
    cmd = [sys.executable, "-m", "farm.server", "--date", "2026-06-30", "--out", str(out)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        rows = yaml.safe_load(out.read_text(encoding="utf-8"))["sites"]
        assert fetch(rows[0]["url"])[0] == 200
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
