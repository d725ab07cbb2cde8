"""A real crawl of the demo farm over loopback HTTP, checked against its ground truth."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import FROZEN_NOW
from tests.services import ROOT, run_cli


def stored_columns(db_path, site_id: str) -> dict[str, dict]:
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    rows = con.execute(
        "SELECT c.* FROM column_snapshot c JOIN site_snapshot s ON s.id = c.snapshot_id "
        "WHERE s.site_id = ?",
        (site_id,),
    ).fetchall()
    con.close()
    return {r["url"]: dict(r) for r in rows}


def snapshot_rows(db_path) -> dict[str, dict]:
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    rows = {r["site_id"]: dict(r) for r in con.execute("SELECT * FROM site_snapshot")}
    con.close()
    return rows


def crawled_sites(truth: dict) -> list[str]:
    return [sid for sid, t in truth.items() if not t["home_failed"]]


def test_every_site_has_one_snapshot(farm_crawl):
    snaps = snapshot_rows(farm_crawl.db_path)
    assert sorted(snaps) == sorted(farm_crawl.truth)
    assert all(s["round"] == "2026Q2" for s in snaps.values())


def test_every_column_is_found_and_nothing_else(farm_crawl):
    missing, extra = [], []
    for sid in crawled_sites(farm_crawl.truth):
        expected = {c["url"] for c in farm_crawl.truth[sid]["columns"]}
        found = set(stored_columns(farm_crawl.db_path, sid))
        missing += [(sid, u) for u in expected - found]
        extra += [(sid, u) for u in found - expected]
    assert missing == []
    assert extra == []


@pytest.mark.parametrize(
    ("field", "truth_key"),
    [("newest_date", "newest_date"), ("blank", "blank"), ("is_container", "container")],
)
def test_column_facts_match_ground_truth(farm_crawl, field, truth_key):
    wrong = []
    for sid in crawled_sites(farm_crawl.truth):
        stored = stored_columns(farm_crawl.db_path, sid)
        for col in farm_crawl.truth[sid]["columns"]:
            got = stored.get(col["url"], {}).get(field)
            want = col[truth_key]
            if isinstance(want, bool):
                got = bool(got)
            if got != want:
                wrong.append((sid, col["name"], got, want))
    assert wrong == []


def test_column_names_and_paths_including_gbk_site(farm_crawl):
    wrong = []
    for sid in crawled_sites(farm_crawl.truth):
        stored = stored_columns(farm_crawl.db_path, sid)
        for col in farm_crawl.truth[sid]["columns"]:
            row = stored.get(col["url"], {})
            if row.get("name") != col["name"] or row.get("path") != " > ".join(col["path"]):
                wrong.append((sid, col["name"], row.get("name"), row.get("path")))
    assert wrong == []


def test_failed_pages_are_monitoring_failures_not_blank(farm_crawl):
    snaps = snapshot_rows(farm_crawl.db_path)
    for sid, t in farm_crawl.truth.items():
        if t["home_failed"]:
            assert snaps[sid]["status"] == "failed"
            assert "首页无法获取" in snaps[sid]["error"]
            assert stored_columns(farm_crawl.db_path, sid) == {}
        failed = [c for c in t["columns"] if c["failed"] and not t["home_failed"]]
        stored = stored_columns(farm_crawl.db_path, sid)
        for col in failed:
            assert stored[col["url"]]["status"] == "failed"
            assert not stored[col["url"]]["blank"]
            assert snaps[sid]["status"] == "partial"
    assert any(t["home_failed"] for t in farm_crawl.truth.values())


def test_no_page_fetched_twice_and_offsite_links_not_followed(farm_crawl):
    # failing pages are retried on purpose (a transient error must not become a finding)
    failing = {c["url"] for t in farm_crawl.truth.values() for c in t["columns"] if c["failed"]}
    failing |= {farm_crawl.server.base_url(sid) for sid, t in farm_crawl.truth.items()
                if t["home_failed"]}  # fmt: skip
    # and online systems answering HTTP 500 (asked once more before they are judged)
    failing |= {o["url"] for t in farm_crawl.truth.values() for o in t["online_systems"]
                if o["kind"] == "error"}  # fmt: skip
    # so are list pages whose static HTML showed an empty list: read again through Chromium
    rendered = {
        url
        for sid in crawled_sites(farm_crawl.truth)
        for url, col in stored_columns(farm_crawl.db_path, sid).items()
        if col["rendered"]
    }
    twice = {url for url, n in farm_crawl.hits.items() if n > 1}
    assert twice - failing - rendered == set()
    assert twice, "the failing pages should have been retried"
    for sid in crawled_sites(farm_crawl.truth):
        home = farm_crawl.server.base_url(sid)
        for url in stored_columns(farm_crawl.db_path, sid):
            assert url.startswith(home) or any(
                url.startswith(farm_crawl.server.base_url(sid, alias))
                for alias in farm_crawl.server.farm.sites[0].extra_domains
            )


def test_home_page_items_recorded(farm_crawl):
    con = sqlite3.connect(farm_crawl.db_path)
    counts = dict(
        con.execute(
            "SELECT s.site_id, COUNT(*) FROM home_entry h JOIN site_snapshot s "
            "ON s.id = h.snapshot_id WHERE h.date >= date(?, '-14 days') GROUP BY s.site_id",
            (FROZEN_NOW[:10],),
        ).fetchall()
    )
    con.close()
    for sid in crawled_sites(farm_crawl.truth):
        assert counts.get(sid, 0) == farm_crawl.truth[sid]["home_new_items_2w"], sid


def test_recrawl_of_one_site_replaces_only_its_snapshot(farm_crawl, tmp_path):
    sid = crawled_sites(farm_crawl.truth)[0]
    before = snapshot_rows(farm_crawl.db_path)
    result = run_cli(
        "crawl", "--sites", str(farm_crawl.sites_file), "--site", sid,
        "--db", farm_crawl.db_url, "--now", FROZEN_NOW,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    after = snapshot_rows(farm_crawl.db_path)
    assert sorted(after) == sorted(before)
    assert after[sid]["id"] != before[sid]["id"]
    others = [s for s in before if s != sid]
    assert all(after[s]["id"] == before[s]["id"] for s in others)
    assert len(stored_columns(farm_crawl.db_path, sid)) == len(farm_crawl.truth[sid]["columns"])


def test_scrapy_crawl_command_does_the_same_crawl(farm_crawl, tmp_path):
    import subprocess
    import sys

    sid = crawled_sites(farm_crawl.truth)[1]
    db = tmp_path / "scrapy.db"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "site", "-a", f"sites={farm_crawl.sites_file}",
         "-a", f"site={sid}", "-s", f"GOVSPIDER_DATABASE_URL=sqlite:///{db}",
         "-s", f"GOVSPIDER_NOW={FROZEN_NOW}", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(stored_columns(db, sid)) == {c["url"] for c in farm_crawl.truth[sid]["columns"]}


def test_bad_site_list_is_refused_before_any_request(farm_crawl, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "单位名称,网址\n江城市民政局,http://127.0.0.1:1/\n江城市民政局,not a url\n", "utf-8"
    )
    served_before = farm_crawl.server.requests_served
    result = run_cli("crawl", "--sites", str(bad), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert f"{bad}: 第3行" in result.stderr
    assert not (tmp_path / "x.db").exists()
    assert farm_crawl.server.requests_served == served_before
