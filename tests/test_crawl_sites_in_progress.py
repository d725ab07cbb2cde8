"""Sites are started a few at a time (GOVSPIDER_SITES_IN_PROGRESS): the next site starts
when one is stored, every listed site is still crawled and stored, and with no bound
every home page is asked for at once (the check below can tell the two apart)."""

from __future__ import annotations

import pytest

from tests.static_sites import StaticSite
from tests.test_callback_faults import crawl, site_pages

pytestmark = pytest.mark.slow

SITES = 6
DATED_LIST = site_pages()["/gzdt/"][1]


def most_sites_at_once(servers: list[StaticSite]) -> int:
    """The most sites whose first-to-last request spans overlapped at one moment."""
    events = []
    for server in servers:
        starts, ends = zip(*server.times, strict=True)
        events += [(min(starts), 1), (max(ends), -1)]
    now = best = 0
    for _, step in sorted(events, key=lambda e: (e[0], e[1])):  # an end before a start
        now += step
        best = max(best, now)
    return best


def serve_sites(tmp_path, setting: str) -> tuple[list[StaticSite], dict, dict]:
    # a slow list page keeps each site open long enough for the overlap to be seen
    slow = {"/gzdt/": (200, DATED_LIST, {}, 0.3)}
    servers = [StaticSite(site_pages(**slow)) for _ in range(SITES)]
    try:
        snaps, columns, _, _ = crawl(tmp_path, [s.url for s in servers], setting)
    finally:
        for server in servers:
            server.stop()
    return servers, snaps, columns


def test_at_most_the_configured_sites_are_in_progress_and_all_are_stored(tmp_path):
    servers, snaps, columns = serve_sites(tmp_path, "GOVSPIDER_SITES_IN_PROGRESS=2")
    assert sorted(snaps) == [f"s{i}" for i in range(SITES)]
    assert all(status == "ok" for status, _ in snaps.values())
    assert all(columns[(f"s{i}", "通知公告")] == ("ok", "", "2026-06-20") for i in range(SITES))
    assert most_sites_at_once(servers) <= 2


def test_without_a_bound_every_site_starts_at_once(tmp_path):
    servers, snaps, _ = serve_sites(tmp_path, "GOVSPIDER_SITES_IN_PROGRESS=0")
    assert len(snaps) == SITES
    assert most_sites_at_once(servers) == SITES


def test_sites_not_yet_started_when_the_crawl_closes_are_stored_as_monitoring_failures(tmp_path):
    # one site at a time, closed once the first is stored: the second is open, the third
    # still waits for its turn; neither may be left out of the round
    servers = [StaticSite(site_pages(**{"/gzdt/": (200, DATED_LIST, {}, 0.5)})) for _ in range(3)]
    try:
        snaps, _, out, _ = crawl(
            tmp_path,
            [s.url for s in servers],
            "GOVSPIDER_SITES_IN_PROGRESS=1",
            "CLOSESPIDER_ITEMCOUNT=1",
        )
    finally:
        for server in servers:
            server.stop()
    assert snaps["s0"] == ("ok", "")
    assert snaps["s1"][0] == "failed" and snaps["s1"][1].startswith("抓取结束时未完成(尚有")
    assert snaps["s2"] == ("failed", "抓取结束时尚未开始")
    assert not servers[2].times  # never asked for
    assert "失败2个" in out
